#pragma once
// Chat: the QML entry point. A QObject that owns a LocalRuntime and shows it through properties,
// invokables and list models: the current thread's messages, its composer, the thread list and
// search.

#include <QObject>
#include <QString>
#include <QVariant>
#include <QVariantList>
#include <QVariantMap>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "aui/adapters/thread_store.hpp"
#include "aui/local_runtime.hpp"
#include "aui/qt/chat_composer.hpp"
#include "aui/qt/message_list_model.hpp"
#include "aui/qt/thread_list_model.hpp"
#include "aui/qt/thread_search_model.hpp"
#include "aui/support/errors.hpp"
#include "aui/support/owner_thread.hpp"
#include "aui/support/subscription.hpp"

namespace aui::qt {

/// What a Chat runs: the runtime (made with the dispatcher the factory was given), and optionally
/// the store behind it (it enables search) and a description of the backend for the UI.
struct ChatBackend {
  std::unique_ptr<LocalRuntime> runtime{};
  std::shared_ptr<ThreadStore> store{};
  QString description{};
};

/// What a factory gets from the Chat it makes a backend for.
struct ChatSetup {
  /// Runs tasks on the Chat's thread: put it in ThreadRuntimeOptions::dispatcher.
  std::shared_ptr<Dispatcher> dispatcher{};
  /// Shows the errors no caller receives (a failed history write, a failed title) on the Chat's
  /// errorOccurred(): put it in ThreadRuntimeOptions::on_error. Callable from any thread.
  ErrorHandler on_error{};
};

/// Makes a Chat's backend.
using ChatFactory = std::function<ChatBackend(const ChatSetup& setup)>;

/// A chat over a LocalRuntime, for QML. Everything a thread can do is an invokable taking ids as
/// strings; failures never reach QML as exceptions: they are reported through errorOccurred()
/// as sentences for a person. Owner thread only (the thread the Chat lives on: the GUI thread).
class Chat : public QObject {
  Q_OBJECT
  Q_PROPERTY(bool ready READ ready NOTIFY readyChanged)
  Q_PROPERTY(QString backendDescription READ backendDescription NOTIFY readyChanged)
  Q_PROPERTY(bool running READ running NOTIFY runningChanged)
  Q_PROPERTY(bool runInProgress READ runInProgress NOTIFY runningChanged)
  Q_PROPERTY(bool canCancel READ canCancel NOTIFY runningChanged)
  Q_PROPERTY(bool isLoading READ isLoading NOTIFY stateChanged)
  Q_PROPERTY(bool isEmpty READ isEmpty NOTIFY stateChanged)
  Q_PROPERTY(QString threadId READ threadId NOTIFY threadChanged)
  Q_PROPERTY(QString threadTitle READ threadTitle NOTIFY threadChanged)
  Q_PROPERTY(QVariantMap capabilities READ capabilities NOTIFY capabilitiesChanged)
  Q_PROPERTY(QVariantList suggestions READ suggestions NOTIFY suggestionsChanged)
  Q_PROPERTY(QString speakingMessageId READ speakingMessageId NOTIFY speechChanged)
  Q_PROPERTY(QVariantList pendingApprovals READ pendingApprovals NOTIFY pendingApprovalsChanged)
  Q_PROPERTY(QString lastError READ lastError NOTIFY errorOccurred)
  Q_PROPERTY(aui::qt::MessageListModel* messages READ messages CONSTANT)
  Q_PROPERTY(aui::qt::ChatComposer* composer READ composer CONSTANT)
  Q_PROPERTY(aui::qt::ChatComposer* editComposer READ editComposer NOTIFY editComposerChanged)
  Q_PROPERTY(aui::qt::ThreadListModel* threads READ threads CONSTANT)
  Q_PROPERTY(aui::qt::ThreadListModel* archivedThreads READ archivedThreads CONSTANT)
  Q_PROPERTY(aui::qt::ThreadSearchModel* search READ search CONSTANT)

 public:
  /// A chat made by the default factory when one is set, else an empty one (ready == false)
  /// until set_backend() is called.
  explicit Chat(QObject* parent = nullptr);
  ~Chat() override;

  /// The factory every Chat constructed from now on uses (e.g. a Chat created by QML). Set it on
  /// the GUI thread before loading QML; an empty function unsets it.
  static void set_default_factory(ChatFactory factory);
  /// Replaces the backend: the models reset to the new runtime's main thread.
  void set_backend(ChatBackend backend);
  void set_backend(const ChatFactory& factory);
  /// The dispatcher and error handler for a runtime made for this Chat.
  ChatSetup setup() const;
  /// The runtime, or nullptr when not ready.
  LocalRuntime* runtime() const noexcept { return backend_.runtime.get(); }

  bool ready() const noexcept { return backend_.runtime != nullptr; }
  QString backendDescription() const { return backend_.description; }
  bool running() const;
  bool runInProgress() const;
  bool canCancel() const;
  bool isLoading() const;
  bool isEmpty() const;
  QString threadId() const;
  QString threadTitle() const;
  QVariantMap capabilities() const;
  QVariantList suggestions() const;
  QString speakingMessageId() const;
  QVariantList pendingApprovals() const;
  QString lastError() const { return last_error_; }
  MessageListModel* messages() const noexcept { return messages_; }
  ChatComposer* composer() const noexcept { return composer_; }
  ChatComposer* editComposer() const noexcept;
  ThreadListModel* threads() const noexcept { return threads_; }
  ThreadListModel* archivedThreads() const noexcept { return archived_; }
  ThreadSearchModel* search() const noexcept { return search_; }

