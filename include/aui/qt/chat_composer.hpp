#pragma once
// ChatComposer: a composer (the thread's, or an edit's) as a QObject with properties for QML.

#include <QObject>
#include <QString>
#include <QUrl>
#include <QVariantList>
#include <functional>

#include "aui/runtime/composer.hpp"
#include "aui/support/owner_thread.hpp"
#include "aui/support/subscription.hpp"

namespace aui::qt {

/// The draft of the next message (or of an edit): text, attachments, whether it can be sent,
/// the message queue and dictation. It wraps an aui::Composer that the thread owns; the Chat
/// points it at the current thread's composer on every thread switch. Every property notifies
/// through `changed()`. Failures are reported through `failed()` as sentences for a person.
/// Owner thread only.
class ChatComposer final : public QObject {
  Q_OBJECT
  Q_PROPERTY(QString text READ text WRITE setText NOTIFY changed)
  Q_PROPERTY(QVariantList attachments READ attachments NOTIFY changed)
  Q_PROPERTY(QString attachmentAccept READ attachmentAccept NOTIFY changed)
  Q_PROPERTY(bool canSend READ canSend NOTIFY changed)
  Q_PROPERTY(bool canCancel READ canCancel NOTIFY changed)
  Q_PROPERTY(bool isEditing READ isEditing NOTIFY changed)
  Q_PROPERTY(bool isEmpty READ isEmpty NOTIFY changed)
  Q_PROPERTY(bool isSending READ isSending NOTIFY changed)
  Q_PROPERTY(QString editingMessageId READ editingMessageId NOTIFY changed)
  Q_PROPERTY(QVariantList queue READ queue NOTIFY changed)
  Q_PROPERTY(bool dictating READ dictating NOTIFY changed)
  Q_PROPERTY(QString dictationTranscript READ dictationTranscript NOTIFY changed)
  Q_PROPERTY(bool inputDisabled READ inputDisabled NOTIFY changed)

 public:
  explicit ChatComposer(QObject* parent = nullptr);
  ~ChatComposer() override;

  /// Wraps the composer `resolve` returns (nullptr: none; every property reads empty and
  /// actions do nothing). It is asked on every access, so a composer that goes away (a closed
  /// edit) is never touched; `remove_queued` (optional) removes a queued message by id.
  void set_source(std::function<Composer*()> resolve,
                  std::function<void(const std::string&)> remove_queued = {});
  /// The composer wrapped now, or nullptr.
  Composer* composer() const { return resolve_ ? resolve_() : nullptr; }
  /// Emits changed() and re-subscribes to the composer (after the source's composer changed).
  void refresh();

  QString text() const;
  void setText(const QString& text);
  QVariantList attachments() const;
  QString attachmentAccept() const;
  bool canSend() const;
  bool canCancel() const;
  bool isEditing() const;
  bool isEmpty() const;
  bool isSending() const;
  QString editingMessageId() const;
  QVariantList queue() const;
  bool dictating() const;
  QString dictationTranscript() const;
  bool inputDisabled() const;

  /// Sends the draft; the composer empties once the message is handed over.
  Q_INVOKABLE void send();
  /// Thread composer: cancels the run. Edit composer: closes the edit.
  Q_INVOKABLE void cancel();
  Q_INVOKABLE void reset();
  /// A file by `file://` URL or plain path, through the attachment adapter.
  Q_INVOKABLE void addAttachment(const QUrl& file);
  Q_INVOKABLE void removeAttachment(const QString& id);
  Q_INVOKABLE void clearAttachments();
  Q_INVOKABLE void startDictation();
  Q_INVOKABLE void stopDictation();
  Q_INVOKABLE void cancelDictation();
  /// Removes a message waiting in the queue.
  Q_INVOKABLE void removeQueued(const QString& id);

 Q_SIGNALS:
  void changed();
  /// An action failed; `message` is a sentence for a person.
  void failed(const QString& message);

 private:
  void act(const std::function<void(Composer&)>& action);
  void report(const std::exception_ptr& error);
  void watch(Completion done);

  std::function<Composer*()> resolve_;
  std::function<void(const std::string&)> remove_queued_;
  Composer* subscribed_ = nullptr;  // the composer subscription_ is on
  Subscription subscription_;
  Subscription add_error_subscription_;
  Lifetime lifetime_;  // completions that settle after this object is gone do nothing
};

}  // namespace aui::qt
