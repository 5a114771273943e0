#include "aui/streaming/anthropic_stream.hpp"

#include <utility>

#include "streaming/stream_json.hpp"

namespace aui {

namespace {

using stream_json::index_member;
using stream_json::member;
using stream_json::string_member;

bool is_server_tool(std::string_view type) {
  return type == "server_tool_use" || type == "mcp_tool_use";
}

bool is_tool_result(std::string_view type) { return type.ends_with("_tool_result"); }

Json anthropic_metadata(std::string_view key, Json value) {
  return Json{{"anthropic", Json{{key, std::move(value)}}}};
}

}  // namespace

void AnthropicStreamDecoder::feed(const SseEvent& event) {
  if (done_ || failed_) return;
  Json data = Json::parse(event.data, nullptr, /*allow_exceptions=*/false);
  if (data.is_discarded()) {
    if (event.event == "error") {
      add_error(event.data, Json(event.data));
    } else {
      std::string message = "the stream sent data that is not JSON";
      add_error(message, Json{{"code", "invalid_json"}, {"message", message}});
    }
    return;
  }
  // The data names its own type; the SSE event name is the fallback.
  std::string type(string_member(data, "type"));
  if (type.empty()) type = event.event;
  try {
    read_event(data, type);
  } catch (const Json::exception& e) {
    std::string message = std::string("the stream sent an event of unexpected shape: ") + e.what();
    add_error(message, Json{{"code", "invalid_event"}, {"message", message}});
  }
}

void AnthropicStreamDecoder::read_event(const Json& event, const std::string& type) {
  if (type == "message_start") {
    const Json* message = member(event, "message");
    const std::string_view id = message ? string_member(*message, "id") : std::string_view();
    if (started_) {
      // The same message announced twice is harmless; another one would splice two answers.
      if (id == message_id_) return;
      std::string text = "a second message (" + std::string(id) + ") started before message " +
                         message_id_ + " ended";
      add_error(text, Json{{"code", "protocol_error"}, {"message", text}});
      failed_ = true;
      return;
    }
    started_ = true;
    message_id_ = std::string(id);
    if (const Json* usage = message ? member(*message, "usage") : nullptr;
        usage && usage->is_object()) {
      usage_ = *usage;
    }
  } else if (type == "content_block_start") {
    start_block(event);
  } else if (type == "content_block_delta") {
    block_delta(event);
  } else if (type == "content_block_stop") {
    // Blocks are delimited: a finished tool block has its whole input.
    accumulator_.end_part();
  } else if (type == "message_delta") {
    if (const Json* delta = member(event, "delta")) {
      if (const std::string_view reason = string_member(*delta, "stop_reason"); !reason.empty()) {
        stop_reason_ = std::string(reason);
      }
      if (const Json* details = member(*delta, "stop_details"); details && !details->is_null()) {
        stop_details_ = *details;
      }
      add_refusal_explanation();
    }
    if (const Json* usage = member(event, "usage"); usage && usage->is_object()) {
      // Later counts replace earlier ones key by key (a gateway may correct input_tokens here).
      if (!usage_.is_object()) usage_ = Json::object();
      for (const auto& [key, value] : usage->items()) usage_[key] = value;
    }
  } else if (type == "message_stop") {
    done_ = true;
  } else if (type == "error") {
    add_error(stream_json::error_message(event), event);
  }
  // ping and event types added later are ignored.
}

void AnthropicStreamDecoder::start_block(const Json& event) {
  const std::size_t index = index_member(event, "index").value_or(blocks_.size());
  static const Json kEmpty = Json::object();
  const Json* found = member(event, "content_block");
  const Json& content = found ? *found : kEmpty;
  std::string type(string_member(content, "type"));
  block_types_.push_back(type);
  blocks_.push_back(Block{index, type, kNoPart});
  Block& block = blocks_.back();

  if (type == "text") {
    append_block_text(block, string_member(content, "text"));
  } else if (type == "thinking") {
    append_block_text(block, string_member(content, "thinking"));
    if (const std::string_view signature = string_member(content, "signature");
        !signature.empty()) {
      set_signature(block, signature);
    }
  } else if (type == "redacted_thinking") {
    ReasoningPart part;
    part.provider_metadata =
        anthropic_metadata("redactedData", Json(string_member(content, "data")));
    accumulator_.add_part(std::move(part));
    block.part = accumulator_.part_count() - 1;
  } else if (type == "tool_use" || is_server_tool(type)) {
    const std::size_t calls_before = accumulator_.tool_call_count();
    const Json* input = member(content, "input");
    // Input normally streams as input_json_delta; a block may also carry it whole.
    const std::string initial =
        input && input->is_object() && !input->empty() ? input->dump() : std::string();
    accumulator_.tool_call_delta(index, string_member(content, "id"),
                                 string_member(content, "name"), initial);
    if (accumulator_.tool_call_count() == calls_before) return;  // a repeated id: same call
    block.part = accumulator_.part_count() - 1;
    if (is_server_tool(type)) {
      accumulator_.part(block.part).edit<ToolCallPart>().provider_metadata =
          anthropic_metadata("server", true);
    } else {
      ++client_tool_calls_;
    }
  } else if (is_tool_result(type)) {
    attach_result(content);
  }
}

void AnthropicStreamDecoder::block_delta(const Json& event) {
  const std::optional<std::size_t> index = index_member(event, "index");
  const Json* delta = member(event, "delta");
  if (!delta) return;
  const std::string_view type = string_member(*delta, "type");
  Block* block = index ? find_block(*index) : nullptr;
  if (type == "input_json_delta") {
    accumulator_.tool_call_delta(index, {}, {}, string_member(*delta, "partial_json"));
    return;
  }
  if (!block) {
    // A delta for a block that never started: give it one of the kind the delta implies.
    const std::string block_type = type == "text_delta" ? "text" : "thinking";
    blocks_.push_back(Block{index.value_or(blocks_.size()), block_type, kNoPart});
    block = &blocks_.back();
  }
  if (type == "text_delta") {
    append_block_text(*block, string_member(*delta, "text"));
  } else if (type == "thinking_delta") {
    append_block_text(*block, string_member(*delta, "thinking"));
  } else if (type == "signature_delta") {
    set_signature(*block, string_member(*delta, "signature"));
  }
  // citations_delta and delta types added later are ignored.
}

AnthropicStreamDecoder::Block* AnthropicStreamDecoder::find_block(std::size_t index) {
  // The latest block with this index (there are few blocks, and a lookup by recency is exact
  // even if a server reuses an index).
  for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it) {
    if (it->index == index) return &*it;
  }
  return nullptr;
}

