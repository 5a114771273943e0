#pragma once
// ThreadListRuntime: the list of threads of an application — a draft, the threads it keeps
// through a RemoteThreadListAdapter, one ThreadRuntime per opened thread, and which one is shown
// (spec §14).

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aui/adapters/remote_thread_list_adapter.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/completion.hpp"
#include "aui/support/subscription.hpp"

namespace aui {

namespace detail {
struct ThreadListImpl;  // src/core/runtime/thread_list_impl.hpp
}

/// One thread of the list as readers see it (spec §14.4).
struct ThreadListItem {
  /// The local id, fixed for the life of the item: "__LOCALID_…" for a thread created here, the
  /// remote id for one that came from list() or fetch().
  std::string id{};
  std::optional<std::string> remote_id{};  // known once initialised
  std::optional<std::string> external_id{};
  ThreadStatus status = ThreadStatus::New;
  std::optional<std::string> title{};
  std::optional<Timestamp> last_message_at{};
  std::optional<Json> custom{};
  bool is_main = false;     // it is the thread shown
  bool is_running = false;  // its runtime is running (runs go on in the background)
};

/// Gives each thread its own adapters (its history, attachments, …) when its runtime starts.
using ThreadAdaptersFactory = std::function<ThreadAdapters(const ThreadListItem&)>;

/// Configuration of a thread list.
struct ThreadListRuntimeOptions {
  /// What every thread runtime is made from: the run function, the dispatcher (required), the
  /// executor (also used for the list adapter), tools settings, queue, on_error. Its
  /// initial_messages go to the first thread only.
  ThreadRuntimeOptions thread{};
  /// Where the list is kept; nullptr = the in-memory adapter (spec §14.13).
  std::shared_ptr<RemoteThreadListAdapter> adapter{};
  /// Per-thread adapters; unset = every thread gets `thread.adapters`.
  ThreadAdaptersFactory adapters_for{};
  /// Called with the remote id of the main thread whenever it changes (spec §14.11): not at
  /// start, once when the draft is initialised, on every switch to another thread, with nullopt
  /// on a switch to a draft. Never with a local id, never twice in a row with the same value.
  std::function<void(const std::optional<std::string>&)> on_thread_id_change{};
  /// Opened once at start instead of the draft (the deprecated initialThreadId).
  std::optional<std::string> initial_thread_id{};
  /// Called after a thread's runtime was created (e.g. to register tools). The list then loads
  /// the thread's history (ThreadRuntime::load_history) unless it is the draft.
  std::function<void(ThreadRuntime&, const ThreadListItem&)> on_thread_started{};
};

/// Options of switch_to_thread().
struct SwitchOptions {
  /// Opening an archived thread unarchives it (true) or shows it while it stays archived.
  bool unarchive = true;
};

/// The multi-thread list (spec §14.2–§14.14), or with single() the single-thread list of spec
/// §14.1. Owner thread only, like the thread runtimes it holds: adapter calls run on workers and
/// their results come back through the dispatcher.
///
/// Every mutation (rename, archive, …) shows its effect at once and rolls it back if the adapter
/// fails; overlapping mutations land in the order they were made. Every operation that names a
/// thread accepts its local id or its remote id.
class ThreadListRuntime {
 public:
  /// A multi-thread list. Starts with a draft as the main thread and starts loading the list.
  explicit ThreadListRuntime(ThreadListRuntimeOptions options);
  /// The single-thread list: one thread "__DEFAULT_ID__"; every list operation fails
  /// Unsupported; the model adapter sees no thread id.
  static std::unique_ptr<ThreadListRuntime> single(ThreadRuntimeOptions options);
  ~ThreadListRuntime();  // detaches every thread runtime (their runs are cancelled)
  ThreadListRuntime(const ThreadListRuntime&) = delete;
  ThreadListRuntime& operator=(const ThreadListRuntime&) = delete;

