#pragma once
// The private state of ThreadListRuntime (spec §14), shared by the files that each hold one of
// its jobs:
//
//   thread_list_runtime.cpp            the public entry points: preconditions, then a job below
//   thread_list_state.cpp              the list state, lookups, optimistic mutations with rollback
//   thread_list_threads.cpp            thread runtimes, initialisation, switching, thread ids
//   thread_list_loading.cpp            list pages, reloads, adapter replacement
//   thread_list_titles.cpp             automatic and requested titles
//   in_memory_thread_list_adapter.cpp  the in-memory RemoteThreadListAdapter (spec §14.13)
//
// Layout. Every item has a *slot*, a number fixed for the life of the list. The list state (what
// the optimistic engine transforms) holds the items by slot in a PersistentVector plus the two
// lanes as vectors of slots, so a copy of the state costs O(1) plus two small memcpys however
// many threads there are, and a mutation touches one item. What is not optimistic — the runtime
// of each slot, the id → slot index — lives beside it. Looking a thread up is one hash lookup,
// so switching costs the same with ten threads as with ten thousand.

#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "aui/runtime/optimistic_state.hpp"
#include "aui/runtime/thread_list_runtime.hpp"
#include "aui/support/errors.hpp"
#include "aui/support/owner_thread.hpp"
#include "aui/support/persistent_vector.hpp"
#include "runtime/listener_list.hpp"
#include "runtime/notifier.hpp"

namespace aui::detail {

using Slot = std::uint32_t;
inline constexpr const char* kDefaultThreadId = "__DEFAULT_ID__";
inline constexpr const char* kLocalIdPrefix = "__LOCALID_";

/// One item as the optimistic state holds it (ThreadListItem without what is not optimistic).
struct ItemData {
  std::string id;
  std::optional<std::string> remote_id;
  std::optional<std::string> external_id;
  ThreadStatus status = ThreadStatus::New;
  std::optional<std::string> title;
  std::optional<Timestamp> last_message_at;
  std::optional<Json> custom;
};
using ItemPtr = std::shared_ptr<const ItemData>;

struct ListState {
  PersistentVector<ItemPtr> items;  // by slot; null = not in the list (deleted, dropped)
  std::vector<Slot> regular;        // newest first
  std::vector<Slot> archived;
  std::optional<Slot> draft;
};
using ListUpdate = std::function<ListState(ListState)>;

/// `st` with the item in slot `s` changed by `f` (unchanged when the slot is empty meanwhile).
template <class F>
ListState with_item(ListState st, Slot s, F&& f) {
  if (s >= st.items.size() || !st.items[s]) return st;  // gone meanwhile: nothing to change
  auto copy = std::make_shared<ItemData>(*st.items[s]);
  f(*copy);
  st.items = st.items.set(s, std::move(copy));
  return st;
}

inline void erase_slot(std::vector<Slot>& lane, Slot s) { std::erase(lane, s); }

inline void move_to_front(std::vector<Slot>& lane, Slot s) {
  erase_slot(lane, s);
  lane.insert(lane.begin(), s);
}

/// The fields of `meta` written over `item` (its status becomes regular or archived).
void apply_metadata(ItemData& item, const RemoteThreadMetadata& meta);

std::exception_ptr error_of(ErrorKind kind, const std::string& message);
std::string quoted(const std::string& id);
Completion failed(ErrorKind kind, const std::string& message);
bool is_adapter_changed(const std::exception_ptr& e);
/// Forwards the outcome of one completion to another.
std::function<void(std::exception_ptr)> forward_to(Completion done);

/// Everything a ThreadListRuntime holds. Owner thread only; adapter calls run on workers and
/// come back through the dispatcher (call()).
///
/// Every way in — a public call (enter()), a result from the dispatcher, a callback from a thread
/// runtime or a completion (guarded()) — is one Operation of the notifier, so the subscribers and
/// on_thread_id_change hear of a change only once it is complete (issue 15, item 5).
struct ThreadListImpl : std::enable_shared_from_this<ThreadListImpl> {
  struct SlotInfo {
    std::string local_id;
    std::optional<std::string> remote_id;  // once known; mutations send it
    std::unique_ptr<ThreadRuntime> runtime;
    bool stopped = false;  // detached; a switch starts a fresh runtime
    bool running = false;  // as last reported to the list's subscribers
    bool titled = false;   // automatic titling was requested
    bool watch_title = false;
    std::optional<Completion> initializing;
    Subscription state_sub;
    Subscription init_sub;
  };

