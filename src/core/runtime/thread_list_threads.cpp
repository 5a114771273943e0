// The threads of the list (spec §14.6, §14.7, §14.10, §14.11): one ThreadRuntime per opened
// thread, the draft becoming a regular thread (initialisation, the append barrier), switching the
// main thread, and the thread id notifications.

#include <algorithm>

#include "runtime/thread_list_impl.hpp"

namespace aui::detail {

// ---- runtimes (spec §14.10) ----

ThreadRuntime* ThreadListImpl::runtime(Slot s) {
  auto& info = slots[s];
  return info.runtime && !info.stopped ? info.runtime.get() : nullptr;
}

ThreadRuntime& ThreadListImpl::start_runtime(Slot s) {
  auto& info = slots[s];
  if (info.runtime && !info.stopped) return *info.runtime;
  if (info.runtime) retired.push_back(std::move(info.runtime));
  ThreadRuntimeOptions o = options.thread;
  if (first_thread_started) o.initial_messages.clear();
  first_thread_started = true;
  if (options.adapters_for) o.adapters = options.adapters_for(to_item(s));
  if (!single) {
    o.is_new_thread = data(s).status == ThreadStatus::New;
    // The thread runtime asks these of the list; they answer only while the list lives.
    o.initialize_barrier = [this, alive = lifetime.token(), s]() -> Completion {
      if (alive.expired()) return Completion::succeeded();
      owner.check("ThreadListRuntime::initialize (the barrier of an append)");
      Op op(*this);
      return barrier(s);
    };
    o.thread_id_provider = [this, alive = lifetime.token(), s]() -> std::optional<std::string> {
      if (alive.expired()) return std::nullopt;
      owner.check("ThreadListRuntime (the thread id of a run)");
      return slots[s].remote_id;
    };
  }
  info.runtime = std::make_unique<ThreadRuntime>(std::move(o));
  info.stopped = false;
  info.running = false;
  info.titled = false;
  info.watch_title = false;
  info.state_sub = info.runtime->subscribe(guarded([this, s] { on_runtime_change(s); }));
  if (!single) {
    info.init_sub =
        info.runtime->on(ThreadEvent::Initialize, guarded([this, s] {
                           // The thread initialised (spec §5.17): a draft is created remotely. An
                           // append waits for this through the barrier and reports a failure
                           // itself.
                           const auto* item = view().items[s].get();
                           if (item && item->status == ThreadStatus::New && view().draft == s) {
                             initialize_slot(s).then([](std::exception_ptr) {});
                           }
                         }));
  }
  ThreadRuntime& rt = *info.runtime;
  if (options.on_thread_started) options.on_thread_started(rt, to_item(s));
  // A thread that exists beyond this process loads its messages when it opens (spec §12.2; a
  // draft has none). A failure leaves the thread empty; nobody awaits this load, so it goes to
  // on_error.
  if (!single && data(s).status != ThreadStatus::New) {
    rt.load_history().then(guarded([this](std::exception_ptr e) {
      if (e) report_failure(ErrorKind::Storage, "loading the thread's messages failed", e);
    }));
  }
  return rt;
}

void ThreadListImpl::stop_runtime(Slot s) {
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

void ThreadListImpl::on_runtime_change(Slot s) {
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

// ---- initialisation (spec §14.7) ----

Completion ThreadListImpl::barrier(Slot s) {
  auto& info = slots[s];
  if (info.initializing) return *info.initializing;
  const auto* item = view().items[s].get();
  if (!item || item->status != ThreadStatus::New) return Completion::succeeded();
  return initialize_slot(s);
}

Completion ThreadListImpl::initialize_slot(Slot s) {
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

// ---- thread id notifications (spec §14.11) ----

void ThreadListImpl::emit_thread_id(bool echo) {
  const auto& current = slots[main].remote_id;
  if (current == emitted_remote_id) return;
  emitted_remote_id = current;
  if (echo && options.on_thread_id_change) {
    // Delivered with the subscribers' notification, once the change is complete.
    notifier.post([this, current] {
      try {
        options.on_thread_id_change(current);
      } catch (...) {
        report_failure(ErrorKind::ListenerFailed, "on_thread_id_change threw",
                       std::current_exception());
      }
    });
  }
}

// ---- switching (spec §14.6) ----

Completion ThreadListImpl::switch_known(Slot s, SwitchOptions opts, bool echo) {
  if (s == main) return Completion::succeeded();
  start_runtime(s);
  if (data(s).status == ThreadStatus::Archived && opts.unarchive) {
    unarchive_slot(s).then(guarded([this](std::exception_ptr e) {
      if (e) report_failure(ErrorKind::AdapterFailed, "unarchiving the thread failed", e);
    }));
  }
  main = s;
  notify();
  emit_thread_id(echo);
  return Completion::succeeded();
}

Slot ThreadListImpl::place_fetched(const RemoteThreadMetadata& meta) {
  const Slot s = slot_for_remote(meta.remote_id);
  state.update_base([s, meta](ListState st) {
    auto item =
        st.items[s] ? std::make_shared<ItemData>(*st.items[s]) : std::make_shared<ItemData>();
    if (!st.items[s]) item->id = meta.remote_id;
    apply_metadata(*item, meta);
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

Completion ThreadListImpl::switch_to(const std::string& id, SwitchOptions opts, bool echo) {
  if (single) return unsupported("switchToThread");
  supersede_switches();  // an earlier switch still fetching gives way
  if (auto s = find(id)) return switch_known(*s, opts, echo);
  Completion done;
  call<RemoteThreadMetadata>(
      [id](RemoteThreadListAdapter& a) { return a.fetch(id); },
      [this, latest = switch_token(), opts, echo, done](
          std::exception_ptr error, std::shared_ptr<RemoteThreadMetadata> meta) {
        if (error) return done.reject(error);         // nothing changed
        if (latest.expired()) return done.resolve();  // the latest switch wins
        const Slot s = place_fetched(*meta);
        notify();
        switch_known(s, opts, echo).then(forward_to(done));
      });
  return done;
}

Completion ThreadListImpl::switch_to_draft(bool echo) {
  if (single) return unsupported("switchToNewThread");
  supersede_switches();  // an earlier switch still fetching gives way
  return open_draft(std::nullopt, echo);
}

void ThreadListImpl::supersede_switches() {
  if (!switch_waiting) return;  // no token out: there is nothing to end
  switch_lifetime.reset();
  switch_waiting = false;
}

std::weak_ptr<const void> ThreadListImpl::switch_token() {
  switch_waiting = true;
  return switch_lifetime.token();
}

Completion ThreadListImpl::open_draft(std::optional<std::weak_ptr<const void>> mine, bool echo) {
  if (draft_initializing) {
    // The draft is becoming a regular thread; if that fails it is the draft again.
    Completion done;
    slots[*draft_initializing].initializing->then([this, alive = lifetime.token(),
                                                   latest = mine ? *mine : switch_token(), echo,
                                                   done](std::exception_ptr) {
      if (alive.expired() || latest.expired()) return done.resolve();
      Op op(*this);
      open_draft(latest, echo).then(forward_to(done));
    });
    return done;
  }
  const Slot s = view().draft ? *view().draft : create_draft();
  return switch_known(s, {}, echo);
}

}  // namespace aui::detail
