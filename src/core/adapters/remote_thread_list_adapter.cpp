#include "aui/adapters/remote_thread_list_adapter.hpp"

#include "aui/support/errors.hpp"

namespace aui {

std::string_view to_string(ThreadStatus status) noexcept {
  switch (status) {
    case ThreadStatus::New: return "new";
    case ThreadStatus::Regular: return "regular";
    case ThreadStatus::Archived: return "archived";
  }
  return "regular";
}

void RemoteThreadListAdapter::update_custom(const std::string&, const std::optional<Json>&) {
  throw Error(ErrorKind::Unsupported, "this thread list adapter cannot update custom metadata");
}

void RemoteThreadListAdapter::generate_title(const std::string&, const MessageList&,
                                             const TitleSink&) {}

}  // namespace aui
