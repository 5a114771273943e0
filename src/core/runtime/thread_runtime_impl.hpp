#pragma once
// The private state of a ThreadRuntime and the functions that work on it. The public class
// forwards every call here; the work is spread over files by job:
//
//   thread_runtime.cpp       construction, state, subscriptions, model context, options,
//                            branches, edits, export/import, detach (and the public forwarders)
//   thread_append.cpp        append and the calls that start runs (spec §5.1–§5.5), cancel
//   thread_run_loop.cpp      the run loop and its roundtrips (spec §6)
//   run_channel.cpp          the worker side of a roundtrip: the channel and its mailbox
//   thread_tool_calls.cpp    tool results, approval gates and standing decisions (§5.10, §5.11)
//   thread_queue.cpp         the message queue's dispatching (spec §9)
//   thread_history.cpp       history: loading, writes, checkpoints, delete (spec §12, §5.9)
//   thread_capabilities.cpp  capabilities, suggestions, speech and feedback (§10, §13, §5.14)

#include <chrono>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/errors.hpp"
#include "aui/support/owner_thread.hpp"
#include "runtime/composer_host.hpp"
#include "runtime/history_writer.hpp"
#include "runtime/listener_list.hpp"
#include "runtime/notifier.hpp"
#include "runtime/run_channel.hpp"

namespace aui {

namespace detail {

inline std::exception_ptr make_error(ErrorKind kind, const std::string& message,
                                     std::exception_ptr cause = nullptr) {
  return std::make_exception_ptr(Error(kind, message, std::move(cause)));
}

inline std::string quote_id(std::string_view id) { return "\"" + std::string(id) + "\""; }

/// A copy of `m` whose content is `content` (without copying m's old content first).
inline std::shared_ptr<ThreadMessage> copy_with_content(const ThreadMessage& m, Content content) {
  auto out = std::make_shared<ThreadMessage>();
  out->id = m.id;
  out->created_at = m.created_at;
  out->role = m.role;
  out->content = std::move(content);
  out->metadata = m.metadata;
  out->status = m.status;
  out->attachments = m.attachments;
  return out;
}

inline std::shared_ptr<ThreadMessage> copy_with_status(const ThreadMessage& m,
                                                       MessageStatus status) {
  auto out = std::make_shared<ThreadMessage>(m);
  out->status = std::move(status);
  return out;
}

inline void set_tool_result(ToolCallPart& call, const ToolResult& input) {
  call.result = input.result;
  call.is_error = input.is_error;
  if (input.artifact) call.artifact = input.artifact;
  if (!input.model_content.is_null()) call.model_content = input.model_content;
}

struct SuggestionJob {
  std::stop_source stop;
};

}  // namespace detail

struct ThreadRuntime::Impl final : detail::ComposerHost {
  explicit Impl(ThreadRuntimeOptions options);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // One run loop (spec §6.2): its roundtrips share it.
  struct Run {
    std::optional<Id> parent_id;
    MessagePtr message;  // as the run last saw it
    RunConfig run_config;
    ChatModelAdapter first_callback;  // resumeRun's stream for the first roundtrip
    bool started_paused = false;      // continues a message that was paused: history rewrites it
    // The history write of the user message this run answers: the first model call waits for it
    // (ThreadRuntimeOptions::write_user_message_before_model).
    std::optional<Completion> model_waits_for;
    // Somebody awaits the completion (false for a message a composer or the queue sent): a
    // failed write of the reply is reported to on_error only when nobody does.
    bool awaited = true;
    Completion completion;
    std::exception_ptr failure;
  };

  struct Roundtrip {
    std::shared_ptr<Run> run;
    std::stop_source stop;
    CancelReason reason = CancelReason::None;
    // Ownership (spec §6.1): the roundtrip owns its message while the stored object is the one
    // it last wrote; before its first write, while its run is the active run.
    MessagePtr last_written;
    bool has_written = false;
    MessagePtr message;  // as this roundtrip last saw it
    // The roundtrip base (spec §6.3 step 3).
    Content base_content;
    std::vector<Json> base_annotations;
    std::vector<Json> base_data;
    std::vector<ThreadStep> base_steps;
    Json base_custom;
    std::shared_ptr<detail::LiveMessage> live;
    std::shared_ptr<detail::Channel> channel;
    bool finished = false;
    bool lost = false;  // ownership was lost: nothing more is written, the loop does not go on
    // Tool results supplied while this roundtrip was still writing the message: they are kept
    // in each later write, so the message neither loses them nor stays `running` for good.
    std::vector<ToolResult> supplied_results;
    std::optional<std::chrono::steady_clock::time_point> last_checkpoint;
    std::optional<std::chrono::steady_clock::time_point> last_applied;  // of a streamed update

    bool aborted() const noexcept { return stop.stop_requested(); }
  };

