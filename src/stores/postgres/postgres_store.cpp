#include "aui/stores/postgres_store.hpp"

#include <libpq-fe.h>

#include <mutex>
#include <utility>

#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"

namespace aui {

namespace {

std::int64_t to_millis(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp from_millis(std::int64_t ms) { return Timestamp(std::chrono::milliseconds(ms)); }

/// "postgres store host:port/dbname (schema s)", from the connection string without its password.
std::string describe(const std::string& conninfo, const std::string& schema) {
  std::string host, port, db, user;
  char* err = nullptr;
  if (PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err)) {
    for (auto* o = opts; o->keyword; ++o) {
      if (!o->val) continue;
      const std::string k = o->keyword;
      if (k == "host" || (k == "hostaddr" && host.empty())) host = o->val;
      if (k == "port") port = o->val;
      if (k == "dbname") db = o->val;
      if (k == "user") user = o->val;
    }
    PQconninfoFree(opts);
  }
  if (err) PQfreemem(err);
  std::string out = "postgres store ";
  if (!user.empty()) out += user + "@";
  out += host.empty() ? std::string("localhost") : host;
  if (!port.empty()) out += ":" + port;
  out += "/" + (db.empty() ? std::string("(default database)") : db);
  return out + " (schema " + schema + ")";
}

/// Owns a PGresult.
class Result {
 public:
  explicit Result(PGresult* r) : r_(r) {}
  ~Result() { PQclear(r_); }
  Result(Result&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
  Result& operator=(Result&&) = delete;
  Result(const Result&) = delete;
  int rows() const { return PQntuples(r_); }
  bool is_null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
  std::string text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col),
                       static_cast<std::size_t>(PQgetlength(r_, row, col)));
  }
  std::optional<std::string> opt_text(int row, int col) const {
    if (is_null(row, col)) return std::nullopt;
    return text(row, col);
  }
  std::int64_t integer(int row, int col) const { return std::stoll(text(row, col)); }
  PGresult* get() const { return r_; }
  std::size_t affected() const {
    const char* n = PQcmdTuples(r_);
    return n && *n ? static_cast<std::size_t>(std::stoull(n)) : 0;
  }

 private:
  PGresult* r_;
};

using Param = std::optional<std::string>;

}  // namespace

struct PostgresStore::Impl {
  PostgresStoreOptions options;
  std::string where;
  std::string s;  // the quoted schema name followed by a dot, e.g. "aui".
  PGconn* conn = nullptr;
  std::mutex mutex;

  ~Impl() {
    if (conn) PQfinish(conn);
  }

  [[noreturn]] void fail(const std::string& what, const std::string& detail) const {
    throw Error(ErrorKind::Storage, where + ": " + what + ": " + detail);
  }

  /// Replaces each '@' that starts a table name ("@threads") by the schema prefix; other '@'s
  /// (the text-search operator @@) stay.
  std::string sql(const char* tmpl) const {
    std::string out;
    for (const char* p = tmpl; *p; ++p) {
      if (*p == '@' && ((p[1] >= 'a' && p[1] <= 'z') || p[1] == '_')) {
        out += s;
      } else {
        out += *p;
      }
    }
    return out;
  }

