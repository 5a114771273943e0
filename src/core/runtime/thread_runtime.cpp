// The thread runtime: construction, its state, subscriptions and events, the model context,
// options, branches, edits, export/import and detach (spec §4–§6, §10, §11), and the public
// class, which forwards every call to its Impl (see thread_runtime_impl.hpp for where the rest
// of the work lives).
//
// Threading: every member function runs on the owner thread. A roundtrip's adapter runs on a
// worker; its results come back through a Channel (run_channel.hpp).
//
// A little over 600 lines: the second half is the public class's one-line forwarders (one per
// operation, each naming itself for the owner-thread check), kept next to what they forward to.

#include "runtime/thread_runtime_impl.hpp"

#include <algorithm>
#include <iostream>

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
// Construction

ThreadRuntime::Impl::Impl(ThreadRuntimeOptions options)
    : options_(std::move(options)),
      listeners_(std::make_shared<Listeners>()),
      tool_ledger_(std::make_shared<ToolCallLedger>()) {
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

ThreadRuntime::Impl::~Impl() {
  lifetime_.reset();  // posted work and completions still on their way do nothing
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

bool ThreadRuntime::Impl::is_running() const noexcept {
  const auto& msgs = messages();
  if (msgs.empty()) return false;
  const auto& last = msgs.back();
  return last->role == Role::Assistant && last->status.type == StatusType::Running;
}

Json ThreadRuntime::Impl::state() const {
  const auto& msgs = messages();
  for (std::size_t i = msgs.size(); i-- > 0;) {
    if (msgs[i]->role == Role::Assistant)
      return msgs[i]->metadata.assistant_or_default().unstable_state;
  }
  return nullptr;
}

std::optional<MessageState> ThreadRuntime::Impl::message_state(long index) const {
  if (index < 0) throw Error(ErrorKind::InvalidArgument, "message index must not be negative");
  const auto& msgs = messages();
  if (static_cast<std::size_t>(index) >= msgs.size()) return std::nullopt;
  return message_state(msgs[static_cast<std::size_t>(index)]->id);
}

std::optional<MessageState> ThreadRuntime::Impl::message_state(const Id& id) const {
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

std::optional<MessageLocation> ThreadRuntime::Impl::get_message_by_id(const Id& id) const {
  if (!repository_.contains(id)) return std::nullopt;
  return repository_.get(id);
}

std::vector<Id> ThreadRuntime::Impl::get_branches(const Id& id) const {
  return repository_.get_branches(id);
}

// ---------------------------------------------------------------------------------------------
// Subscriptions and events

Subscription ThreadRuntime::Impl::subscribe(std::function<void()> on_change) {
  return listeners_->state->subscribe(std::move(on_change));
}

Subscription ThreadRuntime::Impl::on(ThreadEvent event, std::function<void()> listener) {
  auto list = listeners_->event(event);
  if (event == ThreadEvent::Initialize && initialized_) {
    // Latched (spec §11.2): a late listener gets the event once, on a later turn, unless it
    // unsubscribed meanwhile. Initialize never fires again, so it need not join the list.
    auto pending = std::make_shared<std::function<void()>>(std::move(listener));
    auto alive = lifetime_.token();
    dispatcher().post([this, pending, alive] {
      if (alive.expired() || !*pending) return;
      auto fn = std::exchange(*pending, {});
      try {
        fn();
      } catch (...) {
        report(
            Error(ErrorKind::ListenerFailed,
                  "an initialize listener threw: " + describe_exception(std::current_exception()),
                  std::current_exception()));
      }
    });
    return Subscription([pending] { *pending = {}; });
  }
  return list->subscribe(std::move(listener));
}

void ThreadRuntime::Impl::emit(ThreadEvent event) {
  notifier_.post([this, event] { deliver_event(event); });
}

void ThreadRuntime::Impl::notify() {
  notifier_.post([this] { deliver_change(); });
}

void ThreadRuntime::Impl::notify_later(std::function<void()> notification) {
  notifier_.post(std::move(notification));
}

void ThreadRuntime::Impl::deliver_change() {
  // Hold the list: a subscriber may destroy the runtime while it is being walked.
  auto alive = lifetime_.token();
  auto state = listeners_->state;
  state->emit([this](const Error& e) { report(e); });
  if (alive.expired()) return;
  // The thread composer also notifies when what it derives from the thread changed (§11.1).
  const bool can_cancel = composer_ && composer_->can_cancel();
  if (can_cancel != listeners_->last_can_cancel) {
    listeners_->last_can_cancel = can_cancel;
    notify_composer(*composer_);
  }
}

void ThreadRuntime::Impl::deliver_event(ThreadEvent event) {
  auto list = listeners_->event(event);
  list->emit([this](const Error& e) { report(e); });
}

void ThreadRuntime::Impl::report(const Error& error) const {
  if (options_.on_error) {
    try {
      options_.on_error(error);
    } catch (...) {
      // The handler is the last place an error can go: a throwing one is not asked again.
    }
  } else {
    std::cerr << "aui: " << error.what() << '\n';
  }
}

void ThreadRuntime::Impl::initialize_once() {
  if (initialized_) return;
  initialized_ = true;
  emit(ThreadEvent::Initialize);
}

// ---------------------------------------------------------------------------------------------
// Model context (spec §7.2)

Subscription ThreadRuntime::Impl::register_tools(Toolkit tools, std::string system) {
  ModelContext context;
  context.tools = std::move(tools);
  context.system = std::move(system);
  return register_model_context_provider([context = std::move(context)] { return context; });
}

Subscription ThreadRuntime::Impl::register_model_context_provider(ModelContextProvider provider) {
  auto id = ++listeners_->next_provider;
  listeners_->providers.emplace_back(id, std::move(provider));
  std::weak_ptr<Listeners> weak = listeners_;
  notify_model_context_changed();
  auto alive = lifetime_.token();
  return Subscription([this, weak, alive, id] {
    auto l = weak.lock();
    if (!l) return;
    std::erase_if(l->providers, [id](const auto& p) { return p.first == id; });
    if (alive.expired()) return;
    const Operation op(notifier_);
    notify_model_context_changed();
  });
}

void ThreadRuntime::Impl::notify_model_context_changed() { emit(ThreadEvent::ModelContextUpdate); }

ModelContext ThreadRuntime::Impl::model_context() const {
  if (listeners_->providers.empty()) return {};
  std::vector<ModelContext> contexts;
  contexts.reserve(listeners_->providers.size());
  for (const auto& [id, provider] : listeners_->providers) contexts.push_back(provider());
  return merge_model_contexts(contexts);
}

// ---------------------------------------------------------------------------------------------
// Options

void ThreadRuntime::Impl::set_adapters(ThreadAdapters adapters) {
  options_.adapters = std::move(adapters);
  recompute_capabilities();
  // A late history adapter (spec §12.2): a load that was requested without one runs now, but
  // only while the thread is still empty.
  if (history_load_ && !history_load_ran_ && options_.adapters.history && repository_.size() == 0) {
    run_history_load(false);  // nobody awaits this load: a failure goes to on_error
  }
}

void ThreadRuntime::Impl::set_chat_model(ChatModelAdapter adapter) {
  options_.chat_model = std::move(adapter);
}

void ThreadRuntime::Impl::detach() {
  attachment_.reset();  // appends waiting at the barrier take their message back
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
// Branches (spec §5.6, §5.7)

void ThreadRuntime::Impl::switch_to_branch(const Id& branch_id) {
  repository_.switch_to_branch(branch_id);
  notify();
}

void ThreadRuntime::Impl::switch_to_branch(const Id& message_id, BranchPosition position) {
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

EditComposer& ThreadRuntime::Impl::begin_edit(const Id& message_id) {
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

EditComposer* ThreadRuntime::Impl::edit_composer(const Id& message_id) noexcept {
  auto it = edits_.find(message_id);
  return it == edits_.end() ? nullptr : it->second.get();
}

void ThreadRuntime::Impl::close_edit(const Id& message_id) {
  const Operation op(notifier_);
  auto it = edits_.find(message_id);
  if (it == edits_.end()) return;
  // The composer may be inside its own send(): keep it alive until a later turn.
  closed_edits_.push_back(std::move(it->second));
  edits_.erase(it);
  auto alive = lifetime_.token();
  dispatcher().post([this, alive] {
    if (!alive.expired()) closed_edits_.clear();
  });
  notify();
}

// ---------------------------------------------------------------------------------------------
// export / import / reset (spec §5.15)

ExportedMessageRepository ThreadRuntime::Impl::export_repository() const {
  return repository_.export_repository();
}

void ThreadRuntime::Impl::import_repository(const ExportedMessageRepository& data) {
  initialize_once();
  // Import into a fresh tree first so that bad data leaves the thread as it was.
  MessageRepository fresh;
  fresh.import_repository(data);
  repository_ = std::move(fresh);
  notify();
}

void ThreadRuntime::Impl::reset(std::vector<ThreadMessageLike> initial_messages) {
  import_repository(from_array(std::move(initial_messages)));
}

// ---------------------------------------------------------------------------------------------
// The public class: each call checks the owner thread (in checked builds) and forwards.

ThreadRuntime::ThreadRuntime(ThreadRuntimeOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

ThreadRuntime::~ThreadRuntime() = default;

const MessageList& ThreadRuntime::messages() const noexcept {
  impl_->owner_.check("ThreadRuntime::messages");
  return impl_->messages();
}

bool ThreadRuntime::is_running() const noexcept {
  impl_->owner_.check("ThreadRuntime::is_running");
  return impl_->is_running();
}

bool ThreadRuntime::is_run_in_progress() const noexcept {
  impl_->owner_.check("ThreadRuntime::is_run_in_progress");
  return impl_->is_run_in_progress();
}

bool ThreadRuntime::is_loading() const noexcept {
  impl_->owner_.check("ThreadRuntime::is_loading");
  return impl_->is_loading_;
}

bool ThreadRuntime::is_empty() const noexcept {
  impl_->owner_.check("ThreadRuntime::is_empty");
  return impl_->messages().empty() && !impl_->is_loading_;
}

Json ThreadRuntime::state() const {
  impl_->owner_.check("ThreadRuntime::state");
  return impl_->state();
}

Capabilities ThreadRuntime::capabilities() const noexcept {
  impl_->owner_.check("ThreadRuntime::capabilities");
  return impl_->capabilities_;
}

const std::vector<ThreadSuggestion>& ThreadRuntime::suggestions() const noexcept {
  impl_->owner_.check("ThreadRuntime::suggestions");
  return impl_->suggestions_;
}

const std::optional<SpeechState>& ThreadRuntime::speech() const noexcept {
  impl_->owner_.check("ThreadRuntime::speech");
  return impl_->speech_;
}

ThreadComposer& ThreadRuntime::composer() noexcept {
  impl_->owner_.check("ThreadRuntime::composer");
  return *impl_->composer_;
}

std::optional<MessageState> ThreadRuntime::message_state(long index) const {
  impl_->owner_.check("ThreadRuntime::message_state");
  return impl_->message_state(index);
}

std::optional<MessageState> ThreadRuntime::message_state(const Id& id) const {
  impl_->owner_.check("ThreadRuntime::message_state");
  return impl_->message_state(id);
}

std::optional<MessageLocation> ThreadRuntime::get_message_by_id(const Id& id) const {
  impl_->owner_.check("ThreadRuntime::get_message_by_id");
  return impl_->get_message_by_id(id);
}

std::vector<Id> ThreadRuntime::get_branches(const Id& id) const {
  impl_->owner_.check("ThreadRuntime::get_branches");
  return impl_->get_branches(id);
}

const MessageRepository& ThreadRuntime::repository() const noexcept {
  impl_->owner_.check("ThreadRuntime::repository");
  return impl_->repository_;
}

Completion ThreadRuntime::append(AppendMessage message) {
  const auto op = impl_->enter("ThreadRuntime::append");
  return impl_->append(std::move(message));
}

Completion ThreadRuntime::append(std::string text) {
  const auto op = impl_->enter("ThreadRuntime::append");
  return impl_->append(AppendMessage::user(std::move(text)));
}

Completion ThreadRuntime::start_run(StartRunConfig config) {
  const auto op = impl_->enter("ThreadRuntime::start_run");
  return impl_->start_run(std::move(config));
}

Completion ThreadRuntime::resume_run(StartRunConfig config, ChatModelAdapter stream) {
  const auto op = impl_->enter("ThreadRuntime::resume_run");
  return impl_->resume_run(std::move(config), std::move(stream));
}

void ThreadRuntime::cancel_run() {
  const auto op = impl_->enter("ThreadRuntime::cancel_run");
  impl_->cancel_run();
}

Completion ThreadRuntime::reload(const Id& message_id, std::optional<RunConfig> run_config) {
  const auto op = impl_->enter("ThreadRuntime::reload");
  return impl_->reload(message_id, std::move(run_config));
}

void ThreadRuntime::switch_to_branch(const Id& branch_id) {
  const auto op = impl_->enter("ThreadRuntime::switch_to_branch");
  impl_->switch_to_branch(branch_id);
}

void ThreadRuntime::switch_to_branch(const Id& message_id, BranchPosition position) {
  const auto op = impl_->enter("ThreadRuntime::switch_to_branch");
  impl_->switch_to_branch(message_id, position);
}

EditComposer& ThreadRuntime::begin_edit(const Id& message_id) {
  const auto op = impl_->enter("ThreadRuntime::begin_edit");
  return impl_->begin_edit(message_id);
}

EditComposer* ThreadRuntime::edit_composer(const Id& message_id) noexcept {
  impl_->owner_.check("ThreadRuntime::edit_composer");
  return impl_->edit_composer(message_id);
}

Completion ThreadRuntime::delete_message(const Id& message_id) {
  const auto op = impl_->enter("ThreadRuntime::delete_message");
  return impl_->delete_message(message_id);
}

void ThreadRuntime::submit_feedback(const Id& message_id, FeedbackType type,
                                    std::optional<std::string> comment) {
  const auto op = impl_->enter("ThreadRuntime::submit_feedback");
  impl_->submit_feedback(message_id, type, std::move(comment));
}

void ThreadRuntime::speak(const Id& message_id) {
  const auto op = impl_->enter("ThreadRuntime::speak");
  impl_->speak(message_id);
}

void ThreadRuntime::stop_speaking() {
  const auto op = impl_->enter("ThreadRuntime::stop_speaking");
  impl_->stop_speaking();
}

void ThreadRuntime::stop_speaking(const Id& message_id) {
  const auto op = impl_->enter("ThreadRuntime::stop_speaking");
  impl_->stop_speaking(message_id);
}

void ThreadRuntime::add_tool_result(ToolResult result) {
  const auto op = impl_->enter("ThreadRuntime::add_tool_result");
  impl_->add_tool_result(std::move(result));
}

void ThreadRuntime::respond_to_tool_approval(ToolApprovalResponse response) {
  const auto op = impl_->enter("ThreadRuntime::respond_to_tool_approval");
  impl_->respond_to_tool_approval(std::move(response));
}

std::optional<bool> ThreadRuntime::tool_approval_policy(const std::string& tool_name) const {
  impl_->owner_.check("ThreadRuntime::tool_approval_policy");
  return impl_->tool_approval_policy(tool_name);
}

void ThreadRuntime::set_tool_approval_policy(const std::string& tool_name,
                                             std::optional<bool> approved) {
  const auto op = impl_->enter("ThreadRuntime::set_tool_approval_policy");
  impl_->set_tool_approval_policy(tool_name, approved);
}

ExportedMessageRepository ThreadRuntime::export_repository() const {
  impl_->owner_.check("ThreadRuntime::export_repository");
  return impl_->export_repository();
}

void ThreadRuntime::import_repository(const ExportedMessageRepository& data) {
  const auto op = impl_->enter("ThreadRuntime::import_repository");
  impl_->import_repository(data);
}

void ThreadRuntime::reset(std::vector<ThreadMessageLike> initial_messages) {
  const auto op = impl_->enter("ThreadRuntime::reset");
  impl_->reset(std::move(initial_messages));
}

Completion ThreadRuntime::load_history() {
  const auto op = impl_->enter("ThreadRuntime::load_history");
  return impl_->load_history();
}

Completion ThreadRuntime::history_flushed() {
  const auto op = impl_->enter("ThreadRuntime::history_flushed");
  return impl_->history_flushed();
}

void ThreadRuntime::detach() {
  const auto op = impl_->enter("ThreadRuntime::detach");
  impl_->detach();
}

MessageQueue* ThreadRuntime::queue() noexcept {
  impl_->owner_.check("ThreadRuntime::queue");
  return impl_->queue_.get();
}

const MessageQueue* ThreadRuntime::queue() const noexcept {
  impl_->owner_.check("ThreadRuntime::queue");
  return impl_->queue_.get();
}

void ThreadRuntime::set_message_queue_enabled(bool enabled) {
  const auto op = impl_->enter("ThreadRuntime::set_message_queue_enabled");
  impl_->set_message_queue_enabled(enabled);
}

Subscription ThreadRuntime::register_model_context_provider(ModelContextProvider provider) {
  const auto op = impl_->enter("ThreadRuntime::register_model_context_provider");
  return impl_->register_model_context_provider(std::move(provider));
}

void ThreadRuntime::notify_model_context_changed() {
  const auto op = impl_->enter("ThreadRuntime::notify_model_context_changed");
  impl_->notify_model_context_changed();
}

Subscription ThreadRuntime::register_tools(Toolkit tools, std::string system) {
  const auto op = impl_->enter("ThreadRuntime::register_tools");
  return impl_->register_tools(std::move(tools), std::move(system));
}

ModelContext ThreadRuntime::model_context() const {
  impl_->owner_.check("ThreadRuntime::model_context");
  return impl_->model_context();
}

void ThreadRuntime::set_adapters(ThreadAdapters adapters) {
  const auto op = impl_->enter("ThreadRuntime::set_adapters");
  impl_->set_adapters(std::move(adapters));
}

const ThreadAdapters& ThreadRuntime::adapters() const noexcept {
  impl_->owner_.check("ThreadRuntime::adapters");
  return impl_->options_.adapters;
}

void ThreadRuntime::set_chat_model(ChatModelAdapter adapter) {
  const auto op = impl_->enter("ThreadRuntime::set_chat_model");
  impl_->set_chat_model(std::move(adapter));
}

const ThreadRuntimeOptions& ThreadRuntime::options() const noexcept {
  impl_->owner_.check("ThreadRuntime::options");
  return impl_->options_;
}

Subscription ThreadRuntime::subscribe(std::function<void()> on_change) {
  const auto op = impl_->enter("ThreadRuntime::subscribe");
  return impl_->subscribe(std::move(on_change));
}

Subscription ThreadRuntime::on(ThreadEvent event, std::function<void()> listener) {
  const auto op = impl_->enter("ThreadRuntime::on");
  return impl_->on(event, std::move(listener));
}

Dispatcher& ThreadRuntime::dispatcher() const noexcept {
  impl_->owner_.check("ThreadRuntime::dispatcher");
  return *impl_->options_.dispatcher;
}

}  // namespace aui
