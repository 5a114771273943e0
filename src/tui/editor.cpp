#include "aui/tui/editor.hpp"

#include <algorithm>
#include <variant>

#include "aui/tui/sanitize.hpp"
#include "aui/tui/text_width.hpp"

namespace aui::tui {

namespace {

bool is_ctrl(const KeyEvent& k, char32_t c) {
  return k.key == Key::Char && has(k.mods, Mod::Ctrl) && !has(k.mods, Mod::Alt) && k.ch == c;
}
bool is_alt(const KeyEvent& k, char32_t c) {
  return k.key == Key::Char && has(k.mods, Mod::Alt) && !has(k.mods, Mod::Ctrl) && k.ch == c;
}

// A word character: ASCII letters and digits, '_', and everything outside ASCII that is not a
// space (CJK, accented letters, emoji all belong to words).
bool word_byte(unsigned char c) {
  if (c >= 0x80) return true;
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Untrusted text made safe for the buffer: controls but newline and tab become visible
// replacements; for a one-line field newlines (and tabs) become spaces.
std::string clean(std::string_view text, bool multiline) {
  std::string out = is_terminal_safe(text, true) ? std::string(text) : sanitize(text).text;
  if (!multiline) std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

}  // namespace

Editor::Editor(EditorOptions options) : options_(std::move(options)) {
  lines_.emplace_back();
  if (options_.max_visible_rows < 1) options_.max_visible_rows = 1;
  if (options_.tab_width < 1) options_.tab_width = 1;
}

// ---- layout ---------------------------------------------------------------------------------

int Editor::cluster_width(std::string_view text, std::size_t pos, std::size_t* length) const {
  if (text[pos] == '\t') {
    *length = 1;
    return options_.tab_width;
  }
  Grapheme g = next_grapheme(text, pos);
  *length = g.length;
  return g.control ? 1 : std::max(g.width, g.valid ? 0 : 1);
}

const std::vector<Editor::Row>& Editor::rows_of(std::size_t index, int width) const {
  const Line& line = lines_[index];
  if (line.layout_width == width) return line.rows;
  line.rows.clear();
  line.layout_width = width;
  const std::string& t = line.text;
  Row row;
  std::size_t last_space_end = 0;  // end of the last space in the current row (0: none)
  int width_at_space = 0;
  std::size_t pos = 0;
  while (pos < t.size()) {
    std::size_t len = 0;
    int w = cluster_width(t, pos, &len);
    while (row.width + w > width && row.end > row.begin) {
      // Break after the row's last space when the cluster is not a space itself; a space may
      // not start a row only if it fits, so spaces break like any character.
      if (t[pos] != ' ' && last_space_end > row.begin) {
        Row done{row.begin, last_space_end, width_at_space};
        line.rows.push_back(done);
        row = Row{last_space_end, row.end, row.width - width_at_space};
      } else {
        line.rows.push_back(row);
        row = Row{pos, pos, 0};
      }
      last_space_end = 0;
    }
    row.end = pos + len;
    row.width += w;
    if (t[pos] == ' ') {
      last_space_end = row.end;
      width_at_space = row.width;
    }
    pos += len;
  }
  line.rows.push_back(row);
  // A full last row leaves no column for the cursor at its end: it gets an empty row of its own.
  if (row.width >= width && row.end > row.begin) line.rows.push_back(Row{row.end, row.end, 0});
  return line.rows;
}

std::size_t Editor::row_index(const std::vector<Row>& rows, std::size_t byte) const {
  // The last row starting at or before `byte`: an offset at a row boundary belongs to the row it
  // starts.
  std::size_t i = 0;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].begin <= byte) i = r;
  }
  return i;
}

int Editor::column_in(const Line& line, const Row& row, std::size_t byte) const {
  int col = 0;
  std::size_t pos = row.begin;
  while (pos < byte && pos < row.end) {
    std::size_t len = 0;
    col += cluster_width(line.text, pos, &len);
    pos += len;
  }
  return col;
}

std::size_t Editor::byte_at_column(const Line& line, const Row& row, int column) const {
  int col = 0;
  std::size_t pos = row.begin;
  while (pos < row.end) {
    std::size_t len = 0;
    int w = cluster_width(line.text, pos, &len);
    if (col + w > column) break;
    // A row that is not the line's last ends with its break: the cursor stays before it so it
    // remains on this row.
    if (pos + len == row.end && row.end < line.text.size()) break;
    col += w;
    pos += len;
  }
  return pos;
}