  void connect() {
    conn = PQconnectdb(options.conninfo.c_str());
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
      std::string detail = conn ? PQerrorMessage(conn) : "out of memory";
      while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
      fail("cannot connect", detail);
    }
    // Notices (e.g. "text-search query doesn't contain lexemes") are not errors: keep them off
    // standard error.
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    // Timestamps and text are exchanged as text in UTF-8, whatever the server's defaults.
    PQsetClientEncoding(conn, "UTF8");
  }

  int depth = 0;  // > 0 inside transaction(): a lost connection fails the whole transaction

  bool lost() const { return PQstatus(conn) != CONNECTION_OK; }

  /// Reconnects a connection the server dropped (a restart, a network cut, an idle timeout);
  /// Storage saying so when the server cannot be reached again.
  void reconnect(const char* what) {
    PQreset(conn);
    if (!lost()) return;
    std::string detail = PQerrorMessage(conn);
    while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
    fail(what, "the connection to the database server was lost and cannot be made again (" +
                   detail + ")");
  }

  Result exec(const std::string& text, const std::vector<Param>& params, const char* what) {
    if (lost()) reconnect(what);
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    auto run = [&] {
      return Result(PQexecParams(conn, text.c_str(), static_cast<int>(values.size()), nullptr,
                                 values.data(), nullptr, nullptr, 0));
    };
    Result r = run();
    // A statement of its own that met a dropped connection is run again once on a new one; in
    // a transaction, transaction() runs the whole transaction again.
    if (depth == 0 && lost() && !ok(r)) {
      reconnect(what);
      return check(run(), what);
    }
    return check(std::move(r), what);
  }

  static bool ok(const Result& r) {
    const auto status = PQresultStatus(r.get());
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  }

  Result check(Result r, const char* what) {
    if (!ok(r)) {
      std::string detail = r.get() ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn);
      while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
      if (lost()) detail = "the connection to the database server was lost (" + detail + ")";
      fail(what, detail);
    }
    return r;
  }

  /// Several statements at once (no parameters).
  void exec_script(const std::string& text, const char* what) {
    check(Result(PQexec(conn, text.c_str())), what);
  }

  /// Runs `f` in a transaction. One that failed because the connection was lost is run again,
  /// once, on a new connection: every transaction of this store can be repeated (upserts, deletes
  /// by id, a thread created once per local id).
  template <class F>
  auto transaction(const char* what, F&& f) {
    try {
      return transaction_once(what, f);
    } catch (const Error&) {
      if (!lost() || depth > 0) throw;
    }
    reconnect(what);
    return transaction_once(what, f);
  }

  template <class F>
  auto transaction_once(const char* what, F& f) {
    if (lost()) reconnect(what);
    struct Depth {
      int& d;
      explicit Depth(int& depth) : d(depth) { ++d; }
      ~Depth() { --d; }
    } in_transaction(depth);
    exec("BEGIN", {}, what);
    try {
      if constexpr (std::is_void_v<decltype(f())>) {
        f();
        exec("COMMIT", {}, what);
      } else {
        auto result = f();
        exec("COMMIT", {}, what);
        return result;
      }
    } catch (...) {
      if (!lost()) PQclear(PQexec(conn, "ROLLBACK"));
      throw;
    }
  }

  void migrate() {
    transaction("cannot migrate the schema", [&] {
      // Instances starting together queue here; each step is applied once.
      exec("SELECT pg_advisory_xact_lock(hashtext($1))", {"aui-schema:" + options.schema},
           "cannot lock the schema");
      int version = 0;
      Result exists = exec("SELECT to_regclass($1) IS NOT NULL", {s + "aui_schema"},
                           "cannot read the schema version");
      if (exists.text(0, 0) == "t") {
        Result v = exec(sql("SELECT coalesce(max(version), 0) FROM @aui_schema"), {},
                        "cannot read the schema version");
        version = static_cast<int>(v.integer(0, 0));
      }
      if (version > schema_version) {
        throw Error(ErrorKind::Storage,
                    where + ": the database has schema version " + std::to_string(version) +
                        ", newer than this build knows (" + std::to_string(schema_version) +
                        "); it was left untouched");
      }
      if (version < 1) {
        exec_script("CREATE SCHEMA IF NOT EXISTS \"" + options.schema + "\"",
                    "cannot create the schema");
        exec_script(sql(R"sql(
CREATE TABLE @aui_schema(version integer NOT NULL);
CREATE TABLE @threads(
  remote_id text PRIMARY KEY,
  local_id text UNIQUE,
  external_id text,
  status text NOT NULL DEFAULT 'regular',
  title text,
  custom text,
  created_at bigint NOT NULL,
  last_message_at bigint,
  sort_at bigint NOT NULL
);
CREATE INDEX ON @threads(sort_at DESC, remote_id DESC);
CREATE TABLE @messages(
  seq bigserial PRIMARY KEY,
  thread_id text NOT NULL,
  id text NOT NULL,
  parent_id text,
  role text NOT NULL,
  status text NOT NULL,
  created_at bigint NOT NULL,
  body text NOT NULL,
  message text NOT NULL,
  run_config text,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED,
  UNIQUE(thread_id, id)
);
CREATE INDEX ON @messages(status) WHERE status = 'running';
CREATE INDEX ON @messages(thread_id, parent_id);
CREATE INDEX ON @messages USING gin(tsv);
INSERT INTO @aui_schema(version) VALUES (1);
)sql"),
                    "cannot create the schema");
      }
      if (version < 2) {
        // The sourceId a message was made with (ExportedMessageRepositoryItem::source_id);
        // rows of version 1 have none.
        exec_script(sql(R"sql(
ALTER TABLE @messages ADD COLUMN source_id text;
INSERT INTO @aui_schema(version) VALUES (2);
)sql"),
                    "cannot migrate the schema");
      }
      if (version < 3) {
        // Search finds substrings ("sourdo" in "sourdough", 你好 in 你好世界) with ILIKE, which a
        // GIN index of trigrams (pg_trgm) serves; the tsvector of whole words goes. The index is
        // built from the stored messages in this transaction; no row changes.
        // The extension is one per database, shared by every aui schema in it: created under a
        // database-wide lock (two schemas migrating at once would both try), where the database
        // puts extensions (the search path's first schema), and found wherever it already is.
        exec("SELECT pg_advisory_xact_lock(hashtext('aui-extension:pg_trgm'))", {},
             "cannot lock the schema");
        exec("CREATE EXTENSION IF NOT EXISTS pg_trgm", {},
             "cannot create the pg_trgm extension (PostgreSQL's contrib package provides it)");
        Result where_trgm = exec(
            "SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = "
            "e.extnamespace WHERE e.extname = 'pg_trgm'",
            {}, "cannot find the pg_trgm extension");
        if (where_trgm.rows() != 1) fail("cannot migrate the schema", "pg_trgm is not installed");
        const std::string script =
            "ALTER TABLE @messages DROP COLUMN tsv;\n"
            "CREATE INDEX messages_body_trgm ON @messages USING gin(body " +
            where_trgm.text(0, 0) +
            ".gin_trgm_ops);\n"
            "INSERT INTO @aui_schema(version) VALUES (3);";
        exec_script(sql(script.c_str()), "cannot migrate the schema");
      }
    });
  }

  RemoteThreadMetadata read_thread(const Result& r, int row) const {
    RemoteThreadMetadata m;
    m.remote_id = r.text(row, 0);
    m.external_id = r.opt_text(row, 1);
    m.status = r.text(row, 2) == "archived" ? ThreadStatus::Archived : ThreadStatus::Regular;
    m.title = r.opt_text(row, 3);
    if (auto custom = r.opt_text(row, 4))
      m.custom = parse_json(*custom, where + " custom of thread " + m.remote_id);
    if (!r.is_null(row, 5)) m.last_message_at = from_millis(r.integer(row, 5));
    return m;
  }

  void update_thread(const char* tmpl, std::vector<Param> params, const std::string& remote_id,
                     const char* what) {
    Result r = exec(sql(tmpl), params, what);
    if (r.affected() == 0)
      throw Error(ErrorKind::ThreadNotFound, "no thread with remote id " + remote_id);
  }
};