  // ---- the thread shown ----
  /// A user message with `text` under the last message (the composer is left alone).
  Q_INVOKABLE void send(const QString& text);
  Q_INVOKABLE void cancel();
  /// A new reply in place of an assistant message (a new branch).
  Q_INVOKABLE void regenerate(const QString& messageId);
  /// A new version of a message with `text` (a new branch); a user message gets a new reply.
  Q_INVOKABLE void edit(const QString& messageId, const QString& text);
  /// Opens an edit of the message (see editComposer); returns its composer, or null on failure.
  Q_INVOKABLE aui::qt::ChatComposer* beginEdit(const QString& messageId);
  Q_INVOKABLE void cancelEdit();
  /// The previous (delta < 0) or next (delta > 0) alternative of a message.
  Q_INVOKABLE void switchBranch(const QString& messageId, int delta);
  /// Shows the branch through the message `branchMessageId`.
  Q_INVOKABLE void switchToBranch(const QString& branchMessageId);
  /// The result of a tool call (a human tool's answer); `messageId` "" = the last message that
  /// holds the call. The run resumes when nothing else is awaited.
  Q_INVOKABLE void addToolResult(const QString& messageId, const QString& toolCallId,
                                 const QVariant& result, bool isError = false);
  /// Answers an approval gate: allow once, allow this tool from now on, deny.
  Q_INVOKABLE void allow(const QString& approvalId);
  Q_INVOKABLE void allowAlways(const QString& approvalId);
  Q_INVOKABLE void deny(const QString& approvalId, const QString& reason = QString());
  /// Answers an approval gate with one of its options (by option id).
  Q_INVOKABLE void respondToApproval(const QString& approvalId, const QString& optionId);
  /// Continues a branch that ends without a finished reply: a trailing user message gets a
  /// reply; a cancelled or failed reply is regenerated.
  Q_INVOKABLE void resume();
  /// "positive" or "negative".
  Q_INVOKABLE void submitFeedback(const QString& messageId, const QString& type,
                                  const QString& comment = QString());
  Q_INVOKABLE void speak(const QString& messageId);
  Q_INVOKABLE void stopSpeaking();
  /// The message's text; also put on the clipboard when the application has one (QGuiApplication).
  Q_INVOKABLE QString copy(const QString& messageId);
  Q_INVOKABLE void sendSuggestion(const QString& prompt);
  /// The thread shown as Markdown ("md") or assistant-ui JSON ("json").
  Q_INVOKABLE QString exportThread(const QString& format) const;

  // ---- the thread list ----
  Q_INVOKABLE void newThread();
  Q_INVOKABLE void switchToThread(const QString& threadId);
  Q_INVOKABLE void renameThread(const QString& threadId, const QString& title);
  Q_INVOKABLE void archiveThread(const QString& threadId);
  Q_INVOKABLE void unarchiveThread(const QString& threadId);
  Q_INVOKABLE void deleteThread(const QString& threadId);
  Q_INVOKABLE void generateTitle(const QString& threadId);

 Q_SIGNALS:
  void readyChanged();
  void runningChanged();
  void stateChanged();
  void threadChanged();
  void capabilitiesChanged();
  void suggestionsChanged();
  void speechChanged();
  void pendingApprovalsChanged();
  void editComposerChanged();
  /// Something failed; `message` is a sentence for a person.
  void errorOccurred(const QString& message);
  /// The thread shown changed (the message model was reset).
  void threadSwitched();

 private:
  struct Cache;
  void detach_models();
  void attach_thread();
  void on_list_change();
  void update_properties();
  void act(const std::function<void(ThreadRuntime&)>& action);
  void act_on_list(const std::function<void(ThreadListRuntime&)>& action);
  void report(const std::exception_ptr& error);
  void report(const QString& message);
  void watch(Completion done);
  void respond(const QString& approval_id, std::optional<bool> approved, bool always,
               std::optional<std::string> option_id, const QString& reason);

  std::shared_ptr<Dispatcher> dispatcher_;
  ChatBackend backend_;
  MessageListModel* messages_;
  ChatComposer* composer_;
  ChatComposer* edit_composer_;
  ThreadListModel* threads_;
  ThreadListModel* archived_;
  ThreadSearchModel* search_;
  ThreadRuntime* shown_ = nullptr;  // the thread the models follow
  std::optional<Id> editing_;       // the message of the open edit (editComposer)
  Subscription thread_subscription_;
  Subscription list_subscription_;
  std::unique_ptr<Cache> cache_;  // the last values of the properties, to notify on change
  /// This Chat while it lives; read on the owner thread only (by tasks posted from workers).
  std::shared_ptr<Chat*> self_;
  Lifetime lifetime_;  // completions that settle after the Chat is gone do nothing
  QString last_error_;
};

}  // namespace aui::qt
