#pragma once
// PostgresStore: threads kept in a PostgreSQL database that many app instances share (target
// aui::postgres).

#include <cstddef>
#include <memory>
#include <string>

#include "aui/adapters/thread_store.hpp"

namespace aui {

/// How a PostgresStore connects.
struct PostgresStoreOptions {
  /// A libpq connection string, e.g. "host=127.0.0.1 port=5432 dbname=aui user=aui" or a
  /// postgresql:// URI. Empty: libpq's defaults (PGHOST, PGDATABASE, ... environment variables).
  std::string conninfo{};
  /// The schema that holds aui's tables (created if missing), so one database can hold several
  /// independent stores.
  std::string schema = "aui";
  /// Turn `running` messages into incomplete ones on open (recover_interrupted). Off by default:
  /// with many instances sharing the database, a reply another instance is streaming right now
  /// is `running` too. Turn it on in a single instance, or call recover_interrupted() when you
  /// know no instance is streaming.
  bool recover_interrupted = false;
  /// Threads per list() page.
  std::size_t page_size = 50;
};

/// A ThreadStore in PostgreSQL, for many app instances sharing threads: one connection per store
/// (calls are serialised on it; open one store per worker for parallelism), a versioned schema
/// migrated on open under an advisory lock (instances starting together migrate once), and
/// substring search (search(), the same results as the SQLite store's) with ILIKE through a GIN
/// trigram index (the pg_trgm extension, from postgresql-contrib; created in the database when
/// missing — it is a trusted extension, so the database's owner may create it).
///
/// Storage errors name the server and database (never the password). A schema newer than this
/// build knows is refused and left untouched. A lost connection is re-established once per call.
class PostgresStore final : public ThreadStore {
 public:
  /// Connects and migrates. Storage on failure.
  static std::shared_ptr<PostgresStore> open(PostgresStoreOptions options = {});
  /// The schema version this build writes.
  static constexpr int schema_version = 3;

  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  // ThreadStore
  std::vector<ThreadSearchHit> search(const std::string& query, std::size_t limit = 20) override;
  std::size_t recover_interrupted() override;
  std::vector<ExportedMessageRepositoryItem> read_messages(const std::string& remote_id) override;
  void write_message(const std::string& remote_id,
                     const ExportedMessageRepositoryItem& item) override;
  void delete_messages(const std::string& remote_id, const std::vector<Id>& ids) override;
  std::string title_unless_titled(const std::string& remote_id, const std::string& title) override;

  // RemoteThreadListAdapter (same behaviour as SqliteStore)
  RemoteThreadListPage list(const std::optional<std::string>& after) override;
  RemoteThreadInitializeResult initialize(const std::string& local_thread_id) override;
  void rename(const std::string& remote_id, const std::string& new_title) override;
  void update_custom(const std::string& remote_id, const std::optional<Json>& custom) override;
  void archive(const std::string& remote_id) override;
  void unarchive(const std::string& remote_id) override;
  void remove(const std::string& remote_id) override;
  RemoteThreadMetadata fetch(const std::string& thread_id) override;

  struct Impl;
  explicit PostgresStore(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace aui
