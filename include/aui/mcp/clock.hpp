#pragma once
// The time MCP requests are timed by. Timeouts are long (a minute by default), so tests give the
// client a ManualClock and move it on instead of waiting.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "aui/support/subscription.hpp"

namespace aui::mcp {

/// A clock for timeouts.
class McpClock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~McpClock() = default;
  virtual time_point now() const = 0;
  /// Calls `wake` (on the thread that moved the clock) whenever the time jumps instead of
  /// passing by itself, so that waits recheck their deadlines. The steady clock never jumps.
  virtual Subscription on_jump(std::function<void()> wake) {
    (void)wake;
    return {};
  }
};

/// std::chrono::steady_clock, shared.
std::shared_ptr<McpClock> steady_mcp_clock();

/// A clock that moves only when advance() is called: for tests. Thread-safe.
class ManualClock : public McpClock {
 public:
  time_point now() const override;
  Subscription on_jump(std::function<void()> wake) override;
  /// Moves the time on and wakes every wait, so a request past its deadline times out now.
  void advance(std::chrono::steady_clock::duration by);
  /// How many times now() was called: a test that sees it grow after advance() knows a waiting
  /// request has looked at the new time (and decided whether it timed out), without sleeping.
  std::uint64_t reads() const noexcept { return reads_.load(); }

 private:
  std::atomic<std::chrono::steady_clock::duration::rep> ticks_{0};
  mutable std::atomic<std::uint64_t> reads_{0};
  struct Listeners {
    std::mutex mutex;
    std::map<int, std::function<void()>> wakes;
    int next = 0;
  };
  std::shared_ptr<Listeners> listeners_ = std::make_shared<Listeners>();
};

}  // namespace aui::mcp
