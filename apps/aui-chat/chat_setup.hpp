#pragma once
// What the line mode (main.cpp) and the full-screen app (full_screen.cpp) both build before the
// runtime exists: the thread store, the save status, and the thread list's options (adapter,
// queue, checkpoints, capabilities). Each mode adds its own dispatcher, error sink and tool
// registration.

#include <memory>
#include <string>

#include "aui/adapters/thread_store.hpp"
#include "aui/runtime/thread_list_runtime.hpp"
#include "chat_app.hpp"
#include "save_status.hpp"
#include "store_setup.hpp"
#include "thread_commands.hpp"

namespace aui::chat {

/// The thread store of a session and what to tell the user about it (store_setup.hpp).
using ChatStore = AppStore;

/// Opens the SQLite store the options name (open_app_store with aui-chat's options).
ChatStore open_chat_store(const ChatOptions& options);

/// The thread list's options both modes share: `chosen`'s adapter (moved out), tools as human
/// tools, eight steps, the message queue on, 250 ms history checkpoints, the capability adapters,
/// and the store's list and per-thread history watched by `save_status`. `tracked` receives the
/// list adapter when there is a store (so that quitting can wait for it). The caller sets the
/// dispatcher, on_error and on_thread_started.
ThreadListRuntimeOptions chat_list_options(const ChatOptions& options, ChosenAdapter& chosen,
                                           const ChatStore& store,
                                           const std::shared_ptr<SaveStatus>& save_status,
                                           std::shared_ptr<TrackedThreadList>& tracked);

}  // namespace aui::chat
