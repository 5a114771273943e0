// Clocks for MCP timeouts (clock.hpp).

#include "aui/mcp/clock.hpp"

namespace aui::mcp {

namespace {

class SteadyClock final : public McpClock {
 public:
  time_point now() const override { return std::chrono::steady_clock::now(); }
};

}  // namespace

std::shared_ptr<McpClock> steady_mcp_clock() {
  static const auto clock = std::make_shared<SteadyClock>();
  return clock;
}

ManualClock::time_point ManualClock::now() const {
  ++reads_;
  return time_point(std::chrono::steady_clock::duration(ticks_.load()));
}

Subscription ManualClock::on_jump(std::function<void()> wake) {
  std::lock_guard lock(listeners_->mutex);
  const int id = listeners_->next++;
  listeners_->wakes.emplace(id, std::move(wake));
  return Subscription([weak = std::weak_ptr<Listeners>(listeners_), id] {
    if (auto l = weak.lock()) {
      std::lock_guard guard(l->mutex);
      l->wakes.erase(id);
    }
  });
}

void ManualClock::advance(std::chrono::steady_clock::duration by) {
  ticks_ += by.count();
  // Under the listeners' lock, so a waiter that unsubscribes is never woken after it went.
  std::lock_guard lock(listeners_->mutex);
  for (auto& [id, wake] : listeners_->wakes) wake();
}

}  // namespace aui::mcp
