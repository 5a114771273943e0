#pragma once
// Error kinds reported by the runtime (spec §18) and the cancellation error adapters throw.

#include <stdexcept>
#include <string>
#include <string_view>

namespace aui {

/// The kinds of failure the runtime reports. Wording of messages is not part of the contract;
/// the kind is.
enum class ErrorKind {
  ParentNotFound,
  HeadNotFound,
  MessageNotFound,
  BranchNotFound,
  Cycle,
  InvalidMessage,
  InvalidJson,
  StreamRequired,
  NotAssistant,
  ToolCallNotFound,
  ApprovalNotFound,
  RunInProgress,
  NotPaused,
  ApprovalTerminated,
  ApprovalAlreadyDecided,
  NoPendingApproval,
  EditInProgress,
  DeleteUnsupported,
  AdapterMissing,
  NotSpeaking,
  Unsupported,
  AttachmentsUnsupported,
  NotAccepted,
  AttachmentNotFound,
  InvalidArgument,
  DuplicateTool,
  MessageNotSent,
  UnknownQueueItem,
  UnknownAnchor,
  SelfAnchor,
  NotAdjacent,
  // thread lists (spec §14)
  ThreadNotFound,
  ThreadStatus,
  ThreadDeleted,
  AdapterChanged,
  // stores: a database that cannot be opened, read or written
  Storage,
};

/// The spec name of an error kind, e.g. "ParentNotFound".
std::string_view to_string(ErrorKind kind) noexcept;

/// An error raised by aui itself. `kind()` says what went wrong; `what()` is a readable message
/// that names the offending id, field or path.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message);
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

/// Why a run was cancelled.
enum class CancelReason { None, UserCancel, Superseded, Detach };

/// The abort-kind error. An adapter that stops because its stop token fired may throw this (or
/// let it propagate); the runtime then ends the message `incomplete/cancelled` instead of
/// `incomplete/error`.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("the run was cancelled") {}
  explicit Cancelled(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace aui
