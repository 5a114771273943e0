#include "aui/streaming/delta_accumulator.hpp"

#include <algorithm>
#include <utility>

#include "aui/model/message_like.hpp"

namespace aui {

namespace {

bool is_blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

// The arguments of a finished call. A model cut off mid-call (max tokens) leaves text that is
// not JSON; its best partial parse is more useful to a renderer than nothing, and args_text
// keeps the raw text.
Json parse_arguments(std::string_view text) {
  if (is_blank(text)) return Json::object();
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_discarded() && parsed.is_object()) return parsed;
  // Arguments are an object: a model that sent `5`, `"x"` or `[1` gets `{}` (its text stays in
  // args_text), never a number or a list the tools and renderers do not expect.
  Json partial = parse_partial_json(text);
  return partial.is_object() ? partial : Json::object();
}

}  // namespace

void DeltaAccumulator::append_text(std::string_view delta) {
  // An empty delta (the role chunk's `content: ""`) must not open an empty part.
  if (delta.empty()) return;
  if (part_open_ && parts_.back().is<TextPart>()) {
    parts_.back().edit<TextPart>().text.append(delta);
    return;
  }
  TextPart part;
  part.text = Text(delta);
  parts_.emplace_back(std::move(part));
  part_open_ = true;
}

void DeltaAccumulator::append_reasoning(std::string_view delta) {
  if (delta.empty()) return;
  if (part_open_ && parts_.back().is<ReasoningPart>()) {
    // Unshares the boxed part if a snapshot holds it: a copy of a few handles, not of the text.
    parts_.back().edit<ReasoningPart>().text.append(delta);
    return;
  }
  ReasoningPart part;
  part.text = Text(delta);
  parts_.emplace_back(std::move(part));
  part_open_ = true;
}

void DeltaAccumulator::tool_call_delta(std::optional<std::size_t> index, std::string_view id,
                                       std::string_view name, std::string_view arguments_fragment) {
  // A fragment that says nothing (no key, no content) cannot start or extend a call.
  if (!index && id.empty() && name.empty() && arguments_fragment.empty()) return;
  const auto call_at = [this](const ToolCallSlot& slot) -> const ToolCallPart& {
    return parts_[slot.part].as<ToolCallPart>();
  };

  ToolCallSlot* slot = nullptr;
  if (!id.empty()) {
    for (auto& s : tool_calls_) {
      if (call_at(s).tool_call_id == id) {
        slot = &s;
        break;
      }
    }
  }
  if (!slot && index) {
    // The latest call with this index: a backend that reuses indices has several.
    for (auto it = tool_calls_.rbegin(); it != tool_calls_.rend(); ++it) {
      if (it->index == index) {
        // The same index with another id is a new call.
        if (id.empty() || call_at(*it).tool_call_id.empty()) slot = &*it;
        break;
      }
    }
  }
  if (!slot && !index && id.empty() && !tool_calls_.empty()) {
    // Neither index nor id: a continuation of the call being streamed.
    slot = &tool_calls_.back();
  }

  if (!slot) {
    // A later call starts: the earlier ones are complete.
    for (auto& s : tool_calls_) {
      if (s.open) close_tool_call(s);
    }
    ToolCallPart call;
    call.tool_call_id = std::string(id);
    call.tool_name = std::string(name);
    call.args_text = Text(arguments_fragment);
    parts_.emplace_back(std::move(call));
    part_open_ = false;
    tool_calls_.push_back(ToolCallSlot{index, parts_.size() - 1, true});
    return;
  }

  const ToolCallPart& known = call_at(*slot);
  const bool set_id = !id.empty() && known.tool_call_id.empty();
  const bool set_name = !name.empty() && known.tool_name.empty();
  if (!set_id && !set_name && arguments_fragment.empty()) return;
  if (!slot->index && index) slot->index = index;
  ToolCallPart& call = parts_[slot->part].edit<ToolCallPart>();
  if (set_id) call.tool_call_id = std::string(id);
  if (set_name) call.tool_name = std::string(name);
  if (!arguments_fragment.empty()) {
    call.args_text.append(arguments_fragment);
    slot->open = true;
  }
}

void DeltaAccumulator::add_part(ContentPart part) {
  parts_.push_back(std::move(part));
  part_open_ = false;
}

void DeltaAccumulator::end_part() {
  part_open_ = false;
  for (auto& s : tool_calls_) {
    if (s.open) close_tool_call(s);
  }
}

ContentPart& DeltaAccumulator::part(std::size_t i) { return parts_.at(i); }

void DeltaAccumulator::set_status(MessageStatus status) { status_ = std::move(status); }

RunResultMetadata& DeltaAccumulator::metadata() {
  has_metadata_ = true;
  return metadata_;
}

void DeltaAccumulator::close_tool_call(ToolCallSlot& slot) {
  ToolCallPart& call = parts_[slot.part].edit<ToolCallPart>();
  call.args = parse_arguments(call.args_text.view());
  slot.open = false;
}

void DeltaAccumulator::finish() {
  part_open_ = false;
  for (std::size_t i = 0; i < tool_calls_.size(); ++i) {
    ToolCallSlot& slot = tool_calls_[i];
    if (slot.open) close_tool_call(slot);
    if (parts_[slot.part].as<ToolCallPart>().tool_call_id.empty()) {
      // A result must name its call; some servers never send an id.
      parts_[slot.part].edit<ToolCallPart>().tool_call_id = "call_" + std::to_string(i);
    }
  }
}

ChatModelRunResult DeltaAccumulator::snapshot() const {
  ChatModelRunResult result;
  result.content = parts_;  // one handle per part; no text is copied
  result.status = status_;
  if (has_metadata_) result.metadata = metadata_;
  return result;
}

Content DeltaAccumulator::content() const { return parts_; }

std::size_t DeltaAccumulator::tool_call_count() const noexcept { return tool_calls_.size(); }

bool DeltaAccumulator::empty() const noexcept { return parts_.empty(); }

}  // namespace aui