  // ---- state (spec §14.4, §14.5) ----
  /// True from construction until the first list() completes (and while a reload runs).
  bool is_loading() const noexcept;
  bool is_loading_more() const noexcept;
  /// A further page can be loaded with load_more().
  bool has_more() const noexcept;
  /// Regular threads, newest first (ids as ThreadListItem::id).
  std::vector<std::string> thread_ids() const;
  std::vector<std::string> archived_thread_ids() const;
  /// The draft, if there is one.
  std::optional<std::string> new_thread_id() const;
  /// The thread shown.
  std::string main_thread_id() const;
  /// An item by local or remote id; nullopt when the list does not hold it.
  std::optional<ThreadListItem> item(const std::string& id_or_remote_id) const;
  /// The main thread's runtime (always started).
  ThreadRuntime& main_thread();
  /// A thread's runtime if it is started, else nullptr.
  ThreadRuntime* thread(const std::string& id_or_remote_id);
  /// Number of items (every lane, the draft included).
  std::size_t size() const noexcept;

  // ---- loading (spec §14.5) ----
  /// The first load (started at construction); the same completion until it fails or reload().
  Completion load_threads();
  /// The next page; no-op without one or while the first load runs; concurrent calls share one
  /// request.
  Completion load_more();
  /// Refetches from the first page; responses of superseded loads are ignored.
  Completion reload();

  // ---- switching (spec §14.6) ----
  /// Makes a thread the main thread, fetching it first when the list does not hold it. The latest
  /// switch wins. ThreadNotFound (from the adapter's fetch).
  Completion switch_to_thread(const std::string& id_or_remote_id, SwitchOptions options = {});
  /// Makes the draft the main thread, creating one when there is none.
  Completion switch_to_new_thread();

  // ---- initialisation (spec §14.7) ----
  /// Creates the thread remotely if it is the draft (it becomes regular at once, and new again
  /// if the adapter fails); for other threads it waits for an initialisation in flight.
  /// ThreadNotFound, ThreadStatus.
  Completion initialize(const std::string& id_or_remote_id);

  // ---- mutations (spec §14.8) ----
  /// ThreadNotFound; ThreadStatus for a draft.
  Completion rename(const std::string& id, const std::string& title);
  /// As rename; Unsupported when the adapter cannot update custom metadata.
  Completion update_custom(const std::string& id, std::optional<Json> custom);
  /// A regular thread; the main thread is left for the draft first.
  Completion archive(const std::string& id);
  /// An archived thread.
  Completion unarchive(const std::string& id);
  /// `delete` in the spec: a regular or archived thread leaves the list; its runtime is stopped.
  Completion remove(const std::string& id);
  /// A regular or archived thread's runtime is stopped (nothing is sent to the adapter).
  Completion detach(const std::string& id);

  // ---- titles (spec §14.9) ----
  /// Asks the adapter for a title from the thread's settled messages. ThreadNotFound,
  /// ThreadStatus.
  Completion generate_title(const std::string& id);

  // ---- the rest (spec §14.10–§14.12) ----
  /// Recreates the main thread's runtime (fresh state); no-op for a draft.
  Completion reload_main_thread();
  /// The controlled thread id: switches to that thread, or to a draft for nullopt, without
  /// echoing it through on_thread_id_change.
  Completion set_thread_id(const std::optional<std::string>& remote_id);
  /// Replaces the list adapter: the list reloads through it; threads it does not list are
  /// dropped (an unsent draft survives). Mutations in flight fail AdapterChanged.
  void set_adapter(std::shared_ptr<RemoteThreadListAdapter> adapter);

  /// Called after the list state changed (an item, a lane, the main thread, loading flags, an
  /// item crossing running/not running), on the owner thread.
  [[nodiscard]] Subscription subscribe(std::function<void()> on_change);

 private:
  explicit ThreadListRuntime(std::shared_ptr<detail::ThreadListImpl> impl);
  std::shared_ptr<detail::ThreadListImpl> impl_;
};

/// The in-memory list adapter (spec §14.13): lists nothing, initialize(id) → remote id = id,
/// mutations succeed, no titles, fetch fails ThreadNotFound. Threads live only in memory.
class InMemoryThreadListAdapter : public RemoteThreadListAdapter {
 public:
  RemoteThreadListPage list(const std::optional<std::string>& after) override;
  RemoteThreadInitializeResult initialize(const std::string& local_thread_id) override;
  void rename(const std::string& remote_id, const std::string& new_title) override;
  bool has_update_custom() const override { return true; }
  void update_custom(const std::string& remote_id, const std::optional<Json>& custom) override;
  void archive(const std::string& remote_id) override;
  void unarchive(const std::string& remote_id) override;
  void remove(const std::string& remote_id) override;
  RemoteThreadMetadata fetch(const std::string& thread_id) override;
};

}  // namespace aui
