// The Anthropic Messages adapter.

#include "aui/backends/anthropic_adapter.hpp"

#include <algorithm>
#include <utility>

#include "aui/streaming/anthropic_stream.hpp"
#include "stream_run.hpp"

namespace aui {

namespace {

using backends_detail::is_server_tool_call;
using backends_detail::result_text;

// "data:image/png;base64,AAAA" → {media_type, data}; false when `url` is not a base64 data URL.
bool split_data_url(const std::string& url, std::string& media_type, std::string& data) {
  if (!url.starts_with("data:")) return false;
  const auto comma = url.find(',');
  const auto base64 = url.find(";base64");
  if (comma == std::string::npos || base64 == std::string::npos || base64 > comma) return false;
  media_type = url.substr(5, base64 - 5);
  data = url.substr(comma + 1);
  return true;
}

Json image_block(const std::string& image) {
  std::string media_type;
  std::string data;
  if (split_data_url(image, media_type, data)) {
    return {{"type", "image"},
            {"source", {{"type", "base64"}, {"media_type", media_type}, {"data", data}}}};
  }
  return {{"type", "image"}, {"source", {{"type", "url"}, {"url", image}}}};
}

void add_user_blocks(Json& blocks, const ContentPart& part) {
  if (const auto* t = part.get_if<TextPart>()) {
    if (!t->text.empty())
      blocks.push_back({{"type", "text"}, {"text", std::string(t->text.view())}});
  } else if (const auto* img = part.get_if<ImagePart>()) {
    blocks.push_back(image_block(img->image));
  } else if (const auto* f = part.get_if<FilePart>()) {
    std::string media_type = f->mime_type;
    std::string data = f->data;
    if (f->source_type == "url") {
      blocks.push_back({{"type", "document"}, {"source", {{"type", "url"}, {"url", f->data}}}});
    } else {
      split_data_url(f->data, media_type, data);
      blocks.push_back(
          {{"type", "document"},
           {"source", {{"type", "base64"}, {"media_type", media_type}, {"data", data}}}});
    }
  }
}

// Adds a message, joining it to the previous one when the role repeats (the API wants the roles
// to alternate).
void push(Json& messages, const char* role, Json blocks) {
  if (blocks.empty()) return;
  if (!messages.empty() && messages.back()["role"] == role) {
    for (auto& b : blocks) messages.back()["content"].push_back(std::move(b));
    return;
  }
  messages.push_back({{"role", role}, {"content", std::move(blocks)}});
}

bool is_refusal_explanation(const TextPart& t) {
  const Json& m = t.provider_metadata;
  if (!m.is_object()) return false;
  const auto a = m.find("anthropic");
  return a != m.end() && a->is_object() && a->contains("refusal");
}

// An assistant message: each model turn becomes an assistant message with its blocks, followed
// by a user message with the tool results. Thinking goes back only with its signature (the API
// rejects unsigned thinking); server tool calls ran at Anthropic and are not repeated.
void add_assistant(Json& messages, const Content& content) {
  Json blocks = Json::array();
  Json results = Json::array();
  const auto flush = [&] {
    push(messages, "assistant", std::move(blocks));
    push(messages, "user", std::move(results));
    blocks = Json::array();
    results = Json::array();
  };
  for (const auto& part : content) {
    if (const auto* t = part.get_if<TextPart>()) {
      // A refusal's explanation is the API's, not the model's: it is not sent back as its turn.
      if (is_refusal_explanation(*t)) continue;
      if (!results.empty()) flush();
      if (!t->text.empty())
        blocks.push_back({{"type", "text"}, {"text", std::string(t->text.view())}});
    } else if (const auto* r = part.get_if<ReasoningPart>()) {
      if (!results.empty()) flush();
      const Json& m = r->provider_metadata;
      if (!m.is_object() || !m.contains("anthropic") || !m["anthropic"].is_object()) continue;
      const Json& a = m["anthropic"];
      if (a.contains("signature") && a["signature"].is_string()) {
        blocks.push_back({{"type", "thinking"},
                          {"thinking", std::string(r->text.view())},
                          {"signature", a["signature"]}});
      } else if (a.contains("redactedData") && a["redactedData"].is_string()) {
        blocks.push_back({{"type", "redacted_thinking"}, {"data", a["redactedData"]}});
      }
    } else if (const auto* c = part.get_if<ToolCallPart>()) {
      if (is_server_tool_call(*c)) continue;
      blocks.push_back({{"type", "tool_use"},
                        {"id", c->tool_call_id},
                        {"name", c->tool_name},
                        {"input", c->args.is_object() ? c->args : Json::object()}});
      Json result{
          {"type", "tool_result"}, {"tool_use_id", c->tool_call_id}, {"content", result_text(*c)}};
      if (c->is_error.value_or(false) || !c->result) result["is_error"] = true;
      results.push_back(std::move(result));
    }
  }
  flush();
}

// A whole Messages answer (a server that ignored stream:true) as the events it stands for:
// message_start, each block started whole and stopped, message_delta, message_stop.
std::vector<SseEvent> whole_message_events(const Json& body) {
  if (body.value("type", "") != "message" || !body.contains("content") ||
      !body["content"].is_array())
    return {};
  std::vector<SseEvent> out;
  const auto add = [&](const char* type, Json data) {
    SseEvent e;
    e.event = type;
    data["type"] = type;
    e.data = data.dump();
    out.push_back(std::move(e));
  };
  Json start = body;
  start["content"] = Json::array();
  add("message_start", {{"message", std::move(start)}});
  std::size_t index = 0;
  for (const Json& block : body["content"]) {
    add("content_block_start", {{"index", index}, {"content_block", block}});
    add("content_block_stop", {{"index", index}});
    ++index;
  }
  Json delta{{"stop_reason", body.value("stop_reason", Json())}};
  if (body.contains("stop_details")) delta["stop_details"] = body["stop_details"];
  add("message_delta", {{"delta", std::move(delta)}, {"usage", body.value("usage", Json())}});
  add("message_stop", Json::object());
  return out;
}

int thinking_budget(const AnthropicSettings& settings, const ModelConfig& config) {
  if (config.reasoning_effort) {
    const std::string& e = *config.reasoning_effort;
    if (e == "low" || e == "minimal") return 1024;
    if (e == "medium") return 4096;
    if (e == "high") return 16384;
    if (e == "none") return 0;
  }
  return settings.thinking_budget;
}

}  // namespace

AnthropicSettings anthropic_settings_from_environment() {
  AnthropicSettings s;
  if (auto v = backends_detail::env("ANTHROPIC_API_KEY"); !v.empty()) s.api_key = std::move(v);
  if (auto v = backends_detail::env("ANTHROPIC_BASE_URL"); !v.empty()) s.base_url = std::move(v);
  if (auto v = backends_detail::env("ANTHROPIC_MODEL"); !v.empty()) s.model = std::move(v);
  return s;
}

Json build_anthropic_request(const ChatModelRunOptions& options,
                             const AnthropicSettings& settings) {
  const ModelContext& ctx = options.context;
  std::string system = ctx.system;
  Json messages = Json::array();
  for (const auto& m : options.messages) {
    if (m->role == Role::System) {
      if (!system.empty()) system += "\n\n";
      system += m->text();
    } else if (m->role == Role::User) {
      Json blocks = Json::array();
      for (const auto& part : m->content) add_user_blocks(blocks, part);
      for (const auto& attachment : m->attachments) {
        for (const auto& part : attachment.content) add_user_blocks(blocks, part);
      }
      push(messages, "user", std::move(blocks));
    } else {
      add_assistant(messages, m->content);
    }
  }
  if (options.get_message) {
    if (const MessagePtr so_far = options.get_message()) add_assistant(messages, so_far->content);
  }

  int max_tokens = ctx.call_settings.max_tokens.value_or(settings.max_tokens);
  const int budget = thinking_budget(settings, ctx.config);
  // The thinking budget counts against max_tokens and must stay below it.
  if (budget > 0 && max_tokens <= budget) max_tokens = budget + settings.max_tokens;
  Json body{{"model", ctx.config.model_name.value_or(settings.model)},
            {"max_tokens", max_tokens},
            {"messages", std::move(messages)},
            {"stream", true}};
  if (!system.empty()) body["system"] = system;
  if (budget > 0) body["thinking"] = {{"type", "enabled"}, {"budget_tokens", budget}};
  Json tools = Json::array();
  for (const auto& [name, tool] : ctx.tools) {
    if (tool.disabled.value_or(false) || tool.type == "provider") continue;
    Json t{{"name", name}};
    if (!tool.description.empty()) t["description"] = tool.description;
    t["input_schema"] = tool.parameters.is_object()
                            ? tool.parameters
                            : Json{{"type", "object"}, {"properties", Json::object()}};
    tools.push_back(std::move(t));
  }
  if (!tools.empty()) body["tools"] = std::move(tools);
  const CallSettings& cs = ctx.call_settings;
  // With thinking on, the API accepts neither a temperature nor a top_p of its own.
  if (cs.temperature && budget == 0) body["temperature"] = *cs.temperature;
  if (cs.top_p && budget == 0) body["top_p"] = *cs.top_p;
  if (settings.extra_body.is_object()) {
    for (auto it = settings.extra_body.begin(); it != settings.extra_body.end(); ++it) {
      if (it.value().is_null()) {
        body.erase(it.key());
      } else {
        body[it.key()] = it.value();
      }
    }
  }
  return body;
}

ChatModelAdapter make_anthropic_adapter(AnthropicSettings settings) {
  return [settings = std::move(settings)](const ChatModelRunOptions& options, RunResultSink& sink) {
    const ModelConfig& config = options.context.config;
    const std::string api_key = config.api_key.value_or(settings.api_key);
    HttpRequest request;
    request.url =
        backends_detail::join_url(config.base_url.value_or(settings.base_url), "v1/messages");
    request.body = build_anthropic_request(options, settings).dump();
    request.headers = {{"Content-Type", "application/json"},
                       {"Accept", "text/event-stream"},
                       {"anthropic-version", settings.anthropic_version}};
    if (!api_key.empty()) request.headers.emplace_back("x-api-key", api_key);
    for (const auto& [name, value] : settings.headers) request.headers.emplace_back(name, value);
    for (const auto& [name, value] : options.context.call_settings.headers) {
      if (value) request.headers.emplace_back(name, *value);
    }

    AnthropicStreamDecoder decoder;
    backends_detail::StreamDecoding decoding;
    decoding.accumulator = &decoder.accumulator();
    decoding.feed = [&](const SseEvent& e) { decoder.feed(e); };
    decoding.finish = [&] { decoder.finish(); };
    decoding.usage = [&] { return decoder.usage(); };
    decoding.whole_answer = whole_message_events;
    backends_detail::run_roundtrip(options, sink, request, settings.http, api_key, decoding);
  };
}

}  // namespace aui
