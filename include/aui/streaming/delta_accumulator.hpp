#pragma once
// DeltaAccumulator: turns a backend's deltas into the cumulative results the runtime wants.
// Backends speak in deltas; an adapter that rebuilds content from one chunk loses tool calls.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/model/message.hpp"

namespace aui {

/// Accumulates text, reasoning and tool-call fragments into content parts, in the order they
/// first appear. Consecutive text deltas extend one text part (likewise reasoning); a text delta
/// after a different kind of part, add_part() or end_part() starts a new text part. Empty deltas
/// add nothing.
///
/// Costs: every delta costs its own size (text grows in place); snapshot() costs the number of
/// parts, never the length of the text, so yielding a snapshot after every delta is cheap.
///
/// Tool calls are keyed by `index` when the backend gives one, else by id; a non-empty id that
/// names a known call wins. A call's id and name come from the first fragment that has them
/// non-empty and are never concatenated or overwritten; argument fragments are concatenated and
/// parsed when the call is finished (a later call starts, end_part(), or finish()) — `{}` when
/// empty; text that is not valid JSON is kept in args_text and args is its best partial parse.
/// While a call is open its args stay as they were (`{}` at first). A fragment for a finished
/// call reopens it.
class DeltaAccumulator {
 public:
  void append_text(std::string_view delta);
  void append_reasoning(std::string_view delta);
  /// One tool-call fragment. Empty id / name mean "not in this fragment".
  void tool_call_delta(std::optional<std::size_t> index, std::string_view id, std::string_view name,
                       std::string_view arguments_fragment);
  /// Appends a finished part (a source, a file, a whole tool call with a result, ...).
  void add_part(ContentPart part);
  /// Ends the part being streamed: the next text or reasoning delta starts a new part, and the
  /// tool calls still open are finished. For wire formats that delimit their blocks.
  void end_part();
  /// Part `i` (in order of first appearance), for what a delta cannot say: a signature in
  /// provider_metadata, a server tool's result. Keep its kind and its args_text as they are.
  /// Throws std::out_of_range when there is no part `i`.
  ContentPart& part(std::size_t i);
  std::size_t part_count() const noexcept { return parts_.size(); }
  /// Sets the status reported with the next snapshots (e.g. requires-action/tool-calls).
  void set_status(MessageStatus status);
  /// Sets metadata reported with the snapshots (usage steps, timing, custom).
  RunResultMetadata& metadata();

  /// Parses the arguments of every tool call still open and gives calls that never got an id
  /// one ("call_<position>"). Call at the end of the stream.
  void finish();

  /// The cumulative answer so far.
  ChatModelRunResult snapshot() const;
  /// The content so far.
  Content content() const;
  std::size_t tool_call_count() const noexcept;
  bool empty() const noexcept;

 private:
  struct ToolCallSlot {
    std::optional<std::size_t> index;
    std::size_t part = 0;  // position in parts_
    bool open = true;
  };
  void close_tool_call(ToolCallSlot& slot);
  Content parts_;
  std::vector<ToolCallSlot> tool_calls_;
  bool part_open_ = false;  // the last part may still grow by a delta of its kind
  std::optional<MessageStatus> status_;
  RunResultMetadata metadata_;
  bool has_metadata_ = false;
};

}  // namespace aui
