// Loading the thread list (spec §14.5, §14.12): the first page, further pages, reloads, and
// replacing the list adapter (the threads the new one does not list leave the list).

#include <algorithm>
#include <unordered_set>

#include "runtime/thread_list_impl.hpp"

namespace aui::detail {

ListUpdate ThreadListImpl::merge_page(const RemoteThreadListPage& page, bool replace) {
  std::vector<std::pair<Slot, RemoteThreadMetadata>> entries;
  entries.reserve(page.threads.size());
  for (const auto& meta : page.threads) entries.emplace_back(slot_for_remote(meta.remote_id), meta);
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
      apply_metadata(*item, meta);
      st.items = st.items.set(s, std::move(item));
      (meta.status == ThreadStatus::Archived ? st.archived : st.regular).push_back(s);
    }
    return st;
  };
}

Completion ThreadListImpl::load_threads() {
  if (single) return Completion::succeeded();
  if (load_completion) return *load_completion;
  return start_load(true);
}

Completion ThreadListImpl::start_load(bool awaited) {
  load_lifetime.reset();  // a load in flight is superseded
  // The latest load started while the adapter is being replaced ends the replacement.
  const bool replacement = replacing;
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
      [this, latest = load_lifetime.token(), replacement, ticket, done, awaited](
          std::exception_ptr error, std::shared_ptr<RemoteThreadListPage> page) {
        if (latest.expired()) {  // superseded by a reload
          state.fail(ticket);
          return done.resolve();
        }
        loading = false;
        if (replacement) replacing = false;
        if (error) {
          state.fail(ticket);
          load_completion.reset();  // a later call retries
          notify();
          if (!awaited && !is_adapter_changed(error))
            report_failure(ErrorKind::AdapterFailed, "loading the thread list failed", error);
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

Completion ThreadListImpl::load_more() {
  if (single || !cursor || loading) return Completion::succeeded();
  if (more_completion) return *more_completion;
  loading_more = true;
  Completion done;
  more_completion = done;
  const auto ticket = state.start(ListUpdate{});
  notify();
  const std::string after = *cursor;
  call<RemoteThreadListPage>(
      [after](RemoteThreadListAdapter& a) { return a.list(after); },
      [this, latest = load_lifetime.token(), ticket, done](
          std::exception_ptr error, std::shared_ptr<RemoteThreadListPage> page) {
        if (latest.expired()) {  // the list was reloaded meanwhile
          state.fail(ticket);
          return done.resolve();
        }
        loading_more = false;
        more_completion.reset();
        if (error) {
          state.fail(ticket);
          notify();
          return done.reject(error);  // the caller of load_more() learns of it
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
void ThreadListImpl::drop_unlisted(const RemoteThreadListPage& page) {
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

void ThreadListImpl::replace_adapter(std::shared_ptr<RemoteThreadListAdapter> next) {
  adapter = next ? std::move(next) : std::make_shared<InMemoryThreadListAdapter>();
  adapter_inline = dynamic_cast<InMemoryThreadListAdapter*>(adapter.get()) != nullptr;
  adapter_lifetime.reset();
  // Effects of calls to the old adapter are dropped; their late results fail AdapterChanged.
  state.reset(state.base());
  replacing = true;
  start_load(false);
}

}  // namespace aui::detail
