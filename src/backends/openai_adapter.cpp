// The OpenAI Chat Completions adapter.

#include "aui/backends/openai_adapter.hpp"

#include <algorithm>
#include <initializer_list>
#include <utility>

#include "aui/streaming/openai_stream.hpp"
#include "stream_run.hpp"

namespace aui {

namespace {

using backends_detail::is_server_tool_call;
using backends_detail::result_text;

// A user (or system) message's content: a plain string when it is only text (what every
// compatible server's chat template reads), else OpenAI's list of typed parts.
Json user_content(const ThreadMessage& m) {
  Json parts = Json::array();
  bool only_text = true;
  const auto add = [&](const ContentPart& part) {
    if (const auto* t = part.get_if<TextPart>()) {
      parts.push_back({{"type", "text"}, {"text", std::string(t->text.view())}});
    } else if (const auto* img = part.get_if<ImagePart>()) {
      parts.push_back({{"type", "image_url"}, {"image_url", {{"url", img->image}}}});
      only_text = false;
    } else if (const auto* f = part.get_if<FilePart>()) {
      const std::string data = f->data.starts_with("data:") || f->source_type == "url"
                                   ? f->data
                                   : "data:" + f->mime_type + ";base64," + f->data;
      Json file{{"file_data", data}};
      if (!f->filename.empty()) file["filename"] = f->filename;
      parts.push_back({{"type", "file"}, {"file", std::move(file)}});
      only_text = false;
    } else if (const auto* a = part.get_if<AudioPart>()) {
      parts.push_back(
          {{"type", "input_audio"}, {"input_audio", {{"data", a->data}, {"format", a->format}}}});
      only_text = false;
    }
  };
  for (const auto& part : m.content) add(part);
  for (const auto& attachment : m.attachments) {
    for (const auto& part : attachment.content) add(part);
  }
  if (only_text) {
    std::string text;
    for (const auto& p : parts) {
      if (!text.empty()) text += "\n\n";
      text += p["text"].get<std::string>();
    }
    return text;
  }
  return parts;
}

// An assistant message as OpenAI wants it: each model turn (text, reasoning, tool calls) becomes
// an assistant message followed by one `tool` message per call with its result. A text after a
// tool call belongs to the next turn (the model answered the results).
void add_assistant(Json& out, const Content& content, bool send_reasoning) {
  std::string text;
  std::string reasoning;
  Json calls = Json::array();
  Json results = Json::array();
  const auto flush = [&] {
    if (!text.empty() || !calls.empty()) {
      Json msg{{"role", "assistant"}};
      msg["content"] = text.empty() ? Json(nullptr) : Json(text);
      if (!calls.empty()) msg["tool_calls"] = calls;
      if (send_reasoning && !reasoning.empty()) msg["reasoning_content"] = reasoning;
      out.push_back(std::move(msg));
      for (auto& r : results) out.push_back(std::move(r));
    }
    text.clear();
    reasoning.clear();
    calls = Json::array();
    results = Json::array();
  };
  for (const auto& part : content) {
    if (const auto* t = part.get_if<TextPart>()) {
      if (!calls.empty()) flush();
      text.append(t->text.view());
    } else if (const auto* r = part.get_if<ReasoningPart>()) {
      if (!calls.empty()) flush();
      reasoning.append(r->text.view());
    } else if (const auto* c = part.get_if<ToolCallPart>()) {
      if (is_server_tool_call(*c)) continue;
      const std::string args =
          c->args_text.empty() ? c->args.dump() : std::string(c->args_text.view());
      calls.push_back({{"id", c->tool_call_id},
                       {"type", "function"},
                       {"function", {{"name", c->tool_name}, {"arguments", args}}}});
      std::string answer = result_text(*c);
      if (c->is_error.value_or(false) || !c->result) answer = "Error: " + answer;
      results.push_back(
          {{"role", "tool"}, {"tool_call_id", c->tool_call_id}, {"content", std::move(answer)}});
    }
  }
  flush();
}

// A whole chat.completion (a server that ignored stream:true) as the one chunk it stands for:
// its message is the delta (content, refusal, reasoning, tool calls), then [DONE].
std::vector<SseEvent> whole_completion_events(const Json& body) {
  const auto choices = body.find("choices");
  if (choices == body.end() || !choices->is_array() || choices->empty()) return {};
  const Json& choice = choices->front();
  if (!choice.is_object() || !choice.contains("message") || !choice["message"].is_object())
    return {};
  Json chunk{
      {"choices", Json::array({{{"index", 0},
                                {"delta", choice["message"]},
                                {"finish_reason", choice.value("finish_reason", Json())}}})}};
  if (const auto usage = body.find("usage"); usage != body.end()) chunk["usage"] = *usage;
  SseEvent data;
  data.data = chunk.dump();
  SseEvent done;
  done.data = "[DONE]";
  return {std::move(data), std::move(done)};
}

void merge_extra(Json& body, const Json& extra) {
  if (!extra.is_object()) return;
  for (auto it = extra.begin(); it != extra.end(); ++it) {
    if (it.value().is_null()) {
      body.erase(it.key());
    } else {
      body[it.key()] = it.value();
    }
  }
}

}  // namespace

OpenAISettings openai_settings_from_environment() {
  OpenAISettings s;
  if (auto v = backends_detail::env("OPENAI_API_KEY"); !v.empty()) s.api_key = std::move(v);
  if (auto v = backends_detail::env("OPENAI_BASE_URL"); !v.empty()) s.base_url = std::move(v);
  if (auto v = backends_detail::env("OPENAI_MODEL"); !v.empty()) s.model = std::move(v);
  return s;
}

std::vector<std::string> list_openai_models(const OpenAISettings& settings, std::stop_token stop) {
  HttpRequest request;
  std::string base = settings.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  request.url = base + "/models";
  if (!settings.api_key.empty())
    request.headers.emplace_back("Authorization", "Bearer " + settings.api_key);
  for (const auto& [name, value] : settings.headers) request.headers.emplace_back(name, value);
  Json body;
  try {
    body = get_json(request, settings.http, std::move(stop));
  } catch (const HttpError& e) {
    throw HttpError(e.code(), redact(e.what(), settings.api_key), e.http_status(), e.detail());
  }
  std::vector<std::string> ids;
  const auto add = [&ids](const Json& entry, std::initializer_list<const char*> keys) {
    if (!entry.is_object()) return;
    for (const char* key : keys) {
      const auto it = entry.find(key);
      if (it == entry.end() || !it->is_string()) continue;
      std::string id = it->get<std::string>();
      if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end())
        ids.push_back(std::move(id));
      return;
    }
  };
  bool listed = false;
  if (body.is_object()) {
    if (const auto it = body.find("data"); it != body.end() && it->is_array()) {
      listed = true;
      for (const auto& entry : *it) add(entry, {"id"});
    }
    if (const auto it = body.find("models"); it != body.end() && it->is_array()) {
      listed = true;
      for (const auto& entry : *it) add(entry, {"model", "name", "id"});
    }
  }
  if (!listed) {
    throw HttpError("invalid_json",
                    url_host(request.url) + " answered GET /models without a list of models.");
  }
  return ids;
}

