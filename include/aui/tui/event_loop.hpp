#pragma once
// The UI loop of a terminal program: one thread that polls the terminal, runs the work other
// threads post to it (it is the runtime's owner thread: an aui::Dispatcher), fires timers and
// draws at most one frame per turn.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "aui/support/dispatcher.hpp"

namespace aui::tui {

struct UiLoopOptions {
  /// Frames are drawn at most this often; requests in between are merged into the next frame
  /// (a stream of 1,000 updates a second draws ~60 frames).
  std::chrono::steady_clock::duration frame_interval = std::chrono::milliseconds(16);
  /// The loop's clock; a test passes a fake one (and turns the loop with run_once()).
  std::function<std::chrono::steady_clock::time_point()> clock;
  /// Posted tasks run per turn at most this many (the rest next turn, after input is read), so a
  /// flood of posts never starves the keyboard.
  std::size_t max_tasks_per_turn = 4096;
};

/// The loop. `post` and `post_after` may be called from any thread; everything else belongs to
/// the thread that runs the loop (the owner), including every callback.
class UiLoop : public Dispatcher {
 public:
  using Clock = std::chrono::steady_clock;

  explicit UiLoop(UiLoopOptions options = {});
  ~UiLoop() override;
  UiLoop(const UiLoop&) = delete;
  UiLoop& operator=(const UiLoop&) = delete;

  // Dispatcher: thread-safe, never runs the task inline, tasks run in posting order.
  void post(std::function<void()> task) override;
  bool post_after(Clock::duration delay, std::function<void()> task) override;

  /// Calls `on_readable` on the owner thread whenever `fd` is readable (or hung up: the callback
  /// reads 0 or an error and decides). One callback per fd; unwatch() removes it.
  void watch(int fd, std::function<void()> on_readable);
  void unwatch(int fd);

  /// What draws a frame. Called on the owner thread, at most once per turn and at most once per
  /// frame interval, after a request_frame().
  void set_render(std::function<void()> render);
  /// Asks for a frame (owner thread). Many requests before the frame are one frame.
  void request_frame() noexcept { frame_requested_ = true; }
  /// Draws now if a frame is requested, ignoring the interval (e.g. right after a resize).
  void render_now();

  /// Runs turns until stop(). Returns at once if stop() came first.
  void run();
  /// One turn: waits up to `max_wait` (less when a timer, a frame or a task is due) for input or
  /// posts, then handles them, runs due timers and tasks, and draws if a frame is due. Returns
  /// false once stop() has been called.
  bool run_once(Clock::duration max_wait);
  /// Makes run() return after the current turn. Thread-safe.
  void stop();
  bool stopped() const noexcept { return stopped_.load(); }

  /// Counters, for tests and the status line.
  std::uint64_t frames_drawn() const noexcept { return frames_; }
  std::uint64_t turns() const noexcept { return turns_; }

 private:
  struct Timer {
    Clock::time_point due;
    std::uint64_t seq;
    std::function<void()> task;
  };
  struct Watch {
    int fd;
    std::function<void()> on_readable;
  };
  Clock::time_point now() const { return options_.clock ? options_.clock() : Clock::now(); }
  void wake();
  void drain_wake();

  UiLoopOptions options_;
  int wake_fd_ = -1;  // an eventfd: a post or a stop wakes poll()
  std::atomic<bool> wake_pending_{false};
  std::atomic<bool> stopped_{false};

  std::mutex mutex_;  // guards queue_ and timers_
  std::deque<std::function<void()>> queue_;
  std::vector<Timer> timers_;  // a min-heap on (due, seq)
  std::uint64_t timer_seq_ = 0;

  std::vector<Watch> watches_;
  std::function<void()> render_;
  bool frame_requested_ = false;
  bool have_drawn_ = false;
  Clock::time_point last_frame_{};
  std::uint64_t frames_ = 0;
  std::uint64_t turns_ = 0;
};

}  // namespace aui::tui
