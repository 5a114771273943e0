#include "aui/tui/command_palette.hpp"

#include <algorithm>
#include <variant>

#include "aui/tui/dialogs.hpp"
#include "aui/tui/sanitize.hpp"
#include "aui/tui/text_width.hpp"

namespace aui::tui {

namespace {

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool word_start(std::string_view text, std::size_t i) {
  return i == 0 || text[i - 1] == ' ' || text[i - 1] == '-' || text[i - 1] == '_' ||
         text[i - 1] == '/';
}

std::string flat(std::string_view raw) {
  std::string t = sanitize(raw).text;
  std::replace(t.begin(), t.end(), '\n', ' ');
  std::replace(t.begin(), t.end(), '\t', ' ');
  return t;
}

}  // namespace

std::optional<int> fuzzy_score(std::string_view query, std::string_view text) {
  if (query.empty()) return 0;
  std::string q, t;
  for (char c : query) q.push_back(fold(c));
  for (char c : text) t.push_back(fold(c));
  if (auto at = t.find(q); at != std::string::npos) {
    // A substring: 1000, less its position, more at a word start.
    int score = 1000 - static_cast<int>(std::min<std::size_t>(at, 500));
    if (word_start(t, at)) score += 200;
    return score;
  }
  // Scattered: the query's bytes in order, each as early as possible; the gaps cost.
  int score = 500;
  std::size_t pos = 0;
  for (std::size_t qi = 0; qi < q.size(); ++qi) {
    const std::size_t at = t.find(q[qi], pos);
    if (at == std::string::npos) return std::nullopt;
    if (qi > 0) score -= static_cast<int>(std::min<std::size_t>(at - pos, 50));
    if (word_start(t, at)) score += 5;
    pos = at + 1;
  }
  return std::max(score, 1);
}

// ---- CommandPalette -------------------------------------------------------------------------

CommandPalette::CommandPalette(std::vector<PaletteAction> actions)
    : actions_(std::move(actions)), filter_([] {
        EditorOptions o;
        o.multiline = false;
        o.max_visible_rows = 1;
        o.placeholder = "Type to filter actions";
        return o;
      }()) {
  refilter();
}

void CommandPalette::set_actions(std::vector<PaletteAction> actions) {
  actions_ = std::move(actions);
  refilter();
}

void CommandPalette::reset() {
  filter_.clear();
  selected_ = 0;
  scroll_ = 0;
  refilter();
}

void CommandPalette::refilter() {
  const std::string q = filter_.text();
  std::vector<std::pair<int, std::size_t>> scored;
  for (std::size_t i = 0; i < actions_.size(); ++i) {
    // A name match ranks above any description match.
    if (auto s = fuzzy_score(q, actions_[i].name)) {
      scored.push_back({*s + 10000, i});
    } else if (!q.empty() && !actions_[i].description.empty()) {
      std::string d;
      for (char c : actions_[i].description) d.push_back(fold(c));
      std::string fq;
      for (char c : q) fq.push_back(fold(c));
      if (d.find(fq) != std::string::npos) scored.push_back({1, i});
    }
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  matches_.clear();
  for (const auto& s : scored) matches_.push_back(s.second);
  selected_ = 0;
  scroll_ = 0;
}

std::optional<std::string> CommandPalette::selected_id() const {
  if (matches_.empty()) return std::nullopt;
  return actions_[matches_[selected_]].id;
}

PaletteOutcome CommandPalette::handle(const InputEvent& event) {
  using K = PaletteOutcome::Kind;
  const PaletteOutcome handled{K::Handled, {}};
  const auto move = [&](long d) {
    if (matches_.empty()) return handled;
    const long last = static_cast<long>(matches_.size()) - 1;
    selected_ = static_cast<std::size_t>(std::clamp(static_cast<long>(selected_) + d, 0L, last));
    return handled;
  };
  if (const auto* m = std::get_if<MouseEvent>(&event)) {
    if (m->button == MouseButton::WheelUp) return move(-3);
    if (m->button == MouseButton::WheelDown) return move(3);
    if (m->action != MouseAction::Press || m->button != MouseButton::Left) return {};
    for (const auto& [i, area] : areas_) {
      if (area.contains(m->x, m->y)) return {K::Run, actions_[matches_[i]].id};
    }
    return {};
  }
  if (const auto* k = std::get_if<KeyEvent>(&event)) {
    switch (k->key) {
      case Key::Escape: return {K::Closed, {}};
      case Key::Enter: {
        const auto id = selected_id();
        return id ? PaletteOutcome{K::Run, *id} : handled;
      }
      case Key::Up: return move(-1);
      case Key::Down: return move(1);
      case Key::PageUp: return move(-list_rows_);
      case Key::PageDown: return move(list_rows_);
      default: break;
    }
    if (k->key == Key::Char && k->mods == Mod::Ctrl && k->ch == U'p') return move(-1);
    if (k->key == Key::Char && k->mods == Mod::Ctrl && k->ch == U'n') return move(1);
  }
  const std::string before = filter_.text();
  if (filter_.handle(event).kind == EditorOutcome::Kind::Ignored) return {};
  if (filter_.text() != before) refilter();
  return handled;
}

void CommandPalette::draw(Canvas& canvas) {
  areas_.clear();
  cursor_.reset();
  const int width = std::min(canvas.width(), 76);
  if (width < 8 || canvas.height() < 4) return;
  const int inner = width - 4;
  const int max_rows = std::max(1, std::min(canvas.height() - 4, 16));
  const int rows = std::max(1, std::min(max_rows, static_cast<int>(matches_.size())));
  list_rows_ = rows;
  const Rect box{(canvas.width() - width) / 2, canvas.height() > 20 ? 2 : 0, width, rows + 4};
  draw_box(canvas, box, "Commands");
  canvas.put(box.x + 2, box.y + 1, "> ", Style{}.with(Attr::Bold));
  Canvas f = canvas.sub(box.x + 4, box.y + 1, inner - 2, 1);
  filter_.draw(f);
  cursor_ = filter_.cursor_position();
  for (int x = box.x + 1; x < box.x + width - 1; ++x) canvas.put_cluster(x, box.y + 2, "\u2500");
  canvas.put_cluster(box.x, box.y + 2, "\u251C");              // ├
  canvas.put_cluster(box.x + width - 1, box.y + 2, "\u2524");  // ┤
  if (matches_.empty()) {
    canvas.put(box.x + 2, box.y + 3, "No matching action", Style{}.with(Attr::Dim));
    return;
  }
  const int sel = static_cast<int>(selected_);
  if (sel < scroll_) scroll_ = sel;
  if (sel >= scroll_ + rows) scroll_ = sel - rows + 1;
  const Rect area = canvas.area();
  for (int r = 0; r < rows; ++r) {
    const std::size_t i = static_cast<std::size_t>(scroll_ + r);
    if (i >= matches_.size()) break;
    const PaletteAction& a = actions_[matches_[i]];
    const int y = box.y + 3 + r;
    const Style base = i == selected_ ? Style{}.with(Attr::Reverse) : Style{};
    canvas.fill(Rect{box.x + 2, y, inner, 1}, base);
    const std::string keys = flat(a.keys);
    const int keys_w = static_cast<int>(display_width(keys));
    const int room = inner - (keys_w ? keys_w + 1 : 0);
    int x = canvas.put(box.x + 2, y, truncate_to_width(flat(a.name), room), base.with(Attr::Bold));
    if (!a.description.empty() && x + 3 < box.x + 2 + room) {
      canvas.put(x, y, truncate_to_width("  " + flat(a.description), box.x + 2 + room - x),
                 base.with(Attr::Dim));
    }
    if (keys_w) canvas.put(box.x + 2 + inner - keys_w, y, keys, base.with_fg(colors::cyan));
    areas_.push_back({i, Rect{area.x + box.x + 2, area.y + y, inner, 1}});
  }
}

// ---- HelpOverlay ----------------------------------------------------------------------------

PaletteOutcome HelpOverlay::handle(const InputEvent& event) {
  using K = PaletteOutcome::Kind;
  const PaletteOutcome handled{K::Handled, {}};
  const int most = std::max(0, static_cast<int>(actions_.size()) - rows_);
  if (const auto* t = std::get_if<TextEvent>(&event)) {
    if (t->text == "q" || t->text == "?") return {K::Closed, {}};
    return handled;  // modal: typing does not reach what is under it
  }
  if (const auto* m = std::get_if<MouseEvent>(&event)) {
    if (m->button == MouseButton::WheelUp) scroll_ = std::max(0, scroll_ - 3);
    if (m->button == MouseButton::WheelDown) scroll_ = std::min(most, scroll_ + 3);
    return handled;
  }
  const auto* k = std::get_if<KeyEvent>(&event);
  if (!k) return {};
  switch (k->key) {
    case Key::Escape:
    case Key::F1:
    case Key::Enter: return {K::Closed, {}};
    case Key::Up: scroll_ = std::max(0, scroll_ - 1); return handled;
    case Key::Down: scroll_ = std::min(most, scroll_ + 1); return handled;
    case Key::PageUp: scroll_ = std::max(0, scroll_ - rows_); return handled;
    case Key::PageDown: scroll_ = std::min(most, scroll_ + rows_); return handled;
    case Key::Home: scroll_ = 0; return handled;
    case Key::End: scroll_ = most; return handled;
    default: return handled;
  }
}

void HelpOverlay::draw(Canvas& canvas) {
  const int width = std::min(canvas.width(), 76);
  if (width < 10 || canvas.height() < 4) return;
  const int inner = width - 4;
  rows_ = std::max(1, std::min(canvas.height() - 3, static_cast<int>(actions_.size())));
  scroll_ = std::clamp(scroll_, 0, std::max(0, static_cast<int>(actions_.size()) - rows_));
  const Rect box{(canvas.width() - width) / 2, (canvas.height() - rows_ - 3) / 2, width, rows_ + 3};
  draw_box(canvas, box, "Keys");
  int keys_w = 0;
  for (const auto& a : actions_) keys_w = std::max(keys_w, static_cast<int>(display_width(a.keys)));
  keys_w = std::min(keys_w, inner / 3);
  for (int r = 0; r < rows_; ++r) {
    const std::size_t i = static_cast<std::size_t>(scroll_ + r);
    if (i >= actions_.size()) break;
    const PaletteAction& a = actions_[i];
    const int y = box.y + 1 + r;
    canvas.put(box.x + 2, y, truncate_to_width(flat(a.keys), keys_w),
               Style{}.with_fg(colors::cyan));
    const std::string text = a.description.empty() ? a.name : a.name + " \u2014 " + a.description;
    canvas.put(box.x + 4 + keys_w, y, truncate_to_width(flat(text), inner - keys_w - 2));
  }
  const std::string hint = scroll_ + rows_ < static_cast<int>(actions_.size())
                               ? "\u2193 more \u00B7 Esc closes"
                               : "Esc closes";
  canvas.put(box.x + 2, box.y + box.height - 2, truncate_to_width(hint, inner),
             Style{}.with(Attr::Dim));
}

}  // namespace aui::tui
