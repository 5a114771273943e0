// The deterministic runtime test driver.

#include "runtime_driver.hpp"

#include <chrono>

#include "aui/support/errors.hpp"

namespace aui::testing {

void Driver::Queue::post(std::function<void()> task) {
  {
    std::lock_guard lock(d_.mutex_);
    d_.tasks_.push_back(std::move(task));
  }
  d_.cv_.notify_all();
}

bool Driver::Queue::post_after(std::chrono::steady_clock::duration delay,
                               std::function<void()> task) {
  std::lock_guard lock(d_.mutex_);
  if (!d_.timers_enabled_) return false;
  d_.timers_.emplace(d_.now_ + delay, std::move(task));  // equal due times keep posting order
  return true;
}

void Driver::enable_timers() {
  std::lock_guard lock(mutex_);
  timers_enabled_ = true;
}

std::function<std::chrono::steady_clock::time_point()> Driver::clock() {
  return [self = shared_from_this()] {
    std::lock_guard lock(self->mutex_);
    return self->now_;
  };
}

void Driver::advance(std::chrono::steady_clock::duration by) {
  {
    std::lock_guard lock(mutex_);
    now_ += by;
    while (!timers_.empty() && timers_.begin()->first <= now_) {
      tasks_.push_back(std::move(timers_.begin()->second));
      timers_.erase(timers_.begin());
    }
  }
  cv_.notify_all();
}

std::size_t Driver::pending_timers() {
  std::lock_guard lock(mutex_);
  return timers_.size();
}

void Driver::Workers::execute(std::function<void()> job) {
  std::lock_guard lock(d_.mutex_);
  ++d_.busy_;
  d_.threads_.emplace_back([d = &d_, job = std::move(job)]() mutable {
    job();
    job = nullptr;
    {
      std::lock_guard inner(d->mutex_);
      --d->busy_;
    }
    d->cv_.notify_all();
  });
}

Driver::Driver()
    : queue_(std::make_shared<Queue>(*this)), workers_(std::make_shared<Workers>(*this)) {}

Driver::~Driver() {
  // Workers still parked on a gate the test never opened would block forever: tests release
  // what they hold; joining here keeps the threads from outliving the driver.
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
}

void Driver::park() {
  {
    std::lock_guard lock(mutex_);
    --busy_;
  }
  cv_.notify_all();
}

void Driver::unpark() {
  std::lock_guard lock(mutex_);
  ++busy_;
}

void Driver::settle() {
  for (;;) {
    std::deque<std::function<void()>> batch;
    {
      std::unique_lock lock(mutex_);
      // Deadlock guard only: a test that is correct never waits this long.
      const bool progressed = cv_.wait_for(lock, std::chrono::seconds(10),
                                           [&] { return !tasks_.empty() || busy_ == 0; });
      if (!progressed) {
        ADD_FAILURE() << "settle(): nothing happened for 10 s (a worker is stuck)";
        return;
      }
      if (tasks_.empty() && busy_ == 0) return;
      batch.swap(tasks_);
    }
    for (auto& task : batch) task();
  }
}

void Gate::release() {
  {
    std::lock_guard lock(mutex_);
    open_ = true;
    if (parked_) {
      parked_->unpark();
      parked_ = nullptr;
    }
  }
  cv_.notify_all();
}

void Gate::wait(Driver& d) {
  std::unique_lock lock(mutex_);
  if (open_) return;
  parked_ = &d;
  d.park();
  cv_.wait(lock, [&] { return open_; });
}

void wait_for_abort(Driver& d, std::stop_token stop) {
  std::mutex m;
  std::condition_variable_any cv;
  bool parked = false;
  // Runs on the thread that requests the stop, before request_stop() returns: the worker counts
  // as busy again before the owner can settle.
  std::stop_callback wake(stop, [&] {
    std::lock_guard lock(m);
    if (parked) {
      d.unpark();
      parked = false;
    }
    cv.notify_all();
  });
  std::unique_lock lock(m);
  if (!stop.stop_requested()) {
    parked = true;
    d.park();
  }
  cv.wait(lock, [&] { return stop.stop_requested(); });
}

void CallLog::record(const ChatModelRunOptions& o) {
  std::lock_guard lock(mutex_);
  calls_.push_back({o, o.get_message ? o.get_message() : nullptr});
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
  return calls_.at(i - 1);
}

ChatModelRunResult T(const std::string& text) { return ChatModelRunResult::text(Text(text)); }

ToolCallPart TC(const std::string& name, const std::string& id) {
  ToolCallPart p;
  p.tool_name = name;
  p.tool_call_id = id;
  p.args = Json::object();
  p.args_text = Text("{}");
  return p;
}

ChatModelRunResult RA(Content parts) {
  ChatModelRunResult r;
  r.content = std::move(parts);
  r.status = MessageStatus::requires_action(StatusReason::ToolCalls);
  return r;
}

Approval GATE(const std::string& id) {
  Approval a;
  a.id = id;
  return a;
}

AppendMessage U(const std::string& text) { return AppendMessage::user(text); }

AppendMessage U(const std::string& text, const Id& parent, std::optional<bool> start_run) {
  AppendMessage m = AppendMessage::user(text);
  m.parent = Parent::message(parent);
  m.start_run = start_run;
  return m;
}

namespace {

std::string short_status(const MessageStatus& s) {
  switch (s.type) {
    case StatusType::Running: return "run";
    case StatusType::RequiresAction: return s.reason == StatusReason::Interrupt ? "ri" : "ra";
    case StatusType::Complete: return s.reason == StatusReason::Stop ? "cs" : "cu";
    case StatusType::Incomplete:
      switch (s.reason) {
        case StatusReason::Cancelled: return "ic";
        case StatusReason::Error: return "ie";
        case StatusReason::ToolCalls: return "it";
        default: return "i-" + std::string(to_string(s.reason));
      }
  }
  return "?";
}

}  // namespace

std::string message_string(const ThreadMessage& m) {
  std::string out = m.role == Role::User ? "u" : m.role == Role::Assistant ? "a" : "s";
  std::vector<std::string> parts;
  for (const auto& p : m.content) {
    if (const auto* t = p.get_if<TextPart>()) {
      parts.push_back("\"" + t->text.str() + "\"");
    } else if (const auto* c = p.get_if<ToolCallPart>()) {
      parts.push_back("tc(" + c->tool_name + (c->result ? "=" + c->result->dump() : "") + ")");
    } else {
      parts.push_back("<" + std::string(to_string(p.type())) + ">");
    }
  }
  if (parts.size() == 1 && parts[0][0] == '"') {
    out += parts[0];
  } else {
    out += "[";
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
    out += "]";
  }
  if (m.role == Role::Assistant) out += "·" + short_status(m.status);
  return out;
}

std::string branch_string(const ThreadRuntime& thread) {
  std::string out = "[";
  bool first = true;
  for (const auto& m : thread.messages()) {
    out += (first ? "" : ", ") + message_string(*m);
    first = false;
  }
  return out + "]";
}

std::optional<ErrorKind> failure_kind(const Completion& c) {
  if (!c.failed()) return std::nullopt;
  try {
    std::rethrow_exception(c.error());
  } catch (const Error& e) {
    return e.kind();
  } catch (...) {
    return std::nullopt;
  }
}

std::string failure_message(const Completion& c) {
  if (!c.failed()) return {};
  try {
    std::rethrow_exception(c.error());
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "?";
  }
}

}  // namespace aui::testing
