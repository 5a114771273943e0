// The thread list's state (spec §14.4, §14.8, §14.14): lookups, the items as readers see them,
// and the mutations that show their effect at once and roll it back when the adapter fails.

#include <iostream>

#include "runtime/thread_list_impl.hpp"

namespace aui::detail {

void apply_metadata(ItemData& item, const RemoteThreadMetadata& meta) {
  item.remote_id = meta.remote_id;
  item.external_id = meta.external_id;
  item.status =
      meta.status == ThreadStatus::Archived ? ThreadStatus::Archived : ThreadStatus::Regular;
  item.title = meta.title;
  item.last_message_at = meta.last_message_at;
  item.custom = meta.custom;
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

std::function<void(std::exception_ptr)> forward_to(Completion done) {
  return [done](std::exception_ptr e) {
    if (e) return done.reject(e);
    done.resolve();
  };
}

ThreadListImpl::~ThreadListImpl() {
  lifetime.reset();  // nothing posted for the list runs while it is taken apart
  for (auto& info : slots) {
    info.state_sub = {};
    info.init_sub = {};
    if (info.runtime) info.runtime->detach();
  }
  for (auto& rt : retired) rt->detach();
}

void ThreadListImpl::report(const Error& error) const {
  if (options.thread.on_error) {
    try {
      options.thread.on_error(error);
    } catch (...) {
      // The handler is the last place an error can go: a throwing one is not asked again.
    }
  } else {
    std::cerr << "aui: " << error.what() << '\n';
  }
}

void ThreadListImpl::emit_changed() {
  listeners->emit([this](const Error& e) { report(e); });
}

std::optional<Slot> ThreadListImpl::find(const std::string& id) const {
  auto it = index.find(id);
  if (it == index.end()) return std::nullopt;
  if (it->second >= view().items.size() || !view().items[it->second]) return std::nullopt;
  return it->second;
}

ThreadListItem ThreadListImpl::to_item(Slot s) const {
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
  if (single) out.remote_id = kDefaultThreadId;  // quirk of spec §14.1: a lookup reports it
  return out;
}

std::vector<std::string> ThreadListImpl::ids_of(const std::vector<Slot>& lane) const {
  std::vector<std::string> out;
  out.reserve(lane.size());
  for (Slot s : lane) out.push_back(view().items[s]->id);
  return out;
}

Slot ThreadListImpl::new_slot(ItemPtr item, const std::string& local_id) {
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

Slot ThreadListImpl::slot_for_remote(const std::string& remote_id) {
  auto it = index.find(remote_id);
  if (it != index.end()) return it->second;
  const Slot s = new_slot(nullptr, remote_id);
  slots[s].remote_id = remote_id;
  return s;
}

Slot ThreadListImpl::create_draft() {
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

Completion ThreadListImpl::unsupported(const std::string& what) const {
  return failed(ErrorKind::Unsupported, what + " is not supported by the single-thread list");
}

Completion ThreadListImpl::not_found(const std::string& id, const std::string& action) const {
  return failed(ErrorKind::ThreadNotFound, "thread " + quoted(id) + " not found (" + action + ")");
}

Completion ThreadListImpl::bad_status(Slot s, const std::string& id,
                                      const std::string& action) const {
  return failed(ErrorKind::ThreadStatus, "thread " + quoted(id) + " is " +
                                             std::string(to_string(data(s).status)) + " (" +
                                             action + ")");
}

// ---- mutations (spec §14.8) ----

Completion ThreadListImpl::mutate(
    Slot s, ListUpdate optimistic,
    std::function<void(RemoteThreadListAdapter&, const std::string&)> send,
    std::function<void()> on_failure) {
  if (replacing)
    return failed(ErrorKind::AdapterChanged, "the thread list adapter is being replaced");
  Completion initialized = initialize_slot(s);  // before the effect, which may hide the item
  const auto ticket = state.start(std::move(optimistic));
  notify();
  Completion done;
  // The callbacks below run only while the list lives (its lifetime token); a list that is gone
  // still settles the completion, as a success.
  auto fail = [this, alive = lifetime.token(), ticket, done, on_failure](std::exception_ptr e) {
    if (!alive.expired()) {
      state.fail(ticket);
      notify();
      if (on_failure) on_failure();
    }
    done.reject(e);
  };
  initialized.then([this, alive = lifetime.token(), current = adapter_lifetime.token(), s, ticket,
                    done, send = std::move(send), fail](std::exception_ptr error) {
    if (alive.expired()) return done.resolve();
    Op op(*this);
    if (!error && current.expired()) {
      error = error_of(ErrorKind::AdapterChanged, "the thread list adapter was replaced");
    }
    if (error) return fail(error);
    const std::string remote_id = slots[s].remote_id.value_or(slots[s].local_id);
    call<bool>(
        [send, remote_id](RemoteThreadListAdapter& a) {
          send(a, remote_id);
          return true;
        },
        [this, ticket, done, fail](std::exception_ptr e, std::shared_ptr<bool>) {
          if (e) return fail(e);
          state.succeed(ticket);
          notify();
          done.resolve();
        });
  });
  return done;
}

Completion ThreadListImpl::archive_slot(Slot s) {
  return mutate(
      s,
      [s](ListState st) {
        st = with_item(std::move(st), s,
                       [](ItemData& item) { item.status = ThreadStatus::Archived; });
        if (s < st.items.size() && st.items[s]) {
          erase_slot(st.regular, s);
          move_to_front(st.archived, s);
        }
        return st;
      },
      [](RemoteThreadListAdapter& a, const std::string& remote_id) { a.archive(remote_id); });
}

Completion ThreadListImpl::unarchive_slot(Slot s) {
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
      [this, s] {
        if (main == s) switch_to_draft(true).then([](std::exception_ptr) {});
      });
}

Completion ThreadListImpl::remove_slot(Slot s) {
  if (replacing)
    return failed(ErrorKind::AdapterChanged, "the thread list adapter is being replaced");
  stop_runtime(s);  // its run is cancelled; it stays stopped until opened again
  return mutate(
      s,
      [s](ListState st) {
        if (s < st.items.size()) st.items = st.items.set(s, nullptr);
        erase_slot(st.regular, s);
        erase_slot(st.archived, s);
        if (st.draft == s) st.draft.reset();
        return st;
      },
      [](RemoteThreadListAdapter& a, const std::string& remote_id) { a.remove(remote_id); });
}

Completion ThreadListImpl::leave_main(Slot s, std::function<Completion()> then) {
  if (main != s) return then();
  Completion done;
  switch_to_draft(true).then(
      [this, alive = lifetime.token(), done, then = std::move(then)](std::exception_ptr e) {
        if (e) return done.reject(e);
        if (alive.expired()) return done.resolve();
        Op op(*this);
        then().then(forward_to(done));
      });
  return done;
}

}  // namespace aui::detail
