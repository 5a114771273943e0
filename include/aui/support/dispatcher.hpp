#pragma once
// Dispatcher: how results reach the owner thread. The host provides one (Qt posts a queued call,
// a terminal app feeds its own loop); aui ships EventLoop for headless programs and
// ManualDispatcher for hosts that pump work themselves.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

namespace aui {

class Completion;

/// Runs tasks on the owner thread of a runtime.
class Dispatcher {
 public:
  virtual ~Dispatcher() = default;
  /// Queues `task` to run later on the owner thread, in posting order. Thread-safe; never runs
  /// the task inline.
  virtual void post(std::function<void()> task) = 0;
  /// Queues `task` to run on the owner thread no sooner than `delay` from now, and returns true;
  /// or returns false, queuing nothing, when this dispatcher has no timer. Thread-safe.
  ///
  /// The runtime uses it to apply a fast stream's updates at a steady pace (see
  /// ThreadRuntimeOptions::stream_update_interval). A host that drains its queue once per frame
  /// paces the updates by itself and may keep this default.
  virtual bool post_after(std::chrono::steady_clock::duration delay, std::function<void()> task) {
    (void)delay;
    (void)task;
    return false;
  }
};

/// A dispatcher whose queue the host drains by calling run_pending() on the owner thread, e.g.
/// from its own event loop. `on_post` (optional) is called on the posting thread after each post
/// so the host can wake its loop.
class ManualDispatcher : public Dispatcher {
 public:
  explicit ManualDispatcher(std::function<void()> on_post = {});
  void post(std::function<void()> task) override;
  /// Runs the tasks queued so far (not ones they post). Returns how many ran.
  std::size_t run_pending();
  bool empty() const;

 private:
  mutable std::mutex mutex_;
  std::deque<std::function<void()>> queue_;
  std::function<void()> on_post_;
};

/// aui's own owner loop for programs without one: the owner thread calls run_until() or run().
/// Waiting spins briefly before sleeping, so a result handed over from a worker is picked up in
/// well under a microsecond on an idle core instead of paying a full sleep/wake. It has a timer:
/// a task posted with post_after() joins the queue once its delay has passed.
class EventLoop : public Dispatcher {
 public:
  EventLoop();
  ~EventLoop() override;
  void post(std::function<void()> task) override;
  bool post_after(std::chrono::steady_clock::duration delay, std::function<void()> task) override;

  /// Runs tasks until `done()` is true (checked after each task). Returns false if stop() was
  /// called first.
  bool run_until(const std::function<bool()>& done);
  /// Runs until `completion` has settled.
  bool run_until(const Completion& completion);
  /// Runs until stop() is called.
  void run();
  /// Makes run()/run_until() return. Thread-safe.
  void stop();
  /// Runs the tasks already queued; returns how many ran. Never blocks.
  std::size_t run_pending();
  /// Waits up to `timeout` for a task, runs the queued tasks; returns how many ran.
  std::size_t run_for(std::chrono::milliseconds timeout);

 private:
  struct Timer {
    std::chrono::steady_clock::time_point due;
    std::uint64_t seq;  // keeps timers with the same due time in posting order
    std::function<void()> task;
  };
  bool wait_for_task(std::chrono::steady_clock::time_point deadline,
                     bool wait_forever);  // not `forever`: a Qt macro
  /// Moves the timers that are due into the queue. Needs mutex_.
  void release_due_timers(std::chrono::steady_clock::time_point now);
  /// Moves the queue to the end of running_ after releasing due timers. running_ is shared by
  /// nested runs (a task that pumps the loop), so tasks keep their order.
  void take_queue();
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::deque<std::function<void()>> running_;
  std::vector<Timer> timers_;  // a min-heap on (due, seq)
  std::uint64_t timer_seq_ = 0;
  bool stopped_ = false;
  bool sleeping_ = false;
  std::atomic<bool> has_tasks_{false};  // lets the owner spin without taking the mutex
};

}  // namespace aui
