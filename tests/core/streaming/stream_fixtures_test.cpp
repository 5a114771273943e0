// Replays every recorded provider stream in tests/fixtures/streams through SseParser and the
// matching decoder, sliced in many ways, and compares the result with expected.json (see the
// README there for how each expectation was computed).

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "aui/model/json.hpp"
#include "aui/streaming/anthropic_stream.hpp"
#include "aui/streaming/openai_stream.hpp"
#include "aui/streaming/sse_parser.hpp"
#include "support/stream_fixtures.hpp"

namespace aui {
namespace {

using namespace stream_fixtures;

// ---------------------------------------------------------------------------------------------
// Slicing: how the bytes reach the parser.

using Slices = std::vector<std::string_view>;

Slices whole(std::string_view bytes) { return {bytes}; }

Slices bytewise(std::string_view bytes) {
  Slices out;
  for (std::size_t i = 0; i < bytes.size(); ++i) out.push_back(bytes.substr(i, 1));
  return out;
}

// Cuts before every byte for which `cut_before` holds.
template <class Pred>
Slices cut_where(std::string_view bytes, Pred cut_before) {
  Slices out;
  std::size_t start = 0;
  for (std::size_t i = 1; i < bytes.size(); ++i) {
    if (cut_before(bytes, i)) {
      out.push_back(bytes.substr(start, i - start));
      start = i;
    }
  }
  out.push_back(bytes.substr(start));
  return out;
}

// Inside every multi-byte UTF-8 character: before each continuation byte.
Slices utf8_cuts(std::string_view bytes) {
  return cut_where(bytes, [](std::string_view b, std::size_t i) {
    return (static_cast<unsigned char>(b[i]) & 0xC0) == 0x80;
  });
}

// Between every CR and the LF after it.
Slices crlf_cuts(std::string_view bytes) {
  return cut_where(
      bytes, [](std::string_view b, std::size_t i) { return b[i] == '\n' && b[i - 1] == '\r'; });
}

// ---------------------------------------------------------------------------------------------
// Decoding: one wire-independent view of what a decoder produced.

struct Decoded {
  Content content;
  MessageStatus status;
  std::optional<MessageStatus> snapshot_status;
  std::optional<std::string> finish_reason;
  Json usage;
  std::vector<Json> errors;
  std::string refusal;
  std::vector<std::string> blocks;
  Json stop_details;
  std::string terminated_by;  // "[DONE]", "message_stop", "error" or ""
  std::size_t events = 0;
  std::size_t comments = 0;
};

// Feeds the slices; after each one, checks that the snapshot is a prefix of the final text
// (the results are cumulative) when `final_text` is given.
template <class Decoder>
Decoded run(Decoder& decoder, const Slices& slices, const std::optional<std::string>& final_text) {
  SseParser parser([&](const SseEvent& e) { decoder.feed(e); });
  for (std::string_view slice : slices) {
    parser.feed(slice);
    if (final_text) {
      const ChatModelRunResult snapshot = decoder.accumulator().snapshot();
      const std::string so_far = answer_text_of(*snapshot.content);
      EXPECT_TRUE(std::string_view(*final_text).starts_with(so_far))
          << "not cumulative: " << so_far;
    }
  }
  parser.finish();
  decoder.finish();
  Decoded d;
  const ChatModelRunResult last = decoder.accumulator().snapshot();
  d.content = *last.content;
  d.snapshot_status = last.status;
  d.status = decoder.status();
  d.usage = decoder.usage();
  d.errors = decoder.error_details();
  d.events = parser.event_count();
  d.comments = parser.comment_count();
  return d;
}

Decoded decode(const StreamCase& c, const Slices& slices) {
  std::optional<std::string> final_text;
  if (c.expected.contains("text") && c.expected["text"].is_string())
    final_text = c.expected["text"];
  if (c.wire == "anthropic") {
    AnthropicStreamDecoder decoder;
    Decoded d = run(decoder, slices, final_text);
    d.finish_reason = decoder.stop_reason();
    d.blocks = decoder.block_types();
    d.stop_details = decoder.stop_details();
    d.terminated_by = decoder.done() ? "message_stop" : (d.errors.empty() ? "" : "error");
    return d;
  }
  OpenAIStreamDecoder decoder;
  Decoded d = run(decoder, slices, final_text);
  d.finish_reason = decoder.finish_reason();
  d.refusal = decoder.refusal();
  d.terminated_by = decoder.done() ? "[DONE]" : (d.errors.empty() ? "" : "error");
  return d;
}

// ---------------------------------------------------------------------------------------------
// Expectations.

void check(const StreamCase& c, const Decoded& d) {
  const Json& e = c.expected;
  ASSERT_TRUE(d.snapshot_status.has_value()) << "finish() must put the status on the snapshot";
  EXPECT_EQ(*d.snapshot_status, d.status);

  if (e.value("protocol_error", false)) {
    // Two messages spliced together: reported, and the second one is never merged in.
    ASSERT_FALSE(d.errors.empty());
    EXPECT_EQ(d.errors.front()["code"], "protocol_error");
    EXPECT_TRUE(d.status.is(StatusType::Incomplete, StatusReason::Error));
    EXPECT_EQ(d.status.error->at("code"), "protocol_error");
    for (const ToolCallPart* call : tool_calls_of(d.content)) {
      EXPECT_NE(call->tool_call_id, e["if_reset_on_new_message_start"]["tool_calls"][0]["id"]);
    }
    EXPECT_EQ(reasoning_of(d.content).find("Let me call the tool."), std::string::npos);
    return;
  }

  // The refusal is a text part of its own; the rest is the answer's text.
  const std::string text = answer_text_of(d.content);
  EXPECT_EQ(text, e["text"].get<std::string>());
  EXPECT_EQ(refusal_of(d.content), expected_refusal(c.wire, e));
  EXPECT_EQ(text.size(), e["text_bytes"].get<std::size_t>());
  EXPECT_EQ(code_points(text), e["text_chars"].get<std::size_t>());

  const std::string reasoning = reasoning_of(d.content);
  EXPECT_EQ(code_points(reasoning), e["reasoning_chars"].get<std::size_t>());
  EXPECT_TRUE(reasoning.starts_with(e["reasoning_prefix"].get<std::string>()))
      << "reasoning: " << reasoning.substr(0, 80);

  if (c.wire == "openai") {
    EXPECT_EQ(d.refusal, e["refusal"].is_null() ? "" : e["refusal"].get<std::string>());
  }

  const auto calls = tool_calls_of(d.content);
  ASSERT_EQ(calls.size(), e["tool_calls"].size());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const ToolCallPart& call = *calls[i];
    const Json& want = e["tool_calls"][i];
    SCOPED_TRACE("tool call " + std::to_string(i));
    EXPECT_EQ(call.tool_call_id, want["id"].get<std::string>());
    EXPECT_EQ(call.tool_name, want["name"].get<std::string>());
    EXPECT_EQ(call.args_text.view(), want["arguments_raw"].get<std::string>());
    if (want["arguments_valid_json"].get<bool>()) {
      EXPECT_EQ(call.args, want["arguments"]);
    } else {
      // Cut off mid-arguments: the raw text is kept and is indeed not JSON.
      EXPECT_FALSE(Json::accept(call.args_text.view()));
      EXPECT_TRUE(call.args.is_object());
    }
    const bool server = want["kind"] == "server_tool_use";
    const Json& metadata = call.provider_metadata;
    EXPECT_EQ(server, metadata.is_object() && metadata.contains("anthropic") &&
                          metadata["anthropic"].value("server", false));
    // A server tool ran at the provider: its result block resolves it.
    EXPECT_EQ(server, call.resolved());
  }

