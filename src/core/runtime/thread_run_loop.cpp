// The run loop (spec §6.2, §6.3): a run's roundtrips, applying their results to the message the
// run owns, and how a run ends. The worker side of a roundtrip is in run_channel.cpp.

#include "runtime/thread_runtime_impl.hpp"

#include <algorithm>
#include <utility>

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
// The run loop (spec §6.2)

void ThreadRuntime::Impl::run_loop(std::shared_ptr<Run> run) {
  if (queue_) {
    // Every run loop marks the queue busy, so sends during a regenerate wait too.
    ++queue_epoch_;
    queue_busy_ = true;
    queue_paused_ = false;
    queue_run_in_flight_ = dispatching_;
  }
  emit(ThreadEvent::RunStart);
  active_run_ = run;
  suggestions_.clear();
  abort_suggestions();
  notify();
  start_roundtrip(std::move(run));
}

void ThreadRuntime::Impl::end_run(const std::shared_ptr<Run>& run, std::exception_ptr failure) {
  emit(ThreadEvent::RunEnd);
  const bool was_active = active_run_ == run;
  if (was_active) active_run_ = nullptr;
  // A superseded run does not release the queue; the run that replaced it will.
  if (was_active && queue_) release_queue_later();
  if (!failure && was_active && options_.adapters.suggestion && run->message &&
      run->message->status.type != StatusType::RequiresAction) {
    start_suggestions();
  }
  if (failure) {
    run->completion.reject(failure);
  } else {
    run->completion.resolve();
  }
}

bool ThreadRuntime::Impl::should_cancel(const Roundtrip& rt) const {
  if (!rt.aborted()) return false;
  const auto& status = rt.message->status;
  if (status.type == StatusType::Running) return true;
  if (status.type == StatusType::RequiresAction) {
    return rt.run != active_run_ || should_continue(*rt.message);
  }
  return false;
}

bool ThreadRuntime::Impl::store_owned(Roundtrip& rt, MessagePtr message) {
  if (rt.lost) return false;
  MessagePtr stored = repository_.find(message->id);
  bool owned;
  if (rt.has_written) {
    owned = stored && stored.get() == rt.last_written.get();
  } else {
    owned = rt.run == active_run_ && (!stored || stored.get() == rt.last_written.get());
  }
  if (owned && !stored && rt.run->parent_id && !repository_.contains(*rt.run->parent_id))
    owned = false;
  if (!owned) {
    // Another writer replaced the message (a tool result, a decision, another run) or it was
    // removed: everything this roundtrip would still write is dropped (spec §6.1).
    rt.lost = true;
    return false;
  }
  rt.message = message;
  rt.live->set(message);
  if (stored) {
    repository_.replace(message);
  } else {
    repository_.add_or_update(rt.run->parent_id, message);
  }
  rt.last_written = std::move(message);
  rt.has_written = true;
  notify();
  return true;
}

