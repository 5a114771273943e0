// The deterministic test driver: a counted set of worker threads and an owner queue that only
// the test drains.

#include "aui/testing/driver.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace aui::testing {

using Clock = std::chrono::steady_clock;

struct Driver::State {
  mutable std::mutex mutex;
  std::condition_variable cv;
  std::deque<std::function<void()>> tasks;
  bool timers_enabled = false;
  Clock::time_point now{};
  std::multimap<Clock::time_point, std::function<void()>> timers;  // equal keys keep posting order
  int busy = 0;                                                    // workers running, not parked
  std::vector<std::thread> threads;
  bool closed = false;  // the driver is gone: later jobs run on detached threads
  std::chrono::milliseconds patience{10000};
};

namespace {

class Queue final : public Dispatcher {
 public:
  explicit Queue(std::shared_ptr<Driver::State> s) : s_(std::move(s)) {}
  void post(std::function<void()> task) override {
    {
      std::lock_guard lock(s_->mutex);
      s_->tasks.push_back(std::move(task));
    }
    s_->cv.notify_all();
  }
  bool post_after(Clock::duration delay, std::function<void()> task) override {
    std::lock_guard lock(s_->mutex);
    if (!s_->timers_enabled) return false;
    s_->timers.emplace(s_->now + delay, std::move(task));
    return true;
  }

 private:
  std::shared_ptr<Driver::State> s_;
};

class Workers final : public Executor {
 public:
  explicit Workers(std::shared_ptr<Driver::State> s) : s_(std::move(s)) {}
  void execute(std::function<void()> job) override {
    std::lock_guard lock(s_->mutex);
    ++s_->busy;
    std::thread worker([s = s_, job = std::move(job)]() mutable {
      job();
      job = nullptr;  // what the job holds goes before the driver hears it ended
      {
        std::lock_guard inner(s->mutex);
        --s->busy;
      }
      s->cv.notify_all();
    });
    if (s_->closed) {
      worker.detach();  // nobody is left to join it; it holds the state it needs
    } else {
      s_->threads.push_back(std::move(worker));
    }
  }

 private:
  std::shared_ptr<Driver::State> s_;
};

// Runs `batch` on the calling (owner) thread. A task that throws leaves the ones after it queued,
// in order, for the next settle(); the exception goes to the test.
std::size_t run_batch(Driver::State& s, std::deque<std::function<void()>> batch) {
  std::size_t ran = 0;
  while (!batch.empty()) {
    auto task = std::move(batch.front());
    batch.pop_front();
    try {
      task();
    } catch (...) {
      std::lock_guard lock(s.mutex);
      s.tasks.insert(s.tasks.begin(), std::make_move_iterator(batch.begin()),
                     std::make_move_iterator(batch.end()));
      throw;
    }
    ++ran;
  }
  return ran;
}

}  // namespace

Driver::Driver()
    : state_(std::make_shared<State>()),
      dispatcher_(std::make_shared<Queue>(state_)),
      executor_(std::make_shared<Workers>(state_)) {}

Driver::~Driver() {
  // Join until no worker is left: a worker may start another job (a history write that follows
  // the one it finished) while we join.
  for (;;) {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(state_->mutex);
      if (state_->threads.empty()) {
        state_->closed = true;
        return;
      }
      threads.swap(state_->threads);
    }
    for (auto& t : threads) t.join();
  }
}

std::shared_ptr<Dispatcher> Driver::dispatcher() const { return dispatcher_; }

std::shared_ptr<Executor> Driver::executor() const { return executor_; }

std::size_t Driver::settle() {
  std::size_t ran = 0;
  for (;;) {
    std::deque<std::function<void()>> batch;
    {
      std::unique_lock lock(state_->mutex);
      const bool progressed = state_->cv.wait_for(
          lock, state_->patience, [&] { return !state_->tasks.empty() || state_->busy == 0; });
      if (!progressed) {
        throw Stuck("settle(): nothing happened for " + std::to_string(state_->patience.count()) +
                    " ms; a worker is blocked on something other than a Gate or its stop token");
      }
      if (state_->tasks.empty() && state_->busy == 0) return ran;
      batch.swap(state_->tasks);
    }
    ran += run_batch(*state_, std::move(batch));
  }
}

std::size_t Driver::run_pending() {
  std::deque<std::function<void()>> batch;
  {
    std::lock_guard lock(state_->mutex);
    batch.swap(state_->tasks);
  }
  return run_batch(*state_, std::move(batch));
}

void Driver::enable_timers() {
  std::lock_guard lock(state_->mutex);
  state_->timers_enabled = true;
}

std::function<Clock::time_point()> Driver::clock() const {
  return [s = state_] {
    std::lock_guard lock(s->mutex);
    return s->now;
  };
}

Clock::time_point Driver::now() const {
  std::lock_guard lock(state_->mutex);
  return state_->now;
}

void Driver::advance(Clock::duration by) {
  {
    std::lock_guard lock(state_->mutex);
    state_->now += by;
    auto& timers = state_->timers;
    while (!timers.empty() && timers.begin()->first <= state_->now) {
      state_->tasks.push_back(std::move(timers.begin()->second));
      timers.erase(timers.begin());
    }
  }
  state_->cv.notify_all();
}

std::size_t Driver::pending_timers() const {
  std::lock_guard lock(state_->mutex);
  return state_->timers.size();
}

void Driver::set_patience(std::chrono::milliseconds patience) {
  std::lock_guard lock(state_->mutex);
  state_->patience = patience;
}

std::chrono::milliseconds Driver::patience() const {
  std::lock_guard lock(state_->mutex);
  return state_->patience;
}

void Driver::park() {
  {
    std::lock_guard lock(state_->mutex);
    --state_->busy;
  }
  state_->cv.notify_all();
}

void Driver::unpark() {
  std::lock_guard lock(state_->mutex);
  ++state_->busy;
}

// ---- Gate ----

struct Gate::Impl {
  mutable std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  std::vector<Driver*> parked;  // one entry per parked worker
};

std::shared_ptr<Gate::Impl> Gate::make_impl() { return std::make_shared<Impl>(); }

void Gate::release() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->open = true;
    // Busy again before they wake: a settle() on another thread cannot slip in between.
    for (Driver* d : impl_->parked) d->unpark();
    impl_->parked.clear();
  }
  impl_->cv.notify_all();
}

void Gate::wait(Driver& driver) {
  std::unique_lock lock(impl_->mutex);
  if (impl_->open) return;
  impl_->parked.push_back(&driver);
  driver.park();
  impl_->cv.wait(lock, [&] { return impl_->open; });
}

bool Gate::is_open() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->open;
}

int Gate::waiting() const {
  std::lock_guard lock(impl_->mutex);
  return static_cast<int>(impl_->parked.size());
}

void wait_for_stop(Driver& driver, std::stop_token stop) {
  std::mutex m;
  std::condition_variable_any cv;
  bool parked = false;
  // Runs on the thread that requests the stop, before request_stop() returns: the worker counts
  // as busy again before the owner can settle.
  std::stop_callback wake(stop, [&] {
    std::lock_guard lock(m);
    if (parked) {
      driver.unpark();
      parked = false;
    }
    cv.notify_all();
  });
  std::unique_lock lock(m);
  if (!stop.stop_requested()) {
    parked = true;
    driver.park();
  }
  cv.wait(lock, [&] { return stop.stop_requested(); });
}

}  // namespace aui::testing
