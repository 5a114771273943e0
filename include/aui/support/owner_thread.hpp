#pragma once
// OwnerThread and Lifetime: the two rules every runtime object keeps — it is used from one thread
// only, and work posted for it (from a worker, a completion, a timer) never runs after it is gone
// or after the state the work was started for was reset.

#include <memory>
#include <thread>
#include <utility>

namespace aui {

/// Whether this build of aui checks the owner-thread rule (debug and sanitizer builds).
bool owner_checks_enabled() noexcept;

/// The thread an object belongs to: the one that constructed it. In checked builds (see
/// owner_checks_enabled()) a call from any other thread stops the program at once with a message
/// that names the operation and both threads, instead of a data race a few calls later. In other
/// builds check() costs nothing.
class OwnerThread {
 public:
  OwnerThread() noexcept : id_(std::this_thread::get_id()) {}

  /// Stops the program when called from another thread than the owner (checked builds only).
  /// `operation` names the public operation, e.g. "ThreadRuntime::append".
  void check(const char* operation) const noexcept {
    if (owner_checks_enabled() && std::this_thread::get_id() != id_) fail(operation);
  }

  /// True when the calling thread is the owner (in every build).
  bool is_current() const noexcept { return std::this_thread::get_id() == id_; }

  std::thread::id id() const noexcept { return id_; }

 private:
  [[noreturn]] void fail(const char* operation) const noexcept;

  std::thread::id id_;
};

/// Lifetime: makes callbacks that run only while their owner lives and has not been reset since
/// the callback was made. It replaces the hand-made `alive` flags and generation counters of
/// asynchronous code: `lifetime.guard(fn)` is called later (on the owner thread, usually through
/// the Dispatcher) and does nothing when the owner was destroyed or reset() in between.
///
/// Owner thread only: guard(), reset() and the guarded callables' calls happen on one thread; a
/// guarded callable may be *moved* to and stored on any thread.
class Lifetime {
 public:
  Lifetime() : token_(std::make_shared<char>()) {}
  ~Lifetime() = default;
  Lifetime(const Lifetime&) = delete;
  Lifetime& operator=(const Lifetime&) = delete;

  /// A callable that calls `fn` with its arguments unless this Lifetime ended or was reset since.
  /// The call returns nothing (a skipped call has no result to give).
  template <class F>
  auto guard(F fn) const {
    return [token = std::weak_ptr<char>(token_), fn = std::move(fn)](auto&&... args) mutable {
      if (!token.expired()) fn(std::forward<decltype(args)>(args)...);
    };
  }

  /// True while callbacks guarded before now would still run. Cheap: for a guarded callable that
  /// needs to decide by itself (e.g. to release a resource either way).
  std::weak_ptr<const void> token() const { return token_; }

  /// Ends every callback guarded so far; callbacks guarded from now on run again.
  void reset() { token_ = std::make_shared<char>(); }

 private:
  std::shared_ptr<char> token_;
};

}  // namespace aui
