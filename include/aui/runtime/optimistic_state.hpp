#pragma once
// OptimisticState<T>: a value changed at once by operations whose outcome comes later, rolled
// back when they fail (spec §14.14). The thread list keeps its state in one.

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace aui {

/// A base value plus the transforms still in flight. The visible value is the base with every
/// pending transform's loading and optimistic functions, and every completed transform's
/// optimistic function, applied in **invocation order**, so overlapping updates land in the order
/// they were made whatever order they complete in.
///
/// A transform is started with start() (its effect is visible at once) and settled by the caller
/// with succeed() or fail(). Failing drops the effect (the rollback). Succeeding folds it into
/// the base: base := then(optimistic(base)), and the effects of transforms completed while others
/// were pending are re-applied over it, so a `then` that replaces the whole base (a list response)
/// cannot undo a mutation that already succeeded. reset() discards everything pending; a late
/// succeed()/fail() of a discarded transform changes nothing.
///
/// Optimistic functions must be idempotent (they may be applied to a base that contains them).
/// Owner thread only, like the runtime that holds it.
template <class T>
class OptimisticState {
 public:
  using Update = std::function<T(T)>;
  using Ticket = std::uint64_t;

  explicit OptimisticState(T base = T{}) : base_(std::move(base)), value_(base_) {}

  /// What readers see.
  const T& value() const noexcept { return value_; }
  /// The confirmed value (nothing pending applied).
  const T& base() const noexcept { return base_; }
  /// Some transform is still in flight.
  bool pending() const noexcept {
    for (const auto& e : entries_) {
      if (!e.completed) return true;
    }
    return false;
  }

  /// Records a transform as pending and applies it to the visible value. `loading` shows while
  /// it is pending only; `optimistic` shows until it settles and, on success, stays.
  Ticket start(Update optimistic, Update loading = {}) {
    const Ticket ticket = ++next_ticket_;
    entries_.push_back(Entry{ticket, std::move(optimistic), std::move(loading), false});
    recompute();
    return ticket;
  }

  /// The transform succeeded; `then` (optional) turns the optimistic base into the new base,
  /// e.g. by merging the adapter's answer. Unknown (discarded) tickets change nothing.
  void succeed(Ticket ticket, const Update& then = {}) {
    auto it = find(ticket);
    if (it == entries_.end() || it->completed) return;
    T next = it->optimistic ? it->optimistic(std::move(base_)) : std::move(base_);
    if (then) next = then(std::move(next));
    // Completed effects over the new base: all of them after a `then` (it may have replaced
    // what they did), else those started later (earlier ones are already under it).
    for (auto e = entries_.begin(); e != entries_.end(); ++e) {
      if (!e->completed || !e->optimistic) continue;
      if (then || e->ticket > ticket) next = e->optimistic(std::move(next));
    }
    base_ = std::move(next);
    it->completed = true;
    it->loading = {};
    settle_completed();
    recompute();
  }

  /// The transform failed: its effect disappears.
  void fail(Ticket ticket) {
    auto it = find(ticket);
    if (it == entries_.end() || it->completed) return;
    entries_.erase(it);
    settle_completed();
    recompute();
  }

  /// Replaces the base directly (not optimistic); pending transforms stay on top.
  void update_base(const Update& f) {
    base_ = f(std::move(base_));
    recompute();
  }

  /// Drops every pending and completed transform and starts over from `base`.
  void reset(T base) {
    entries_.clear();
    base_ = std::move(base);
    recompute();
  }

 private:
  struct Entry {
    Ticket ticket;
    Update optimistic;
    Update loading;
    bool completed;
  };

  typename std::vector<Entry>::iterator find(Ticket ticket) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->ticket == ticket) return it;
    }
    return entries_.end();
  }

  // Once nothing is pending, completed effects are part of the base for good.
  void settle_completed() {
    if (!pending()) entries_.clear();
  }

  void recompute() {
    T v = base_;
    for (const auto& e : entries_) {
      if (!e.completed && e.loading) v = e.loading(std::move(v));
      if (e.optimistic) v = e.optimistic(std::move(v));
    }
    value_ = std::move(v);
  }

  T base_;
  T value_;
  std::vector<Entry> entries_;  // invocation order
  Ticket next_ticket_ = 0;
};

}  // namespace aui
