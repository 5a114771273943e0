// append (spec §5.1) and the operations that start runs: startRun, resumeRun, reload (spec §5.2,
// §5.3, §5.5), and cancelRun (spec §5.4).

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
// AppendMessage

AppendMessage AppendMessage::user(std::string text) {
  AppendMessage m;
  m.role = Role::User;
  m.content.emplace_back(TextPart{Text(text)});
  return m;
}

// ---------------------------------------------------------------------------------------------
// append (spec §5.1)

Completion ThreadRuntime::Impl::append(AppendMessage message) {
  const Operation op(notifier_);
  return run_append(std::move(message), true, true);
}

Completion ThreadRuntime::Impl::append_unawaited(AppendMessage message) {
  const Operation op(notifier_);
  return run_append(std::move(message), true, false);
}

Completion ThreadRuntime::Impl::run_append(AppendMessage message, bool composer_metadata,
                                           bool awaited) {
  // The queue (spec §9.3): a run-starting message for the tail waits its turn; one for another
  // parent (an edit) runs at once and, by default, empties the queue.
  if (queue_ && !dispatching_ && message.start_run.value_or(message.role == Role::User)) {
    if (addressed_to_tail(message.parent)) {
      const bool steer = message.steer.value_or(queue_run_in_flight_);
      queue_paused_ = false;  // a send re-arms a queue a cancel paused
      queue_->add(std::move(message), steer ? QueueLane::Steer : QueueLane::Queue);
      advance_queue();
      return Completion::succeeded();
    }
    if (options_.queue_clear_on_rewind) queue_->clear();
  }
  // Step 1: provider composer metadata (reading the context can fail: DuplicateTool), then the
  // initialize latch.
  if (composer_metadata && message.role == Role::User && !listeners_->providers.empty()) {
    ModelContext ctx;
    try {
      ctx = model_context();
    } catch (...) {
      return Completion::failed_with(std::current_exception());
    }
    if (ctx.composer_metadata.is_object()) {
      if (!message.custom.is_object()) message.custom = Json::object();
      for (const auto& [k, v] : ctx.composer_metadata.items()) message.custom[k] = v;
    }
  }
  initialize_once();

  std::optional<Id> parent_id;
  switch (message.parent.kind()) {
    case Parent::Kind::Tail:
      if (!messages().empty()) parent_id = messages().back()->id;
      break;
    case Parent::Kind::Root: break;
    case Parent::Kind::Message:
      parent_id = message.parent.id();
      if (!repository_.contains(*parent_id)) {
        return Completion::failed_with(make_error(
            ErrorKind::ParentNotFound, "parent message " + quote_id(*parent_id) + " not found"));
      }
      break;
  }

  // Step 2: normalise and show the message at once.
  ThreadMessageLike like;
  like.role = message.role;
  like.content = std::move(message.content);
  like.created_at = message.created_at;
  like.status = message.status;
  if (message.role == Role::User || !message.attachments.empty()) {
    like.attachments = std::move(message.attachments);
  }
  like.metadata.custom = std::move(message.custom);
  MessagePtr stored;
  try {
    stored = std::make_shared<const ThreadMessage>(
        normalize_message(std::move(like), generate_id(), MessageStatus::complete()));
  } catch (...) {
    return Completion::failed_with(std::current_exception());
  }
  repository_.add_or_update(parent_id, stored);
  notify();

  // Step 3: the initialisation gate of a thread list (spec §14.7).
  if (options_.initialize_barrier) {
    Completion barrier = options_.initialize_barrier();
    if (!barrier.succeeded_ok())
      return append_after_barrier(std::move(barrier), stored, std::move(message), awaited);
  }
  return send_appended(stored, std::move(message), awaited);
}

// The rest of append once the message passed the initialisation gate (spec §5.1 steps 4-6).
Completion ThreadRuntime::Impl::send_appended(const MessagePtr& stored, AppendMessage message,
                                              bool awaited) {
  // Step 4: the history write starts now and is awaited with the run.
  Completion written = Completion::succeeded();
  if (options_.adapters.history) {
    std::optional<Id> parent_id;
    if (auto found = repository_.find(stored->id))
      parent_id = repository_.get(stored->id).parent_id;
    written = write_history(
        false, ExportedMessageRepositoryItem{stored, std::move(parent_id), message.run_config});
    if (!awaited) {
      written.then([this, alive = lifetime_.token()](std::exception_ptr failure) {
        if (failure && !alive.expired()) report_storage("saving the message failed", failure);
      });
    }
  }

  // Step 5/6. The run starts now; with write_user_message_before_model its model call waits
  // for the write (a failed write does not stop it, spec §12.4).
  const bool start = message.start_run.value_or(message.role == Role::User);
  if (start) {
    std::optional<Completion> model_waits_for;
    if (options_.adapters.history && options_.write_user_message_before_model)
      model_waits_for = written;
    Completion ran = start_run_impl(stored->id, message.run_config.value_or(RunConfig{}),
                                    ChatModelAdapter{}, std::move(model_waits_for), awaited);
    if (!options_.adapters.history) return ran;
    return when_all({std::move(ran), std::move(written)});  // the run's failure comes first
  }
  repository_.reset_head(stored->id);
  notify();
  return written;
}

