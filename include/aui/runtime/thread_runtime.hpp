#pragma once
// ThreadRuntime: one conversation — its message tree, its runs, its composers (spec §4–§6, §8,
// §10, §11). Everything here runs on the owner thread; adapters run on workers and their results
// come back through the Dispatcher.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aui/adapters/attachment_adapter.hpp"
#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/adapters/dictation_adapter.hpp"
#include "aui/adapters/feedback_adapter.hpp"
#include "aui/adapters/speech_synthesis_adapter.hpp"
#include "aui/adapters/suggestion_adapter.hpp"
#include "aui/adapters/thread_history_adapter.hpp"
#include "aui/model/message.hpp"
#include "aui/model/message_like.hpp"
#include "aui/runtime/append_message.hpp"
#include "aui/runtime/composer.hpp"
#include "aui/runtime/message_queue.hpp"
#include "aui/runtime/model_context.hpp"
#include "aui/runtime/tool_execution.hpp"
#include "aui/support/completion.hpp"
#include "aui/support/dispatcher.hpp"
#include "aui/support/errors.hpp"
#include "aui/support/executor.hpp"
#include "aui/support/subscription.hpp"
#include "aui/tree/message_repository.hpp"

namespace aui {

/// The optional capability adapters of a thread. Replacing them while the thread lives
/// recomputes the capabilities and notifies (spec §10).
struct ThreadAdapters {
  std::shared_ptr<AttachmentAdapter> attachments{};
  std::shared_ptr<SpeechSynthesisAdapter> speech{};
  std::shared_ptr<DictationAdapter> dictation{};
  std::shared_ptr<FeedbackAdapter> feedback{};
  std::shared_ptr<SuggestionAdapter> suggestion{};
  /// Where the thread's messages are kept (spec §12); none = in memory only.
  std::shared_ptr<ThreadHistoryAdapter> history{};
};

/// Configuration of a thread runtime.
struct ThreadRuntimeOptions {
  /// Required: the run function.
  ChatModelAdapter chat_model{};
  /// Where the runtime's owner work runs. Required.
  std::shared_ptr<Dispatcher> dispatcher{};
  /// Where adapters run; default_executor() when null.
  std::shared_ptr<Executor> executor{};
  /// maxSteps (spec §7.6): the tool loop stops when the message reports this many steps.
  int max_steps = 2;
  /// unstable_humanToolNames (spec §7.3); unset = legacy mode.
  std::optional<std::vector<std::string>> human_tool_names{};
  /// Messages the thread starts with (normalised as spec §2.9; status complete/unknown default).
  std::vector<ThreadMessageLike> initial_messages{};
  ThreadAdapters adapters{};
  /// unstable_enableMessageQueue (spec §9): a message sent while a run is in progress waits in a
  /// queue and goes out when the run ends, one per run, instead of superseding it.
  bool enable_message_queue = false;
  /// cancel_run() empties the queue (true) or pauses it until the next send (false).
  bool queue_clear_on_cancel = true;
  /// An edit (a run-starting append not under the tail) empties the queue (true) or lets it drain
  /// after the edit's run (false).
  bool queue_clear_on_rewind = true;
  /// Checkpoints of a streaming reply: while a reply streams, its message is written through
  /// the history adapter's update at most this often, so a crash loses at most the last interval
  /// of it. Zero (the default) writes a reply only when its run ends (spec §12.4); checkpoints
  /// need an adapter with update.
  std::chrono::milliseconds history_checkpoint_interval{0};
  /// A user message is stored before the model sees it: when append() starts a run and a
  /// history adapter is set, the run begins at once (its assistant message shows as running)
  /// but the chat model is called only after the history adapter's append of the user message
  /// has returned. A failed write does not stop the run (spec §12.4): the model is still called
  /// and append() fails with the write's error after the run. A cancel meanwhile ends the run
  /// as cancelled without a model call. The first token waits for the write (a local SQLite
  /// write); false calls the model at once, beside the write, e.g. for a slow remote history.
  bool write_user_message_before_model = true;
  /// The pace of a fast stream: while a reply's updates come faster than this, they are applied
  /// (and subscribers notified) at most once per interval, each time with the newest update,
  /// so a stream costs the owner thread a frame's work per frame however fast the backend
  /// yields. The first update and the end of a reply are applied at once. Needs a dispatcher
  /// with a timer (Dispatcher::post_after; EventLoop has one); zero applies every update the
  /// owner thread gets to.
  std::chrono::milliseconds stream_update_interval{16};
  /// The clock checkpoints and the stream's pace are timed by; steady_clock when empty (tests
  /// give a fake one).
  std::function<std::chrono::steady_clock::time_point()> clock{};
  /// Where the errors no caller can receive go (rule 3 of aui/support/errors.hpp): a throwing
  /// subscriber, a failed history write or load nobody awaits, a failed suggestion, speech,
  /// dictation or title job, a message a composer or the queue could not send — each an
  /// aui::Error with its kind and its cause. A handler taking `const std::string&` still works
  /// (it gets the message). Default: standard error.
  ErrorHandler on_error{};
  /// The thread's id, if it has one (a remote or stored thread): handed to the chat model as
  /// unstable_threadId and to the feedback adapter.
  std::optional<std::string> thread_id{};