void ThreadRuntime::Impl::start_roundtrip(std::shared_ptr<Run> run) {
  // Step 1: the prefix. An unknown parent fails before anything else happens.
  MessageList prefix;
  if (run->parent_id) {
    if (!repository_.contains(*run->parent_id)) {
      end_run(run, make_error(ErrorKind::HeadNotFound,
                              "parent message " + quote_id(*run->parent_id) + " not found"));
      return;
    }
    prefix = repository_.messages_up_to(*run->parent_id);
  }

  // Step 2: a new roundtrip aborts the thread's current one.
  if (current_) {
    current_->reason = CancelReason::Superseded;
    current_->stop.request_stop();
  }
  auto rt = std::make_shared<Roundtrip>();
  rt->run = run;
  rt->message = run->message;
  MessagePtr stored = repository_.find(run->message->id);
  if (stored) {
    // A continuation: the roundtrip owns the message while the stored object is the one the run
    // was started with.
    rt->last_written = stored.get() == run->message.get() ? stored : nullptr;
    rt->has_written = true;
  }
  rt->live = std::make_shared<LiveMessage>();
  rt->live->set(run->message);
  current_ = rt;
  live_roundtrips_.push_back(rt);

  // Step 3: the roundtrip base.
  const auto& md = run->message->metadata.assistant_or_default();
  rt->base_content = run->message->content;
  rt->base_annotations = md.unstable_annotations;
  rt->base_data = md.unstable_data;
  rt->base_steps = md.steps;
  rt->base_custom = run->message->metadata.custom;

  // Step 4: the step limit.
  if (static_cast<long>(md.steps.size()) >= options_.max_steps) {
    store_owned(*rt,
                copy_with_status(*rt->message, MessageStatus::incomplete(StatusReason::ToolCalls)));
    finish_roundtrip(rt, nullptr);
    return;
  }

  // Step 5: running, stored, made the head (deleting its descendants).
  store_owned(*rt, copy_with_status(*rt->message, MessageStatus::running()));
  if (repository_.contains(rt->message->id) && !rt->aborted()) {
    repository_.reset_head(rt->message->id);
    notify();
  }

  // Step 6.
  last_run_config_ = run->run_config;

  // Step 7: the options; building the context can fail like the adapter.
  auto options = std::make_shared<ChatModelRunOptions>();
  try {
    options->context = model_context();
  } catch (...) {
    finish_roundtrip(rt, std::current_exception());
    return;
  }
  options->context.composer_metadata = nullptr;
  options->messages = std::move(prefix);
  options->run_config = last_run_config_;
  options->stop_token = rt->stop.get_token();
  options->assistant_message_id = rt->message->id;
  options->thread_id = options_.thread_id;
  options->parent_id = run->parent_id;
  if (options_.thread_id_provider)
    options->thread_id = options_.thread_id_provider();  // spec §14.7
  options->get_message = [live = rt->live] { return live->get(); };
  options->tool_ledger = tool_ledger_;

  // Approved calls of tools aui runs go first, in a roundtrip of their own; the loop then calls
  // the adapter, which finds their results through get_message().
  if (has_approved_tool_calls_to_run(rt->message->content, options->context.tools)) {
    run_approved_tools(rt, std::move(options));
    return;
  }

  ChatModelAdapter adapter = run->first_callback ? run->first_callback : options_.chat_model;
  run->first_callback = ChatModelAdapter{};
  if (!adapter) {
    finish_roundtrip(rt, make_error(ErrorKind::AdapterMissing, "no chat model adapter is set"));
    return;
  }

  auto channel = std::make_shared<Channel>();
  channel->stop = rt->stop.get_token();
  channel->dispatcher = options_.dispatcher;
  std::weak_ptr<Roundtrip> weak_rt = rt;
  auto alive = lifetime_.token();
  auto make_drain = [this, weak_rt, alive](bool due) {
    return [this, weak_rt, alive, due] {
      if (alive.expired()) return;
      auto r = weak_rt.lock();
      if (!r) return;
      const Operation op(notifier_);
      try {
        drain(r, due);
      } catch (...) {
        // Nothing the adapter sends may break the host's loop.
        const std::exception_ptr failure = std::current_exception();
        report(Error(ErrorKind::AdapterFailed,
                     "applying a result failed: " + describe_exception(failure), failure));
      }
    };
  };
  channel->drain = make_drain(false);
  channel->drain_due = make_drain(true);
  rt->channel = channel;

  // The user message is stored before the model sees it: the call starts once the history
  // adapter's append returned (the completion settles on the owner thread), whatever its outcome.
  std::optional<Completion> wait = std::exchange(run->model_waits_for, std::nullopt);
  const bool waits = wait && !wait->ready();
  auto call = [channel, adapter = std::move(adapter), options = std::move(options), waits] {
    detail::run_adapter(channel, adapter, *options, waits);
  };
  if (waits) {
    wait->then([executor = options_.executor, call = std::move(call)](std::exception_ptr) mutable {
      executor->execute(std::move(call));
    });
    return;
  }
  options_.executor->execute(std::move(call));
}

