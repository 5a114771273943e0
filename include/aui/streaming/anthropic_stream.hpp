#pragma once
// AnthropicStreamDecoder: the native Anthropic Messages stream (`POST /v1/messages`,
// `stream: true`).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "aui/model/json.hpp"
#include "aui/model/message.hpp"
#include "aui/streaming/delta_accumulator.hpp"
#include "aui/streaming/sse_parser.hpp"

namespace aui {

/// Turns the events of a Messages stream into aui content. Feed it every event the SseParser
/// produces, then call finish() at the end of the body; read the cumulative answer from
/// accumulator().snapshot() at any point.
///
/// Each content block becomes at most one part, in block order: `text` → a text part;
/// `thinking` → a reasoning part whose provider_metadata is {"anthropic": {"signature": ...}}
/// once the signature arrives; `redacted_thinking` → an empty reasoning part with
/// {"anthropic": {"redactedData": ...}}; `tool_use` → a tool-call part; `server_tool_use` and
/// `mcp_tool_use` → a tool-call part marked {"anthropic": {"server": true}}, which gets the
/// `result` of the matching `*_tool_result` block (that block adds no part of its own). Other
/// block types add nothing but are listed in block_types(). `ping` is ignored. A refusal whose
/// stop_details give an `explanation` adds that text as a last text part marked
/// {"anthropic": {"refusal": <stop_details>}} (the API's words: the adapter does not send it
/// back as the model's), so a refused reply says why instead of being empty.
///
/// The usage is message_start's, overlaid key by key with message_delta's. A repeated
/// message_start for the same message is ignored; one for another message before message_stop
/// is a protocol error: it is recorded and the rest of the stream is ignored, so two answers
/// are never merged. After message_stop nothing counts. Errors never throw out of feed(): an
/// `error` event and a data line that is not JSON are recorded in errors().
class AnthropicStreamDecoder {
 public:
  void feed(const SseEvent& event);
  /// The body ended: finishes the open tool calls and sets status() on the accumulator.
  void finish();

  /// message_stop was seen.
  bool done() const noexcept { return done_; }
  const std::string& message_id() const noexcept { return message_id_; }
  /// message_delta's stop_reason ("end_turn", "tool_use", "max_tokens", ...).
  const std::optional<std::string>& stop_reason() const noexcept { return stop_reason_; }
  /// message_delta's stop_details (e.g. a refusal's category), null when none.
  const Json& stop_details() const noexcept { return stop_details_; }
  /// The usage object as sent (null when none came).
  const Json& usage() const noexcept { return usage_; }
  /// The type of each content block in the order they started.
  const std::vector<std::string>& block_types() const noexcept { return block_types_; }
  /// One message per error, in order.
  const std::vector<std::string>& errors() const noexcept { return errors_; }
  /// The errors as sent: the whole data of an `error` event, or {code, message} for what the
  /// decoder itself rejected (data that is not JSON, a spliced message).
  const std::vector<Json>& error_details() const noexcept { return error_details_; }

  DeltaAccumulator& accumulator() noexcept { return accumulator_; }
  const DeltaAccumulator& accumulator() const noexcept { return accumulator_; }

  /// The status the stream ends with:
  ///   an error                      → incomplete/error with the first error as {code, message}
  ///   no message_stop               → incomplete/error (the stream was cut off)
  ///   end_turn, stop_sequence, tool_use
  ///                                 → requires-action/tool-calls when the answer has client
  ///                                   tool calls, else complete/stop
  ///   max_tokens, model_context_window_exceeded → incomplete/length
  ///   refusal                       → incomplete/content-filter
  ///   any other reason (pause_turn) → incomplete/other
  MessageStatus status() const;

 private:
  static constexpr std::size_t kNoPart = static_cast<std::size_t>(-1);
  struct Block {
    std::size_t index = 0;
    std::string type;
    std::size_t part = kNoPart;  // the accumulator part it fills, once it has one
  };
  void read_event(const Json& event, const std::string& type);
  void start_block(const Json& event);
  void block_delta(const Json& event);
  Block* find_block(std::size_t index);
  void append_block_text(Block& block, std::string_view text);
  void set_signature(Block& block, std::string_view signature);
  void attach_result(const Json& block);
  void add_error(std::string message, Json detail);
  void add_refusal_explanation();

  DeltaAccumulator accumulator_;
  std::vector<Block> blocks_;
  std::vector<std::string> block_types_;
  std::string message_id_;
  std::optional<std::string> stop_reason_;
  Json stop_details_;
  Json usage_;
  std::vector<std::string> errors_;
  std::vector<Json> error_details_;
  std::size_t client_tool_calls_ = 0;
  bool started_ = false;
  bool done_ = false;
  bool failed_ = false;  // a protocol error: the rest of the stream is ignored
  bool refusal_added_ = false;
};

}  // namespace aui
