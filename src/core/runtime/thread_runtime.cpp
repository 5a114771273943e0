// The thread runtime: append, runs and their roundtrips, cancellation, supersession, branches,
// editing and subscriptions (spec §4–§6, §10, §11).
//
// Threading: every member function runs on the owner thread. A roundtrip's adapter runs on a
// worker; its results travel back through a Channel that holds only the newest unapplied result
// (results are cumulative, so an older one that was never applied is simply replaced) and posts
// at most one drain task to the dispatcher at a time. However fast the adapter yields, the owner
// never has a backlog.

#include "aui/runtime/thread_runtime.hpp"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <mutex>
#include <utility>

#include "aui/support/errors.hpp"
#include "runtime/history_writer.hpp"
#include "runtime/listener_list.hpp"

namespace aui {

namespace {

/// Thrown by RunResultSink::yield once the owner stopped consuming the stream. It unwinds the
/// adapter; the roundtrip then ends like a stream that finished.
struct StreamClosed {};

bool is_abort_kind(const std::exception_ptr& e) {
  if (!e) return false;
  try {
    std::rethrow_exception(e);
  } catch (const Cancelled&) {
    return true;
  } catch (const StreamClosed&) {
    return true;
  } catch (...) {
    return false;
  }
}

std::exception_ptr make_error(ErrorKind kind, const std::string& message) {
  return std::make_exception_ptr(Error(kind, message));
}

std::string quote_id(std::string_view id) { return "\"" + std::string(id) + "\""; }

/// A copy of `m` whose content is `content` (without copying m's old content first).
std::shared_ptr<ThreadMessage> copy_with_content(const ThreadMessage& m, Content content) {
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

std::shared_ptr<ThreadMessage> copy_with_status(const ThreadMessage& m, MessageStatus status) {
  auto out = std::make_shared<ThreadMessage>(m);
  out->status = std::move(status);
  return out;
}

}  // namespace

namespace detail {

std::string describe_exception(const std::exception_ptr& e) {
  if (!e) return "no error";
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (const std::string& s) {
    return s;
  } catch (const char* s) {
    return s;
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Internal state

/// The message being built, as the adapter's get_message() sees it from its worker thread.
struct LiveMessage {
  std::mutex mutex;
  MessagePtr message;
  MessagePtr get() {
    std::lock_guard lock(mutex);
    return message;
  }
  void set(MessagePtr m) {
    std::lock_guard lock(mutex);
    message = std::move(m);
  }
};

/// Worker → owner handoff of one roundtrip's results. The newest streamed result waits in a
/// one-slot mailbox: a newer one replaces it (results are cumulative), so the worker never
/// blocks on the owner and the owner never sees a backlog. At most one drain task is queued.
struct Channel {
  std::atomic<ChatModelRunResult*> slot{nullptr};
  std::atomic<bool> posted{false};  // a drain task is queued or running
  std::atomic<bool> closed{false};  // the owner stopped consuming
  std::mutex mutex;                 // guards the end of the call
  bool done = false;
  std::exception_ptr failure;
  std::optional<ChatModelRunResult> plain;  // a plain result is applied even after an abort
  std::stop_token stop;
  std::shared_ptr<Dispatcher> dispatcher;
  std::function<void()> drain;      // applies what arrived, at the stream's pace
  std::function<void()> drain_due;  // the same, when the paced wait is over
  std::atomic<bool> ended{false};   // the call returned: what is left is applied at once

  ~Channel() { delete slot.load(std::memory_order_acquire); }

  void schedule() {
    // A plain load first: while a drain is queued (the common case in a fast stream) the flag's
    // cache line stays shared instead of bouncing between the worker and the owner.
    if (posted.load(std::memory_order_acquire)) return;
    if (!posted.exchange(true, std::memory_order_acq_rel)) dispatcher->post(drain);
  }
  std::unique_ptr<ChatModelRunResult> take() {
    return std::unique_ptr<ChatModelRunResult>(slot.exchange(nullptr, std::memory_order_acq_rel));
  }
};

namespace {

// Gives `newer` the fields it leaves out from `older`, so that applying `newer` alone does what
// applying both in order would (spec §6.4).
void keep_what_is_absent(ChatModelRunResult& newer, ChatModelRunResult&& older) {
  if (!newer.content) newer.content = std::move(older.content);
  if (!newer.status) newer.status = std::move(older.status);
  if (!older.metadata) return;
  if (!newer.metadata) {
    newer.metadata = std::move(older.metadata);
    return;
  }
  RunResultMetadata& to = *newer.metadata;
  RunResultMetadata& from = *older.metadata;
  if (!to.unstable_state) to.unstable_state = std::move(from.unstable_state);
  if (!to.unstable_annotations) to.unstable_annotations = std::move(from.unstable_annotations);
  if (!to.unstable_data) to.unstable_data = std::move(from.unstable_data);
  if (!to.steps) to.steps = std::move(from.steps);
  if (!to.timing) to.timing = std::move(from.timing);
  if (!to.custom) to.custom = std::move(from.custom);
}

class ChannelSink final : public RunResultSink {
 public:
  explicit ChannelSink(std::shared_ptr<Channel> channel) : channel_(std::move(channel)) {}
  void yield(ChatModelRunResult result) override {
    if (channel_->closed.load(std::memory_order_acquire) || channel_->stop.stop_requested()) {
      throw StreamClosed{};
    }
    // The previous result, if the owner has not taken it yet, is superseded: this one takes its
    // place, keeping what it leaves out (spec §6.4: an absent field leaves the message's as it
    // is, so dropping the older result would lose, say, text followed by a status-only result).
    // Its box is reused (a fast stream allocates nothing here). Only this thread fills the
    // slot, so it is still empty when the box goes back in.
    ChatModelRunResult* box = channel_->slot.exchange(nullptr, std::memory_order_acq_rel);
    if (box) {
      keep_what_is_absent(result, std::move(*box));
    } else {
      box = new ChatModelRunResult();
    }
    *box = std::move(result);
    channel_->slot.store(box, std::memory_order_release);
    channel_->schedule();
  }
  std::stop_token stop_token() const override { return channel_->stop; }

 private:
  std::shared_ptr<Channel> channel_;
};

void set_tool_result(ToolCallPart& call, const ToolResult& input) {
  call.result = input.result;
  call.is_error = input.is_error;
  if (input.artifact) call.artifact = input.artifact;
  if (!input.model_content.is_null()) call.model_content = input.model_content;
}

}  // namespace

struct ThreadRuntime::Run {
  std::optional<Id> parent_id;
  MessagePtr message;  // as the run last saw it
  RunConfig run_config;
  ChatModelAdapter first_callback;  // resumeRun's stream for the first roundtrip
  bool started_paused = false;      // continues a message that was paused: history rewrites it
  // The history write of the user message this run answers: the first model call waits for it
  // (ThreadRuntimeOptions::write_user_message_before_model).
  std::optional<Completion> model_waits_for;
  Completion completion;
  std::exception_ptr failure;
};

struct ThreadRuntime::Roundtrip {
  std::shared_ptr<Run> run;
  std::stop_source stop;
  CancelReason reason = CancelReason::None;
  // Ownership (spec §6.1): the roundtrip owns its message while the stored object is the one it
  // last wrote; before its first write, while its run is the active run.
  MessagePtr last_written;
  bool has_written = false;
  MessagePtr message;  // as this roundtrip last saw it
  // The roundtrip base (spec §6.3 step 3).
  Content base_content;
  std::vector<Json> base_annotations;
  std::vector<Json> base_data;
  std::vector<ThreadStep> base_steps;
  Json base_custom;
  std::shared_ptr<LiveMessage> live;
  std::shared_ptr<Channel> channel;
  bool finished = false;
  bool lost = false;  // ownership was lost: nothing more is written, the loop does not go on
  // Tool results supplied while this roundtrip was still writing the message: they are kept in
  // each later write, so the message neither loses them nor stays `running` for good.
  std::vector<ToolResult> supplied_results;
  std::optional<std::chrono::steady_clock::time_point> last_checkpoint;
  std::optional<std::chrono::steady_clock::time_point> last_applied;  // of a streamed update

  bool aborted() const noexcept { return stop.stop_requested(); }
};

struct ThreadRuntime::Listeners {
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

struct SuggestionJob {
  std::stop_source stop;
};

// ---------------------------------------------------------------------------------------------
// AppendMessage

AppendMessage AppendMessage::user(std::string text) {
  AppendMessage m;
  m.role = Role::User;
  m.content.emplace_back(TextPart{Text(text)});
  return m;
}

// ---------------------------------------------------------------------------------------------
// Construction

ThreadRuntime::ThreadRuntime(ThreadRuntimeOptions options)
    : options_(std::move(options)),
      listeners_(std::make_shared<Listeners>()),
      tool_ledger_(std::make_shared<ToolCallLedger>()),
      alive_(std::make_shared<bool>(true)) {
  if (!options_.dispatcher) {
    throw Error(ErrorKind::InvalidArgument, "ThreadRuntimeOptions: a dispatcher is required");
  }
  if (!options_.executor) options_.executor = default_executor();
  if (!options_.initial_messages.empty()) {
    repository_.import_repository(from_array(std::move(options_.initial_messages)));
    options_.initial_messages.clear();
  }
  composer_ = std::make_unique<ThreadComposer>(*this);
  history_writer_ = std::make_unique<detail::HistoryWriter>(options_.executor, options_.dispatcher);
  if (options_.enable_message_queue) set_message_queue_enabled(true);
  recompute_capabilities();
}

ThreadRuntime::~ThreadRuntime() {
  *alive_ = false;
  for (auto& rt : live_roundtrips_) {
    rt->stop.request_stop();
    if (rt->channel) rt->channel->closed.store(true, std::memory_order_release);
  }
  abort_suggestions();
  if (utterance_unsubscribe_) utterance_unsubscribe_();
  if (utterance_) utterance_->cancel();
}

// ---------------------------------------------------------------------------------------------
// State

const MessageList& ThreadRuntime::messages() const noexcept { return repository_.messages(); }

bool ThreadRuntime::is_running() const noexcept {
  const auto& msgs = messages();
  if (msgs.empty()) return false;
  const auto& last = msgs.back();
  return last->role == Role::Assistant && last->status.type == StatusType::Running;
}

Json ThreadRuntime::state() const {
  const auto& msgs = messages();
  for (std::size_t i = msgs.size(); i-- > 0;) {
    if (msgs[i]->role == Role::Assistant)
      return msgs[i]->metadata.assistant_or_default().unstable_state;
  }
  return nullptr;
}

std::optional<MessageState> ThreadRuntime::message_state(long index) const {
  if (index < 0) throw Error(ErrorKind::InvalidArgument, "message index must not be negative");
  const auto& msgs = messages();
  if (static_cast<std::size_t>(index) >= msgs.size()) return std::nullopt;
  return message_state(msgs[static_cast<std::size_t>(index)]->id);
}

std::optional<MessageState> ThreadRuntime::message_state(const Id& id) const {
  if (!repository_.contains(id)) return std::nullopt;
  auto loc = repository_.get(id);
  MessageState s;
  s.message = loc.message;
  s.parent_id = loc.parent_id;
  s.index = loc.index;
  const auto& msgs = messages();
  s.is_last = !msgs.empty() && msgs.back().get() == loc.message.get();
  auto [number, count] = repository_.branch_number(id);
  s.branch_number = number;
  s.branch_count = count;
  return s;
}

std::optional<MessageLocation> ThreadRuntime::get_message_by_id(const Id& id) const {
  if (!repository_.contains(id)) return std::nullopt;
  return repository_.get(id);
}

std::vector<Id> ThreadRuntime::get_branches(const Id& id) const {
  return repository_.get_branches(id);
}

// ---------------------------------------------------------------------------------------------
// Subscriptions and events

Subscription ThreadRuntime::subscribe(std::function<void()> on_change) {
  return listeners_->state->subscribe(std::move(on_change));
}

Subscription ThreadRuntime::on(ThreadEvent event, std::function<void()> listener) {
  auto list = listeners_->event(event);
  if (event == ThreadEvent::Initialize && initialized_) {
    // Latched (spec §11.2): a late listener gets the event once, on a later turn, unless it
    // unsubscribed meanwhile. Initialize never fires again, so it need not join the list.
    auto pending = std::make_shared<std::function<void()>>(std::move(listener));
    std::weak_ptr<bool> alive = alive_;
    dispatcher().post([this, pending, alive] {
      if (alive.expired() || !*pending) return;
      auto fn = std::exchange(*pending, {});
      try {
        fn();
      } catch (...) {
        report("an initialize listener threw: " +
               detail::describe_exception(std::current_exception()));
      }
    });
    return Subscription([pending] { *pending = {}; });
  }
  return list->subscribe(std::move(listener));
}

void ThreadRuntime::emit(ThreadEvent event) {
  listeners_->event(event)->emit([this](const std::string& m) { report(m); });
}

void ThreadRuntime::notify() {
  listeners_->state->emit([this](const std::string& m) { report(m); });
  // The thread composer also notifies when what it derives from the thread changed (§11.1).
  const bool can_cancel = composer_ && composer_->can_cancel();
  if (can_cancel != listeners_->last_can_cancel) {
    listeners_->last_can_cancel = can_cancel;
    composer_->notify();
  }
}

void ThreadRuntime::report(const std::string& message) const {
  if (options_.on_error) {
    options_.on_error(message);
  } else {
    std::cerr << "aui: " << message << '\n';
  }
}

void ThreadRuntime::initialize_once() {
  if (initialized_) return;
  initialized_ = true;
  emit(ThreadEvent::Initialize);
}

// ---------------------------------------------------------------------------------------------
// Model context (spec §7.2)

Subscription ThreadRuntime::register_tools(Toolkit tools, std::string system) {
  ModelContext context;
  context.tools = std::move(tools);
  context.system = std::move(system);
  return register_model_context_provider([context = std::move(context)] { return context; });
}

Subscription ThreadRuntime::register_model_context_provider(ModelContextProvider provider) {
  auto id = ++listeners_->next_provider;
  listeners_->providers.emplace_back(id, std::move(provider));
  std::weak_ptr<Listeners> weak = listeners_;
  notify_model_context_changed();
  std::weak_ptr<bool> alive = alive_;
  return Subscription([this, weak, alive, id] {
    auto l = weak.lock();
    if (!l) return;
    std::erase_if(l->providers, [id](const auto& p) { return p.first == id; });
    if (!alive.expired()) notify_model_context_changed();
  });
}

void ThreadRuntime::notify_model_context_changed() { emit(ThreadEvent::ModelContextUpdate); }

ModelContext ThreadRuntime::model_context() const {
  if (listeners_->providers.empty()) return {};
  std::vector<ModelContext> contexts;
  contexts.reserve(listeners_->providers.size());
  for (const auto& [id, provider] : listeners_->providers) contexts.push_back(provider());
  return merge_model_contexts(contexts);
}

// ---------------------------------------------------------------------------------------------
// Options

void ThreadRuntime::set_adapters(ThreadAdapters adapters) {
  options_.adapters = std::move(adapters);
  recompute_capabilities();
  // A late history adapter (spec §12.2): a load that was requested without one runs now, but
  // only while the thread is still empty.
  if (history_load_ && !history_load_ran_ && options_.adapters.history && repository_.size() == 0) {
    run_history_load();
  }
}

void ThreadRuntime::set_chat_model(ChatModelAdapter adapter) {
  options_.chat_model = std::move(adapter);
}

void ThreadRuntime::recompute_capabilities() {
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
// append (spec §5.1)

Completion ThreadRuntime::append(std::string text) {
  return append(AppendMessage::user(std::move(text)));
}

Completion ThreadRuntime::append(AppendMessage message) {
  return run_append(std::move(message), true);
}

Completion ThreadRuntime::run_append(AppendMessage message, bool composer_metadata) {
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
      return append_after_barrier(std::move(barrier), stored, std::move(message));
  }
  return send_appended(stored, std::move(message));
}

// The rest of append once the message passed the initialisation gate (spec §5.1 steps 4-6).
Completion ThreadRuntime::send_appended(const MessagePtr& stored, AppendMessage message) {
  // Step 4: the history write starts now and is awaited with the run.
  Completion written = Completion::succeeded();
  if (options_.adapters.history) {
    std::optional<Id> parent_id;
    if (auto found = repository_.find(stored->id))
      parent_id = repository_.get(stored->id).parent_id;
    written = write_history(
        false, ExportedMessageRepositoryItem{stored, std::move(parent_id), message.run_config});
  }

  // Step 5/6. The run starts now; with write_user_message_before_model its model call waits
  // for the write (a failed write does not stop it, spec §12.4).
  const bool start = message.start_run.value_or(message.role == Role::User);
  if (start) {
    std::optional<Completion> model_waits_for;
    if (options_.adapters.history && options_.write_user_message_before_model)
      model_waits_for = written;
    Completion ran = start_run_impl(stored->id, message.run_config.value_or(RunConfig{}),
                                    ChatModelAdapter{}, std::move(model_waits_for));
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
Completion ThreadRuntime::append_after_barrier(Completion barrier, MessagePtr stored,
                                               AppendMessage message) {
  Completion done;
  const auto generation = generation_;
  std::weak_ptr<bool> alive = alive_;
  const bool starts_run = message.start_run.value_or(message.role == Role::User);
  if (starts_run) ++runs_at_barrier_;
  barrier.then([this, alive, generation, done, starts_run, stored = std::move(stored),
                message = std::move(message)](std::exception_ptr error) mutable {
    if (alive.expired()) return done.resolve();
    if (starts_run) --runs_at_barrier_;
    const bool detached_meanwhile = generation != generation_;
    if (error || detached_meanwhile) {
      if (repository_.contains(stored->id)) repository_.remove(stored->id);
      notify();  // also: no run waits any more
      if (!error || detached_meanwhile) return done.resolve();
      return done.reject(
          make_error(ErrorKind::MessageNotSent,
                     "the thread could not be initialised: " + detail::describe_exception(error)));
    }
    send_appended(stored, std::move(message)).then([done](std::exception_ptr e) {
      if (e) return done.reject(e);
      done.resolve();
    });
  });
  return done;
}

// ---------------------------------------------------------------------------------------------
// startRun / resumeRun / reload (spec §5.2, §5.3, §5.5)

Completion ThreadRuntime::start_run(StartRunConfig config) {
  return start_run_impl(config.parent_id, std::move(config.run_config), ChatModelAdapter{});
}

Completion ThreadRuntime::resume_run(StartRunConfig config, ChatModelAdapter stream) {
  if (!stream) throw Error(ErrorKind::StreamRequired, "resumeRun needs a stream");
  return start_run_impl(config.parent_id, std::move(config.run_config), std::move(stream));
}

Completion ThreadRuntime::start_run_impl(const std::optional<Id>& parent_id, RunConfig run_config,
                                         ChatModelAdapter first_callback,
                                         std::optional<Completion> model_waits_for) {
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
  Completion completion = run->completion;
  run_loop(std::move(run));
  return completion;
}

Completion ThreadRuntime::reload(const Id& message_id, std::optional<RunConfig> run_config) {
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

// ---------------------------------------------------------------------------------------------
// The run loop (spec §6.2)

void ThreadRuntime::run_loop(std::shared_ptr<Run> run) {
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

void ThreadRuntime::end_run(const std::shared_ptr<Run>& run, std::exception_ptr failure) {
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

namespace {

// Records a decision on a gate (spec §7.5): a denial also becomes the error result the model sees.
void decide_gate(ToolCallPart& call, bool approved, const std::optional<std::string>& option_id,
                 const std::optional<std::string>& reason, bool automatic) {
  Approval& decided = call.approval.edit();
  decided.approved = approved;
  if (option_id) decided.option_id = option_id;
  if (reason) decided.reason = reason;
  if (automatic) decided.is_automatic = true;
  if (!approved) {
    const std::string why = reason && !reason->empty() ? *reason : "Tool approval denied";
    call.result = Json{{"error", why}};
    call.is_error = true;
  }
}

}  // namespace

bool ThreadRuntime::should_continue(const ThreadMessage& m) const {
  if (!m.status.is(StatusType::RequiresAction, StatusReason::ToolCalls)) return false;
  const auto& human = options_.human_tool_names;
  for (const auto& part : m.content) {
    const auto* call = part.get_if<ToolCallPart>();
    if (!call) continue;
    const bool has_approval = call->approval.has_value();
    if (!call->result && has_approval && call->approval->pending()) return false;
    if (call->result || has_approval) continue;
    if (!human) return false;  // legacy mode: any unresolved call pauses
    if (std::find(human->begin(), human->end(), call->tool_name) != human->end()) return false;
  }
  return true;
}

bool ThreadRuntime::should_cancel(const Roundtrip& rt) const {
  if (!rt.aborted()) return false;
  const auto& status = rt.message->status;
  if (status.type == StatusType::Running) return true;
  if (status.type == StatusType::RequiresAction) {
    return rt.run != active_run_ || should_continue(*rt.message);
  }
  return false;
}

bool ThreadRuntime::store_owned(Roundtrip& rt, MessagePtr message) {
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

void ThreadRuntime::start_roundtrip(std::shared_ptr<Run> run) {
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
  std::weak_ptr<bool> alive = alive_;
  auto make_drain = [this, weak_rt, alive](bool due) {
    return [this, weak_rt, alive, due] {
      if (alive.expired()) return;
      auto r = weak_rt.lock();
      if (!r) return;
      try {
        drain(r, due);
      } catch (...) {
        // Nothing the adapter sends may break the host's loop.
        report("applying a result failed: " + detail::describe_exception(std::current_exception()));
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
    std::exception_ptr failure;
    std::optional<ChatModelRunResult> plain;
    try {
      // A run stopped while its user message was being written never calls the model.
      if (waits && options->stop_token.stop_requested()) throw Cancelled();
      switch (adapter.form()) {
        case ChatModelAdapter::Form::Plain: plain = adapter.plain()(*options); break;
        case ChatModelAdapter::Form::Streaming: {
          ChannelSink sink(channel);
          adapter.streaming()(*options, sink);
          break;
        }
        case ChatModelAdapter::Form::Coroutine: {
          ChannelSink sink(channel);
          auto stream = adapter.coroutine()(*options);
          while (auto result = stream.next()) sink.yield(std::move(*result));
          break;
        }
      }
    } catch (const StreamClosed&) {
      // The owner stopped consuming; this is a normal end of the stream.
    } catch (...) {
      failure = std::current_exception();
    }
    {
      std::lock_guard lock(channel->mutex);
      channel->plain = std::move(plain);
      channel->done = true;
      channel->failure = failure;
    }
    // Always a fresh drain: one that is queued may be waiting for the stream's pace, and the
    // end of a reply is applied at once. A drain that finds the roundtrip finished does nothing.
    channel->ended.store(true, std::memory_order_release);
    channel->posted.store(true, std::memory_order_release);
    channel->dispatcher->post(channel->drain);
  };
  if (waits) {
    wait->then([executor = options_.executor, call = std::move(call)](std::exception_ptr) mutable {
      executor->execute(std::move(call));
    });
    return;
  }
  options_.executor->execute(std::move(call));
}

void ThreadRuntime::run_approved_tools(const std::shared_ptr<Roundtrip>& rt,
                                       std::shared_ptr<ChatModelRunOptions> options) {
  std::weak_ptr<Roundtrip> weak_rt = rt;
  std::weak_ptr<bool> alive = alive_;
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

void ThreadRuntime::drain(const std::shared_ptr<Roundtrip>& rt, bool due) {
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

void ThreadRuntime::consume(Roundtrip& rt, const ChatModelRunResult& result) {
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

void ThreadRuntime::apply_result(Roundtrip& rt, const ChatModelRunResult& r) {
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

void ThreadRuntime::finish_roundtrip(const std::shared_ptr<Roundtrip>& rt,
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

// ---------------------------------------------------------------------------------------------
// cancelRun / detach (spec §5.4, §5.16)

void ThreadRuntime::cancel_run() {
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

void ThreadRuntime::detach() {
  ++generation_;
  detached_ = true;
  if (queue_) queue_->clear();  // pending items are lost (spec §9.8)
  if (current_) {
    current_->reason = CancelReason::Detach;
    current_->stop.request_stop();
    current_ = nullptr;
  }
  abort_suggestions();
}

// ---------------------------------------------------------------------------------------------
// Suggestions (spec §13.5)

void ThreadRuntime::abort_suggestions() {
  if (suggestion_job_) {
    suggestion_job_->stop.request_stop();
    suggestion_job_ = nullptr;
  }
}

void ThreadRuntime::start_suggestions() {
  abort_suggestions();
  auto adapter = options_.adapters.suggestion;
  if (!adapter) return;
  auto job = std::make_shared<SuggestionJob>();
  suggestion_job_ = job;
  auto dispatcher = options_.dispatcher;
  std::weak_ptr<bool> alive = alive_;
  auto deliver = [this, dispatcher, job, alive](std::vector<ThreadSuggestion> list) {
    if (job->stop.stop_requested()) return;
    dispatcher->post([this, job, alive, list = std::move(list)]() mutable {
      if (alive.expired() || job->stop.stop_requested()) return;
      suggestions_ = std::move(list);
      notify();
    });
  };
  options_.executor->execute([adapter, job, deliver, dispatcher, alive, this, msgs = messages()] {
    try {
      auto last = adapter->generate(msgs, job->stop.get_token(), deliver);
      deliver(std::move(last));
    } catch (...) {
      auto what = detail::describe_exception(std::current_exception());
      dispatcher->post([this, job, alive, what] {
        // An aborted generation ending in an error is the abort, not a failure worth reporting.
        if (alive.expired() || job->stop.stop_requested()) return;
        report("suggestion generation failed: " + what);
        // A failing generation leaves no suggestions, even ones it delivered before failing.
        if (!job->stop.stop_requested() && !suggestions_.empty()) {
          suggestions_.clear();
          notify();
        }
      });
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Branches (spec §5.6, §5.7)

void ThreadRuntime::switch_to_branch(const Id& branch_id) {
  repository_.switch_to_branch(branch_id);
  notify();
}

void ThreadRuntime::switch_to_branch(const Id& message_id, BranchPosition position) {
  auto branches = repository_.get_branches(message_id);
  auto it = std::find(branches.begin(), branches.end(), message_id);
  const auto pos = static_cast<std::size_t>(it - branches.begin());
  if (position == BranchPosition::Previous) {
    if (pos == 0)
      throw Error(ErrorKind::BranchNotFound, "no previous branch of " + quote_id(message_id));
    switch_to_branch(branches[pos - 1]);
  } else {
    if (pos + 1 >= branches.size()) {
      throw Error(ErrorKind::BranchNotFound, "no next branch of " + quote_id(message_id));
    }
    switch_to_branch(branches[pos + 1]);
  }
}

// ---------------------------------------------------------------------------------------------
// Editing (spec §5.8)

EditComposer& ThreadRuntime::begin_edit(const Id& message_id) {
  if (edits_.count(message_id)) {
    throw Error(ErrorKind::EditInProgress,
                "message " + quote_id(message_id) + " is already being edited");
  }
  auto loc = repository_.get(message_id);  // MessageNotFound
  auto edit = std::make_unique<EditComposer>(*this, *loc.message, loc.parent_id);
  auto& ref = *edit;
  edits_[message_id] = std::move(edit);
  notify();
  return ref;
}

EditComposer* ThreadRuntime::edit_composer(const Id& message_id) noexcept {
  auto it = edits_.find(message_id);
  return it == edits_.end() ? nullptr : it->second.get();
}

void ThreadRuntime::close_edit(const Id& message_id) {
  auto it = edits_.find(message_id);
  if (it == edits_.end()) return;
  // The composer may be inside its own send(): keep it alive until a later turn.
  closed_edits_.push_back(std::move(it->second));
  edits_.erase(it);
  std::weak_ptr<bool> alive = alive_;
  dispatcher().post([this, alive] {
    if (!alive.expired()) closed_edits_.clear();
  });
  notify();
}

// ---------------------------------------------------------------------------------------------
// delete, feedback, unsupported operations

Completion ThreadRuntime::delete_message(const Id& message_id) {
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
  written.then([this, alive = alive_, message_id, done](std::exception_ptr failure) {
    if (!*alive) return;
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

void ThreadRuntime::submit_feedback(const Id& message_id, FeedbackType type,
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

void ThreadRuntime::stop_utterance() {
  // Unsubscribe first: the cancelled utterance's last status change must not clear the state
  // of the one that replaces it.
  if (auto unsubscribe = std::exchange(utterance_unsubscribe_, {})) unsubscribe();
  if (auto utterance = std::exchange(utterance_, nullptr)) utterance->cancel();
}

void ThreadRuntime::speak(const Id& message_id) {
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
  std::weak_ptr<bool> alive = alive_;
  std::weak_ptr<Utterance> weak = utterance;
  auto on_change = [this, dispatcher, alive, weak] {
    dispatcher->post([this, alive, weak] {
      auto u = weak.lock();
      if (alive.expired() || !u || u != utterance_) return;
      const UtteranceStatus status = u->status();
      if (status.type == UtteranceStatus::Type::Ended) {
        if (status.reason == UtteranceStatus::EndReason::Error)
          report("speech failed: " + status.error);
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

void ThreadRuntime::stop_speaking() {
  if (!speech_) throw Error(ErrorKind::NotSpeaking, "nothing is being spoken");
  stop_utterance();
  speech_.reset();
  notify();
}

void ThreadRuntime::stop_speaking(const Id& message_id) {
  if (!speech_ || speech_->message_id != message_id) {
    throw Error(ErrorKind::NotSpeaking, "message " + quote_id(message_id) + " is not being spoken");
  }
  stop_speaking();
}

// ---------------------------------------------------------------------------------------------
// Tool results and approval decisions (spec §5.10, §5.11, §6.8)

void ThreadRuntime::replace_message(const MessageLocation& loc, MessagePtr next) {
  // A write that changes content or status takes the message from any roundtrip still writing
  // it: that roundtrip's later updates are dropped (spec §6.1).
  repository_.add_or_update(loc.parent_id, std::move(next));
  notify();
}

void ThreadRuntime::continue_run(const Id& message_id) {
  auto loc = repository_.get(message_id);
  auto run = std::make_shared<Run>();
  run->parent_id = loc.parent_id;
  run->message = loc.message;
  run->run_config = last_run_config_;
  run->started_paused = loc.message->status.type == StatusType::RequiresAction;
  // Nobody awaits a continuation: its errors are recorded on the message (spec §6.8).
  run_loop(std::move(run));
}

void ThreadRuntime::add_tool_result(ToolResult input) {
  Id message_id = input.message_id;
  if (message_id.empty()) {
    const auto& msgs = messages();
    for (std::size_t i = msgs.size(); i-- > 0 && message_id.empty();) {
      for (const auto& part : msgs[i]->content) {
        const auto* call = part.get_if<ToolCallPart>();
        if (call && call->tool_call_id == input.tool_call_id) {
          message_id = msgs[i]->id;
          break;
        }
      }
    }
    if (message_id.empty()) {
      throw Error(ErrorKind::ToolCallNotFound,
                  "no message on the current branch has tool call " + quote_id(input.tool_call_id));
    }
  }
  auto loc = repository_.get(message_id);  // MessageNotFound
  if (loc.message->role != Role::Assistant) {
    throw Error(ErrorKind::NotAssistant,
                "tool results go on assistant messages; " + quote_id(message_id) + " is not one");
  }
  auto next = std::make_shared<ThreadMessage>(*loc.message);
  bool found = false;
  bool added = false;
  for (auto& part : next->content) {
    const auto* call = part.get_if<ToolCallPart>();
    if (!call || call->tool_call_id != input.tool_call_id) continue;
    found = true;
    auto& edit = part.edit<ToolCallPart>();
    if (!edit.result) added = true;
    set_tool_result(edit, input);
  }
  if (!found) {
    throw Error(
        ErrorKind::ToolCallNotFound,
        "message " + quote_id(message_id) + " has no tool call " + quote_id(input.tool_call_id));
  }
  const bool resumes = added && should_continue(*next);
  if (!resumes && next->status.type == StatusType::Running) {
    // A result for a message that is still streaming (a human answering a call while the reply
    // goes on) joins the roundtrip writing it instead of taking the message from it: otherwise
    // the roundtrip's later writes, its final status included, would be dropped and the message
    // would stay `running` for good (the ownership quirk of spec §6.7). A message already
    // showing its pause is taken over as the spec says (S-110).
    for (auto& rt : live_roundtrips_) {
      if (rt->lost || rt->last_written.get() != loc.message.get()) continue;
      rt->supplied_results.push_back(input);
      rt->last_written = next;
      rt->message = next;
      rt->live->set(next);
    }
  }
  replace_message(loc, next);
  if (resumes) {
    continue_run(message_id);
  } else if (added && next->status.type == StatusType::RequiresAction) {
    write_partial_decision(repository_.get(message_id));
  }
}

void ThreadRuntime::respond_to_tool_approval(ToolApprovalResponse response) {
  // 1. The last assistant message on the current branch holding the gate.
  const auto& msgs = messages();
  MessagePtr holder;
  for (std::size_t i = msgs.size(); i-- > 0 && !holder;) {
    if (msgs[i]->role != Role::Assistant) continue;
    for (const auto& part : msgs[i]->content) {
      const auto* call = part.get_if<ToolCallPart>();
      if (call && call->approval && call->approval->id == response.approval_id) {
        holder = msgs[i];
        break;
      }
    }
  }
  if (!holder)
    throw Error(ErrorKind::ApprovalNotFound, "no approval " + quote_id(response.approval_id));
  // 2.–4.
  if (!live_roundtrips_.empty()) {
    throw Error(ErrorKind::RunInProgress,
                "an approval cannot be decided while a run is in progress");
  }
  if (holder->status.type != StatusType::RequiresAction) {
    throw Error(ErrorKind::NotPaused,
                "message " + quote_id(holder->id) + " is not waiting for a decision");
  }
  auto next = std::make_shared<ThreadMessage>(*holder);
  std::optional<std::string> always_tool;
  bool always_approved = false;
  for (auto& part : next->content) {
    const auto* call = part.get_if<ToolCallPart>();
    if (!call || !call->approval || call->approval->id != response.approval_id) continue;
    const Approval& gate = *call->approval;
    if (gate.resolution)
      throw Error(ErrorKind::ApprovalTerminated, "approval " + quote_id(gate.id) + " has ended");
    if (gate.approved) {
      throw Error(ErrorKind::ApprovalAlreadyDecided,
                  "approval " + quote_id(gate.id) + " was already decided");
    }
    bool approved = false;
    bool always = response.always;
    if (response.option_id && !response.approved) {
      const ApprovalOption* option = nullptr;
      if (gate.options) {
        for (const auto& o : *gate.options) {
          if (o.id == *response.option_id) option = &o;
        }
      }
      if (!option)
        throw Error(ErrorKind::InvalidArgument,
                    "unknown approval option " + quote_id(*response.option_id));
      if (option->kind == "allow-once" || option->kind == "allow-always") {
        approved = true;
      } else if (option->kind == "reject-once" || option->kind == "reject-always") {
        approved = false;
      } else {
        throw Error(ErrorKind::InvalidArgument, "option " + quote_id(option->id) +
                                                    " has a custom kind; say whether it approves");
      }
      always = always || option->kind == "allow-always" || option->kind == "reject-always";
    } else if (response.approved) {
      approved = *response.approved;
    } else {
      throw Error(ErrorKind::InvalidArgument,
                  "an approval response needs `approved` or an option id");
    }
    decide_gate(part.edit<ToolCallPart>(), approved, response.option_id, response.reason, false);
    if (always) {
      always_tool = call->tool_name;
      always_approved = approved;
    }
  }
  if (always_tool) {
    // The standing decision also settles the other open gates of that tool in this message.
    approval_policy_[*always_tool] = always_approved;
    if (MessagePtr rest = apply_approval_policy(next))
      next = std::const_pointer_cast<ThreadMessage>(rest);
  }
  auto loc = repository_.get(holder->id);
  replace_message(loc, next);
  emit(ThreadEvent::ToolApprovalAnswered);
  const auto& branch = messages();
  const bool is_head = !branch.empty() && branch.back()->id == next->id;
  if (is_head && should_continue(*next)) {
    continue_run(next->id);
  } else {
    write_partial_decision(repository_.get(next->id));
  }
}

// ---------------------------------------------------------------------------------------------
// The message queue (spec §9)

void ThreadRuntime::set_message_queue_enabled(bool enabled) {
  options_.enable_message_queue = enabled;
  if (enabled && !queue_) {
    queue_ = std::make_unique<MessageQueue>();
    queue_->on_moved = [this] { advance_queue(); };
    queue_->on_error = [this](const std::string& m) { report(m); };
    queue_shown_ = queue_->subscribe([this] {
      if (composer_) composer_->notify();
    });
    // A run already in progress keeps the queue busy until it ends.
    queue_busy_ = active_run_ != nullptr;
    queue_paused_ = false;
    queue_run_in_flight_ = false;
  } else if (!enabled && queue_) {
    queue_shown_ = Subscription{};
    queue_.reset();
    if (composer_) composer_->notify();
  }
  recompute_capabilities();
}

bool ThreadRuntime::addressed_to_tail(const Parent& parent) const {
  const auto& msgs = messages();
  switch (parent.kind()) {
    case Parent::Kind::Tail: return true;
    case Parent::Kind::Root: return msgs.empty();
    case Parent::Kind::Message: return !msgs.empty() && msgs.back()->id == parent.id();
  }
  return false;
}

// Dispatches the next item when no run is in progress (spec §9.4): one item per run.
void ThreadRuntime::advance_queue() {
  if (!queue_ || queue_busy_ || queue_paused_ || detached_) return;
  auto next = queue_->take_next();
  if (!next) return;
  next->parent = Parent::tail();  // the tail may have moved while it waited
  queue_busy_ = true;
  const auto epoch = queue_epoch_;
  dispatching_ = true;
  Completion done;
  try {
    done = run_append(std::move(*next), true);
  } catch (...) {
    done = Completion::failed_with(std::current_exception());
  }
  dispatching_ = false;
  if (done.failed())
    report("a queued message could not be sent: " + detail::describe_exception(done.error()));
  // A dispatch that failed before any run started releases the queue itself.
  if (queue_epoch_ == epoch) {
    queue_busy_ = false;
    release_queue_later();
  }
}

// On a later turn: the run loop ended, so the next item may go.
void ThreadRuntime::release_queue_later() {
  std::weak_ptr<bool> alive = alive_;
  const auto epoch = queue_epoch_;
  options_.dispatcher->post([this, alive, epoch] {
    if (alive.expired() || !queue_ || queue_epoch_ != epoch) return;  // a newer run took over
    queue_busy_ = false;
    queue_run_in_flight_ = false;
    advance_queue();
  });
}

std::optional<bool> ThreadRuntime::tool_approval_policy(const std::string& tool_name) const {
  auto it = approval_policy_.find(tool_name);
  if (it == approval_policy_.end()) return std::nullopt;
  return it->second;
}

void ThreadRuntime::set_tool_approval_policy(const std::string& tool_name,
                                             std::optional<bool> approved) {
  if (approved) {
    approval_policy_[tool_name] = *approved;
  } else {
    approval_policy_.erase(tool_name);
  }
}

MessagePtr ThreadRuntime::apply_approval_policy(const MessagePtr& message) const {
  if (!message || message->status.type != StatusType::RequiresAction) return nullptr;
  std::shared_ptr<ThreadMessage> next;
  for (std::size_t i = 0; i < message->content.size(); ++i) {
    const auto* call = message->content[i].get_if<ToolCallPart>();
    if (!call || call->result || !call->approval || !call->approval->pending()) continue;
    auto policy = approval_policy_.find(call->tool_name);
    if (policy == approval_policy_.end()) continue;
    if (!next) next = std::make_shared<ThreadMessage>(*message);
    decide_gate(next->content[i].edit<ToolCallPart>(), policy->second, std::nullopt, std::nullopt,
                true);
  }
  return next;
}

void ThreadRuntime::resume_tool_call() {
  throw Error(
      ErrorKind::Unsupported,
      "resumeToolCall is not supported by LocalRuntime; use a human tool and addToolResult");
}

// ---------------------------------------------------------------------------------------------
// export / import / reset (spec §5.15)

ExportedMessageRepository ThreadRuntime::export_repository() const {
  return repository_.export_repository();
}

void ThreadRuntime::import_repository(const ExportedMessageRepository& data) {
  initialize_once();
  // Import into a fresh tree first so that bad data leaves the thread as it was.
  MessageRepository fresh;
  fresh.import_repository(data);
  repository_ = std::move(fresh);
  notify();
}

void ThreadRuntime::reset(std::vector<ThreadMessageLike> initial_messages) {
  import_repository(from_array(std::move(initial_messages)));
}

// ---------------------------------------------------------------------------------------------
// History (spec §12)

Completion ThreadRuntime::write_history(bool update, ExportedMessageRepositoryItem item) {
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

void ThreadRuntime::write_partial_decision(const MessageLocation& loc) {
  // A decision or result recorded while the message stays paused is kept with it (spec §12.4);
  // without update the adapter never sees a paused message. Failures are reported, not fatal.
  auto history = options_.adapters.history;
  if (!history || !history->has_update() || loc.message->status.type != StatusType::RequiresAction)
    return;
  write_history(true, ExportedMessageRepositoryItem{loc.message, loc.parent_id, last_run_config_})
      .then([this, alive = alive_](std::exception_ptr failure) {
        if (failure && *alive) report("history: " + detail::describe_exception(failure));
      });
}

void ThreadRuntime::end_run_after_write(const std::shared_ptr<Roundtrip>& rt,
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
      .then([this, alive = alive_, run, failure](std::exception_ptr write_failure) {
        if (!*alive) return;
        end_run(run, write_failure ? write_failure : failure);  // spec §6.3 step 10
      });
}

std::chrono::steady_clock::time_point ThreadRuntime::now() const {
  return options_.clock ? options_.clock() : std::chrono::steady_clock::now();
}

void ThreadRuntime::maybe_checkpoint(Roundtrip& rt) {
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
      .then([this, alive = alive_](std::exception_ptr failure) {
        if (failure && *alive) report("history checkpoint: " + detail::describe_exception(failure));
      });
}

Completion ThreadRuntime::load_history() {
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
  run_history_load();
  return *history_load_;
}

void ThreadRuntime::run_history_load() {
  history_load_ran_ = true;
  if (!history_load_ || history_load_->ready()) history_load_ = Completion();
  Completion done = *history_load_;
  is_loading_ = true;
  notify();
  auto result = std::make_shared<ThreadHistoryLoadResult>();
  history_writer_
      ->submit(options_.adapters.history, [result](ThreadHistoryAdapter& h) { *result = h.load(); })
      .then([this, alive = alive_, result, done](std::exception_ptr failure) {
        if (!*alive) return;
        is_loading_ = false;
        if (failure) {
          // The thread stays empty and usable; the failure goes to the error channel.
          report("history: loading the thread failed: " + detail::describe_exception(failure));
          notify();
          done.reject(failure);
          return;
        }
        try {
          apply_history_load(std::move(*result));
        } catch (...) {
          report("history: the loaded thread is invalid: " +
                 detail::describe_exception(std::current_exception()));
          notify();
          done.reject(std::current_exception());
          return;
        }
        done.resolve();
      });
}

void ThreadRuntime::apply_history_load(ThreadHistoryLoadResult result) {
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

Completion ThreadRuntime::history_flushed() {
  auto history = options_.adapters.history;
  if (!history) return Completion::succeeded();
  return history_writer_->submit(std::move(history), [](ThreadHistoryAdapter&) {});
}

}  // namespace aui
