#include "aui/qt/thread_search_model.hpp"

#include <QThread>
#include <QVariantMap>

#include "aui/support/errors.hpp"
#include "convert.hpp"

namespace aui::qt {

using detail::qs;

ThreadSearchModel::ThreadSearchModel(QObject* parent)
    : QAbstractListModel(parent), alive_(std::make_shared<bool>(true)) {}

ThreadSearchModel::~ThreadSearchModel() { *alive_ = false; }

void ThreadSearchModel::set_store(std::shared_ptr<ThreadStore> store,
                                  std::shared_ptr<Dispatcher> dispatcher,
                                  std::shared_ptr<Executor> executor) {
  const bool was = available();
  store_ = std::move(store);
  dispatcher_ = std::move(dispatcher);
  executor_ = executor ? std::move(executor) : default_executor();
  ++generation_;  // answers from the old store are dropped
  take(generation_, {});
  set_busy(false);
  if (was != available()) Q_EMIT availableChanged();
}

void ThreadSearchModel::setQuery(const QString& query) {
  if (query == query_) return;
  query_ = query;
  Q_EMIT queryChanged();
  const std::uint64_t generation = ++generation_;
  const std::string words = detail::utf8(query.trimmed());
  if (!store_ || words.empty()) {
    take(generation, {});
    set_busy(false);
    return;
  }
  set_busy(true);
  // The store may block (disk, network): the search runs on a worker, the answer comes back to
  // the owner thread, where a newer query (a higher generation) makes it stale.
  executor_->execute([store = store_, dispatcher = dispatcher_, alive = alive_, words,
                      limit = limit_, generation, this] {
    std::vector<ThreadSearchHit> hits;
    std::exception_ptr error;
    try {
      hits = store->search(words, limit);
    } catch (...) {
      error = std::current_exception();
    }
    dispatcher->post([alive, generation, this, hits = std::move(hits), error]() mutable {
      if (!*alive || generation != generation_) return;
      std::vector<Hit> rows;
      rows.reserve(hits.size());
      for (auto& h : hits) {
        std::string title = title_lookup_ ? title_lookup_(h.thread_id) : std::string();
        rows.push_back(Hit{std::move(h), std::move(title)});
      }
      take(generation, std::move(rows));
      set_busy(false);
      if (error)
        Q_EMIT failed(QStringLiteral("The search failed: ") + qs(describe_exception(error)));
    });
  });
}

void ThreadSearchModel::take(std::uint64_t generation, std::vector<Hit> hits) {
  if (generation != generation_) return;
  const int old_n = count();
  beginResetModel();  // a new answer replaces the old one: nothing to keep between them
  hits_ = std::move(hits);
  endResetModel();
  if (old_n != count()) Q_EMIT countChanged();
}

void ThreadSearchModel::set_busy(bool busy) {
  if (busy == busy_) return;
  busy_ = busy;
  Q_EMIT busyChanged();
}

int ThreadSearchModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : count();
}

QVariant ThreadSearchModel::data(const QModelIndex& index, int role) const {
  Q_ASSERT_X(QThread::currentThread() == thread(), "ThreadSearchModel::data",
             "called off the owner thread");
  if (index.parent().isValid() || index.row() < 0 || index.row() >= count()) return {};
  const Hit& h = hits_[static_cast<std::size_t>(index.row())];
  switch (role) {
    case ThreadIdRole: return qs(h.hit.thread_id);
    case MessageIdRole: return qs(h.hit.message_id);
    case SnippetRole: return qs(h.hit.snippet);
    case TitleRole: return qs(h.title);
    default: return {};
  }
}

QHash<int, QByteArray> ThreadSearchModel::roleNames() const {
  return {{ThreadIdRole, "threadId"},
          {MessageIdRole, "messageId"},
          {SnippetRole, "snippet"},
          {TitleRole, "title"}};
}

QVariantMap ThreadSearchModel::get(int row) const { return detail::row_as_map(*this, row); }

}  // namespace aui::qt
