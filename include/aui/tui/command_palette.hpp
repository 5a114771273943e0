#pragma once
// The command palette (Ctrl-P): every action with its key, filtered as the user types; and the
// help overlay (F1 or ?) listing the keys.

#include <optional>
#include <string>
#include <vector>

#include "aui/tui/editor.hpp"
#include "aui/tui/input.hpp"
#include "aui/tui/screen.hpp"

namespace aui::tui {

/// An action a program offers: `id` is what the palette reports; the rest is shown.
struct PaletteAction {
  std::string id;
  std::string name;         // "Regenerate reply"
  std::string keys;         // "Ctrl-R" (empty: none)
  std::string description;  // a sentence
};

/// How well `query` matches `text`, higher is better; nullopt when it does not. Case-insensitive
/// (ASCII). A substring scores above a scattered match, an earlier and a word-start match above a
/// later one; a scattered match (the query's characters in order, "rgn" in "Regenerate") scores
/// less the more it is spread. The empty query matches everything with score 0.
std::optional<int> fuzzy_score(std::string_view query, std::string_view text);

/// What the palette made of an event.
struct PaletteOutcome {
  enum class Kind : unsigned char { Ignored, Handled, Run, Closed };
  Kind kind = Kind::Ignored;
  std::string action_id;  // for Run
};

/// A modal, filterable list. Keys: typing filters (names first, then descriptions); Up/Down,
/// PgUp/PgDn, Ctrl-N/Ctrl-P move; Enter runs the selected action; Esc closes. A click on an entry
/// runs it.
class CommandPalette {
 public:
  explicit CommandPalette(std::vector<PaletteAction> actions = {});
  void set_actions(std::vector<PaletteAction> actions);
  /// Empties the query and selects the first entry (call when opening it).
  void reset();

  PaletteOutcome handle(const InputEvent& event);
  /// Draws a box near the top of `canvas`, centred.
  void draw(Canvas& canvas);
  std::optional<Point> cursor_position() const { return cursor_; }

  std::string query() const { return filter_.text(); }
  /// The actions shown, best match first (indices into the actions).
  const std::vector<std::size_t>& matches() const noexcept { return matches_; }
  std::optional<std::string> selected_id() const;

 private:
  void refilter();

  std::vector<PaletteAction> actions_;
  Editor filter_;
  std::vector<std::size_t> matches_;
  std::size_t selected_ = 0;
  int scroll_ = 0;
  int list_rows_ = 10;
  std::vector<std::pair<std::size_t, Rect>> areas_;
  std::optional<Point> cursor_;
};

/// The key list: a box with one "keys — description" row per action, scrolled with Up/Down and
/// PgUp/PgDn; Esc, q, ? or F1 close it (reported as PaletteOutcome::Kind::Closed).
class HelpOverlay {
 public:
  explicit HelpOverlay(std::vector<PaletteAction> actions = {}) : actions_(std::move(actions)) {}
  void set_actions(std::vector<PaletteAction> actions) { actions_ = std::move(actions); }
  PaletteOutcome handle(const InputEvent& event);
  void draw(Canvas& canvas);

 private:
  std::vector<PaletteAction> actions_;
  int scroll_ = 0;
  int rows_ = 10;
};

}  // namespace aui::tui
