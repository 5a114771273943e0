// Hand-written Anthropic Messages streams for what no public recording shows (mid-stream
// errors, pause_turn, split signatures, interleaved blocks); the recorded ones are in
// stream_fixtures_test.cpp.

#include "aui/streaming/anthropic_stream.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "aui/streaming/sse_parser.hpp"

namespace aui {
namespace {

std::string ev(std::string_view type, std::string_view json) {
  return "event: " + std::string(type) + "\ndata: " + std::string(json) + "\n\n";
}

const std::string kStart = ev(
    "message_start",
    R"({"type":"message_start","message":{"id":"msg_1","content":[],"usage":{"input_tokens":5,"output_tokens":1}}})");

std::string text_block(int index, std::string_view text) {
  const std::string i = std::to_string(index);
  return ev("content_block_start", R"({"type":"content_block_start","index":)" + i +
                                       R"(,"content_block":{"type":"text","text":""}})") +
         ev("content_block_delta", R"({"type":"content_block_delta","index":)" + i +
                                       R"(,"delta":{"type":"text_delta","text":")" +
                                       std::string(text) + "\"}}") +
         ev("content_block_stop", R"({"type":"content_block_stop","index":)" + i + "}");
}

std::string end(std::string_view stop_reason) {
  return ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":")" +
                                 std::string(stop_reason) + R"("},"usage":{"output_tokens":9}})") +
         ev("message_stop", R"({"type":"message_stop"})");
}

struct Replay {
  AnthropicStreamDecoder decoder;
  SseParser parser{[this](const SseEvent& e) { decoder.feed(e); }};

  explicit Replay(std::string_view body) {
    parser.feed(body);
    parser.finish();
    decoder.finish();
  }
  Content content() const { return decoder.accumulator().content(); }
};

TEST(AnthropicStream, TextAndUsageOverlay) {
  Replay r(kStart + text_block(0, "Hello") + end("end_turn"));
  const Content c = r.content();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].as<TextPart>().text, "Hello");
  EXPECT_EQ(r.decoder.message_id(), "msg_1");
  EXPECT_EQ(r.decoder.usage(), (Json{{"input_tokens", 5}, {"output_tokens", 9}}));
  EXPECT_TRUE(r.decoder.status().is(StatusType::Complete, StatusReason::Stop));
}

TEST(AnthropicStream, EachTextBlockIsItsOwnPart) {
  Replay r(kStart + text_block(0, "one") + text_block(1, "two") + end("end_turn"));
  const Content c = r.content();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].as<TextPart>().text, "one");
  EXPECT_EQ(c[1].as<TextPart>().text, "two");
}

TEST(AnthropicStream, InterleavedDeltasStayInTheirBlocks) {
  const auto delta = [](int index, std::string_view text) {
    return ev("content_block_delta",
              R"({"type":"content_block_delta","index":)" + std::to_string(index) +
                  R"(,"delta":{"type":"text_delta","text":")" + std::string(text) + "\"}}");
  };
  Replay r(
      kStart +
      ev("content_block_start",
         R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})") +
      ev("content_block_start",
         R"({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}})") +
      delta(1, "B1") + delta(0, "A1") + delta(1, "B2") + delta(0, "A2") + end("end_turn"));
  const Content c = r.content();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].as<TextPart>().text, "B1B2");  // parts in order of first content
  EXPECT_EQ(c[1].as<TextPart>().text, "A1A2");
}

TEST(AnthropicStream, SignatureInPiecesAndEmptyThinking) {
  Replay r(
      kStart +
      ev("content_block_start",
         R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}})") +
      ev("content_block_delta",
         R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}})") +
      ev("content_block_delta",
         R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"def"}})") +
      ev("content_block_stop", R"({"type":"content_block_stop","index":0})") + text_block(1, "hi") +
      end("end_turn"));
  const Content c = r.content();
  ASSERT_EQ(c.size(), 2u);
  const auto& reasoning = c[0].as<ReasoningPart>();
  EXPECT_EQ(reasoning.text, "");
  EXPECT_EQ(reasoning.provider_metadata, (Json{{"anthropic", {{"signature", "abcdef"}}}}));
  EXPECT_EQ(c[1].as<TextPart>().text, "hi");
}

