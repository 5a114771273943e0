#pragma once
// A multi-line text input: the chat's message editor, and (single-line) the one-line fields of
// dialogs, the sidebar's search and the palette's filter.
//
// It edits by grapheme cluster (an emoji ZWJ sequence or a base with its marks is one step), wraps
// by display width, keeps undo/redo and an input history, and takes a bracketed paste as one edit.
// It never talks to a runtime: handle() reports what the user asked for (a submitted text) and the
// program decides what that means.
//
// Keys (Enter and the newline keys swap when EditorOptions::enter_submits is false):
//   Enter                      submit (the text is returned and the editor cleared)
//   Alt-Enter, Ctrl-J          insert a newline (Ctrl-Enter too where the terminal reports it)
//   Left/Right                 one grapheme cluster; Ctrl-/Alt-Left/Right (Alt-B/Alt-F) one word
//   Up/Down                    one wrapped row, keeping the display column; on the first row Up
//                              recalls the previous history entry, on the last row Down the next
//                              (the draft being typed is kept and comes back after the newest)
//   Home/End, Ctrl-A/Ctrl-E    start/end of the line; Ctrl-Home/Ctrl-End start/end of the text
//   Backspace/Delete           one grapheme cluster; Ctrl-Backspace, Alt-Backspace, Ctrl-W the
//                              word before the cursor; Alt-D the word after it
//   Ctrl-U / Ctrl-K            kill to the start / end of the line (at the end, the newline)
//   Ctrl-Y                     yank (insert) the text last killed
//   Ctrl-_ (Ctrl-/), Alt-U     undo — Ctrl-Z stays the terminal's suspend
//   Alt-_ (Alt-/), Alt-R       redo
// Typed text is grouped into one undo step per run of typing; a paste is one step. A left click
// on the text moves the cursor there. Tab, Esc, PgUp/PgDn and the rest are returned Ignored, for
// the program (completion, cancelling, scrolling).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aui/tui/input.hpp"
#include "aui/tui/screen.hpp"
#include "aui/tui/style.hpp"

namespace aui::tui {

/// How an Editor behaves and looks.
struct EditorOptions {
  /// true: Enter submits, Alt-Enter and Ctrl-J insert a newline. false: Enter inserts a newline,
  /// Alt-Enter and Ctrl-J submit.
  bool enter_submits = true;
  /// false: a one-line field; the newline keys do nothing and a pasted newline becomes a space.
  bool multiline = true;
  /// The most rows the editor asks for (preferred_height); past that it scrolls.
  int max_visible_rows = 8;
  /// Shown dimmed while the editor is empty.
  std::string placeholder;
  /// Entries kept in the input history, and undo steps kept.
  std::size_t history_limit = 200;
  std::size_t undo_limit = 200;
  /// Columns a tab takes on screen (the tab itself stays in the text).
  int tab_width = 4;
  Style text_style;
  Style placeholder_style = Style{}.with(Attr::Dim);
};

/// What an Editor made of an event.
struct EditorOutcome {
  enum class Kind : unsigned char {
    Ignored,    // not an editor key: the program may use it
    Handled,    // the text or the cursor changed, or the key did nothing here (redraw)
    Submitted,  // the user submitted `text` (the editor is empty again; the text is in history)
  };
  Kind kind = Kind::Ignored;
  std::string text;
};

/// A multi-line editor. Not thread-safe; the UI thread owns it.
class Editor {
 public:
  explicit Editor(EditorOptions options = {});

  /// Applies one input event.
  EditorOutcome handle(const InputEvent& event);

  /// Draws the visible rows into `canvas` (scrolling so the cursor shows) and remembers where the
  /// cursor is (cursor_position()).
  void draw(Canvas& canvas);

  /// The rows the editor wants at `width` columns: its wrapped rows, at least 1, at most
  /// max_visible_rows.
  int preferred_height(int width) const;

  /// Where the terminal's cursor should be after the last draw(), in screen coordinates; nullopt
  /// before the first draw or when the cursor row was not visible.
  std::optional<Point> cursor_position() const { return cursor_screen_; }

  /// The whole text, lines joined by "\n".
  std::string text() const;
  bool empty() const noexcept { return lines_.size() == 1 && lines_[0].text.empty(); }
  /// Replaces the text (an undoable edit) and puts the cursor at its end. Controls other than
  /// newline and tab are shown as visible replacements (sanitize.hpp).
  void set_text(std::string_view text);
  /// Empties the editor (an undoable edit).
  void clear();
  /// Inserts text at the cursor as one undoable edit (what a paste does).
  void insert(std::string_view text);