Json build_openai_request(const ChatModelRunOptions& options, const OpenAISettings& settings) {
  const ModelContext& ctx = options.context;
  Json messages = Json::array();
  if (!ctx.system.empty()) messages.push_back({{"role", "system"}, {"content", ctx.system}});
  for (const auto& m : options.messages) {
    switch (m->role) {
      case Role::System: messages.push_back({{"role", "system"}, {"content", m->text()}}); break;
      case Role::User: messages.push_back({{"role", "user"}, {"content", user_content(*m)}}); break;
      case Role::Assistant: add_assistant(messages, m->content, settings.send_reasoning); break;
    }
  }
  // The message being built: its earlier roundtrips (tool calls and their results).
  if (options.get_message) {
    if (const MessagePtr so_far = options.get_message())
      add_assistant(messages, so_far->content, settings.send_reasoning);
  }

  Json body{{"model", ctx.config.model_name.value_or(settings.model)},
            {"messages", std::move(messages)},
            {"stream", true}};
  if (settings.include_usage) body["stream_options"] = {{"include_usage", true}};
  Json tools = Json::array();
  for (const auto& [name, tool] : ctx.tools) {
    if (tool.disabled.value_or(false) || tool.type == "provider") continue;
    Json function{{"name", name}};
    if (!tool.description.empty()) function["description"] = tool.description;
    function["parameters"] = tool.parameters.is_object()
                                 ? tool.parameters
                                 : Json{{"type", "object"}, {"properties", Json::object()}};
    tools.push_back({{"type", "function"}, {"function", std::move(function)}});
  }
  if (!tools.empty()) body["tools"] = std::move(tools);
  const CallSettings& cs = ctx.call_settings;
  if (cs.max_tokens)
    body[settings.use_max_completion_tokens ? "max_completion_tokens" : "max_tokens"] =
        *cs.max_tokens;
  if (cs.temperature) body["temperature"] = *cs.temperature;
  if (cs.top_p) body["top_p"] = *cs.top_p;
  if (cs.presence_penalty) body["presence_penalty"] = *cs.presence_penalty;
  if (cs.frequency_penalty) body["frequency_penalty"] = *cs.frequency_penalty;
  if (cs.seed) body["seed"] = *cs.seed;
  if (ctx.config.reasoning_effort) body["reasoning_effort"] = *ctx.config.reasoning_effort;
  merge_extra(body, settings.extra_body);
  return body;
}

