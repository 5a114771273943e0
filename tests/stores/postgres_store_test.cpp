// PostgresStore against a real PostgreSQL server on 127.0.0.1: the same store contract as SQLite,
// plus what is particular to a shared server (schema versions, many instances, bad connections).
//
// ctest starts one server for all tests (the stores.postgres_server_start fixture) and passes its
// state directory in AUI_TEST_PG_STATE; run by hand, the binary starts and stops its own.
#include "aui/stores/postgres_store.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "store_contract.hpp"

namespace aui::store_testing {
namespace {

namespace fs = std::filesystem;

std::string& server_conninfo() {
  static std::string conninfo;
  return conninfo;
}

/// Starts a private server when ctest did not provide one.
class PostgresServer : public ::testing::Environment {
 public:
  void SetUp() override {
    const char* state = std::getenv("AUI_TEST_PG_STATE");
    if (state && *state) {
      std::ifstream in(fs::path(state) / "conninfo");
      std::getline(in, server_conninfo());
      if (!server_conninfo().empty()) return;
    }
    own_state_ = fs::temp_directory_path() / ("aui-pg-state-" + std::to_string(::getpid()));
    const std::string cmd = std::string(AUI_PG_SERVER_SCRIPT) + " start " + own_state_.string();
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "could not start a PostgreSQL server";
    std::ifstream in(own_state_ / "conninfo");
    std::getline(in, server_conninfo());
    ASSERT_FALSE(server_conninfo().empty());
  }
  void TearDown() override {
    if (own_state_.empty()) return;
    const std::string cmd = std::string(AUI_PG_SERVER_SCRIPT) + " stop " + own_state_.string();
    EXPECT_EQ(std::system(cmd.c_str()), 0);
  }

 private:
  fs::path own_state_;
};

/// Runs SQL on the test server with a connection of its own; returns the first value.
std::string pg_query(const std::string& sql) {
  PGconn* c = PQconnectdb(server_conninfo().c_str());
  EXPECT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexec(c, sql.c_str());
  EXPECT_TRUE(PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK)
      << PQresultErrorMessage(r);
  std::string out =
      PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
  PQclear(r);
  PQfinish(c);
  return out;
}

/// Each test gets a schema of its own on the shared server.
std::string fresh_schema() {
  static std::atomic<int> counter{0};
  return "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
}

struct PostgresFactory {
  std::string schema = fresh_schema();
  std::shared_ptr<ThreadStore> make(std::size_t page_size = 50) {
    PostgresStoreOptions o;
    o.conninfo = server_conninfo();
    o.schema = schema;
    o.page_size = page_size;
    return PostgresStore::open(o);
  }
  /// A restart of the (single) app: it recovers interrupted replies.
  std::shared_ptr<ThreadStore> reopen() {
    PostgresStoreOptions o;
    o.conninfo = server_conninfo();
    o.schema = schema;
    o.recover_interrupted = true;
    return PostgresStore::open(o);
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, StoreContract, PostgresFactory);

PostgresStoreOptions options_for(const std::string& schema) {
  PostgresStoreOptions o;
  o.conninfo = server_conninfo();
  o.schema = schema;
  return o;
}

TEST(PostgresStore, ASchemaFromANewerVersionIsRefusedAndLeftUntouched) {
  const std::string schema = fresh_schema();
  PostgresStore::open(options_for(schema))->history("t")->append(item(user("u1", "keep me")));
  pg_query("UPDATE \"" + schema + "\".aui_schema SET version = 99");
  try {
    PostgresStore::open(options_for(schema));
    ADD_FAILURE() << "opened";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Storage);
    EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("127.0.0.1"), std::string::npos) << e.what();
  }
  EXPECT_EQ(pg_query("SELECT version FROM \"" + schema + "\".aui_schema"), "99");
  EXPECT_EQ(pg_query("SELECT count(*) FROM \"" + schema + "\".messages"), "1");
}

TEST(PostgresStore, InstancesStartingTogetherMigrateOnce) {
  const std::string schema = fresh_schema();
  std::vector<std::thread> starters;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    starters.emplace_back([&] {
      try {
        PostgresStore::open(options_for(schema));
        ++opened;
      } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
      }
    });
  }
  for (auto& t : starters) t.join();
  EXPECT_EQ(opened.load(), 4);
  // One row per step, each written once.
  EXPECT_EQ(pg_query("SELECT count(*) FROM \"" + schema + "\".aui_schema"),
            std::to_string(PostgresStore::schema_version));
  EXPECT_EQ(pg_query("SELECT count(DISTINCT version) FROM \"" + schema + "\".aui_schema"),
            std::to_string(PostgresStore::schema_version));
}

