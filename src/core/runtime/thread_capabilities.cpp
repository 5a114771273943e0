// Capabilities (spec §10) and the thread's extras: suggestions (spec §13.5), speech (spec §5.13,
// §13.2) and feedback (spec §5.14).

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

void ThreadRuntime::Impl::recompute_capabilities() {
  Capabilities c;
  c.remove = options_.adapters.history && options_.adapters.history->has_delete();
  c.speech = options_.adapters.speech != nullptr;
  c.dictation = options_.adapters.dictation != nullptr;
  c.attachments = options_.adapters.attachments != nullptr;
  c.feedback = options_.adapters.feedback != nullptr;
  c.queue = queue_ != nullptr;
  if (c != capabilities_) {
    capabilities_ = c;
    notify();
  }
}

// ---------------------------------------------------------------------------------------------
// Suggestions (spec §13.5)

void ThreadRuntime::Impl::abort_suggestions() {
  if (suggestion_job_) {
    suggestion_job_->stop.request_stop();
    suggestion_job_ = nullptr;
  }
}

void ThreadRuntime::Impl::start_suggestions() {
  abort_suggestions();
  auto adapter = options_.adapters.suggestion;
  if (!adapter) return;
  auto job = std::make_shared<SuggestionJob>();
  suggestion_job_ = job;
  auto dispatcher = options_.dispatcher;
  auto alive = lifetime_.token();
  auto deliver = [this, dispatcher, job, alive](std::vector<ThreadSuggestion> list) {
    if (job->stop.stop_requested()) return;
    dispatcher->post([this, job, alive, list = std::move(list)]() mutable {
      if (alive.expired() || job->stop.stop_requested()) return;
      const Operation op(notifier_);
      suggestions_ = std::move(list);
      notify();
    });
  };
  options_.executor->execute([adapter, job, deliver, dispatcher, alive, this, msgs = messages()] {
    std::exception_ptr failure;
    try {
      auto last = adapter->generate(msgs, job->stop.get_token(), deliver);
      deliver(std::move(last));
    } catch (...) {
      failure = std::current_exception();
    }
    if (failure) {
      // The failure moves to the owner (the worker keeps no reference to it).
      dispatcher->post([this, job, alive, failure = std::move(failure)] {
        // An aborted generation ending in an error is the abort, not a failure worth reporting.
        if (alive.expired() || job->stop.stop_requested()) return;
        const Operation op(notifier_);
        report(Error(ErrorKind::AdapterFailed,
                     "suggestion generation failed: " + describe_exception(failure), failure));
        // A failing generation leaves no suggestions, even ones it delivered before failing.
        if (!job->stop.stop_requested() && !suggestions_.empty()) {
          suggestions_.clear();
          notify();
        }
      });
    }
  });
}

void ThreadRuntime::Impl::submit_feedback(const Id& message_id, FeedbackType type,
                                          std::optional<std::string> comment) {
  if (!options_.adapters.feedback) {
    throw Error(ErrorKind::AdapterMissing, "submitFeedback needs a feedback adapter");
  }
  auto loc = repository_.get(message_id);  // MessageNotFound
  auto thread_id = options_.thread_id_provider ? options_.thread_id_provider() : options_.thread_id;
  options_.adapters.feedback->submit(
      FeedbackSubmission{loc.message, type, std::move(comment), std::move(thread_id)});
  if (loc.message->role != Role::Assistant) return;
  auto updated = std::make_shared<ThreadMessage>(*loc.message);
  updated->metadata.submitted_feedback = type;
  MessagePtr next = updated;
  repository_.add_or_update(loc.parent_id, next);
  // A metadata-only write does not take the message from a run still writing it (spec §6.7,
  // the quirk not to replicate): the run continues from the updated object.
  for (auto& rt : live_roundtrips_) {
    if (rt->last_written.get() == loc.message.get()) rt->last_written = next;
    if (rt->message.get() == loc.message.get()) {
      rt->message = next;
      rt->live->set(next);
    }
  }
  notify();
}

// ---------------------------------------------------------------------------------------------
// Speech (spec §5.13, §13.2)

void ThreadRuntime::Impl::stop_utterance() {
  // Unsubscribe first: the cancelled utterance's last status change must not clear the state
  // of the one that replaces it.
  if (auto unsubscribe = std::exchange(utterance_unsubscribe_, {})) unsubscribe();
  if (auto utterance = std::exchange(utterance_, nullptr)) utterance->cancel();
}

void ThreadRuntime::Impl::speak(const Id& message_id) {
  auto adapter = options_.adapters.speech;
  if (!adapter) throw Error(ErrorKind::AdapterMissing, "speak needs a speech synthesis adapter");
  auto loc = repository_.get(message_id);  // MessageNotFound
  stop_utterance();
  auto utterance = adapter->speak(loc.message->text());
  if (!utterance)
    throw Error(ErrorKind::InvalidArgument, "the speech adapter returned no utterance");
  utterance_ = utterance;
  speech_ = SpeechState{message_id, utterance->status()};
  // Status changes may come from the adapter's thread: read the status on the owner thread, and
  // only while this utterance is still the current one.
  auto dispatcher = options_.dispatcher;
  auto alive = lifetime_.token();
  std::weak_ptr<Utterance> weak = utterance;
  auto on_change = [this, dispatcher, alive, weak] {
    dispatcher->post([this, alive, weak] {
      auto u = weak.lock();
      if (alive.expired() || !u || u != utterance_) return;
      const Operation op(notifier_);
      const UtteranceStatus status = u->status();
      if (status.type == UtteranceStatus::Type::Ended) {
        if (status.reason == UtteranceStatus::EndReason::Error)
          report(Error(ErrorKind::AdapterFailed, "speech failed: " + status.error));
        if (auto unsubscribe = std::exchange(utterance_unsubscribe_, {})) unsubscribe();
        utterance_ = nullptr;
        speech_.reset();
      } else if (speech_ && speech_->status != status) {
        speech_->status = status;
      } else {
        return;
      }
      notify();
    });
  };
  utterance_unsubscribe_ = utterance->subscribe(on_change);
  // A change between speak() and subscribe() would be missed: look once more, on a later turn.
  on_change();
  notify();
}

void ThreadRuntime::Impl::stop_speaking() {
  if (!speech_) throw Error(ErrorKind::NotSpeaking, "nothing is being spoken");
  stop_utterance();
  speech_.reset();
  notify();
}

void ThreadRuntime::Impl::stop_speaking(const Id& message_id) {
  if (!speech_ || speech_->message_id != message_id) {
    throw Error(ErrorKind::NotSpeaking, "message " + quote_id(message_id) + " is not being spoken");
  }
  stop_speaking();
}

}  // namespace aui