  OwnerThread owner;
  ThreadListRuntimeOptions options;
  bool single = false;
  std::shared_ptr<RemoteThreadListAdapter> adapter;
  Lifetime adapter_lifetime;    // reset when the adapter is replaced: late results are stale
  bool adapter_inline = false;  // the in-memory adapter: calls run on the owner, at once
  bool replacing = false;       // the replacement adapter's first list is still loading

  OptimisticState<ListState> state;
  std::deque<SlotInfo> slots;                           // references stay valid as slots are added
  std::unordered_map<std::string, Slot> index;          // local and remote ids
  std::vector<std::unique_ptr<ThreadRuntime>> retired;  // stopped runtimes replaced by fresh ones
  Slot main = 0;
  bool first_thread_started = false;

  bool loading = false;
  bool loading_more = false;
  std::optional<std::string> cursor;
  std::optional<Completion> load_completion;
  std::optional<Completion> more_completion;
  Lifetime load_lifetime;  // reset by each load: the responses of superseded loads are ignored

  Lifetime switch_lifetime;     // reset by a switch while another waits: the latest switch wins
  bool switch_waiting = false;  // a switch holds switch_lifetime's token (a fetch, a draft)
  std::optional<Slot> draft_initializing;
  std::optional<std::string> emitted_remote_id;
  bool has_controlled = false;
  std::optional<std::string> controlled;

  std::shared_ptr<ListenerList<>> listeners = std::make_shared<ListenerList<>>();
  Notifier notifier{[this] { emit_changed(); }};
  Lifetime lifetime;  // callbacks from elsewhere run only while the list lives (guarded())

  ~ThreadListImpl();

  // ---- operations ----

  /// One operation in progress (see Notifier). The outermost one keeps the list alive until its
  /// notifications are delivered: a subscriber may drop the list.
  class Op {
   public:
    explicit Op(ThreadListImpl& im) noexcept : im_(im) { im_.notifier.enter(); }
    ~Op() {
      if (!im_.notifier.leave()) return;
      auto keep = im_.weak_from_this().lock();  // null only while the list is taken apart
      im_.notifier.deliver();
    }
    Op(const Op&) = delete;
    Op& operator=(const Op&) = delete;

   private:
    ThreadListImpl& im_;
  };

  /// A public entry point: checks the owner thread (naming `operation`) and opens an Op.
  Op enter(const char* operation) {
    owner.check(operation);
    return Op(*this);
  }

  /// `fn` as a callback from elsewhere (the dispatcher, a completion, a thread runtime): it runs
  /// as one operation, and only while the list lives.
  template <class F>
  auto guarded(F fn) const {
    auto* self = const_cast<ThreadListImpl*>(this);
    return lifetime.guard([self, fn = std::move(fn)](auto&&... args) mutable {
      Op op(*self);
      fn(std::forward<decltype(args)>(args)...);
    });
  }

  // ---- the list state (thread_list_state.cpp) ----
  /// Reports an error no caller can receive to on_error (errors.hpp, rule 3).
  void report(const Error& error) const;
  /// report() of a failed job the list started itself: `what` failed, `cause` is why.
  void report_failure(ErrorKind kind, const std::string& what,
                      const std::exception_ptr& cause) const {
    report(Error(kind, what + ": " + describe_exception(cause), cause));
  }
  /// The list state changed: the subscribers hear of it when the operation is complete.
  void notify() { notifier.changed(); }
  void emit_changed();
  const ListState& view() const noexcept { return state.value(); }
  std::optional<Slot> find(const std::string& id) const;
  const ItemData& data(Slot s) const { return *view().items[s]; }
  ThreadListItem to_item(Slot s) const;
  std::vector<std::string> ids_of(const std::vector<Slot>& lane) const;
  /// A new slot, present in the base state with `item` (or absent for null).
  Slot new_slot(ItemPtr item, const std::string& local_id);
  /// The slot of a listed or fetched thread: the one its remote id has, else a new empty one.
  Slot slot_for_remote(const std::string& remote_id);
  Slot create_draft();
  Completion unsupported(const std::string& what) const;
  Completion not_found(const std::string& id, const std::string& action) const;
  Completion bad_status(Slot s, const std::string& id, const std::string& action) const;
  /// Shows `optimistic` at once, then (after the item's initialisation) sends `send` to the
  /// adapter; a failure rolls the effect back and runs `on_failure`.
  Completion mutate(Slot s, ListUpdate optimistic,
                    std::function<void(RemoteThreadListAdapter&, const std::string&)> send,
                    std::function<void()> on_failure = {});
  Completion archive_slot(Slot s);
  Completion unarchive_slot(Slot s);
  Completion remove_slot(Slot s);
  /// Runs `then` once the main thread is not `s` any more (the draft became main).
  Completion leave_main(Slot s, std::function<Completion()> then);

