#pragma once
// Suggestions shown after a reply, as a row of chips the user picks with keys or the mouse.

#include <optional>
#include <string>
#include <vector>

#include "aui/tui/input.hpp"
#include "aui/tui/screen.hpp"

namespace aui::tui {

/// A row of chips. Keys (the program routes them here while the chips have focus, or always for
/// Alt-digits): Left/Right and Tab/Shift-Tab move the selection, Enter picks it, Alt-1…Alt-9 pick
/// the n-th chip directly; a left click picks the chip under it. The texts are untrusted.
class SuggestionChips {
 public:
  void set_items(std::vector<std::string> items);
  const std::vector<std::string>& items() const noexcept { return items_; }
  std::size_t selected() const noexcept { return selected_; }

  /// What happened.
  struct Outcome {
    enum class Kind : unsigned char { Ignored, Handled, Picked };
    Kind kind = Kind::Ignored;
    std::size_t index = 0;  // for Picked
  };
  Outcome handle(const InputEvent& event);
  /// Draws the chips on the first row, " 1 text │ 2 text …"; chips that do not fit are left out
  /// (the selected one is kept in view). An empty list draws nothing.
  void draw(Canvas& canvas);

 private:
  std::vector<std::string> items_;
  std::size_t selected_ = 0;
  std::vector<std::pair<std::size_t, Rect>> areas_;  // chip index, screen area (last draw)
};

}  // namespace aui::tui