PostgresStore::PostgresStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PostgresStore::~PostgresStore() = default;

std::shared_ptr<PostgresStore> PostgresStore::open(PostgresStoreOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  const std::string& schema = impl->options.schema;
  bool valid = !schema.empty() && schema.size() < 60 && !(schema[0] >= '0' && schema[0] <= '9');
  for (char c : schema)
    valid = valid && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!valid) {
    throw Error(ErrorKind::InvalidArgument,
                "postgres store: schema \"" + schema +
                    "\" must be lower-case letters, digits and _ (not starting with a digit)");
  }
  impl->s = "\"" + schema + "\".";
  impl->where = describe(impl->options.conninfo, schema);
  if (impl->options.page_size == 0) impl->options.page_size = 1;
  impl->connect();
  impl->migrate();
  auto store = std::make_shared<PostgresStore>(std::move(impl));
  if (store->impl_->options.recover_interrupted) store->recover_interrupted();
  return store;
}

const char* const thread_columns_pg =
    "remote_id, external_id, status, title, custom, last_message_at";

std::vector<ThreadSearchHit> PostgresStore::search(const std::string& query, std::size_t limit) {
  std::vector<ThreadSearchHit> hits;
  const auto words = search_words(query);
  if (words.empty() || limit == 0) return hits;
  // Each word as an ILIKE '%word%' (its %, _ and \ escaped, so nothing typed is pattern syntax),
  // ANDed: the trigram index answers words of three characters or more; shorter ones are
  // checked on the rows it finds, or over every row when all words are short.
  std::string text = "SELECT m.thread_id, m.id, m.body FROM @messages m WHERE true";
  std::vector<Param> params{std::to_string(limit)};
  for (const auto& w : words) {
    params.push_back(substring_like_pattern(w));
    text += " AND m.body ILIKE $" + std::to_string(params.size());
  }
  text += " ORDER BY m.seq DESC LIMIT $1";
  std::lock_guard lock(impl_->mutex);
  Result r = impl_->exec(impl_->sql(text.c_str()), params, "cannot search");
  for (int i = 0; i < r.rows(); ++i)
    hits.push_back({r.text(i, 0), r.text(i, 1), search_snippet(r.text(i, 2), words)});
  return hits;
}

