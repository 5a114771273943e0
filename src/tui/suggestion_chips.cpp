#include "aui/tui/suggestion_chips.hpp"

#include <algorithm>
#include <variant>

#include "aui/tui/sanitize.hpp"
#include "aui/tui/text_width.hpp"

namespace aui::tui {

void SuggestionChips::set_items(std::vector<std::string> items) {
  items_ = std::move(items);
  selected_ = 0;
  areas_.clear();
}

SuggestionChips::Outcome SuggestionChips::handle(const InputEvent& event) {
  using K = Outcome::Kind;
  if (items_.empty()) return {};
  const std::size_t n = items_.size();
  if (const auto* m = std::get_if<MouseEvent>(&event)) {
    if (m->action != MouseAction::Press || m->button != MouseButton::Left) return {};
    for (const auto& [index, area] : areas_) {
      if (area.contains(m->x, m->y)) {
        selected_ = index;
        return {K::Picked, index};
      }
    }
    return {};
  }
  const auto* k = std::get_if<KeyEvent>(&event);
  if (!k) return {};
  if (k->key == Key::Char && k->mods == Mod::Alt && k->ch >= U'1' && k->ch <= U'9') {
    const std::size_t i = static_cast<std::size_t>(k->ch - U'1');
    if (i >= n) return {};
    selected_ = i;
    return {K::Picked, i};
  }
  switch (k->key) {
    case Key::Left:
    case Key::BackTab: selected_ = (selected_ + n - 1) % n; return {K::Handled, 0};
    case Key::Right:
    case Key::Tab: selected_ = (selected_ + 1) % n; return {K::Handled, 0};
    case Key::Enter:
      if (k->mods != Mod::None) return {};
      return {K::Picked, selected_};
    default: return {};
  }
}

void SuggestionChips::draw(Canvas& canvas) {
  areas_.clear();
  if (items_.empty() || canvas.height() < 1) return;
  canvas.fill(Rect{0, 0, canvas.width(), 1});
  // Chip texts on one row each, cut to a third of the width so several fit.
  const int max_chip = std::max(8, canvas.width() / 3);
  std::vector<std::string> chips;
  for (std::size_t i = 0; i < items_.size(); ++i) {
    std::string t = sanitize(items_[i]).text;
    std::replace(t.begin(), t.end(), '\n', ' ');
    std::replace(t.begin(), t.end(), '\t', ' ');
    std::string label = i < 9 ? std::to_string(i + 1) + " " : std::string();
    chips.push_back(" " + label + truncate_to_width(t, max_chip) + " ");
  }
  // Start early enough that the selected chip is in view.
  std::size_t first = 0;
  for (;;) {
    int w = 0;
    for (std::size_t i = first; i <= selected_; ++i)
      w += static_cast<int>(display_width(chips[i])) + 1;
    if (w <= canvas.width() || first == selected_) break;
    ++first;
  }
  int x = 0;
  const Rect area = canvas.area();
  for (std::size_t i = first; i < chips.size(); ++i) {
    const int w = static_cast<int>(display_width(chips[i]));
    if (x + w > canvas.width()) break;
    const Style s = i == selected_ ? Style{}.with(Attr::Reverse) : Style{}.with(Attr::Underline);
    canvas.put(x, 0, chips[i], s);
    areas_.push_back({i, Rect{area.x + x, area.y, w, 1}});
    x += w + 1;
  }
}

}  // namespace aui::tui
