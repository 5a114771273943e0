#pragma once
// The recorded provider streams of tests/fixtures/streams and what expected.json says of each,
// for the suites that replay them: straight through the decoders
// (tests/core/streaming/stream_fixtures_test.cpp) and through a real HTTP server to the adapters
// (tests/backends/replay_test.cpp). Both compare a message with the same expectations, so the
// reading of expected.json, the slicing of the bytes and the expected status live here once.

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "aui/model/json.hpp"
#include "aui/model/message.hpp"

namespace aui::stream_fixtures {

/// tests/fixtures/streams in the source tree.
std::filesystem::path streams_dir();

/// The whole file, bytes as they are ("" when it cannot be read).
std::string read_file(const std::filesystem::path& path);

/// One recorded stream to replay.
struct StreamCase {
  std::string file;  // relative to streams_dir()
  std::string wire;  // "openai" | "anthropic"
  Json expected;     // its entry in expected.json
};

/// GoogleTest prints a failing parameter with this.
void PrintTo(const StreamCase& c, std::ostream* os);

/// Every .sse file expected.json lists (a .chunks.txt recording has an .sse rendering beside
/// it, which is the one replayed).
std::vector<StreamCase> load_cases();

/// The case's file name as a test name (every character that is not a letter or a digit
/// becomes '_').
std::string test_name(const ::testing::TestParamInfo<StreamCase>& info);

// ---- how the bytes reach the parser ----

/// Cuts at lengths drawn from a fixed-seed generator (std::minstd_rand's recurrence, whose raw
/// output the standard fixes: the cuts are the same everywhere), each 1..max_len bytes.
std::vector<std::string_view> random_cuts(std::string_view bytes, std::uint32_t seed,
                                          std::size_t max_len);

/// The bytes with every LF replaced by `with` (e.g. CRLF line endings).
std::string replace_lf(std::string_view bytes, std::string_view with);

// ---- reading the assembled message ----

/// A text part that holds a refusal (OpenAI's delta.refusal, Anthropic's stop_details
/// explanation) rather than the answer's text.
bool is_refusal_part(const TextPart& t);
/// The answer's text: every text part but refusals, joined.
std::string answer_text_of(const Content& content);
/// The refusal parts' text, joined.
std::string refusal_of(const Content& content);
/// The reasoning parts' text, joined.
std::string reasoning_of(const Content& content);
std::vector<const ToolCallPart*> tool_calls_of(const Content& content);
/// Characters (UTF-8 code points), as expected.json counts them.
std::size_t code_points(std::string_view s);

// ---- what expected.json implies ----

/// What the decoders show as the refusal: OpenAI's refusal text; Anthropic's explanation.
std::string expected_refusal(const std::string& wire, const Json& e);
/// The status each decoder documents for the stream's ending (see their headers).
MessageStatus expected_status(const StreamCase& c, const Json& e);

}  // namespace aui::stream_fixtures
