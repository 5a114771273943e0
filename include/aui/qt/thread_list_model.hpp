#pragma once
// ThreadListModel: the threads of a ThreadListRuntime (regular or archived) as a Qt list model,
// for a sidebar.

#include <QAbstractListModel>
#include <QByteArray>
#include <QHash>
#include <string>
#include <vector>

#include "aui/runtime/thread_list_runtime.hpp"
#include "aui/support/subscription.hpp"

namespace aui::qt {

/// One lane of a thread list: the regular threads (newest first) or the archived ones. Follows
/// the list: an item that changed (title, running, main) emits dataChanged for its row; threads
/// that come and go are inserted and removed. Owner thread only.
class ThreadListModel final : public QAbstractListModel {
  Q_OBJECT
  Q_PROPERTY(bool archived READ archived CONSTANT)
  Q_PROPERTY(int count READ count NOTIFY countChanged)
  Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)

 public:
  enum Roles {
    ThreadIdRole = Qt::UserRole + 1,
    RemoteIdRole,
    TitleRole,
    StatusRole,
    IsMainRole,
    IsRunningRole,
    LastMessageAtRole,
  };

  /// The archived lane when `archived`, else the regular one.
  explicit ThreadListModel(bool archived = false, QObject* parent = nullptr);
  ~ThreadListModel() override;

  /// Follows `list` (nullptr: empty). The list must outlive the model or be replaced first.
  void set_list(ThreadListRuntime* list);
  /// Brings the rows up to the list's state.
  void sync();

  bool archived() const noexcept { return archived_; }
  int count() const noexcept { return static_cast<int>(items_.size()); }
  bool loading() const noexcept { return loading_; }

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;
  Q_INVOKABLE QVariantMap get(int row) const;
  /// The row of a thread by local or remote id, or -1.
  Q_INVOKABLE int rowOf(const QString& threadId) const;

 Q_SIGNALS:
  void countChanged();
  void loadingChanged();

 private:
  bool archived_;
  bool loading_ = false;
  ThreadListRuntime* list_ = nullptr;
  Subscription subscription_;
  std::vector<ThreadListItem> items_;
};

}  // namespace aui::qt
