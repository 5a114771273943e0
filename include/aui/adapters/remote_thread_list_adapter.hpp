#pragma once
// RemoteThreadListAdapter: where the list of threads is kept (spec §14.3, §14.13).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "aui/model/json.hpp"
#include "aui/tree/message_repository.hpp"

namespace aui {

/// A thread's status in the list (spec §14.4). `New` is a draft that exists only locally.
enum class ThreadStatus { New, Regular, Archived };

std::string_view to_string(ThreadStatus status) noexcept;

/// A thread as the adapter knows it (spec §14.3 RemoteThreadMetadata).
struct RemoteThreadMetadata {
  ThreadStatus status = ThreadStatus::Regular;  // Regular or Archived
  std::string remote_id{};
  std::optional<std::string> external_id{};
  std::optional<std::string> title{};
  std::optional<Timestamp> last_message_at{};
  std::optional<Json> custom{};  // an object
};

/// One page of list() (newest first). No cursor, or an empty one, = no more pages.
struct RemoteThreadListPage {
  std::vector<RemoteThreadMetadata> threads{};
  std::optional<std::string> next_cursor{};
};

/// What initialize() returns.
struct RemoteThreadInitializeResult {
  std::string remote_id{};
  std::optional<std::string> external_id{};
};

/// Receives the cumulative title while a title is generated; returns false to stop.
using TitleSink = std::function<bool(const std::string& title_so_far)>;

/// Keeps the list of threads. Every call runs on a worker thread and may block; an exception
/// fails that call (an aui::Error of kind ThreadNotFound when a thread is unknown). Mutating calls
/// receive the remote id, except initialize(), which receives the draft's local id.
class RemoteThreadListAdapter {
 public:
  virtual ~RemoteThreadListAdapter() = default;

  /// A page of threads, newest first; `after` is the cursor of the previous page.
  virtual RemoteThreadListPage list(const std::optional<std::string>& after) = 0;
  /// Creates the thread remotely for a draft.
  virtual RemoteThreadInitializeResult initialize(const std::string& local_thread_id) = 0;
  virtual void rename(const std::string& remote_id, const std::string& new_title) = 0;
  virtual bool has_update_custom() const { return false; }
  /// Replaces the thread's custom metadata (nullopt clears it).
  virtual void update_custom(const std::string& remote_id, const std::optional<Json>& custom);
  virtual void archive(const std::string& remote_id) = 0;
  virtual void unarchive(const std::string& remote_id) = 0;
  virtual void remove(const std::string& remote_id) = 0;  // `delete` in the spec
  /// Generates a title from the messages, reporting the cumulative text to `sink`. The default
  /// produces no title.
  virtual void generate_title(const std::string& remote_id, const MessageList& messages,
                              const TitleSink& sink);
  /// A thread that is not in the loaded pages, by remote (or local) id. ThreadNotFound.
  virtual RemoteThreadMetadata fetch(const std::string& thread_id) = 0;
};

}  // namespace aui