  // ---- set by a thread list (spec §14.7); a lone thread leaves them empty ----
  /// The initialisation barrier: append() shows its message at once, then waits for the
  /// completion this returns before writing history or starting the run. If it fails, the
  /// message is removed and append fails MessageNotSent (the composer restores its draft); the
  /// next append asks again, so a failed initialisation is retried.
  std::function<Completion()> initialize_barrier{};
  /// unstable_threadId: read at the start of every roundtrip (the thread's remote id, if any).
  std::function<std::optional<std::string>()> thread_id_provider{};
  /// The thread exists nowhere yet (a new draft): load_history() has nothing to load and
  /// succeeds at once. A load asked for later, once the thread is stored, would import what the
  /// store holds over the live messages — a stale checkpoint over a streaming reply.
  bool is_new_thread = false;
};

/// Capabilities (spec §10).
struct Capabilities {
  bool switch_to_branch = true;
  bool switch_branch_during_run = true;
  bool edit = true;
  bool reload = true;
  bool cancel = true;
  bool unstable_copy = true;
  bool refetch_thread = false;
  bool remove = false;  // "delete"
  bool speech = false;
  bool dictation = false;
  bool voice = false;
  bool attachments = false;
  bool feedback = false;
  bool queue = false;
  friend bool operator==(const Capabilities&, const Capabilities&) = default;
};

/// What is being spoken (spec §13.2 `speech`): the message and its utterance's status.
struct SpeechState {
  Id message_id{};
  UtteranceStatus status{};
  friend bool operator==(const SpeechState&, const SpeechState&) = default;
};

/// What start_run() and resume_run() take (spec §5.2).
struct StartRunConfig {
  std::optional<Id> parent_id{};  // nullopt = a new root-level assistant message
  std::optional<Id> source_id{};
  RunConfig run_config{};
};

/// A message as a view shows it (spec §4 per-message state).
struct MessageState {
  MessagePtr message{};
  std::optional<Id> parent_id{};
  std::size_t index = 0;
  bool is_last = false;
  std::size_t branch_number = 1;
  std::size_t branch_count = 1;
};

/// A tool result supplied by a person or the host (spec §5.10).
struct ToolResult {
  Id message_id{};  // empty: the last message on the current branch that holds the call
  std::string tool_call_id{};
  std::string tool_name{};  // informational
  Json result{};            // JSON null is a result too
  bool is_error = false;
  std::optional<Json> artifact{};  // absent keeps the previous artifact
  Json model_content{};            // null = absent
};

/// A decision on an approval gate (spec §5.11). `approved` may be left out when `option_id`
/// names one of the gate's options: allow-* kinds approve, reject-* kinds deny.
struct ToolApprovalResponse {
  Id approval_id{};
  std::optional<bool> approved{};
  std::optional<std::string> option_id{};
  std::optional<std::string> reason{};
  /// Decide every later gate of the same tool in this thread the same way, without asking
  /// ("always allow"). An option of kind allow-always / reject-always implies it.
  bool always = false;
};

enum class ThreadEvent { RunStart, RunEnd, Initialize, ModelContextUpdate, ToolApprovalAnswered };

/// One thread. Owner thread only: construct it, call it and destroy it on the thread that runs
/// its dispatcher.
class ThreadRuntime {
 public:
  explicit ThreadRuntime(ThreadRuntimeOptions options);
  ~ThreadRuntime();  // detaches: cancels the run
  ThreadRuntime(const ThreadRuntime&) = delete;
  ThreadRuntime& operator=(const ThreadRuntime&) = delete;

