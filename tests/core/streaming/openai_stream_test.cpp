// Hand-written OpenAI-style streams for what no public recording shows (llama.cpp, Ollama,
// cut-off streams, content_filter); the recorded ones are in stream_fixtures_test.cpp.

#include "aui/streaming/openai_stream.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "aui/streaming/sse_parser.hpp"

namespace aui {
namespace {

struct Replay {
  OpenAIStreamDecoder decoder;
  SseParser parser{[this](const SseEvent& e) { decoder.feed(e); }};

  explicit Replay(std::string_view body) {
    parser.feed(body);
    parser.finish();
    decoder.finish();
  }
  Content content() const { return decoder.accumulator().content(); }
  std::string text() const {
    std::string out;
    for (const auto& p : content()) {
      if (const auto* t = p.get_if<TextPart>()) out.append(t->text.view());
    }
    return out;
  }
};

std::string chunk(std::string_view delta, std::string_view finish = "null") {
  return "data: {\"choices\":[{\"index\":0,\"delta\":" + std::string(delta) +
         ",\"finish_reason\":" + std::string(finish) + "}]}\n\n";
}

TEST(OpenAIStream, TextThenStop) {
  Replay r(chunk(R"({"role":"assistant","content":""})") + chunk(R"({"content":"Hi"})") +
           chunk(R"({"content":" there"})") + chunk("{}", "\"stop\"") + "data: [DONE]\n\n");
  EXPECT_EQ(r.text(), "Hi there");
  EXPECT_EQ(r.content().size(), 1u);
  EXPECT_TRUE(r.decoder.done());
  EXPECT_EQ(r.decoder.finish_reason(), "stop");
  EXPECT_TRUE(r.decoder.status().is(StatusType::Complete, StatusReason::Stop));
  const ChatModelRunResult last = r.decoder.accumulator().snapshot();
  ASSERT_TRUE(last.status.has_value());
  EXPECT_EQ(*last.status, r.decoder.status());
}

TEST(OpenAIStream, CutOffStreamIsAnErrorButKeepsTheText) {
  Replay r(chunk(R"({"content":"partial"})"));
  EXPECT_EQ(r.text(), "partial");
  const MessageStatus s = r.decoder.status();
  EXPECT_TRUE(s.is(StatusType::Incomplete, StatusReason::Error));
  EXPECT_EQ(s.error->at("code"), "incomplete_stream");
  EXPECT_EQ(s.error->at("message"), "the stream ended before the model finished");
}

TEST(OpenAIStream, FinishReasonWithoutDoneIsEnough) {
  // llama.cpp and Ollama may close the connection right after the finish chunk.
  Replay r(chunk(R"({"content":"ok"})", "\"length\""));
  EXPECT_TRUE(r.decoder.status().is(StatusType::Incomplete, StatusReason::Length));
}

TEST(OpenAIStream, FinishReasonMapping) {
  const auto status_for = [](std::string_view reason) {
    return Replay(chunk(R"({"content":"x"})", reason) + "data: [DONE]\n\n").decoder.status();
  };
  EXPECT_TRUE(
      status_for("\"content_filter\"").is(StatusType::Incomplete, StatusReason::ContentFilter));
  EXPECT_TRUE(status_for("\"length\"").is(StatusType::Incomplete, StatusReason::Length));
  EXPECT_TRUE(status_for("\"tool_calls\"").is(StatusType::Complete, StatusReason::Stop));
  EXPECT_TRUE(status_for("\"something_new\"").is(StatusType::Incomplete, StatusReason::Other));
  // Old Ollama builds send "" for "not yet": it is not a reason.
  EXPECT_TRUE(status_for("\"\"").is(StatusType::Complete, StatusReason::Stop));
}

TEST(OpenAIStream, ToolCallsRequireActionWhateverTheReason) {
  const std::string call = chunk(
      R"({"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]})");
  for (std::string_view reason : {"\"tool_calls\"", "\"stop\"", "null"}) {
    Replay r(call + chunk("{}", reason) + "data: [DONE]\n\n");
    EXPECT_TRUE(r.decoder.status().is(StatusType::RequiresAction, StatusReason::ToolCalls))
        << reason;
    const auto& c = r.content().at(0).as<ToolCallPart>();
    EXPECT_EQ(c.args, (Json{{"a", 1}}));
  }
}