/// Turns a schema of the current version back into version 2's: a tsvector column of words with
/// its GIN index, no trigram index.
void downgrade_to_version_2(const std::string& schema) {
  const std::string q = "\"" + schema + "\".";
  pg_query("DROP INDEX " + q + "messages_body_trgm");
  pg_query("ALTER TABLE " + q +
           "messages ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) "
           "STORED");
  pg_query("CREATE INDEX ON " + q + "messages USING gin(tsv)");
  pg_query("DELETE FROM " + q + "aui_schema WHERE version = 3");
}

TEST(PostgresStore, AVersion2SchemaGetsASubstringIndexBuiltFromItsMessages) {
  const std::string schema = fresh_schema();
  const std::string q = "\"" + schema + "\".";
  {
    auto store = PostgresStore::open(options_for(schema));
    store->history("t")->append(item(user("u1", "How do I bake sourdough?")));
    store->history("t")->append(item(user("u2", "你好世界!"), Id("u1")));
  }
  downgrade_to_version_2(schema);
  ASSERT_EQ(pg_query("SELECT count(*) FROM " + q +
                     "messages WHERE tsv @@ to_tsquery('simple', 'sourdo')"),
            "0")
      << "version 2 finds whole words only";

  auto store = PostgresStore::open(options_for(schema));
  EXPECT_EQ(pg_query("SELECT max(version) FROM " + q + "aui_schema"),
            std::to_string(PostgresStore::schema_version));
  EXPECT_EQ(pg_query("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" +
                     schema + "' AND table_name = 'messages' AND column_name = 'tsv'"),
            "0");
  EXPECT_EQ(pg_query("SELECT indexdef LIKE '%gin_trgm_ops%' FROM pg_indexes WHERE schemaname = '" +
                     schema + "' AND indexname = 'messages_body_trgm'"),
            "t");
  EXPECT_EQ(store->history("t")->load().messages.size(), 2u) << "no message lost";
  ASSERT_EQ(store->search("sourdo").size(), 1u);
  EXPECT_EQ(store->search("sourdo")[0].message_id, "u1");
  EXPECT_EQ(store->search("你好")[0].message_id, "u2");
}

TEST(PostgresStore, ASubstringSearchUsesTheTrigramIndex) {
  const std::string schema = fresh_schema();
  const std::string q = "\"" + schema + "\".";
  PostgresStore::open(options_for(schema))->history("t")->append(item(user("u1", "sourdough")));
  // With sequential scans priced out, a plan that can use the index does.
  const std::string plan =
      pg_query("SET enable_seqscan = off; EXPLAIN (FORMAT JSON) SELECT id FROM " + q +
               "messages WHERE body ILIKE '%sourdo%'");
  EXPECT_NE(plan.find("messages_body_trgm"), std::string::npos) << plan;
}

TEST(PostgresStore, AVersion1SchemaMigratesAndKeepsSourceIdsFromThenOn) {
  const std::string schema = fresh_schema();
  const std::string q = "\"" + schema + "\".";
  {
    auto store = PostgresStore::open(options_for(schema));
    store->history("t")->append(item(user("u1", "from version 1")));
  }
  // Version 1 is version 2 without the source_id column (and its row in aui_schema).
  downgrade_to_version_2(schema);
  pg_query("ALTER TABLE " + q + "messages DROP COLUMN source_id");
  pg_query("DELETE FROM " + q + "aui_schema WHERE version = 2");
  auto store = PostgresStore::open(options_for(schema));
  EXPECT_EQ(pg_query("SELECT max(version) FROM " + q + "aui_schema"),
            std::to_string(PostgresStore::schema_version));
  auto regenerated = item(user("u2", "an edit"), Id("u1"));
  regenerated.source_id = "u1";
  store->history("t")->append(regenerated);
  const auto loaded = store->history("t")->load();
  ASSERT_EQ(ids_of(loaded), (std::vector<std::string>{"u1", "u2"}));
  EXPECT_EQ(loaded.messages[0].message->text(), "from version 1");
  EXPECT_EQ(loaded.messages[0].source_id, std::nullopt);
  EXPECT_EQ(loaded.messages[1].source_id, std::optional<Id>("u1"));
}

