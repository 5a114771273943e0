// WorkerPool: an elastic pool of worker threads for adapters, which may block.

#include "aui/support/executor.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <vector>
#include "support/spin.hpp"

namespace aui {

namespace {

// Idle workers spin this long for the next job before they sleep: a chat hands a worker a new
// roundtrip right after the previous one ended, and catching it spinning saves a wake-up.
constexpr auto kSpin = std::chrono::microseconds(50);
// Idle workers exit after this long without a job.
constexpr auto kIdleExit = std::chrono::seconds(10);

}  // namespace

struct WorkerPool::State {
  std::mutex mutex;
  std::condition_variable cv;         // jobs for sleeping workers
  std::condition_variable exited_cv;  // the destructor waits for workers here
  std::deque<std::function<void()>> jobs;
  std::atomic<std::size_t> queued{0};
  std::size_t idle = 0;      // workers waiting for a job (spinning or sleeping)
  std::size_t sleeping = 0;  // of which asleep on cv
  std::size_t workers = 0;
  bool stopping = false;
};

WorkerPool::WorkerPool() : state_(std::make_shared<State>()) {}

WorkerPool::~WorkerPool() {
  std::unique_lock lock(state_->mutex);
  state_->stopping = true;
  state_->cv.notify_all();
  // Running jobs finish; queued jobs still run (each worker drains before it exits).
  state_->exited_cv.wait(lock, [&] { return state_->workers == 0; });
}

namespace {

void worker_main(std::shared_ptr<WorkerPool::State> s);

}  // namespace

void WorkerPool::execute(std::function<void()> job) {
  bool spawn = false;
  bool wake = false;
  {
    std::lock_guard lock(state_->mutex);
    state_->jobs.push_back(std::move(job));
    state_->queued.fetch_add(1, std::memory_order_release);
    // Every queued job needs a worker of its own: jobs may block for a long time.
    if (state_->idle >= state_->jobs.size()) {
      wake = state_->sleeping > 0;
    } else {
      spawn = true;
      ++state_->workers;
    }
  }
  if (wake) state_->cv.notify_one();
  if (spawn) std::thread(worker_main, state_).detach();
}

namespace {

void worker_main(std::shared_ptr<WorkerPool::State> s) {
  detail::SpinPolicy spin;
  std::unique_lock lock(s->mutex);
  for (;;) {
    if (!s->jobs.empty()) {
      auto job = std::move(s->jobs.front());
      s->jobs.pop_front();
      s->queued.fetch_sub(1, std::memory_order_relaxed);
      lock.unlock();
      job();
      job = nullptr;  // destroy captures outside the lock
      lock.lock();
      continue;
    }
    if (s->stopping) break;
    ++s->idle;
    // Spin briefly without the lock.
    lock.unlock();
    if (spin.should_spin()) {
      const auto spin_until = std::chrono::steady_clock::now() + kSpin;
      while (s->queued.load(std::memory_order_acquire) == 0 &&
             std::chrono::steady_clock::now() < spin_until) {
        detail::cpu_relax();
      }
      spin.spun(s->queued.load(std::memory_order_acquire) != 0);
    }
    lock.lock();
    if (s->jobs.empty() && !s->stopping) {
      ++s->sleeping;
      const bool woke =
          s->cv.wait_for(lock, kIdleExit, [&] { return !s->jobs.empty() || s->stopping; });
      --s->sleeping;
      if (!woke) {
        --s->idle;
        break;  // idle too long
      }
    }
    --s->idle;
  }
  --s->workers;
  s->exited_cv.notify_all();
}

}  // namespace

std::shared_ptr<Executor> default_executor() {
  // Intentionally never destroyed: adapters may still be running at process exit.
  static auto* pool = new std::shared_ptr<Executor>(std::make_shared<WorkerPool>());
  return *pool;
}

}  // namespace aui
