#pragma once
// aui-chat's thread commands: /threads, /new, /switch N, /rename TEXT, /archive, /delete,
// /search TEXT — over the runtime's thread list and, when it has one, the
// store that keeps the threads across restarts.

#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "aui/adapters/thread_store.hpp"
#include "aui/runtime/thread_list_runtime.hpp"
#include "save_status.hpp"

namespace aui::chat {

/// The thread commands of the chat. Owner thread only. Store calls (search) run on a worker.
class ChatThreads {
 public:
  /// `store` may be null (threads in memory only: no /search).
  ChatThreads(ThreadListRuntime& list, std::shared_ptr<ThreadStore> store, std::ostream& out);
  ChatThreads(const ChatThreads&) = delete;
  ChatThreads& operator=(const ChatThreads&) = delete;
  ~ChatThreads();

  /// Whether `command` (e.g. "/threads") is one of these.
  static bool handles(const std::string& command);
  /// The lines of /help for these commands.
  static const char* help();

  /// Runs a command with the rest of its line. `show` is called with the thread to show when the
  /// main thread changed; `done(error)` once the command has finished (error empty on success).
  void run(const std::string& command, const std::string& args,
           const std::function<void(ThreadRuntime&)>& show,
           std::function<void(const std::string& error)> done);

  /// The store's full-text search (substring matches), after reading the list again: `done`
  /// gets the ids of the threads with hits, best first (or an error). For the sidebar's search.
  void find_threads(
      const std::string& query,
      std::function<void(std::vector<std::string> ids, const std::string& error)> done);

  /// The threads in the order /threads lists them: regular threads newest first, then archived
  /// ones.
  std::vector<std::string> listing() const;

  /// A thread's number: /threads shows it, /switch and /unarchive take it. It stays the thread's
  /// for its life — a reply, a switch, an archive or a restart does not change it — because it is
  /// kept with the thread in the store (its custom metadata); threads get the next free number in
  /// the order they were last active, the first time they are listed. nullopt for a thread not in
  /// the list, or a new thread that holds no message yet.
  std::optional<long> number_of(const std::string& id);
  /// The number of the most recently active regular thread — what a restart reopens — if any.
  std::optional<long> latest_number();
  /// The number of every listed thread that has one (numbering those that have none).
  std::map<std::string, long> numbers();
  /// The thread that has number `n`, if any.
  std::optional<std::string> numbered(long n);

  /// Why threads cannot be saved at all (the store failed to open, or its list cannot be read):
  /// /threads says so instead of "no saved threads yet". Empty: no such problem.
  void set_store_problem(std::string problem) { store_problem_ = std::move(problem); }
  /// Where /threads learns which threads are not saved (marked [not saved]); may be null.
  void set_save_status(std::shared_ptr<SaveStatus> status) { save_status_ = std::move(status); }

 private:
  std::string describe(const std::string& id) const;
  /// Gives a number to each listed thread that has none (or shares one with another thread, which
  /// two processes numbering at once can cause) and saves it with the thread.
  void number_threads();
  /// The number a thread's custom metadata holds, if any.
  std::optional<long> stored_number(const std::string& id) const;
  /// The number a thread has now (none given yet: nullopt).
  std::optional<long> current_number(const std::string& id) const;
  /// The thread numbered `number` (the argument of `command`); otherwise reports why not
  /// through `done` and returns nullopt.
  std::optional<std::string> thread_for(const std::string& number, const std::string& command,
                                        const std::function<void(const std::string& error)>& done);
  void list_threads();
  void search(const std::string& args, const std::function<void(const std::string& error)>& done);
  /// The store's title of each hit's thread (null: untitled), for threads the list does not know.
  using SearchTitles = std::map<std::string, std::optional<std::string>>;
  void search_hits(
      const std::string& query, std::size_t limit,
      std::function<void(std::vector<ThreadSearchHit>, SearchTitles, std::exception_ptr)> done);
  void import_thread(const std::string& path, const std::function<void(ThreadRuntime&)>& show,
                     const std::function<void(const std::string& error)>& done);
  ThreadListRuntime& list_;
  std::shared_ptr<ThreadStore> store_;
  std::ostream& out_;
  std::string store_problem_;
  std::shared_ptr<SaveStatus> save_status_;
  /// The numbers this process gave, which count before their write to the store has finished
  /// (or when it failed: the number holds for this session).
  std::map<std::string, long> given_numbers_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aui::chat

namespace aui::chat {

/// A thread list adapter that counts the calls in progress, so that the chat can let them finish
/// before the process exits (a rename or a title must not be cut off by /quit).
class TrackedThreadList final : public RemoteThreadListAdapter {
 public:
  /// `on_failure` (may be empty) hears, on the calling worker, each call that failed with a
  /// Storage error: what failed and why. The error still reaches the caller.
  explicit TrackedThreadList(
      std::shared_ptr<RemoteThreadListAdapter> inner,
      std::function<void(const std::string& what, const std::string& why)> on_failure = {})
      : inner_(std::move(inner)), on_failure_(std::move(on_failure)) {}
  /// Waits until no call is in progress, at most `timeout`; false when it ran out.
  bool wait_idle(std::chrono::milliseconds timeout);

  RemoteThreadListPage list(const std::optional<std::string>& after) override;
  RemoteThreadInitializeResult initialize(const std::string& local_thread_id) override;
  void rename(const std::string& remote_id, const std::string& new_title) override;
  bool has_update_custom() const override { return inner_->has_update_custom(); }
  void update_custom(const std::string& remote_id, const std::optional<Json>& custom) override;
  void archive(const std::string& remote_id) override;
  void unarchive(const std::string& remote_id) override;
  void remove(const std::string& remote_id) override;
  void generate_title(const std::string& remote_id, const MessageList& messages,
                      const TitleSink& sink) override;
  RemoteThreadMetadata fetch(const std::string& thread_id) override;

 private:
  template <class F>
  decltype(auto) track(const char* what, F&& f);
  std::shared_ptr<RemoteThreadListAdapter> inner_;
  std::function<void(const std::string& what, const std::string& why)> on_failure_;
  std::mutex mutex_;
  std::condition_variable idle_;
  int in_flight_ = 0;
};

}  // namespace aui::chat
