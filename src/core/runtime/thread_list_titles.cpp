// Thread titles (spec §14.9): a thread is titled once automatically, after its initialisation and
// its first settled message; generate_title() asks again on demand. Titles stream in through the
// adapter's sink and change the list directly (not optimistically).

#include "runtime/thread_list_impl.hpp"

namespace aui::detail {

bool ThreadListImpl::has_settled_message(const ThreadRuntime& rt) {
  for (const auto& m : rt.messages()) {
    if (m->role != Role::Assistant || m->status.type != StatusType::Running) return true;
  }
  return false;
}

void ThreadListImpl::request_auto_title(Slot s) {
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

void ThreadListImpl::auto_title(Slot s) {
  generate_title_slot(s).then(guarded([this](std::exception_ptr e) {
    if (!e || is_adapter_changed(e)) return;
    report_failure(ErrorKind::AdapterFailed, "generating a thread title failed", e);
  }));
}

Completion ThreadListImpl::generate_title_slot(Slot s) {
  Completion done;
  initialize_slot(s).then([this, alive = lifetime.token(), s, done](std::exception_ptr error) {
    if (alive.expired()) return done.resolve();
    if (error) return done.reject(error);
    Op op(*this);
    ThreadRuntime* rt = runtime(s);
    if (!rt || !slots[s].remote_id) return done.resolve();
    MessageList settled;
    for (const auto& m : rt->messages()) {
      if (m->role == Role::Assistant && m->status.type == StatusType::Running) continue;
      settled = settled.push_back(m);
    }
    const std::string remote_id = *slots[s].remote_id;
    auto dispatcher = options.thread.dispatcher;
    // Called on a worker: it posts each title to the owner, while the adapter is the same one.
    auto apply = guarded([this, current = adapter_lifetime.token(), s](const std::string& title) {
      if (current.expired()) return;
      // A direct change, not an optimistic one (spec §14.9).
      state.update_base([s, &title](ListState st) {
        return with_item(std::move(st), s, [&](ItemData& item) { item.title = title; });
      });
      notify();
    });
    TitleSink sink = [alive = lifetime.token(), dispatcher, apply](const std::string& title) {
      if (alive.expired()) return false;
      dispatcher->post([apply, title]() mutable { apply(title); });
      return true;
    };
    call<bool>(
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

}  // namespace aui::detail