  // ---- state (spec §4) ----
  /// The current branch, root first. A cheap snapshot; unchanged messages keep their identity.
  const MessageList& messages() const noexcept;
  /// The last message of the branch is an assistant message with status running.
  bool is_running() const noexcept;
  /// A run of this thread is in flight: a roundtrip, or an appended message waiting at the
  /// initialisation barrier to start its run. Unlike is_running() it stays true between the
  /// roundtrips of a tool loop, while the message briefly shows requires-action; a run that
  /// paused for a person or ended makes it false (and emits RunEnd).
  bool is_run_in_progress() const noexcept;
  /// A history load is in flight (spec §12.2).
  bool is_loading() const noexcept;
  /// No messages and no history load in flight: an empty state may show (spec §4).
  bool is_empty() const noexcept;
  /// unstable_state of the last assistant message on the branch, or null.
  Json state() const;
  Capabilities capabilities() const noexcept;
  const std::vector<ThreadSuggestion>& suggestions() const noexcept;
  /// The message being spoken and its status, or nullopt when nothing is (spec §13.2).
  const std::optional<SpeechState>& speech() const noexcept;
  ThreadComposer& composer() noexcept;
  /// The message at `index` of the current branch with its derived state. InvalidArgument when
  /// negative, nullopt when past the end.
  std::optional<MessageState> message_state(long index) const;
  std::optional<MessageState> message_state(const Id& id) const;
  /// getMessageById: nullopt when unknown (does not fail).
  std::optional<MessageLocation> get_message_by_id(const Id& id) const;
  /// MessageNotFound.
  std::vector<Id> get_branches(const Id& id) const;
  const MessageRepository& repository() const noexcept;

  // ---- operations (spec §5) ----
  /// The single entry point for adding a message (spec §5.1). Completes after the whole run.
  Completion append(AppendMessage message);
  /// Convenience: a user message with one text part under the tail.
  Completion append(std::string text);
  /// A new assistant message under `parent_id` (spec §5.2).
  Completion start_run(StartRunConfig config);
  /// Like start_run, but the first roundtrip calls `stream` instead of the chat model adapter
  /// (spec §5.3). An empty `stream` fails StreamRequired synchronously.
  Completion resume_run(StartRunConfig config, ChatModelAdapter stream);
  /// Cancels the run in progress, if any (spec §5.4).
  void cancel_run();
  /// Regenerates an assistant message as a new sibling (spec §5.5). NotAssistant.
  Completion reload(const Id& message_id, std::optional<RunConfig> run_config = std::nullopt);
  /// spec §5.6. BranchNotFound.
  void switch_to_branch(const Id& branch_id);
  /// Message-level previous/next sibling (spec §5.6). BranchNotFound when there is none.
  enum class BranchPosition { Previous, Next };
  void switch_to_branch(const Id& message_id, BranchPosition position);
  /// Opens an edit composer seeded from the message (spec §5.8). EditInProgress,
  /// MessageNotFound.
  EditComposer& begin_edit(const Id& message_id);
  /// The open edit composer of a message, or nullptr.
  EditComposer* edit_composer(const Id& message_id) noexcept;
  /// spec §5.9 needs a history adapter with delete; without one this fails DeleteUnsupported.
  Completion delete_message(const Id& message_id);
  /// spec §5.14: hands the feedback to the adapter, then marks an assistant message's
  /// metadata.submitted_feedback. AdapterMissing, MessageNotFound.
  void submit_feedback(const Id& message_id, FeedbackType type,
                       std::optional<std::string> comment = std::nullopt);
  /// Speaks the message's text parts joined by "\n\n", stopping what was being spoken (spec
  /// §5.13, §13.2). AdapterMissing, MessageNotFound.
  void speak(const Id& message_id);
  /// Stops speaking (spec §13.2). NotSpeaking when nothing is being spoken.
  void stop_speaking();
  /// Message-level stop: NotSpeaking when nothing, or a different message, is being spoken.
  void stop_speaking(const Id& message_id);
  /// Fills a tool call's result; resumes the run when nothing else is awaited (spec §5.10).
  /// MessageNotFound, NotAssistant, ToolCallNotFound (thrown).
  void add_tool_result(ToolResult result);
  /// Records an approval decision; resumes the run when nothing else is awaited and the message
  /// is the head (spec §5.11). ApprovalNotFound, RunInProgress, NotPaused, ApprovalTerminated,
  /// ApprovalAlreadyDecided, InvalidArgument (thrown).
  void respond_to_tool_approval(ToolApprovalResponse response);
  /// The standing decision for a tool's approval gates in this thread (set by an "always"
  /// response): true = allowed, false = denied, nullopt = ask. Gates of such a tool are decided
  /// as soon as a roundtrip ends, marked is_automatic, and the run goes on.
  std::optional<bool> tool_approval_policy(const std::string& tool_name) const;
  void set_tool_approval_policy(const std::string& tool_name, std::optional<bool> approved);
  /// spec §5.12: not supported by LocalRuntime; always throws Unsupported.
  [[noreturn]] void resume_tool_call();

