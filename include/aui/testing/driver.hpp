#pragma once
// Driver: runs a thread runtime deterministically in a test. The test thread is the owner; the
// adapters run on real worker threads the driver counts, and settle() runs owner work until
// nothing is left to do. Nothing sleeps, and nothing depends on a test framework.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <stop_token>

#include "aui/support/dispatcher.hpp"
#include "aui/support/executor.hpp"

namespace aui::testing {

/// Thrown by Driver::settle() when nothing happened for the driver's patience: a worker is stuck
/// on something the test never ends (a lock, a socket), not parked on a Gate.
class Stuck : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The owner queue, the workers and the clock of one test.
///
///     aui::testing::Driver driver;
///     aui::ThreadRuntimeOptions o;
///     o.dispatcher = driver.dispatcher();
///     o.executor = driver.executor();
///     o.clock = driver.clock();
///     ...
///     thread.append("hi");
///     driver.settle();  // the reply has arrived, or every worker waits at a gate
///
/// Call settle(), run_pending() and advance() on the test thread (the owner). The driver may be
/// destroyed while the runtime still holds its dispatcher and executor; its destructor waits for
/// every worker to end, so open every Gate and resolve every deferred call first.
class Driver {
 public:
  Driver();
  ~Driver();
  Driver(const Driver&) = delete;
  Driver& operator=(const Driver&) = delete;

  /// The owner queue: tasks run only inside settle() or run_pending(), in posting order. It has
  /// a timer on the fake clock once enable_timers() was called.
  std::shared_ptr<Dispatcher> dispatcher() const;
  /// Starts each job on a new worker thread that the driver counts as busy until the job
  /// returns, or until it parks (Gate::wait(), wait_for_stop()).
  std::shared_ptr<Executor> executor() const;

  /// Runs owner tasks, waiting for workers, until no task is queued and every worker has either
  /// ended or is parked. Returns how many tasks ran. Throws Stuck when nothing happened for
  /// patience() (a worker blocked on something other than the driver).
  std::size_t settle();
  /// Runs the owner tasks queued now (not ones they post) without waiting for workers. Returns
  /// how many ran.
  std::size_t run_pending();

  /// Gives the owner queue a timer on the fake clock: Dispatcher::post_after() then queues the
  /// task for when advance() reaches its due time. Without it post_after() refuses, so a thread
  /// runtime applies streamed updates as they arrive.
  void enable_timers();
  /// The fake clock, for ThreadRuntimeOptions::clock (or anything that takes a clock). It starts
  /// at the epoch and moves only with advance(). Thread-safe.
  std::function<std::chrono::steady_clock::time_point()> clock() const;
  std::chrono::steady_clock::time_point now() const;
  /// Moves the fake clock on; timers that fall due join the owner queue in due order (settle()
  /// runs them).
  void advance(std::chrono::steady_clock::duration by);
  /// Timers not yet due.
  std::size_t pending_timers() const;

  /// How long settle() waits for any progress before it throws Stuck (10 s by default; a test
  /// that is correct never comes near it).
  void set_patience(std::chrono::milliseconds patience);
  std::chrono::milliseconds patience() const;

  /// For test doubles of your own that block: a worker about to wait for something only the
  /// test will end calls park(); whoever ends the wait calls unpark() *before* waking it, so a
  /// settle() that follows waits for what the worker does next. Gate does this for you.
  void park();
  void unpark();

  struct State;  // shared with the dispatcher, the executor and the workers

 private:
  std::shared_ptr<State> state_;
  std::shared_ptr<Dispatcher> dispatcher_;
  std::shared_ptr<Executor> executor_;
};

/// A gate a test double waits at until the test opens it. Open stays open.
///
///     Gate g;
///     chat_model = [&](const ChatModelRunOptions&, RunResultSink& sink) {
///       sink.yield(ChatModelRunResult::text(Text("Hel")));
///       g.wait(driver);  // parked: settle() returns with the reply half-way
///       sink.yield(ChatModelRunResult::text(Text("Hello")));
///     };
class Gate {
 public:
  Gate() = default;
  Gate(const Gate&) = delete;
  Gate& operator=(const Gate&) = delete;

  /// Opens the gate. Workers parked on it count as busy again from this moment, so a settle()
  /// that follows waits for what they do next. Any thread.
  void release();
  /// Parks the calling worker until the gate is open (returns at once if it is). Any number of
  /// workers may wait.
  void wait(Driver& driver);
  bool is_open() const;
  /// How many workers are parked on the gate now.
  int waiting() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_ = make_impl();
  static std::shared_ptr<Impl> make_impl();
};

/// Parks the calling worker until `stop` fires (e.g. ChatModelRunOptions::stop_token after the
/// run was cancelled); the stop wakes it before request_stop() returns.
void wait_for_stop(Driver& driver, std::stop_token stop);

}  // namespace aui::testing
