#pragma once
// aui-chat's view of whether its threads are saved: every history adapter of the store is
// wrapped so that each write's outcome reaches the chat (a failed save is said in the chat, not
// only on standard error), a thread whose save failed is marked unsaved, and its unsaved
// messages are written again with the next write until one succeeds.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "aui/adapters/thread_history_adapter.hpp"

namespace aui::chat {

/// Which threads are not saved, and why. The history adapters it makes run on workers and report
/// through `post` (the owner thread's dispatcher); everything else is owner thread only.
class SaveStatus : public std::enable_shared_from_this<SaveStatus> {
 public:
  enum class Event {
    Unsaved,     // a write of the thread failed: it is kept in memory only
    SavedAgain,  // a later write succeeded, the ones that failed included
    LoadFailed,  // the thread's stored messages cannot be read
    ListFailed,  // a change to the thread list (create, rename, archive, ...) failed
  };
  /// `thread` is the thread list's id of the thread (empty for ListFailed); `detail` says why.
  using Listener =
      std::function<void(Event event, const std::string& thread, const std::string& detail)>;
  using Post = std::function<void(std::function<void()>)>;

  /// How reports reach the owner thread; set before the first report. Thread-safe.
  void set_post(Post post);
  /// Called on the owner thread when a thread becomes unsaved (once per distinct reason, not
  /// once per failed checkpoint), is saved again, or another store failure happened.
  void set_listener(Listener listener) { listener_ = std::move(listener); }

  /// `history` of thread `thread`, watched: each failed write is reported (and rethrown, so the
  /// runtime sees it too) and kept to be written again before the next write of the thread.
  std::shared_ptr<ThreadHistoryAdapter> watch(std::shared_ptr<ThreadHistoryAdapter> history,
                                              std::string thread);

  /// Reports an outcome from any thread; the listener hears it on the owner thread.
  void report(Event event, std::string thread, std::string detail);

  /// Why the thread is not saved, or nullopt when it is (as far as its writes tell).
  std::optional<std::string> unsaved(const std::string& thread) const;

  /// The sentence the chat prints for an event.
  static std::string describe(Event event, const std::string& detail);

 private:
  void apply(Event event, const std::string& thread, const std::string& detail);

  mutable std::mutex mutex_;  // guards post_
  Post post_;
  Listener listener_;
  std::map<std::string, std::string> unsaved_;  // thread → why
};

/// An error's text for a person: without the "Storage: " kind prefix aui's errors carry.
std::string storage_error_text(const std::string& what);

}  // namespace aui::chat
