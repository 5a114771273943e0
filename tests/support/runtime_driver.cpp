// The scenario notation and assertion helpers of our suites.

#include "runtime_driver.hpp"

#include "aui/support/errors.hpp"

namespace aui::testing {

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
