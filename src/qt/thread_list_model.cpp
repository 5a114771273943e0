#include "aui/qt/thread_list_model.hpp"

#include <QThread>
#include <QVariantMap>
#include <algorithm>

#include "convert.hpp"

namespace aui::qt {

using detail::qs;

namespace {

QList<int> changed_roles(const ThreadListItem& a, const ThreadListItem& b) {
  using R = ThreadListModel::Roles;
  QList<int> roles;
  if (a.remote_id != b.remote_id) roles.push_back(R::RemoteIdRole);
  if (a.title != b.title) roles.push_back(R::TitleRole);
  if (a.status != b.status) roles.push_back(R::StatusRole);
  if (a.is_main != b.is_main) roles.push_back(R::IsMainRole);
  if (a.is_running != b.is_running) roles.push_back(R::IsRunningRole);
  if (a.last_message_at != b.last_message_at) roles.push_back(R::LastMessageAtRole);
  return roles;
}

}  // namespace

ThreadListModel::ThreadListModel(bool archived, QObject* parent)
    : QAbstractListModel(parent), archived_(archived) {}

ThreadListModel::~ThreadListModel() = default;

void ThreadListModel::set_list(ThreadListRuntime* list) {
  subscription_ = Subscription();
  list_ = list;
  const int old_n = count();
  beginResetModel();
  items_.clear();
  endResetModel();
  if (old_n != 0) Q_EMIT countChanged();
  sync();
  if (list_) subscription_ = list_->subscribe([this] { sync(); });
}

void ThreadListModel::sync() {
  std::vector<ThreadListItem> next;
  bool loading = false;
  if (list_) {
    loading = list_->is_loading();
    for (const std::string& id : archived_ ? list_->archived_thread_ids() : list_->thread_ids()) {
      if (auto item = list_->item(id)) next.push_back(std::move(*item));
    }
  }
  const int old_n = count();
  // Rows that left the lane go first (from the end, so the indices stay right).
  for (int i = count() - 1; i >= 0; --i) {
    const auto& id = items_[static_cast<std::size_t>(i)].id;
    const bool stays = std::any_of(next.begin(), next.end(),
                                   [&](const ThreadListItem& it) { return it.id == id; });
    if (!stays) {
      beginRemoveRows({}, i, i);
      items_.erase(items_.begin() + i);
      endRemoveRows();
    }
  }
  // Then each position in the new order: kept, moved up from further down, or inserted.
  for (std::size_t i = 0; i < next.size(); ++i) {
    const int row = static_cast<int>(i);
    if (i < items_.size() && items_[i].id == next[i].id) {
      const QList<int> roles = changed_roles(items_[i], next[i]);
      items_[i] = next[i];
      if (!roles.isEmpty()) Q_EMIT dataChanged(index(row), index(row), roles);
      continue;
    }
    auto found = std::find_if(items_.begin() + static_cast<std::ptrdiff_t>(i), items_.end(),
                              [&](const ThreadListItem& it) { return it.id == next[i].id; });
    if (found != items_.end()) {
      const int from = static_cast<int>(found - items_.begin());
      beginMoveRows({}, from, from, {}, row);
      ThreadListItem moved = std::move(*found);
      items_.erase(found);
      items_.insert(items_.begin() + row, std::move(moved));
      endMoveRows();
      const QList<int> roles = changed_roles(items_[i], next[i]);
      items_[i] = next[i];
      if (!roles.isEmpty()) Q_EMIT dataChanged(index(row), index(row), roles);
    } else {
      beginInsertRows({}, row, row);
      items_.insert(items_.begin() + row, next[i]);
      endInsertRows();
    }
  }
  if (old_n != count()) Q_EMIT countChanged();
  if (loading != loading_) {
    loading_ = loading;
    Q_EMIT loadingChanged();
  }
}

int ThreadListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : count();
}

QVariant ThreadListModel::data(const QModelIndex& index, int role) const {
  Q_ASSERT_X(QThread::currentThread() == thread(), "ThreadListModel::data",
             "called off the owner thread");
  if (index.parent().isValid() || index.row() < 0 || index.row() >= count()) return {};
  const ThreadListItem& item = items_[static_cast<std::size_t>(index.row())];
  switch (role) {
    case ThreadIdRole: return qs(item.id);
    case RemoteIdRole: return item.remote_id ? qs(*item.remote_id) : QString();
    case TitleRole: return item.title ? qs(*item.title) : QString();
    case StatusRole: return qs(to_string(item.status));
    case IsMainRole: return item.is_main;
    case IsRunningRole: return item.is_running;
    case LastMessageAtRole:
      return item.last_message_at ? QVariant(detail::to_qdatetime(*item.last_message_at))
                                  : QVariant();
    default: return {};
  }
}

QHash<int, QByteArray> ThreadListModel::roleNames() const {
  return {{ThreadIdRole, "threadId"},
          {RemoteIdRole, "remoteId"},
          {TitleRole, "title"},
          {StatusRole, "status"},
          {IsMainRole, "isMain"},
          {IsRunningRole, "isRunning"},
          {LastMessageAtRole, "lastMessageAt"}};
}

QVariantMap ThreadListModel::get(int row) const { return detail::row_as_map(*this, row); }

int ThreadListModel::rowOf(const QString& threadId) const {
  const std::string id = detail::utf8(threadId);
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (items_[i].id == id || items_[i].remote_id == id) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace aui::qt
