#pragma once
// The thread store both apps (aui-chat, aui-desktop) open before their runtime exists: the SQLite
// file when it is built and opens, else threads in memory only — with the sentence saying which.

#include <memory>
#include <string>

#include "aui/adapters/thread_store.hpp"

namespace aui::chat {

/// Where the threads are kept: the options --db, --memory and --recover-db of both apps.
struct StoreOptions {
  /// The thread store's file (empty: aui's file in the user's data directory).
  std::string db_path{};
  /// Keep threads in memory only.
  bool memory = false;
  /// When the file is damaged, copy what can be read into a new file (the damaged one is kept
  /// beside it, unchanged) and go on with that.
  bool recover_db = false;
};

/// The thread store of a session and what to tell the user about it.
struct AppStore {
  std::shared_ptr<ThreadStore> store;  // null: threads in memory only
  std::string line;                    // the banner line: where threads are kept, or why not
  std::string problem;                 // why threads cannot be saved; empty if fine
};

/// Opens the SQLite store the options name (unless `memory` or built without it). A store that
/// cannot be opened is reported in `line`/`problem` and left untouched; never throws. `app` is
/// the program the sentences tell the user to start again (with --recover-db).
AppStore open_app_store(const StoreOptions& options, const std::string& app = "aui-chat");

}  // namespace aui::chat
