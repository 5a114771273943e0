// libFuzzer target: the DeltaAccumulator driven by arbitrary operations — text, reasoning and
// tool-call fragments with any index / id / name / argument bytes, end_part, add_part, status,
// part() edits and finish — with a snapshot after each, so the sanitizers watch every path.
//
// Input layout: a sequence of records; each starts with an opcode byte, then a length byte and
// that many bytes of payload (cut short at the end of the input).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "aui/streaming/delta_accumulator.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  aui::DeltaAccumulator acc;
  std::size_t pos = 0;
  const auto take = [&]() -> std::string_view {
    if (pos >= size) return {};
    const std::size_t want = data[pos++];
    const std::size_t len = std::min<std::size_t>(want, size - pos);
    const std::string_view out(reinterpret_cast<const char*>(data + pos), len);
    pos += len;
    return out;
  };
  while (pos < size) {
    const std::uint8_t op = data[pos++];
    switch (op % 8) {
      case 0: acc.append_text(take()); break;
      case 1: acc.append_reasoning(take()); break;
      case 2: {
        // index (or none), id, name, arguments fragment
        std::optional<std::size_t> index;
        if (op & 0x80) index = (op >> 3) & 0x7;
        const std::string_view id = (op & 0x40) ? take() : std::string_view();
        const std::string_view name = (op & 0x20) ? take() : std::string_view();
        acc.tool_call_delta(index, id, name, take());
        break;
      }
      case 3: acc.end_part(); break;
      case 4: acc.add_part(aui::TextPart{aui::Text(take())}); break;
      case 5:
        acc.set_status(op & 0x80 ? aui::MessageStatus::requires_action()
                                 : aui::MessageStatus::complete(aui::StatusReason::Stop));
        break;
      case 6:
        if (acc.part_count() > 0) {
          aui::ContentPart& p = acc.part((op >> 3) % acc.part_count());
          if (auto* call = p.get_if<aui::ToolCallPart>()) {
            p.edit<aui::ToolCallPart>().provider_metadata = aui::Json{{"k", call->tool_name}};
          }
        }
        break;
      case 7: acc.finish(); break;
    }
    const auto snapshot = acc.snapshot();
    if (!snapshot.content || snapshot.content->size() != acc.part_count()) std::abort();
  }
  acc.finish();
  for (const auto& part : acc.content()) {
    if (const auto* call = part.get_if<aui::ToolCallPart>()) {
      if (call->tool_call_id.empty()) std::abort();  // finish() names every call
      if (!call->args.is_object()) std::abort();
    }
  }
  return 0;
}
