#include "support/stream_fixtures.hpp"

#include <fstream>
#include <sstream>

#include "support/source_paths.hpp"

namespace aui::stream_fixtures {

std::filesystem::path streams_dir() {
  return aui::testing::source_dir() / "tests" / "fixtures" / "streams";
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

void PrintTo(const StreamCase& c, std::ostream* os) { *os << c.file; }

std::vector<StreamCase> load_cases() {
  std::vector<StreamCase> cases;
  const Json all = Json::parse(read_file(streams_dir() / "expected.json"), nullptr, false);
  if (all.is_discarded() || !all.contains("streams")) return cases;
  for (const Json& stream : all["streams"]) {
    for (const Json& file : stream["files"]) {
      const std::string name = file.get<std::string>();
      if (name.ends_with(".sse"))
        cases.push_back({name, stream["wire"].get<std::string>(), stream["expected"]});
    }
  }
  return cases;
}

std::string test_name(const ::testing::TestParamInfo<StreamCase>& info) {
  std::string name;
  for (char c : info.param.file) {
    name.push_back(
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
  }
  return name;
}

std::vector<std::string_view> random_cuts(std::string_view bytes, std::uint32_t seed,
                                          std::size_t max_len) {
  std::vector<std::string_view> out;
  std::uint64_t state = seed;
  for (std::size_t pos = 0; pos < bytes.size();) {
    state = state * 48271 % 2147483647;
    const std::size_t len = 1 + static_cast<std::size_t>(state % max_len);
    out.push_back(bytes.substr(pos, len));
    pos += len;
  }
  return out;
}

std::string replace_lf(std::string_view bytes, std::string_view with) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    if (c == '\n') {
      out.append(with);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool is_refusal_part(const TextPart& t) {
  const Json& m = t.provider_metadata;
  if (!m.is_object()) return false;
  for (const char* provider : {"openai", "anthropic"}) {
    const auto it = m.find(provider);
    if (it != m.end() && it->is_object() && it->contains("refusal")) return true;
  }
  return false;
}

std::string answer_text_of(const Content& content) {
  std::string out;
  for (const auto& part : content) {
    if (const auto* t = part.get_if<TextPart>(); t && !is_refusal_part(*t))
      out.append(t->text.view());
  }
  return out;
}

std::string refusal_of(const Content& content) {
  std::string out;
  for (const auto& part : content) {
    if (const auto* t = part.get_if<TextPart>(); t && is_refusal_part(*t))
      out.append(t->text.view());
  }
  return out;
}

std::string reasoning_of(const Content& content) {
  std::string out;
  for (const auto& part : content) {
    if (const auto* reasoning = part.get_if<ReasoningPart>()) out.append(reasoning->text.view());
  }
  return out;
}

std::vector<const ToolCallPart*> tool_calls_of(const Content& content) {
  std::vector<const ToolCallPart*> out;
  for (const auto& part : content) {
    if (const auto* call = part.get_if<ToolCallPart>()) out.push_back(call);
  }
  return out;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string expected_refusal(const std::string& wire, const Json& e) {
  if (wire == "openai") return e["refusal"].is_string() ? e["refusal"].get<std::string>() : "";
  if (e["finish_reason"] == "refusal" && e.contains("stop_details") &&
      e["stop_details"].is_object() && e["stop_details"].contains("explanation"))
    return e["stop_details"]["explanation"].get<std::string>();
  return "";
}

MessageStatus expected_status(const StreamCase& c, const Json& e) {
  if (!e["errors"].empty()) return MessageStatus::incomplete(StatusReason::Error);
  const std::string end =
      e["terminated_by"].is_string() ? e["terminated_by"].get<std::string>() : "";
  bool client_calls = false;
  for (const Json& call : e["tool_calls"]) client_calls |= call["kind"] != "server_tool_use";
  const MessageStatus tool_or_stop = client_calls
                                         ? MessageStatus::requires_action(StatusReason::ToolCalls)
                                         : MessageStatus::complete(StatusReason::Stop);
  const std::string reason =
      e["finish_reason"].is_string() ? e["finish_reason"].get<std::string>() : "";
  if (c.wire == "anthropic") {
    if (end != "message_stop") return MessageStatus::incomplete(StatusReason::Error);
    if (reason == "end_turn" || reason == "stop_sequence" || reason == "tool_use")
      return tool_or_stop;
    if (reason == "max_tokens") return MessageStatus::incomplete(StatusReason::Length);
    if (reason == "refusal") return MessageStatus::incomplete(StatusReason::ContentFilter);
    return MessageStatus::incomplete(StatusReason::Other);
  }
  // OpenAI ends a refusal with "stop"; aui shows it as incomplete/content-filter.
  const auto refused_or = [&](const MessageStatus& s) {
    return !client_calls && e["refusal"].is_string()
               ? MessageStatus::incomplete(StatusReason::ContentFilter)
               : s;
  };
  if (reason.empty()) {
    return end == "[DONE]" ? refused_or(tool_or_stop)
                           : MessageStatus::incomplete(StatusReason::Error);
  }
  if (reason == "stop" || reason == "tool_calls") return refused_or(tool_or_stop);
  if (reason == "length") return MessageStatus::incomplete(StatusReason::Length);
  if (reason == "content_filter") return MessageStatus::incomplete(StatusReason::ContentFilter);
  return MessageStatus::incomplete(StatusReason::Other);
}

}  // namespace aui::stream_fixtures
