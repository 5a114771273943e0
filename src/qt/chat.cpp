#include "aui/qt/chat.hpp"

#include <QClipboard>
#include <QGuiApplication>
#include <mutex>

#include "aui/model/message_json.hpp"
#include "aui/qt/chat_composer.hpp"
#include "aui/qt/message_list_model.hpp"
#include "aui/qt/qt_dispatcher.hpp"
#include "aui/qt/thread_list_model.hpp"
#include "aui/qt/thread_search_model.hpp"
#include "convert.hpp"

namespace aui::qt {

using detail::qs;
using detail::utf8;

namespace {

std::mutex factory_mutex;
ChatFactory& default_factory() {
  static ChatFactory factory;
  return factory;
}

QVariantMap capabilities_map(const Capabilities& c) {
  return {{QStringLiteral("switchToBranch"), c.switch_to_branch},
          {QStringLiteral("switchBranchDuringRun"), c.switch_branch_during_run},
          {QStringLiteral("edit"), c.edit},
          {QStringLiteral("reload"), c.reload},
          {QStringLiteral("cancel"), c.cancel},
          {QStringLiteral("copy"), c.unstable_copy},
          {QStringLiteral("speech"), c.speech},
          {QStringLiteral("dictation"), c.dictation},
          {QStringLiteral("attachments"), c.attachments},
          {QStringLiteral("feedback"), c.feedback},
          {QStringLiteral("queue"), c.queue},
          {QStringLiteral("remove"), c.remove}};
}

}  // namespace

// The last values of the properties, so that a change notifies once and only on a change.
struct Chat::Cache {
  bool running = false;
  bool run_in_progress = false;
  bool can_cancel = false;
  bool loading = false;
  bool empty = true;
  QString thread_id;
  QString title;
  // Kept as the runtime's values, compared as such and converted for QML on read: a streamed token
  // notifies the thread, and rebuilding maps for every token would be wasted.
  Capabilities capabilities;
  std::vector<ThreadSuggestion> suggestions;
  QString speaking;
  QVariantList approvals;
};

Chat::Chat(QObject* parent)
    : QObject(parent),
      dispatcher_(std::make_shared<QtDispatcher>(thread())),
      messages_(new MessageListModel(this)),
      composer_(new ChatComposer(this)),
      edit_composer_(new ChatComposer(this)),
      threads_(new ThreadListModel(false, this)),
      archived_(new ThreadListModel(true, this)),
      search_(new ThreadSearchModel(this)),
      cache_(std::make_unique<Cache>()),
      self_(std::make_shared<Chat*>(this)) {
  connect(composer_, &ChatComposer::failed, this, [this](const QString& m) { report(m); });
  connect(edit_composer_, &ChatComposer::failed, this, [this](const QString& m) { report(m); });
  connect(search_, &ThreadSearchModel::failed, this, [this](const QString& m) { report(m); });
  ChatFactory factory;
  {
    std::lock_guard lock(factory_mutex);
    factory = default_factory();
  }
  if (factory) set_backend(factory);
}

Chat::~Chat() {
  *self_ = nullptr;
  lifetime_.reset();  // completions that settle while the runtime goes down report nothing
  detach_models();
  backend_.runtime.reset();
}

void Chat::set_default_factory(ChatFactory factory) {
  std::lock_guard lock(factory_mutex);
  default_factory() = std::move(factory);
}

ChatSetup Chat::setup() const {
  ChatSetup s;
  s.dispatcher = dispatcher_;
  // Errors may be reported on any thread: they reach the Chat through its dispatcher.
  s.on_error = [dispatcher = dispatcher_, self = self_](const Error& e) {
    dispatcher->post([self, message = e.message()] {
      if (Chat* chat = *self) chat->report(qs(message));
    });
  };
  return s;
}

void Chat::set_backend(const ChatFactory& factory) {
  ChatBackend backend;
  try {
    backend = factory(setup());
  } catch (...) {
    report(std::current_exception());
    return;
  }
  set_backend(std::move(backend));
}

void Chat::detach_models() {
  thread_subscription_ = Subscription();
  list_subscription_ = Subscription();
  editing_.reset();
  edit_composer_->set_source({});
  composer_->set_source({});
  messages_->set_thread(nullptr);
  threads_->set_list(nullptr);
  archived_->set_list(nullptr);
  search_->set_store(nullptr, nullptr);
  shown_ = nullptr;
}

void Chat::set_backend(ChatBackend backend) {
  detach_models();
  backend_ = std::move(backend);  // the old runtime goes here, after the models let go of it
  if (LocalRuntime* rt = backend_.runtime.get()) {
    ThreadListRuntime& list = rt->threads();
    threads_->set_list(&list);
    archived_->set_list(&list);
    search_->set_store(backend_.store, dispatcher_);
    search_->set_title_lookup([this](const std::string& remote_id) {
      if (!backend_.runtime) return std::string();
      auto item = backend_.runtime->threads().item(remote_id);
      return item && item->title ? *item->title : std::string();
    });
    list_subscription_ = list.subscribe(lifetime_.guard([this] { on_list_change(); }));
    attach_thread();
  }
  Q_EMIT readyChanged();
  update_properties();
}

void Chat::attach_thread() {
  ThreadRuntime* t = &backend_.runtime->thread();
  shown_ = t;
  if (editing_) {
    editing_.reset();
    edit_composer_->set_source({});
    Q_EMIT editComposerChanged();
  }
  messages_->set_thread(t);
  composer_->set_source([this]() -> Composer* { return shown_ ? &shown_->composer() : nullptr; },
                        [this](const std::string& id) {
                          if (MessageQueue* q = shown_ ? shown_->queue() : nullptr) q->remove(id);
                        });
  thread_subscription_ = t->subscribe(lifetime_.guard([this] { update_properties(); }));
  Q_EMIT threadSwitched();
}

void Chat::on_list_change() {
  if (!backend_.runtime) return;
  if (&backend_.runtime->thread() != shown_) attach_thread();
  update_properties();
}

void Chat::update_properties() {
  Cache next;
  if (shown_) {
    const ThreadRuntime& t = *shown_;
    next.running = t.is_running();
    next.run_in_progress = t.is_run_in_progress();
    next.can_cancel = shown_->composer().can_cancel();
    next.loading = t.is_loading();
    next.empty = t.is_empty();
    ThreadListRuntime& list = backend_.runtime->threads();
    const std::string id = list.main_thread_id();
    next.thread_id = qs(id);
    if (auto item = list.item(id); item && item->title) next.title = qs(*item->title);
    next.capabilities = t.capabilities();
    next.suggestions = t.suggestions();
    if (const auto& speech = t.speech()) next.speaking = qs(speech->message_id);
    // Gates can only be answered on the head of the branch: one message to read, however long
    // the thread.
    const MessageList& msgs = t.messages();
    if (!msgs.empty() && msgs.back()->role == Role::Assistant) {
      const ThreadMessage& last = *msgs.back();
      for (const ContentPart& part : last.content) {
        const auto* call = part.get_if<ToolCallPart>();
        const Approval* gate = call ? call->approval.get() : nullptr;
        if (!gate || !gate->pending() || call->resolved()) continue;
        QVariantList options;
        if (gate->options) {
          for (const ApprovalOption& o : *gate->options) {
            options.push_back(QVariantMap{{QStringLiteral("id"), qs(o.id)},
                                          {QStringLiteral("kind"), qs(o.kind)},
                                          {QStringLiteral("label"), qs(o.label)},
                                          {QStringLiteral("description"), qs(o.description)}});
          }
        }
        next.approvals.push_back(
            QVariantMap{{QStringLiteral("approvalId"), qs(gate->id)},
                        {QStringLiteral("messageId"), qs(last.id)},
                        {QStringLiteral("toolCallId"), qs(call->tool_call_id)},
                        {QStringLiteral("toolName"), qs(call->tool_name)},
                        {QStringLiteral("argsText"), qs(call->args_text.view())},
                        {QStringLiteral("options"), options}});
      }
    }
    if (editing_ && !shown_->edit_composer(*editing_)) {
      editing_.reset();  // the edit was sent or cancelled
      edit_composer_->set_source({});
      Q_EMIT editComposerChanged();
    }
  }
  Cache& c = *cache_;
  const bool running_changed = next.running != c.running ||
                               next.run_in_progress != c.run_in_progress ||
                               next.can_cancel != c.can_cancel;
  const bool state_changed = next.loading != c.loading || next.empty != c.empty;
  const bool thread_changed = next.thread_id != c.thread_id || next.title != c.title;
  const bool caps_changed = next.capabilities != c.capabilities;
  const bool suggestions_changed = next.suggestions != c.suggestions;
  const bool speech_changed = next.speaking != c.speaking;
  const bool approvals_changed = next.approvals != c.approvals;
  c = std::move(next);
  if (running_changed) Q_EMIT runningChanged();
  if (state_changed) Q_EMIT stateChanged();
  if (thread_changed) Q_EMIT threadChanged();
  if (caps_changed) Q_EMIT capabilitiesChanged();
  if (suggestions_changed) Q_EMIT suggestionsChanged();
  if (speech_changed) Q_EMIT speechChanged();
  if (approvals_changed) Q_EMIT pendingApprovalsChanged();
}

bool Chat::running() const { return cache_->running; }
bool Chat::runInProgress() const { return cache_->run_in_progress; }
bool Chat::canCancel() const { return cache_->can_cancel; }
bool Chat::isLoading() const { return cache_->loading; }
bool Chat::isEmpty() const { return cache_->empty; }
QString Chat::threadId() const { return cache_->thread_id; }
QString Chat::threadTitle() const { return cache_->title; }
QVariantMap Chat::capabilities() const { return capabilities_map(cache_->capabilities); }

QVariantList Chat::suggestions() const {
  QVariantList out;
  for (const ThreadSuggestion& s : cache_->suggestions) {
    out.push_back(QVariantMap{{QStringLiteral("prompt"), qs(s.prompt)},
                              {QStringLiteral("title"), qs(s.title)},
                              {QStringLiteral("label"), qs(s.label)}});
  }
  return out;
}
QString Chat::speakingMessageId() const { return cache_->speaking; }
QVariantList Chat::pendingApprovals() const { return cache_->approvals; }

ChatComposer* Chat::editComposer() const noexcept {
  return editing_ && shown_ && shown_->edit_composer(*editing_) ? edit_composer_ : nullptr;
}

void Chat::report(const QString& message) {
  last_error_ = message;
  Q_EMIT errorOccurred(message);
}

void Chat::report(const std::exception_ptr& error) {
  if (error) report(qs(describe_exception(error)));
}

void Chat::watch(Completion done) {
  done.then(lifetime_.guard([this](std::exception_ptr error) { report(error); }));
}

// Each operation runs on the thread shown; what it throws becomes errorOccurred() with its
// sentence instead of an exception through QML.
void Chat::act(const std::function<void(ThreadRuntime&)>& action) {
  if (!shown_) {
    report(QStringLiteral("The chat has no backend yet."));
    return;
  }
  try {
    action(*shown_);
  } catch (...) {
    report(std::current_exception());
  }
}

void Chat::act_on_list(const std::function<void(ThreadListRuntime&)>& action) {
  if (!backend_.runtime) {
    report(QStringLiteral("The chat has no backend yet."));
    return;
  }
  try {
    action(backend_.runtime->threads());
  } catch (...) {
    report(std::current_exception());
  }
}

void Chat::send(const QString& text) {
  act([&](ThreadRuntime& t) { watch(t.append(utf8(text))); });
}

void Chat::cancel() {
  act([](ThreadRuntime& t) { t.cancel_run(); });
}

void Chat::regenerate(const QString& messageId) {
  act([&](ThreadRuntime& t) { watch(t.reload(utf8(messageId))); });
}

void Chat::edit(const QString& messageId, const QString& text) {
  act([&](ThreadRuntime& t) {
    const Id id = utf8(messageId);
    EditComposer* e = t.edit_composer(id);
    if (!e) e = &t.begin_edit(id);
    e->set_text(utf8(text));
    watch(e->send());
  });
}

ChatComposer* Chat::beginEdit(const QString& messageId) {
  bool opened = false;
  act([&](ThreadRuntime& t) {
    const Id id = utf8(messageId);
    if (!t.edit_composer(id)) t.begin_edit(id);
    editing_ = id;
    edit_composer_->set_source(
        [this, id]() -> Composer* { return shown_ ? shown_->edit_composer(id) : nullptr; });
    opened = true;
  });
  if (!opened) return nullptr;
  Q_EMIT editComposerChanged();
  return edit_composer_;
}

void Chat::cancelEdit() {
  if (!editing_ || !shown_) return;
  if (EditComposer* e = shown_->edit_composer(*editing_)) e->cancel();
  update_properties();
}

void Chat::switchBranch(const QString& messageId, int delta) {
  if (delta == 0) return;
  act([&](ThreadRuntime& t) {
    t.switch_to_branch(utf8(messageId), delta < 0 ? ThreadRuntime::BranchPosition::Previous
                                                  : ThreadRuntime::BranchPosition::Next);
  });
}

void Chat::switchToBranch(const QString& branchMessageId) {
  act([&](ThreadRuntime& t) { t.switch_to_branch(utf8(branchMessageId)); });
}

void Chat::addToolResult(const QString& messageId, const QString& toolCallId,
                         const QVariant& result, bool isError) {
  act([&](ThreadRuntime& t) {
    ToolResult r;
    r.message_id = utf8(messageId);
    r.tool_call_id = utf8(toolCallId);
    r.result = detail::to_json(result);
    r.is_error = isError;
    t.add_tool_result(std::move(r));
  });
}

void Chat::respond(const QString& approval_id, std::optional<bool> approved, bool always,
                   std::optional<std::string> option_id, const QString& reason) {
  act([&](ThreadRuntime& t) {
    ToolApprovalResponse r;
    r.approval_id = utf8(approval_id);
    r.approved = approved;
    r.always = always;
    r.option_id = std::move(option_id);
    if (!reason.isEmpty()) r.reason = utf8(reason);
    t.respond_to_tool_approval(std::move(r));
  });
}

void Chat::allow(const QString& approvalId) { respond(approvalId, true, false, std::nullopt, {}); }

void Chat::allowAlways(const QString& approvalId) {
  respond(approvalId, true, true, std::nullopt, {});
}

void Chat::deny(const QString& approvalId, const QString& reason) {
  respond(approvalId, false, false, std::nullopt, reason);
}

void Chat::respondToApproval(const QString& approvalId, const QString& optionId) {
  respond(approvalId, std::nullopt, false, utf8(optionId), {});
}

void Chat::resume() {
  act([&](ThreadRuntime& t) {
    const MessageList& msgs = t.messages();
    if (msgs.empty() || t.is_run_in_progress()) return;
    const MessagePtr last = msgs.back();
    if (last->role == Role::User) {
      StartRunConfig config;
      config.parent_id = last->id;
      watch(t.start_run(std::move(config)));
    } else if (last->role == Role::Assistant && last->status.type == StatusType::Incomplete) {
      watch(t.reload(last->id));
    }
  });
}

void Chat::submitFeedback(const QString& messageId, const QString& type, const QString& comment) {
  act([&](ThreadRuntime& t) {
    std::optional<std::string> note;
    if (!comment.isEmpty()) note = utf8(comment);
    t.submit_feedback(
        utf8(messageId),
        type == QLatin1String("negative") ? FeedbackType::Negative : FeedbackType::Positive,
        std::move(note));
  });
}

void Chat::speak(const QString& messageId) {
  act([&](ThreadRuntime& t) { t.speak(utf8(messageId)); });
}

void Chat::stopSpeaking() {
  act([](ThreadRuntime& t) {
    if (t.speech()) t.stop_speaking();  // nothing spoken: nothing to stop, not an error
  });
}

QString Chat::copy(const QString& messageId) {
  QString text;
  act([&](ThreadRuntime& t) {
    auto state = t.message_state(utf8(messageId));
    if (!state) throw Error(ErrorKind::MessageNotFound, "There is no such message to copy.");
    text = qs(state->message->text());
  });
  if (!text.isEmpty() && qobject_cast<QGuiApplication*>(QCoreApplication::instance())) {
    QGuiApplication::clipboard()->setText(text);
  }
  return text;
}

void Chat::sendSuggestion(const QString& prompt) { send(prompt); }

QString Chat::exportThread(const QString& format) const {
  if (!shown_) return {};
  const ExportedMessageRepository repo = shown_->export_repository();
  if (format == QLatin1String("json")) return qs(to_json(repo).dump(2));
  return qs(to_markdown(repo, utf8(cache_->title)));
}

void Chat::newThread() {
  act_on_list([&](ThreadListRuntime& l) { watch(l.switch_to_new_thread()); });
}

void Chat::switchToThread(const QString& threadId) {
  act_on_list([&](ThreadListRuntime& l) { watch(l.switch_to_thread(utf8(threadId))); });
}

void Chat::renameThread(const QString& threadId, const QString& title) {
  act_on_list([&](ThreadListRuntime& l) { watch(l.rename(utf8(threadId), utf8(title))); });
}

void Chat::archiveThread(const QString& threadId) {
  act_on_list([&](ThreadListRuntime& l) { watch(l.archive(utf8(threadId))); });
}

void Chat::unarchiveThread(const QString& threadId) {
  act_on_list([&](ThreadListRuntime& l) { watch(l.unarchive(utf8(threadId))); });
}

void Chat::deleteThread(const QString& threadId) {
  act_on_list([&](ThreadListRuntime& l) { watch(l.remove(utf8(threadId))); });
}

void Chat::generateTitle(const QString& threadId) {
  act_on_list([&](ThreadListRuntime& l) { watch(l.generate_title(utf8(threadId))); });
}

}  // namespace aui::qt
