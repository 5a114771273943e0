#pragma once
// Subscription: the handle returned by subscribe()/on(); dropping it unsubscribes.

#include <functional>
#include <utility>

namespace aui {

/// Owns one registration of a callback. Destroying (or reassigning) it unsubscribes, so keep it
/// as long as you want the calls; release() keeps the callback registered for the life of the
/// source. Safe to destroy after the source is gone.
class [[nodiscard]] Subscription {
 public:
  Subscription() noexcept = default;
  explicit Subscription(std::function<void()> unsubscribe) : unsubscribe_(std::move(unsubscribe)) {}
  Subscription(Subscription&& o) noexcept : unsubscribe_(std::exchange(o.unsubscribe_, {})) {}
  Subscription& operator=(Subscription&& o) noexcept {
    if (this != &o) {
      unsubscribe();
      unsubscribe_ = std::exchange(o.unsubscribe_, {});
    }
    return *this;
  }
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  ~Subscription() { unsubscribe(); }

  void unsubscribe() {
    if (auto f = std::exchange(unsubscribe_, {})) f();
  }
  /// Keeps the callback registered for the life of the source.
  void release() noexcept { unsubscribe_ = {}; }

 private:
  std::function<void()> unsubscribe_;
};

}  // namespace aui
