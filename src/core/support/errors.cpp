// Error kinds (spec §18).

#include "aui/support/errors.hpp"

namespace aui {

std::string_view to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::ParentNotFound: return "ParentNotFound";
    case ErrorKind::HeadNotFound: return "HeadNotFound";
    case ErrorKind::MessageNotFound: return "MessageNotFound";
    case ErrorKind::BranchNotFound: return "BranchNotFound";
    case ErrorKind::Cycle: return "Cycle";
    case ErrorKind::InvalidMessage: return "InvalidMessage";
    case ErrorKind::InvalidJson: return "InvalidJson";
    case ErrorKind::StreamRequired: return "StreamRequired";
    case ErrorKind::NotAssistant: return "NotAssistant";
    case ErrorKind::ToolCallNotFound: return "ToolCallNotFound";
    case ErrorKind::ApprovalNotFound: return "ApprovalNotFound";
    case ErrorKind::RunInProgress: return "RunInProgress";
    case ErrorKind::NotPaused: return "NotPaused";
    case ErrorKind::ApprovalTerminated: return "ApprovalTerminated";
    case ErrorKind::ApprovalAlreadyDecided: return "ApprovalAlreadyDecided";
    case ErrorKind::NoPendingApproval: return "NoPendingApproval";
    case ErrorKind::EditInProgress: return "EditInProgress";
    case ErrorKind::DeleteUnsupported: return "DeleteUnsupported";
    case ErrorKind::AdapterMissing: return "AdapterMissing";
    case ErrorKind::NotSpeaking: return "NotSpeaking";
    case ErrorKind::Unsupported: return "Unsupported";
    case ErrorKind::AttachmentsUnsupported: return "AttachmentsUnsupported";
    case ErrorKind::NotAccepted: return "NotAccepted";
    case ErrorKind::AttachmentNotFound: return "AttachmentNotFound";
    case ErrorKind::InvalidArgument: return "InvalidArgument";
    case ErrorKind::DuplicateTool: return "DuplicateTool";
    case ErrorKind::MessageNotSent: return "MessageNotSent";
    case ErrorKind::UnknownQueueItem: return "UnknownQueueItem";
    case ErrorKind::UnknownAnchor: return "UnknownAnchor";
    case ErrorKind::SelfAnchor: return "SelfAnchor";
    case ErrorKind::NotAdjacent: return "NotAdjacent";
    case ErrorKind::ThreadNotFound: return "ThreadNotFound";
    case ErrorKind::ThreadStatus: return "ThreadStatus";
    case ErrorKind::ThreadDeleted: return "ThreadDeleted";
    case ErrorKind::AdapterChanged: return "AdapterChanged";
    case ErrorKind::Storage: return "Storage";
    case ErrorKind::ListenerFailed: return "ListenerFailed";
    case ErrorKind::AdapterFailed: return "AdapterFailed";
  }
  return "Unknown";
}

Error::Error(ErrorKind kind, const std::string& message) : Error(kind, message, nullptr) {}

Error::Error(ErrorKind kind, const std::string& message, std::exception_ptr cause)
    : std::runtime_error(std::string(to_string(kind)) + ": " + message),
      kind_(kind),
      message_(message),
      cause_(std::move(cause)) {}

std::string describe_exception(const std::exception_ptr& e) {
  if (!e) return "no error";
  try {
    std::rethrow_exception(e);
  } catch (const Error& error) {
    return error.message();
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (const std::string& s) {
    return s;
  } catch (const char* s) {
    return s;
  } catch (...) {
    return "unknown error";
  }
}

}  // namespace aui