TEST(AnthropicStream, WholeToolInputInBlockStart) {
  Replay r(
      kStart +
      ev("content_block_start",
         R"({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t1","name":"f","input":{"a":[1,2]}}})") +
      ev("content_block_stop", R"({"type":"content_block_stop","index":0})") + end("tool_use"));
  const Content c = r.content();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].as<ToolCallPart>().args, (Json{{"a", {1, 2}}}));
  EXPECT_TRUE(r.decoder.status().is(StatusType::RequiresAction, StatusReason::ToolCalls));
}

TEST(AnthropicStream, ToolArgsParsedWhenTheBlockStops) {
  AnthropicStreamDecoder d;
  SseParser p([&](const SseEvent& e) { d.feed(e); });
  p.feed(
      kStart +
      ev("content_block_start",
         R"({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t1","name":"f","input":{}}})") +
      ev("content_block_delta",
         R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"k\": "}})") +
      ev("content_block_delta",
         R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"true}"}})"));
  EXPECT_EQ(d.accumulator().content()[0].as<ToolCallPart>().args, Json::object());
  p.feed(ev("content_block_stop", R"({"type":"content_block_stop","index":0})"));
  EXPECT_EQ(d.accumulator().content()[0].as<ToolCallPart>().args, (Json{{"k", true}}));
}

TEST(AnthropicStream, ServerToolErrorResult) {
  Replay r(
      kStart +
      ev("content_block_start",
         R"({"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srv1","name":"web_search","input":{"query":"x"}}})") +
      ev("content_block_stop", R"({"type":"content_block_stop","index":0})") +
      ev("content_block_start",
         R"({"type":"content_block_start","index":1,"content_block":{"type":"web_search_tool_result","tool_use_id":"srv1","content":{"type":"web_search_tool_result_error","error_code":"max_uses_exceeded"}}})") +
      ev("content_block_stop", R"({"type":"content_block_stop","index":1})") +
      text_block(2, "sorry") + end("end_turn"));
  const Content c = r.content();
  ASSERT_EQ(c.size(), 2u);
  const auto& call = c[0].as<ToolCallPart>();
  EXPECT_EQ(call.provider_metadata, (Json{{"anthropic", {{"server", true}}}}));
  ASSERT_TRUE(call.result.has_value());
  EXPECT_EQ((*call.result)["error_code"], "max_uses_exceeded");
  EXPECT_EQ(call.is_error, true);
  EXPECT_EQ(r.decoder.block_types(),
            (std::vector<std::string>{"server_tool_use", "web_search_tool_result", "text"}));
  // Only client calls wait for the application.
  EXPECT_TRUE(r.decoder.status().is(StatusType::Complete, StatusReason::Stop));
}

TEST(AnthropicStream, ErrorEventMidStream) {
  Replay r(kStart + text_block(0, "partial") +
           ev("error",
              R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"));
  EXPECT_EQ(r.content().at(0).as<TextPart>().text, "partial");
  EXPECT_EQ(r.decoder.errors(), std::vector<std::string>{"Overloaded"});
  const MessageStatus s = r.decoder.status();
  EXPECT_TRUE(s.is(StatusType::Incomplete, StatusReason::Error));
  EXPECT_EQ(s.error, (Json{{"code", "overloaded_error"}, {"message", "Overloaded"}}));
}

TEST(AnthropicStream, NoMessageStopIsACutOff) {
  Replay r(kStart + text_block(0, "partial") +
           ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn"}})"));
  const MessageStatus s = r.decoder.status();
  EXPECT_TRUE(s.is(StatusType::Incomplete, StatusReason::Error));
  EXPECT_EQ(s.error->at("code"), "incomplete_stream");
}

TEST(AnthropicStream, StopReasonMapping) {
  const auto status_for = [](std::string_view reason) {
    return Replay(kStart + text_block(0, "x") + end(reason)).decoder.status();
  };
  EXPECT_TRUE(status_for("stop_sequence").is(StatusType::Complete, StatusReason::Stop));
  EXPECT_TRUE(status_for("max_tokens").is(StatusType::Incomplete, StatusReason::Length));
  EXPECT_TRUE(
      status_for("model_context_window_exceeded").is(StatusType::Incomplete, StatusReason::Length));
  EXPECT_TRUE(status_for("refusal").is(StatusType::Incomplete, StatusReason::ContentFilter));
  EXPECT_TRUE(status_for("pause_turn").is(StatusType::Incomplete, StatusReason::Other));
}

// The API's explanation of a refusal is kept as a text part marked with the stop_details.
TEST(AnthropicStream, ARefusalKeepsTheApisExplanation) {
  const std::string details =
      R"({"type":"refusal","category":"cyber","explanation":"Blocked under the Usage Policy."})";
  Replay r(kStart +
           ev("message_delta",
              R"({"type":"message_delta","delta":{"stop_reason":"refusal","stop_details":)" +
                  details + R"(},"usage":{"output_tokens":5}})") +
           ev("message_stop", R"({"type":"message_stop"})"));
  EXPECT_TRUE(r.decoder.status().is(StatusType::Incomplete, StatusReason::ContentFilter));
  const Content content = r.content();  // a copy: the pointer below points into it
  ASSERT_EQ(content.size(), 1u);
  const auto* text = content[0].get_if<TextPart>();
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->text, "Blocked under the Usage Policy.");
  EXPECT_EQ(text->provider_metadata, (Json{{"anthropic", {{"refusal", Json::parse(details)}}}}));
  // Without an explanation nothing is made up.
  EXPECT_EQ(Replay(kStart + end("refusal")).content().size(), 0u);
}