TEST(OpenAIStream, WholeParallelCallsInOneDelta) {
  // Ollama sends each call whole; several may share one delta.
  Replay r(chunk(R"({"tool_calls":[)"
                 R"({"index":0,"id":"a","function":{"name":"f","arguments":"{\"x\":1}"}},)"
                 R"({"index":1,"id":"b","function":{"name":"g","arguments":{"y":2}}}]})",
                 "\"tool_calls\"") +
           "data: [DONE]\n\n");
  const Content c = r.content();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].as<ToolCallPart>().args, (Json{{"x", 1}}));
  EXPECT_EQ(c[1].as<ToolCallPart>().tool_name, "g");
  EXPECT_EQ(c[1].as<ToolCallPart>().args, (Json{{"y", 2}}));  // an object instead of a string
}

TEST(OpenAIStream, LegacyFunctionCall) {
  Replay r(chunk(R"({"function_call":{"name":"lookup","arguments":"{\"q\":"}})") +
           chunk(R"({"function_call":{"arguments":"\"x\"}"}})", "\"function_call\"") +
           "data: [DONE]\n\n");
  const Content c = r.content();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].as<ToolCallPart>().tool_name, "lookup");
  EXPECT_EQ(c[0].as<ToolCallPart>().args, (Json{{"q", "x"}}));
  EXPECT_EQ(c[0].as<ToolCallPart>().tool_call_id, "call_0");  // invented: the wire has none
  EXPECT_TRUE(r.decoder.status().is(StatusType::RequiresAction, StatusReason::ToolCalls));
}

TEST(OpenAIStream, ReasoningThenText) {
  Replay r(chunk(R"({"role":"assistant","content":null,"reasoning_content":"hmm"})") +
           chunk(R"({"reasoning_content":" ok"})") + chunk(R"({"reasoning":" and"})") +
           chunk(R"({"content":"Answer"})", "\"stop\"") + "data: [DONE]\n\n");
  const Content c = r.content();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].as<ReasoningPart>().text, "hmm ok and");
  EXPECT_EQ(c[1].as<TextPart>().text, "Answer");
}

TEST(OpenAIStream, OtherChoicesAreIgnored) {
  Replay r(
      "data: "
      "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"B\"},\"finish_reason\":\"length\"},"
      "{\"index\":0,\"delta\":{\"content\":\"A\"},\"finish_reason\":null}]}\n\n" +
      chunk("{}", "\"stop\"") + "data: [DONE]\n\n");
  EXPECT_EQ(r.text(), "A");
  EXPECT_EQ(r.decoder.finish_reason(), "stop");
}

TEST(OpenAIStream, DataErrorAndErrorEvent) {
  Replay r(chunk(R"({"content":"a"})") +
           "data: {\"error\":{\"message\":\"context size exceeded\",\"code\":400}}\n\n");
  ASSERT_EQ(r.decoder.errors().size(), 1u);
  EXPECT_EQ(r.decoder.errors()[0], "context size exceeded");
  const MessageStatus s = r.decoder.status();
  EXPECT_TRUE(s.is(StatusType::Incomplete, StatusReason::Error));
  EXPECT_EQ(s.error, (Json{{"code", "400"}, {"message", "context size exceeded"}}));

  Replay e(
      "event: error\ndata: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n");
  ASSERT_EQ(e.decoder.errors().size(), 1u);
  EXPECT_EQ(e.decoder.status().error, (Json{{"code", "server_error"}, {"message", "overloaded"}}));

  Replay plain("event: error\ndata: upstream went away\n\n");
  EXPECT_EQ(plain.decoder.errors(), std::vector<std::string>{"upstream went away"});
  EXPECT_EQ(plain.decoder.status().error->at("code"), "provider_error");
}

