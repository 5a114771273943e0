// ThreadListRuntime's public entry points (spec §14): each checks its preconditions and hands the
// work to the job that holds it (see runtime/thread_list_impl.hpp for the map of the files).

#include "aui/runtime/thread_list_runtime.hpp"

#include "runtime/thread_list_impl.hpp"

namespace aui {

using detail::failed;
using detail::ItemData;
using detail::Slot;
using detail::ThreadListImpl;

ThreadListRuntime::ThreadListRuntime(std::shared_ptr<ThreadListImpl> impl)
    : impl_(std::move(impl)) {}

ThreadListRuntime::ThreadListRuntime(ThreadListRuntimeOptions options)
    : impl_(std::make_shared<ThreadListImpl>()) {
  auto& im = *impl_;
  auto op = im.enter("ThreadListRuntime::ThreadListRuntime");
  if (!options.thread.dispatcher) {
    throw Error(ErrorKind::InvalidArgument, "ThreadListRuntimeOptions: a dispatcher is required");
  }
  if (!options.thread.executor) options.thread.executor = default_executor();
  im.adapter = options.adapter ? options.adapter : std::make_shared<InMemoryThreadListAdapter>();
  im.adapter_inline = dynamic_cast<InMemoryThreadListAdapter*>(im.adapter.get()) != nullptr;
  im.options = std::move(options);
  im.main = im.create_draft();
  im.start_runtime(im.main);
  im.start_load(false);  // nobody awaits the first load: a failure goes to on_error
  if (im.options.initial_thread_id) {
    im.switch_to(*im.options.initial_thread_id, {}, true)
        .then(im.guarded([&im](std::exception_ptr e) {
          if (e)
            im.report_failure(ErrorKind::AdapterFailed, "opening the initial thread failed", e);
        }));
  }
}

std::unique_ptr<ThreadListRuntime> ThreadListRuntime::single(ThreadRuntimeOptions options) {
  auto impl = std::make_shared<ThreadListImpl>();
  if (!options.dispatcher) {
    throw Error(ErrorKind::InvalidArgument, "ThreadRuntimeOptions: a dispatcher is required");
  }
  if (!options.executor) options.executor = default_executor();
  auto op = impl->enter("ThreadListRuntime::single");
  impl->single = true;
  impl->options.thread = std::move(options);
  auto item = std::make_shared<ItemData>();
  item->id = detail::kDefaultThreadId;
  item->status = ThreadStatus::Regular;
  impl->main = impl->new_slot(std::move(item), detail::kDefaultThreadId);
  impl->start_runtime(impl->main);
  return std::unique_ptr<ThreadListRuntime>(new ThreadListRuntime(std::move(impl)));
}

ThreadListRuntime::~ThreadListRuntime() {
  impl_->owner.check("ThreadListRuntime::~ThreadListRuntime");
}

bool ThreadListRuntime::is_loading() const noexcept {
  impl_->owner.check("ThreadListRuntime::is_loading");
  return impl_->loading;
}
bool ThreadListRuntime::is_loading_more() const noexcept {
  impl_->owner.check("ThreadListRuntime::is_loading_more");
  return impl_->loading_more;
}
bool ThreadListRuntime::has_more() const noexcept {
  impl_->owner.check("ThreadListRuntime::has_more");
  return impl_->cursor.has_value();
}

std::vector<std::string> ThreadListRuntime::thread_ids() const {
  impl_->owner.check("ThreadListRuntime::thread_ids");
  return impl_->ids_of(impl_->view().regular);
}

std::vector<std::string> ThreadListRuntime::archived_thread_ids() const {
  impl_->owner.check("ThreadListRuntime::archived_thread_ids");
  return impl_->ids_of(impl_->view().archived);
}

std::optional<std::string> ThreadListRuntime::new_thread_id() const {
  impl_->owner.check("ThreadListRuntime::new_thread_id");
  const auto& draft = impl_->view().draft;
  if (!draft) return std::nullopt;
  return impl_->data(*draft).id;
}

std::string ThreadListRuntime::main_thread_id() const {
  impl_->owner.check("ThreadListRuntime::main_thread_id");
  return impl_->slots[impl_->main].local_id;
}

std::optional<ThreadListItem> ThreadListRuntime::item(const std::string& id) const {
  impl_->owner.check("ThreadListRuntime::item");
  auto s = impl_->find(id);
  if (!s) return std::nullopt;
  return impl_->to_item(*s);
}

ThreadRuntime& ThreadListRuntime::main_thread() {
  auto op = impl_->enter("ThreadListRuntime::main_thread");
  return impl_->start_runtime(impl_->main);
}

ThreadRuntime* ThreadListRuntime::thread(const std::string& id) {
  impl_->owner.check("ThreadListRuntime::thread");
  auto s = impl_->find(id);
  if (!s) return nullptr;
  return impl_->runtime(*s);
}

std::size_t ThreadListRuntime::size() const noexcept {
  impl_->owner.check("ThreadListRuntime::size");
  std::size_t n = 0;
  for (const auto& item : impl_->view().items) n += item ? 1 : 0;
  return n;
}

Completion ThreadListRuntime::load_threads() {
  auto op = impl_->enter("ThreadListRuntime::load_threads");
  return impl_->load_threads();
}

Completion ThreadListRuntime::load_more() {
  auto op = impl_->enter("ThreadListRuntime::load_more");
  return impl_->load_more();
}

Completion ThreadListRuntime::reload() {
  auto op = impl_->enter("ThreadListRuntime::reload");
  if (impl_->single) return Completion::succeeded();
  return impl_->start_load(true);
}

Completion ThreadListRuntime::switch_to_thread(const std::string& id, SwitchOptions options) {
  auto op = impl_->enter("ThreadListRuntime::switch_to_thread");
  return impl_->switch_to(id, options, true);
}

Completion ThreadListRuntime::switch_to_new_thread() {
  auto op = impl_->enter("ThreadListRuntime::switch_to_new_thread");
  return impl_->switch_to_draft(true);
}

Completion ThreadListRuntime::initialize(const std::string& id) {
  auto op = impl_->enter("ThreadListRuntime::initialize");
  auto& im = *impl_;
  if (im.single) return Completion::succeeded();  // { remoteId: id } (spec §14.1)
  auto s = im.find(id);
  if (!s) return im.not_found(id, "initialize");
  return im.initialize_slot(*s);
}

Completion ThreadListRuntime::rename(const std::string& id, const std::string& title) {
  auto op = impl_->enter("ThreadListRuntime::rename");
  auto& im = *impl_;
  if (im.single) return im.unsupported("rename");
  auto s = im.find(id);
  if (!s) return im.not_found(id, "rename");
  if (im.data(*s).status == ThreadStatus::New) return im.bad_status(*s, id, "rename");
  const Slot slot = *s;
  return im.mutate(
      slot,
      [slot, title](detail::ListState st) {
        return detail::with_item(std::move(st), slot, [&](ItemData& item) { item.title = title; });
      },
      [title](RemoteThreadListAdapter& a, const std::string& remote_id) {
        a.rename(remote_id, title);
      });
}

Completion ThreadListRuntime::update_custom(const std::string& id, std::optional<Json> custom) {
  auto op = impl_->enter("ThreadListRuntime::update_custom");
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
      [slot, custom](detail::ListState st) {
        return detail::with_item(std::move(st), slot,
                                 [&](ItemData& item) { item.custom = custom; });
      },
      [custom](RemoteThreadListAdapter& a, const std::string& remote_id) {
        a.update_custom(remote_id, custom);
      });
}

