#pragma once
// SqliteStore: threads kept in one SQLite file on this machine (target aui::sqlite).

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "aui/adapters/thread_store.hpp"
#include "aui/support/errors.hpp"

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
  /// How long the check of an existing file for damage (PRAGMA quick_check, see verify()) may
  /// take. A bigger file is checked in part; damage in the rest is reported by the call that
  /// meets it. Zero skips the check.
  std::chrono::milliseconds integrity_check_budget{2000};
};

/// The error of a store whose file is damaged (or not a database at all): a Storage error that
/// also names the file, so that an app can offer SqliteStore::recover(). The file was not
/// written to.
class SqliteDamagedError : public Error {
 public:
  SqliteDamagedError(std::filesystem::path path, const std::string& message)
      : Error(ErrorKind::Storage, message), path_(std::move(path)) {}
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

/// What SqliteStore::recover() saved.
struct SqliteRecovery {
  std::size_t threads = 0;     // thread rows copied (or rebuilt from their messages)
  std::size_t messages = 0;    // message rows copied
  std::size_t unreadable = 0;  // places where reading stopped at damage and skipped ahead
  /// Where the damaged file (with its -wal file, if any) now is, unchanged.
  std::filesystem::path damaged_kept_as{};
};

/// $XDG_DATA_HOME/aui/aui.db, or ~/.local/share/aui/aui.db when XDG_DATA_HOME is unset or not
/// absolute (the XDG base directory rule).
std::filesystem::path default_sqlite_path();

/// A ThreadStore in one SQLite file: write-ahead logging, so readers never block the writer and
/// several connections or processes can share the file (a busy lock is waited for, up to
/// busy_timeout); a versioned schema (PRAGMA user_version) migrated on open; substring search
/// (search()) through an FTS5 index of trigrams (the trigram tokenizer, case-folded).
///
///     auto store = aui::SqliteStore::open();               // ~/.local/share/aui/aui.db
///     options.adapters.history = store->history("main");   // the thread's messages persist
///
/// A file that is not an aui database, is damaged (found by open(), or by the integrity check:
/// see verify()), is read-only, cannot be created or read, or has a schema newer than
/// this build knows fails open() with aui::Error(Storage) naming the path and saying why in
/// words (SqliteDamagedError for damage); such a file is never written to. Damage met later, a
/// full disk or a lost lock fails the call that meets it the same way. docs/storage-damage.md
/// lists what each kind of damage does.
class SqliteStore final : public ThreadStore {
 public:
  /// Opens (creating if needed) and migrates the database. Storage on failure.
  static std::shared_ptr<SqliteStore> open(SqliteStoreOptions options = {});
  /// Copies what can still be read from a damaged database at `path` (threads and messages, row
  /// by row, skipping what cannot be read) into a new file, then moves the damaged file aside
  /// (to PATH.damaged-YYYYMMDD-HHMMSS, its bytes unchanged) and puts the new file at `path`. The
  /// damaged file is only read. Storage when nothing could be done; then `path` is as it was.
  static SqliteRecovery recover(const std::filesystem::path& path);
  /// The schema version this build writes.
  static constexpr int schema_version = 4;

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  /// The file this store uses.
  const std::filesystem::path& path() const noexcept;
  /// Runs the integrity check of an existing file (PRAGMA quick_check on a connection of its
  /// own, within integrity_check_budget; some 20 ms of CPU for 10,000 messages) unless it ran
  /// already, and throws SqliteDamagedError if it found damage. open() does not run it, so that
  /// opening and loading a thread stay fast; the first write does, so a damaged file is never
  /// written to (the write fails with the same error). An app calls it after open() to report
  /// damage at once.
  void verify();

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
