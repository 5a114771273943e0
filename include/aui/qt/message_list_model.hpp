#pragma once
// MessageListModel: the current branch of a thread as a Qt list model. It diffs the runtime's
// snapshots by pointer (an unchanged message keeps its object), so a streamed token costs one
// dataChanged on one row whatever the thread's length.

#include <QAbstractListModel>
#include <QByteArray>
#include <QHash>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "aui/model/message.hpp"
#include "aui/support/subscription.hpp"
#include "aui/tree/message_repository.hpp"

namespace aui {
class ThreadRuntime;
}

namespace aui::qt {

class PartListModel;

/// The messages of a thread's current branch, root first. Follows a ThreadRuntime (set_thread)
/// or snapshots handed to apply(). Signals are minimal: a message that changed emits dataChanged
/// for its row with only the roles that changed; a branch switch, edit or regenerate removes the
/// rows after the point where the branches part and inserts the new ones; a reset happens only
/// when the model is pointed at another thread. A branch added to or removed from a message the
/// branch keeps (a reply regenerated while another branch is shown, a message appended under an
/// earlier one) re-announces that row's branch roles. The work per update does not grow with the
/// thread (shared parts of the snapshots are skipped, see PersistentVector::for_each_difference).
/// Owner thread only: data() asserts it in debug builds and takes no lock.
class MessageListModel final : public QAbstractListModel {
  Q_OBJECT
  Q_PROPERTY(int count READ count NOTIFY countChanged)

 public:
  enum Roles {
    MessageIdRole = Qt::UserRole + 1,
    RoleRole,
    TextRole,
    StatusRole,
    StatusReasonRole,
    ErrorTextRole,
    IsRunningRole,
    CreatedAtRole,
    BranchIndexRole,
    BranchNumberRole,
    BranchCountRole,
    IsLastRole,
    ParentIdRole,
    AttachmentsRole,
    FeedbackRole,
    SpeechRole,
    PartsRole,
    PartCountRole,
    HasToolCallsRole,
  };

  explicit MessageListModel(QObject* parent = nullptr);
  ~MessageListModel() override;

  /// Follows `thread` (nullptr: shows nothing): a model reset, then updates on every change of
  /// the thread. The thread must outlive the model or be replaced first.
  void set_thread(ThreadRuntime* thread);
  ThreadRuntime* thread_runtime() const noexcept { return thread_; }
  /// Brings the model up to the thread's current state (called by the subscription; public for
  /// hosts that batch).
  void sync();
  /// Shows `messages` (a branch snapshot) without a thread: what sync() does with the thread's
  /// snapshot. Branch numbers are then 1 of 1. For tests and benchmarks.
  void apply(const MessageList& messages);
  /// The message shown at `row`, or null.
  MessagePtr message_at(int row) const;
  int count() const noexcept;

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;
  /// The roles of `row` as a map keyed by role name (tests, scripts).
  Q_INVOKABLE QVariantMap get(int row) const;
  /// The row of a message on the branch, or -1.
  Q_INVOKABLE int rowOf(const QString& messageId) const;

 Q_SIGNALS:
  void countChanged();
  /// Emitted once a reset, or a change that removed or inserted rows, is complete: after the
  /// model's own signals, so a view attached to the model has already taken the change in (a
  /// view positions itself here, e.g. at the end of a thread it just opened).
  void rowsSettled();

 private:
  void reset_to(const MessageList& messages);
  void update_speech();
  void emit_row_changed(std::size_t row, const QList<int>& roles);
  void recheck_branches();
  PartListModel* parts_of(int row) const;

  // A row's branch number and count as data() last gave them (count 0: not read yet). Only rows
  // a reader saw can hold a stale value, so only those are compared when the tree changes.
  struct BranchSeen {
    std::uint32_t number = 0;
    std::uint32_t count = 0;
  };

  ThreadRuntime* thread_ = nullptr;
  Subscription subscription_;
  MessageList shown_;
  mutable std::vector<std::unique_ptr<PartListModel>> parts_;  // per row, made on first use
  std::optional<Id> speaking_;                                 // the message being spoken
  QString speech_status_;                                      // and its status
  std::vector<std::size_t> changed_;               // a buffer for apply(): the rows that differ
  mutable std::vector<BranchSeen> branches_seen_;  // per row
  std::size_t tree_size_ = 0;  // the thread's message count (all branches) at the last sync
};

}  // namespace aui::qt
