#include "aui/qt/message_list_model.hpp"

#include <QThread>
#include <QVariantList>
#include <QVariantMap>

#include "aui/qt/part_list_model.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "convert.hpp"

namespace aui::qt {

using detail::qs;

namespace {

QString error_text(const ThreadMessage& m) {
  if (m.role != Role::Assistant || m.status.type != StatusType::Incomplete) return {};
  const Json& error = m.status.error.get();
  if (error.is_object()) {
    const auto it = error.find("message");
    if (it != error.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
      return qs(it->get_ref<const std::string&>());
    }
  }
  switch (m.status.reason) {
    case StatusReason::Cancelled: return {};
    case StatusReason::Length: return QStringLiteral("The reply was cut off at the length limit.");
    case StatusReason::ContentFilter:
      return QStringLiteral("The reply was stopped by the provider's content filter.");
    case StatusReason::ToolCalls: return QStringLiteral("The reply stopped at a tool call.");
    case StatusReason::Error: return QStringLiteral("The reply failed.");
    default: return QStringLiteral("The reply ended early.");
  }
}

QVariantList attachments_of(const ThreadMessage& m) {
  QVariantList out;
  for (const Attachment& a : m.attachments) {
    out.push_back(QVariantMap{{QStringLiteral("id"), qs(a.id)},
                              {QStringLiteral("type"), qs(a.type)},
                              {QStringLiteral("name"), qs(a.name)},
                              {QStringLiteral("contentType"), qs(a.content_type)}});
  }
  return out;
}

bool has_tool_calls(const ThreadMessage& m) {
  for (const auto& part : m.content) {
    if (part.type() == PartType::ToolCall) return true;
  }
  return false;
}

QString speech_text(const UtteranceStatus& status) {
  switch (status.type) {
    case UtteranceStatus::Type::Starting: return QStringLiteral("starting");
    case UtteranceStatus::Type::Running: return QStringLiteral("running");
    case UtteranceStatus::Type::Ended: return QStringLiteral("ended");
  }
  return {};
}

// The roles that differ between two versions of one message (same id). Reads no text: parts are
// compared by identity.
QList<int> changed_roles(const ThreadMessage& a, const ThreadMessage& b) {
  using R = MessageListModel::Roles;
  QList<int> roles;
  if (a.role != b.role) roles.push_back(R::RoleRole);
  if (!(a.status == b.status)) {
    roles << R::StatusRole << R::StatusReasonRole << R::ErrorTextRole << R::IsRunningRole;
  }
  if (a.created_at != b.created_at) roles.push_back(R::CreatedAtRole);
  const std::size_t na = a.content.size();
  const std::size_t nb = b.content.size();
  bool text_changed = false;
  bool parts_changed = na != nb;
  bool calls_changed = false;
  for (std::size_t i = 0; i < std::max(na, nb); ++i) {
    const ContentPart* x = i < na ? &a.content[i] : nullptr;
    const ContentPart* y = i < nb ? &b.content[i] : nullptr;
    if (x && y && detail::same_part(*x, *y)) continue;
    parts_changed = true;
    if ((x && x->type() == PartType::Text) || (y && y->type() == PartType::Text)) {
      text_changed = true;
    }
    if ((x && x->type() == PartType::ToolCall) != (y && y->type() == PartType::ToolCall)) {
      calls_changed = true;
    }
  }
  if (text_changed) roles.push_back(R::TextRole);
  if (na != nb) roles.push_back(R::PartCountRole);
  if (calls_changed) roles.push_back(R::HasToolCallsRole);
  if (parts_changed) roles.push_back(R::PartsRole);
  if (!(a.attachments == b.attachments)) roles.push_back(R::AttachmentsRole);
  if (a.metadata.submitted_feedback != b.metadata.submitted_feedback) {
    roles.push_back(R::FeedbackRole);
  }
  return roles;
}

}  // namespace

MessageListModel::MessageListModel(QObject* parent) : QAbstractListModel(parent) {}

MessageListModel::~MessageListModel() = default;

void MessageListModel::set_thread(ThreadRuntime* thread) {
  subscription_ = Subscription();
  thread_ = thread;
  speaking_.reset();
  speech_status_.clear();
  reset_to(thread_ ? thread_->messages() : MessageList());
  if (thread_) {
    if (const auto& s = thread_->speech()) {
      speaking_ = s->message_id;
      speech_status_ = speech_text(s->status);
    }
    subscription_ = thread_->subscribe([this] { sync(); });
  }
}

void MessageListModel::reset_to(const MessageList& messages) {
  const int old_n = count();
  beginResetModel();
  shown_ = messages;
  parts_.clear();
  parts_.resize(shown_.size());
  branches_seen_.assign(shown_.size(), BranchSeen{});
  tree_size_ = thread_ ? thread_->repository().size() : 0;
  endResetModel();
  if (old_n != count()) Q_EMIT countChanged();
  Q_EMIT rowsSettled();
}

void MessageListModel::sync() {
  if (!thread_) return;
  apply(thread_->messages());
  recheck_branches();
  update_speech();
}

void MessageListModel::recheck_branches() {
  // A sibling added or removed anywhere changes the tree's size; updates in place (a streamed
  // token) do not, so streaming never walks the rows here.
  const std::size_t size = thread_->repository().size();
  if (size == tree_size_) return;
  tree_size_ = size;
  for (std::size_t row = 0; row < branches_seen_.size(); ++row) {
    BranchSeen& seen = branches_seen_[row];
    if (seen.count == 0) continue;
    const auto state = thread_->message_state(shown_[row]->id);
    if (!state) continue;
    const auto number = static_cast<std::uint32_t>(state->branch_number);
    const auto count = static_cast<std::uint32_t>(state->branch_count);
    QList<int> roles;
    if (number != seen.number) roles << BranchIndexRole << BranchNumberRole;
    if (count != seen.count) roles << BranchCountRole;
    seen = BranchSeen{number, count};
    if (!roles.isEmpty()) emit_row_changed(row, roles);
  }
}

void MessageListModel::apply(const MessageList& next) {
  if (next.same_as(shown_)) return;
  const std::size_t old_n = shown_.size();
  const std::size_t new_n = next.size();
  changed_.clear();
  shown_.for_each_difference(next, [this](std::size_t i) { changed_.push_back(i); });
  // The branches part where the ids first differ; on a tree path everything after differs too.
  std::size_t diverge = std::min(old_n, new_n);
  std::size_t updated = 0;  // changed_[0, updated) are rows that stay, with a new version
  for (; updated < changed_.size(); ++updated) {
    const std::size_t i = changed_[updated];
    if (shown_[i]->id != next[i]->id) {
      diverge = i;
      break;
    }
  }
  // The role changes are computed against the old versions before the rows move.
  std::vector<std::pair<std::size_t, QList<int>>> row_roles;
  row_roles.reserve(updated);
  for (std::size_t k = 0; k < updated; ++k) {
    const std::size_t i = changed_[k];
    row_roles.emplace_back(i, changed_roles(*shown_[i], *next[i]));
  }
  if (diverge < old_n) {
    beginRemoveRows({}, static_cast<int>(diverge), static_cast<int>(old_n) - 1);
    shown_ = shown_.take(diverge);
    parts_.resize(diverge);
    branches_seen_.resize(diverge);
    endRemoveRows();
  }
  if (diverge < new_n) {
    beginInsertRows({}, static_cast<int>(diverge), static_cast<int>(new_n) - 1);
    shown_ = next;
    parts_.resize(new_n);
    branches_seen_.resize(new_n);
    endInsertRows();
  }
  shown_ = next;
  for (auto& [row, roles] : row_roles) {
    if (auto& parts = parts_[row]) parts->set_message(shown_[row]);
    if (row + 1 == old_n && old_n != new_n) roles.push_back(IsLastRole);
    if (!roles.isEmpty()) emit_row_changed(row, roles);
  }
  // The old last row, when it stays but is no longer last (and had no other change).
  if (old_n > 0 && old_n != new_n && old_n - 1 < diverge) {
    const std::size_t row = old_n - 1;
    const bool reported = !row_roles.empty() && row_roles.back().first == row;
    if (!reported) emit_row_changed(row, {IsLastRole});
  }
  // A row that becomes last without being inserted (the branch got shorter).
  if (new_n > 0 && new_n < old_n && new_n - 1 < diverge) {
    emit_row_changed(new_n - 1, {IsLastRole});
  }
  if (old_n != new_n) Q_EMIT countChanged();
  if (diverge < old_n || diverge < new_n) Q_EMIT rowsSettled();
}

void MessageListModel::emit_row_changed(std::size_t row, const QList<int>& roles) {
  const QModelIndex at = index(static_cast<int>(row));
  Q_EMIT dataChanged(at, at, roles);
}

void MessageListModel::update_speech() {
  std::optional<Id> id;
  QString status;
  if (const auto& s = thread_->speech()) {
    id = s->message_id;
    status = speech_text(s->status);
  }
  if (id == speaking_ && status == speech_status_) return;
  const std::optional<Id> before = std::move(speaking_);
  speaking_ = id;
  speech_status_ = status;
  for (const auto& which : {before, id}) {
    if (!which) continue;
    const int row = rowOf(qs(*which));
    if (row >= 0) emit_row_changed(static_cast<std::size_t>(row), {SpeechRole});
    if (before == id) break;
  }
}

MessagePtr MessageListModel::message_at(int row) const {
  if (row < 0 || static_cast<std::size_t>(row) >= shown_.size()) return nullptr;
  return shown_[static_cast<std::size_t>(row)];
}

int MessageListModel::count() const noexcept { return static_cast<int>(shown_.size()); }

int MessageListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : count();
}

