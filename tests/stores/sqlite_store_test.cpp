// SqliteStore: the store contract, the file itself (path, WAL, schema version), bad files, and
// two processes sharing one database.
#include "aui/stores/sqlite_store.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>

#include "store_contract.hpp"

extern char** environ;

namespace aui::store_testing {
namespace {

namespace fs = std::filesystem;

/// A fresh directory under the system temp dir, removed at the end.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("aui-sqlite-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_file(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
}

/// Runs a statement on the file with a connection of its own; returns the first column of the
/// first row as text.
std::string query(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  std::string out;
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  if (s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

struct SqliteFactory {
  TempDir dir;
  fs::path file() const { return dir.path() / "aui.db"; }
  std::shared_ptr<ThreadStore> make(std::size_t page_size = 50) {
    SqliteStoreOptions o;
    o.path = file();
    o.page_size = page_size;
    return SqliteStore::open(o);
  }
  std::shared_ptr<ThreadStore> reopen() {
    SqliteStoreOptions o;
    o.path = file();
    return SqliteStore::open(o);
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreContract, SqliteFactory);

/// Expects open() to fail with Storage naming the path.
void expect_storage_error(const fs::path& path, const std::string& why_fragment = {}) {
  SqliteStoreOptions o;
  o.path = path;
  try {
    SqliteStore::open(o);
    ADD_FAILURE() << "open(" << path << ") succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Storage) << e.what();
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
    if (!why_fragment.empty()) {
      EXPECT_NE(std::string(e.what()).find(why_fragment), std::string::npos) << e.what();
    }
  }
}

TEST(SqliteStore, OpensInWalModeWithTheCurrentSchemaVersion) {
  TempDir dir;
  const auto path = dir.path() / "nested" / "deeper" / "aui.db";
  SqliteStoreOptions o;
  o.path = path;
  auto store = SqliteStore::open(o);
  EXPECT_EQ(store->path(), path);
  EXPECT_TRUE(fs::exists(path)) << "missing directories are created";
  EXPECT_EQ(query(path, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(query(path, "PRAGMA user_version"), std::to_string(SqliteStore::schema_version));
  EXPECT_EQ(query(path, "SELECT sqlite_compileoption_used('ENABLE_FTS5')"), "1");
}

TEST(SqliteStore, DefaultPathFollowsXdgDataHomeThenHome) {
  const char* old_xdg = std::getenv("XDG_DATA_HOME");
  const char* old_home = std::getenv("HOME");
  const std::string saved_xdg = old_xdg ? old_xdg : "";
  const std::string saved_home = old_home ? old_home : "";
  TempDir dir;
  ::setenv("XDG_DATA_HOME", (dir.path() / "xdg").c_str(), 1);
  ::setenv("HOME", (dir.path() / "home").c_str(), 1);
  EXPECT_EQ(default_sqlite_path(), dir.path() / "xdg" / "aui" / "aui.db");
  {
    auto store = SqliteStore::open();
    EXPECT_TRUE(fs::exists(dir.path() / "xdg" / "aui" / "aui.db"));
  }
  ::setenv("XDG_DATA_HOME", "relative/dir", 1);  // not absolute: ignored, as the XDG spec says
  EXPECT_EQ(default_sqlite_path(), dir.path() / "home" / ".local" / "share" / "aui" / "aui.db");
  ::unsetenv("XDG_DATA_HOME");
  EXPECT_EQ(default_sqlite_path(), dir.path() / "home" / ".local" / "share" / "aui" / "aui.db");
  {
    auto store = SqliteStore::open();
    EXPECT_TRUE(fs::exists(dir.path() / "home" / ".local" / "share" / "aui" / "aui.db"));
  }
  if (old_xdg) ::setenv("XDG_DATA_HOME", saved_xdg.c_str(), 1);
  if (old_home) {
    ::setenv("HOME", saved_home.c_str(), 1);
  } else {
    ::unsetenv("HOME");
  }
}

// ---- schema versions ----

// Version 1's schema exactly as aui wrote it (the released first entry of the migrations), so a
// database from that version can be made without that build.
const char* const schema_v1 = R"sql(
CREATE TABLE threads(
  remote_id TEXT PRIMARY KEY,
  local_id TEXT UNIQUE,
  external_id TEXT,
  status TEXT NOT NULL DEFAULT 'regular',
  title TEXT,
  custom TEXT,
  created_at INTEGER NOT NULL,
  last_message_at INTEGER,
  sort_at INTEGER NOT NULL
);
CREATE INDEX threads_by_recency ON threads(sort_at DESC, remote_id DESC);
CREATE TABLE messages(
  seq INTEGER PRIMARY KEY,
  thread_id TEXT NOT NULL,
  id TEXT NOT NULL,
  parent_id TEXT,
  role TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL,
  message TEXT NOT NULL,
  run_config TEXT,
  UNIQUE(thread_id, id)
);
CREATE INDEX messages_running ON messages(status) WHERE status = 'running';
CREATE INDEX messages_by_parent ON messages(thread_id, parent_id);
CREATE VIRTUAL TABLE message_fts USING fts5(body, content='messages', content_rowid='seq',
  tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
  INSERT INTO message_fts(rowid, body) VALUES (new.seq, new.body);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
  INSERT INTO message_fts(message_fts, rowid, body) VALUES ('delete', old.seq, old.body);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages WHEN old.body IS NOT new.body BEGIN
  INSERT INTO message_fts(message_fts, rowid, body) VALUES ('delete', old.seq, old.body);
  INSERT INTO message_fts(rowid, body) VALUES (new.seq, new.body);
END;
PRAGMA user_version = 1;
)sql";

/// Runs SQL on the file with a connection of its own.
void exec_sql(const fs::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

/// Writes one message row the way version 1 did.
void insert_v1_row(const fs::path& path, const std::string& thread,
                   const ExportedMessageRepositoryItem& it) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(
                db,
                "INSERT INTO messages(thread_id, id, parent_id, role, status, created_at, body, "
                "message, run_config) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                -1, &s, nullptr),
            SQLITE_OK);
  const ThreadMessage& m = *it.message;
  const std::string role(to_string(m.role));
  const std::string status(m.role == Role::Assistant ? to_string(m.status.type)
                                                     : std::string_view("complete"));
  const std::string body = m.text();
  const std::string json = to_json(m).dump();
  const std::string rc = it.run_config ? to_json(*it.run_config).dump() : std::string();
  sqlite3_bind_text(s, 1, thread.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 2, m.id.c_str(), -1, SQLITE_TRANSIENT);
  if (it.parent_id) sqlite3_bind_text(s, 3, it.parent_id->c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 4, role.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 5, status.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 6, m.created_at.time_since_epoch().count());
  sqlite3_bind_text(s, 7, body.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 8, json.c_str(), -1, SQLITE_TRANSIENT);
  if (it.run_config) sqlite3_bind_text(s, 9, rc.c_str(), -1, SQLITE_TRANSIENT);
  EXPECT_EQ(sqlite3_step(s), SQLITE_DONE) << sqlite3_errmsg(db);
  sqlite3_finalize(s);
  sqlite3_close(db);
}

/// Rows an earlier version wrote, loaded back: the same messages, parents and run configs, in
/// order, and no source id (those versions kept none).
void expect_loaded_as_written(const ThreadHistoryLoadResult& loaded,
                              const std::vector<ExportedMessageRepositoryItem>& rows) {
  ASSERT_EQ(loaded.messages.size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(*loaded.messages[i].message, *rows[i].message) << i;
    EXPECT_EQ(loaded.messages[i].parent_id, rows[i].parent_id) << i;
    EXPECT_EQ(loaded.messages[i].run_config, rows[i].run_config) << i;
    EXPECT_EQ(loaded.messages[i].source_id, std::nullopt) << i;
  }
}

TEST(SqliteStoreSchema, AVersion1DatabaseMigratesAndLoadsUnchanged) {
  TempDir dir;
  const auto path = dir.path() / "v1.db";
  exec_sql(path, schema_v1);
  exec_sql(
      path,
      "PRAGMA journal_mode=WAL; INSERT INTO threads(remote_id, status, title, created_at, sort_at) "
      "VALUES ('t', 'regular', 'Old thread', 1, 1)");
  // Rows in an order that is neither id order nor parent order, messages of several shapes
  // (the plain one, and ones the fast reader leaves to the full one), a run config.
  RunConfig rc;
  rc.custom = Json{{"temperature", 0.5}};
  auto rich = std::make_shared<ThreadMessage>(*assistant(
      "b-rich", "Let me look.",
      MessageStatus::incomplete(StatusReason::Error, Json{{"code", "x"}, {"message", "it broke"}}),
      3));
  ToolCallPart call;
  call.tool_call_id = "c1";
  call.tool_name = "search";
  call.args = Json{{"q", "paris"}};
  call.args_text = Text(R"({"q":"paris"})");
  call.result = Json{{"hits", 3}};
  rich->content.push_back(call);
  rich->metadata.custom = Json{{"pinned", true}};
  auto with_attachment = std::make_shared<ThreadMessage>(*user("c-att", "see the file", 4));
  Attachment a;
  a.id = "f1";
  a.name = "notes.txt";
  a.content_type = "text/plain";
  a.content.push_back(TextPart{Text("file text")});
  with_attachment->attachments.push_back(a);
  const std::vector<ExportedMessageRepositoryItem> rows = {
      item(user("z-first", "Bonjour", 1)),
      item(assistant("m-reply", "Salut !", MessageStatus::complete(StatusReason::Stop), 2),
           "z-first", rc),
      item(rich, "m-reply"),
      item(with_attachment, "b-rich"),
      item(assistant("a-last", "Done.", MessageStatus::complete(StatusReason::Stop), 5), "c-att"),
  };
  for (const auto& r : rows) insert_v1_row(path, "t", r);

  auto store = SqliteStore::open(SqliteStoreOptions{path});
  EXPECT_EQ(query(path, "PRAGMA user_version"), std::to_string(SqliteStore::schema_version));
  EXPECT_EQ(query(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'messages_by_thread'"),
            "1");
  EXPECT_EQ(query(path, "PRAGMA integrity_check"), "ok");
  const auto loaded = store->history("t")->load();
  expect_loaded_as_written(loaded, rows);
  EXPECT_EQ(loaded.head_id, "a-last");
  EXPECT_EQ(store->fetch("t").title, "Old thread");
  EXPECT_EQ(store->search("Salut", 10).size(), 1u) << "the search index still answers";
  // Writing after the migration keeps working, and a reopen does not migrate again.
  store->history("t")->append(item(user("n-new", "after the upgrade", 6), "a-last"));
  store.reset();
  EXPECT_EQ(ids_of(SqliteStore::open(SqliteStoreOptions{path})->history("t")->load()),
            (std::vector<std::string>{"z-first", "m-reply", "b-rich", "c-att", "a-last", "n-new"}));
}

TEST(SqliteStoreSchema, AVersion3DatabaseGetsASubstringIndexBuiltFromItsMessages) {
  // Version 3 (a word index: "sourdo" found nothing), as that build left a file.
  TempDir dir;
  const auto path = dir.path() / "v3.db";
  exec_sql(path, schema_v1);
  exec_sql(path,
           "PRAGMA journal_mode=WAL; CREATE INDEX messages_by_thread ON messages(thread_id, seq); "
           "ALTER TABLE messages ADD COLUMN source_id TEXT; PRAGMA user_version = 3; "
           "INSERT INTO threads(remote_id, status, title, created_at, sort_at) VALUES ('t', "
           "'regular', 'Old thread', 1, 1)");
  const std::vector<ExportedMessageRepositoryItem> rows = {
      item(user("u1", "How do I bake sourdough?", 1)),
      item(assistant("a1", "你好世界! Feed the starter.", MessageStatus::complete(), 2), "u1"),
  };
  for (const auto& r : rows) insert_v1_row(path, "t", r);
  ASSERT_EQ(query(path, "SELECT count(*) FROM message_fts WHERE message_fts MATCH 'sourdo'"), "0")
      << "the old index finds whole words only";

  auto store = SqliteStore::open(SqliteStoreOptions{path});
  EXPECT_EQ(query(path, "PRAGMA user_version"), std::to_string(SqliteStore::schema_version));
  EXPECT_EQ(query(path, "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(query(path,
                  "SELECT sql LIKE '%trigram%' FROM sqlite_schema WHERE name = "
                  "'message_fts'"),
            "1");
  // The index agrees with the messages it was built from (the check fails otherwise).
  exec_sql(path, "INSERT INTO message_fts(message_fts, rank) VALUES ('integrity-check', 1)");
  expect_loaded_as_written(store->history("t")->load(), rows);
  ASSERT_EQ(store->search("sourdo").size(), 1u);
  EXPECT_EQ(store->search("sourdo")[0].message_id, "u1");
  EXPECT_EQ(store->search("好世界")[0].message_id, "a1");
  EXPECT_EQ(store->search("你好")[0].message_id, "a1");
  // The triggers keep the new index up to date.
  store->history("t")->append(item(user("u2", "Rye or spelt?", 3), "a1"));
  EXPECT_EQ(store->search("spel").size(), 1u);
  store->history("t")->append(item(user("u2", "Rye or wheat?", 3), "a1"));
  EXPECT_TRUE(store->search("spel").empty());
  EXPECT_EQ(store->search("whea").size(), 1u);
}

TEST(SqliteStoreSchema, AVersion2DatabaseMigratesAndKeepsSourceIdsFromThenOn) {
  // Version 2 (before source ids): version 1 and its thread index, as that build left a file.
  TempDir dir;
  const auto path = dir.path() / "v2.db";
  exec_sql(path, schema_v1);
  exec_sql(path,
           "PRAGMA journal_mode=WAL; CREATE INDEX messages_by_thread ON messages(thread_id, seq); "
           "PRAGMA user_version = 2; INSERT INTO threads(remote_id, status, title, created_at, "
           "sort_at) VALUES ('t', 'regular', 'Old thread', 1, 1)");
  RunConfig rc;
  rc.custom = Json{{"temperature", 0.5}};
  const std::vector<ExportedMessageRepositoryItem> rows = {
      item(user("u1", "Bonjour", 1)),
      item(assistant("a1", "Salut !", MessageStatus::complete(StatusReason::Stop), 2), "u1", rc),
  };
  for (const auto& r : rows) insert_v1_row(path, "t", r);

  {
    auto store = SqliteStore::open(SqliteStoreOptions{path});
    EXPECT_EQ(query(path, "PRAGMA user_version"), std::to_string(SqliteStore::schema_version));
    EXPECT_EQ(query(path, "PRAGMA integrity_check"), "ok");
    expect_loaded_as_written(store->history("t")->load(), rows);
    auto regenerated = item(assistant("a2", "Coucou !", MessageStatus::complete(), 3), "u1");
    regenerated.source_id = "a1";
    store->history("t")->append(regenerated);
  }
  auto store = SqliteStore::open(SqliteStoreOptions{path});
  const auto loaded = store->history("t")->load();
  ASSERT_EQ(ids_of(loaded), (std::vector<std::string>{"u1", "a1", "a2"}));
  EXPECT_EQ(loaded.messages[2].source_id, std::optional<Id>("a1"));
  EXPECT_EQ(store->fetch("t").title, "Old thread");
}

TEST(SqliteStoreSchema, AThreadLoadsInWriteOrderWithoutASort) {
  TempDir dir;
  const auto path = dir.path() / "aui.db";
  { SqliteStore::open(SqliteStoreOptions{path}); }
  // The statement read_messages runs: its rows come from an index in seq order, not from a
  // temporary b-tree holding every message of the thread.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(
                db,
                "EXPLAIN QUERY PLAN SELECT id, parent_id, message, run_config FROM messages "
                "WHERE thread_id = ?1 ORDER BY seq",
                -1, &s, nullptr),
            SQLITE_OK);
  std::string plan;
  while (sqlite3_step(s) == SQLITE_ROW)
    plan += std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 3))) + "\n";
  sqlite3_finalize(s);
  sqlite3_close(db);
  EXPECT_NE(plan.find("messages_by_thread"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

TEST(SqliteStoreSchema, ACorruptStoredMessageIsAStorageErrorNamingIt) {
  // Damaged rows of the plain shape and of others: loading fails with Storage naming the thread
  // and the message, and the store stays usable.
  const std::string cases[] = {
      R"({"attachments":[],"content":[{"text":"hi","type":"text"}],"createdAt":"not a time","id":"u1","metadata":{"custom":{}},"role":"user"})",
      R"({"attachments":[],"content":[{"text":"hi","type":"text"}],"createdAt":"2026-01-01T00:00:00.000Z","id":"u1","metadata":{"custom":{}},"role":"user")",
      R"({"content":[{"text":"hi","type":"text"}],"createdAt":"2026-01-01T00:00:00.000Z","id":"u1","metadata":{"custom":{}},"role":"assistant","status":{"reason":"length","type":"complete"}})",
      R"({"content":[{"type":"tool-call"}],"createdAt":"2026-01-01T00:00:00.000Z","id":"u1","role":"assistant"})",
      "",
      "\xFF\xFE",
  };
  for (const auto& bad : cases) {
    TempDir dir;
    const auto path = dir.path() / "aui.db";
    auto store = SqliteStore::open(SqliteStoreOptions{path});
    store->history("t")->append(item(user("u1", "hi")));
    store->history("t")->append(item(user("u2", "fine"), "u1"));
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(
        sqlite3_prepare_v2(db, "UPDATE messages SET message = ?1 WHERE id = 'u1'", -1, &s, nullptr),
        SQLITE_OK);
    sqlite3_bind_text(s, 1, bad.data(), static_cast<int>(bad.size()), SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
    sqlite3_close(db);
    try {
      store->history("t")->load();
      ADD_FAILURE() << "a corrupt row loaded: " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Storage) << e.what();
      EXPECT_NE(std::string(e.what()).find("thread t message u1"), std::string::npos) << e.what();
    }
    EXPECT_EQ(store->history("other")->load().messages.size(), 0u);
  }
}

// ---- processes ----

int spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  EXPECT_EQ(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0);
  return pid;
}

int wait_exit(int pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// ---- bad stores: a clear Storage error naming the path, and the file is left as it was ----

TEST(SqliteStoreBadFiles, AFileThatIsNotADatabase) {
  TempDir dir;
  const auto path = dir.path() / "notes.txt";
  const std::string text(6000, 'x');
  write_file(path, "These are my notes, not a database.\n" + text);
  const auto before = read_file(path);
  expect_storage_error(path, "not a database");
  EXPECT_TRUE(read_file(path) == before);
  EXPECT_FALSE(fs::exists(path.string() + "-wal"));
}

TEST(SqliteStoreBadFiles, ACorruptDatabase) {
  TempDir dir;
  const auto path = dir.path() / "aui.db";
  {
    SqliteStoreOptions o;
    o.path = path;
    auto store = SqliteStore::open(o);
    for (int i = 0; i < 50; ++i)
      store->history("t")->append(item(user("u" + std::to_string(i), "text " + std::to_string(i))));
  }
  // Keep the header (so SQLite still recognises the file) and scribble over the schema page and
  // everything after it.
  std::string bytes = read_file(path);
  ASSERT_GT(bytes.size(), 8192u);
  for (std::size_t i = 100; i < bytes.size(); ++i) bytes[i] = static_cast<char>(0xA5 ^ (i * 31));
  write_file(path, bytes);
  expect_storage_error(path);
  EXPECT_TRUE(read_file(path) == bytes) << "a damaged file is never overwritten";
}

TEST(SqliteStoreBadFiles, ASchemaFromANewerVersion) {
  TempDir dir;
  const auto path = dir.path() / "aui.db";
  {
    SqliteStoreOptions o;
    o.path = path;
    auto store = SqliteStore::open(o);
    store->history("t")->append(item(user("u1", "keep me")));
  }
  query(path, "PRAGMA user_version = 99");
  const auto before = read_file(path);
  expect_storage_error(path, "schema version 99");
  EXPECT_TRUE(read_file(path) == before);
  query(path, "PRAGMA user_version = " + std::to_string(SqliteStore::schema_version));
  SqliteStoreOptions o;
  o.path = path;
  EXPECT_EQ(SqliteStore::open(o)->history("t")->load().messages.size(), 1u) << "nothing was lost";
}

TEST(SqliteStoreBadFiles, ADatabaseOfAnotherProgram) {
  TempDir dir;
  const auto path = dir.path() / "other.db";
  query(path, "CREATE TABLE invoices(id INTEGER PRIMARY KEY, amount REAL)");
  const auto before = read_file(path);
  expect_storage_error(path, "not an aui database");
  EXPECT_TRUE(read_file(path) == before);
  EXPECT_EQ(query(path, "SELECT count(*) FROM sqlite_schema"), "1") << "no tables were added";
}

TEST(SqliteStoreBadFiles, APathThatCannotBeCreated) {
  TempDir dir;
  write_file(dir.path() / "plain-file", "I am a file");
  expect_storage_error(dir.path() / "plain-file" / "aui" /
                       "aui.db");  // a file where a directory must be
  fs::create_directories(dir.path() / "a-directory");
  expect_storage_error(dir.path() / "a-directory", "is a directory");
  EXPECT_EQ(read_file(dir.path() / "plain-file"), "I am a file");
}

TEST(SqliteStoreBadFiles, AnUnreadableDirectory) {
  TempDir dir;
  const auto locked = dir.path() / "locked";
  fs::create_directories(locked);
  fs::permissions(locked, fs::perms::none);
  if (::geteuid() != 0) {
    expect_storage_error(locked / "aui.db");
  } else {
    // Root reads every directory, so the attempt runs as nobody, in a process of its own (the
    // writer program), which prints the error it got.
    const auto err = dir.path() / "stderr.txt";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const std::vector<std::string> args = {
        "/usr/sbin/runuser",          "-u", "nobody", "--", AUI_SQLITE_WRITER,
        (locked / "aui.db").string(), "t",  "a",      "1"};
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = 0;
    ASSERT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(wait_exit(pid), 1);
    const std::string printed = read_file(err);
    EXPECT_NE(printed.find("Storage: sqlite store " + (locked / "aui.db").string()),
              std::string::npos)
        << printed;
  }
  fs::permissions(locked, fs::perms::owner_all);
  EXPECT_TRUE(fs::is_empty(locked)) << "nothing was created";
}

TEST(SqliteStoreBadFiles, AStoreThatFailedToOpenLeavesOthersUsable) {
  TempDir dir;
  write_file(dir.path() / "bad.db",
             "garbage garbage garbage garbage garbage garbage garbage garbage garbage");
  expect_storage_error(dir.path() / "bad.db");
  SqliteStoreOptions o;
  o.path = dir.path() / "good.db";
  auto store = SqliteStore::open(o);
  store->history("t")->append(item(user("u1", "fine")));
  EXPECT_EQ(store->history("t")->load().messages.size(), 1u);
}

TEST(SqliteStore, TwoProcessesWritingToOneFileNeitherFailNorCorruptIt) {
  TempDir dir;
  const auto path = dir.path() / "aui.db";
  { SqliteStore::open(SqliteStoreOptions{path}); }  // created and migrated once
  constexpr int n = 300;
  const int a = spawn({AUI_SQLITE_WRITER, path.string(), "shared", "a", std::to_string(n)});
  const int b = spawn({AUI_SQLITE_WRITER, path.string(), "shared", "b", std::to_string(n)});
  // This process writes as well while the two others do.
  SqliteStoreOptions o;
  o.path = path;
  o.recover_interrupted = false;
  auto store = SqliteStore::open(o);
  for (int i = 0; i < n; ++i)
    store->history("shared")->append(item(user("c" + std::to_string(i), "written by c")));
  EXPECT_EQ(wait_exit(a), 0);
  EXPECT_EQ(wait_exit(b), 0);
  EXPECT_EQ(store->history("shared")->load().messages.size(), 3u * n);
  EXPECT_EQ(store->search("written a", 1000).size(), static_cast<std::size_t>(n));
  EXPECT_EQ(query(path, "PRAGMA integrity_check"), "ok");
}

TEST(SqliteStore, TwoProcessesMigratingANewFileAtOnce) {
  // The race (one process switching a new file to WAL while the other reads or switches it) is
  // lost only now and then: run it many times, each on a new file.
  for (int round = 0; round < 20; ++round) {
    TempDir dir;
    const auto path = dir.path() / "fresh.db";
    const int a = spawn({AUI_SQLITE_WRITER, path.string(), "x", "a", "5"});
    const int b = spawn({AUI_SQLITE_WRITER, path.string(), "x", "b", "5"});
    ASSERT_EQ(wait_exit(a), 0) << "round " << round;
    ASSERT_EQ(wait_exit(b), 0) << "round " << round;
    EXPECT_EQ(query(path, "PRAGMA user_version"), std::to_string(SqliteStore::schema_version));
    EXPECT_EQ(query(path, "SELECT count(*) FROM messages"), "10");
  }
}

// ---- damaged files: each ends with an error that says what is wrong, and the file untouched ----

/// A checkpointed database with enough threads and messages that every table and index spans
/// several pages.
void fill_for_damage(const fs::path& path) {
  SqliteStoreOptions o;
  o.path = path;
  auto store = SqliteStore::open(o);
  const std::string filler(300, 'w');
  for (int t = 0; t < 40; ++t) {
    const std::string thread = store->initialize("local-" + std::to_string(t)).remote_id;
    store->rename(thread, "thread " + std::to_string(t));
    std::vector<ExportedMessageRepositoryItem> items;
    std::optional<Id> parent;
    for (int i = 0; i < 10; ++i) {
      const std::string id = "m" + std::to_string(t) + "-" + std::to_string(i);
      items.push_back(item(user(id, "words " + std::to_string(t * 10 + i) + " " + filler), parent));
      parent = id;
    }
    store->write_messages(thread, items);
  }
}

/// The pages of each b-tree (table or index) of the file: name → page numbers.
std::map<std::string, std::vector<int>> pages_by_btree(const fs::path& path) {
  std::map<std::string, std::vector<int>> out;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT name, pageno FROM dbstat ORDER BY name, pageno", -1, &s,
                         nullptr) == SQLITE_OK) {
    while (sqlite3_step(s) == SQLITE_ROW) {
      out[reinterpret_cast<const char*>(sqlite3_column_text(s, 0))].push_back(
          sqlite3_column_int(s, 1));
    }
  } else {
    // No dbstat in this SQLite: the root page of each b-tree.
    sqlite3_finalize(s);
    EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT name, rootpage FROM sqlite_schema WHERE rootpage > 0",
                                 -1, &s, nullptr),
              SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
      out[reinterpret_cast<const char*>(sqlite3_column_text(s, 0))].push_back(
          sqlite3_column_int(s, 1));
    }
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

/// Overwrites page `page` (1-based, 4 KiB pages) with bytes no b-tree page holds.
std::string damage_page(const std::string& bytes, int page) {
  std::string out = bytes;
  const std::size_t at = static_cast<std::size_t>(page - 1) * 4096;
  for (std::size_t i = at; i < at + 4096 && i < out.size(); ++i)
    out[i] = static_cast<char>(0x5A ^ (i * 131));
  return out;
}

/// Expects open() or verify() to fail with SqliteDamagedError saying the file is damaged.
void expect_damaged(const fs::path& path, const std::string& what) {
  SqliteStoreOptions o;
  o.path = path;
  try {
    // open() finds some damage at once; the integrity check it starts finds the rest.
    SqliteStore::open(o)->verify();
    ADD_FAILURE() << what << ": open succeeded";
  } catch (const SqliteDamagedError& e) {
    EXPECT_EQ(e.path(), path);
    const std::string message = e.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    EXPECT_NE(message.find("damaged"), std::string::npos) << what << ": " << message;
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << ": not a SqliteDamagedError: " << e.what();
  }
}

TEST(SqliteStoreDamage, ADamagedPageOfEachTableAndIndexIsFoundOnOpen) {
  TempDir dir;
  const auto good = dir.path() / "good.db";
  fill_for_damage(good);
  const std::string bytes = read_file(good);
  ASSERT_EQ(bytes.size() % 4096, 0u);
  const auto btrees = pages_by_btree(good);
  // Every kind of b-tree aui's schema has: the two tables, their indexes (explicit, primary key
  // and unique ones), and each shadow table of the full-text index.
  for (const char* name :
       {"threads", "messages", "threads_by_recency", "messages_by_parent", "messages_by_thread",
        "messages_running", "sqlite_autoindex_threads_1", "sqlite_autoindex_threads_2",
        "sqlite_autoindex_messages_1", "message_fts_data", "message_fts_idx", "message_fts_docsize",
        "message_fts_config"}) {
    ASSERT_TRUE(btrees.count(name)) << name;
  }
  for (const auto& [name, pages] : btrees) {
    for (int page : {pages.front(), pages[pages.size() / 2], pages.back()}) {
      if (page == 1) continue;  // the header page: its own test below
      const auto path = dir.path() / ("damaged-" + name + "-" + std::to_string(page) + ".db");
      const std::string damaged = damage_page(bytes, page);
      write_file(path, damaged);
      expect_damaged(path, name + " page " + std::to_string(page));
      EXPECT_TRUE(read_file(path) == damaged) << name << ": the damaged file was written to";
      fs::remove(path);
    }
  }
}

TEST(SqliteStoreDamage, FourKilobytesOverwrittenInTheMiddle) {
  TempDir dir;
  const auto path = dir.path() / "aui.db";
  fill_for_damage(path);
  std::string bytes = read_file(path);
  const std::size_t middle = bytes.size() / 2;
  for (std::size_t i = middle; i < middle + 4096; ++i) bytes[i] = static_cast<char>(i * 7);
  write_file(path, bytes);
  expect_damaged(path, "4 KB in the middle");
  EXPECT_TRUE(read_file(path) == bytes);
  // An app that does not call verify() may read what is readable, but its first save fails
  // saying why instead of writing to the damaged file.
  try {
    SqliteStoreOptions o;
    o.path = path;
    auto store = SqliteStore::open(o);
    store->history("new-thread")->append(item(user("n1", "a new conversation")));
    ADD_FAILURE() << "a message was written to a damaged file";
  } catch (const SqliteDamagedError& e) {
    EXPECT_NE(std::string(e.what()).find("damaged"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(read_file(path) == bytes) << "the damaged file was written to";
}

TEST(SqliteStoreDamage, ADamagedSchemaPage) {
  TempDir dir;
  const auto path = dir.path() / "aui.db";
  fill_for_damage(path);
  std::string bytes = read_file(path);
  for (std::size_t i = 100; i < 4096; ++i) bytes[i] = static_cast<char>(i * 13);
  write_file(path, bytes);
  expect_damaged(path, "page 1");
  EXPECT_TRUE(read_file(path) == bytes);
}

TEST(SqliteStoreDamage, ATruncatedFile) {
  TempDir dir;
  const auto path = dir.path() / "aui.db";
  fill_for_damage(path);
  const std::string whole = read_file(path);
  for (std::size_t size : {whole.size() / 2, whole.size() - 4096, std::size_t{4096 * 3}}) {
    const std::string cut = whole.substr(0, size);
    write_file(path, cut);
    expect_damaged(path, "truncated to " + std::to_string(size));
    EXPECT_TRUE(read_file(path) == cut);
    EXPECT_FALSE(fs::exists(path.string() + "-wal") && fs::file_size(path.string() + "-wal") > 0);
  }
}

TEST(SqliteStoreDamage, RecoverCopiesWhatIsReadableAndKeepsTheDamagedFile) {
  TempDir dir;
  const auto path = dir.path() / "aui.db";
  fill_for_damage(path);
  const auto btrees = pages_by_btree(path);
  const auto& message_pages = btrees.at("messages");
  ASSERT_GT(message_pages.size(), 4u);
  // A leaf of the messages table and a page of the full-text index.
  std::string damaged = damage_page(read_file(path), message_pages[message_pages.size() / 2]);
  damaged = damage_page(damaged, btrees.at("message_fts_data").back());
  write_file(path, damaged);
  expect_damaged(path, "before recovery");

  const SqliteRecovery r = SqliteStore::recover(path);
  EXPECT_EQ(r.threads, 40u);
  EXPECT_GT(r.messages, 300u) << "most messages are on pages that are fine";
  EXPECT_LT(r.messages, 400u) << "one page of messages was lost";
  EXPECT_GE(r.unreadable, 1u);
  EXPECT_TRUE(read_file(r.damaged_kept_as) == damaged) << "the damaged file is kept, unchanged";
  EXPECT_NE(r.damaged_kept_as.filename().string().find("aui.db.damaged-"), std::string::npos);

  SqliteStoreOptions o;
  o.path = path;
  auto store = SqliteStore::open(o);  // the recovered file passes the check
  EXPECT_EQ(query(path, "PRAGMA integrity_check"), "ok");
  std::size_t loaded = 0;
  std::optional<std::string> cursor;
  do {
    auto page = store->list(cursor);
    for (const auto& t : page.threads) {
      EXPECT_TRUE(t.title && t.title->rfind("thread ", 0) == 0);
      loaded += store->history(t.remote_id)->load().messages.size();
    }
    cursor = page.next_cursor;
  } while (cursor);
  EXPECT_GT(loaded, 0u);
  EXPECT_FALSE(store->search("words", 5).empty()) << "the full-text index was rebuilt";
  // And it takes new messages.
  store->history("new")->append(item(user("n1", "saved after recovery")));
  EXPECT_EQ(store->search("recovery", 5).size(), 1u);
}

TEST(SqliteStoreDamage, RecoverKeepsSourceIdsAndReadsFilesOfEarlierVersions) {
  TempDir dir;
  // A current file: the source id is copied.
  const auto current = dir.path() / "current.db";
  {
    auto store = SqliteStore::open(SqliteStoreOptions{current});
    store->history("t")->append(item(user("u1", "first")));
    auto edited = item(user("u2", "second"));
    edited.source_id = "u1";
    store->history("t")->append(edited);
  }
  SqliteRecovery r = SqliteStore::recover(current);
  EXPECT_EQ(r.messages, 2u);
  {
    const auto loaded = SqliteStore::open(SqliteStoreOptions{current})->history("t")->load();
    ASSERT_EQ(loaded.messages.size(), 2u);
    EXPECT_EQ(loaded.messages[1].source_id, std::optional<Id>("u1"));
  }
  // A file of version 2, which has no source_id column: its messages are copied all the same.
  const auto old = dir.path() / "v2.db";
  exec_sql(old, schema_v1);
  exec_sql(old,
           "CREATE INDEX messages_by_thread ON messages(thread_id, seq); PRAGMA user_version = 2; "
           "INSERT INTO threads(remote_id, status, created_at, sort_at) VALUES ('t', 'regular', "
           "1, 1)");
  insert_v1_row(old, "t", item(user("u1", "from version 2")));
  r = SqliteStore::recover(old);
  EXPECT_EQ(r.messages, 1u);
  const auto loaded = SqliteStore::open(SqliteStoreOptions{old})->history("t")->load();
  ASSERT_EQ(loaded.messages.size(), 1u);
  EXPECT_EQ(loaded.messages[0].message->text(), "from version 2");
  EXPECT_EQ(loaded.messages[0].source_id, std::nullopt);
}

TEST(SqliteStoreDamage, AWalLeftBehindByACrashIsReadNotLost) {
  TempDir dir;
  const auto path = dir.path() / "aui.db";
  const auto copy = dir.path() / "copy.db";
  {
    SqliteStoreOptions o;
    o.path = path;
    auto store = SqliteStore::open(o);
    store->history("t")->append(item(user("u1", "checkpointed")));
    query(path, "PRAGMA wal_checkpoint(TRUNCATE)");
    store->history("t")->append(item(user("u2", "only in the WAL"), Id("u1")));
    // The files as a crash (kill -9) leaves them: the database and its WAL, not checkpointed.
    fs::copy_file(path, copy);
    fs::copy_file(path.string() + "-wal", copy.string() + "-wal");
  }
  ASSERT_GT(fs::file_size(copy.string() + "-wal"), 0u);
  SqliteStoreOptions o;
  o.path = copy;
  auto store = SqliteStore::open(o);
  EXPECT_EQ(store->history("t")->load().messages.size(), 2u) << "the WAL's commit is kept";
}

TEST(SqliteStoreDamage, ADamagedWalLeftBehindLosesOnlyItsOwnWrites) {
  TempDir dir;
  const auto path = dir.path() / "aui.db";
  const auto copy = dir.path() / "copy.db";
  {
    SqliteStoreOptions o;
    o.path = path;
    auto store = SqliteStore::open(o);
    store->history("t")->append(item(user("u1", "checkpointed")));
    query(path, "PRAGMA wal_checkpoint(TRUNCATE)");
    store->history("t")->append(item(user("u2", "only in the WAL"), Id("u1")));
    fs::copy_file(path, copy);
    std::string wal = read_file(path.string() + "-wal");
    ASSERT_GT(wal.size(), 32u + 24u);
    for (std::size_t i = 32 + 24; i < wal.size(); ++i) wal[i] = static_cast<char>(i * 3);
    write_file(copy.string() + "-wal", wal);
  }
  const std::string before = read_file(copy);
  {
    SqliteStoreOptions o;
    o.path = copy;
    auto store = SqliteStore::open(o);
    // SQLite cannot tell a damaged WAL from one whose last write never finished: it ignores the
    // frames that fail their checksum, so the file opens as it was at the last checkpoint.
    EXPECT_EQ(store->history("t")->load().messages.size(), 1u);
  }
  EXPECT_TRUE(read_file(copy) == before) << "no damaged frame was copied into the file";
}

/// A small tmpfs mounted on a directory of its own (root only); unmounted at the end.
class SmallDisk {
 public:
  explicit SmallDisk(const fs::path& dir, const std::string& size) : dir_(dir) {
    fs::create_directories(dir);
    mounted_ = ::mount("tmpfs", dir.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  bool remount_read_only() {
    return ::mount(nullptr, dir_.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) == 0;
  }

 private:
  fs::path dir_;
  bool mounted_ = false;
  std::string error_;
};

TEST(SqliteStoreDamage, AReadOnlyFileIsRefusedUntouched) {
  TempDir dir;
  const auto disk_dir = dir.path() / "disk";
  std::optional<SmallDisk> disk;
  fs::path path;
  if (::geteuid() == 0) {
    // Root writes any file whatever its mode: a read-only disk is what stops it. Room for the
    // file and its WAL (the trigram index of schema 4 made 4 MB too small).
    disk.emplace(disk_dir, "16m");
    if (!disk->mounted()) GTEST_SKIP() << "cannot mount a tmpfs here: " << disk->error();
    path = disk_dir / "aui.db";
  } else {
    path = dir.path() / "aui.db";
  }
  fill_for_damage(path);
  const std::string before = read_file(path);
  if (disk) {
    ASSERT_TRUE(disk->remount_read_only()) << std::strerror(errno);
  } else {
    fs::permissions(path, fs::perms::owner_read);
  }
  expect_storage_error(path, "read-only");
  EXPECT_TRUE(read_file(path) == before);
}

TEST(SqliteStoreDamage, AFullDiskFailsTheWriteSayingSoAndKeepsTheFile) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root";
  TempDir dir;
  const auto disk_dir = dir.path() / "disk";
  SmallDisk disk(disk_dir, "2m");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here: " << disk.error();
  const auto path = disk_dir / "aui.db";
  {
    SqliteStoreOptions o;
    o.path = path;
    auto store = SqliteStore::open(o);
    store->history("t")->append(item(user("u1", "saved before the disk filled up")));
  }
  const std::string before = read_file(path);
  // Fill the disk, leaving room for the WAL index but not for a big message.
  {
    std::ofstream filler(disk_dir / "filler", std::ios::binary);
    const std::string block(64 * 1024, 'f');
    while (fs::space(disk_dir).available > 192 * 1024 && filler.write(block.data(), block.size())) {
    }
  }
  SqliteStoreOptions o;
  o.path = path;
  std::string message;
  try {
    auto store = SqliteStore::open(o);
    store->history("t")->append(item(user("u2", std::string(1 << 20, 'x')), Id("u1")));
    ADD_FAILURE() << "a 1 MiB message fit on a full disk";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Storage);
    message = e.what();
  }
  EXPECT_NE(message.find("the disk is full"), std::string::npos) << message;
  EXPECT_TRUE(read_file(path) == before) << "the failed write left the file as it was";
  fs::remove(disk_dir / "filler");
  auto store = SqliteStore::open(o);
  EXPECT_EQ(store->history("t")->load().messages.size(), 1u);
}

}  // namespace
}  // namespace aui::store_testing
