#pragma once
// aui-chat's thread commands: /threads, /new, /switch N, /rename TEXT, /archive, /delete,
// /search TEXT — over the runtime's thread list and, when it has one, the
// store that keeps the threads across restarts.

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "aui/thread_list_runtime.hpp"
#include "aui/thread_store.hpp"

namespace aui::chat {

/// The thread commands of the chat. Owner thread only. Store calls (search) run on a worker.
class ChatThreads {
 public:
  /// `store` may be null (threads in memory only: no /search).
  ChatThreads(ThreadListRuntime& list, std::shared_ptr<ThreadStore> store, std::ostream& out);
  ChatThreads(const ChatThreads&) = delete;
  ChatThreads& operator=(const ChatThreads&) = delete;
  ~ChatThreads();

  /// Whether `command` (e.g. "/threads") is one of these.
  static bool handles(const std::string& command);
  /// The lines of /help for these commands.
  static const char* help();

  /// Runs a command with the rest of its line. `show` is called with the thread to show when the
  /// main thread changed; `done(error)` once the command has finished (error empty on success).
  void run(const std::string& command, const std::string& args, const std::function<void(ThreadRuntime&)>& show,
           std::function<void(const std::string& error)> done);

  /// The numbered listing /threads prints (regular threads newest first, then archived ones).
  std::vector<std::string> listing() const;

 private:
  std::string describe(const std::string& id) const;
  void list_threads();
  ThreadListRuntime& list_;
  std::shared_ptr<ThreadStore> store_;
  std::ostream& out_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aui::chat