PartListModel* MessageListModel::parts_of(int row) const {
  auto& slot = parts_[static_cast<std::size_t>(row)];
  if (!slot) {
    // Made on first use, so a long thread costs a parts model only for the rows a view showed.
    slot = std::make_unique<PartListModel>(const_cast<MessageListModel*>(this));
    slot->set_message(shown_[static_cast<std::size_t>(row)]);
  }
  return slot.get();
}

QVariant MessageListModel::data(const QModelIndex& index, int role) const {
  Q_ASSERT_X(QThread::currentThread() == thread(), "MessageListModel::data",
             "called off the owner thread");
  if (index.parent().isValid() || index.row() < 0 || index.row() >= count()) return {};
  const auto row = static_cast<std::size_t>(index.row());
  const ThreadMessage& m = *shown_[row];
  switch (role) {
    case MessageIdRole: return qs(m.id);
    case RoleRole: return qs(to_string(m.role));
    case TextRole: return qs(m.text());
    case StatusRole:
      return m.role == Role::Assistant ? detail::status_text(m.status.type)
                                       : QStringLiteral("complete");
    case StatusReasonRole:
      return m.role == Role::Assistant ? detail::reason_text(m.status.reason) : QString();
    case ErrorTextRole: return error_text(m);
    case IsRunningRole: return m.role == Role::Assistant && m.status.type == StatusType::Running;
    case CreatedAtRole: return detail::to_qdatetime(m.created_at);
    case BranchIndexRole:
    case BranchNumberRole:
    case BranchCountRole: {
      std::size_t number = 1;
      std::size_t branches = 1;
      if (thread_) {
        if (auto state = thread_->message_state(m.id)) {
          number = state->branch_number;
          branches = state->branch_count;
          branches_seen_[row] =
              BranchSeen{static_cast<std::uint32_t>(number), static_cast<std::uint32_t>(branches)};
        }
      }
      if (role == BranchCountRole) return static_cast<int>(branches);
      return static_cast<int>(role == BranchNumberRole ? number : number - 1);
    }
    case IsLastRole: return row + 1 == shown_.size();
    case ParentIdRole: return row == 0 ? QString() : qs(shown_[row - 1]->id);  // a branch is a path
    case AttachmentsRole: return attachments_of(m);
    case FeedbackRole:
      if (!m.metadata.submitted_feedback) return QString();
      return *m.metadata.submitted_feedback == FeedbackType::Positive ? QStringLiteral("positive")
                                                                      : QStringLiteral("negative");
    case SpeechRole: return speaking_ && *speaking_ == m.id ? speech_status_ : QString();
    case PartsRole: return QVariant::fromValue(static_cast<QObject*>(parts_of(index.row())));
    case PartCountRole: return static_cast<int>(m.content.size());
    case HasToolCallsRole: return has_tool_calls(m);
    default: return {};
  }
}

