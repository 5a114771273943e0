#include "chat_setup.hpp"

#include <chrono>
#include <exception>

#include "capability_commands.hpp"
#include "user_errors.hpp"
#ifdef AUI_CHAT_HAS_SQLITE
#include "aui/stores/sqlite_store.hpp"
#endif

namespace aui::chat {

ChatStore open_chat_store(const ChatOptions& options) {
  // The threads: kept in the SQLite store when it opens. A store that cannot be opened (a damaged
  // file, a newer schema, a read-only file, a directory without access) is reported and left
  // untouched, and the chat goes on in memory; a damaged file can be recovered (--recover-db).
  ChatStore result;
  std::shared_ptr<ThreadStore>& store = result.store;
  std::string& store_line = result.line;
  std::string& store_problem = result.problem;
  store_line = "threads are kept in memory only (--memory)";
#ifdef AUI_CHAT_HAS_SQLITE
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
                     "damaged one is kept beside it), start aui-chat again with --recover-db.";
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

ThreadListRuntimeOptions chat_list_options(const ChatOptions& options, ChosenAdapter& chosen,
                                           const ChatStore& opened,
                                           const std::shared_ptr<SaveStatus>& save_status,
                                           std::shared_ptr<TrackedThreadList>& tracked) {
  ThreadListRuntimeOptions list_options;
  auto& runtime_options = list_options.thread;
  runtime_options.chat_model = std::move(chosen.adapter);
  runtime_options.human_tool_names = human_tool_names(chosen.tools);
  // A real model may call tools a few times before it answers.
  runtime_options.max_steps = 8;
  runtime_options.enable_message_queue = true;  // typed during a reply: queued, not superseding
  // A reply is checkpointed while it streams, so a crash loses at most the last quarter second.
  runtime_options.history_checkpoint_interval = std::chrono::milliseconds(250);
  // Attachments, speech, feedback and suggestions, the same for every thread.
  const ThreadAdapters capabilities =
      make_chat_adapters(runtime_options.chat_model, options.capabilities);
  runtime_options.adapters = capabilities;
  // The list's calls are counted so that /quit lets a rename or a title finish first.
  if (auto store = opened.store) {
    list_options.adapter = tracked = std::make_shared<TrackedThreadList>(
        store, [save_status](const std::string& what, const std::string& why) {
          save_status->report(SaveStatus::Event::ListFailed, {},
                              what + ": " + storage_error_text(why));
        });
    list_options.adapters_for = [store, capabilities, save_status](const ThreadListItem& item) {
      ThreadAdapters adapters = capabilities;
      adapters.history =
          save_status->watch(store->history(item.remote_id.value_or(item.id)), item.id);
      return adapters;
    };
  }
  return list_options;
}

}  // namespace aui::chat