TEST(OpenAIStream, MalformedJsonIsRecordedNotThrown) {
  Replay r(chunk(R"({"content":"a"})") + "data: {\"choices\":[{\"delta\":\n\n" +
           chunk(R"({"content":"b"})", "\"stop\"") + "data: [DONE]\n\n");
  EXPECT_EQ(r.text(), "ab");  // the rest of the stream still counts
  ASSERT_EQ(r.decoder.errors().size(), 1u);
  EXPECT_EQ(r.decoder.status().error->at("code"), "invalid_json");

  // A chunk that is JSON but of a shape nobody sends must not throw either.
  Replay odd(
      "data: "
      "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":-1,\"function\":7}]}}]}\n\n"
      "data: [1,2]\n\ndata: \"text\"\n\n" +
      chunk("{}", "\"stop\"") + "data: [DONE]\n\n");
  EXPECT_TRUE(odd.decoder.errors().empty());
  EXPECT_TRUE(odd.content().empty());
  EXPECT_EQ(odd.decoder.finish_reason(), "stop");
}

TEST(OpenAIStream, EverythingAfterDoneIsIgnored) {
  Replay r(chunk(R"({"content":"a"})", "\"stop\"") + "data: [DONE]\n\n" +
           "data: {\"error\":{\"message\":\"late\"}}\n\n" + chunk(R"({"content":"b"})"));
  EXPECT_EQ(r.text(), "a");
  EXPECT_TRUE(r.decoder.errors().empty());
  EXPECT_TRUE(r.decoder.status().is(StatusType::Complete, StatusReason::Stop));
}

TEST(OpenAIStream, EmptyDataKeepAlivesAreIgnored) {
  Replay r("data:\n\ndata:   \n\n" + chunk(R"({"content":"a"})", "\"stop\"") + "data: [DONE]\n\n");
  EXPECT_TRUE(r.decoder.errors().empty());
  EXPECT_EQ(r.text(), "a");
}

TEST(OpenAIStream, UsageIsTheLastNonNullOne) {
  Replay r(chunk(R"({"content":"a"})", "\"stop\"") +
           "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}\n\n"
           "data: {\"choices\":[],\"usage\":null,\"moderation\":{}}\n\n"
           "data: [DONE]\n\n");
  EXPECT_EQ(r.decoder.usage(), (Json{{"prompt_tokens", 3}, {"completion_tokens", 1}}));
}

// A refusal is the reply the user must see: its own text part, marked as a refusal, and the
// message ends incomplete/content-filter although OpenAI says "stop".
TEST(OpenAIStream, RefusalIsShownAsItsOwnTextPart) {
  Replay r(chunk(R"({"role":"assistant","content":null,"refusal":""})") +
           chunk(R"({"refusal":"I can't"})") + chunk(R"({"refusal":" help."})", "\"stop\"") +
           "data: [DONE]\n\n");
  EXPECT_EQ(r.decoder.refusal(), "I can't help.");
  const Content content = r.content();  // a copy: the pointer below points into it
  ASSERT_EQ(content.size(), 1u);
  const auto* text = content[0].get_if<TextPart>();
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->text, "I can't help.");
  EXPECT_EQ(text->provider_metadata, (Json{{"openai", {{"refusal", true}}}}));
  EXPECT_TRUE(r.decoder.status().is(StatusType::Incomplete, StatusReason::ContentFilter));
  // Text before the refusal stays a part of its own.
  Replay mixed(chunk(R"({"content":"Sure. "})") + chunk(R"({"refusal":"No."})", "\"stop\"") +
               "data: [DONE]\n\n");
  ASSERT_EQ(mixed.content().size(), 2u);
  EXPECT_EQ(mixed.content()[0].get_if<TextPart>()->text, "Sure. ");
  EXPECT_EQ(mixed.content()[1].get_if<TextPart>()->text, "No.");
}

}  // namespace
}  // namespace aui
