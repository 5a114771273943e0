// libFuzzer target: arbitrary bytes through SseParser into both stream decoders, fed whole and in
// slices the input itself chooses. Beyond "no crash, no UB, no leak" (the sanitizers), it checks
// that how the bytes are cut never changes what is assembled.
//
// Input layout: byte 0 picks the slicing seed; the rest is the body.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "aui/streaming/anthropic_stream.hpp"
#include "aui/streaming/openai_stream.hpp"
#include "aui/streaming/sse_parser.hpp"

namespace {

template <class Decoder>
aui::Content decode(std::string_view body, std::uint8_t seed) {
  Decoder decoder;
  aui::SseParser parser([&](const aui::SseEvent& e) { decoder.feed(e); });
  parser.on_unknown_field([&](std::string_view field, std::string_view value) {
    if (field == "error") decoder.feed(aui::SseEvent{"error", std::string(value), {}, {}});
  });
  std::uint32_t state = seed;
  for (std::size_t pos = 0; pos < body.size();) {
    std::size_t len = body.size() - pos;
    if (seed != 0) {
      state = state * 1103515245u + 12345u;
      len = std::min<std::size_t>(len, 1 + (state >> 16) % 64);
    }
    parser.feed(body.substr(pos, len));
    pos += len;
    const auto snapshot = decoder.accumulator().snapshot();
    if (!snapshot.content) std::abort();
  }
  parser.finish();
  decoder.finish();
  const auto last = decoder.accumulator().snapshot();
  if (!last.status) std::abort();  // finish() always sets the status
  return *last.content;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t seed = data[0];
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  if (decode<aui::OpenAIStreamDecoder>(body, 0) != decode<aui::OpenAIStreamDecoder>(body, seed | 1))
    std::abort();
  if (decode<aui::AnthropicStreamDecoder>(body, 0) !=
      decode<aui::AnthropicStreamDecoder>(body, seed | 1))
    std::abort();
  return 0;
}
