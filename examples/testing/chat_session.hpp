#pragma once
// The application code under test: a chat session with a status line, as a front end would have.
// It takes its dispatcher and executor from outside, so a test can hand it aui::testing's.

#include <aui/runtime/thread_runtime.hpp>

#include <memory>
#include <string>

namespace app {

class ChatSession {
 public:
  ChatSession(aui::ChatModelAdapter model, std::shared_ptr<aui::Dispatcher> dispatcher,
              std::shared_ptr<aui::Executor> executor) {
    aui::ThreadRuntimeOptions o;
    o.chat_model = std::move(model);
    o.dispatcher = std::move(dispatcher);
    o.executor = std::move(executor);
    thread_ = std::make_unique<aui::ThreadRuntime>(std::move(o));
  }

  void send(const std::string& text) { thread_->append(text); }
  void stop() { thread_->cancel_run(); }

  /// What the status bar shows: "Thinking…" before the first words of a reply, "Typing…"
  /// while they stream, "Stopped." after a cancel, the error after a failure, else nothing.
  std::string status_line() const {
    const auto& messages = thread_->messages();
    if (messages.empty() || messages.back()->role != aui::Role::Assistant) return "";
    const aui::ThreadMessage& reply = *messages.back();
    if (reply.status.type == aui::StatusType::Running)
      return reply.text().empty() ? "Thinking…" : "Typing…";
    if (reply.status.is(aui::StatusType::Incomplete, aui::StatusReason::Cancelled))
      return "Stopped.";
    if (reply.status.is(aui::StatusType::Incomplete, aui::StatusReason::Error))
      return "Something went wrong: " + reply.status.error->value("message", std::string("?"));
    return "";
  }

  std::string last_reply() const {
    const auto& messages = thread_->messages();
    return messages.empty() ? "" : std::string(messages.back()->text());
  }

 private:
  std::unique_ptr<aui::ThreadRuntime> thread_;
};

}  // namespace app
