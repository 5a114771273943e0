#include "aui/streaming/openai_stream.hpp"

#include <utility>

#include "streaming/stream_json.hpp"
#include "support/json_scan.hpp"

namespace aui {

namespace {

using stream_json::index_member;
using stream_json::member;
using stream_json::string_member;

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// Tool-call arguments are a string of JSON text; a few servers send the object itself.
std::string arguments_text(const Json* arguments) {
  if (!arguments || arguments->is_null()) return {};
  if (arguments->is_string()) return arguments->get<std::string>();
  return arguments->dump();
}

// The one choice of a plain chunk, as the fast path reads it.
struct FastChoice {
  std::size_t index = 0;
  std::string content;
  std::string reasoning_content;
  std::string reasoning;
  std::string finish_reason;
};

// A string or null (an empty string then); false for anything else.
bool string_or_null(json_scan::JsonScanner& s, std::string& out) {
  out.clear();
  return s.null() || s.string(out);
}

bool read_fast_delta(json_scan::JsonScanner& s, FastChoice& c, std::string& key) {
  if (!s.eat('{')) return false;
  if (s.eat('}')) return true;
  unsigned seen = 0;
  const auto once = [&](unsigned bit) {
    const bool first = (seen & bit) == 0;
    seen |= bit;
    return first;
  };
  do {
    if (!s.string(key) || !s.eat(':')) return false;
    if (key == "content") {
      if (!once(1) || !string_or_null(s, c.content)) return false;
    } else if (key == "reasoning_content") {
      if (!once(2) || !string_or_null(s, c.reasoning_content)) return false;
    } else if (key == "reasoning") {
      if (!once(4) || !string_or_null(s, c.reasoning)) return false;
    } else if (key == "refusal" || key == "tool_calls" || key == "function_call") {
      // Only their absence is fast: anything else takes the full path.
      if (!s.null()) return false;
    } else if (!s.skip_value()) {
      return false;
    }
  } while (s.eat(','));
  return s.eat('}');
}

bool read_fast_choice(json_scan::JsonScanner& s, FastChoice& c, std::string& key) {
  if (!s.eat('{')) return false;
  if (s.eat('}')) return true;
  unsigned seen = 0;
  const auto once = [&](unsigned bit) {
    const bool first = (seen & bit) == 0;
    seen |= bit;
    return first;
  };
  do {
    if (!s.string(key) || !s.eat(':')) return false;
    if (key == "index") {
      if (!once(1) || !s.number(&c.index) || c.index == SIZE_MAX) return false;
    } else if (key == "delta") {
      if (!once(2) || !read_fast_delta(s, c, key)) return false;
    } else if (key == "finish_reason") {
      if (!once(4) || !string_or_null(s, c.finish_reason)) return false;
    } else if (!s.skip_value()) {
      return false;
    }
  } while (s.eat(','));
  return s.eat('}');
}

// Reads the common chunk — at most one choice, whose delta holds only text and/or reasoning, no
// usage, no error — without building a JSON document. False (nothing read) for any other shape
// or for text that is not valid JSON: the full path then decides.
bool read_fast_chunk(std::string_view data, FastChoice& c, bool& has_choice) {
  thread_local std::string key;
  json_scan::JsonScanner s(data);
  has_choice = false;
  if (!s.eat('{')) return false;
  if (!s.eat('}')) {
    unsigned seen = 0;
    do {
      if (!s.string(key) || !s.eat(':')) return false;
      if (key == "choices") {
        if ((seen & 1) != 0 || !s.eat('[')) return false;
        seen |= 1;
        if (!s.eat(']')) {
          if (!read_fast_choice(s, c, key)) return false;
          has_choice = true;
          if (!s.eat(']')) return false;  // more than one choice
        }
      } else if (key == "usage" || key == "error") {
        if (!s.null()) return false;
      } else if (key == "x_groq") {
        return false;
      } else if (!s.skip_value()) {
        return false;
      }
    } while (s.eat(','));
    if (!s.eat('}')) return false;
  }
  return s.at_end();
}

}  // namespace

void OpenAIStreamDecoder::feed(const SseEvent& event) {
  if (done_) return;  // after [DONE] nothing counts, not even a late error
  if (event.event == "error") {
    Json detail = Json::parse(event.data, nullptr, /*allow_exceptions=*/false);
    if (detail.is_discarded()) detail = event.data;
    std::string message = stream_json::error_message(detail);
    add_error(std::move(message), std::move(detail));
    return;
  }
  const std::string_view data = trim(event.data);
  if (data.empty()) return;  // an empty keep-alive
  if (data == "[DONE]") {
    done_ = true;
    return;
  }
  // Reused from chunk to chunk (and decoder to decoder on this thread), so its strings keep
  // their capacity.
  thread_local FastChoice fast;
  fast.index = 0;
  fast.content.clear();
  fast.reasoning_content.clear();
  fast.reasoning.clear();
  fast.finish_reason.clear();
  if (bool has_choice = false; read_fast_chunk(data, fast, has_choice)) {
    // The same reads as read_chunk()/read_delta() below, in the same order.
    if (has_choice && fast.index == 0) {
      accumulator_.append_reasoning(fast.reasoning_content);
      accumulator_.append_reasoning(fast.reasoning);
      accumulator_.append_text(fast.content);
      if (!fast.finish_reason.empty()) finish_reason_ = fast.finish_reason;
    }
    return;
  }
  Json chunk = Json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (chunk.is_discarded()) {
    std::string message = "the stream sent data that is not JSON";
    add_error(message, Json{{"code", "invalid_json"}, {"message", message}});
    return;
  }
  try {
    read_chunk(chunk);
  } catch (const Json::exception& e) {
    // The accessors above are lenient; this only guards against a shape nobody foresaw.
    std::string message = std::string("the stream sent a chunk of unexpected shape: ") + e.what();
    add_error(message, Json{{"code", "invalid_chunk"}, {"message", message}});
  }
}

void OpenAIStreamDecoder::read_chunk(const Json& chunk) {
  if (const Json* error = member(chunk, "error"); error && !error->is_null()) {
    // OpenRouter sends the error inside an otherwise normal chunk, with choices and usage.
    add_error(stream_json::error_message(*error), *error);
  }
  if (const Json* choices = member(chunk, "choices"); choices && choices->is_array()) {
    for (const Json& choice : *choices) {
      if (index_member(choice, "index").value_or(0) != 0) continue;
      if (const Json* delta = member(choice, "delta"); delta && delta->is_object()) {
        read_delta(*delta);
      }
      // "" is what old Ollama builds send for "not yet".
      if (const std::string_view reason = string_member(choice, "finish_reason"); !reason.empty()) {
        finish_reason_ = std::string(reason);
      }
    }
  }
  // Only a non-null usage counts: empty-choices chunks without usage (filter results,
  // moderation) must not erase it.
  if (const Json* usage = member(chunk, "usage"); usage && usage->is_object()) usage_ = *usage;
  if (const Json* groq = member(chunk, "x_groq")) {
    if (const Json* usage = member(*groq, "usage"); usage && usage->is_object()) {
      groq_usage_ = *usage;
    }
  }
}

void OpenAIStreamDecoder::read_delta(const Json& delta) {
  // Reasoning first: a delta that has both belongs to the moment reasoning turns into text.
  // DeepSeek and llama.cpp say reasoning_content, Ollama and OpenRouter say reasoning.
  accumulator_.append_reasoning(string_member(delta, "reasoning_content"));
  accumulator_.append_reasoning(string_member(delta, "reasoning"));

  if (const Json* content = member(delta, "content")) {
    if (content->is_string()) {
      accumulator_.append_text(content->get_ref<const std::string&>());
    } else if (content->is_array()) {
      // Mistral: a list of typed parts; thinking parts hold a list of text chunks.
      for (const Json& part : *content) {
        const std::string_view type = string_member(part, "type");
        if (type == "text") {
          accumulator_.append_text(string_member(part, "text"));
        } else if (type == "thinking") {
          const Json* thinking = member(part, "thinking");
          if (!thinking) continue;
          if (thinking->is_string()) {
            accumulator_.append_reasoning(thinking->get_ref<const std::string&>());
          } else if (thinking->is_array()) {
            for (const Json& chunk : *thinking) {
              accumulator_.append_reasoning(string_member(chunk, "text"));
            }
          }
        }
      }
    }
  }

  if (const std::string_view refusal = string_member(delta, "refusal"); !refusal.empty()) {
    refusal_.append(refusal);
    // The refusal is the answer the user must see: a text part of its own, marked as one.
    if (refusal_part_ == static_cast<std::size_t>(-1)) {
      TextPart part;
      part.text = Text(refusal);
      part.provider_metadata = Json{{"openai", {{"refusal", true}}}};
      accumulator_.add_part(std::move(part));
      refusal_part_ = accumulator_.part_count() - 1;
    } else {
      accumulator_.part(refusal_part_).edit<TextPart>().text.append(refusal);
    }
  }

  if (const Json* calls = member(delta, "tool_calls"); calls && calls->is_array()) {
    for (const Json& call : *calls) {
      if (!call.is_object()) continue;
      const Json* function = member(call, "function");
      const std::string arguments =
          arguments_text(function ? member(*function, "arguments") : nullptr);
      accumulator_.tool_call_delta(index_member(call, "index"), string_member(call, "id"),
                                   function ? string_member(*function, "name") : std::string_view(),
                                   arguments);
    }
  }
  if (const Json* function = member(delta, "function_call"); function && function->is_object()) {
    // The legacy single function call: no index, no id.
    accumulator_.tool_call_delta(std::nullopt, {}, string_member(*function, "name"),
                                 arguments_text(member(*function, "arguments")));
  }
}

void OpenAIStreamDecoder::add_error(std::string message, Json detail) {
  errors_.push_back(std::move(message));
  error_details_.push_back(std::move(detail));
}

void OpenAIStreamDecoder::finish() {
  accumulator_.finish();
  accumulator_.set_status(status());
}

MessageStatus OpenAIStreamDecoder::status() const {
  if (!error_details_.empty()) {
    return MessageStatus::incomplete(StatusReason::Error,
                                     stream_json::assistant_error(error_details_.front()));
  }
  const bool has_tool_calls = accumulator_.tool_call_count() > 0;
  const auto tool_calls_or_stop = [&] {
    // A model that called tools waits for their results, whatever reason the server gives
    // (some say "stop", some say nothing at all).
    if (has_tool_calls) return MessageStatus::requires_action(StatusReason::ToolCalls);
    // OpenAI says "stop" after a refusal; the reply did not do what was asked.
    if (!refusal_.empty()) return MessageStatus::incomplete(StatusReason::ContentFilter);
    return MessageStatus::complete(StatusReason::Stop);
  };
  if (!finish_reason_) {
    if (done_) return tool_calls_or_stop();
    return MessageStatus::incomplete(
        StatusReason::Error, Json{{"code", "incomplete_stream"},
                                  {"message", "the stream ended before the model finished"}});
  }
  const std::string& reason = *finish_reason_;
  if (reason == "stop" || reason == "tool_calls" || reason == "function_call") {
    return tool_calls_or_stop();
  }
  if (reason == "length") return MessageStatus::incomplete(StatusReason::Length);
  if (reason == "content_filter") return MessageStatus::incomplete(StatusReason::ContentFilter);
  return MessageStatus::incomplete(StatusReason::Other);
}

}  // namespace aui