  /// spec §5.15.
  ExportedMessageRepository export_repository() const;
  /// Replaces the thread's messages with the export's and selects its head. Bad data throws
  /// (naming what is wrong) and leaves the thread as it was.
  void import_repository(const ExportedMessageRepository& data);
  /// Replaces the thread's messages with `initial_messages`, normalised as appended ones are.
  void reset(std::vector<ThreadMessageLike> initial_messages = {});
  /// Loads the thread's messages from the history adapter (spec §12.2): imports them, resumes a
  /// live run when the adapter says so (§12.3). The first call starts the load; later calls return
  /// the same completion. Without an adapter it succeeds at once, and the load runs when an adapter
  /// arrives through set_adapters() while the thread is still empty.
  Completion load_history();
  /// Settles when every history call issued so far has finished (e.g. before a program exits).
  Completion history_flushed();
  /// Tears the thread down (spec §5.16): cancels the run; later results are dropped.
  void detach();

  // ---- message queue (spec §9) ----
  /// The queue, or nullptr when it is off. Its items can be removed, edited and moved.
  MessageQueue* queue() noexcept;
  const MessageQueue* queue() const noexcept;
  /// Turns the queue on or off; off drops it with its items (spec §9.1).
  void set_message_queue_enabled(bool enabled);

  // ---- model context (spec §7.2) ----
  using ModelContextProvider = std::function<ModelContext()>;
  /// Registers a provider; the merged context goes to every roundtrip.
  [[nodiscard]] Subscription register_model_context_provider(ModelContextProvider provider);
  /// Providers call this when what they return changed (emits ModelContextUpdate).
  void notify_model_context_changed();
  /// Registers a toolkit (and an optional system prompt) as one provider.
  [[nodiscard]] Subscription register_tools(Toolkit tools, std::string system = {});
  /// The merged context as the adapter would receive it. DuplicateTool.
  ModelContext model_context() const;

  // ---- options ----
  /// Replaces the capability adapters; capabilities follow. A history adapter arriving while
  /// the thread is empty and a load was asked for loads now (spec §12.2).
  void set_adapters(ThreadAdapters adapters);
  const ThreadAdapters& adapters() const noexcept;
  /// The chat model adapter for roundtrips that start from now on.
  void set_chat_model(ChatModelAdapter adapter);
  const ThreadRuntimeOptions& options() const noexcept;

  // ---- subscriptions (spec §11) ----
  /// Called after state changes, on the owner thread. Throwing callbacks are isolated.
  [[nodiscard]] Subscription subscribe(std::function<void()> on_change);
  /// Event listeners are isolated. Initialize is latched: a late listener gets it once, later.
  [[nodiscard]] Subscription on(ThreadEvent event, std::function<void()> listener);

  /// Where the runtime posts its owner work.
  Dispatcher& dispatcher() const noexcept;

 private:
  struct Impl;  // src/core/runtime/thread_runtime_impl.hpp
  std::unique_ptr<Impl> impl_;
};

}  // namespace aui