namespace {

// For servers that repeat the whole text in every delta: the new piece is what follows the text
// received so far. A delta that does not extend it is taken as a plain suffix.
class CumulativeContent {
 public:
  SseEvent rewrite(const SseEvent& event) {
    Json chunk = Json::parse(event.data, nullptr, false);
    if (chunk.is_discarded() || !chunk.is_object()) return event;
    auto choices = chunk.find("choices");
    if (choices == chunk.end() || !choices->is_array()) return event;
    for (auto& choice : *choices) {
      if (!choice.is_object() || choice.value("index", 0) != 0) continue;
      auto delta = choice.find("delta");
      if (delta == choice.end() || !delta->is_object()) continue;
      strip(*delta, "content", text_);
      strip(*delta, "reasoning_content", reasoning_);
      strip(*delta, "reasoning", reasoning_);
    }
    SseEvent out = event;
    out.data = chunk.dump();
    return out;
  }

 private:
  static void strip(Json& delta, const char* key, std::string& seen) {
    auto it = delta.find(key);
    if (it == delta.end() || !it->is_string()) return;
    std::string whole = it->get<std::string>();
    if (whole.size() >= seen.size() && whole.compare(0, seen.size(), seen) == 0) {
      *it = whole.substr(seen.size());
      seen = std::move(whole);
    } else {
      seen += whole;
    }
  }
  std::string text_;
  std::string reasoning_;
};

}  // namespace

ChatModelAdapter make_openai_adapter(OpenAISettings settings) {
  return [settings = std::move(settings)](const ChatModelRunOptions& options, RunResultSink& sink) {
    const ModelConfig& config = options.context.config;
    const std::string api_key = config.api_key.value_or(settings.api_key);
    HttpRequest request;
    request.url =
        backends_detail::join_url(config.base_url.value_or(settings.base_url), "chat/completions");
    request.body = build_openai_request(options, settings).dump();
    request.headers = {{"Content-Type", "application/json"}, {"Accept", "text/event-stream"}};
    if (!api_key.empty()) request.headers.emplace_back("Authorization", "Bearer " + api_key);
    for (const auto& [name, value] : settings.headers) request.headers.emplace_back(name, value);
    for (const auto& [name, value] : options.context.call_settings.headers) {
      if (value) request.headers.emplace_back(name, *value);
    }

    OpenAIStreamDecoder decoder;
    CumulativeContent cumulative;
    backends_detail::StreamDecoding decoding;
    decoding.accumulator = &decoder.accumulator();
    if (settings.cumulative_content) {
      decoding.feed = [&](const SseEvent& e) { decoder.feed(cumulative.rewrite(e)); };
    } else {
      decoding.feed = [&](const SseEvent& e) { decoder.feed(e); };
    }
    decoding.finish = [&] { decoder.finish(); };
    decoding.usage = [&] { return decoder.usage(); };
    decoding.whole_answer = whole_completion_events;
    backends_detail::run_roundtrip(options, sink, request, settings.http, api_key, decoding);
  };
}

}  // namespace aui