void AnthropicStreamDecoder::append_block_text(Block& block, std::string_view text) {
  if (text.empty()) return;
  const bool reasoning = block.type == "thinking";
  if (block.part == kNoPart) {
    // A part of its own, so that a block's deltas can never land in another block's part.
    if (reasoning) {
      ReasoningPart part;
      part.text = Text(text);
      accumulator_.add_part(std::move(part));
    } else {
      TextPart part;
      part.text = Text(text);
      accumulator_.add_part(std::move(part));
    }
    block.part = accumulator_.part_count() - 1;
    return;
  }
  ContentPart& part = accumulator_.part(block.part);
  // A text or thinking delta aimed at a block of another kind (a tool_use, a redacted_thinking)
  // has nowhere to go: it is dropped rather than written into a part of another type.
  if (reasoning && part.is<ReasoningPart>()) {
    part.edit<ReasoningPart>().text.append(text);
  } else if (!reasoning && part.is<TextPart>()) {
    part.edit<TextPart>().text.append(text);
  }
}

void AnthropicStreamDecoder::set_signature(Block& block, std::string_view signature) {
  if (block.type != "thinking") return;
  if (block.part == kNoPart) {
    // A thinking block whose text was empty still needs its signature to be sent back.
    accumulator_.add_part(ReasoningPart{});
    block.part = accumulator_.part_count() - 1;
  }
  Json& metadata = accumulator_.part(block.part).edit<ReasoningPart>().provider_metadata.edit();
  if (!metadata.is_object()) metadata = Json::object();
  Json& anthropic = metadata["anthropic"];
  if (!anthropic.is_object()) anthropic = Json::object();
  // Signatures may come in pieces.
  std::string value = anthropic.value("signature", std::string());
  value.append(signature);
  anthropic["signature"] = std::move(value);
}

void AnthropicStreamDecoder::attach_result(const Json& block) {
  const std::string_view call_id = string_member(block, "tool_use_id");
  if (call_id.empty()) return;
  for (const Block& b : blocks_) {
    if (b.part == kNoPart || !is_server_tool(b.type)) continue;
    const auto* call = accumulator_.part(b.part).get_if<ToolCallPart>();
    if (!call || call->tool_call_id != call_id) continue;
    ToolCallPart& edited = accumulator_.part(b.part).edit<ToolCallPart>();
    const Json* content = member(block, "content");
    edited.result = content ? *content : block;
    // A failed server tool reports an error object such as {"type": "web_fetch_tool_error"}.
    if (content && string_member(*content, "type").ends_with("_error")) edited.is_error = true;
    return;
  }
}

// A refusal's stop_details carry the API's explanation ("This request triggered restrictions
// on ..."): it becomes a text part of its own, so the reply says why it is empty. The part is
// marked {"anthropic": {"refusal": <stop_details>}}: these are the API's words, not the model's,
// and the adapter does not send them back as the assistant's.
void AnthropicStreamDecoder::add_refusal_explanation() {
  if (refusal_added_ || stop_reason_ != "refusal" || !stop_details_.is_object()) return;
  const std::string_view explanation = string_member(stop_details_, "explanation");
  if (explanation.empty()) return;
  refusal_added_ = true;
  accumulator_.end_part();
  TextPart part;
  part.text = Text(explanation);
  part.provider_metadata = Json{{"anthropic", {{"refusal", stop_details_}}}};
  accumulator_.add_part(std::move(part));
}

void AnthropicStreamDecoder::add_error(std::string message, Json detail) {
  errors_.push_back(std::move(message));
  error_details_.push_back(std::move(detail));
}

void AnthropicStreamDecoder::finish() {
  accumulator_.finish();
  accumulator_.set_status(status());
}

MessageStatus AnthropicStreamDecoder::status() const {
  if (!error_details_.empty()) {
    return MessageStatus::incomplete(StatusReason::Error,
                                     stream_json::assistant_error(error_details_.front()));
  }
  if (!done_) {
    return MessageStatus::incomplete(
        StatusReason::Error, Json{{"code", "incomplete_stream"},
                                  {"message", "the stream ended before the model finished"}});
  }
  const std::string reason = stop_reason_.value_or("end_turn");
  if (reason == "end_turn" || reason == "stop_sequence" || reason == "tool_use") {
    return client_tool_calls_ > 0 ? MessageStatus::requires_action(StatusReason::ToolCalls)
                                  : MessageStatus::complete(StatusReason::Stop);
  }
  if (reason == "max_tokens" || reason == "model_context_window_exceeded") {
    return MessageStatus::incomplete(StatusReason::Length);
  }
  if (reason == "refusal") return MessageStatus::incomplete(StatusReason::ContentFilter);
  return MessageStatus::incomplete(StatusReason::Other);
}

}  // namespace aui