  struct Listeners {
    std::shared_ptr<detail::ListenerList<>> state = std::make_shared<detail::ListenerList<>>();
    std::map<ThreadEvent, std::shared_ptr<detail::ListenerList<>>> events;
    std::shared_ptr<detail::ListenerList<>> event(ThreadEvent e) {
      auto& l = events[e];
      if (!l) l = std::make_shared<detail::ListenerList<>>();
      return l;
    }
    std::vector<std::pair<std::uint64_t, ModelContextProvider>> providers;
    std::uint64_t next_provider = 0;
    bool last_can_cancel = false;
  };

  // ---- ComposerHost ----
  const ThreadAdapters& adapters() const noexcept override { return options_.adapters; }
  const std::shared_ptr<Dispatcher>& owner_dispatcher() const noexcept override {
    return options_.dispatcher;
  }
  const std::shared_ptr<Executor>& executor() const noexcept override { return options_.executor; }
  void report(const Error& error) const override;
  /// Reports a failed history call nobody awaits: on_error, kind Storage, the adapter's error as
  /// its cause. `what` says what failed ("saving the reply").
  void report_storage(const std::string& what, const std::exception_ptr& cause) const {
    report(Error(ErrorKind::Storage, what + ": " + describe_exception(cause), cause));
  }
  const MessageQueue* queue() const noexcept override { return queue_.get(); }
  bool can_cancel_run() const noexcept override { return capabilities_.cancel && is_running(); }
  const RunConfig& thread_composer_run_config() const noexcept override {
    return composer_->run_config();
  }
  Completion append(AppendMessage message) override;
  Completion append_unawaited(AppendMessage message) override;
  void cancel_run() override;
  void close_edit(const Id& message_id) override;
  void notify_later(std::function<void()> notification) override;
  void begin_operation() noexcept override { notifier_.enter(); }
  void end_operation() override {
    if (notifier_.leave()) notifier_.deliver();
  }

  // ---- operations and their notifications (spec §11) ----
  // Every public operation, and every piece of posted work that changes the thread, runs as an
  // Operation of the thread's Notifier (runtime/notifier.hpp, the mechanism the thread list uses
  // too): notifications raised meanwhile are delivered, in order, when the outermost operation
  // ends, so a subscriber never sees a half-done change, and an operation it calls from inside a
  // notification completes and has its own notifications delivered after the current round,
  // never nested.
  using Operation = detail::Notifier::Operation;
  /// A public operation starts: checks the owner thread (checked builds) and opens an Operation.
  Operation enter(const char* name) {
    owner_.check(name);
    return Operation(notifier_);
  }

  // ---- the public operations (thread_runtime.hpp documents them) ----
  const MessageList& messages() const noexcept { return repository_.messages(); }
  bool is_running() const noexcept;
  bool is_run_in_progress() const noexcept {
    return !live_roundtrips_.empty() || runs_at_barrier_ > 0;
  }
  Json state() const;
  std::optional<MessageState> message_state(long index) const;
  std::optional<MessageState> message_state(const Id& id) const;
  std::optional<MessageLocation> get_message_by_id(const Id& id) const;
  std::vector<Id> get_branches(const Id& id) const;
  Completion start_run(StartRunConfig config);
  Completion resume_run(StartRunConfig config, ChatModelAdapter stream);
  Completion reload(const Id& message_id, std::optional<RunConfig> run_config);
  void switch_to_branch(const Id& branch_id);
  void switch_to_branch(const Id& message_id, BranchPosition position);
  EditComposer& begin_edit(const Id& message_id);
  EditComposer* edit_composer(const Id& message_id) noexcept;
  Completion delete_message(const Id& message_id);
  void submit_feedback(const Id& message_id, FeedbackType type, std::optional<std::string> comment);
  void speak(const Id& message_id);
  void stop_speaking();
  void stop_speaking(const Id& message_id);
  void add_tool_result(ToolResult result);
  void respond_to_tool_approval(ToolApprovalResponse response);
  std::optional<bool> tool_approval_policy(const std::string& tool_name) const;
  void set_tool_approval_policy(const std::string& tool_name, std::optional<bool> approved);
  ExportedMessageRepository export_repository() const;
  void import_repository(const ExportedMessageRepository& data);
  void reset(std::vector<ThreadMessageLike> initial_messages);
  Completion load_history();
  Completion history_flushed();
  void detach();
  void set_message_queue_enabled(bool enabled);
  Subscription register_model_context_provider(ModelContextProvider provider);
  void notify_model_context_changed();
  Subscription register_tools(Toolkit tools, std::string system);
  ModelContext model_context() const;
  void set_adapters(ThreadAdapters adapters);
  void set_chat_model(ChatModelAdapter adapter);
  Subscription subscribe(std::function<void()> on_change);
  Subscription on(ThreadEvent event, std::function<void()> listener);
  Dispatcher& dispatcher() const noexcept { return *options_.dispatcher; }

  // ---- append and runs (thread_append.cpp) ----
  // `awaited` is false for a message a composer or the queue sent: nobody awaits the append's
  // completion, so the failures the thread does not show (a history write) go to on_error.
  Completion run_append(AppendMessage message, bool composer_metadata, bool awaited);
  Completion append_after_barrier(Completion barrier, MessagePtr stored, AppendMessage message,
                                  bool awaited);
  Completion send_appended(const MessagePtr& stored, AppendMessage message, bool awaited);
  Completion start_run_impl(const std::optional<Id>& parent_id, RunConfig run_config,
                            ChatModelAdapter first_callback,
                            std::optional<Completion> model_waits_for = std::nullopt,
                            bool awaited = true);

