// InMemoryThreadListAdapter (spec §14.13): the list adapter of an application that keeps its
// threads in memory only. The thread list calls it inline (it never blocks).

#include "aui/runtime/thread_list_runtime.hpp"
#include "aui/support/errors.hpp"

namespace aui {

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
              "thread \"" + thread_id + "\" not found (threads are kept in memory only)");
}

}  // namespace aui
