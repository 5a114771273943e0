#pragma once
// Errors: the kinds aui reports (spec §18), the error object, where errors go, and the
// cancellation error adapters throw.
//
// THE RULE — every public operation of the runtime (ThreadRuntime, its composers, MessageQueue,
// ThreadListRuntime, LocalRuntime) reports a failure in exactly one of three ways:
//
// 1. It throws aui::Error at once, and changes nothing, when the call itself is wrong: a bad
//    argument, or a call the current state does not allow (an unknown id, a message of the wrong
//    role, an approval already decided, ...). This covers every operation that returns no
//    Completion, and the checks a Completion-returning operation makes before it begins any work:
//    the §18 "sync" rows (resume_run without a stream: StreamRequired) and reload of an unknown or
//    non-assistant message (MessageNotFound, NotAssistant).
// 2. An operation that starts work returns a Completion and reports the work's outcome only
//    through it, never by throwing and never also to on_error: the §18 "async" rows (append with
//    an unknown parent: ParentNotFound; start_run/resume_run with an unknown head: HeadNotFound;
//    delete_message without a history delete, or of a message off the branch: DeleteUnsupported,
//    MessageNotFound; the initialisation barrier failing: MessageNotSent), every thread-list
//    operation (ThreadNotFound, ThreadStatus, Unsupported, AdapterChanged), and the failure of the
//    work itself. Adapter errors propagate unchanged: the completion's exception_ptr is the
//    exception the adapter threw (a model adapter's error fails append/start_run and ends the
//    reply incomplete/error; a list adapter's error fails the list mutation).
// 3. Errors no caller can receive go to the on_error handler (ThreadRuntimeOptions::on_error) as
//    an aui::Error object whose cause() is the original exception: a subscriber or listener that
//    throws (ListenerFailed), a failed history write or load nobody awaits (Storage), a failed
//    background job or an adapter failing outside any awaited call — suggestions, speech,
//    dictation, titles, the list's own loads (AdapterFailed) — and, for messages sent by a
//    composer or the queue (whose append nobody awaits), a MessageNotSent. A reply whose model
//    call failed is not reported there: the reply itself shows the error (incomplete/error).
//
// Programming errors are not reported this way: calling from a thread other than the owner
// stops the program in checked builds (OwnerThread).

#include <concepts>
#include <cstddef>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

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
  // stores: a database that cannot be opened, read or written; a history write or load
  Storage,
  // reported to on_error only (rule 3 above)
  ListenerFailed,  // a subscriber, event listener or callback of the application threw
  AdapterFailed,   // an adapter failed in work no caller awaits (suggestions, speech, a title, ...)
};

/// The spec name of an error kind, e.g. "ParentNotFound".
std::string_view to_string(ErrorKind kind) noexcept;

/// An error raised by aui itself. `kind()` says what went wrong; `message()` is a readable
/// sentence that names the offending id, field or path; `what()` is the kind's name followed by
/// the message (for logs); `cause()` is the exception that led to it, when there is one (a store's
/// error behind a Storage report, the barrier's failure behind MessageNotSent, a listener's throw).
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message);
  /// With the exception that caused it (may be empty).
  Error(ErrorKind kind, const std::string& message, std::exception_ptr cause);
  ErrorKind kind() const noexcept { return kind_; }
  /// The sentence, without the kind's name.
  const std::string& message() const noexcept { return message_; }
  /// The exception behind this one, or an empty pointer.
  const std::exception_ptr& cause() const noexcept { return cause_; }

 private:
  ErrorKind kind_;
  std::string message_;
  std::exception_ptr cause_;
};

/// The readable message of any exception: an aui::Error's message(), a std::exception's what(),
/// a thrown string; "unknown error" for anything else and "no error" for an empty pointer.
std::string describe_exception(const std::exception_ptr& e);

class ErrorHandler;

namespace detail {
/// A callable that takes the error object.
template <class F>
concept ErrorCallback =
    std::invocable<F&, const Error&> && !std::same_as<std::remove_cvref_t<F>, ErrorHandler>;
/// A callable of the earlier form, that takes the message.
template <class F>
concept MessageCallback =
    !std::invocable<F&, const Error&> && std::invocable<F&, const std::string&>;
/// Callables that can be empty: a std::function or a function pointer. A lambda cannot (and
/// testing one that converts to a function pointer trips -Waddress).
template <class F>
inline constexpr bool can_be_empty = std::is_pointer_v<F> || std::is_member_pointer_v<F>;
template <class R, class... A>
inline constexpr bool can_be_empty<std::function<R(A...)>> = true;
}  // namespace detail

/// Where errors no caller can receive go (rule 3 above): ThreadRuntimeOptions::on_error.
/// Holds a callable taking `const aui::Error&`; a callable taking `const std::string&` (the form
/// of earlier releases) is accepted too and receives the error's message(). Empty by default: the
/// runtime then writes the error to standard error.
class ErrorHandler {
 public:
  ErrorHandler() = default;
  ErrorHandler(std::nullptr_t) noexcept {}  // NOLINT(google-explicit-constructor): = nullptr

  /// A handler that receives the error object.
  template <detail::ErrorCallback F>
  ErrorHandler(F f) {  // NOLINT(google-explicit-constructor): assigned from lambdas
    if constexpr (detail::can_be_empty<F>) {
      if (!f) return;  // an empty std::function stays an empty handler
    }
    fn_ = std::move(f);
  }

  /// The earlier form: a handler that receives the error's message().
  template <detail::MessageCallback F>
  ErrorHandler(F f) {  // NOLINT(google-explicit-constructor): assigned from lambdas
    if constexpr (detail::can_be_empty<F>) {
      if (!f) return;  // an empty std::function stays an empty handler
    }
    fn_ = [f = std::move(f)](const Error& e) mutable { f(e.message()); };
  }

  explicit operator bool() const noexcept { return static_cast<bool>(fn_); }
  /// Calls the handler (it must not be empty).
  void operator()(const Error& error) const { fn_(error); }

 private:
  std::function<void(const Error&)> fn_;
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
