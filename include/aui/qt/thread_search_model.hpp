#pragma once
// ThreadSearchModel: full-text search over a ThreadStore's messages as a Qt list model.

#include <QAbstractListModel>
#include <QByteArray>
#include <QHash>
#include <QString>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aui/adapters/thread_store.hpp"
#include "aui/support/dispatcher.hpp"
#include "aui/support/executor.hpp"

namespace aui::qt {

/// The hits of the last query, best first. Setting `query` searches on a worker (the store may
/// block); the rows are replaced when the answer arrives, and an answer to an older query is
/// dropped. Without a store, `available` is false and nothing is found. Owner thread only.
class ThreadSearchModel final : public QAbstractListModel {
  Q_OBJECT
  Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
  Q_PROPERTY(bool available READ available NOTIFY availableChanged)
  Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
  Q_PROPERTY(int count READ count NOTIFY countChanged)

 public:
  enum Roles { ThreadIdRole = Qt::UserRole + 1, MessageIdRole, SnippetRole, TitleRole };

  explicit ThreadSearchModel(QObject* parent = nullptr);
  ~ThreadSearchModel() override;

  /// Searches `store` (nullptr: none) on `executor` (default_executor() when null); answers come
  /// back through `dispatcher` (required with a store).
  void set_store(std::shared_ptr<ThreadStore> store, std::shared_ptr<Dispatcher> dispatcher,
                 std::shared_ptr<Executor> executor = nullptr);
  /// Gives the title shown for a hit's thread (by remote id), e.g. from the thread list; called on
  /// the owner thread when an answer arrives.
  void set_title_lookup(std::function<std::string(const std::string&)> lookup) {
    title_lookup_ = std::move(lookup);
  }
  /// How many hits a query keeps (default 50).
  void set_limit(std::size_t limit) noexcept { limit_ = limit; }

  QString query() const { return query_; }
  void setQuery(const QString& query);
  Q_INVOKABLE void search(const QString& query) { setQuery(query); }
  bool available() const noexcept { return store_ != nullptr; }
  bool busy() const noexcept { return busy_; }
  int count() const noexcept { return static_cast<int>(hits_.size()); }

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;
  Q_INVOKABLE QVariantMap get(int row) const;

 Q_SIGNALS:
  void queryChanged();
  void availableChanged();
  void busyChanged();
  void countChanged();
  /// The search failed; `message` is a sentence for a person.
  void failed(const QString& message);

 private:
  struct Hit {
    ThreadSearchHit hit;
    std::string title;
  };
  void take(std::uint64_t generation, std::vector<Hit> hits);
  void set_busy(bool busy);

  std::shared_ptr<ThreadStore> store_;
  std::shared_ptr<Dispatcher> dispatcher_;
  std::shared_ptr<Executor> executor_;
  std::shared_ptr<bool> alive_;  // false once the model is gone: late answers are dropped
  std::function<std::string(const std::string&)> title_lookup_;
  std::size_t limit_ = 50;
  std::uint64_t generation_ = 0;
  QString query_;
  bool busy_ = false;
  std::vector<Hit> hits_;
};

}  // namespace aui::qt
