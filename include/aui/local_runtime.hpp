#pragma once
// LocalRuntime: the entry point. Give it a run function; it owns the chat state.

#include <memory>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/runtime/thread_list_runtime.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/completion.hpp"
#include "aui/support/dispatcher.hpp"
#include "aui/support/owner_thread.hpp"

namespace aui {

/// A chat runtime: a list of threads (spec §14.2) kept by the in-memory list adapter, or by the
/// RemoteThreadListAdapter given in the options, with one thread shown at a time.
///
///     aui::LocalRuntime rt([](const aui::ChatModelRunOptions& o) {
///       return aui::ChatModelRunResult::text("You said: " + o.messages.back()->text());
///     });
///     rt.wait(rt.thread().append("hi"));
///     rt.wait(rt.threads().switch_to_new_thread());  // a second conversation
///
/// Without a dispatcher in the options it makes its own EventLoop, which wait() and
/// event_loop() drive; with one, the host's loop drives it.
class LocalRuntime {
 public:
  /// Threads kept in memory, each running `chat_model`, driven by the runtime's own loop.
  explicit LocalRuntime(ChatModelAdapter chat_model);
  /// Threads kept in memory, each made with `options` (adapters, dispatcher, queue, ...).
  explicit LocalRuntime(ThreadRuntimeOptions options);
  /// Everything, including the list adapter that keeps the threads (a store, for persistence).
  explicit LocalRuntime(ThreadListRuntimeOptions options);
  /// Detaches every thread: runs are cancelled and their late results dropped.
  ~LocalRuntime();

  /// The main thread: the one shown (it changes when the list switches threads).
  ThreadRuntime& thread() {
    owner_.check("LocalRuntime::thread");
    return threads_->main_thread();
  }
  /// The list of threads.
  ThreadListRuntime& threads() noexcept {
    owner_.check("LocalRuntime::threads");
    return *threads_;
  }
  /// The runtime's own loop, or nullptr when the host supplied a dispatcher.
  EventLoop* event_loop() noexcept { return loop_.get(); }
  /// Runs the own loop until `completion` settles, then rethrows its failure if any. With a host
  /// dispatcher this only checks (the host's loop must run).
  void wait(const Completion& completion);

 private:
  OwnerThread owner_;  // owner thread only (checked in debug and sanitizer builds)
  std::shared_ptr<EventLoop> loop_;
  std::unique_ptr<ThreadListRuntime> threads_;
};

}  // namespace aui
