// The OpenAI decoder reads plain text chunks without building a JSON document (json_scan.hpp).
// These chunks sit on the edge between that fast path and the full parser: each must decode
// exactly as the full parser would have it — same text, same errors.

#include <gtest/gtest.h>

#include <string>

#include "aui/streaming/openai_stream.hpp"

namespace aui {
namespace {

struct Outcome {
  std::string text;
  std::string reasoning;
  std::size_t errors = 0;
  std::optional<std::string> finish;
};

Outcome decode(std::initializer_list<std::string> datas) {
  OpenAIStreamDecoder d;
  for (const auto& data : datas) d.feed(SseEvent{"", data, {}, {}});
  d.feed(SseEvent{"", "[DONE]", {}, {}});
  d.finish();
  Outcome o;
  for (const auto& part : d.accumulator().content()) {
    if (const auto* t = part.get_if<TextPart>()) o.text += std::string(t->text.view());
    if (const auto* r = part.get_if<ReasoningPart>()) o.reasoning += std::string(r->text.view());
  }
  o.errors = d.errors().size();
  o.finish = d.finish_reason();
  return o;
}

TEST(OpenAIFastPath, EscapesAndSurrogatePairsAreDecoded) {
  const auto o = decode(
      {R"({"choices":[{"index":0,"delta":{"content":"a\"b\\c\/d\n\u00e9\ud83d\ude00\t"}}]})"});
  EXPECT_EQ(o.text, "a\"b\\c/d\n\xC3\xA9\xF0\x9F\x98\x80\t");
  EXPECT_EQ(o.errors, 0u);
}

TEST(OpenAIFastPath, RawUtf8IsKept) {
  EXPECT_EQ(decode({"{\"choices\":[{\"delta\":{\"content\":\"Gr\xC3\xBC\xC3\x9F\x65 \xE2\x82\xAC "
                    "\xF0\x9F\x98\x80\"}}]}"})
                .text,
            "Gr\xC3\xBC\xC3\x9F"
            "e \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(OpenAIFastPath, WhatTheFullParserRejectsIsAnError) {
  // A lone surrogate, a raw invalid byte, an overlong form, a raw control character, a number
  // that overflows a double, trailing bytes, a bad escape, an unterminated string.
  for (const std::string bad :
       {R"({"choices":[{"delta":{"content":"\ud83d"}}]})",
        "{\"choices\":[{\"delta\":{\"content\":\"\xFF\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"\xC0\xAF\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"a\x01\"}}]}",
        R"({"created":1e999,"choices":[{"delta":{"content":"x"}}]})",
        R"({"choices":[{"delta":{"content":"x"}}]} trailing)",
        R"({"choices":[{"delta":{"content":"\q"}}]})", R"({"choices":[{"delta":{"content":"x}}]})",
        R"({"choices":[{"delta":{"content":"x"}},]})", R"({"created":01,"choices":[]})"}) {
    SCOPED_TRACE(bad);
    const auto o = decode({bad});
    EXPECT_EQ(o.errors, 1u);
    EXPECT_EQ(o.text, "");
  }
}

TEST(OpenAIFastPath, ChoicesOtherThanTheFirstAreIgnoredAndIndexRulesHold) {
  const auto o = decode(
      {R"({"choices":[{"index":1,"delta":{"content":"one"}}]})",
       R"({"choices":[{"delta":{"content":"A"}}]})",  // no index: 0
       R"({"choices":[{"index":0,"delta":{"content":"B"}},{"index":1,"delta":{"content":"x"}}]})",
       R"({"choices":[{"index":-1,"delta":{"content":"C"}}]})",  // not an index: 0
       R"({"choices":[{"index":0.0,"delta":{"content":"D"}}]})"});
  EXPECT_EQ(o.text, "ABCD");
}

TEST(OpenAIFastPath, ADuplicateKeyCountsOnceAsTheLastOne) {
  EXPECT_EQ(decode({R"({"choices":[{"delta":{"content":"a","content":"b"}}]})"}).text, "b");
}

TEST(OpenAIFastPath, ReasoningBeforeTextAndTheFinishReason) {
  const auto o = decode(
      {R"({"choices":[{"delta":{"reasoning_content":"think ","content":null}}]})",
       R"({"choices":[{"delta":{"reasoning":"more","content":"answer"},"finish_reason":"stop"}],"usage":null})"});
  EXPECT_EQ(o.reasoning, "think more");
  EXPECT_EQ(o.text, "answer");
  EXPECT_EQ(o.finish, "stop");
}

TEST(OpenAIFastPath, UnknownFieldsOfEveryKindAreSkipped) {
  const auto o = decode(
      {R"({"id":"x","obfuscation":"abc","n":[1,-2.5e-3,true,false,null,{"a":{"b":[]}}],"choices":[{"logprobs":{"content":[{"token":"a","logprob":-0.1}]},"delta":{"role":"assistant","content":"ok"}}]})"});
  EXPECT_EQ(o.text, "ok");
  EXPECT_EQ(o.errors, 0u);
}

}  // namespace
}  // namespace aui
