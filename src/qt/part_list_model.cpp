#include "aui/qt/part_list_model.hpp"

#include <QThread>
#include <QVariantList>
#include <QVariantMap>

#include "convert.hpp"

namespace aui::qt {

using detail::qs;

namespace {

QString approval_state(const ToolCallPart& call) {
  const Approval* gate = call.approval.get();
  if (!gate || gate->id.empty()) return {};
  if (gate->resolution) {
    return *gate->resolution == ApprovalResolution::Expired ? QStringLiteral("expired")
                                                            : QStringLiteral("cancelled");
  }
  if (!gate->approved) return QStringLiteral("pending");
  return *gate->approved ? QStringLiteral("approved") : QStringLiteral("denied");
}

QVariantList approval_options(const ToolCallPart& call) {
  QVariantList out;
  const Approval* gate = call.approval.get();
  if (!gate || !gate->options) return out;
  for (const ApprovalOption& o : *gate->options) {
    out.push_back(QVariantMap{{QStringLiteral("id"), qs(o.id)},
                              {QStringLiteral("kind"), qs(o.kind)},
                              {QStringLiteral("label"), qs(o.label)},
                              {QStringLiteral("description"), qs(o.description)}});
  }
  return out;
}

// The roles whose value can differ between two versions of a part of this type.
QList<int> roles_of(PartType type) {
  using R = PartListModel::Roles;
  switch (type) {
    case PartType::Text:
    case PartType::Reasoning: return {R::TextRole, R::PartStatusRole};
    case PartType::ToolCall:
      return {
          R::ToolCallIdRole,       R::ToolNameRole,      R::ArgsTextRole,        R::ArgsRole,
          R::ResultRole,           R::ResultTextRole,    R::HasResultRole,       R::IsErrorRole,
          R::ApprovalIdRole,       R::ApprovalStateRole, R::ApprovalOptionsRole, R::IsHumanToolRole,
          R::InterruptPayloadRole, R::PartStatusRole};
    default: return {};  // every role: other parts change rarely
  }
}

}  // namespace

PartListModel::PartListModel(QObject* parent) : QAbstractListModel(parent) {}

int PartListModel::count() const noexcept { return rows_; }

void PartListModel::set_message(MessagePtr message) {
  if (message == message_) return;
  MessagePtr old = message_;
  const int old_n = old ? static_cast<int>(old->content.size()) : 0;
  const int new_n = message ? static_cast<int>(message->content.size()) : 0;
  const bool status_changed = !old || !message || !(old->status == message->status);
  // A part whose type changed at the same index is a different part: remove from there on.
  int keep = std::min(old_n, new_n);
  for (int i = 0; i < keep; ++i) {
    if (old->content[static_cast<std::size_t>(i)].type() !=
        message->content[static_cast<std::size_t>(i)].type()) {
      keep = i;
      break;
    }
  }
  if (keep < old_n) {
    beginRemoveRows({}, keep, old_n - 1);
    rows_ = keep;
    endRemoveRows();
  }
  if (keep < new_n) {
    beginInsertRows({}, keep, new_n - 1);
    message_ = message;
    rows_ = new_n;
    endInsertRows();
  }
  message_ = message;
  rows_ = new_n;
  for (int i = 0; i < keep; ++i) {
    const auto& a = old->content[static_cast<std::size_t>(i)];
    const auto& b = message->content[static_cast<std::size_t>(i)];
    if (!detail::same_part(a, b)) {
      Q_EMIT dataChanged(index(i), index(i), roles_of(b.type()));
    } else if (status_changed) {
      // Derived from the message's status: whether a call waits for a person too.
      Q_EMIT dataChanged(index(i), index(i), {PartStatusRole, IsHumanToolRole});
    }
  }
  if (old_n != new_n) Q_EMIT countChanged();
}

int PartListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : count();
}

