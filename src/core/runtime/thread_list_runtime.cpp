// The thread list (spec §14): items kept in an optimistic state, one thread runtime per opened
// thread, the draft, switching, initialisation, mutations with rollback, titles, thread id
// notifications and adapter replacement.
//
// Layout. Every item has a *slot*, a number fixed for the life of the list. The list state (what
// the optimistic engine transforms) holds the items by slot in a PersistentVector plus the two
// lanes as vectors of slots, so a copy of the state costs O(1) plus two small memcpys however
// many threads there are, and a mutation touches one item. What is not optimistic — the runtime
// of each slot, the id → slot index — lives beside it. Looking a thread up is one hash lookup,
// so switching costs the same with ten threads as with ten thousand.

#include "aui/runtime/thread_list_runtime.hpp"

#include <algorithm>
#include <deque>
#include <iostream>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "aui/runtime/optimistic_state.hpp"
#include "aui/support/errors.hpp"
#include "aui/support/persistent_vector.hpp"
#include "runtime/listener_list.hpp"

namespace aui {

namespace {

using Slot = std::uint32_t;
constexpr const char* kDefaultId = "__DEFAULT_ID__";
constexpr const char* kLocalIdPrefix = "__LOCALID_";

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

template <class F>
ListState with_item(ListState st, Slot s, F&& f) {
  if (s >= st.items.size() || !st.items[s]) return st;  // gone meanwhile: nothing to change
  auto copy = std::make_shared<ItemData>(*st.items[s]);
  f(*copy);
  st.items = st.items.set(s, std::move(copy));
  return st;
}

void erase_slot(std::vector<Slot>& lane, Slot s) { std::erase(lane, s); }

void move_to_front(std::vector<Slot>& lane, Slot s) {
  erase_slot(lane, s);
  lane.insert(lane.begin(), s);
}

std::exception_ptr error_of(ErrorKind kind, const std::string& message) {
  return std::make_exception_ptr(Error(kind, message));
}

std::string quoted(const std::string& id) { return "\"" + id + "\""; }

Completion failed(ErrorKind kind, const std::string& message) {
  return Completion::failed_with(error_of(kind, message));
}

bool is_adapter_changed(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const Error& err) {
    return err.kind() == ErrorKind::AdapterChanged;
  } catch (...) {
    return false;
  }
}

// Forwards the outcome of one completion to another.
std::function<void(std::exception_ptr)> forward_to(Completion done) {
  return [done](std::exception_ptr e) {
    if (e) return done.reject(e);
    done.resolve();
  };
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Impl

struct ThreadListRuntime::Impl : std::enable_shared_from_this<Impl> {
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

  ThreadListRuntimeOptions options;
  bool single = false;
  std::shared_ptr<RemoteThreadListAdapter> adapter;
  std::uint64_t adapter_epoch = 0;
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
  std::uint64_t load_epoch = 0;
  std::uint64_t replacement_load_epoch = 0;

  std::uint64_t switch_epoch = 0;
  std::optional<Slot> draft_initializing;
  std::optional<std::string> emitted_remote_id;
  bool has_controlled = false;
  std::optional<std::string> controlled;

  std::shared_ptr<detail::ListenerList<>> listeners = std::make_shared<detail::ListenerList<>>();

  ~Impl() {
    for (auto& info : slots) {
      info.state_sub = {};
      info.init_sub = {};
      if (info.runtime) info.runtime->detach();
    }
    for (auto& rt : retired) rt->detach();
  }

  // ---- helpers ----

  void report(const std::string& message) const {
    if (options.thread.on_error) {
      options.thread.on_error(message);
    } else {
      std::cerr << "aui: " << message << '\n';
    }
  }

  void notify() {
    listeners->emit([this](const std::string& m) { report(m); });
  }

  const ListState& view() const noexcept { return state.value(); }

  std::optional<Slot> find(const std::string& id) const {
    auto it = index.find(id);
    if (it == index.end()) return std::nullopt;
    if (it->second >= view().items.size() || !view().items[it->second]) return std::nullopt;
    return it->second;
  }

  const ItemData& data(Slot s) const { return *view().items[s]; }

  ThreadListItem to_item(Slot s) const {
    const ItemData& d = data(s);
    ThreadListItem out;
    out.id = d.id;
    out.remote_id = d.remote_id;
    out.external_id = d.external_id;
    out.status = d.status;
    out.title = d.title;
    out.last_message_at = d.last_message_at;
    out.custom = d.custom;
    out.is_main = s == main;
    out.is_running = slots[s].running;
    if (single) out.remote_id = kDefaultId;  // quirk of spec §14.1: a lookup reports it
    return out;
  }

  std::vector<std::string> ids_of(const std::vector<Slot>& lane) const {
    std::vector<std::string> out;
    out.reserve(lane.size());
    for (Slot s : lane) out.push_back(view().items[s]->id);
    return out;
  }

  // A new slot, present in the base state with `item` (or absent for null).
  Slot new_slot(ItemPtr item, const std::string& local_id) {
    const auto s = static_cast<Slot>(slots.size());
    slots.emplace_back();
    slots.back().local_id = local_id;
    index[local_id] = s;
    if (item && item->remote_id) {
      slots.back().remote_id = item->remote_id;
      index[*item->remote_id] = s;
    }
    state.update_base([item = std::move(item)](ListState st) {
      st.items = st.items.push_back(item);
      return st;
    });
    return s;
  }

  Slot create_draft() {
    auto item = std::make_shared<ItemData>();
    item->id = std::string(kLocalIdPrefix) + generate_id();
    item->status = ThreadStatus::New;
    const std::string id = item->id;
    const Slot s = new_slot(std::move(item), id);
    state.update_base([s](ListState st) {
      st.draft = s;
      return st;
    });
    return s;
  }

  Completion unsupported(const std::string& what) const {
    return failed(ErrorKind::Unsupported, what + " is not supported by the single-thread list");
  }

  Completion not_found(const std::string& id, const std::string& action) const {
    return failed(ErrorKind::ThreadNotFound,
                  "thread " + quoted(id) + " not found (" + action + ")");
  }

  Completion bad_status(Slot s, const std::string& id, const std::string& action) const {
    return failed(ErrorKind::ThreadStatus, "thread " + quoted(id) + " is " +
                                               std::string(to_string(data(s).status)) + " (" +
                                               action + ")");
  }

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
    const auto epoch = adapter_epoch;
    if (adapter_inline) {
      // The in-memory adapter never blocks: its answer is known at once, so it skips the worker
      // (a lone LocalRuntime behaves as before: nothing waits for a worker before the first run).
      auto [error, result] = attempt(job, *target);
      done(error, std::move(result));
      return;
    }
    std::weak_ptr<Impl> weak = weak_from_this();
    auto dispatcher = options.thread.dispatcher;
    options.thread.executor->execute(
        [target, epoch, weak, dispatcher, job = std::move(job), done = std::move(done)]() mutable {
          auto [error, result] = attempt(job, *target);
          job = nullptr;
          // The failure moves to the owner: the worker keeps no reference, so the exception is
          // freed where it is read (libstdc++'s reference count is invisible to ThreadSanitizer).
          dispatcher->post([weak, epoch, error = std::move(error), result = std::move(result),
                            done = std::move(done)]() mutable {
            auto self = weak.lock();
            if (!self) return;
            if (!error && epoch != self->adapter_epoch) {
              error = error_of(ErrorKind::AdapterChanged, "the thread list adapter was replaced");
            }
            done(error, std::move(result));
          });
        });
  }

  // ---- runtimes (spec §14.10) ----

  ThreadRuntime* runtime(Slot s) {
    auto& info = slots[s];
    return info.runtime && !info.stopped ? info.runtime.get() : nullptr;
  }

  ThreadRuntime& start_runtime(Slot s) {
    auto& info = slots[s];
    if (info.runtime && !info.stopped) return *info.runtime;
    if (info.runtime) retired.push_back(std::move(info.runtime));
    ThreadRuntimeOptions o = options.thread;
    if (first_thread_started) o.initial_messages.clear();
    first_thread_started = true;
    if (options.adapters_for) o.adapters = options.adapters_for(to_item(s));
    std::weak_ptr<Impl> weak = weak_from_this();
    if (!single) {
      o.is_new_thread = data(s).status == ThreadStatus::New;
      o.initialize_barrier = [weak, s]() -> Completion {
        auto self = weak.lock();
        if (!self) return Completion::succeeded();
        return self->barrier(s);
      };
      o.thread_id_provider = [weak, s]() -> std::optional<std::string> {
        auto self = weak.lock();
        if (!self) return std::nullopt;
        return self->slots[s].remote_id;
      };
    }
    info.runtime = std::make_unique<ThreadRuntime>(std::move(o));
    info.stopped = false;
    info.running = false;
    info.titled = false;
    info.watch_title = false;
    info.state_sub = info.runtime->subscribe([weak, s] {
      if (auto self = weak.lock()) self->on_runtime_change(s);
    });
    if (!single) {
      info.init_sub = info.runtime->on(ThreadEvent::Initialize, [weak, s] {
        auto self = weak.lock();
        if (!self) return;
        // The thread initialised (spec §5.17): a draft is created remotely. An append waits for
        // this through the barrier and reports a failure itself.
        const auto* item = self->view().items[s].get();
        if (item && item->status == ThreadStatus::New && self->view().draft == s) {
          self->initialize_slot(s).then([](std::exception_ptr) {});
        }
      });
    }
    ThreadRuntime& rt = *info.runtime;
    if (options.on_thread_started) options.on_thread_started(rt, to_item(s));
    // A thread that exists beyond this process loads its messages when it opens (spec §12.2; a
    // draft has none). A failure is reported by the runtime and leaves the thread empty.
    if (!single && data(s).status != ThreadStatus::New)
      rt.load_history().then([](std::exception_ptr) {});
    return rt;
  }

  void stop_runtime(Slot s) {
    auto& info = slots[s];
    if (!info.runtime || info.stopped) return;
    info.state_sub = {};
    info.init_sub = {};
    info.stopped = true;
    info.runtime->detach();  // spec §5.16: the run ends cancelled
    if (info.running) {
      info.running = false;
      notify();
    }
  }

  void on_runtime_change(Slot s) {
    auto& info = slots[s];
    if (!info.runtime || info.stopped) return;
    const bool running = info.runtime->is_running();
    if (running != info.running) {
      info.running = running;
      notify();  // only when an item crosses the running boundary (spec §14.10)
    }
    if (info.watch_title && has_settled_message(*info.runtime)) {
      info.watch_title = false;
      auto_title(s);
    }
  }

  static bool has_settled_message(const ThreadRuntime& rt) {
    for (const auto& m : rt.messages()) {
      if (m->role != Role::Assistant || m->status.type != StatusType::Running) return true;
    }
    return false;
  }

  // ---- initialisation (spec §14.7) ----

  Completion barrier(Slot s) {
    auto& info = slots[s];
    if (info.initializing) return *info.initializing;
    const auto* item = view().items[s].get();
    if (!item || item->status != ThreadStatus::New) return Completion::succeeded();
    return initialize_slot(s);
  }

  Completion initialize_slot(Slot s) {
    auto& info = slots[s];
    if (info.initializing) return *info.initializing;
    if (!view().items[s]) {
      // Gone from the list (a delete in flight): its remote id, if any, is still known.
      if (info.remote_id) return Completion::succeeded();
      return not_found(info.local_id, "initialize");
    }
    const ItemData& d = data(s);
    if (d.status != ThreadStatus::New) return Completion::succeeded();
    if (view().draft != s) return bad_status(s, d.id, "initialize");
    Completion done;
    info.initializing = done;
    draft_initializing = s;
    const auto ticket = state.start([s](ListState st) {
      st = with_item(std::move(st), s, [](ItemData& item) { item.status = ThreadStatus::Regular; });
      if (s < st.items.size() && st.items[s]) {
        move_to_front(st.regular, s);
        erase_slot(st.archived, s);
      }
      if (st.draft == s) st.draft.reset();
      return st;
    });
    notify();
    const std::string local_id = info.local_id;
    call<RemoteThreadInitializeResult>(
        [local_id](RemoteThreadListAdapter& a) { return a.initialize(local_id); },
        [this, s, ticket, done](std::exception_ptr error,
                                std::shared_ptr<RemoteThreadInitializeResult> result) {
          slots[s].initializing.reset();
          if (draft_initializing == s) draft_initializing.reset();
          if (error) {
            state.fail(ticket);  // status new again: the draft (spec §14.7)
            notify();
            return done.reject(error);
          }
          state.succeed(ticket, [s, result](ListState st) {
            return with_item(std::move(st), s, [&](ItemData& item) {
              item.remote_id = result->remote_id;
              item.external_id = result->external_id;
            });
          });
          slots[s].remote_id = result->remote_id;
          index[result->remote_id] = s;
          notify();
          if (s == main) emit_thread_id(true);
          done.resolve();
          request_auto_title(s);
        });
    return done;
  }

  // ---- titles (spec §14.9) ----

  void request_auto_title(Slot s) {
    auto& info = slots[s];
    ThreadRuntime* rt = runtime(s);
    if (!rt || info.titled) return;
    info.titled = true;
    if (has_settled_message(*rt)) {
      auto_title(s);
    } else {
      info.watch_title = true;  // on_runtime_change fires it with the first settled message
    }
  }

  void auto_title(Slot s) {
    std::weak_ptr<Impl> weak = weak_from_this();
    generate_title_slot(s).then([weak](std::exception_ptr e) {
      auto self = weak.lock();
      if (!self || !e || is_adapter_changed(e)) return;
      self->report("generating a thread title failed: " + detail::describe_exception(e));
    });
  }

  Completion generate_title_slot(Slot s) {
    Completion done;
    std::weak_ptr<Impl> weak = weak_from_this();
    initialize_slot(s).then([weak, s, done](std::exception_ptr error) {
      auto self = weak.lock();
      if (!self) return done.resolve();
      if (error) return done.reject(error);
      ThreadRuntime* rt = self->runtime(s);
      if (!rt || !self->slots[s].remote_id) return done.resolve();
      MessageList settled;
      for (const auto& m : rt->messages()) {
        if (m->role == Role::Assistant && m->status.type == StatusType::Running) continue;
        settled = settled.push_back(m);
      }
      const std::string remote_id = *self->slots[s].remote_id;
      const auto epoch = self->adapter_epoch;
      auto dispatcher = self->options.thread.dispatcher;
      TitleSink sink = [weak, dispatcher, s, epoch](const std::string& title) {
        if (weak.expired()) return false;
        dispatcher->post([weak, s, epoch, title] {
          auto me = weak.lock();
          if (!me || epoch != me->adapter_epoch) return;
          // A direct change, not an optimistic one (spec §14.9).
          me->state.update_base([s, &title](ListState st) {
            return with_item(std::move(st), s, [&](ItemData& item) { item.title = title; });
          });
          me->notify();
        });
        return true;
      };
      self->call<bool>(
          [remote_id, settled, sink](RemoteThreadListAdapter& a) {
            a.generate_title(remote_id, settled, sink);
            return true;
          },
          [done](std::exception_ptr e, std::shared_ptr<bool>) {
            if (e) return done.reject(e);
            done.resolve();
          });
    });
    return done;
  }

  // ---- thread id notifications (spec §14.11) ----

  void emit_thread_id(bool echo) {
    const auto& current = slots[main].remote_id;
    if (current == emitted_remote_id) return;
    emitted_remote_id = current;
    if (echo && options.on_thread_id_change) {
      try {
        options.on_thread_id_change(current);
      } catch (...) {
        report("on_thread_id_change threw: " +
               detail::describe_exception(std::current_exception()));
      }
    }
  }

  // ---- switching (spec §14.6) ----

  Completion switch_known(Slot s, SwitchOptions opts, bool echo) {
    if (s == main) return Completion::succeeded();
    start_runtime(s);
    if (data(s).status == ThreadStatus::Archived && opts.unarchive) {
      std::weak_ptr<Impl> weak = weak_from_this();
      unarchive_slot(s).then([weak](std::exception_ptr e) {
        auto self = weak.lock();
        if (self && e)
          self->report("unarchiving the thread failed: " + detail::describe_exception(e));
      });
    }
    main = s;
    notify();
    emit_thread_id(echo);
    return Completion::succeeded();
  }

  Slot place_fetched(const RemoteThreadMetadata& meta) {
    Slot s;
    auto it = index.find(meta.remote_id);
    if (it != index.end()) {
      s = it->second;
    } else {
      s = new_slot(nullptr, meta.remote_id);
      slots[s].remote_id = meta.remote_id;
    }
    state.update_base([s, meta](ListState st) {
      auto item =
          st.items[s] ? std::make_shared<ItemData>(*st.items[s]) : std::make_shared<ItemData>();
      if (!st.items[s]) item->id = meta.remote_id;
      item->remote_id = meta.remote_id;
      item->external_id = meta.external_id;
      item->status =
          meta.status == ThreadStatus::Archived ? ThreadStatus::Archived : ThreadStatus::Regular;
      item->title = meta.title;
      item->last_message_at = meta.last_message_at;
      item->custom = meta.custom;
      st.items = st.items.set(s, item);
      // Exactly one lane, matching the fetched status; a list that placed it there keeps it.
      auto& lane = item->status == ThreadStatus::Archived ? st.archived : st.regular;
      auto& other = item->status == ThreadStatus::Archived ? st.regular : st.archived;
      erase_slot(other, s);
      if (std::find(lane.begin(), lane.end(), s) == lane.end()) lane.push_back(s);
      return st;
    });
    return s;
  }

  Completion switch_to(const std::string& id, SwitchOptions opts, bool echo) {
    if (single) return unsupported("switchToThread");
    const auto my = ++switch_epoch;
    if (auto s = find(id)) return switch_known(*s, opts, echo);
    Completion done;
    call<RemoteThreadMetadata>(
        [id](RemoteThreadListAdapter& a) { return a.fetch(id); },
        [this, my, opts, echo, done](std::exception_ptr error,
                                     std::shared_ptr<RemoteThreadMetadata> meta) {
          if (error) return done.reject(error);           // nothing changed
          if (my != switch_epoch) return done.resolve();  // the latest switch wins
          const Slot s = place_fetched(*meta);
          notify();
          switch_known(s, opts, echo).then(forward_to(done));
        });
    return done;
  }

  Completion switch_to_draft(bool echo) {
    if (single) return unsupported("switchToNewThread");
    const auto my = ++switch_epoch;
    return open_draft(my, echo);
  }

  Completion open_draft(std::uint64_t my, bool echo) {
    if (draft_initializing) {
      // The draft is becoming a regular thread; if that fails it is the draft again.
      Completion done;
      std::weak_ptr<Impl> weak = weak_from_this();
      slots[*draft_initializing].initializing->then([weak, my, echo, done](std::exception_ptr) {
        auto self = weak.lock();
        if (!self || my != self->switch_epoch) return done.resolve();
        self->open_draft(my, echo).then(forward_to(done));
      });
      return done;
    }
    const Slot s = view().draft ? *view().draft : create_draft();
    return switch_known(s, {}, echo);
  }

  // ---- mutations (spec §14.8) ----

  // Shows `optimistic` at once, then (after the item's initialisation) sends `send` to the
  // adapter; a failure rolls the effect back and runs `on_failure`.
  Completion mutate(Slot s, ListUpdate optimistic,
                    std::function<void(RemoteThreadListAdapter&, const std::string&)> send,
                    std::function<void()> on_failure = {}) {
    if (replacing)
      return failed(ErrorKind::AdapterChanged, "the thread list adapter is being replaced");
    Completion initialized = initialize_slot(s);  // before the effect, which may hide the item
    const auto ticket = state.start(std::move(optimistic));
    notify();
    Completion done;
    const auto epoch = adapter_epoch;
    std::weak_ptr<Impl> weak = weak_from_this();
    auto fail = [weak, ticket, done, on_failure](std::exception_ptr e) {
      auto self = weak.lock();
      if (self) {
        self->state.fail(ticket);
        self->notify();
        if (on_failure) on_failure();
      }
      done.reject(e);
    };
    initialized.then(
        [weak, s, ticket, done, epoch, send = std::move(send), fail](std::exception_ptr error) {
          auto self = weak.lock();
          if (!self) return done.resolve();
          if (!error && epoch != self->adapter_epoch) {
            error = error_of(ErrorKind::AdapterChanged, "the thread list adapter was replaced");
          }
          if (error) return fail(error);
          const std::string remote_id = self->slots[s].remote_id.value_or(self->slots[s].local_id);
          self->call<bool>(
              [send, remote_id](RemoteThreadListAdapter& a) {
                send(a, remote_id);
                return true;
              },
              [weak, ticket, done, fail](std::exception_ptr e, std::shared_ptr<bool>) {
                if (e) return fail(e);
                if (auto me = weak.lock()) {
                  me->state.succeed(ticket);
                  me->notify();
                }
                done.resolve();
              });
        });
    return done;
  }

  Completion unarchive_slot(Slot s) {
    std::weak_ptr<Impl> weak = weak_from_this();
    return mutate(
        s,
        [s](ListState st) {
          st = with_item(std::move(st), s,
                         [](ItemData& item) { item.status = ThreadStatus::Regular; });
          if (s < st.items.size() && st.items[s]) {
            erase_slot(st.archived, s);
            move_to_front(st.regular, s);
          }
          return st;
        },
        [](RemoteThreadListAdapter& a, const std::string& remote_id) { a.unarchive(remote_id); },
        [weak, s] {
          auto self = weak.lock();
          if (self && self->main == s) self->switch_to_draft(true).then([](std::exception_ptr) {});
        });
  }

  // Runs `then` once the main thread is not `s` any more (the draft became main).
  Completion leave_main(Slot s, std::function<Completion()> then) {
    if (main != s) return then();
    Completion done;
    switch_to_draft(true).then([done, then = std::move(then)](std::exception_ptr e) {
      if (e) return done.reject(e);
      then().then(forward_to(done));
    });
    return done;
  }

  // ---- loading (spec §14.5) ----

  // Applies a page: `replace` replaces both lanes (the first page), else new ids are appended.
  ListUpdate merge_page(const RemoteThreadListPage& page, bool replace) {
    std::vector<std::pair<Slot, RemoteThreadMetadata>> entries;
    entries.reserve(page.threads.size());
    for (const auto& meta : page.threads) {
      Slot s;
      auto it = index.find(meta.remote_id);
      if (it != index.end()) {
        s = it->second;
      } else {
        s = new_slot(nullptr, meta.remote_id);
        slots[s].remote_id = meta.remote_id;
      }
      entries.emplace_back(s, meta);
    }
    return [entries = std::move(entries), replace](ListState st) {
      std::unordered_set<Slot> seen;
      if (replace) {
        st.regular.clear();
        st.archived.clear();
      } else {
        seen.insert(st.regular.begin(), st.regular.end());
        seen.insert(st.archived.begin(), st.archived.end());
      }
      for (const auto& [s, meta] : entries) {
        if (!seen.insert(s).second) continue;  // listed twice: the first position holds
        auto item =
            st.items[s] ? std::make_shared<ItemData>(*st.items[s]) : std::make_shared<ItemData>();
        if (!st.items[s]) item->id = meta.remote_id;
        item->remote_id = meta.remote_id;
        item->external_id = meta.external_id;
        item->status =
            meta.status == ThreadStatus::Archived ? ThreadStatus::Archived : ThreadStatus::Regular;
        item->title = meta.title;
        item->last_message_at = meta.last_message_at;
        item->custom = meta.custom;
        st.items = st.items.set(s, std::move(item));
        (meta.status == ThreadStatus::Archived ? st.archived : st.regular).push_back(s);
      }
      return st;
    };
  }

  Completion start_load() {
    const auto my = ++load_epoch;
    loading = true;
    cursor.reset();
    more_completion.reset();
    loading_more = false;
    Completion done;
    load_completion = done;
    // A transform with no effect of its own: while it is pending, mutations that complete are
    // remembered and re-applied over the response (a stale list resurrects nothing).
    const auto ticket = state.start(ListUpdate{});
    notify();
    call<RemoteThreadListPage>(
        [](RemoteThreadListAdapter& a) { return a.list(std::nullopt); },
        [this, my, ticket, done](std::exception_ptr error,
                                 std::shared_ptr<RemoteThreadListPage> page) {
          if (my != load_epoch) {  // superseded by a reload
            state.fail(ticket);
            return done.resolve();
          }
          loading = false;
          const bool replacement = replacing && my == replacement_load_epoch;
          if (replacement) replacing = false;
          if (error) {
            state.fail(ticket);
            load_completion.reset();  // a later call retries
            notify();
            if (!is_adapter_changed(error))
              report("loading the thread list failed: " + detail::describe_exception(error));
            return done.reject(error);
          }
          state.succeed(ticket, merge_page(*page, true));
          if (page->next_cursor && !page->next_cursor->empty()) cursor = page->next_cursor;
          if (replacement) drop_unlisted(*page);
          notify();
          done.resolve();
        });
    return done;
  }

  Completion load_more() {
    if (single || !cursor || loading) return Completion::succeeded();
    if (more_completion) return *more_completion;
    const auto my = load_epoch;
    loading_more = true;
    Completion done;
    more_completion = done;
    const auto ticket = state.start(ListUpdate{});
    notify();
    const std::string after = *cursor;
    call<RemoteThreadListPage>(
        [after](RemoteThreadListAdapter& a) { return a.list(after); },
        [this, my, ticket, done](std::exception_ptr error,
                                 std::shared_ptr<RemoteThreadListPage> page) {
          if (my != load_epoch) {
            state.fail(ticket);
            return done.resolve();
          }
          loading_more = false;
          more_completion.reset();
          if (error) {
            state.fail(ticket);
            notify();
            report("loading more threads failed: " + detail::describe_exception(error));
            return done.reject(error);
          }
          state.succeed(ticket, merge_page(*page, false));
          cursor.reset();
          if (page->next_cursor && !page->next_cursor->empty()) cursor = page->next_cursor;
          notify();
          done.resolve();
        });
    return done;
  }

  // After an adapter replacement (spec §14.12): threads the new adapter does not list leave the
  // list and their runtimes stop; the unsent draft stays; a lost main thread gives way to it.
  void drop_unlisted(const RemoteThreadListPage& page) {
    std::unordered_set<Slot> listed;
    for (const auto& meta : page.threads) {
      auto it = index.find(meta.remote_id);
      if (it != index.end()) listed.insert(it->second);
    }
    std::vector<Slot> dropped;
    for (Slot s = 0; s < view().items.size(); ++s) {
      const auto& item = view().items[s];
      if (!item || item->status == ThreadStatus::New || listed.count(s) != 0) continue;
      dropped.push_back(s);
    }
    if (dropped.empty()) return;
    state.update_base([dropped](ListState st) {
      for (Slot s : dropped) {
        if (s < st.items.size()) st.items = st.items.set(s, nullptr);
        erase_slot(st.regular, s);
        erase_slot(st.archived, s);
      }
      return st;
    });
    const bool main_lost = std::find(dropped.begin(), dropped.end(), main) != dropped.end();
    for (Slot s : dropped) {
      if (s != main) stop_runtime(s);
    }
    if (main_lost) {
      const Slot lost = main;
      switch_to_draft(true).then([](std::exception_ptr) {});
      stop_runtime(lost);
    }
  }
};

// ---------------------------------------------------------------------------------------------
// ThreadListRuntime

ThreadListRuntime::ThreadListRuntime(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

ThreadListRuntime::ThreadListRuntime(ThreadListRuntimeOptions options)
    : impl_(std::make_shared<Impl>()) {
  auto& im = *impl_;
  if (!options.thread.dispatcher) {
    throw Error(ErrorKind::InvalidArgument, "ThreadListRuntimeOptions: a dispatcher is required");
  }
  if (!options.thread.executor) options.thread.executor = default_executor();
  im.adapter = options.adapter ? options.adapter : std::make_shared<InMemoryThreadListAdapter>();
  im.adapter_inline = dynamic_cast<InMemoryThreadListAdapter*>(im.adapter.get()) != nullptr;
  im.options = std::move(options);
  im.main = im.create_draft();
  im.start_runtime(im.main);
  im.start_load();
  if (im.options.initial_thread_id) {
    std::weak_ptr<Impl> weak = impl_;
    im.switch_to(*im.options.initial_thread_id, {}, true).then([weak](std::exception_ptr e) {
      auto self = weak.lock();
      if (self && e)
        self->report("opening the initial thread failed: " + detail::describe_exception(e));
    });
  }
}

std::unique_ptr<ThreadListRuntime> ThreadListRuntime::single(ThreadRuntimeOptions options) {
  auto impl = std::make_shared<Impl>();
  if (!options.dispatcher) {
    throw Error(ErrorKind::InvalidArgument, "ThreadRuntimeOptions: a dispatcher is required");
  }
  if (!options.executor) options.executor = default_executor();
  impl->single = true;
  impl->options.thread = std::move(options);
  auto item = std::make_shared<ItemData>();
  item->id = kDefaultId;
  item->status = ThreadStatus::Regular;
  impl->main = impl->new_slot(std::move(item), kDefaultId);
  impl->start_runtime(impl->main);
  return std::unique_ptr<ThreadListRuntime>(new ThreadListRuntime(std::move(impl)));
}

ThreadListRuntime::~ThreadListRuntime() = default;

bool ThreadListRuntime::is_loading() const noexcept { return impl_->loading; }
bool ThreadListRuntime::is_loading_more() const noexcept { return impl_->loading_more; }
bool ThreadListRuntime::has_more() const noexcept { return impl_->cursor.has_value(); }

std::vector<std::string> ThreadListRuntime::thread_ids() const {
  return impl_->ids_of(impl_->view().regular);
}

std::vector<std::string> ThreadListRuntime::archived_thread_ids() const {
  return impl_->ids_of(impl_->view().archived);
}

std::optional<std::string> ThreadListRuntime::new_thread_id() const {
  const auto& draft = impl_->view().draft;
  if (!draft) return std::nullopt;
  return impl_->data(*draft).id;
}

std::string ThreadListRuntime::main_thread_id() const { return impl_->slots[impl_->main].local_id; }

std::optional<ThreadListItem> ThreadListRuntime::item(const std::string& id) const {
  auto s = impl_->find(id);
  if (!s) return std::nullopt;
  return impl_->to_item(*s);
}

ThreadRuntime& ThreadListRuntime::main_thread() { return impl_->start_runtime(impl_->main); }

ThreadRuntime* ThreadListRuntime::thread(const std::string& id) {
  auto s = impl_->find(id);
  if (!s) return nullptr;
  return impl_->runtime(*s);
}

std::size_t ThreadListRuntime::size() const noexcept {
  std::size_t n = 0;
  for (const auto& item : impl_->view().items) n += item ? 1 : 0;
  return n;
}

Completion ThreadListRuntime::load_threads() {
  if (impl_->single) return Completion::succeeded();
  if (impl_->load_completion) return *impl_->load_completion;
  return impl_->start_load();
}

Completion ThreadListRuntime::load_more() { return impl_->load_more(); }

Completion ThreadListRuntime::reload() {
  if (impl_->single) return Completion::succeeded();
  return impl_->start_load();
}

Completion ThreadListRuntime::switch_to_thread(const std::string& id, SwitchOptions options) {
  return impl_->switch_to(id, options, true);
}

Completion ThreadListRuntime::switch_to_new_thread() { return impl_->switch_to_draft(true); }

Completion ThreadListRuntime::initialize(const std::string& id) {
  auto& im = *impl_;
  if (im.single) return Completion::succeeded();  // { remoteId: id } (spec §14.1)
  auto s = im.find(id);
  if (!s) return im.not_found(id, "initialize");
  return im.initialize_slot(*s);
}

Completion ThreadListRuntime::rename(const std::string& id, const std::string& title) {
  auto& im = *impl_;
  if (im.single) return im.unsupported("rename");
  auto s = im.find(id);
  if (!s) return im.not_found(id, "rename");
  if (im.data(*s).status == ThreadStatus::New) return im.bad_status(*s, id, "rename");
  const Slot slot = *s;
  return im.mutate(
      slot,
      [slot, title](ListState st) {
        return with_item(std::move(st), slot, [&](ItemData& item) { item.title = title; });
      },
      [title](RemoteThreadListAdapter& a, const std::string& remote_id) {
        a.rename(remote_id, title);
      });
}

Completion ThreadListRuntime::update_custom(const std::string& id, std::optional<Json> custom) {
  auto& im = *impl_;
  if (im.single) return im.unsupported("updateCustom");
  auto s = im.find(id);
  if (!s) return im.not_found(id, "updateCustom");
  if (im.data(*s).status == ThreadStatus::New) return im.bad_status(*s, id, "updateCustom");
  if (!im.adapter->has_update_custom()) {
    return failed(ErrorKind::Unsupported, "the thread list adapter cannot update custom metadata");
  }
  const Slot slot = *s;
  return im.mutate(
      slot,
      [slot, custom](ListState st) {
        return with_item(std::move(st), slot, [&](ItemData& item) { item.custom = custom; });
      },
      [custom](RemoteThreadListAdapter& a, const std::string& remote_id) {
        a.update_custom(remote_id, custom);
      });
}

Completion ThreadListRuntime::archive(const std::string& id) {
  auto& im = *impl_;
  if (im.single) return im.unsupported("archive");
  auto s = im.find(id);
  if (!s) return im.not_found(id, "archive");
  if (im.data(*s).status != ThreadStatus::Regular) return im.bad_status(*s, id, "archive");
  const Slot slot = *s;
  std::weak_ptr<Impl> weak = impl_;
  return im.leave_main(slot, [weak, slot]() -> Completion {
    auto self = weak.lock();
    if (!self) return Completion::succeeded();
    return self->mutate(
        slot,
        [slot](ListState st) {
          st = with_item(std::move(st), slot,
                         [](ItemData& item) { item.status = ThreadStatus::Archived; });
          if (slot < st.items.size() && st.items[slot]) {
            erase_slot(st.regular, slot);
            move_to_front(st.archived, slot);
          }
          return st;
        },
        [](RemoteThreadListAdapter& a, const std::string& remote_id) { a.archive(remote_id); });
  });
}

Completion ThreadListRuntime::unarchive(const std::string& id) {
  auto& im = *impl_;
  if (im.single) return im.unsupported("unarchive");
  auto s = im.find(id);
  if (!s) return im.not_found(id, "unarchive");
  if (im.data(*s).status != ThreadStatus::Archived) return im.bad_status(*s, id, "unarchive");
  return im.unarchive_slot(*s);
}

Completion ThreadListRuntime::remove(const std::string& id) {
  auto& im = *impl_;
  if (im.single) return im.unsupported("delete");
  auto s = im.find(id);
  if (!s) return im.not_found(id, "delete");
  if (im.data(*s).status == ThreadStatus::New) return im.bad_status(*s, id, "delete");
  const Slot slot = *s;
  std::weak_ptr<Impl> weak = impl_;
  return im.leave_main(slot, [weak, slot]() -> Completion {
    auto self = weak.lock();
    if (!self) return Completion::succeeded();
    if (self->replacing)
      return failed(ErrorKind::AdapterChanged, "the thread list adapter is being replaced");
    self->stop_runtime(slot);  // its run is cancelled; it stays stopped until opened again
    return self->mutate(
        slot,
        [slot](ListState st) {
          if (slot < st.items.size()) st.items = st.items.set(slot, nullptr);
          erase_slot(st.regular, slot);
          erase_slot(st.archived, slot);
          if (st.draft == slot) st.draft.reset();
          return st;
        },
        [](RemoteThreadListAdapter& a, const std::string& remote_id) { a.remove(remote_id); });
  });
}

Completion ThreadListRuntime::detach(const std::string& id) {
  auto& im = *impl_;
  if (im.single) return im.unsupported("detach");
  auto s = im.find(id);
  if (!s) return im.not_found(id, "detach");
  if (im.data(*s).status == ThreadStatus::New) return im.bad_status(*s, id, "detach");
  const Slot slot = *s;
  std::weak_ptr<Impl> weak = impl_;
  return im.leave_main(slot, [weak, slot]() -> Completion {
    if (auto self = weak.lock()) self->stop_runtime(slot);
    return Completion::succeeded();
  });
}

Completion ThreadListRuntime::generate_title(const std::string& id) {
  auto& im = *impl_;
  if (im.single) return im.unsupported("generateTitle");
  auto s = im.find(id);
  if (!s) return im.not_found(id, "generateTitle");
  if (im.data(*s).status == ThreadStatus::New) return im.bad_status(*s, id, "generateTitle");
  return im.generate_title_slot(*s);
}

Completion ThreadListRuntime::reload_main_thread() {
  auto& im = *impl_;
  if (im.data(im.main).status == ThreadStatus::New) return Completion::succeeded();
  im.stop_runtime(im.main);
  im.start_runtime(im.main);
  im.notify();
  return Completion::succeeded();
}

Completion ThreadListRuntime::set_thread_id(const std::optional<std::string>& remote_id) {
  auto& im = *impl_;
  if (im.has_controlled && im.controlled == remote_id) return Completion::succeeded();
  im.has_controlled = true;
  im.controlled = remote_id;
  if (remote_id) return im.switch_to(*remote_id, {}, false);
  return im.switch_to_draft(false);
}

void ThreadListRuntime::set_adapter(std::shared_ptr<RemoteThreadListAdapter> adapter) {
  auto& im = *impl_;
  if (im.single) return;
  im.adapter = adapter ? std::move(adapter) : std::make_shared<InMemoryThreadListAdapter>();
  im.adapter_inline = dynamic_cast<InMemoryThreadListAdapter*>(im.adapter.get()) != nullptr;
  ++im.adapter_epoch;
  // Effects of calls to the old adapter are dropped; their late results fail AdapterChanged.
  im.state.reset(im.state.base());
  im.replacing = true;
  im.replacement_load_epoch = im.load_epoch + 1;  // the load started next
  im.start_load();
}

Subscription ThreadListRuntime::subscribe(std::function<void()> on_change) {
  return impl_->listeners->subscribe(std::move(on_change));
}

// ---------------------------------------------------------------------------------------------
// InMemoryThreadListAdapter (spec §14.13)

RemoteThreadListPage InMemoryThreadListAdapter::list(const std::optional<std::string>&) {
  return {};
}

RemoteThreadInitializeResult InMemoryThreadListAdapter::initialize(
    const std::string& local_thread_id) {
  return RemoteThreadInitializeResult{local_thread_id, std::nullopt};
}

void InMemoryThreadListAdapter::rename(const std::string&, const std::string&) {}
void InMemoryThreadListAdapter::update_custom(const std::string&, const std::optional<Json>&) {}
void InMemoryThreadListAdapter::archive(const std::string&) {}
void InMemoryThreadListAdapter::unarchive(const std::string&) {}
void InMemoryThreadListAdapter::remove(const std::string&) {}

RemoteThreadMetadata InMemoryThreadListAdapter::fetch(const std::string& thread_id) {
  throw Error(ErrorKind::ThreadNotFound,
              "thread " + quoted(thread_id) + " not found (threads are kept in memory only)");
}

}  // namespace aui
