// ThreadSearchModel over a real SQLite store: answers arrive through the dispatcher, a newer query
// makes an older answer stale, and without a store nothing is searched.

#include "aui/qt/thread_search_model.hpp"

#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QTemporaryDir>

#include "aui/stores/sqlite_store.hpp"
#include "qt_test_support.hpp"

namespace {

using aui::qt::ThreadSearchModel;
using aui::testing::Driver;

aui::ExportedMessageRepositoryItem user_message(const std::string& id, const std::string& text,
                                                std::optional<aui::Id> parent = std::nullopt) {
  auto m = std::make_shared<aui::ThreadMessage>();
  m->id = id;
  m->role = aui::Role::User;
  m->content.push_back(aui::TextPart{text});
  return {m, std::move(parent)};
}

TEST(ThreadSearchModel, FindsMessagesInTheStoreOnAWorker) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  auto store = aui::SqliteStore::open({dir.filePath(QStringLiteral("t.db")).toStdString()});
  store->history("t1")->append(user_message("a", "the lighthouse keeper"));
  store->history("t2")->append(user_message("b", "a lighthouse in the fog"));
  store->history("t2")->append(user_message("c", "unrelated words", aui::Id("b")));

  Driver driver;
  ThreadSearchModel search;
  EXPECT_FALSE(search.available());
  search.set_store(store, driver.dispatcher(), driver.executor());
  search.set_title_lookup([](const std::string& id) { return "Thread " + id; });
  EXPECT_TRUE(search.available());
  aui::qt::test::ModelSpies spies(&search);
  QSignalSpy busy(&search, &ThreadSearchModel::busyChanged);

  search.setQuery(QStringLiteral("lighthouse"));
  EXPECT_TRUE(search.busy());
  EXPECT_EQ(search.rowCount(), 0);  // nothing until the answer comes back to the owner thread
  driver.settle();
  EXPECT_FALSE(search.busy());
  EXPECT_EQ(busy.count(), 2);
  ASSERT_EQ(search.rowCount(), 2);
  QStringList threads;
  for (int row = 0; row < 2; ++row) {
    const QVariantMap hit = search.get(row);
    threads << hit["threadId"].toString();
    EXPECT_TRUE(hit["snippet"].toString().contains(QStringLiteral("[lighthouse]")));
    EXPECT_EQ(hit["title"].toString(), QStringLiteral("Thread ") + hit["threadId"].toString());
  }
  threads.sort();
  EXPECT_EQ(threads, (QStringList{QStringLiteral("t1"), QStringLiteral("t2")}));

  // Two queries in a row: only the newer answer is shown.
  search.setQuery(QStringLiteral("fog"));
  search.setQuery(QStringLiteral("keeper"));
  driver.settle();
  ASSERT_EQ(search.rowCount(), 1);
  EXPECT_EQ(search.get(0)["messageId"].toString(), QStringLiteral("a"));

  // An empty query empties the list at once.
  search.setQuery(QString());
  EXPECT_EQ(search.rowCount(), 0);
  EXPECT_FALSE(search.busy());
}

}  // namespace
