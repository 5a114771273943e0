#include "aui/stores/sqlite_store.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <iterator>
#include <limits>
#include <mutex>
#include <system_error>
#include <utility>

#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"

namespace aui {

namespace fs = std::filesystem;

std::filesystem::path default_sqlite_path() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg && *xdg && fs::path(xdg).is_absolute()) return fs::path(xdg) / "aui" / "aui.db";
  const char* home = std::getenv("HOME");
  if (!home || !*home) {
    throw Error(ErrorKind::Storage,
                "no default database path: neither XDG_DATA_HOME nor HOME is set");
  }
  return fs::path(home) / ".local" / "share" / "aui" / "aui.db";
}

namespace {

// The schema, one entry per version: migrations[v] takes a database at version v to v + 1.
// Never edit a released entry; add a new one and bump SqliteStore::schema_version.
const char* const migrations[] = {
    // 0 → 1
    R"sql(
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
)sql",
    // 1 → 2: a thread's messages in write order straight from an index. Without it, loading a
    // thread found its rows through messages_by_parent (in parent-id order, one table lookup
    // each) and then sorted all of them, bodies included, by seq in a temporary b-tree.
    R"sql(
CREATE INDEX messages_by_thread ON messages(thread_id, seq);
)sql",
    // 2 → 3: the sourceId a message was made with (an edit's original, a regenerated reply),
    // which history items carry (ExportedMessageRepositoryItem::source_id). Rows of older
    // versions have none (NULL).
    R"sql(
ALTER TABLE messages ADD COLUMN source_id TEXT;
)sql",
    // 3 → 4: search finds substrings ("sourdo" in "sourdough", 你好 in 你好世界): the index holds
    // trigrams, case-folded, instead of unicode61's whole words. The index is external content
    // (the text stays in messages), so it is rebuilt from the stored messages, in the
    // migration's transaction.
    R"sql(
DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
DROP TABLE message_fts;
CREATE VIRTUAL TABLE message_fts USING fts5(body, content='messages', content_rowid='seq',
  tokenize='trigram case_sensitive 0');
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
INSERT INTO message_fts(message_fts) VALUES ('rebuild');
)sql",
};
static_assert(std::size(migrations) == SqliteStore::schema_version);

/// What an SQLite result code means for the person whose file it is; empty when the code says
/// nothing more than SQLite's own message.
std::string explain_sqlite_code(int code) {
  switch (code & 0xff) {
    case SQLITE_CORRUPT: return "the database file is damaged";
    case SQLITE_NOTADB: return "the file is not a database, or its first page is damaged";
    case SQLITE_FULL: return "the disk is full";
    case SQLITE_READONLY:
      return "the database file cannot be written (it, or its disk, is read-only)";
    case SQLITE_IOERR: return "the disk reported an error while reading or writing the file";
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return "another program keeps the database locked";
    case SQLITE_CANTOPEN: return "the file cannot be opened";
    case SQLITE_PERM:
    case SQLITE_AUTH: return "permission denied";
    default: return {};
  }
}

