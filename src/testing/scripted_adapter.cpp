// ScriptedAdapter: plays the test's script for each call and records the calls.

#include "aui/testing/scripted_adapter.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <stdexcept>
#include <utility>

namespace aui::testing {

// ---- CallLog ----

void CallLog::record(const ChatModelRunOptions& options) {
  MessagePtr at_call = options.get_message ? options.get_message() : nullptr;
  std::lock_guard lock(mutex_);
  calls_.push_back({options, std::move(at_call)});
}

void CallLog::clear() {
  std::lock_guard lock(mutex_);
  calls_.clear();
}

std::size_t CallLog::size() const {
  std::lock_guard lock(mutex_);
  return calls_.size();
}

CallLog::Call CallLog::at(std::size_t i) const {
  std::lock_guard lock(mutex_);
  if (i == 0 || i > calls_.size()) {
    throw std::out_of_range("CallLog::at(" + std::to_string(i) + "): there were " +
                            std::to_string(calls_.size()) + " calls (they are counted from 1)");
  }
  return calls_[i - 1];
}

// ---- Step ----

Step Step::yield(ChatModelRunResult result) {
  Step s;
  s.kind_ = Kind::Yield;
  s.result_ = std::make_shared<const ChatModelRunResult>(std::move(result));
  return s;
}

Step Step::yield(const std::string& text) { return yield(ChatModelRunResult::text(Text(text))); }

Step Step::wait(Gate& gate) {
  Step s;
  s.kind_ = Kind::Wait;
  s.gate_ = &gate;
  return s;
}

Step Step::wait_for_stop() {
  Step s;
  s.kind_ = Kind::WaitForStop;
  return s;
}

Step Step::fail(const std::string& message) {
  return fail(std::make_exception_ptr(std::runtime_error(message)));
}

Step Step::fail(std::exception_ptr error) {
  Step s;
  s.kind_ = Kind::Fail;
  s.error_ = std::move(error);
  return s;
}

// ---- ScriptedAdapter ----

namespace {

struct Script {
  std::vector<Step> steps;
  bool deferred = false;
};

// The outcome of one deferred call, which the test may give before or after the call starts.
struct Deferred {
  Gate gate;
  std::optional<ChatModelRunResult> result;
  std::exception_ptr error;
  bool settled = false;
};

}  // namespace

struct ScriptedAdapter::State {
  Driver* driver = nullptr;
  std::mutex mutex;
  std::vector<Script> scripts;
  std::size_t started = 0;  // calls numbered so far
  std::map<std::size_t, std::shared_ptr<Deferred>> deferred;
  CallLog calls;

  // Needs mutex.
  std::shared_ptr<Deferred>& slot(std::size_t call) {
    auto& d = deferred[call];
    if (!d) d = std::make_shared<Deferred>();
    return d;
  }

  void settle(std::size_t call, std::optional<ChatModelRunResult> result,
              std::exception_ptr error) {
    if (call == 0) throw std::out_of_range("ScriptedAdapter: calls are counted from 1");
    std::shared_ptr<Deferred> d;
    {
      std::lock_guard lock(mutex);
      d = slot(call);
      if (d->settled) {
        throw std::logic_error("ScriptedAdapter: call " + std::to_string(call) +
                               " was already resolved or rejected");
      }
      d->settled = true;
      d->result = std::move(result);
      d->error = std::move(error);
    }
    d->gate.release();
  }
};

ScriptedAdapter::ScriptedAdapter(Driver& driver) : state_(std::make_shared<State>()) {
  state_->driver = &driver;
}

ScriptedAdapter& ScriptedAdapter::add(std::vector<Step> steps, bool deferred) {
  std::lock_guard lock(state_->mutex);
  state_->scripts.push_back({std::move(steps), deferred});
  return *this;
}

ScriptedAdapter& ScriptedAdapter::reply(const std::string& text) {
  return add({Step::yield(text)}, false);
}

ScriptedAdapter& ScriptedAdapter::reply(ChatModelRunResult result) {
  return add({Step::yield(std::move(result))}, false);
}

ScriptedAdapter& ScriptedAdapter::stream(std::vector<Step> steps) {
  return add(std::move(steps), false);
}

ScriptedAdapter& ScriptedAdapter::fail(const std::string& message) {
  return add({Step::fail(message)}, false);
}

ScriptedAdapter& ScriptedAdapter::defer() { return add({}, true); }

ScriptedAdapter& ScriptedAdapter::hang() { return add({Step::wait_for_stop()}, false); }

void ScriptedAdapter::resolve(std::size_t call, ChatModelRunResult result) {
  state_->settle(call, std::move(result), nullptr);
}

void ScriptedAdapter::resolve(std::size_t call, const std::string& text) {
  resolve(call, ChatModelRunResult::text(Text(text)));
}

void ScriptedAdapter::reject(std::size_t call, std::exception_ptr error) {
  state_->settle(call, std::nullopt, std::move(error));
}

void ScriptedAdapter::reject(std::size_t call, const std::string& message) {
  reject(call, std::make_exception_ptr(std::runtime_error(message)));
}

const CallLog& ScriptedAdapter::calls() const { return state_->calls; }

ChatModelAdapter ScriptedAdapter::adapter() const {
  return [state = state_](const ChatModelRunOptions& options, RunResultSink& sink) {
    std::size_t call = 0;
    Script script;
    std::shared_ptr<Deferred> deferred;
    {
      std::lock_guard lock(state->mutex);
      call = ++state->started;
      state->calls.record(options);
      if (state->scripts.empty()) {
        throw std::logic_error("ScriptedAdapter: call " + std::to_string(call) +
                               " has no script (add one with reply(), stream(), fail(), defer() "
                               "or hang())");
      }
      script = state->scripts[std::min(call, state->scripts.size()) - 1];
      if (script.deferred) deferred = state->slot(call);
    }
    Driver& driver = *state->driver;
    if (deferred) {
      deferred->gate.wait(driver);
      if (deferred->error) std::rethrow_exception(deferred->error);
      sink.yield(*deferred->result);
      return;
    }
    for (const Step& step : script.steps) {
      switch (step.kind()) {
        case Step::Kind::Yield: sink.yield(*step.result_); break;
        case Step::Kind::Wait: step.gate_->wait(driver); break;
        case Step::Kind::WaitForStop: wait_for_stop(driver, options.stop_token); break;
        case Step::Kind::Fail: std::rethrow_exception(step.error_);
      }
    }
  };
}

}  // namespace aui::testing
