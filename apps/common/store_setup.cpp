// The thread store of aui-chat and aui-desktop (store_setup.hpp).

#include "store_setup.hpp"

#include <exception>

#include "save_status.hpp"
#ifdef AUI_APP_HAS_SQLITE
#include "aui/stores/sqlite_store.hpp"
#endif

namespace aui::chat {

AppStore open_app_store(const StoreOptions& options, const std::string& app) {
  // The threads: kept in the SQLite store when it opens. A store that cannot be opened (a damaged
  // file, a newer schema, a read-only file, a directory without access) is reported and left
  // untouched, and the chat goes on in memory; a damaged file can be recovered (--recover-db).
  AppStore result;
  std::shared_ptr<ThreadStore>& store = result.store;
  std::string& store_line = result.line;
  std::string& store_problem = result.problem;
  store_line = "threads are kept in memory only (--memory)";
#ifdef AUI_APP_HAS_SQLITE
  if (!options.memory) {
    SqliteStoreOptions store_options;
    if (!options.db_path.empty()) store_options.path = options.db_path;
    auto open_store = [&] {
      auto sqlite = SqliteStore::open(store_options);
      // The integrity check, so that a damaged file is reported now, not at the first save.
      sqlite->verify();
      store_line = "threads are kept in " + sqlite->path().string() + " (/threads lists them)";
      store = std::move(sqlite);
    };
    try {
      open_store();
    } catch (const SqliteDamagedError& e) {
      const std::string path = e.path().string();
      const std::string why = storage_error_text(e.what());
      if (options.recover_db) {
        try {
          const auto r = SqliteStore::recover(e.path());
          open_store();
          store_line = "The damaged thread file " + path +
                       " was recovered: " + std::to_string(r.threads) + " threads and " +
                       std::to_string(r.messages) + " messages could be read and are in a new " +
                       path + (r.unreadable ? " (some parts could not be read and are lost)" : "") +
                       ".\nThe damaged file is kept, unchanged, as " + r.damaged_kept_as.string() +
                       ".\n" + store_line;
        } catch (const std::exception& failed) {
          store_problem = why;
          store_line = "The thread file " + path + " is damaged, and recovering it failed: " +
                       storage_error_text(failed.what()) +
                       ".\nThe file was left as it was. Threads are kept in memory only: nothing "
                       "of this session is saved.";
        }
      } else {
        store_problem = why;
        store_line = "The thread file " + path + " is damaged: " + why +
                     ".\nIt was not changed. Threads are kept in memory only: nothing of this "
                     "session is saved.\nTo copy what can still be read into a new file (the "
                     "damaged one is kept beside it), start " +
                     app + " again with --recover-db.";
      }
    } catch (const std::exception& e) {
      store_problem = storage_error_text(e.what());
      store_line = "Threads cannot be saved: " + store_problem +
                   ".\nThreads are kept in memory only: nothing of this session is saved.";
    }
  }
#else
  (void)options;
  store_line = "threads are kept in memory only (built without SQLite)";
#endif
  return result;
}

}  // namespace aui::chat
