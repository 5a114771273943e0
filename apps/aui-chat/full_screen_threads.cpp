// The full-screen chat's thread sidebar: the list runtime's threads in a ThreadSidebar; opening,
// a new thread, renaming, archiving and deleting go through the line mode's thread commands
// when they are about the thread shown, and through the list runtime for the others.

#include <exception>
#include <string>
#include <vector>

#include "full_screen_app.hpp"
#include "user_errors.hpp"

namespace aui::chat {

void FullScreenChat::toggle_sidebar() {
  sidebar_shown_ = !sidebar_shown_;
  if (sidebar_shown_) {
    refresh_sidebar();
    sidebar_.select(rt_.threads().main_thread_id());
    focus_ = Focus::Sidebar;
    view_->focus(std::nullopt);
  } else if (focus_ == Focus::Sidebar) {
    focus_ = Focus::Editor;
  }
}

void FullScreenChat::refresh_sidebar() {
  std::vector<tui::ThreadEntry> entries;
  auto& list = rt_.threads();
  // The numbers /switch takes, so that the sidebar and the commands agree.
  const auto numbers = threads_.numbers();
  auto add = [&](const std::string& id) {
    const auto item = list.item(id);
    if (!item) return;
    const auto n = numbers.find(id);
    entries.push_back(
        tui::ThreadEntry{item->id, item->title.value_or(""), item->is_running,
                         item->status == ThreadStatus::Archived,
                         n == numbers.end() ? std::nullopt : std::optional<long>(n->second)});
  };
  for (const auto& id : list.thread_ids()) add(id);
  for (const auto& id : list.archived_thread_ids()) add(id);
  sidebar_.set_threads(std::move(entries));
}

void FullScreenChat::sidebar_search(const std::string& query) {
  if (query.empty()) {
    sidebar_.set_search_hits(std::nullopt);
    return;
  }
  // Titles filter as the user types (the sidebar's own); the store's full-text search adds the
  // threads whose messages match. An answer for an older query is dropped.
  threads_.find_threads(
      query, [this, alive = alive_, query](std::vector<std::string> ids, const std::string& error) {
        if (!*alive || sidebar_.query() != query) return;
        if (!error.empty()) {
          on_error(error);
          return;
        }
        sidebar_.set_search_hits(std::move(ids));
        loop_.request_frame();
      });
}

bool FullScreenChat::handle_sidebar(const tui::InputEvent& event) {
  const auto outcome = sidebar_.handle(event);
  using Kind = tui::SidebarOutcome::Kind;
  const std::string main = rt_.threads().main_thread_id();
  auto report_done = [this, alive = alive_](std::string success) {
    return [this, alive, success](std::exception_ptr failure) {
      if (!*alive) return;
      if (failure) return report(failure);
      say(success, std::chrono::seconds(3));
      refresh_sidebar();
      loop_.request_frame();
    };
  };
  switch (outcome.kind) {
    case Kind::Ignored: return false;
    case Kind::Handled: return true;
    case Kind::Open:
      if (outcome.thread_id != main) {
        if (const auto n = threads_.number_of(outcome.thread_id))
          command("/switch " + std::to_string(*n));
      }
      focus_ = Focus::Editor;
      return true;
    case Kind::New:
      command("/new");
      focus_ = Focus::Editor;
      return true;
    case Kind::Rename:
      if (outcome.thread_id == main) {
        command("/rename " + outcome.text);
      } else {
        rt_.threads().rename(outcome.thread_id, outcome.text).then(report_done("Renamed."));
      }
      return true;
    case Kind::Archive:
      if (outcome.thread_id == main) {
        command("/archive");
      } else {
        rt_.threads().archive(outcome.thread_id).then(report_done("Archived."));
      }
      return true;
    case Kind::Unarchive:
      rt_.threads().unarchive(outcome.thread_id).then(report_done("Unarchived."));
      return true;
    case Kind::Delete:
      if (outcome.thread_id == main) {
        command("/delete");
      } else {
        rt_.threads().remove(outcome.thread_id).then(report_done("Deleted."));
      }
      return true;
    case Kind::Search: sidebar_search(outcome.text); return true;
    case Kind::Close:
      sidebar_shown_ = false;
      focus_ = Focus::Editor;
      return true;
  }
  return true;
}

}  // namespace aui::chat