std::size_t PostgresStore::recover_interrupted() {
  std::lock_guard lock(impl_->mutex);
  return impl_->transaction("cannot recover interrupted messages", [&] {
    Result rows = impl_->exec(
        impl_->sql("SELECT seq, message FROM @messages WHERE status = 'running' FOR UPDATE"), {},
        "cannot recover interrupted messages");
    for (int i = 0; i < rows.rows(); ++i) {
      const auto message =
          mark_interrupted(message_from_json_text(rows.text(i, 1), impl_->where + " message"));
      impl_->exec(
          impl_->sql("UPDATE @messages SET status = $2, message = $3 WHERE seq = $1"),
          {rows.text(i, 0), std::string(to_string(message.status.type)), to_json(message).dump()},
          "cannot recover interrupted messages");
    }
    return static_cast<std::size_t>(rows.rows());
  });
}

std::vector<ExportedMessageRepositoryItem> PostgresStore::read_messages(
    const std::string& remote_id) {
  std::vector<ExportedMessageRepositoryItem> items;
  std::lock_guard lock(impl_->mutex);
  Result r = impl_->exec(impl_->sql("SELECT id, parent_id, message, run_config, source_id FROM "
                                    "@messages WHERE thread_id = $1 ORDER BY seq"),
                         {remote_id}, "cannot read messages");
  items.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    const std::string path = impl_->where + " thread " + remote_id + " message " + r.text(i, 0);
    ExportedMessageRepositoryItem item;
    try {
      item.message =
          std::make_shared<const ThreadMessage>(message_from_json_text(r.text(i, 2), path));
      item.parent_id = r.opt_text(i, 1);
      if (auto rc = r.opt_text(i, 3))
        item.run_config = run_config_from_json(parse_json(*rc, path), path + " runConfig");
      item.source_id = r.opt_text(i, 4);
    } catch (const Error& e) {
      throw Error(ErrorKind::Storage, std::string("a stored message cannot be read: ") + e.what());
    }
    items.push_back(std::move(item));
  }
  return items;
}

