// libFuzzer target: a stored message read back from its JSON text, and written again. The stores
// read rows through message_from_json_text, whose fast path reads the common shape straight from
// the text; it must agree with the full reader (nlohmann DOM + message_from_json) on every input:
// the same message, or an aui::Error from both. The same input as the one message of an exported
// thread must read the same through repository_from_json_text as through the document reader.
// And a message that reads must write through to_json_text exactly as to_json(m).dump() writes
// it. Anything else — a crash, another exception, a disagreement — aborts.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"
#include "aui/tree/message_repository.hpp"

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
    const auto message = aui::message_from_json_text(text, "row");
    const std::string written = aui::to_json_text(message);
    if (written != aui::to_json(message).dump()) {
      std::fprintf(stderr, "to_json_text differs from to_json().dump(): %s\n", written.c_str());
      std::abort();
    }
    return aui::to_json(message);
  } catch (const aui::Error&) {
    return std::nullopt;
  }
}

// The repository's text as the document reader gives it, or the error.
std::string repository_outcome(bool text_reader, const std::string& text) {
  try {
    const auto repo = text_reader ? aui::repository_from_json_text(text)
                                  : aui::repository_from_json(aui::parse_json(text));
    return aui::to_json(repo).dump();
  } catch (const aui::Error& e) {
    return std::string("error: ") + e.what();
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
  const std::string repo =
      R"({"headId":null,"messages":[{"parentId":null,"message":)" + std::string(text) + "}]}";
  const std::string want = repository_outcome(false, repo);
  const std::string have = repository_outcome(true, repo);
  if (want != have) {
    std::fprintf(stderr, "the repository readers disagree:\n  full: %s\n  text: %s\n", want.c_str(),
                 have.c_str());
    std::abort();
  }
  return 0;
}
