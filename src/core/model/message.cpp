// The data model's small functions: ids, time, names, derived part status (spec §2.5) and the
// conversion of failures into AssistantError (spec §2.10).

#include "aui/model/message.hpp"

#include <algorithm>
#include <initializer_list>
#include <random>

#include "aui/support/errors.hpp"

namespace aui {

Timestamp now_timestamp() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

Id generate_id() {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<int> pick(0, 61);
  Id id(7, '0');
  for (auto& c : id) c = kAlphabet[pick(rng)];
  return id;
}

std::string_view to_string(Role role) noexcept {
  switch (role) {
    case Role::User: return "user";
    case Role::Assistant: return "assistant";
    case Role::System: return "system";
  }
  return "user";
}

std::string_view to_string(StatusType type) noexcept {
  switch (type) {
    case StatusType::Running: return "running";
    case StatusType::RequiresAction: return "requires-action";
    case StatusType::Complete: return "complete";
    case StatusType::Incomplete: return "incomplete";
  }
  return "complete";
}

std::string_view to_string(StatusReason reason) noexcept {
  switch (reason) {
    case StatusReason::None: return "";
    case StatusReason::ToolCalls: return "tool-calls";
    case StatusReason::Interrupt: return "interrupt";
    case StatusReason::Stop: return "stop";
    case StatusReason::Unknown: return "unknown";
    case StatusReason::Cancelled: return "cancelled";
    case StatusReason::Length: return "length";
    case StatusReason::ContentFilter: return "content-filter";
    case StatusReason::Other: return "other";
    case StatusReason::Error: return "error";
  }
  return "";
}

std::string_view to_string(PartType type) noexcept {
  switch (type) {
    case PartType::Text: return "text";
    case PartType::Reasoning: return "reasoning";
    case PartType::ToolCall: return "tool-call";
    case PartType::Source: return "source";
    case PartType::Image: return "image";
    case PartType::File: return "file";
    case PartType::Audio: return "audio";
    case PartType::Data: return "data";
    case PartType::GenerativeUI: return "generative-ui";
  }
  return "text";
}

bool part_allowed(Role role, PartType type) noexcept {
  switch (role) {
    case Role::User:
      return type == PartType::Text || type == PartType::Image || type == PartType::File ||
             type == PartType::Data || type == PartType::Audio;
    case Role::Assistant: return type != PartType::Audio;
    case Role::System: return type == PartType::Text;
  }
  return false;
}

const AssistantMetadata& MessageMetadata::assistant_or_default() const {
  static const AssistantMetadata kEmpty;
  return assistant ? *assistant : kEmpty;
}

std::string ThreadMessage::text() const {
  std::string out;
  bool first = true;
  for (const auto& part : content) {
    const auto* t = part.get_if<TextPart>();
    if (!t) continue;
    if (!first) out += "\n\n";
    out += t->text.view();
    first = false;
  }
  return out;
}

namespace {

// Rule 5: the last part reports the message status with its reason (complete/stop and
// complete/unknown stay apart); only a part's own status drops a complete reason (rule 3).
PartStatus from_message_status(const MessageStatus& s) {
  PartStatus p;
  p.type = s.type;
  p.reason = s.type == StatusType::Running ? StatusReason::None : s.reason;
  return p;
}

PartStatus normalized(const PartStatus& s) {
  PartStatus p = s;
  if (p.type == StatusType::Complete) p.reason = StatusReason::None;
  if (p.type == StatusType::Incomplete) {
    switch (p.reason) {
      case StatusReason::Cancelled:
      case StatusReason::Length:
      case StatusReason::ContentFilter:
      case StatusReason::Other:
      case StatusReason::Error: break;
      default: p.reason = StatusReason::Other;  // an unknown incomplete reason
    }
  }
  return p;
}

std::optional<PartStatus> own_status(const ContentPart& part) {
  if (const auto* t = part.get_if<TextPart>()) return t->status;
  if (const auto* r = part.get_if<ReasoningPart>()) return r->status;
  return std::nullopt;
}

}  // namespace

PartStatus part_status(const ThreadMessage& message, std::size_t index) {
  const PartStatus complete{StatusType::Complete, StatusReason::None};
  // 1. Non-assistant messages.
  if (message.role != Role::Assistant) return complete;
  const ContentPart* part = index < message.content.size() ? &message.content[index] : nullptr;
  // 2. Tool calls: unresolved → the message status; resolved → complete.
  if (part) {
    if (const auto* call = part->get_if<ToolCallPart>()) {
      if (call->result) return complete;
      PartStatus p{message.status.type, message.status.reason};
      if (p.type == StatusType::Running) p.reason = StatusReason::None;
      return p;
    }
  }
  // 3. While running, a part's own status wins.
  if (message.status.type == StatusType::Running && part) {
    if (auto own = own_status(*part)) return normalized(*own);
  }
  // 4. Paused for action: everything else is complete.
  if (message.status.type == StatusType::RequiresAction) return complete;
  // 5. The last part carries the message status.
  const std::size_t last = message.content.empty() ? 0 : message.content.size() - 1;
  if (index == last) return from_message_status(message.status);
  return complete;
}

namespace {

// A string member that, when present, is one of `allowed`.
bool optional_member_in(const Json& j, const char* key,
                        std::initializer_list<std::string_view> allowed) {
  const auto it = j.find(key);
  if (it == j.end()) return true;
  if (!it->is_string()) return false;
  const auto& value = it->get_ref<const std::string&>();
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

// Spec §2.10: string code and message, and the optional fields valid when present.
bool is_assistant_error(const Json& j) {
  if (!j.is_object()) return false;
  const auto code = j.find("code");
  const auto message = j.find("message");
  return code != j.end() && code->is_string() && message != j.end() && message->is_string() &&
         optional_member_in(j, "severity", {"critical", "warning", "info"}) &&
         optional_member_in(j, "display", {"inline", "toast", "silent", "dev-only"});
}

}  // namespace

Json to_assistant_error(const std::exception_ptr& error) {
  if (!error) return Json{{"code", "unknown"}, {"message", "unknown error"}};
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return Json{{"code", "unknown"}, {"message", e.what()}};
  } catch (const std::string& s) {
    return Json{{"code", "unknown"}, {"message", s}};
  } catch (const char* s) {
    return Json{{"code", "unknown"}, {"message", s ? s : ""}};
  } catch (const Json& j) {
    if (is_assistant_error(j)) return j;
    return Json{{"code", "unknown"}, {"message", "[json] " + j.dump()}};
  } catch (...) {
    return Json{{"code", "unknown"}, {"message", "[unknown exception]"}};
  }
}

}  // namespace aui