void PostgresStore::write_message(const std::string& remote_id,
                                  const ExportedMessageRepositoryItem& item) {
  if (!item.message)
    throw Error(ErrorKind::InvalidArgument, "write_message: the item has no message");
  const ThreadMessage& m = *item.message;
  Param run_config;
  if (item.run_config) run_config = to_json(*item.run_config).dump();
  const std::string status(m.role == Role::Assistant ? to_string(m.status.type)
                                                     : std::string_view("complete"));
  const std::string created = std::to_string(to_millis(m.created_at));
  const std::string now = std::to_string(to_millis(now_timestamp()));
  std::lock_guard lock(impl_->mutex);
  impl_->transaction("cannot write a message", [&] {
    impl_->exec(
        impl_->sql(
            "INSERT INTO @threads AS t (remote_id, status, created_at, last_message_at, sort_at) "
            "VALUES ($1, 'regular', $2, $3, greatest($2::bigint, $3::bigint)) "
            "ON CONFLICT (remote_id) DO UPDATE SET "
            "last_message_at = greatest(coalesce(t.last_message_at, $3::bigint), $3::bigint), "
            "sort_at = greatest(t.sort_at, $3::bigint)"),
        {remote_id, now, created}, "cannot write a message");
    impl_->exec(
        impl_->sql(
            "INSERT INTO @messages AS m (thread_id, id, parent_id, role, status, created_at, body, "
            "message, run_config, source_id) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
            "ON CONFLICT (thread_id, id) DO UPDATE SET parent_id = excluded.parent_id, role = "
            "excluded.role, "
            "status = excluded.status, created_at = excluded.created_at, body = excluded.body, "
            "message = excluded.message, run_config = coalesce(excluded.run_config, m.run_config), "
            "source_id = coalesce(excluded.source_id, m.source_id) "
            "WHERE NOT (excluded.status = 'running' AND m.status IN ('complete', 'incomplete'))"),
        {remote_id, m.id, item.parent_id, std::string(to_string(m.role)), status, created, m.text(),
         to_json(m).dump(), run_config, item.source_id},
        "cannot write a message");
  });
}

void PostgresStore::delete_messages(const std::string& remote_id, const std::vector<Id>& ids) {
  if (ids.empty()) return;
  std::lock_guard lock(impl_->mutex);
  impl_->transaction("cannot delete messages", [&] {
    for (const Id& id : ids) {
      Result p = impl_->exec(
          impl_->sql("DELETE FROM @messages WHERE thread_id = $1 AND id = $2 RETURNING parent_id"),
          {remote_id, id}, "cannot delete messages");
      if (p.rows() == 0) continue;  // already gone
      // The children move up to the deleted message's parent (spec §3.6).
      impl_->exec(
          impl_->sql("UPDATE @messages SET parent_id = $3 WHERE thread_id = $1 AND parent_id = $2"),
          {remote_id, id, p.opt_text(0, 0)}, "cannot delete messages");
    }
  });
}

RemoteThreadListPage PostgresStore::list(const std::optional<std::string>& after) {
  Param cursor_at;
  std::string cursor_id;
  if (after && !after->empty()) {
    const auto colon = after->find(':');
    try {
      if (colon == std::string::npos) throw std::invalid_argument("no colon");
      cursor_at = std::to_string(std::stoll(after->substr(0, colon)));
      cursor_id = after->substr(colon + 1);
    } catch (const std::exception&) {
      throw Error(ErrorKind::InvalidArgument,
                  "list: \"" + *after + "\" is not a cursor this store returned");
    }
  }
  RemoteThreadListPage page;
  const std::size_t size = impl_->options.page_size;
  std::lock_guard lock(impl_->mutex);
  Result r = impl_->exec(
      impl_->sql((std::string("SELECT ") + thread_columns_pg +
                  ", sort_at FROM @threads WHERE $1::bigint IS NULL OR sort_at < $1::bigint "
                  "OR (sort_at = $1::bigint AND remote_id < $2) "
                  "ORDER BY sort_at DESC, remote_id DESC LIMIT $3")
                     .c_str()),
      {cursor_at, cursor_id, std::to_string(size + 1)}, "cannot list threads");
  for (int i = 0; i < r.rows(); ++i) {
    if (page.threads.size() == size) {
      page.next_cursor = r.text(i - 1, 6) + ":" + page.threads.back().remote_id;
      break;
    }
    page.threads.push_back(impl_->read_thread(r, i));
  }
  return page;
}

