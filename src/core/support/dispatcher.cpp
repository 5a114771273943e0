// ManualDispatcher and EventLoop.

#include "aui/support/dispatcher.hpp"

#include <algorithm>
#include <thread>
#include <utility>

#include "aui/support/completion.hpp"
#include "support/spin.hpp"

namespace aui {

// ---------------------------------------------------------------------------------------------
// ManualDispatcher

ManualDispatcher::ManualDispatcher(std::function<void()> on_post) : on_post_(std::move(on_post)) {}

void ManualDispatcher::post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(task));
  }
  if (on_post_) on_post_();
}

std::size_t ManualDispatcher::run_pending() {
  std::deque<std::function<void()>> batch;
  {
    std::lock_guard lock(mutex_);
    batch.swap(queue_);
  }
  for (auto& task : batch) task();
  return batch.size();
}

bool ManualDispatcher::empty() const {
  std::lock_guard lock(mutex_);
  return queue_.empty();
}

// ---------------------------------------------------------------------------------------------
// EventLoop

namespace {

// How long the owner spins for a task before it sleeps. A worker's result typically arrives
// within microseconds of the previous one; catching it while spinning avoids a futex wake-up
// and a context switch on both sides.
constexpr auto kSpin = std::chrono::microseconds(50);

// Orders the timer heap so that its front is the earliest timer.
struct LaterTimer {
  template <class T>
  bool operator()(const T& a, const T& b) const {
    return a.due != b.due ? a.due > b.due : a.seq > b.seq;
  }
};

}  // namespace

EventLoop::EventLoop() = default;
EventLoop::~EventLoop() = default;

void EventLoop::post(std::function<void()> task) {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(task));
    has_tasks_.store(true, std::memory_order_release);
    wake = sleeping_;
  }
  if (wake) cv_.notify_one();
}

bool EventLoop::post_after(std::chrono::steady_clock::duration delay, std::function<void()> task) {
  bool wake;
  {
    std::lock_guard lock(mutex_);
    timers_.push_back(
        Timer{std::chrono::steady_clock::now() + delay, timer_seq_++, std::move(task)});
    std::push_heap(timers_.begin(), timers_.end(), LaterTimer{});
    wake = sleeping_;  // a sleeping owner recomputes when to wake up
  }
  if (wake) cv_.notify_one();
  return true;
}

void EventLoop::release_due_timers(std::chrono::steady_clock::time_point now) {
  while (!timers_.empty() && timers_.front().due <= now) {
    std::pop_heap(timers_.begin(), timers_.end(), LaterTimer{});
    queue_.push_back(std::move(timers_.back().task));
    timers_.pop_back();
    has_tasks_.store(true, std::memory_order_relaxed);
  }
}

void EventLoop::take_queue() {
  std::lock_guard lock(mutex_);
  if (!timers_.empty()) release_due_timers(std::chrono::steady_clock::now());
  if (running_.empty()) {
    running_.swap(queue_);
  } else {
    // A task is pumping the loop from inside a batch: what is left of that batch runs first.
    for (auto& task : queue_) running_.push_back(std::move(task));
    queue_.clear();
  }
  has_tasks_.store(false, std::memory_order_relaxed);
}

void EventLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  cv_.notify_all();
}

std::size_t EventLoop::run_pending() {
  take_queue();
  std::size_t n = 0;
  while (!running_.empty()) {
    auto task = std::move(running_.front());
    running_.pop_front();
    task();
    ++n;
  }
  return n;
}

bool EventLoop::wait_for_task(std::chrono::steady_clock::time_point deadline, bool wait_forever) {
  // The owner's spin policy lives with its thread (one owner thread per loop), which keeps it out
  // of the public header.
  thread_local detail::SpinPolicy policy;
  if (policy.should_spin()) {
    const auto spin_until = std::chrono::steady_clock::now() + kSpin;
    while (!has_tasks_.load(std::memory_order_acquire) &&
           std::chrono::steady_clock::now() < spin_until) {
      detail::cpu_relax();
    }
    policy.spun(has_tasks_.load(std::memory_order_acquire));
  }
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!timers_.empty()) release_due_timers(std::chrono::steady_clock::now());
    if (!queue_.empty() || stopped_) return !queue_.empty();
    if (!wait_forever && std::chrono::steady_clock::now() >= deadline) return false;
    sleeping_ = true;
    if (timers_.empty() && wait_forever) {
      cv_.wait(lock);
    } else {
      auto wake = wait_forever ? timers_.front().due : deadline;
      if (!timers_.empty()) wake = std::min(wake, timers_.front().due);
      cv_.wait_until(lock, wake);
    }
    sleeping_ = false;
  }
}

bool EventLoop::run_until(const std::function<bool()>& done) {
  while (!done()) {
    {
      std::lock_guard lock(mutex_);
      if (stopped_) {
        stopped_ = false;
        return false;
      }
    }
    if (!wait_for_task({}, true)) continue;
    take_queue();
    while (!running_.empty()) {
      auto task = std::move(running_.front());
      running_.pop_front();
      task();
      if (done()) {
        // Put back what this batch did not run, ahead of newer tasks.
        std::lock_guard lock(mutex_);
        while (!running_.empty()) {
          queue_.push_front(std::move(running_.back()));
          running_.pop_back();
        }
        if (!queue_.empty()) has_tasks_.store(true, std::memory_order_relaxed);
        return true;
      }
    }
  }
  return true;
}

bool EventLoop::run_until(const Completion& completion) {
  return run_until([&] { return completion.ready(); });
}

void EventLoop::run() {
  run_until([] { return false; });
}

std::size_t EventLoop::run_for(std::chrono::milliseconds timeout) {
  wait_for_task(std::chrono::steady_clock::now() + timeout, false);
  return run_pending();
}

}  // namespace aui