Completion ThreadListRuntime::archive(const std::string& id) {
  auto op = impl_->enter("ThreadListRuntime::archive");
  auto& im = *impl_;
  if (im.single) return im.unsupported("archive");
  auto s = im.find(id);
  if (!s) return im.not_found(id, "archive");
  if (im.data(*s).status != ThreadStatus::Regular) return im.bad_status(*s, id, "archive");
  const Slot slot = *s;
  return im.leave_main(slot, [&im, slot] { return im.archive_slot(slot); });
}

Completion ThreadListRuntime::unarchive(const std::string& id) {
  auto op = impl_->enter("ThreadListRuntime::unarchive");
  auto& im = *impl_;
  if (im.single) return im.unsupported("unarchive");
  auto s = im.find(id);
  if (!s) return im.not_found(id, "unarchive");
  if (im.data(*s).status != ThreadStatus::Archived) return im.bad_status(*s, id, "unarchive");
  return im.unarchive_slot(*s);
}

Completion ThreadListRuntime::remove(const std::string& id) {
  auto op = impl_->enter("ThreadListRuntime::remove");
  auto& im = *impl_;
  if (im.single) return im.unsupported("delete");
  auto s = im.find(id);
  if (!s) return im.not_found(id, "delete");
  if (im.data(*s).status == ThreadStatus::New) return im.bad_status(*s, id, "delete");
  const Slot slot = *s;
  return im.leave_main(slot, [&im, slot] { return im.remove_slot(slot); });
}

Completion ThreadListRuntime::detach(const std::string& id) {
  auto op = impl_->enter("ThreadListRuntime::detach");
  auto& im = *impl_;
  if (im.single) return im.unsupported("detach");
  auto s = im.find(id);
  if (!s) return im.not_found(id, "detach");
  if (im.data(*s).status == ThreadStatus::New) return im.bad_status(*s, id, "detach");
  const Slot slot = *s;
  return im.leave_main(slot, [&im, slot] {
    im.stop_runtime(slot);
    return Completion::succeeded();
  });
}

Completion ThreadListRuntime::generate_title(const std::string& id) {
  auto op = impl_->enter("ThreadListRuntime::generate_title");
  auto& im = *impl_;
  if (im.single) return im.unsupported("generateTitle");
  auto s = im.find(id);
  if (!s) return im.not_found(id, "generateTitle");
  if (im.data(*s).status == ThreadStatus::New) return im.bad_status(*s, id, "generateTitle");
  return im.generate_title_slot(*s);
}

Completion ThreadListRuntime::reload_main_thread() {
  auto op = impl_->enter("ThreadListRuntime::reload_main_thread");
  auto& im = *impl_;
  if (im.data(im.main).status == ThreadStatus::New) return Completion::succeeded();
  im.stop_runtime(im.main);
  im.start_runtime(im.main);
  im.notify();
  return Completion::succeeded();
}

Completion ThreadListRuntime::set_thread_id(const std::optional<std::string>& remote_id) {
  auto op = impl_->enter("ThreadListRuntime::set_thread_id");
  auto& im = *impl_;
  if (im.has_controlled && im.controlled == remote_id) return Completion::succeeded();
  im.has_controlled = true;
  im.controlled = remote_id;
  if (remote_id) return im.switch_to(*remote_id, {}, false);
  return im.switch_to_draft(false);
}

void ThreadListRuntime::set_adapter(std::shared_ptr<RemoteThreadListAdapter> adapter) {
  auto op = impl_->enter("ThreadListRuntime::set_adapter");
  if (impl_->single) return;
  impl_->replace_adapter(std::move(adapter));
}

Subscription ThreadListRuntime::subscribe(std::function<void()> on_change) {
  impl_->owner.check("ThreadListRuntime::subscribe");
  return impl_->listeners->subscribe(std::move(on_change));
}

}  // namespace aui
