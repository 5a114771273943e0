#pragma once
// The thread sidebar: the list of threads with a search field, selection by keys and mouse, and
// the actions on a thread (open, new, rename inline, archive/unarchive, delete after a
// confirmation in the sidebar itself). It reports what the user asked for; the program does it
// (and gives the sidebar the new list).

#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "aui/tui/editor.hpp"
#include "aui/tui/input.hpp"
#include "aui/tui/screen.hpp"

namespace aui::tui {

/// One thread as the sidebar shows it. The title is untrusted.
struct ThreadEntry {
  std::string id;
  std::string title;
  bool running = false;
  bool archived = false;
  /// The number the app gives the thread (shown before its title), if it numbers threads.
  std::optional<long> number{};
};

/// What the sidebar made of an event.
struct SidebarOutcome {
  enum class Kind : unsigned char {
    Ignored,
    Handled,
    Open,       // thread_id
    New,        // a new thread
    Rename,     // thread_id, text = the new title (not empty)
    Archive,    // thread_id
    Unarchive,  // thread_id
    Delete,     // thread_id, after the user confirmed
    Search,     // text = the query (as typed): the program may run a full-text search and
                // call set_search_hits()
    Close,      // Esc with nothing to cancel: the program hides the sidebar
  };
  Kind kind = Kind::Ignored;
  std::string thread_id;
  std::string text;
};

/// A thread list for 10,000 threads and more: filtering is one pass over the titles, and draw()
/// lays out only the rows on screen.
///
/// Keys while browsing: Up/Down, PgUp/PgDn, Home/End select; Enter opens; n new; r or F2
/// renames (inline; Enter keeps, Esc cancels); a archives or unarchives; d or Delete asks
/// "Delete …? y/n" on the row (y deletes, any other key keeps it); / or any other typing goes
/// to the search field; Esc clears the search, or closes. In the search field, Up/Down/Enter
/// still select and open, Esc leaves it. Mouse: a click selects a row, a click on the selected
/// row opens it, the wheel scrolls.
class ThreadSidebar {
 public:
  ThreadSidebar();

  /// Replaces the list (the selection stays on the same thread id when it is still there).
  void set_threads(std::vector<ThreadEntry> threads);
  /// Ids that match the current query by their content (the store's full-text search); shown
  /// with the title matches. nullopt: titles only.
  void set_search_hits(std::optional<std::vector<std::string>> ids);

  SidebarOutcome handle(const InputEvent& event);
  /// Row 0: the search field; row 1: a rule; then the threads.
  void draw(Canvas& canvas);
  /// The terminal cursor (in the search field or the rename field when one is being edited).
  std::optional<Point> cursor_position() const { return cursor_; }

  std::string query() const { return search_.text(); }
  /// The selected thread's id, if any thread is shown.
  std::optional<std::string> selected_id() const;
  /// Indices into the list given to set_threads() of the threads shown, in order.
  const std::vector<std::size_t>& visible() const noexcept { return filtered_; }
  /// Selects the thread with `id` (when it is shown).
  void select(const std::string& id);
  bool confirming_delete() const noexcept { return mode_ == Mode::ConfirmDelete; }
  bool renaming() const noexcept { return mode_ == Mode::Rename; }

 private:
  enum class Mode : unsigned char { Browse, Search, Rename, ConfirmDelete };
  void refilter();
  void move_selection(long delta);
  SidebarOutcome handle_browse_key(const KeyEvent& k);
  SidebarOutcome selected_action(SidebarOutcome::Kind kind);

  std::vector<ThreadEntry> threads_;
  std::vector<std::string> folded_titles_;  // titles in ASCII lower case, for filtering
  std::optional<std::unordered_set<std::string>> hits_;
  std::vector<std::size_t> filtered_;
  std::size_t selected_ = 0;  // index into filtered_
  int scroll_ = 0;            // first shown index into filtered_
  int list_rows_ = 10;        // rows of the list in the last draw (PgUp/PgDn)
  int list_top_ = 0;          // screen row of the first list row (mouse)
  int list_left_ = 0;
  int list_width_ = 0;
  Mode mode_ = Mode::Browse;
  Editor search_;
  Editor rename_;
  std::optional<Point> cursor_;
};

}  // namespace aui::tui