int Editor::preferred_height(int width) const {
  if (width < 1) return 1;
  std::size_t rows = 0;
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    rows += rows_of(i, width).size();
    if (rows >= static_cast<std::size_t>(options_.max_visible_rows)) break;
  }
  return std::clamp(static_cast<int>(rows), 1, options_.max_visible_rows);
}

void Editor::draw(Canvas& canvas) {
  cursor_screen_.reset();
  const int width = canvas.width();
  const int height = canvas.height();
  if (width < 1 || height < 1) return;
  last_width_ = width;
  canvas.fill(options_.text_style);
  if (empty()) {
    if (!options_.placeholder.empty()) {
      canvas.put(0, 0, truncate_to_width(clean(options_.placeholder, false), width),
                 options_.placeholder_style);
    }
    cursor_screen_ = Point{canvas.area().x, canvas.area().y};
    return;
  }
  // The cursor's absolute wrapped row, to scroll it into view.
  int cursor_row = 0;
  for (std::size_t i = 0; i < cursor_.line; ++i) {
    cursor_row += static_cast<int>(rows_of(i, width).size());
  }
  const auto& crows = rows_of(cursor_.line, width);
  const std::size_t cri = row_index(crows, cursor_.byte);
  cursor_row += static_cast<int>(cri);
  int total_rows = cursor_row;
  for (std::size_t i = cursor_.line; i < lines_.size(); ++i) {
    total_rows += static_cast<int>(rows_of(i, width).size());
  }
  total_rows -= static_cast<int>(cri);
  if (cursor_row < scroll_) scroll_ = cursor_row;
  if (cursor_row >= scroll_ + height) scroll_ = cursor_row - height + 1;
  scroll_ =
      std::clamp(scroll_, 0, std::max(0, total_rows - height));  // no blank rows after a shrink
  drawn_ = canvas.area();
  // Draw the visible rows: find the first line on screen, then walk forward.
  int row = 0;
  std::size_t li = 0;
  while (li < lines_.size()) {
    int n = static_cast<int>(rows_of(li, width).size());
    if (row + n > scroll_) break;
    row += n;
    ++li;
  }
  for (; li < lines_.size() && row < scroll_ + height; ++li) {
    const Line& line = lines_[li];
    for (const Row& r : rows_of(li, width)) {
      if (row >= scroll_ + height) break;
      if (row >= scroll_) {
        int x = 0;
        const int y = row - scroll_;
        std::size_t pos = r.begin;
        while (pos < r.end) {
          std::size_t len = 0;
          int w = cluster_width(line.text, pos, &len);
          if (line.text[pos] == '\t') {
            x += w;
          } else {
            canvas.put_cluster(x, y, std::string_view(line.text).substr(pos, len),
                               options_.text_style);
            x += w;
          }
          pos += len;
        }
      }
      ++row;
    }
  }
  const int col = std::min(column_in(lines_[cursor_.line], crows[cri], cursor_.byte), width - 1);
  cursor_screen_ = Point{canvas.area().x + col, canvas.area().y + (cursor_row - scroll_)};
}

// ---- text -----------------------------------------------------------------------------------

std::string Editor::text() const {
  std::string out;
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    if (i) out.push_back('\n');
    out += lines_[i].text;
  }
  return out;
}

std::size_t Editor::cursor_offset() const noexcept {
  std::size_t off = 0;
  for (std::size_t i = 0; i < cursor_.line; ++i) off += lines_[i].text.size() + 1;
  return off + cursor_.byte;
}