bool is_damage(int code) {
  return (code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB;
}

bool is_busy(int code) { return (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED; }

std::int64_t to_millis(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp from_millis(std::int64_t ms) { return Timestamp(std::chrono::milliseconds(ms)); }

}  // namespace

// ---------------------------------------------------------------------------------------------

struct SqliteStore::Impl {
  SqliteStoreOptions options;
  std::string where;  // "sqlite store <path>" for messages
  sqlite3* db = nullptr;
  std::mutex mutex;  // one call at a time on the connection

  ~Impl() {
    if (db) sqlite3_close_v2(db);
  }

  int last_code = SQLITE_OK;  // the extended result code of the last failure

  [[noreturn]] void fail(const std::string& what, int rc = SQLITE_ERROR) {
    const int code = db ? sqlite3_extended_errcode(db) : rc;
    last_code = code == SQLITE_OK ? rc : code;
    std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    raise(what, last_code, detail);
  }

  /// Throws Storage (or SqliteDamagedError for a damaged file) saying what failed in words, with
  /// SQLite's own message in parentheses for the log.
  [[noreturn]] void raise(const std::string& what, int code, const std::string& detail) const {
    const std::string words = explain_sqlite_code(code);
    std::string message = where + ": " + what + ": ";
    message += words.empty() ? detail : words + " (" + detail + ")";
    if (is_damage(code)) {
      // A connection that met damage does not checkpoint on close: no page of a WAL left
      // behind is copied into the damaged file.
      if (db) sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
      throw SqliteDamagedError(options.path, message);
    }
    throw Error(ErrorKind::Storage, message);
  }

  /// A prepared statement, finalized when it goes out of scope. Statements are cheap to prepare
  /// next to the cost of a durable commit, and keeping none cached keeps the connection simple.
  class Stmt {
   public:
    Stmt(Impl& impl, const char* sql) : impl_(impl) {
      const int rc = sqlite3_prepare_v2(impl.db, sql, -1, &stmt_, nullptr);
      if (rc != SQLITE_OK) impl.fail("cannot read the database", rc);
    }
    ~Stmt() { sqlite3_finalize(stmt_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& bind(int i, const std::string& s) {
      check(sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT));
      return *this;
    }
    Stmt& bind(int i, const char* s) { return bind(i, std::string(s)); }
    Stmt& bind(int i, std::int64_t v) {
      check(sqlite3_bind_int64(stmt_, i, v));
      return *this;
    }
    Stmt& bind(int i, const std::optional<std::string>& s) {
      if (s) return bind(i, *s);
      check(sqlite3_bind_null(stmt_, i));
      return *this;
    }
    Stmt& bind(int i, const std::optional<std::int64_t>& v) {
      if (v) return bind(i, *v);
      check(sqlite3_bind_null(stmt_, i));
      return *this;
    }
    /// true while there is a row.
    bool step() {
      const int rc = sqlite3_step(stmt_);
      if (rc == SQLITE_ROW) return true;
      if (rc == SQLITE_DONE) return false;
      impl_.fail("a statement failed", rc);
    }
    void run() {
      while (step()) {
      }
    }
    /// Makes the statement ready to run again with new values.
    void reset() {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
    bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
    std::string text(int col) const {
      const auto* p = sqlite3_column_text(stmt_, col);
      return p ? std::string(reinterpret_cast<const char*>(p),
                             static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
               : std::string();
    }
    /// The column's text without a copy; valid until the next step or reset.
    std::string_view view(int col) const {
      const auto* p = sqlite3_column_text(stmt_, col);
      return p ? std::string_view(reinterpret_cast<const char*>(p),
                                  static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
               : std::string_view();
    }
    std::optional<std::string> opt_text(int col) const {
      if (is_null(col)) return std::nullopt;
      return text(col);
    }
    std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }

   private:
    void check(int rc) {
      if (rc != SQLITE_OK) impl_.fail("cannot bind a value", rc);
    }
    Impl& impl_;
    sqlite3_stmt* stmt_ = nullptr;
  };

  void exec(const char* sql, const char* what) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string detail = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      const int code = sqlite3_extended_errcode(db);
      last_code = code == SQLITE_OK ? rc : code;
      raise(what, last_code, detail);
    }
  }

  /// Runs `f` in a write transaction. BEGIN IMMEDIATE takes the write lock up front, so a busy
  /// database is waited for (busy_timeout) instead of failing later when a read would have to be
  /// upgraded to a write.
  template <class F>
  auto write(const char* what, F&& f) {
    await_check();  // a damaged file is never written to
    exec("BEGIN IMMEDIATE", what);
    try {
      if constexpr (std::is_void_v<decltype(f())>) {
        f();
        exec("COMMIT", what);
      } else {
        auto result = f();
        exec("COMMIT", what);
        return result;
      }
    } catch (...) {
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  void open() {
    const fs::path& path = options.path;
    std::error_code ec;
    const fs::path dir = path.parent_path();
    if (!dir.empty() && !fs::exists(dir, ec)) {
      fs::create_directories(dir, ec);
      if (ec)
        throw Error(ErrorKind::Storage,
                    where + ": cannot create the directory " + dir.string() + ": " + ec.message());
    }
    if (fs::is_directory(path, ec))
      throw Error(ErrorKind::Storage, where + ": is a directory, not a database file");
    // A file (or folder, which must take the -wal and -shm files) this process may not write is
    // refused before SQLite would open it read-only and fail at the first save.
    if (fs::exists(path, ec) && ::access(path.c_str(), W_OK) != 0) {
      const int err = errno;
      throw Error(ErrorKind::Storage,
                  where + ": the database file cannot be written (" + std::strerror(err) +
                      "; it, or its disk, is read-only); it was left untouched");
    }
    if (fs::exists(path, ec) && ::access(dir.empty() ? "." : dir.c_str(), W_OK) != 0) {
      const int err = errno;
      throw Error(ErrorKind::Storage, where + ": the folder " + dir.string() +
                                          " cannot be written (" + std::strerror(err) +
                                          "); the database was left untouched");
    }
    const int rc =
        sqlite3_open_v2(path.c_str(), &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) fail("cannot open the database", rc);
    // The busy timeout comes before any statement, so that every one of them waits for another
    // process opening the same file.
    sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
    sqlite3_extended_result_codes(db, 1);
    try {
      // Some locks taken while another process switches a new file to WAL are not waited for by
      // the busy handler (SQLite returns SQLITE_BUSY at once): the reads and the switch are
      // retried until busy_timeout has passed.
      const auto deadline = std::chrono::steady_clock::now() + options.busy_timeout;
      int version = 0;
      for (int attempt = 0;; ++attempt) {
        try {
          last_code = SQLITE_OK;
          version = check_and_switch_to_wal();
          break;
        } catch (const Error&) {
          if (!is_busy(last_code) || std::chrono::steady_clock::now() >= deadline) throw;
          sqlite3_sleep(std::min(1 + attempt, 20));
        }
      }
      exec(options.sync_every_commit ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL",
           "cannot set synchronous");
      check_due = version > 0;  // a new file has nothing to check
      // A file at the current version needs no write at all to open.
      if (version < schema_version) migrate();
    } catch (...) {
      // Closing the last connection would checkpoint a WAL left behind into the file: a file
      // that failed to open is not written to.
      sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
      throw;
    }
  }

  // Read before writing anything: a file that is not a database (or is damaged) fails here, one
  // from a newer aui is refused before it could be touched, and a read-only file is refused
  // before a write would fail in the middle of a conversation.
  int check_and_switch_to_wal() {
    int version = 0;
    std::int64_t objects = 0;
    {
      // One read snapshot for both (the first statement stays open while the second runs): a
      // process migrating the same new file may commit between two separate reads, and a file
      // read as version 0 must then not be judged by the tables that commit added.
      Stmt s(*this, "SELECT count(*) FROM sqlite_schema");
      s.step();
      objects = s.integer(0);
      Stmt v(*this, "PRAGMA user_version");
      if (v.step()) version = static_cast<int>(v.integer(0));
    }
    if (version > schema_version) {
      throw Error(ErrorKind::Storage,
                  where + ": the database has schema version " + std::to_string(version) +
                      ", newer than this build knows (" + std::to_string(schema_version) +
                      "); it was left untouched");
    }
    if (version > 0) check_is_ours();
    if (sqlite3_db_readonly(db, "main") == 1) {
      last_code = SQLITE_READONLY;
      raise("cannot open the database for writing", SQLITE_READONLY,
            "opened read-only; it was left untouched");
    }
    if (version == 0) refuse_unless_empty(objects);  // before WAL mode, which rewrites the header
    Stmt wal(*this, "PRAGMA journal_mode=WAL");
    if (wal.step() && wal.text(0) != "wal") {
      last_code = SQLITE_BUSY;  // another connection is in the way: try again
      raise("cannot switch to write-ahead logging", SQLITE_BUSY, "journal mode " + wal.text(0));
    }
    return version;
  }

  // ---- the integrity check: PRAGMA quick_check on a connection of its own ----
  //
  // It reads every page of the file, which costs about as much as loading every thread (some
  // 20 ms of CPU for 10,000 messages): it runs before the first write of this connection (or at
  // verify()), not in open(), so that opening and loading a thread are not slowed down, and a
  // damaged file is never written to. A damaged page of a table, an index or the full-text index
  // is found before the first save instead of failing it in the middle of a conversation.

  std::mutex check_mutex;
  bool check_due = false;             // an existing file that was not checked yet
  std::optional<std::string> damage;  // what the check found

  /// Runs the check if it is due; SqliteDamagedError when it found damage (then and later).
  void await_check() {
    std::lock_guard lock(check_mutex);
    if (check_due) {
      check_due = false;
      if (options.integrity_check_budget.count() > 0) damage = run_check();
    }
    if (damage) {
      sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
      throw SqliteDamagedError(options.path, *damage);
    }
  }

  /// PRAGMA quick_check within integrity_check_budget; what it found wrong, if anything. A file
  /// too big to check in the budget is checked in part: damage in the rest is reported by the
  /// call that meets it.
  std::optional<std::string> run_check() {
    sqlite3* c = nullptr;
    if (sqlite3_open_v2(options.path.c_str(), &c, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      sqlite3_close_v2(c);
      return std::nullopt;  // the store's own connection meets whatever is wrong
    }
    sqlite3_busy_timeout(c, static_cast<int>(options.busy_timeout.count()));
    auto deadline = std::chrono::steady_clock::now() + options.integrity_check_budget;
    sqlite3_progress_handler(
        c, 1000,
        [](void* p) {
          const auto* d = static_cast<const std::chrono::steady_clock::time_point*>(p);
          return std::chrono::steady_clock::now() >= *d ? 1 : 0;
        },
        &deadline);
    std::string problems;
    int code = SQLITE_OK;
    sqlite3_stmt* stmt = nullptr;
    code = sqlite3_prepare_v2(c, "PRAGMA quick_check(5)", -1, &stmt, nullptr);
    while (code == SQLITE_OK) {
      const int step = sqlite3_step(stmt);
      if (step != SQLITE_ROW) {
        code = step == SQLITE_DONE ? SQLITE_OK : sqlite3_extended_errcode(c);
        break;
      }
      const auto* text = sqlite3_column_text(stmt, 0);
      const std::string line = text ? reinterpret_cast<const char*>(text) : "";
      if (line == "ok") continue;
      if (!problems.empty()) problems += "; ";
      problems += line;
    }
    const std::string detail = sqlite3_errmsg(c);
    sqlite3_finalize(stmt);
    sqlite3_close_v2(c);
    if (problems.empty() && is_damage(code)) problems = detail;
    if (problems.empty()) return std::nullopt;
    return where + ": the integrity check failed: " + explain_sqlite_code(SQLITE_CORRUPT) + " (" +
           problems + "); nothing was written to it";
  }

  /// A file with a user_version but none of our tables belongs to another program.
  void check_is_ours() {
    Stmt s(*this,
           "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('threads', "
           "'messages')");
    s.step();
    if (s.integer(0) != 2) {
      throw Error(ErrorKind::Storage, where +
                                          ": not an aui database (it has a schema version but not "
                                          "aui's tables); it was left untouched");
    }
  }

  /// A file at version 0 must be empty: a database of another program (user_version 0 but
  /// tables of its own) is not ours to add tables to.
  void check_is_empty() {
    Stmt n(*this, "SELECT count(*) FROM sqlite_schema");
    n.step();
    refuse_unless_empty(n.integer(0));
  }
  void refuse_unless_empty(std::int64_t objects) const {
    if (objects != 0) {
      throw Error(ErrorKind::Storage,
                  where + ": not an aui database (it holds other tables); it was left untouched");
    }
  }

  void migrate() {
    for (;;) {
      // Another process may be migrating at the same time: re-read the version under the write
      // lock and apply one step per transaction.
      const bool done = write("cannot migrate the schema", [&] {
        // The statement is finished before the step runs: a DROP TABLE fails ("database table
        // is locked") while a statement of the connection is still reading.
        const int version = [&] {
          Stmt v(*this, "PRAGMA user_version");
          v.step();
          return static_cast<int>(v.integer(0));
        }();
        if (version >= schema_version) return true;
        if (version == 0) check_is_empty();
        exec(migrations[version], "cannot migrate the schema");
        exec(("PRAGMA user_version = " + std::to_string(version + 1)).c_str(),
             "cannot set the schema version");
        return false;
      });
      if (done) return;
    }
  }

  RemoteThreadMetadata read_thread(Stmt& s) const {
    RemoteThreadMetadata m;
    m.remote_id = s.text(0);
    m.external_id = s.opt_text(1);
    m.status = s.text(2) == "archived" ? ThreadStatus::Archived : ThreadStatus::Regular;
    m.title = s.opt_text(3);
    if (auto custom = s.opt_text(4))
      m.custom = parse_json(*custom, where + " custom of thread " + m.remote_id);
    if (!s.is_null(5)) m.last_message_at = from_millis(s.integer(5));
    return m;
  }

  /// Runs an UPDATE of one thread by remote id; ThreadNotFound when it matched nothing.
  void update_thread(const char* sql, const std::string& remote_id,
                     const std::function<void(Stmt&)>& bind_rest, const char* what) {
    write(what, [&] {
      Stmt s(*this, sql);
      s.bind(1, remote_id);
      bind_rest(s);
      s.run();
      if (sqlite3_changes(db) == 0)
        throw Error(ErrorKind::ThreadNotFound, "no thread with remote id " + remote_id);
    });
  }
};

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteStore::~SqliteStore() = default;

std::shared_ptr<SqliteStore> SqliteStore::open(SqliteStoreOptions options) {
  if (options.path.empty()) options.path = default_sqlite_path();
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->where = "sqlite store " + impl->options.path.string();
  if (impl->options.page_size == 0) impl->options.page_size = 1;
  impl->open();
  auto store = std::make_shared<SqliteStore>(std::move(impl));
  if (store->impl_->options.recover_interrupted) store->recover_interrupted();
  return store;
}

const std::filesystem::path& SqliteStore::path() const noexcept { return impl_->options.path; }

void SqliteStore::verify() { impl_->await_check(); }

namespace {

const char* const thread_columns = "remote_id, external_id, status, title, custom, last_message_at";

/// A word as an FTS5 string ("" escapes a quote), so nothing the user types is query syntax.
std::string fts_string(const std::string& word) {
  std::string out = "\"";
  for (char c : word) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::vector<ThreadSearchHit> SqliteStore::search(const std::string& query, std::size_t limit) {
  std::vector<ThreadSearchHit> hits;
  const auto words = search_words(query);
  if (words.empty() || limit == 0) return hits;
  // Words of three characters or more go to the trigram index (their phrases ANDed); shorter
  // ones have no trigram and are checked with LIKE, on the index's candidates when there are
  // long words, else over every message (newest first, so the scan stops at `limit` hits).
  std::string match;
  std::vector<std::string> patterns;
  for (const auto& w : words) {
    if (search_word_length(w) >= 3) {
      if (!match.empty()) match += ' ';
      match += fts_string(w);
    } else {
      patterns.push_back(substring_like_pattern(w));
    }
  }
  std::string sql = match.empty()
                        ? "SELECT m.thread_id, m.id, m.body FROM messages m WHERE 1"
                        : "SELECT m.thread_id, m.id, m.body FROM message_fts JOIN messages m ON "
                          "m.seq = message_fts.rowid WHERE message_fts MATCH ?1";
  for (std::size_t i = 0; i < patterns.size(); ++i)
    sql += " AND m.body LIKE ?" + std::to_string(i + 3) + " ESCAPE '\\'";
  // Newest first, in the index's own order when it is used: FTS5 then walks its rowids
  // downwards and stops at `limit` hits, with no sort of every match.
  sql +=
      match.empty() ? " ORDER BY m.seq DESC LIMIT ?2" : " ORDER BY message_fts.rowid DESC LIMIT ?2";
  std::lock_guard lock(impl_->mutex);
  Impl::Stmt s(*impl_, sql.c_str());
  if (!match.empty()) s.bind(1, match);
  s.bind(2, static_cast<std::int64_t>(limit));
  for (std::size_t i = 0; i < patterns.size(); ++i) s.bind(static_cast<int>(i + 3), patterns[i]);
  while (s.step()) hits.push_back({s.text(0), s.text(1), search_snippet(s.text(2), words)});
  return hits;
}

std::size_t SqliteStore::recover_interrupted() {
  std::lock_guard lock(impl_->mutex);
  {
    // Most opens find nothing to recover: they need no write (which would wait for the
    // integrity check).
    Impl::Stmt any(*impl_, "SELECT 1 FROM messages WHERE status = 'running' LIMIT 1");
    if (!any.step()) return 0;
  }
  return impl_->write("cannot recover interrupted messages", [&] {
    std::vector<std::pair<std::int64_t, std::string>> rows;
    {
      Impl::Stmt s(*impl_, "SELECT seq, message FROM messages WHERE status = 'running'");
      while (s.step()) rows.emplace_back(s.integer(0), s.text(1));
    }
    Impl::Stmt u(*impl_, "UPDATE messages SET status = ?2, message = ?3 WHERE seq = ?1");
    for (const auto& [seq, text] : rows) {
      const auto message =
          mark_interrupted(message_from_json_text(text, impl_->where + " message"));
      u.bind(1, seq)
          .bind(2, std::string(to_string(message.status.type)))
          .bind(3, to_json(message).dump());
      u.run();
      u.reset();
    }
    return rows.size();
  });
}

std::vector<ExportedMessageRepositoryItem> SqliteStore::read_messages(
    const std::string& remote_id) {
  std::vector<ExportedMessageRepositoryItem> items;
  std::lock_guard lock(impl_->mutex);
  Impl::Stmt s(
      *impl_,
      "SELECT id, parent_id, message, run_config, source_id FROM messages WHERE thread_id = ?1 "
      "ORDER BY seq");
  s.bind(1, remote_id);
  // Only the id changes from one row's error path to the next: one allocation per row.
  const std::string path_prefix = impl_->where + " thread " + remote_id + " message ";
  std::string path;
  while (s.step()) {
    path.assign(path_prefix).append(s.view(0));
    ExportedMessageRepositoryItem item;
    try {
      item.message = std::make_shared<const ThreadMessage>(message_from_json_text(s.view(2), path));
      item.parent_id = s.opt_text(1);
      if (!s.is_null(3))
        item.run_config = run_config_from_json(parse_json(s.view(3), path), path + " runConfig");
      item.source_id = s.opt_text(4);
    } catch (const Error& e) {
      throw Error(ErrorKind::Storage, std::string("a stored message cannot be read: ") + e.what());
    }
    items.push_back(std::move(item));
  }
  return items;
}

void SqliteStore::write_message(const std::string& remote_id,
                                const ExportedMessageRepositoryItem& item) {
  write_messages(remote_id, {item});
}

void SqliteStore::write_messages(const std::string& remote_id,
                                 const std::vector<ExportedMessageRepositoryItem>& items) {
  for (const auto& item : items) {
    if (!item.message)
      throw Error(ErrorKind::InvalidArgument, "write_message: an item has no message");
  }
  if (items.empty()) return;
  const std::int64_t now = to_millis(now_timestamp());
  std::int64_t newest = to_millis(items.front().message->created_at);
  for (const auto& item : items) newest = std::max(newest, to_millis(item.message->created_at));
  std::lock_guard lock(impl_->mutex);
  impl_->write("cannot write a message", [&] {
    Impl::Stmt t(
        *impl_,
        "INSERT INTO threads(remote_id, status, created_at, last_message_at, sort_at) "
        "VALUES (?1, 'regular', ?2, ?3, max(?2, ?3)) "
        "ON CONFLICT(remote_id) DO UPDATE SET "
        "last_message_at = max(coalesce(last_message_at, ?3), ?3), sort_at = max(sort_at, ?3)");
    t.bind(1, remote_id).bind(2, now).bind(3, newest);
    t.run();
    Impl::Stmt s(
        *impl_,
        "INSERT INTO messages(thread_id, id, parent_id, role, status, created_at, body, message, "
        "run_config, source_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
        "ON CONFLICT(thread_id, id) DO UPDATE SET parent_id = excluded.parent_id, role = "
        "excluded.role, "
        "status = excluded.status, created_at = excluded.created_at, body = excluded.body, "
        "message = excluded.message, run_config = coalesce(excluded.run_config, "
        "messages.run_config), source_id = coalesce(excluded.source_id, messages.source_id) "
        "WHERE NOT (excluded.status = 'running' AND messages.status IN ('complete', "
        "'incomplete'))");
    for (const auto& item : items) {
      const ThreadMessage& m = *item.message;
      std::optional<std::string> run_config;
      if (item.run_config) run_config = to_json(*item.run_config).dump();
      const std::string status(m.role == Role::Assistant ? to_string(m.status.type)
                                                         : std::string_view("complete"));
      s.bind(1, remote_id)
          .bind(2, m.id)
          .bind(3, item.parent_id)
          .bind(4, std::string(to_string(m.role)));
      s.bind(5, status)
          .bind(6, to_millis(m.created_at))
          .bind(7, m.text())
          .bind(8, to_json(m).dump())
          .bind(9, run_config)
          .bind(10, item.source_id);
      s.run();
      s.reset();
    }
  });
}

void SqliteStore::delete_messages(const std::string& remote_id, const std::vector<Id>& ids) {
  if (ids.empty()) return;
  std::lock_guard lock(impl_->mutex);
  impl_->write("cannot delete messages", [&] {
    for (const Id& id : ids) {
      std::optional<std::string> parent;
      {
        Impl::Stmt p(*impl_, "SELECT parent_id FROM messages WHERE thread_id = ?1 AND id = ?2");
        p.bind(1, remote_id).bind(2, id);
        if (!p.step()) continue;  // already gone
        parent = p.opt_text(0);
      }
      // The children move up to the deleted message's parent (spec §3.6).
      Impl::Stmt up(*impl_,
                    "UPDATE messages SET parent_id = ?3 WHERE thread_id = ?1 AND parent_id = ?2");
      up.bind(1, remote_id).bind(2, id).bind(3, parent);
      up.run();
      Impl::Stmt del(*impl_, "DELETE FROM messages WHERE thread_id = ?1 AND id = ?2");
      del.bind(1, remote_id).bind(2, id);
      del.run();
    }
  });
}

RemoteThreadListPage SqliteStore::list(const std::optional<std::string>& after) {
  std::optional<std::int64_t> cursor_at;
  std::string cursor_id;
  if (after && !after->empty()) {
    const auto colon = after->find(':');
    try {
      if (colon == std::string::npos) throw std::invalid_argument("no colon");
      cursor_at = std::stoll(after->substr(0, colon));
      cursor_id = after->substr(colon + 1);
    } catch (const std::exception&) {
      throw Error(ErrorKind::InvalidArgument,
                  "list: \"" + *after + "\" is not a cursor this store returned");
    }
  }
  RemoteThreadListPage page;
  std::lock_guard lock(impl_->mutex);
  Impl::Stmt s(*impl_, (std::string("SELECT ") + thread_columns +
                        ", sort_at FROM threads WHERE ?1 IS NULL OR sort_at < ?1 OR (sort_at = ?1 "
                        "AND remote_id < ?2) "
                        "ORDER BY sort_at DESC, remote_id DESC LIMIT ?3")
                           .c_str());
  s.bind(1, cursor_at)
      .bind(2, cursor_id)
      .bind(3, static_cast<std::int64_t>(impl_->options.page_size + 1));
  std::int64_t last_at = 0;
  while (s.step()) {
    if (page.threads.size() == impl_->options.page_size) {
      page.next_cursor = std::to_string(last_at) + ":" + page.threads.back().remote_id;
      break;
    }
    page.threads.push_back(impl_->read_thread(s));
    last_at = s.integer(6);
  }
  return page;
}

RemoteThreadInitializeResult SqliteStore::initialize(const std::string& local_thread_id) {
  std::lock_guard lock(impl_->mutex);
  return impl_->write("cannot create a thread", [&] {
    {
      Impl::Stmt s(*impl_, "SELECT remote_id, external_id FROM threads WHERE local_id = ?1");
      s.bind(1, local_thread_id);
      if (s.step()) return RemoteThreadInitializeResult{s.text(0), s.opt_text(1)};
    }
    // 14 characters of [0-9A-Za-z]: collisions are out of reach for any number of threads a
    // person keeps; the primary key would reject one anyway.
    const std::string remote_id = "t" + generate_id() + generate_id();
    const std::int64_t now = to_millis(now_timestamp());
    Impl::Stmt s(*impl_,
                 "INSERT INTO threads(remote_id, local_id, status, created_at, sort_at) VALUES "
                 "(?1, ?2, 'regular', ?3, ?3)");
    s.bind(1, remote_id).bind(2, local_thread_id).bind(3, now);
    s.run();
    return RemoteThreadInitializeResult{remote_id, std::nullopt};
  });
}

void SqliteStore::rename(const std::string& remote_id, const std::string& new_title) {
  std::lock_guard lock(impl_->mutex);
  impl_->update_thread(
      "UPDATE threads SET title = ?2 WHERE remote_id = ?1", remote_id,
      [&](Impl::Stmt& s) { s.bind(2, new_title); }, "cannot rename a thread");
}

std::string SqliteStore::title_unless_titled(const std::string& remote_id,
                                             const std::string& title) {
  std::lock_guard lock(impl_->mutex);
  std::string held;
  impl_->write("cannot title a thread", [&] {
    Impl::Stmt s(
        *impl_,
        "UPDATE threads SET title = CASE WHEN title IS NULL OR title = '' THEN ?2 ELSE title END "
        "WHERE remote_id = ?1 RETURNING title");
    s.bind(1, remote_id);
    s.bind(2, title);
    if (!s.step()) throw Error(ErrorKind::ThreadNotFound, "no thread with remote id " + remote_id);
    held = s.text(0);
    while (s.step()) {
    }
  });
  return held;
}

void SqliteStore::update_custom(const std::string& remote_id, const std::optional<Json>& custom) {
  std::optional<std::string> text;
  if (custom) text = custom->dump();
  std::lock_guard lock(impl_->mutex);
  impl_->update_thread(
      "UPDATE threads SET custom = ?2 WHERE remote_id = ?1", remote_id,
      [&](Impl::Stmt& s) { s.bind(2, text); }, "cannot update custom metadata");
}

void SqliteStore::archive(const std::string& remote_id) {
  std::lock_guard lock(impl_->mutex);
  impl_->update_thread(
      "UPDATE threads SET status = 'archived' WHERE remote_id = ?1", remote_id, [](Impl::Stmt&) {},
      "cannot archive a thread");
}

void SqliteStore::unarchive(const std::string& remote_id) {
  std::lock_guard lock(impl_->mutex);
  impl_->update_thread(
      "UPDATE threads SET status = 'regular' WHERE remote_id = ?1", remote_id, [](Impl::Stmt&) {},
      "cannot unarchive a thread");
}

void SqliteStore::remove(const std::string& remote_id) {
  std::lock_guard lock(impl_->mutex);
  impl_->write("cannot delete a thread", [&] {
    Impl::Stmt t(*impl_, "DELETE FROM threads WHERE remote_id = ?1");
    t.bind(1, remote_id);
    t.run();
    if (sqlite3_changes(impl_->db) == 0)
      throw Error(ErrorKind::ThreadNotFound, "no thread with remote id " + remote_id);
    Impl::Stmt m(*impl_, "DELETE FROM messages WHERE thread_id = ?1");
    m.bind(1, remote_id);
    m.run();
  });
}

RemoteThreadMetadata SqliteStore::fetch(const std::string& thread_id) {
  std::lock_guard lock(impl_->mutex);
  Impl::Stmt s(*impl_, (std::string("SELECT ") + thread_columns +
                        " FROM threads WHERE remote_id = ?1 UNION ALL SELECT " + thread_columns +
                        " FROM threads WHERE local_id = ?1 LIMIT 1")
                           .c_str());
  s.bind(1, thread_id);
  if (!s.step()) throw Error(ErrorKind::ThreadNotFound, "no thread with id " + thread_id);
  return impl_->read_thread(s);
}

// ---------------------------------------------------------------------------------------------
// Recovery of a damaged file

namespace {

/// Reads a table of a damaged file row by row in rowid order, skipping ahead past what cannot be
/// read (further each time it fails again); `row` gets each statement positioned on a row whose
/// first column is the rowid. Returns how many places were skipped.
std::size_t read_readable_rows(sqlite3* db, const std::string& select,
                               const std::function<void(sqlite3_stmt*)>& row) {
  std::size_t skipped = 0;
  std::int64_t after = std::numeric_limits<std::int64_t>::min();
  std::int64_t jump = 0;  // 0: read on from `after`; else how far past it the next try starts
  for (;;) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, (select + " WHERE rowid > ?1 ORDER BY rowid").c_str(), -1, &s,
                           nullptr) != SQLITE_OK) {
      sqlite3_finalize(s);
      return skipped + 1;  // the table itself cannot be found
    }
    const std::int64_t from =
        jump == 0 || after > std::numeric_limits<std::int64_t>::max() - jump ? after : after + jump;
    sqlite3_bind_int64(s, 1, from);
    int rc = SQLITE_OK;
    bool any = false;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      any = true;
      after = sqlite3_column_int64(s, 0);
      row(s);
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE) return skipped;
    if (any || jump == 0) {
      ++skipped;  // a new damaged place: skip just past it first
      jump = 1;
    } else {
      if (jump > (std::int64_t{1} << 40)) return skipped;  // nothing readable past this point
      jump *= 2;
    }
  }
}

std::string column_text(sqlite3_stmt* s, int col) {
  const auto* p = sqlite3_column_text(s, col);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(s, col)))
           : std::string();
}

std::optional<std::string> column_opt_text(sqlite3_stmt* s, int col) {
  if (sqlite3_column_type(s, col) == SQLITE_NULL) return std::nullopt;
  return column_text(s, col);
}

std::optional<std::int64_t> column_opt_int(sqlite3_stmt* s, int col) {
  if (sqlite3_column_type(s, col) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(s, col);
}

std::string time_stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &local);
  return buf;
}

}  // namespace

SqliteRecovery SqliteStore::recover(const std::filesystem::path& path) {
  const std::string where = "sqlite store " + path.string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw Error(ErrorKind::Storage, where + ": cannot recover: there is no such file");
  const std::string stamp = time_stamp();
  fs::path fresh = path;
  fresh += ".recovering-" + stamp;
  fs::path kept = path;
  kept += ".damaged-" + stamp;
  auto remove_fresh = [&] {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      fs::path p = fresh;
      p += suffix;
      fs::remove(p, ec);
    }
  };
  remove_fresh();

  SqliteRecovery result;
  try {
    // Read-only: the damaged file (and a WAL left beside it) is read, never written.
    sqlite3* src = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr);
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> src_guard(src, sqlite3_close_v2);
    if (rc != SQLITE_OK) {
      throw Error(ErrorKind::Storage, where + ": cannot recover: cannot open the damaged file: " +
                                          (src ? sqlite3_errmsg(src) : sqlite3_errstr(rc)));
    }
    sqlite3_busy_timeout(src, 5000);

    SqliteStoreOptions o;
    o.path = fresh;
    o.recover_interrupted = false;
    o.integrity_check_budget = std::chrono::milliseconds(0);
    {
      auto out = SqliteStore::open(o);
      Impl& impl = *out->impl_;
      std::lock_guard lock(impl.mutex);
      impl.write("cannot write the recovered file", [&] {
        Impl::Stmt t(impl,
                     "INSERT OR IGNORE INTO threads(remote_id, local_id, external_id, status, "
                     "title, custom, created_at, last_message_at, sort_at) VALUES (?1, ?2, ?3, "
                     "?4, ?5, ?6, ?7, ?8, ?9)");
        result.unreadable += read_readable_rows(
            src,
            "SELECT rowid, remote_id, local_id, external_id, status, title, custom, created_at, "
            "last_message_at, sort_at FROM threads",
            [&](sqlite3_stmt* s) {
              if (sqlite3_column_type(s, 1) == SQLITE_NULL) return;
              const std::string status = column_text(s, 4) == "archived" ? "archived" : "regular";
              t.bind(1, column_text(s, 1))
                  .bind(2, column_opt_text(s, 2))
                  .bind(3, column_opt_text(s, 3))
                  .bind(4, status)
                  .bind(5, column_opt_text(s, 5));
              // Custom metadata that no longer parses is dropped, not copied.
              std::optional<std::string> custom = column_opt_text(s, 6);
              if (custom && !Json::accept(*custom)) custom.reset();
              t.bind(6, custom)
                  .bind(7, static_cast<std::int64_t>(sqlite3_column_int64(s, 7)))
                  .bind(8, column_opt_int(s, 8))
                  .bind(9, static_cast<std::int64_t>(sqlite3_column_int64(s, 9)));
              t.run();
              result.threads += static_cast<std::size_t>(sqlite3_changes(impl.db));
              t.reset();
            });
        Impl::Stmt m(impl,
                     "INSERT OR IGNORE INTO messages(thread_id, id, parent_id, role, status, "
                     "created_at, body, message, run_config, source_id) VALUES (?1, ?2, ?3, ?4, "
                     "?5, ?6, ?7, ?8, ?9, ?10)");
        // A file of schema version 2 or older has no source ids.
        const bool has_source_id = [&] {
          sqlite3_stmt* probe = nullptr;
          const int prc =
              sqlite3_prepare_v2(src, "SELECT source_id FROM messages", -1, &probe, nullptr);
          sqlite3_finalize(probe);
          return prc == SQLITE_OK;
        }();
        result.unreadable += read_readable_rows(
            src,
            has_source_id ? "SELECT seq, thread_id, id, parent_id, role, status, created_at, body, "
                            "message, run_config, source_id FROM messages"
                          : "SELECT seq, thread_id, id, parent_id, role, status, created_at, body, "
                            "message, run_config, NULL FROM messages",
            [&](sqlite3_stmt* s) {
              // A row from a damaged page may read but hold garbage: only messages that still
              // parse are kept.
              const std::string message = column_text(s, 8);
              try {
                (void)message_from_json_text(message, where + " message");
              } catch (const std::exception&) {
                ++result.unreadable;
                return;
              }
              std::optional<std::string> run_config = column_opt_text(s, 9);
              if (run_config && !Json::accept(*run_config)) run_config.reset();
              m.bind(1, column_text(s, 1))
                  .bind(2, column_text(s, 2))
                  .bind(3, column_opt_text(s, 3))
                  .bind(4, column_text(s, 4))
                  .bind(5, column_text(s, 5));
              m.bind(6, static_cast<std::int64_t>(sqlite3_column_int64(s, 6)))
                  .bind(7, column_text(s, 7))
                  .bind(8, message)
                  .bind(9, run_config)
                  .bind(10, column_opt_text(s, 10));
              m.run();
              result.messages += static_cast<std::size_t>(sqlite3_changes(impl.db));
              m.reset();
            });
        // Messages whose thread row was lost get a thread again (untitled).
        impl.exec(
            "INSERT INTO threads(remote_id, status, created_at, last_message_at, sort_at) "
            "SELECT thread_id, 'regular', min(created_at), max(created_at), max(created_at) "
            "FROM messages WHERE thread_id NOT IN (SELECT remote_id FROM threads) "
            "GROUP BY thread_id",
            "cannot write the recovered file");
        result.threads += static_cast<std::size_t>(sqlite3_changes(impl.db));
      });
    }  // the new file is complete and closed (its WAL checkpointed) before anything moves

    // Move the damaged file aside — renamed, its bytes unchanged — and put the new one in place.
    fs::rename(path, kept);
    for (const char* suffix : {"-wal", "-shm"}) {
      fs::path from = path;
      from += suffix;
      fs::path to = kept;
      to += suffix;
      if (fs::exists(from, ec)) fs::rename(from, to);
    }
    fs::rename(fresh, path);
    result.damaged_kept_as = kept;
  } catch (const fs::filesystem_error& e) {
    remove_fresh();
    throw Error(ErrorKind::Storage, where + ": cannot recover: " + e.what());
  } catch (...) {
    remove_fresh();
    throw;
  }
  return result;
}

}  // namespace aui