  // ---- thread runtimes, initialisation, switching (thread_list_threads.cpp) ----
  ThreadRuntime* runtime(Slot s);
  ThreadRuntime& start_runtime(Slot s);
  void stop_runtime(Slot s);
  void on_runtime_change(Slot s);
  Completion barrier(Slot s);
  Completion initialize_slot(Slot s);
  void emit_thread_id(bool echo);
  Completion switch_known(Slot s, SwitchOptions opts, bool echo);
  Slot place_fetched(const RemoteThreadMetadata& meta);
  Completion switch_to(const std::string& id, SwitchOptions opts, bool echo);
  Completion switch_to_draft(bool echo);
  Completion open_draft(std::optional<std::weak_ptr<const void>> latest, bool echo);
  /// Ends the switches still waiting (a fetch, a draft's initialisation): the latest one wins.
  /// Cheap when none waits, so a switch to a known thread allocates nothing.
  void supersede_switches();
  /// The token a waiting switch holds.
  std::weak_ptr<const void> switch_token();

  // ---- loading (thread_list_loading.cpp) ----
  /// Applies a page: `replace` replaces both lanes (the first page), else new ids are appended.
  ListUpdate merge_page(const RemoteThreadListPage& page, bool replace);
  /// Starts a first-page load. `awaited`: a caller receives the outcome through the returned
  /// completion; a load the list starts itself (at construction, for a new adapter) also reports
  /// a failure to on_error.
  Completion start_load(bool awaited);
  /// The first load, or the one in flight.
  Completion load_threads();
  Completion load_more();
  void drop_unlisted(const RemoteThreadListPage& page);
  void replace_adapter(std::shared_ptr<RemoteThreadListAdapter> next);

  // ---- titles (thread_list_titles.cpp) ----
  static bool has_settled_message(const ThreadRuntime& rt);
  void request_auto_title(Slot s);
  void auto_title(Slot s);
  Completion generate_title_slot(Slot s);

  // ---- adapter calls ----

  // Calls `job`, keeping its failure instead of throwing it.
  template <class R>
  static std::pair<std::exception_ptr, std::shared_ptr<R>> attempt(
      const std::function<R(RemoteThreadListAdapter&)>& job, RemoteThreadListAdapter& target) {
    try {
      return {nullptr, std::make_shared<R>(job(target))};
    } catch (...) {
      return {std::current_exception(), nullptr};
    }
  }

  // Runs `job` against the adapter on a worker; `done(error, result)` runs on the owner. A result
  // that arrives after the adapter was replaced becomes AdapterChanged; a failure stays itself.
  template <class R>
  void call(std::function<R(RemoteThreadListAdapter&)> job,
            std::function<void(std::exception_ptr, std::shared_ptr<R>)> done) {
    auto target = adapter;
    if (adapter_inline) {
      // The in-memory adapter never blocks: its answer is known at once, so it skips the worker
      // (a lone LocalRuntime behaves as before: nothing waits for a worker before the first run).
      auto [error, result] = attempt(job, *target);
      done(error, std::move(result));
      return;
    }
    auto on_owner = guarded([current = adapter_lifetime.token(), done = std::move(done)](
                                std::exception_ptr error, std::shared_ptr<R> result) {
      if (!error && current.expired()) {
        error = error_of(ErrorKind::AdapterChanged, "the thread list adapter was replaced");
      }
      done(error, std::move(result));
    });
    auto dispatcher = options.thread.dispatcher;
    options.thread.executor->execute(
        [target, dispatcher, job = std::move(job), on_owner = std::move(on_owner)]() mutable {
          auto [error, result] = attempt(job, *target);
          job = nullptr;
          // The failure moves to the owner: the worker keeps no reference, so the exception is
          // freed where it is read (libstdc++'s reference count is invisible to ThreadSanitizer).
          dispatcher->post([error = std::move(error), result = std::move(result),
                            on_owner = std::move(on_owner)]() mutable {
            on_owner(std::move(error), std::move(result));
          });
        });
  }
};

}  // namespace aui::detail