TEST(PostgresStore, AServerThatIsNotThereIsAStorageErrorWithoutThePassword) {
  PostgresStoreOptions o;
  o.conninfo = "host=127.0.0.1 port=1 dbname=chats user=app password=hunter2 connect_timeout=5";
  try {
    PostgresStore::open(o);
    ADD_FAILURE() << "connected";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.kind(), ErrorKind::Storage);
    EXPECT_NE(what.find("app@127.0.0.1:1/chats"), std::string::npos) << what;
    EXPECT_EQ(what.find("hunter2"), std::string::npos) << what;
  }
}

TEST(PostgresStore, ASchemaNameIsCheckedBeforeItReachesSql) {
  PostgresStoreOptions o = options_for("x\"; DROP TABLE users; --");
  try {
    PostgresStore::open(o);
    ADD_FAILURE() << "opened";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidArgument);
  }
}

TEST(PostgresStore, TwoInstancesSeeEachOthersThreads) {
  const std::string schema = fresh_schema();
  auto a = PostgresStore::open(options_for(schema));
  auto b = PostgresStore::open(options_for(schema));
  const auto id = a->initialize("draft").remote_id;
  a->history(id)->append(item(user("u1", "shared between instances")));
  b->rename(id, "Shared");
  EXPECT_EQ(a->fetch(id).title, "Shared");
  EXPECT_EQ(b->history(id)->load().messages.size(), 1u);
  EXPECT_EQ(b->initialize("draft").remote_id, id) << "the same draft is one thread for everyone";
  EXPECT_EQ(b->search("instances").size(), 1u);
}

TEST(PostgresStore, ALostConnectionIsMadeAgainAndNoWriteIsLost) {
  const std::string schema = fresh_schema();
  PostgresStoreOptions o = options_for(schema);
  o.conninfo += " application_name=aui_" + schema;
  auto store = PostgresStore::open(o);
  store->history("t")->append(item(user("u1", "before the server dropped us")));
  // The server ends the store's session, as a restart or a network cut would.
  auto drop = [&] {
    EXPECT_EQ(pg_query("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                       "application_name = 'aui_" +
                       schema + "'"),
              "1");
  };
  drop();
  store->history("t")->append(item(user("u2", "after it", 1), Id("u1")));  // a transaction
  drop();
  EXPECT_EQ(store->history("t")->load().messages.size(), 2u);  // a single statement
  drop();
  const auto id = store->initialize("draft").remote_id;
  EXPECT_EQ(pg_query("SELECT count(*) FROM \"" + schema + "\".threads"), "2");
  EXPECT_EQ(pg_query("SELECT count(*) FROM \"" + schema + "\".messages"), "2");
  EXPECT_EQ(store->fetch(id).remote_id, id);
}

TEST(PostgresStore, AServerThatIsGoneMidSessionIsAStorageErrorSayingSo) {
  const std::string schema = fresh_schema();
  // Every new connection is refused from now on (the database does not accept connections),
  // and the current one is dropped: the store cannot reconnect.
  pg_query("CREATE DATABASE \"" + schema + "\"");
  PostgresStoreOptions other = options_for(schema);
  other.conninfo = server_conninfo() + " dbname=" + schema + " application_name=aui_gone_" + schema;
  auto gone = PostgresStore::open(other);
  pg_query("ALTER DATABASE \"" + schema + "\" ALLOW_CONNECTIONS false");
  pg_query(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
      "application_name = 'aui_gone_" +
      schema + "'");
  try {
    gone->history("t")->append(item(user("u1", "not saved")));
    ADD_FAILURE() << "a write succeeded without a server";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Storage);
    EXPECT_NE(std::string(e.what()).find("the connection to the database server was lost"),
              std::string::npos)
        << e.what();
  }
  gone.reset();
  pg_query("DROP DATABASE \"" + schema + "\"");
}

}  // namespace
}  // namespace aui::store_testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new aui::store_testing::PostgresServer);
  return RUN_ALL_TESTS();
}
