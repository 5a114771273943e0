// The message queue's dispatching (spec §9): when a queued message goes out, one per run.

#include "runtime/thread_runtime_impl.hpp"

namespace aui {

using detail::Channel;
using detail::ChannelSink;
using detail::copy_with_content;
using detail::copy_with_status;
using detail::is_abort_kind;
using detail::LiveMessage;
using detail::make_error;
using detail::quote_id;
using detail::set_tool_result;
using detail::SuggestionJob;

// ---------------------------------------------------------------------------------------------
// The message queue (spec §9)

void ThreadRuntime::Impl::set_message_queue_enabled(bool enabled) {
  options_.enable_message_queue = enabled;
  if (enabled && !queue_) {
    queue_ = std::make_unique<MessageQueue>();
    queue_->on_moved = [this] {
      const Operation op(notifier_);
      advance_queue();
    };
    queue_->on_error = [this](const Error& e) { report(e); };
    queue_shown_ = queue_->subscribe([this] {
      if (composer_) notify_composer(*composer_);
    });
    // A run already in progress keeps the queue busy until it ends.
    queue_busy_ = active_run_ != nullptr;
    queue_paused_ = false;
    queue_run_in_flight_ = false;
  } else if (!enabled && queue_) {
    queue_shown_ = Subscription{};
    queue_.reset();
    if (composer_) notify_composer(*composer_);
  }
  recompute_capabilities();
}

bool ThreadRuntime::Impl::addressed_to_tail(const Parent& parent) const {
  const auto& msgs = messages();
  switch (parent.kind()) {
    case Parent::Kind::Tail: return true;
    case Parent::Kind::Root: return msgs.empty();
    case Parent::Kind::Message: return !msgs.empty() && msgs.back()->id == parent.id();
  }
  return false;
}

// Reports a queued message that could not be sent: as it is when it is a MessageNotSent, else as
// one caused by `failure`.
void ThreadRuntime::Impl::report_not_sent(const std::exception_ptr& failure) const {
  try {
    std::rethrow_exception(failure);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::MessageNotSent) return report(e);
  } catch (...) {
  }
  report(Error(ErrorKind::MessageNotSent,
               "a queued message could not be sent: " + describe_exception(failure), failure));
}

// Dispatches the next item when no run is in progress (spec §9.4): one item per run.
void ThreadRuntime::Impl::advance_queue() {
  if (!queue_ || queue_busy_ || queue_paused_ || detached_) return;
  auto next = queue_->take_next();
  if (!next) return;
  next->parent = Parent::tail();  // the tail may have moved while it waited
  queue_busy_ = true;
  const auto epoch = queue_epoch_;
  dispatching_ = true;
  Completion done;
  try {
    done = run_append(std::move(*next), true, false);  // nobody awaits a queued message
  } catch (...) {
    done = Completion::failed_with(std::current_exception());
  }
  dispatching_ = false;
  // A queued message's append has no caller, so what the thread does not show goes to on_error:
  // a message that could not be sent at all, at once or at the initialisation barrier. (Errors
  // of its run are on its reply, spec §5.1; a failed history write reports itself.)
  if (done.failed()) {
    report_not_sent(done.error());
  } else {
    done.then([this, alive = lifetime_.token()](std::exception_ptr failure) {
      if (alive.expired() || !failure) return;
      try {
        std::rethrow_exception(failure);
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::MessageNotSent) report(e);
      } catch (...) {
      }
    });
  }
  // A dispatch that failed before any run started releases the queue itself.
  if (queue_epoch_ == epoch) {
    queue_busy_ = false;
    release_queue_later();
  }
}

// On a later turn: the run loop ended, so the next item may go.
void ThreadRuntime::Impl::release_queue_later() {
  auto alive = lifetime_.token();
  const auto epoch = queue_epoch_;
  options_.dispatcher->post([this, alive, epoch] {
    if (alive.expired() || !queue_ || queue_epoch_ != epoch) return;  // a newer run took over
    const Operation op(notifier_);
    queue_busy_ = false;
    queue_run_in_flight_ = false;
    advance_queue();
  });
}

}  // namespace aui
