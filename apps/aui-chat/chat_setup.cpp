#include "chat_setup.hpp"

#include <chrono>
#include <exception>

#include "capability_commands.hpp"
#include "user_errors.hpp"

namespace aui::chat {

ChatStore open_chat_store(const ChatOptions& options) {
  // The store is opened by the code aui-desktop shares (apps/common/store_setup.cpp).
  return open_app_store({options.db_path, options.memory, options.recover_db}, "aui-chat");
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
