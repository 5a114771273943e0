// History (spec §12, §5.9): loading a thread, writing its messages, checkpoints of a streaming
// reply, and deleting a message through the adapter.

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
// delete, feedback, unsupported operations

Completion ThreadRuntime::Impl::delete_message(const Id& message_id) {
  auto history = options_.adapters.history;
  if (!history || !history->has_delete()) {
    return Completion::failed_with(
        make_error(ErrorKind::DeleteUnsupported,
                   "deleting a message needs a history adapter that can delete"));
  }
  const auto& branch = messages();
  std::optional<std::size_t> at;
  for (std::size_t i = 0; i < branch.size(); ++i) {
    if (branch[i]->id == message_id) at = i;
  }
  if (!at) {
    return Completion::failed_with(
        make_error(ErrorKind::MessageNotFound,
                   "message " + quote_id(message_id) + " is not on the current branch"));
  }
  std::optional<Id> parent_id;
  if (*at > 0) parent_id = branch[*at - 1]->id;
  std::vector<ExportedMessageRepositoryItem> items{{branch[*at], parent_id, std::nullopt}};
  Completion written =
      history_writer_->submit(history, [items](ThreadHistoryAdapter& h) { h.remove(items); });
  Completion done;
  written.then([this, alive = lifetime_.token(), message_id, done](std::exception_ptr failure) {
    if (alive.expired()) return;
    const Operation op(notifier_);
    if (failure) {
      done.reject(failure);  // the message stays
      return;
    }
    if (repository_.contains(message_id)) {
      repository_.remove(message_id);
      notify();
    }
    done.resolve();
  });
  return done;
}

// ---------------------------------------------------------------------------------------------
// History (spec §12)

Completion ThreadRuntime::Impl::write_history(bool update, ExportedMessageRepositoryItem item) {
  auto history = options_.adapters.history;
  if (!history) return Completion::succeeded();
  return history_writer_->submit(std::move(history),
                                 [update, item = std::move(item)](ThreadHistoryAdapter& h) {
                                   if (update) {
                                     h.update(item);
                                   } else {
                                     h.append(item);
                                   }
                                 });
}

void ThreadRuntime::Impl::write_partial_decision(const MessageLocation& loc) {
  // A decision or result recorded while the message stays paused is kept with it (spec §12.4);
  // without update the adapter never sees a paused message. Failures are reported, not fatal.
  auto history = options_.adapters.history;
  if (!history || !history->has_update() || loc.message->status.type != StatusType::RequiresAction)
    return;
  write_history(true, ExportedMessageRepositoryItem{loc.message, loc.parent_id, last_run_config_})
      .then([this, alive = lifetime_.token()](std::exception_ptr failure) {
        if (failure && !alive.expired()) report_storage("saving a tool decision failed", failure);
      });
}

void ThreadRuntime::Impl::end_run_after_write(const std::shared_ptr<Roundtrip>& rt,
                                              std::exception_ptr failure) {
  auto run = rt->run;
  auto history = options_.adapters.history;
  const MessagePtr message = run->message;
  const bool owned = !rt->lost && message && repository_.find(message->id) == message;
  const auto type = message ? message->status.type : StatusType::Running;
  const bool terminal = type == StatusType::Complete || type == StatusType::Incomplete;
  const bool paused = type == StatusType::RequiresAction;
  if (!history || !owned || !(terminal || (paused && history->has_update()))) {
    end_run(run, failure);
    return;
  }
  // A run that went on from a paused message rewrites it; anything else is new to the adapter.
  const bool update = run->started_paused && history->has_update();
  std::optional<Id> parent_id = repository_.get(message->id).parent_id;
  write_history(update,
                ExportedMessageRepositoryItem{message, std::move(parent_id), last_run_config_})
      .then([this, alive = lifetime_.token(), run, failure](std::exception_ptr write_failure) {
        if (alive.expired()) return;
        const Operation op(notifier_);
        if (write_failure && !run->awaited)
          report_storage("saving the reply failed", write_failure);
        end_run(run, write_failure ? write_failure : failure);  // spec §6.3 step 10
      });
}