void ThreadRuntime::Impl::run_approved_tools(const std::shared_ptr<Roundtrip>& rt,
                                             std::shared_ptr<ChatModelRunOptions> options) {
  std::weak_ptr<Roundtrip> weak_rt = rt;
  auto alive = lifetime_.token();
  options_.executor->execute([this, weak_rt, alive, dispatcher = options_.dispatcher,
                              options = std::move(options),
                              content = rt->message->content]() mutable {
    std::exception_ptr failure;
    try {
      content = execute_tool_calls(*options, std::move(content));
    } catch (...) {
      failure = std::current_exception();
    }
    dispatcher->post([this, weak_rt, alive, content = std::move(content),
                      failure = std::move(failure)]() mutable {
      if (alive.expired()) return;
      auto r = weak_rt.lock();
      if (!r || r->finished) return;
      const Operation op(notifier_);
      // The results replace the calls in place (not the append of spec §6.4: nothing new was
      // said); the message waits for the adapter again.
      auto m = std::make_shared<ThreadMessage>(*r->message);
      m->content = std::move(content);
      m->status = MessageStatus::requires_action(StatusReason::ToolCalls);
      store_owned(*r, std::move(m));
      finish_roundtrip(r, failure);
    });
  });
}

void ThreadRuntime::Impl::drain(const std::shared_ptr<Roundtrip>& rt, bool due) {
  Channel& ch = *rt->channel;
  const auto interval = options_.stream_update_interval;
  // A bounded number of results per turn, so a fast stream never starves the owner's other work.
  for (int budget = 64; budget > 0 && !rt->finished; --budget) {
    // The stream's pace: an update soon after the last one waits for the rest of the interval
    // (and the newest result then), unless the call has ended or was cancelled. The flag stays
    // set meanwhile, so the worker posts nothing.
    if (!due && rt->last_applied && !ch.ended.load(std::memory_order_acquire) && !rt->aborted()) {
      const auto wait = *rt->last_applied + interval - now();
      if (wait.count() > 0 && ch.dispatcher->post_after(wait, ch.drain_due)) return;
    }
    due = false;
    auto result = ch.take();
    if (!result) {
      ch.posted.store(false, std::memory_order_release);
      result = ch.take();  // one that arrived while the flag was still set
      if (!result) {
        bool done = false;
        std::exception_ptr failure;
        std::optional<ChatModelRunResult> plain;
        {
          std::lock_guard lock(ch.mutex);
          done = ch.done;
          failure = ch.failure;
          plain = std::move(ch.plain);
          ch.plain.reset();
        }
        if (!done) return;
        if (auto last = ch.take()) consume(*rt, *last);
        if (plain) apply_result(*rt, *plain);
        finish_roundtrip(rt, failure);
        return;
      }
      ch.posted.store(true, std::memory_order_release);
    }
    consume(*rt, *result);
    if (interval.count() > 0) rt->last_applied = now();
  }
  if (!rt->finished) ch.dispatcher->post(ch.drain);  // more to do: come back on a later turn
}

void ThreadRuntime::Impl::consume(Roundtrip& rt, const ChatModelRunResult& result) {
  if (!rt.aborted()) {
    apply_result(rt, result);
    return;
  }
  // Aborted: the late result is not applied; the stream is closed (spec §6.3 step 8).
  if (should_cancel(rt)) {
    store_owned(rt,
                copy_with_status(*rt.message, MessageStatus::incomplete(StatusReason::Cancelled)));
  }
  rt.channel->closed.store(true, std::memory_order_release);
}