  if (e["finish_reason"].is_null()) {
    EXPECT_FALSE(d.finish_reason.has_value()) << *d.finish_reason;
  } else {
    EXPECT_EQ(d.finish_reason, e["finish_reason"].get<std::string>());
  }
  EXPECT_EQ(d.usage, e["usage"]);
  EXPECT_EQ(Json(d.errors), e["errors"]);
  EXPECT_EQ(d.terminated_by, e["terminated_by"].get<std::string>());

  if (c.wire == "anthropic") {
    EXPECT_EQ(Json(d.blocks), e.value("blocks", Json::array()));
    EXPECT_EQ(d.stop_details, e.value("stop_details", Json()));
    // Each thinking block's signature is kept for sending the thinking back.
    for (const auto& part : d.content) {
      if (const auto* r = part.get_if<ReasoningPart>()) {
        const Json& m = r->provider_metadata;
        ASSERT_TRUE(m.is_object()) << "reasoning part without its signature";
        EXPECT_TRUE(m["anthropic"].contains("signature") ||
                    m["anthropic"].contains("redactedData"));
      }
    }
  }

  const MessageStatus want = expected_status(c, e);
  EXPECT_EQ(d.status.type, want.type) << to_string(d.status.type);
  EXPECT_EQ(d.status.reason, want.reason) << to_string(d.status.reason);
  if (d.status.reason == StatusReason::Error) {
    EXPECT_TRUE(d.status.error->at("code").is_string());
    EXPECT_TRUE(d.status.error->at("message").is_string());
  }
}

// ---------------------------------------------------------------------------------------------

class StreamFixture : public ::testing::TestWithParam<StreamCase> {};

TEST_P(StreamFixture, ReplaysToTheExpectedMessage) {
  const StreamCase& c = GetParam();
  const std::string original = read_file(streams_dir() / c.file);
  ASSERT_FALSE(original.empty()) << c.file;
  const std::string crlf = replace_lf(original, "\r\n");
  const std::string cr = replace_lf(original, "\r");

  struct Variant {
    std::string label;
    Slices slices;
  };
  std::vector<Variant> variants;
  variants.push_back({"whole", whole(original)});
  variants.push_back({"byte by byte", bytewise(original)});
  for (std::uint32_t seed : {1u, 2u, 3u, 4u, 5u}) {
    variants.push_back(
        {"random cuts, seed " + std::to_string(seed), random_cuts(original, seed, 64)});
  }
  variants.push_back({"cuts inside UTF-8 characters", utf8_cuts(original)});
  variants.push_back({"CRLF whole", whole(crlf)});
  variants.push_back({"CRLF cut between CR and LF", crlf_cuts(crlf)});
  variants.push_back({"CRLF random cuts", random_cuts(crlf, 7, 16)});
  variants.push_back({"CR whole", whole(cr)});
  variants.push_back({"CR random cuts", random_cuts(cr, 11, 16)});

  std::optional<Decoded> reference;
  for (const Variant& v : variants) {
    SCOPED_TRACE(c.file + " (" + v.label + ")");
    const Decoded d = decode(c, v.slices);
    check(c, d);
    if (!reference) {
      reference = d;
      EXPECT_GT(d.events, 0u);
    } else {
      // However the bytes arrive, the parser sees the same events.
      EXPECT_EQ(d.events, reference->events);
      EXPECT_EQ(d.comments, reference->comments);
      EXPECT_EQ(d.content, reference->content);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Recorded, StreamFixture, ::testing::ValuesIn(load_cases()), test_name);

TEST(StreamFixtures, EveryRecordedStreamHasAnExpectation) {
  const std::vector<StreamCase> cases = load_cases();
  EXPECT_GE(cases.size(), 43u);
  std::set<std::string> listed;
  for (const auto& c : cases) listed.insert(c.file);
  std::size_t on_disk = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(streams_dir())) {
    if (entry.path().extension() != ".sse") continue;
    ++on_disk;
    const std::string rel = std::filesystem::relative(entry.path(), streams_dir()).generic_string();
    EXPECT_TRUE(listed.count(rel)) << rel << " is not in expected.json";
  }
  EXPECT_EQ(on_disk, cases.size());
}

TEST(StreamFixtures, TheCopiesAreByteForByte) {
  // NOTICE.md travels with the data (the licences require it); the recordings keep their quirks.
  EXPECT_FALSE(read_file(streams_dir() / "NOTICE.md").empty());
  const std::string leading_space = read_file(
      streams_dir() / "openrouter/openrouter-kimi-k2-tool-call-split-header-leading-space.sse");
  ASSERT_FALSE(leading_space.empty());
  EXPECT_EQ(leading_space.front(), ' ');
  const std::string no_final_blank =
      read_file(streams_dir() / "anthropic/claude-3-opus-text-ping.sse");
  ASSERT_FALSE(no_final_blank.empty());
  EXPECT_NE(no_final_blank.back(), '\n');
}

}  // namespace
}  // namespace aui