// Waits at the initialisation gate (spec §5.1 step 3): a failed barrier or a detach meanwhile
// takes the shown message back; only the failure of a thread still attached is reported, as
// MessageNotSent, so the composer restores its draft.
Completion ThreadRuntime::Impl::append_after_barrier(Completion barrier, MessagePtr stored,
                                                     AppendMessage message, bool awaited) {
  Completion done;
  auto attached = attachment_.token();  // expires when the thread detaches
  auto alive = lifetime_.token();
  const bool starts_run = message.start_run.value_or(message.role == Role::User);
  if (starts_run) ++runs_at_barrier_;
  barrier.then([this, alive, attached, done, starts_run, awaited, stored = std::move(stored),
                message = std::move(message)](std::exception_ptr error) mutable {
    if (alive.expired()) return done.resolve();
    const Operation op(notifier_);
    if (starts_run) --runs_at_barrier_;
    const bool detached_meanwhile = attached.expired();
    if (error || detached_meanwhile) {
      if (repository_.contains(stored->id)) repository_.remove(stored->id);
      notify();  // also: no run waits any more
      if (!error || detached_meanwhile) return done.resolve();
      return done.reject(
          make_error(ErrorKind::MessageNotSent,
                     "the thread could not be initialised: " + describe_exception(error), error));
    }
    send_appended(stored, std::move(message), awaited).then([done](std::exception_ptr e) {
      if (e) return done.reject(e);
      done.resolve();
    });
  });
  return done;
}

// ---------------------------------------------------------------------------------------------
// startRun / resumeRun / reload (spec §5.2, §5.3, §5.5)

Completion ThreadRuntime::Impl::start_run(StartRunConfig config) {
  return start_run_impl(config.parent_id, std::move(config.run_config), ChatModelAdapter{});
}

Completion ThreadRuntime::Impl::resume_run(StartRunConfig config, ChatModelAdapter stream) {
  if (!stream) throw Error(ErrorKind::StreamRequired, "resumeRun needs a stream");
  return start_run_impl(config.parent_id, std::move(config.run_config), std::move(stream));
}

Completion ThreadRuntime::Impl::start_run_impl(const std::optional<Id>& parent_id,
                                               RunConfig run_config,
                                               ChatModelAdapter first_callback,
                                               std::optional<Completion> model_waits_for,
                                               bool awaited) {
  initialize_once();
  auto m = std::make_shared<ThreadMessage>();
  m->id = generate_id();
  m->created_at = now_timestamp();
  m->role = Role::Assistant;
  m->status = MessageStatus::running();
  Json thread_state = state();
  if (!thread_state.is_null())
    m->metadata.assistant.edit().unstable_state = std::move(thread_state);

  auto run = std::make_shared<Run>();
  run->parent_id = parent_id;
  run->message = std::move(m);
  run->run_config = std::move(run_config);
  run->first_callback = std::move(first_callback);
  run->model_waits_for = std::move(model_waits_for);
  run->awaited = awaited;
  Completion completion = run->completion;
  run_loop(std::move(run));
  return completion;
}

Completion ThreadRuntime::Impl::reload(const Id& message_id, std::optional<RunConfig> run_config) {
  auto loc = repository_.get(message_id);  // MessageNotFound
  if (loc.message->role != Role::Assistant) {
    throw Error(ErrorKind::NotAssistant,
                "only assistant messages can be reloaded; " + quote_id(message_id) + " is not one");
  }
  if (!run_config) {
    if (auto* edit = edit_composer(message_id)) {
      run_config = edit->run_config();
    } else {
      run_config = composer_->run_config();
    }
  }
  return start_run_impl(loc.parent_id, std::move(*run_config), ChatModelAdapter{});
}

void ThreadRuntime::Impl::cancel_run() {
  const Operation op(notifier_);
  if (queue_) {
    if (options_.queue_clear_on_cancel) {
      queue_->clear();
    } else {
      queue_paused_ = true;  // the cancelled run's end dispatches nothing
    }
  }
  if (current_) {
    current_->reason = CancelReason::UserCancel;
    current_->stop.request_stop();
    current_ = nullptr;
  }
  abort_suggestions();
}

}  // namespace aui