RemoteThreadInitializeResult PostgresStore::initialize(const std::string& local_thread_id) {
  std::lock_guard lock(impl_->mutex);
  const std::string remote_id = "t" + generate_id() + generate_id();
  const std::string now = std::to_string(to_millis(now_timestamp()));
  // One statement, so two instances initializing the same draft agree on one thread.
  impl_->exec(impl_->sql("INSERT INTO @threads(remote_id, local_id, status, created_at, sort_at) "
                         "VALUES ($1, $2, 'regular', $3, $3) ON CONFLICT (local_id) DO NOTHING"),
              {remote_id, local_thread_id, now}, "cannot create a thread");
  Result r =
      impl_->exec(impl_->sql("SELECT remote_id, external_id FROM @threads WHERE local_id = $1"),
                  {local_thread_id}, "cannot create a thread");
  if (r.rows() == 0) impl_->fail("cannot create a thread", "the new thread is not there");
  return RemoteThreadInitializeResult{r.text(0, 0), r.opt_text(0, 1)};
}

void PostgresStore::rename(const std::string& remote_id, const std::string& new_title) {
  std::lock_guard lock(impl_->mutex);
  impl_->update_thread("UPDATE @threads SET title = $2 WHERE remote_id = $1",
                       {remote_id, new_title}, remote_id, "cannot rename a thread");
}

std::string PostgresStore::title_unless_titled(const std::string& remote_id,
                                               const std::string& title) {
  std::lock_guard lock(impl_->mutex);
  Result r = impl_->exec(
      impl_->sql("UPDATE @threads SET title = CASE WHEN title IS NULL OR title = '' THEN $2 "
                 "ELSE title END WHERE remote_id = $1 RETURNING title"),
      {remote_id, title}, "cannot title a thread");
  if (r.rows() == 0)
    throw Error(ErrorKind::ThreadNotFound, "no thread with remote id " + remote_id);
  return r.text(0, 0);
}

void PostgresStore::update_custom(const std::string& remote_id, const std::optional<Json>& custom) {
  Param text;
  if (custom) text = custom->dump();
  std::lock_guard lock(impl_->mutex);
  impl_->update_thread("UPDATE @threads SET custom = $2 WHERE remote_id = $1", {remote_id, text},
                       remote_id, "cannot update custom metadata");
}

void PostgresStore::archive(const std::string& remote_id) {
  std::lock_guard lock(impl_->mutex);
  impl_->update_thread("UPDATE @threads SET status = 'archived' WHERE remote_id = $1", {remote_id},
                       remote_id, "cannot archive a thread");
}

void PostgresStore::unarchive(const std::string& remote_id) {
  std::lock_guard lock(impl_->mutex);
  impl_->update_thread("UPDATE @threads SET status = 'regular' WHERE remote_id = $1", {remote_id},
                       remote_id, "cannot unarchive a thread");
}

void PostgresStore::remove(const std::string& remote_id) {
  std::lock_guard lock(impl_->mutex);
  impl_->transaction("cannot delete a thread", [&] {
    Result t = impl_->exec(impl_->sql("DELETE FROM @threads WHERE remote_id = $1"), {remote_id},
                           "cannot delete a thread");
    if (t.affected() == 0)
      throw Error(ErrorKind::ThreadNotFound, "no thread with remote id " + remote_id);
    impl_->exec(impl_->sql("DELETE FROM @messages WHERE thread_id = $1"), {remote_id},
                "cannot delete a thread");
  });
}

RemoteThreadMetadata PostgresStore::fetch(const std::string& thread_id) {
  std::lock_guard lock(impl_->mutex);
  Result r =
      impl_->exec(impl_->sql((std::string("SELECT ") + thread_columns_pg +
                              " FROM @threads WHERE remote_id = $1 UNION ALL SELECT " +
                              thread_columns_pg + " FROM @threads WHERE local_id = $1 LIMIT 1")
                                 .c_str()),
                  {thread_id}, "cannot fetch a thread");
  if (r.rows() == 0) throw Error(ErrorKind::ThreadNotFound, "no thread with id " + thread_id);
  return impl_->read_thread(r, 0);
}

}  // namespace aui