std::chrono::steady_clock::time_point ThreadRuntime::Impl::now() const {
  return options_.clock ? options_.clock() : std::chrono::steady_clock::now();
}

void ThreadRuntime::Impl::maybe_checkpoint(Roundtrip& rt) {
  if (options_.history_checkpoint_interval.count() <= 0) return;
  auto history = options_.adapters.history;
  if (!history || !history->has_update() || rt.message->status.type != StatusType::Running) return;
  const auto time = now();
  if (rt.last_checkpoint && time - *rt.last_checkpoint < options_.history_checkpoint_interval)
    return;
  rt.last_checkpoint = time;
  ExportedMessageRepositoryItem item{rt.message, rt.run->parent_id, rt.run->run_config};
  // A checkpoint still waiting behind a slow write is replaced by this newer one.
  history_writer_
      ->submit_coalescing("checkpoint:" + rt.message->id, std::move(history),
                          [item = std::move(item)](ThreadHistoryAdapter& h) { h.update(item); })
      .then([this, alive = lifetime_.token()](std::exception_ptr failure) {
        if (failure && !alive.expired())
          report_storage("saving the reply while it streams failed", failure);
      });
}

Completion ThreadRuntime::Impl::load_history() {
  if (history_load_) return *history_load_;
  if (options_.is_new_thread) {
    history_load_ = Completion::succeeded();
    history_load_ran_ = true;  // nor does an adapter set later load anything
    return *history_load_;
  }
  if (!options_.adapters.history) {
    // Nothing to load yet: the request stands for an adapter that arrives later (set_adapters).
    history_load_ = Completion::succeeded();
    return *history_load_;
  }
  history_load_ = Completion();
  run_history_load(true);
  return *history_load_;
}

void ThreadRuntime::Impl::run_history_load(bool awaited) {
  history_load_ran_ = true;
  if (!history_load_ || history_load_->ready()) history_load_ = Completion();
  Completion done = *history_load_;
  is_loading_ = true;
  notify();
  auto result = std::make_shared<ThreadHistoryLoadResult>();
  history_writer_
      ->submit(options_.adapters.history, [result](ThreadHistoryAdapter& h) { *result = h.load(); })
      .then([this, alive = lifetime_.token(), result, done, awaited](std::exception_ptr failure) {
        if (alive.expired()) return;
        const Operation op(notifier_);
        is_loading_ = false;
        if (!failure) {
          try {
            apply_history_load(std::move(*result));
          } catch (...) {
            failure = std::current_exception();  // the stored thread does not make a tree
          }
        }
        if (failure) {
          // The thread stays empty and usable. The caller of load_history() learns of the
          // failure through its completion; a load the runtime started itself (an adapter that
          // arrived late) has nobody to tell but on_error.
          if (!awaited) report_storage("loading the thread's messages failed", failure);
          notify();
          done.reject(failure);
          return;
        }
        done.resolve();
      });
}

void ThreadRuntime::Impl::apply_history_load(ThreadHistoryLoadResult result) {
  if (result.messages.empty() && !result.head_id) {
    repository_.clear();  // upstream clears what was typed meanwhile (spec §12.2, S-134)
    notify();
    return;
  }
  ExportedMessageRepository data{result.head_id, std::move(result.messages)};
  repository_.import_repository(data);  // does not clear first; all or nothing
  if (!data.messages.empty()) initialize_once();
  notify();
  auto history = options_.adapters.history;
  if (result.unstable_resume && history && history->has_resume()) {
    // A live run reconnects as a new assistant message under the loaded head (spec §12.3).
    start_run_impl(repository_.head_id(), RunConfig{}, history->resume());
  }
}

Completion ThreadRuntime::Impl::history_flushed() {
  auto history = options_.adapters.history;
  if (!history) return Completion::succeeded();
  return history_writer_->submit(std::move(history), [](ThreadHistoryAdapter&) {});
}

}  // namespace aui
