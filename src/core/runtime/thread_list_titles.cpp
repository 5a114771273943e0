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
  std::weak_ptr<ThreadListImpl> weak = weak_from_this();
  generate_title_slot(s).then([weak](std::exception_ptr e) {
    auto self = weak.lock();
    if (!self || !e || is_adapter_changed(e)) return;
    self->report("generating a thread title failed: " + describe_exception(e));
  });
}

Completion ThreadListImpl::generate_title_slot(Slot s) {
  Completion done;
  std::weak_ptr<ThreadListImpl> weak = weak_from_this();
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

}  // namespace aui::detail
