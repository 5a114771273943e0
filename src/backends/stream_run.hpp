#pragma once
// What the OpenAI and Anthropic adapters share: one roundtrip from request to final result, and
// small helpers for building requests. Private to the backends target.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/backends/http_stream.hpp"
#include "aui/streaming/delta_accumulator.hpp"
#include "aui/streaming/sse_parser.hpp"

namespace aui::backends_detail {

/// The wire-specific half of a roundtrip: a decoder behind three functions.
struct StreamDecoding {
  std::function<void(const SseEvent&)> feed;
  std::function<void()> finish;
  DeltaAccumulator* accumulator = nullptr;
  /// The provider's usage object so far (null when none came).
  std::function<Json()> usage;
  /// The events a whole answer stands for, when a server ignored `stream: true` and sent the
  /// answer as one JSON document; empty when the document is not an answer. Optional.
  std::function<std::vector<SseEvent>(const Json&)> whole_answer;
};

/// POSTs `request`, feeds the body through an SseParser into `decoding`, yields the cumulative
/// answer after every slice, and ends with the final result: the decoder's status; for a
/// requires-action/tool-calls ending, the tools with an execute function run first. A whole JSON
/// answer instead of a stream is decoded the same way when `decoding.whole_answer` knows it; for
/// a
/// (execute_tool_calls); the usage as one step (steps[].usage) and metadata.custom.usage. A
/// transport or HTTP failure ends it incomplete/error with the content so far. Every message
/// that leaves has `secret` redacted. Cancelling throws aui::Cancelled.
void run_roundtrip(const ChatModelRunOptions& options, RunResultSink& sink,
                   const HttpRequest& request, const HttpSettings& http, std::string_view secret,
                   StreamDecoding& decoding);

/// `value` with every string inside it redacted (see aui::redact).
Json redact_json(Json value, std::string_view secret);

/// The text of a tool result as a model reads it: a string as is, anything else as JSON.
std::string result_text(const ToolCallPart& call);

/// The environment variable `name`, or "" when unset.
std::string env(const char* name);

/// `base` + "/" + `path` without doubling the slash.
std::string join_url(std::string base, std::string_view path);

/// A tool the provider runs itself (Anthropic server tools): not sent back as a client call.
bool is_server_tool_call(const ToolCallPart& call);

}  // namespace aui::backends_detail
