#include "aui/qt/chat_composer.hpp"

#include <QVariantMap>

#include "aui/support/errors.hpp"
#include "convert.hpp"

namespace aui::qt {

using detail::qs;

namespace {

QString attachment_status(AttachmentStatusType type) {
  switch (type) {
    case AttachmentStatusType::Running: return QStringLiteral("running");
    case AttachmentStatusType::RequiresAction: return QStringLiteral("requires-action");
    case AttachmentStatusType::Incomplete: return QStringLiteral("incomplete");
    case AttachmentStatusType::Complete: return QStringLiteral("complete");
  }
  return {};
}

}  // namespace

ChatComposer::ChatComposer(QObject* parent) : QObject(parent) {}

ChatComposer::~ChatComposer() = default;

void ChatComposer::set_source(std::function<Composer*()> resolve,
                              std::function<void(const std::string&)> remove_queued) {
  resolve_ = std::move(resolve);
  remove_queued_ = std::move(remove_queued);
  refresh();
}

void ChatComposer::refresh() {
  Composer* c = composer();
  if (c != subscribed_) {
    subscription_ = Subscription();
    add_error_subscription_ = Subscription();
    subscribed_ = c;
    if (c) {
      subscription_ = c->subscribe(lifetime_.guard([this] { Q_EMIT changed(); }));
      add_error_subscription_ =
          c->on_attachment_add_error(lifetime_.guard([this](const AttachmentAddError& e) {
            Q_EMIT failed(e.message.empty() ? QStringLiteral("The attachment could not be added.")
                                            : qs(e.message));
          }));
    }
  }
  Q_EMIT changed();
}

QString ChatComposer::text() const {
  const Composer* c = composer();
  return c ? qs(c->text()) : QString();
}

void ChatComposer::setText(const QString& text) {
  if (Composer* c = composer()) c->set_text(detail::utf8(text));
}

QVariantList ChatComposer::attachments() const {
  QVariantList out;
  const Composer* c = composer();
  if (!c) return out;
  for (const Attachment& a : c->attachments()) {
    out.push_back(QVariantMap{{QStringLiteral("id"), qs(a.id)},
                              {QStringLiteral("type"), qs(a.type)},
                              {QStringLiteral("name"), qs(a.name)},
                              {QStringLiteral("contentType"), qs(a.content_type)},
                              {QStringLiteral("status"), attachment_status(a.status.type)},
                              {QStringLiteral("progress"), a.status.progress},
                              {QStringLiteral("message"), qs(a.status.message)}});
  }
  return out;
}

QString ChatComposer::attachmentAccept() const {
  const Composer* c = composer();
  return c ? qs(c->attachment_accept()) : QString();
}

bool ChatComposer::canSend() const {
  const Composer* c = composer();
  return c && c->can_send();
}

bool ChatComposer::canCancel() const {
  const Composer* c = composer();
  return c && c->can_cancel();
}

bool ChatComposer::isEditing() const {
  const Composer* c = composer();
  return c && c->is_editing();
}

bool ChatComposer::isEmpty() const {
  const Composer* c = composer();
  return !c || c->is_empty();
}

bool ChatComposer::isSending() const {
  const Composer* c = composer();
  return c && c->is_sending();
}

QString ChatComposer::editingMessageId() const {
  const auto* edit = dynamic_cast<const EditComposer*>(composer());
  return edit ? qs(edit->message_id()) : QString();
}

QVariantList ChatComposer::queue() const {
  QVariantList out;
  const auto* thread_composer = dynamic_cast<const ThreadComposer*>(composer());
  if (!thread_composer) return out;
  for (const QueueItem& item : thread_composer->queue()) {
    out.push_back(QVariantMap{
        {QStringLiteral("id"), qs(item.id)},
        {QStringLiteral("lane"),
         item.lane == QueueLane::Steer ? QStringLiteral("steer") : QStringLiteral("queue")},
        {QStringLiteral("prompt"), qs(item.prompt)}});
  }
  return out;
}

bool ChatComposer::dictating() const {
  const Composer* c = composer();
  return c && c->dictation().has_value();
}

QString ChatComposer::dictationTranscript() const {
  const Composer* c = composer();
  if (!c || !c->dictation() || !c->dictation()->transcript) return {};
  return qs(*c->dictation()->transcript);
}

bool ChatComposer::inputDisabled() const {
  const Composer* c = composer();
  return c && c->dictation() && c->dictation()->input_disabled;
}

void ChatComposer::report(const std::exception_ptr& error) {
  if (error) Q_EMIT failed(qs(describe_exception(error)));
}

void ChatComposer::watch(Completion done) {
  done.then(lifetime_.guard([this](std::exception_ptr error) { report(error); }));
}

// Every action runs the composer's operation; what it throws (a missing adapter, a rejected file)
// becomes failed() with its sentence instead of an exception through QML.
void ChatComposer::act(const std::function<void(Composer&)>& action) {
  Composer* c = composer();
  if (!c) return;
  try {
    action(*c);
  } catch (...) {
    report(std::current_exception());
  }
}

void ChatComposer::send() {
  act([this](Composer& c) { watch(c.send()); });
}
void ChatComposer::cancel() {
  act([](Composer& c) { c.cancel(); });
}
void ChatComposer::reset() {
  act([this](Composer& c) { watch(c.reset()); });
}
void ChatComposer::clearAttachments() {
  act([this](Composer& c) { watch(c.clear_attachments()); });
}
void ChatComposer::startDictation() {
  act([](Composer& c) { c.start_dictation(); });
}
void ChatComposer::stopDictation() {
  act([this](Composer& c) { watch(c.stop_dictation()); });
}
void ChatComposer::cancelDictation() {
  act([](Composer& c) { c.cancel_dictation(); });
}

void ChatComposer::addAttachment(const QUrl& file) {
  const QString path = file.isLocalFile() ? file.toLocalFile() : file.toString();
  act([&](Composer& c) {
    HostFile host;
    host.path = detail::utf8(path);
    const qsizetype slash = path.lastIndexOf(QLatin1Char('/'));
    host.name = detail::utf8(slash >= 0 ? path.mid(slash + 1) : path);
    watch(c.add_attachment(std::move(host)));
  });
}

void ChatComposer::removeAttachment(const QString& id) {
  act([&](Composer& c) { watch(c.remove_attachment(detail::utf8(id))); });
}

void ChatComposer::removeQueued(const QString& id) {
  if (!remove_queued_) return;
  try {
    remove_queued_(detail::utf8(id));
    Q_EMIT changed();
  } catch (...) {
    report(std::current_exception());
  }
}

}  // namespace aui::qt