void ThreadRuntime::Impl::apply_result(Roundtrip& rt, const ChatModelRunResult& r) {
  std::shared_ptr<ThreadMessage> m;
  if (r.content) {
    Content content;
    content.reserve(rt.base_content.size() + r.content->size());
    content.insert(content.end(), rt.base_content.begin(), rt.base_content.end());
    content.insert(content.end(), r.content->begin(), r.content->end());
    m = copy_with_content(*rt.message, std::move(content));
    for (const auto& supplied : rt.supplied_results) {
      for (auto& part : m->content) {
        const auto* call = part.get_if<ToolCallPart>();
        if (call && !call->result && call->tool_call_id == supplied.tool_call_id) {
          set_tool_result(part.edit<ToolCallPart>(), supplied);
        }
      }
    }
  } else {
    m = std::make_shared<ThreadMessage>(*rt.message);
  }
  if (r.status) m->status = *r.status;
  if (r.metadata) {
    const auto& md = *r.metadata;
    if (md.unstable_state || md.unstable_annotations || md.unstable_data || md.steps || md.timing) {
      auto& a = m->metadata.assistant.edit();
      if (md.unstable_state) a.unstable_state = *md.unstable_state;
      if (md.unstable_annotations) {
        a.unstable_annotations = rt.base_annotations;
        a.unstable_annotations.insert(a.unstable_annotations.end(),
                                      md.unstable_annotations->begin(),
                                      md.unstable_annotations->end());
      }
      if (md.unstable_data) {
        a.unstable_data = rt.base_data;
        a.unstable_data.insert(a.unstable_data.end(), md.unstable_data->begin(),
                               md.unstable_data->end());
      }
      if (md.steps) {
        a.steps = rt.base_steps;
        a.steps.insert(a.steps.end(), md.steps->begin(), md.steps->end());
      }
      if (md.timing) a.timing = *md.timing;
    }
    if (md.custom && md.custom->is_object()) {
      Json custom = rt.base_custom.is_object() ? rt.base_custom : Json::object();
      for (const auto& [k, v] : md.custom->items()) custom[k] = v;
      m->metadata.custom = std::move(custom);
    }
  }
  if (store_owned(rt, std::move(m))) maybe_checkpoint(rt);
}

void ThreadRuntime::Impl::finish_roundtrip(const std::shared_ptr<Roundtrip>& rt,
                                           std::exception_ptr failure) {
  if (rt->finished) return;
  rt->finished = true;
  if (rt->channel) rt->channel->closed.store(true, std::memory_order_release);
  auto run = rt->run;
  // Gates of tools with a standing "always" decision are decided while the roundtrip still
  // counts as in flight, so the loop goes on without a visible pause.
  if (!failure && !rt->aborted() && !rt->lost && active_run_ == run && !approval_policy_.empty()) {
    if (MessagePtr decided = apply_approval_policy(rt->message))
      store_owned(*rt, std::move(decided));
  }
  std::erase(live_roundtrips_, rt);

  std::exception_ptr run_failure;
  if (failure) {
    if (is_abort_kind(failure)) {
      store_owned(
          *rt, copy_with_status(*rt->message, MessageStatus::incomplete(StatusReason::Cancelled)));
    } else {
      store_owned(*rt, copy_with_status(*rt->message,
                                        MessageStatus::incomplete(StatusReason::Error,
                                                                  to_assistant_error(failure))));
      run_failure = failure;
    }
  } else if (should_cancel(*rt)) {
    store_owned(*rt,
                copy_with_status(*rt->message, MessageStatus::incomplete(StatusReason::Cancelled)));
  } else if (rt->message->status.type == StatusType::Running) {
    store_owned(*rt, copy_with_status(*rt->message, MessageStatus::complete()));
  }
  // Step 10: the superseded roundtrip clears the current signal only if it is still its own.
  if (current_ == rt) current_ = nullptr;

  run->message = rt->message;
  if (run_failure) {
    end_run_after_write(rt, run_failure);
    return;
  }
  if (rt->lost || active_run_ != run || !should_continue(*run->message)) {
    end_run_after_write(rt, nullptr);
    return;
  }
  start_roundtrip(run);
}

}  // namespace aui