QVariant PartListModel::data(const QModelIndex& index, int role) const {
  Q_ASSERT_X(QThread::currentThread() == thread(), "PartListModel::data",
             "called off the owner thread");
  if (!message_ || index.parent().isValid() || index.row() < 0 || index.row() >= count()) return {};
  const auto i = static_cast<std::size_t>(index.row());
  const ContentPart& part = message_->content[i];
  switch (role) {
    case TypeRole: return qs(to_string(part.type()));
    case PartStatusRole: return detail::status_text(part_status(*message_, i).type);
    default: break;
  }
  if (const auto* text = part.get_if<TextPart>()) {
    return role == TextRole ? QVariant(qs(text->text.view())) : QVariant();
  }
  if (const auto* reasoning = part.get_if<ReasoningPart>()) {
    return role == TextRole ? QVariant(qs(reasoning->text.view())) : QVariant();
  }
  if (const auto* call = part.get_if<ToolCallPart>()) {
    switch (role) {
      case ToolCallIdRole: return qs(call->tool_call_id);
      case ToolNameRole: return qs(call->tool_name);
      case ArgsTextRole: return qs(call->args_text.view());
      case ArgsRole: return detail::to_variant(call->args);
      case ResultRole: return call->result ? detail::to_variant(*call->result) : QVariant();
      case ResultTextRole: return call->result ? detail::json_text(*call->result) : QString();
      case HasResultRole: return call->resolved();
      case IsErrorRole: return call->is_error.value_or(false);
      case ApprovalIdRole: return call->approval.get() ? qs(call->approval.get()->id) : QString();
      case ApprovalStateRole: return approval_state(*call);
      case ApprovalOptionsRole: return approval_options(*call);
      case IsHumanToolRole:
        // Waits for a person's answer: unresolved, no approval gate, and the run paused on it.
        return !call->resolved() && (!call->interrupt.is_null() ||
                                     (!call->approval.has_value() &&
                                      message_->status.type == StatusType::RequiresAction));
      case InterruptPayloadRole:
        return call->interrupt.is_object() && call->interrupt.contains("payload")
                   ? detail::to_variant(call->interrupt["payload"])
                   : QVariant();
      default: return {};
    }
  }
  if (const auto* source = part.get_if<SourcePart>()) {
    switch (role) {
      case UrlRole: return qs(source->url);
      case TitleRole: return source->title ? qs(*source->title) : QString();
      case FilenameRole: return qs(source->filename);
      case MimeTypeRole: return qs(source->media_type);
      default: return {};
    }
  }
  if (const auto* image = part.get_if<ImagePart>()) {
    switch (role) {
      case UrlRole: return qs(image->image);
      case FilenameRole: return qs(image->filename);
      default: return {};
    }
  }
  if (const auto* file = part.get_if<FilePart>()) {
    switch (role) {
      case UrlRole: return qs(file->data);
      case FilenameRole: return qs(file->filename);
      case MimeTypeRole: return qs(file->mime_type);
      default: return {};
    }
  }
  if (const auto* data = part.get_if<DataPart>()) {
    switch (role) {
      case NameRole: return qs(data->name);
      case DataRole: return detail::to_variant(data->data);
      default: return {};
    }
  }
  if (const auto* audio = part.get_if<AudioPart>()) {
    return role == MimeTypeRole ? QVariant(QStringLiteral("audio/") + qs(audio->format))
                                : QVariant();
  }
  if (const auto* ui = part.get_if<GenerativeUIPart>()) {
    return role == DataRole ? detail::to_variant(ui->spec) : QVariant();
  }
  return {};
}

QHash<int, QByteArray> PartListModel::roleNames() const {
  return {
      {TypeRole, "type"},
      {TextRole, "text"},
      {PartStatusRole, "partStatus"},
      {ToolCallIdRole, "toolCallId"},
      {ToolNameRole, "toolName"},
      {ArgsTextRole, "argsText"},
      {ArgsRole, "args"},
      {ResultRole, "result"},
      {ResultTextRole, "resultText"},
      {HasResultRole, "hasResult"},
      {IsErrorRole, "isError"},
      {ApprovalIdRole, "approvalId"},
      {ApprovalStateRole, "approvalState"},
      {ApprovalOptionsRole, "approvalOptions"},
      {IsHumanToolRole, "isHumanTool"},
      {InterruptPayloadRole, "interruptPayload"},
      {UrlRole, "url"},
      {TitleRole, "title"},
      {FilenameRole, "filename"},
      {MimeTypeRole, "mimeType"},
      {NameRole, "name"},
      {DataRole, "data"},
  };
}

QVariantMap PartListModel::get(int row) const { return detail::row_as_map(*this, row); }

}  // namespace aui::qt