void Editor::load_text(std::string_view text) {
  if (recording_ && !undo_.empty()) record(Change{0, this->text(), std::string(text)});
  lines_.clear();
  std::size_t start = 0;
  while (true) {
    std::size_t nl = text.find('\n', start);
    Line line;
    line.text = std::string(text.substr(start, nl == std::string_view::npos ? nl : nl - start));
    lines_.push_back(std::move(line));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  cursor_ = Pos{lines_.size() - 1, lines_.back().text.size()};
  scroll_ = 0;
  reset_goal();
}

void Editor::set_text(std::string_view text) {
  begin_edit(EditKind::Other);
  load_text(clean(text, options_.multiline));
}

void Editor::clear() {
  if (empty()) return;
  begin_edit(EditKind::Other);
  load_text("");
}

void Editor::insert(std::string_view text) {
  begin_edit(EditKind::Other);
  insert_raw(clean(text, options_.multiline));
}

// Inserts text known to be clean at the cursor: the cursor's line is split once and the new lines
// spliced in, so a paste of any size costs its own length plus one move of the line vector.
void Editor::insert_raw(std::string_view safe) {
  reset_goal();
  if (recording_) record(Change{cursor_offset(), {}, std::string(safe)});
  Line& cur = lines_[cursor_.line];
  std::size_t nl = safe.find('\n');
  if (nl == std::string_view::npos) {
    cur.text.insert(cursor_.byte, safe);
    cur.layout_width = -1;
    cursor_.byte += safe.size();
    return;
  }
  std::string tail = cur.text.substr(cursor_.byte);
  cur.text.erase(cursor_.byte);
  cur.text.append(safe.substr(0, nl));
  cur.layout_width = -1;
  std::vector<Line> added;
  std::size_t start = nl + 1;
  while (true) {
    std::size_t next = safe.find('\n', start);
    Line l;
    l.text = std::string(safe.substr(start, next == std::string_view::npos ? next : next - start));
    added.push_back(std::move(l));
    if (next == std::string_view::npos) break;
    start = next + 1;
  }
  const std::size_t last_len = added.back().text.size();
  added.back().text += tail;
  const std::size_t at = cursor_.line + 1;
  lines_.insert(lines_.begin() + static_cast<std::ptrdiff_t>(at),
                std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
  cursor_ = Pos{at + added.size() - 1, last_len};
}

std::string Editor::erase_range(Pos a, Pos b) {
  if (b < a) std::swap(a, b);
  reset_goal();
  std::string removed;
  if (a.line == b.line) {
    Line& l = lines_[a.line];
    removed = l.text.substr(a.byte, b.byte - a.byte);
    l.text.erase(a.byte, b.byte - a.byte);
    l.layout_width = -1;
  } else {
    removed = lines_[a.line].text.substr(a.byte);
    for (std::size_t i = a.line + 1; i < b.line; ++i) removed += "\n" + lines_[i].text;
    removed += "\n" + lines_[b.line].text.substr(0, b.byte);
    Line& first = lines_[a.line];
    first.text.erase(a.byte);
    first.text += lines_[b.line].text.substr(b.byte);
    first.layout_width = -1;
    lines_.erase(lines_.begin() + static_cast<std::ptrdiff_t>(a.line + 1),
                 lines_.begin() + static_cast<std::ptrdiff_t>(b.line + 1));
  }
  cursor_ = a;
  if (recording_) record(Change{cursor_offset(), removed, {}});
  return removed;
}

void Editor::kill(Pos a, Pos b) {
  if (a == b) return;
  begin_edit(EditKind::Other);
  kill_buffer_ = erase_range(a, b);
}

// ---- positions ------------------------------------------------------------------------------

Editor::Pos Editor::prev_pos(Pos p) const {
  if (p.byte == 0) return p.line == 0 ? p : Pos{p.line - 1, lines_[p.line - 1].text.size()};
  const std::string& t = lines_[p.line].text;
  std::size_t pos = 0, prev = 0;
  while (pos < p.byte) {
    prev = pos;
    pos += next_grapheme(t, pos).length;
  }
  return Pos{p.line, prev};
}

Editor::Pos Editor::next_pos(Pos p) const {
  const std::string& t = lines_[p.line].text;
  if (p.byte >= t.size()) return p.line + 1 < lines_.size() ? Pos{p.line + 1, 0} : p;
  return Pos{p.line, p.byte + next_grapheme(t, p.byte).length};
}

bool Editor::is_word_at(Pos p) const {
  const std::string& t = lines_[p.line].text;
  return p.byte < t.size() && word_byte(static_cast<unsigned char>(t[p.byte]));
}

Editor::Pos Editor::word_left(Pos p) const {
  // Skip what is not a word before the cursor, then the word.
  while (p != Pos{}) {
    Pos q = prev_pos(p);
    if (is_word_at(q)) break;
    p = q;
  }
  while (p != Pos{}) {
    Pos q = prev_pos(p);
    if (!is_word_at(q) || q.line != p.line) break;
    p = q;
  }
  return p;
}

Editor::Pos Editor::word_right(Pos p) const {
  const Pos end{lines_.size() - 1, lines_.back().text.size()};
  while (p != end && !is_word_at(p)) p = next_pos(p);
  while (p != end && is_word_at(p)) p = next_pos(p);
  return p;
}

bool Editor::is_space_before(Pos p) const {
  if (p.byte == 0) return true;
  char c = lines_[p.line].text[p.byte - 1];
  return c == ' ' || c == '\t';
}

// ---- undo ---------------------------------------------------------------------------------

void Editor::begin_edit(EditKind kind) {
  // A run of typing (or of deleting) is one step; anything else starts a step of its own.
  if (kind != EditKind::Other && kind == last_edit_ && !undo_.empty()) return;
  undo_.push_back(Group{{}, cursor_offset(), 0});
  if (undo_.size() > options_.undo_limit) undo_.erase(undo_.begin());
  redo_.clear();
  last_edit_ = kind;
}

void Editor::record(Change change) {
  if (!recording_ || undo_.empty()) return;
  auto& changes = undo_.back().changes;
  // Typing appends to the previous insert rather than keeping one change a character.
  if (!changes.empty() && change.removed.empty() && changes.back().removed.empty() &&
      changes.back().offset + changes.back().inserted.size() == change.offset) {
    changes.back().inserted += change.inserted;
    return;
  }
  changes.push_back(std::move(change));
}

Editor::Pos Editor::pos_of(std::size_t offset) const {
  for (std::size_t i = 0; i < lines_.size(); ++i) {
    if (offset <= lines_[i].text.size()) return Pos{i, offset};
    offset -= lines_[i].text.size() + 1;
  }
  return Pos{lines_.size() - 1, lines_.back().text.size()};
}

// Replaces `erase` bytes at `offset` with `insert`, unrecorded (undo and redo replaying).
void Editor::apply(std::size_t offset, std::size_t erase, std::string_view insert) {
  recording_ = false;
  const Pos a = pos_of(offset);
  if (erase) erase_range(a, pos_of(offset + erase));
  cursor_ = a;
  if (!insert.empty()) insert_raw(insert);
  recording_ = true;
}

bool Editor::undo() {
  if (undo_.empty()) return false;
  Group g = std::move(undo_.back());
  undo_.pop_back();
  g.cursor_after = cursor_offset();
  for (auto c = g.changes.rbegin(); c != g.changes.rend(); ++c) {
    apply(c->offset, c->inserted.size(), c->removed);
  }
  cursor_ = pos_of(g.cursor_before);
  redo_.push_back(std::move(g));
  last_edit_ = EditKind::None;
  reset_goal();
  return true;
}

bool Editor::redo() {
  if (redo_.empty()) return false;
  Group g = std::move(redo_.back());
  redo_.pop_back();
  for (const Change& c : g.changes) apply(c.offset, c.removed.size(), c.inserted);
  cursor_ = pos_of(g.cursor_after);
  undo_.push_back(std::move(g));
  last_edit_ = EditKind::None;
  reset_goal();
  return true;
}

// ---- history --------------------------------------------------------------------------------

void Editor::add_history(std::string entry) {
  if (entry.empty()) return;
  if (history_.empty() || history_.back() != entry) history_.push_back(std::move(entry));
  if (history_.size() > options_.history_limit) history_.erase(history_.begin());
  history_index_ = history_.size();
}

bool Editor::recall_history(int delta) {
  if (history_.empty()) return false;
  if (delta < 0 && history_index_ == 0) return false;
  if (delta > 0 && history_index_ >= history_.size()) return false;
  if (history_index_ == history_.size()) draft_ = text();
  history_index_ = static_cast<std::size_t>(static_cast<long>(history_index_) + delta);
  // Recalling replaces the text as one undoable step.
  begin_edit(EditKind::Other);
  load_text(history_index_ == history_.size() ? draft_ : history_[history_index_]);
  last_edit_ = EditKind::None;
  return true;
}

// ---- moving ---------------------------------------------------------------------------------

void Editor::move_vertical(int delta) {
  const int width = std::max(1, last_width_);
  const auto& rows = rows_of(cursor_.line, width);
  std::size_t ri = row_index(rows, cursor_.byte);
  if (!goal_column_) goal_column_ = column_in(lines_[cursor_.line], rows[ri], cursor_.byte);
  const int goal = *goal_column_;
  std::size_t line = cursor_.line;
  if (delta < 0) {
    if (ri > 0) {
      --ri;
    } else {
      --line;
      ri = rows_of(line, width).size() - 1;
    }
  } else {
    if (ri + 1 < rows.size()) {
      ++ri;
    } else {
      ++line;
      ri = 0;
    }
  }
  const auto& target = rows_of(line, width);
  cursor_ = Pos{line, byte_at_column(lines_[line], target[ri], goal)};
}

EditorOutcome Editor::handle(const InputEvent& event) {
  using K = EditorOutcome::Kind;
  if (const auto* t = std::get_if<TextEvent>(&event)) {
    if (history_index_ != history_.size()) history_index_ = history_.size();
    begin_edit(EditKind::Typing);
    insert_raw(clean(t->text, options_.multiline));
    return {K::Handled, {}};
  }
  if (const auto* p = std::get_if<PasteEvent>(&event)) {
    begin_edit(EditKind::Other);
    insert_raw(clean(p->text, options_.multiline));
    last_edit_ = EditKind::None;
    return {K::Handled, {}};
  }
  if (const auto* k = std::get_if<KeyEvent>(&event)) return handle_key(*k);
  if (const auto* m = std::get_if<MouseEvent>(&event)) {
    // A left click on the text puts the cursor there.
    if (m->action != MouseAction::Press || m->button != MouseButton::Left ||
        !drawn_.contains(m->x, m->y)) {
      return {K::Ignored, {}};
    }
    int target = scroll_ + (m->y - drawn_.y);
    for (std::size_t li = 0; li < lines_.size(); ++li) {
      const auto& rows = rows_of(li, drawn_.width);
      if (target < static_cast<int>(rows.size())) {
        cursor_ = Pos{li, byte_at_column(lines_[li], rows[static_cast<std::size_t>(target)],
                                         m->x - drawn_.x)};
        last_edit_ = EditKind::None;
        reset_goal();
        return {K::Handled, {}};
      }
      target -= static_cast<int>(rows.size());
    }
    cursor_ = Pos{lines_.size() - 1, lines_.back().text.size()};  // below the text: its end
    reset_goal();
    return {K::Handled, {}};
  }
  return {K::Ignored, {}};
}

EditorOutcome Editor::handle_key(const KeyEvent& k) {
  using K = EditorOutcome::Kind;
  const EditorOutcome handled{K::Handled, {}};
  const bool ctrl = has(k.mods, Mod::Ctrl), alt = has(k.mods, Mod::Alt);
  const bool newline_key =
      (k.key == Key::Enter && alt) || is_ctrl(k, U'j') || (k.key == Key::Enter && ctrl);
  const bool plain_enter = k.key == Key::Enter && !alt && !ctrl;
  const bool submit = options_.enter_submits ? plain_enter : newline_key;
  const bool newline = options_.enter_submits ? newline_key : plain_enter;
  if (submit) {
    if (empty()) return {K::Ignored, {}};
    std::string t = text();
    add_history(t);
    undo_.clear();
    redo_.clear();
    last_edit_ = EditKind::None;
    load_text("");
    draft_.clear();
    return {K::Submitted, std::move(t)};
  }
  if (newline) {
    if (!options_.multiline) return {K::Ignored, {}};
    begin_edit(EditKind::Other);
    insert_raw("\n");
    return handled;
  }
  const Pos end{lines_.size() - 1, lines_.back().text.size()};
  const auto move_to = [&](Pos p) {
    cursor_ = p;
    last_edit_ = EditKind::None;
    reset_goal();
    return handled;
  };
  switch (k.key) {
    case Key::Left: return move_to(ctrl || alt ? word_left(cursor_) : prev_pos(cursor_));
    case Key::Right: return move_to(ctrl || alt ? word_right(cursor_) : next_pos(cursor_));
    case Key::Home: return move_to(ctrl ? Pos{} : Pos{cursor_.line, 0});
    case Key::End: return move_to(ctrl ? end : Pos{cursor_.line, lines_[cursor_.line].text.size()});
    case Key::Up:
    case Key::Down: {
      const int delta = k.key == Key::Up ? -1 : 1;
      const auto& rows = rows_of(cursor_.line, std::max(1, last_width_));
      const std::size_t ri = row_index(rows, cursor_.byte);
      const bool first_row = cursor_.line == 0 && ri == 0;
      const bool last_row = cursor_.line + 1 == lines_.size() && ri + 1 == rows.size();
      last_edit_ = EditKind::None;
      if ((delta < 0 && first_row) || (delta > 0 && last_row)) {
        if (!options_.multiline && history_.empty()) return {K::Ignored, {}};
        return recall_history(delta) ? handled : EditorOutcome{K::Ignored, {}};
      }
      move_vertical(delta);
      return handled;
    }
    case Key::Backspace: {
      if (ctrl || alt) {
        kill(word_left(cursor_), cursor_);
        return handled;
      }
      if (cursor_ == Pos{}) return handled;
      begin_edit(EditKind::Deleting);
      erase_range(prev_pos(cursor_), cursor_);
      return handled;
    }
    case Key::Delete: {
      if (cursor_ == end) return handled;
      begin_edit(EditKind::Deleting);
      erase_range(cursor_, next_pos(cursor_));
      return handled;
    }
    case Key::Char: break;
    default: return {K::Ignored, {}};
  }
  // Ctrl and Alt letters.
  if (is_ctrl(k, U'a')) return move_to(Pos{cursor_.line, 0});
  if (is_ctrl(k, U'e')) return move_to(Pos{cursor_.line, lines_[cursor_.line].text.size()});
  if (is_ctrl(k, U'b')) return move_to(prev_pos(cursor_));
  if (is_ctrl(k, U'f')) return move_to(next_pos(cursor_));
  if (is_alt(k, U'b')) return move_to(word_left(cursor_));
  if (is_alt(k, U'f')) return move_to(word_right(cursor_));
  if (is_ctrl(k, U'u')) {
    kill(Pos{cursor_.line, 0}, cursor_);
    return handled;
  }
  if (is_ctrl(k, U'k')) {
    const std::size_t len = lines_[cursor_.line].text.size();
    kill(cursor_, cursor_.byte < len ? Pos{cursor_.line, len} : next_pos(cursor_));
    return handled;
  }
  if (is_ctrl(k, U'w')) {
    // Back to the previous whitespace, as a shell does.
    Pos p = cursor_;
    while (p != Pos{} && p.byte > 0 && is_space_before(p)) p = prev_pos(p);
    while (p.byte > 0 && !is_space_before(p)) p = prev_pos(p);
    if (p == cursor_ && p != Pos{}) p = prev_pos(p);  // at a line start: the newline
    kill(p, cursor_);
    return handled;
  }
  if (is_alt(k, U'd')) {
    kill(cursor_, word_right(cursor_));
    return handled;
  }
  if (is_ctrl(k, U'y')) {
    if (kill_buffer_.empty()) return handled;
    begin_edit(EditKind::Other);
    insert_raw(kill_buffer_);
    return handled;
  }
  if (is_ctrl(k, U'_') || is_ctrl(k, U'/') || is_alt(k, U'u')) {
    undo();
    return handled;
  }
  if (is_alt(k, U'_') || is_alt(k, U'/') || is_alt(k, U'r')) {
    redo();
    return handled;
  }
  return {K::Ignored, {}};
}

// ---- QueuedList -----------------------------------------------------------------------------

std::optional<std::size_t> QueuedList::handle(const InputEvent& event) const {
  const auto* m = std::get_if<MouseEvent>(&event);
  if (!m || m->action != MouseAction::Press || m->button != MouseButton::Left) return {};
  for (std::size_t i = 0; i < cancel_areas_.size(); ++i) {
    if (cancel_areas_[i].contains(m->x, m->y)) return i;
  }
  return {};
}

void QueuedList::draw(Canvas& canvas) {
  cancel_areas_.assign(items_.size(), Rect{});
  canvas.fill();
  const Style chip = Style{}.with(Attr::Dim);
  const Style mark = Style{}.with_fg(colors::red);
  const std::string label = "\u23F3 queued: ";  // ⏳
  for (std::size_t i = 0; i < items_.size() && static_cast<int>(i) < canvas.height(); ++i) {
    const int y = static_cast<int>(i);
    const int label_w = static_cast<int>(display_width(label));
    const int room = canvas.width() - label_w - 2;
    if (room < 1) continue;
    std::string one_line = sanitize(items_[i]).text;
    std::replace(one_line.begin(), one_line.end(), '\n', ' ');
    std::replace(one_line.begin(), one_line.end(), '\t', ' ');
    int x = canvas.put(0, y, label, chip);
    x = canvas.put(x, y, truncate_to_width(one_line, room), chip);
    x += 1;
    canvas.put(x, y, "\u2715", mark);  // ✕
    const Rect a = canvas.area();
    cancel_areas_[i] = Rect{a.x + x, a.y + y, 1, 1};
  }
}

}  // namespace aui::tui
