#pragma once
// OpenAIStreamDecoder: the OpenAI Chat Completions stream, as OpenAI and the servers that copy
// it (llama.cpp, Ollama /v1, OpenRouter, Groq, DeepSeek, Mistral, Azure, ...) send it.

#include <optional>
#include <string>
#include <vector>

#include "aui/model/json.hpp"
#include "aui/model/message.hpp"
#include "aui/streaming/delta_accumulator.hpp"
#include "aui/streaming/sse_parser.hpp"

namespace aui {

/// Turns the events of a `stream: true` chat completion into aui content. Feed it every event
/// the SseParser produces, then call finish() at the end of the body; read the cumulative
/// answer from accumulator().snapshot() at any point.
///
///     aui::OpenAIStreamDecoder decoder;
///     aui::SseParser parser([&](const aui::SseEvent& e) { decoder.feed(e); });
///     // for each slice of the body: parser.feed(bytes);
///     sink.yield(decoder.accumulator().snapshot()); parser.finish(); decoder.finish();  // the
///     last snapshot now carries status()
///
/// What it reads: choice 0 only (other choices are ignored); `delta.content` as a string or as
/// Mistral's list of `text` / `thinking` parts; `delta.reasoning_content` and `delta.reasoning`
/// as reasoning (the `reasoning_details` mirror is not read); `delta.refusal` as a text part of
/// its own marked {"openai": {"refusal": true}} (the model's refusal is its answer: shown, and
/// sent back as the assistant's words); `delta.tool_calls`
/// fragments (see DeltaAccumulator for how they are keyed and merged) and the legacy
/// `delta.function_call`; the last non-empty `finish_reason`; the last non-null `usage` (else
/// Groq's `x_groq.usage`). Unknown fields are ignored and `data: [DONE]` ends the stream:
/// whatever follows it is ignored.
///
/// Errors never throw out of feed(): a `data:` JSON with a top-level `error` (its other fields
/// are still read), an `event: error`, and a data line that is not JSON are recorded in errors().
class OpenAIStreamDecoder {
 public:
  void feed(const SseEvent& event);
  /// The body ended: finishes the open tool calls and sets status() on the accumulator.
  void finish();

  /// `data: [DONE]` was seen.
  bool done() const noexcept { return done_; }
  /// The last non-empty finish_reason of choice 0.
  const std::optional<std::string>& finish_reason() const noexcept { return finish_reason_; }
  /// The provider's usage object as sent (null when none came).
  const Json& usage() const noexcept { return usage_.is_null() ? groq_usage_ : usage_; }
  /// The refusal text (OpenAI structured outputs), also in the content as its own text part.
  const std::string& refusal() const noexcept { return refusal_; }
  /// One message per error, in order.
  const std::vector<std::string>& errors() const noexcept { return errors_; }
  /// The errors as the provider sent them: the `error` member of a data chunk, the whole data of
  /// an `event: error` (a string when it is not JSON), or `{code, message}` for a data line that
  /// is not JSON.
  const std::vector<Json>& error_details() const noexcept { return error_details_; }

  DeltaAccumulator& accumulator() noexcept { return accumulator_; }
  const DeltaAccumulator& accumulator() const noexcept { return accumulator_; }

  /// The status the stream ends with:
  ///   an error                      → incomplete/error with the first error as {code, message}
  ///   stop, tool_calls, function_call, or none after [DONE]
  ///                                 → requires-action/tool-calls when the answer has tool calls,
  ///                                   else incomplete/content-filter when the model refused
  ///                                   (delta.refusal), else complete/stop
  ///   length                        → incomplete/length
  ///   content_filter                → incomplete/content-filter
  ///   any other reason              → incomplete/other
  ///   none and no [DONE]            → incomplete/error (the stream was cut off)
  MessageStatus status() const;

 private:
  void read_chunk(const Json& chunk);
  void read_delta(const Json& delta);
  void add_error(std::string message, Json detail);

  DeltaAccumulator accumulator_;
  std::optional<std::string> finish_reason_;
  Json usage_;
  Json groq_usage_;
  std::string refusal_;
  std::size_t refusal_part_ = static_cast<std::size_t>(-1);  // its part, once it has one
  std::vector<std::string> errors_;
  std::vector<Json> error_details_;
  bool done_ = false;
};

}  // namespace aui