QHash<int, QByteArray> MessageListModel::roleNames() const {
  return {
      {MessageIdRole, "messageId"},
      {RoleRole, "role"},
      {TextRole, "text"},
      {StatusRole, "status"},
      {StatusReasonRole, "statusReason"},
      {ErrorTextRole, "errorText"},
      {IsRunningRole, "isRunning"},
      {CreatedAtRole, "createdAt"},
      {BranchIndexRole, "branchIndex"},
      {BranchNumberRole, "branchNumber"},
      {BranchCountRole, "branchCount"},
      {IsLastRole, "isLast"},
      {ParentIdRole, "parentId"},
      {AttachmentsRole, "attachments"},
      {FeedbackRole, "feedback"},
      {SpeechRole, "speech"},
      {PartsRole, "parts"},
      {PartCountRole, "partCount"},
      {HasToolCallsRole, "hasToolCalls"},
  };
}

QVariantMap MessageListModel::get(int row) const { return detail::row_as_map(*this, row); }

int MessageListModel::rowOf(const QString& messageId) const {
  const std::string id = detail::utf8(messageId);
  if (thread_) {
    // The runtime knows a message's depth, which is its row when it is on the branch.
    if (auto state = thread_->message_state(id)) {
      const std::size_t i = state->index;
      if (i < shown_.size() && shown_[i]->id == id) return static_cast<int>(i);
      return -1;
    }
    return -1;
  }
  std::size_t i = 0;
  for (const MessagePtr& m : shown_) {
    if (m->id == id) return static_cast<int>(i);
    ++i;
  }
  return -1;
}

}  // namespace aui::qt
