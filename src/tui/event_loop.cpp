// The UI loop.

#include "aui/tui/event_loop.hpp"

#include <errno.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace aui::tui {

namespace {

bool later(const std::chrono::steady_clock::time_point& a_due, std::uint64_t a_seq,
           const std::chrono::steady_clock::time_point& b_due, std::uint64_t b_seq) {
  return a_due != b_due ? a_due > b_due : a_seq > b_seq;
}

}  // namespace

UiLoop::UiLoop(UiLoopOptions options) : options_(std::move(options)) {
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) throw std::runtime_error("The UI loop could not be set up (no eventfd).");
}

UiLoop::~UiLoop() { ::close(wake_fd_); }

void UiLoop::wake() {
  // One write per sleep is enough: posts after it, before the loop drains, need none.
  if (wake_pending_.exchange(true)) return;
  const std::uint64_t one = 1;
  const ssize_t n = ::write(wake_fd_, &one, sizeof one);
  (void)n;  // EAGAIN: the counter is full, the loop wakes anyway
}

void UiLoop::drain_wake() {
  // Read, then clear: a post that saw the flag still set before the clear pushed its task before
  // this turn takes its batch; every post after the clear writes again.
  std::uint64_t value;
  const ssize_t n = ::read(wake_fd_, &value, sizeof value);
  (void)n;
  wake_pending_.store(false);
}

void UiLoop::post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(task));
  }
  wake();
}

bool UiLoop::post_after(Clock::duration delay, std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    timers_.push_back(Timer{now() + delay, timer_seq_++, std::move(task)});
    std::push_heap(timers_.begin(), timers_.end(), [](const Timer& a, const Timer& b) {
      return later(a.due, a.seq, b.due, b.seq);
    });
  }
  wake();  // the loop recomputes its timeout
  return true;
}

void UiLoop::watch(int fd, std::function<void()> on_readable) {
  unwatch(fd);
  watches_.push_back(Watch{fd, std::move(on_readable)});
}

void UiLoop::unwatch(int fd) {
  watches_.erase(
      std::remove_if(watches_.begin(), watches_.end(), [fd](const Watch& w) { return w.fd == fd; }),
      watches_.end());
}

void UiLoop::set_render(std::function<void()> render) { render_ = std::move(render); }

void UiLoop::render_now() {
  if (!frame_requested_) return;
  frame_requested_ = false;
  last_frame_ = now();
  have_drawn_ = true;
  ++frames_;
  if (render_) render_();
}

void UiLoop::stop() {
  stopped_ = true;
  wake();
}

void UiLoop::run() {
  while (run_once(std::chrono::hours(1))) {
  }
}

bool UiLoop::run_once(Clock::duration max_wait) {
  if (stopped_) return false;
  ++turns_;
  // How long poll() may wait: not past the next timer or the next frame, not at all when tasks
  // are queued.
  Clock::time_point start = now();
  Clock::duration wait = max_wait;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!queue_.empty()) wait = Clock::duration::zero();
    if (!timers_.empty())
      wait = std::min(wait, std::max(Clock::duration::zero(), timers_.front().due - start));
  }
  if (frame_requested_) {
    const Clock::duration until_frame =
        have_drawn_ ? last_frame_ + options_.frame_interval - start : Clock::duration::zero();
    wait = std::min(wait, std::max(Clock::duration::zero(), until_frame));
  }

  std::vector<pollfd> fds;
  fds.reserve(watches_.size() + 1);
  fds.push_back(pollfd{wake_fd_, POLLIN, 0});
  for (const Watch& w : watches_) fds.push_back(pollfd{w.fd, POLLIN, 0});
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
  const int timeout = static_cast<int>(std::min<long long>(ms, 1 << 30));
  const int ready = ::poll(fds.data(), fds.size(), timeout);
  if (ready < 0 && errno != EINTR)
    throw std::runtime_error("The UI loop could not wait for input.");

  if (ready > 0) {
    if (fds[0].revents) drain_wake();
    // Input first. A callback may (un)watch: call by fd, looking each up again.
    for (std::size_t i = 1; i < fds.size(); ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))) continue;
      const int fd = fds[i].fd;
      auto it = std::find_if(watches_.begin(), watches_.end(),
                             [fd](const Watch& w) { return w.fd == fd; });
      if (it == watches_.end()) continue;
      auto callback = it->on_readable;  // a copy: the callback may unwatch itself
      callback();
      if (stopped_) return false;
    }
  }

  // Due timers join the queue in (due, seq) order; then the queued tasks run, up to the budget.
  std::deque<std::function<void()>> batch;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const Clock::time_point t = now();
    const auto cmp = [](const Timer& a, const Timer& b) {
      return later(a.due, a.seq, b.due, b.seq);
    };
    while (!timers_.empty() && timers_.front().due <= t) {
      std::pop_heap(timers_.begin(), timers_.end(), cmp);
      queue_.push_back(std::move(timers_.back().task));
      timers_.pop_back();
    }
    const std::size_t n = std::min(queue_.size(), options_.max_tasks_per_turn);
    for (std::size_t i = 0; i < n; ++i) {
      batch.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
  }
  for (auto& task : batch) {
    task();
    if (stopped_) return false;
  }

  if (frame_requested_) {
    const Clock::time_point t = now();
    if (!have_drawn_ || t - last_frame_ >= options_.frame_interval) render_now();
  }
  return !stopped_;
}

}  // namespace aui::tui
