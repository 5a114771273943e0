#pragma once
// Completion: the result of an asynchronous runtime operation (append, startRun, ...).

#include <exception>
#include <functional>
#include <memory>
#include <vector>

namespace aui {

/// A one-shot completion that succeeds or fails later, on the owner thread. Copies share one
/// state. Not thread-safe: it lives on the owner thread like the runtime that made it.
///
///     auto done = thread.append("hi");
///     loop.run_until(done);
///     done.rethrow_if_failed();
class Completion {
 public:
  /// A pending completion.
  Completion();
  static Completion succeeded();
  static Completion failed_with(std::exception_ptr error);

  bool ready() const noexcept;
  bool failed() const noexcept;
  bool succeeded_ok() const noexcept { return ready() && !failed(); }
  /// The failure, or nullptr when pending or successful.
  std::exception_ptr error() const noexcept;
  /// Throws the failure, if any.
  void rethrow_if_failed() const;
  /// Calls `f(error)` (nullptr on success) when the completion settles; at once if it has.
  void then(std::function<void(std::exception_ptr)> f) const;

  /// Producer side: settle the completion. Settling twice is ignored.
  void resolve() const;
  void reject(std::exception_ptr error) const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

/// A completion that settles when all of `parts` have: it fails with the first failure in the
/// given order, else succeeds.
Completion when_all(std::vector<Completion> parts);

}  // namespace aui