  // ---- the run loop (thread_run_loop.cpp) ----
  void run_loop(std::shared_ptr<Run> run);
  void start_roundtrip(std::shared_ptr<Run> run);
  void finish_roundtrip(const std::shared_ptr<Roundtrip>& rt, std::exception_ptr failure);
  void drain(const std::shared_ptr<Roundtrip>& rt, bool due);
  void run_approved_tools(const std::shared_ptr<Roundtrip>& rt,
                          std::shared_ptr<ChatModelRunOptions> options);
  void consume(Roundtrip& rt, const ChatModelRunResult& result);
  void end_run(const std::shared_ptr<Run>& run, std::exception_ptr failure);
  void apply_result(Roundtrip& rt, const ChatModelRunResult& result);
  bool store_owned(Roundtrip& rt, MessagePtr message);
  bool should_cancel(const Roundtrip& rt) const;

  // ---- tool calls (thread_tool_calls.cpp) ----
  bool should_continue(const ThreadMessage& message) const;
  void continue_run(const Id& message_id);
  void replace_message(const MessageLocation& loc, MessagePtr next);
  MessagePtr apply_approval_policy(const MessagePtr& message) const;

  // ---- the queue (thread_queue.cpp) ----
  bool addressed_to_tail(const Parent& parent) const;
  void advance_queue();
  void release_queue_later();
  void report_not_sent(const std::exception_ptr& failure) const;

  // ---- history (thread_history.cpp) ----
  Completion write_history(bool update, ExportedMessageRepositoryItem item);
  void write_partial_decision(const MessageLocation& loc);
  void end_run_after_write(const std::shared_ptr<Roundtrip>& rt, std::exception_ptr failure);
  void maybe_checkpoint(Roundtrip& rt);
  void run_history_load(bool awaited);
  void apply_history_load(ThreadHistoryLoadResult result);
  std::chrono::steady_clock::time_point now() const;

  // ---- capabilities, suggestions, speech (thread_capabilities.cpp) ----
  void recompute_capabilities();
  void start_suggestions();
  void abort_suggestions();
  void stop_utterance();

  // ---- notifications (thread_runtime.cpp) ----
  void initialize_once();
  void emit(ThreadEvent event);
  void notify();
  void deliver_change();
  void deliver_event(ThreadEvent event);

  OwnerThread owner_;  // the thread that constructed the runtime
  ThreadRuntimeOptions options_;
  MessageRepository repository_;
  std::unique_ptr<ThreadComposer> composer_;
  std::map<Id, std::unique_ptr<EditComposer>> edits_;
  std::vector<std::unique_ptr<EditComposer>> closed_edits_;
  Capabilities capabilities_;
  std::vector<ThreadSuggestion> suggestions_;
  std::optional<SpeechState> speech_;
  std::shared_ptr<Utterance> utterance_;
  std::function<void()> utterance_unsubscribe_;
  std::shared_ptr<Listeners> listeners_;
  std::shared_ptr<Roundtrip> current_;  // the roundtrip holding the current signal
  std::shared_ptr<Run> active_run_;     // the most recently started run loop
  std::vector<std::shared_ptr<Roundtrip>> live_roundtrips_;  // started, not yet finished
  std::shared_ptr<detail::SuggestionJob> suggestion_job_;
  RunConfig last_run_config_;
  std::shared_ptr<ToolCallLedger> tool_ledger_;
  std::map<std::string, bool> approval_policy_;  // tool name → always allow (true) / deny
  std::unique_ptr<MessageQueue> queue_;
  Subscription queue_shown_;          // the thread composer shows the queue (spec §11.1)
  bool queue_busy_ = false;           // a run loop is in progress (spec §9.4)
  bool queue_paused_ = false;         // a cancel kept the items (queue_clear_on_cancel false)
  bool queue_run_in_flight_ = false;  // the current run was dispatched by the queue
  bool dispatching_ = false;          // inside a dispatch: the append bypasses the queue
  std::uint64_t queue_epoch_ = 0;     // run loop starts; a stale release does nothing
  bool initialized_ = false;
  bool detached_ = false;
  std::unique_ptr<detail::HistoryWriter> history_writer_;
  int runs_at_barrier_ = 0;                 // appends waiting for the thread to be created
  std::optional<Completion> history_load_;  // requested (spec §12.2)
  bool history_load_ran_ = false;           // the adapter was asked (a late adapter loads once)
  bool is_loading_ = false;
  detail::Notifier notifier_;  // notifications wait for the outermost operation to end
  Lifetime attachment_;        // ends when the thread detaches (spec §5.16)
  Lifetime lifetime_;          // ends with the runtime: posted work and late completions do nothing
};

}  // namespace aui