  /// The cursor as a byte offset into text().
  std::size_t cursor_offset() const noexcept;
  /// The cursor's line (0-based) and display column within that logical line.
  int cursor_line() const noexcept { return static_cast<int>(cursor_.line); }

  /// Adds an entry to the input history (Submitted does it for submitted texts); consecutive
  /// duplicates are kept once.
  void add_history(std::string entry);
  const std::vector<std::string>& history() const noexcept { return history_; }

  bool can_undo() const noexcept { return !undo_.empty(); }
  bool can_redo() const noexcept { return !redo_.empty(); }
  bool undo();
  bool redo();

  const EditorOptions& options() const noexcept { return options_; }
  void set_placeholder(std::string placeholder) { options_.placeholder = std::move(placeholder); }

 private:
  struct Pos {
    std::size_t line = 0;
    std::size_t byte = 0;
    friend bool operator==(const Pos&, const Pos&) = default;
    friend auto operator<=>(const Pos&, const Pos&) = default;
  };
  struct Row {
    std::size_t begin = 0;
    std::size_t end = 0;
    int width = 0;
  };
  struct Line {
    std::string text;
    // The wrapped rows at `layout_width`, computed when a frame needs them; an edit clears them.
    mutable std::vector<Row> rows;
    mutable int layout_width = -1;
  };
  // Undo keeps what each edit changed, not copies of the text, so a keystroke in a 100 kB text
  // costs its own bytes. Offsets are bytes into text().
  struct Change {
    std::size_t offset = 0;
    std::string removed;
    std::string inserted;
  };
  struct Group {
    std::vector<Change> changes;
    std::size_t cursor_before = 0;
    std::size_t cursor_after = 0;  // set when the group is undone, for redo
  };
  enum class EditKind : unsigned char { None, Typing, Deleting, Other };

  EditorOutcome handle_key(const KeyEvent& key);
  const std::vector<Row>& rows_of(std::size_t line, int width) const;
  int cluster_width(std::string_view text, std::size_t pos, std::size_t* length) const;
  // Where the cursor is among the rows of its line, and its column in that row.
  std::size_t row_index(const std::vector<Row>& rows, std::size_t byte) const;
  int column_in(const Line& line, const Row& row, std::size_t byte) const;
  std::size_t byte_at_column(const Line& line, const Row& row, int column) const;

  Pos prev_pos(Pos p) const;
  Pos next_pos(Pos p) const;
  Pos word_left(Pos p) const;
  Pos word_right(Pos p) const;
  bool is_word_at(Pos p) const;
  bool is_space_before(Pos p) const;

  void begin_edit(EditKind kind);
  void insert_raw(std::string_view safe_text);
  std::string erase_range(Pos a, Pos b);
  void kill(Pos a, Pos b);
  void load_text(std::string_view text);
  void record(Change change);
  Pos pos_of(std::size_t offset) const;
  void apply(std::size_t offset, std::size_t erase, std::string_view insert);
  void move_vertical(int delta);
  bool recall_history(int delta);
  void reset_goal() { goal_column_.reset(); }

  EditorOptions options_;
  std::vector<Line> lines_;
  Pos cursor_;
  std::optional<int> goal_column_;  // the column Up/Down aim for
  int last_width_ = 80;             // the width of the last draw (for Up/Down before a draw)
  int scroll_ = 0;                  // the first visible wrapped row
  std::optional<Point> cursor_screen_;
  Rect drawn_;  // where the text was drawn last (screen coordinates), for mouse clicks

  std::vector<Group> undo_, redo_;
  bool recording_ = true;
  EditKind last_edit_ = EditKind::None;
  std::string kill_buffer_;

  std::vector<std::string> history_;
  std::size_t history_index_ = 0;  // == history_.size() while editing the draft
  std::string draft_;
};

/// The messages waiting to be sent (typed while a reply runs), shown as a list of chips above the
/// editor, each with a cancel mark. A click on a mark reports that entry's index; the program
/// removes it.
class QueuedList {
 public:
  /// Replaces the entries (each shown on one row, cut to the width).
  void set_items(std::vector<std::string> items) { items_ = std::move(items); }
  const std::vector<std::string>& items() const noexcept { return items_; }
  /// Rows needed: one per entry.
  int preferred_height() const noexcept { return static_cast<int>(items_.size()); }

  /// A left click on an entry's "✕" returns its index; anything else nullopt.
  std::optional<std::size_t> handle(const InputEvent& event) const;
  /// Draws "⏳ queued: <text> ✕" per entry (the text sanitized and cut).
  void draw(Canvas& canvas);

 private:
  std::vector<std::string> items_;
  std::vector<Rect> cancel_areas_;  // screen coordinates of each ✕, from the last draw
};

}  // namespace aui::tui
