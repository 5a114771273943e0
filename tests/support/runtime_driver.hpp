#pragma once
// A deterministic driver for thread-runtime tests: the test thread is the owner; adapters run on
// real worker threads that the driver counts; settle() runs owner work until nothing is pending
// and every worker is either finished or parked on a test gate. Nothing sleeps.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/dispatcher.hpp"
#include "aui/support/executor.hpp"

namespace aui::testing {

/// Shared state of the owner queue and the worker count.
class Driver : public std::enable_shared_from_this<Driver> {
 public:
  class Queue : public Dispatcher {
   public:
    explicit Queue(Driver& d) : d_(d) {}
    void post(std::function<void()> task) override;
    bool post_after(std::chrono::steady_clock::duration delay, std::function<void()> task) override;

   private:
    Driver& d_;
  };
  class Workers : public Executor {
   public:
    explicit Workers(Driver& d) : d_(d) {}
    void execute(std::function<void()> job) override;

   private:
    Driver& d_;
  };

  Driver();
  ~Driver();

  std::shared_ptr<Dispatcher> dispatcher() { return queue_; }
  std::shared_ptr<Executor> executor() { return workers_; }

  /// Runs owner tasks until none is pending and no worker is running (parked ones don't count).
  void settle();
  /// Gives the queue a timer on a fake clock that only advance() moves. Without it the queue
  /// has no timer (post_after() refuses), so streamed updates are applied as they arrive.
  void enable_timers();
  /// The fake clock, for ThreadRuntimeOptions::clock.
  std::function<std::chrono::steady_clock::time_point()> clock();
  /// Moves the fake clock on; timers that fall due join the queue (settle() runs them).
  void advance(std::chrono::steady_clock::duration by);
  std::size_t pending_timers();

  /// Called by a worker about to block on the test / after it woke up.
  void park();
  void unpark();

 private:
  friend class Queue;
  friend class Workers;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool timers_enabled_ = false;
  std::chrono::steady_clock::time_point now_{};
  std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> timers_;
  int busy_ = 0;
  std::vector<std::thread> threads_;
  std::shared_ptr<Queue> queue_;
  std::shared_ptr<Workers> workers_;
};

/// A gate a scripted adapter waits at until the test releases it.
class Gate {
 public:
  /// Opens the gate. A worker parked on it counts as busy again from this moment, so a settle()
  /// that follows waits for what the worker does next.
  void release();
  /// Parks the calling worker until released.
  void wait(Driver& d);

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
  Driver* parked_ = nullptr;
};

/// Parks the calling worker until `stop` fires.
void wait_for_abort(Driver& d, std::stop_token stop);

/// Records the adapter calls of a test: options as received and get_message() at call time.
class CallLog {
 public:
  struct Call {
    ChatModelRunOptions options;
    MessagePtr message_at_call;
  };
  void record(const ChatModelRunOptions& o);
  void clear();
  std::size_t size() const;
  Call at(std::size_t i) const;  // 1-based, as the scenarios count calls

 private:
  mutable std::mutex mutex_;
  std::vector<Call> calls_;
};

// Result and part shorthands of the scenario notation.
ChatModelRunResult T(const std::string& text);
ToolCallPart TC(const std::string& name, const std::string& id);
ChatModelRunResult RA(Content parts);
Approval GATE(const std::string& id);
AppendMessage U(const std::string& text);
AppendMessage U(const std::string& text, const Id& parent,
                std::optional<bool> start_run = std::nullopt);

/// `[u"hi", a"Hello"·cu]`: the current branch in the scenario notation, for assertions.
std::string branch_string(const ThreadRuntime& thread);
std::string message_string(const ThreadMessage& m);

/// The kind of the aui::Error a completion failed with, or nullopt when it did not fail so.
std::optional<ErrorKind> failure_kind(const Completion& c);
std::string failure_message(const Completion& c);

}  // namespace aui::testing
