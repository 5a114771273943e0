#include "aui/adapters/thread_history_adapter.hpp"

#include "aui/support/errors.hpp"

namespace aui {

void ThreadHistoryAdapter::update(const ExportedMessageRepositoryItem&) {
  throw Error(ErrorKind::Unsupported, "this history adapter cannot update a message");
}

void ThreadHistoryAdapter::remove(const std::vector<ExportedMessageRepositoryItem>&) {
  throw Error(ErrorKind::DeleteUnsupported, "this history adapter cannot delete messages");
}

ChatModelAdapter ThreadHistoryAdapter::resume() {
  throw Error(ErrorKind::Unsupported, "this history adapter cannot resume a run");
}

}  // namespace aui