TEST(AnthropicStream, NothingCountsAfterMessageStop) {
  Replay r(kStart + text_block(0, "done") + end("end_turn") + text_block(1, "late") +
           ev("error", R"({"type":"error","error":{"type":"api_error","message":"late"}})"));
  ASSERT_EQ(r.content().size(), 1u);
  EXPECT_TRUE(r.decoder.errors().empty());
  EXPECT_TRUE(r.decoder.status().is(StatusType::Complete, StatusReason::Stop));
}

TEST(AnthropicStream, MalformedJsonIsRecordedNotThrown) {
  Replay r(kStart + "event: content_block_delta\ndata: {\"type\":\n\n" + text_block(0, "x") +
           end("end_turn"));
  ASSERT_EQ(r.decoder.errors().size(), 1u);
  EXPECT_EQ(r.decoder.status().error->at("code"), "invalid_json");
  EXPECT_EQ(r.content().at(0).as<TextPart>().text, "x");
}

TEST(AnthropicStream, TypeFromTheEventNameWhenDataLacksIt) {
  Replay r(
      ev("message_start", R"({"message":{"id":"m","usage":{"input_tokens":1}}})") +
      ev("content_block_start", R"({"index":0,"content_block":{"type":"text","text":"hey"}})") +
      ev("message_delta", R"({"delta":{"stop_reason":"end_turn"}})") + ev("message_stop", "{}"));
  EXPECT_EQ(r.content().at(0).as<TextPart>().text, "hey");
  EXPECT_TRUE(r.decoder.done());
}

TEST(AnthropicStream, ADeltaOfTheWrongKindForItsBlockIsDroppedNotThrown) {
  // Found by fuzz/sse_stream_fuzzer.cpp: a text_delta for a tool_use block, and a thinking_delta
  // for a redacted_thinking block, used to throw bad_variant_access out of feed().
  Replay r(
      kStart +
      ev("content_block_start",
         R"({"index":0,"content_block":{"type":"tool_use","id":"t1","name":"f","input":{}}})") +
      ev("content_block_delta", R"({"index":0,"delta":{"type":"text_delta","text":"stray"}})") +
      ev("content_block_start",
         R"({"index":1,"content_block":{"type":"redacted_thinking","data":"xyz"}})") +
      ev("content_block_delta",
         R"({"index":1,"delta":{"type":"thinking_delta","thinking":"stray"}})") +
      ev("content_block_delta", R"({"index":1,"delta":{"type":"text_delta","text":"stray"}})") +
      end("tool_use"));
  ASSERT_EQ(r.content().size(), 2u);
  EXPECT_EQ(r.content().at(0).as<ToolCallPart>().tool_name, "f");
  EXPECT_TRUE(r.content().at(1).as<ReasoningPart>().text.empty());
  EXPECT_TRUE(r.decoder.errors().empty());
}

}  // namespace
}  // namespace aui
