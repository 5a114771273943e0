#pragma once
// ScriptedAdapter: a chat model adapter that plays what the test wrote for each call — a fixed
// reply, a stream of cumulative results with pauses at gates, a failure, or a reply the test
// gives later — and records every call it received.

#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/testing/driver.hpp"

namespace aui::testing {

/// The calls a test double received, in order: the options as received and the message as
/// get_message() showed it at the time of the call. Thread-safe.
class CallLog {
 public:
  struct Call {
    ChatModelRunOptions options;
    MessagePtr message_at_call;  // null when the options had no get_message
  };
  void record(const ChatModelRunOptions& options);
  void clear();
  std::size_t size() const;
  /// The i-th call, counted from 1. Throws std::out_of_range when there was no such call.
  Call at(std::size_t i) const;

 private:
  mutable std::mutex mutex_;
  std::vector<Call> calls_;
};

/// One step of a scripted call.
class Step {
 public:
  /// Publishes `result`, the whole answer so far (results are cumulative, not deltas).
  static Step yield(ChatModelRunResult result);
  /// Publishes a result of one text part.
  static Step yield(const std::string& text);
  /// Parks the call until the test opens `gate`. The gate must outlive the call.
  static Step wait(Gate& gate);
  /// Parks the call until its stop token fires (the run was cancelled or superseded), then goes
  /// on with the next step.
  static Step wait_for_stop();
  /// Ends the call by throwing std::runtime_error(message): the message becomes
  /// `incomplete/error` with that text.
  static Step fail(const std::string& message);
  /// Ends the call by throwing `error` (e.g. aui::Cancelled to end it as cancelled).
  static Step fail(std::exception_ptr error);

  enum class Kind { Yield, Wait, WaitForStop, Fail };
  Kind kind() const noexcept { return kind_; }

 private:
  friend class ScriptedAdapter;
  Kind kind_ = Kind::Yield;
  std::shared_ptr<const ChatModelRunResult> result_;
  Gate* gate_ = nullptr;
  std::exception_ptr error_;
};

/// A chat model adapter whose k-th call plays the k-th script the test added; once the scripts
/// run out, the last one plays again (a test that adds one reply answers every call with it).
/// A call with no script at all fails with "no script for this call".
///
///     Driver driver;
///     ScriptedAdapter model(driver);
///     Gate g;
///     model.reply("Hello!")                                        // call 1
///          .stream({Step::yield("Hel"), Step::wait(g), Step::yield("Hello")})  // call 2
///          .defer();                                               // call 3: see resolve()
///     options.chat_model = model;
///
/// The adapter is in streaming form; a reply is published once and the call ends, which the
/// runtime applies as it would the same result returned by a plain adapter. Copies share the
/// scripts and the log. Add scripts on the test thread before the call they are for starts.
class ScriptedAdapter {
 public:
  explicit ScriptedAdapter(Driver& driver);

  /// The next call replies with one text part and ends.
  ScriptedAdapter& reply(const std::string& text);
  /// The next call replies with `result` and ends.
  ScriptedAdapter& reply(ChatModelRunResult result);
  /// The next call plays `steps` in order and ends.
  ScriptedAdapter& stream(std::vector<Step> steps);
  /// The next call fails with std::runtime_error(message).
  ScriptedAdapter& fail(const std::string& message);
  /// The next call waits until the test calls resolve() or reject() for it. It ignores its stop
  /// token (like a backend that answers late): resolve or reject it before the driver goes.
  ScriptedAdapter& defer();
  /// The next call waits for its stop token and ends without output.
  ScriptedAdapter& hang();

  /// Settles the deferred call number `call` (counted from 1, as calls()). It may come before
  /// the call starts; the call then returns at once. Any thread.
  void resolve(std::size_t call, ChatModelRunResult result);
  void resolve(std::size_t call, const std::string& text);
  void reject(std::size_t call, std::exception_ptr error);
  void reject(std::size_t call, const std::string& message);

  /// The calls received so far.
  const CallLog& calls() const;
  std::size_t call_count() const { return calls().size(); }

  /// The adapter to give a runtime (ThreadRuntimeOptions::chat_model, LocalRuntime, ...).
  ChatModelAdapter adapter() const;
  operator ChatModelAdapter() const { return adapter(); }  // NOLINT(google-explicit-constructor)

  struct State;  // shared by copies and by the calls in flight

 private:
  ScriptedAdapter& add(std::vector<Step> steps, bool deferred);
  std::shared_ptr<State> state_;
};

}  // namespace aui::testing
