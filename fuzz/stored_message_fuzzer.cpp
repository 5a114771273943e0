// libFuzzer target: a stored message read back from its JSON text. The stores read rows through
// message_from_json_text, whose fast path reads the common shape straight from the text; it must
// agree with the full reader (nlohmann DOM + message_from_json) on every input: the same message,
// or an aui::Error from both. Anything else — a crash, another exception, a disagreement — aborts.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"

namespace {

// The message as the full reader sees it, or nullopt when it refuses the text.
std::optional<aui::Json> full_reader(std::string_view text) {
  try {
    return aui::to_json(aui::message_from_json(aui::parse_json(text, "row"), "row"));
  } catch (const aui::Error&) {
    return std::nullopt;
  }
}

std::optional<aui::Json> stored_reader(std::string_view text) {
  try {
    return aui::to_json(aui::message_from_json_text(text, "row"));
  } catch (const aui::Error&) {
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto expected = full_reader(text);
  const auto got = stored_reader(text);
  if (expected.has_value() != got.has_value() || (expected && *expected != *got)) {
    std::fprintf(stderr, "the readers disagree:\n  full:   %s\n  stored: %s\n",
                 expected ? expected->dump().c_str() : "(refused)",
                 got ? got->dump().c_str() : "(refused)");
    std::abort();
  }
  return 0;
}
