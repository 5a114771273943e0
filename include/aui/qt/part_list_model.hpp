#pragma once
// PartListModel: the content parts of one message as a Qt list model (text, reasoning, tool
// calls with their approval gates, images, files, sources, data), for a QML Repeater/ListView.

#include <QAbstractListModel>
#include <QByteArray>
#include <QHash>

#include "aui/model/message.hpp"

namespace aui::qt {

/// The parts of one message. Owned by a MessageListModel row (stable for the row's life); updated
/// in place when the message changes: a part that changed emits dataChanged, new parts are
/// inserted at the end, parts that went away are removed. Owner thread only.
class PartListModel final : public QAbstractListModel {
  Q_OBJECT
  Q_PROPERTY(int count READ count NOTIFY countChanged)

 public:
  enum Roles {
    TypeRole = Qt::UserRole + 1,
    TextRole,
    PartStatusRole,
    ToolCallIdRole,
    ToolNameRole,
    ArgsTextRole,
    ArgsRole,
    ResultRole,
    ResultTextRole,
    HasResultRole,
    IsErrorRole,
    ApprovalIdRole,
    ApprovalStateRole,
    ApprovalOptionsRole,
    IsHumanToolRole,
    InterruptPayloadRole,
    UrlRole,
    TitleRole,
    FilenameRole,
    MimeTypeRole,
    NameRole,
    DataRole,
  };

  explicit PartListModel(QObject* parent = nullptr);

  /// Shows `message`'s parts, emitting the signals for what differs from the message shown so far
  /// (parts compared by identity: an unchanged part keeps its storage between snapshots).
  void set_message(MessagePtr message);
  const MessagePtr& message() const noexcept { return message_; }
  int count() const noexcept;

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;
  /// The roles of `row` as a map keyed by role name (tests, scripts).
  Q_INVOKABLE QVariantMap get(int row) const;

 Q_SIGNALS:
  void countChanged();

 private:
  MessagePtr message_;
  int rows_ = 0;  // the rows views know of (differs from message_'s parts inside a change)
};

}  // namespace aui::qt
