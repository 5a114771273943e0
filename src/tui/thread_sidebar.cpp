#include "aui/tui/thread_sidebar.hpp"

#include <algorithm>
#include <variant>

#include "aui/tui/sanitize.hpp"
#include "aui/tui/text_width.hpp"

namespace aui::tui {

namespace {

EditorOptions one_line(std::string placeholder) {
  EditorOptions o;
  o.multiline = false;
  o.max_visible_rows = 1;
  o.placeholder = std::move(placeholder);
  return o;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string flat(std::string_view raw) {
  std::string t = sanitize(raw).text;
  std::replace(t.begin(), t.end(), '\n', ' ');
  std::replace(t.begin(), t.end(), '\t', ' ');
  return t;
}

bool plain_text_is(const InputEvent& e, std::string_view s) {
  const auto* t = std::get_if<TextEvent>(&e);
  return t && t->text == s;
}

}  // namespace

ThreadSidebar::ThreadSidebar() : search_(one_line("/ to search")), rename_(one_line("New title")) {}

void ThreadSidebar::set_threads(std::vector<ThreadEntry> threads) {
  const auto keep = selected_id();
  threads_ = std::move(threads);
  folded_titles_.clear();
  folded_titles_.reserve(threads_.size());
  for (const auto& t : threads_) folded_titles_.push_back(lower_ascii(t.title));
  refilter();
  if (keep) select(*keep);
}

void ThreadSidebar::set_search_hits(std::optional<std::vector<std::string>> ids) {
  const auto keep = selected_id();
  if (ids) {
    hits_.emplace(ids->begin(), ids->end());
  } else {
    hits_.reset();
  }
  refilter();
  if (keep) select(*keep);
}

void ThreadSidebar::refilter() {
  filtered_.clear();
  const std::string q = lower_ascii(search_.text());
  for (std::size_t i = 0; i < threads_.size(); ++i) {
    if (q.empty() || folded_titles_[i].find(q) != std::string::npos ||
        (hits_ && hits_->count(threads_[i].id))) {
      filtered_.push_back(i);
    }
  }
  if (selected_ >= filtered_.size()) selected_ = filtered_.empty() ? 0 : filtered_.size() - 1;
}

std::optional<std::string> ThreadSidebar::selected_id() const {
  if (filtered_.empty()) return std::nullopt;
  return threads_[filtered_[selected_]].id;
}

void ThreadSidebar::select(const std::string& id) {
  for (std::size_t i = 0; i < filtered_.size(); ++i) {
    if (threads_[filtered_[i]].id == id) {
      selected_ = i;
      return;
    }
  }
}

void ThreadSidebar::move_selection(long delta) {
  if (filtered_.empty()) return;
  const long last = static_cast<long>(filtered_.size()) - 1;
  selected_ = static_cast<std::size_t>(std::clamp(static_cast<long>(selected_) + delta, 0L, last));
}

SidebarOutcome ThreadSidebar::selected_action(SidebarOutcome::Kind kind) {
  const auto id = selected_id();
  if (!id) return {SidebarOutcome::Kind::Handled, {}, {}};
  return {kind, *id, {}};
}

SidebarOutcome ThreadSidebar::handle(const InputEvent& event) {
  using K = SidebarOutcome::Kind;
  const SidebarOutcome handled{K::Handled, {}, {}};
  if (const auto* m = std::get_if<MouseEvent>(&event)) {
    if (m->button == MouseButton::WheelUp || m->button == MouseButton::WheelDown) {
      move_selection(m->button == MouseButton::WheelUp ? -3 : 3);
      return handled;
    }
    if (m->action != MouseAction::Press || m->button != MouseButton::Left) return {};
    const int row = m->y - list_top_;
    if (row < 0 || row >= list_rows_ || m->x < list_left_ || m->x >= list_left_ + list_width_) {
      return {};
    }
    const std::size_t i = static_cast<std::size_t>(scroll_ + row);
    if (i >= filtered_.size()) return {};
    if (mode_ == Mode::Rename || mode_ == Mode::ConfirmDelete) mode_ = Mode::Browse;
    if (i == selected_) return selected_action(K::Open);
    selected_ = i;
    return handled;
  }
  const auto* k = std::get_if<KeyEvent>(&event);
  switch (mode_) {
    case Mode::ConfirmDelete: {
      mode_ = Mode::Browse;
      if (plain_text_is(event, "y") || plain_text_is(event, "Y")) return selected_action(K::Delete);
      return handled;  // anything else keeps the thread
    }
    case Mode::Rename: {
      if (k && k->key == Key::Escape) {
        mode_ = Mode::Browse;
        return handled;
      }
      EditorOutcome out = rename_.handle(event);
      if (out.kind == EditorOutcome::Kind::Submitted) {
        mode_ = Mode::Browse;
        auto r = selected_action(K::Rename);
        r.text = out.text;
        return r;
      }
      return handled;
    }
    case Mode::Search: {
      if (k) {
        switch (k->key) {
          case Key::Escape: mode_ = Mode::Browse; return handled;
          case Key::Up: move_selection(-1); return handled;
          case Key::Down: move_selection(1); return handled;
          case Key::PageUp: move_selection(-list_rows_); return handled;
          case Key::PageDown: move_selection(list_rows_); return handled;
          case Key::Enter: return selected_action(K::Open);
          default: break;
        }
      }
      const std::string before = search_.text();
      EditorOutcome out = search_.handle(event);
      if (out.kind == EditorOutcome::Kind::Ignored) return {};
      if (search_.text() != before) {
        refilter();
        return {K::Search, {}, search_.text()};
      }
      return handled;
    }
    case Mode::Browse: break;
  }
  if (k) return handle_browse_key(*k);
  if (const auto* t = std::get_if<TextEvent>(&event)) {
    if (t->text == "n") return {K::New, {}, {}};
    if (t->text == "r") {
      const auto id = selected_id();
      if (!id) return handled;
      mode_ = Mode::Rename;
      rename_.set_text(threads_[filtered_[selected_]].title);
      return handled;
    }
    if (t->text == "a") {
      if (filtered_.empty()) return handled;
      return selected_action(threads_[filtered_[selected_]].archived ? K::Unarchive : K::Archive);
    }
    if (t->text == "d") {
      if (!filtered_.empty()) mode_ = Mode::ConfirmDelete;
      return handled;
    }
    mode_ = Mode::Search;
    if (t->text == "/") return handled;
    // "/" opens the search; typed quickly, the words after it arrive in the same event.
    if (t->text[0] == '/') {
      search_.handle(TextEvent{t->text.substr(1)});
    } else {
      search_.handle(event);
    }
    refilter();
    return {K::Search, {}, search_.text()};
  }
  if (std::holds_alternative<PasteEvent>(event)) {
    mode_ = Mode::Search;
    search_.handle(event);
    refilter();
    return {K::Search, {}, search_.text()};
  }
  return {};
}

SidebarOutcome ThreadSidebar::handle_browse_key(const KeyEvent& k) {
  using K = SidebarOutcome::Kind;
  const SidebarOutcome handled{K::Handled, {}, {}};
  if (k.mods != Mod::None && k.key != Key::Char) return {};
  switch (k.key) {
    case Key::Up: move_selection(-1); return handled;
    case Key::Down: move_selection(1); return handled;
    case Key::PageUp: move_selection(-list_rows_); return handled;
    case Key::PageDown: move_selection(list_rows_); return handled;
    case Key::Home: selected_ = 0; return handled;
    case Key::End: move_selection(static_cast<long>(filtered_.size())); return handled;
    case Key::Enter: return selected_action(K::Open);
    case Key::F2:
      if (filtered_.empty()) return handled;
      mode_ = Mode::Rename;
      rename_.set_text(threads_[filtered_[selected_]].title);
      return handled;
    case Key::Delete:
      if (!filtered_.empty()) mode_ = Mode::ConfirmDelete;
      return handled;
    case Key::Escape:
      if (!search_.empty()) {
        search_.clear();
        hits_.reset();
        refilter();
        return {K::Search, {}, {}};
      }
      return {K::Close, {}, {}};
    default: return {};
  }
}

void ThreadSidebar::draw(Canvas& canvas) {
  cursor_.reset();
  const int w = canvas.width(), h = canvas.height();
  if (w < 4 || h < 1) return;
  canvas.fill();
  const Style dim = Style{}.with(Attr::Dim);
  // The search field.
  canvas.put(0, 0, "\u2315 ", dim);  // ⌕
  Canvas field = canvas.sub(2, 0, w - 2, 1);
  search_.draw(field);
  if (mode_ == Mode::Search) cursor_ = search_.cursor_position();
  if (h < 3) return;
  for (int x = 0; x < w; ++x) canvas.put_cluster(x, 1, "\u2500", dim);
  list_rows_ = h - 2;
  list_top_ = canvas.area().y + 2;
  list_left_ = canvas.area().x;
  list_width_ = w;
  if (filtered_.empty()) {
    canvas.put(1, 2, truncate_to_width(threads_.empty() ? "No threads yet" : "No match", w - 1),
               dim);
    return;
  }
  const int sel = static_cast<int>(selected_);
  if (sel < scroll_) scroll_ = sel;
  if (sel >= scroll_ + list_rows_) scroll_ = sel - list_rows_ + 1;
  scroll_ = std::clamp(scroll_, 0, std::max(0, static_cast<int>(filtered_.size()) - list_rows_));
  // Only the rows on screen are laid out: cost is independent of the list's length.
  for (int row = 0; row < list_rows_; ++row) {
    const std::size_t i = static_cast<std::size_t>(scroll_ + row);
    if (i >= filtered_.size()) break;
    const ThreadEntry& t = threads_[filtered_[i]];
    const int y = row + 2;
    const bool selected = i == selected_;
    const Style base = selected ? Style{}.with(Attr::Reverse) : Style{};
    canvas.fill(Rect{0, y, w, 1}, base);
    if (selected && mode_ == Mode::ConfirmDelete) {
      const std::string q = "Delete \u201C" + flat(t.title) + "\u201D? y/n";
      canvas.put(0, y, truncate_to_width(q, w), base.with_fg(colors::red).with(Attr::Bold));
      continue;
    }
    int x = canvas.put(0, y, t.running ? "\u25CF " : "  ", base.with_fg(colors::green));  // ●
    if (selected && mode_ == Mode::Rename) {
      Canvas r = canvas.sub(x, y, w - x, 1);
      rename_.draw(r);
      r.restyle(Rect{0, 0, r.width(), 1}, Style{}.with(Attr::Underline));
      cursor_ = rename_.cursor_position();
      continue;
    }
    const std::string suffix = t.archived ? " [archived]" : "";
    const int suffix_w = static_cast<int>(display_width(suffix));
    if (t.number) x = canvas.put(x, y, std::to_string(*t.number) + " ", base.with(Attr::Dim));
    std::string title = flat(t.title);
    if (title.empty()) title = "Untitled";
    x = canvas.put(x, y, truncate_to_width(title, std::max(1, w - x - suffix_w)), base);
    if (t.archived) canvas.put(x, y, suffix, base.with(Attr::Dim));
  }
}

}  // namespace aui::tui
