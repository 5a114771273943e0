#pragma once
// SqliteStore: threads kept in one SQLite file on this machine (target aui::sqlite).

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "aui/adapters/thread_store.hpp"

namespace aui {

/// How a SqliteStore opens its file.
struct SqliteStoreOptions {
  /// The database file; default_sqlite_path() when empty. Its directory is created if missing.
  std::filesystem::path path{};
  /// How long a write waits for another connection or process holding the lock before it fails.
  std::chrono::milliseconds busy_timeout{5000};
  /// true: every commit is flushed to disk (synchronous=FULL), surviving a power cut; false
  /// (default): WAL with synchronous=NORMAL, which survives a crash of the app but may lose the
  /// last commits on a power cut, at a fraction of the cost.
  bool sync_every_commit = false;
  /// Turn `running` messages left by a crash into incomplete ones on open (recover_interrupted).
  /// Turn it off for a second process that opens a file an app is writing to right now.
  bool recover_interrupted = true;
  /// Threads per list() page.
  std::size_t page_size = 50;
};

/// $XDG_DATA_HOME/aui/aui.db, or ~/.local/share/aui/aui.db when XDG_DATA_HOME is unset or not
/// absolute (the XDG base directory rule).
std::filesystem::path default_sqlite_path();

/// A ThreadStore in one SQLite file: write-ahead logging, so readers never block the writer and
/// several connections or processes can share the file (a busy lock is waited for, up to
/// busy_timeout); a versioned schema (PRAGMA user_version) migrated on open; full-text search
/// with FTS5.
///
///     auto store = aui::SqliteStore::open();               // ~/.local/share/aui/aui.db
///     options.adapters.history = store->history("main");   // the thread's messages persist
///
/// A file that is not an aui database, is corrupt, cannot be created or read, or has a schema
/// newer than this build knows fails open() (or the call that meets the damage) with
/// aui::Error(Storage) naming the path; such a file is never overwritten.
class SqliteStore final : public ThreadStore {
 public:
  /// Opens (creating if needed) and migrates the database. Storage on failure.
  static std::shared_ptr<SqliteStore> open(SqliteStoreOptions options = {});
  /// The schema version this build writes.
  static constexpr int schema_version = 2;

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  /// The file this store uses.
  const std::filesystem::path& path() const noexcept;

  // ThreadStore
  std::vector<ThreadSearchHit> search(const std::string& query, std::size_t limit = 20) override;
  std::size_t recover_interrupted() override;
  std::vector<ExportedMessageRepositoryItem> read_messages(const std::string& remote_id) override;
  void write_message(const std::string& remote_id,
                     const ExportedMessageRepositoryItem& item) override;
  /// One transaction for all the items.
  void write_messages(const std::string& remote_id,
                      const std::vector<ExportedMessageRepositoryItem>& items) override;
  void delete_messages(const std::string& remote_id, const std::vector<Id>& ids) override;
  std::string title_unless_titled(const std::string& remote_id, const std::string& title) override;

  // RemoteThreadListAdapter
  RemoteThreadListPage list(const std::optional<std::string>& after) override;
  /// Creates a thread with a fresh remote id and remembers the local id, so fetch() finds it by
  /// either; initializing the same local id again returns the same thread.
  RemoteThreadInitializeResult initialize(const std::string& local_thread_id) override;
  void rename(const std::string& remote_id, const std::string& new_title) override;
  void update_custom(const std::string& remote_id, const std::optional<Json>& custom) override;
  void archive(const std::string& remote_id) override;
  void unarchive(const std::string& remote_id) override;
  /// Deletes the thread and all its messages.
  void remove(const std::string& remote_id) override;
  RemoteThreadMetadata fetch(const std::string& thread_id) override;

  struct Impl;
  explicit SqliteStore(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace aui
