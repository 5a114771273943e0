#include "aui/streaming/delta_accumulator.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aui/model/message_like.hpp"

namespace aui {
namespace {

const ToolCallPart& call_at(const Content& content, std::size_t i) {
  return content.at(i).as<ToolCallPart>();
}

TEST(DeltaAccumulator, StartsEmpty) {
  DeltaAccumulator acc;
  EXPECT_TRUE(acc.empty());
  EXPECT_EQ(acc.tool_call_count(), 0u);
  const ChatModelRunResult r = acc.snapshot();
  ASSERT_TRUE(r.content.has_value());
  EXPECT_TRUE(r.content->empty());
  EXPECT_FALSE(r.status.has_value());
  EXPECT_FALSE(r.metadata.has_value());
}

TEST(DeltaAccumulator, TextDeltasGrowOnePart) {
  DeltaAccumulator acc;
  acc.append_text("Hel");
  acc.append_text("");
  acc.append_text("lo");
  const Content c = acc.content();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].as<TextPart>().text, "Hello");
}

TEST(DeltaAccumulator, EmptyDeltasOpenNoPart) {
  DeltaAccumulator acc;
  acc.append_text("");
  acc.append_reasoning("");
  EXPECT_TRUE(acc.empty());
}

TEST(DeltaAccumulator, ChangingKindStartsANewPart) {
  DeltaAccumulator acc;
  acc.append_reasoning("think ");
  acc.append_reasoning("more");
  acc.append_text("answer");
  acc.append_reasoning("again");
  acc.append_text("!");
  const Content c = acc.content();
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[0].as<ReasoningPart>().text, "think more");
  EXPECT_EQ(c[1].as<TextPart>().text, "answer");
  EXPECT_EQ(c[2].as<ReasoningPart>().text, "again");
  EXPECT_EQ(c[3].as<TextPart>().text, "!");
}

TEST(DeltaAccumulator, ToolCallsKeyedByIndexParseWhenTheNextOneStarts) {
  DeltaAccumulator acc;
  acc.tool_call_delta(0, "call_a", "get_weather", "");
  acc.tool_call_delta(0, "", "", "{\"city\":");
  acc.tool_call_delta(0, "", "", " \"Paris\"}");
  {
    const Content c = acc.content();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(call_at(c, 0).args, Json::object());  // still open: not parsed yet
    EXPECT_EQ(call_at(c, 0).args_text, "{\"city\": \"Paris\"}");
  }
  acc.tool_call_delta(1, "call_b", "get_time", "{\"tz\":\"UTC\"}");
  {
    const Content c = acc.content();
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(call_at(c, 0).args, (Json{{"city", "Paris"}}));
    EXPECT_EQ(call_at(c, 1).args, Json::object());
  }
  acc.finish();
  const Content c = acc.content();
  EXPECT_EQ(acc.tool_call_count(), 2u);
  EXPECT_EQ(call_at(c, 0).tool_call_id, "call_a");
  EXPECT_EQ(call_at(c, 0).tool_name, "get_weather");
  EXPECT_EQ(call_at(c, 1).tool_call_id, "call_b");
  EXPECT_EQ(call_at(c, 1).tool_name, "get_time");
  EXPECT_EQ(call_at(c, 1).args, (Json{{"tz", "UTC"}}));
  EXPECT_FALSE(call_at(c, 1).resolved());
}

TEST(DeltaAccumulator, ToolCallsWithoutIndexAreKeyedById) {
  DeltaAccumulator acc;
  acc.tool_call_delta(std::nullopt, "a", "f", "{\"x\":1}");
  acc.tool_call_delta(std::nullopt, "b", "g", "{\"y\":");
  acc.tool_call_delta(std::nullopt, "b", "", "2}");
  acc.finish();
  const Content c = acc.content();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(call_at(c, 0).args, (Json{{"x", 1}}));
  EXPECT_EQ(call_at(c, 1).args, (Json{{"y", 2}}));
}

TEST(DeltaAccumulator, AKnownIdWinsOverIndex) {
  DeltaAccumulator acc;
  acc.tool_call_delta(0, "a", "f", "{\"x\":");
  acc.tool_call_delta(7, "a", "", "1}");
  acc.finish();
  const Content c = acc.content();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(call_at(c, 0).args, (Json{{"x", 1}}));
}

TEST(DeltaAccumulator, IdAndNameAreNeverConcatenatedOrOverwritten) {
  DeltaAccumulator acc;
  acc.tool_call_delta(0, "0", "llm_version", "");
  acc.tool_call_delta(0, "0", "llm_version", "{}");  // a repeated header
  acc.tool_call_delta(0, "", "", "");                // empty strings mean "not here"
  acc.finish();
  const Content c = acc.content();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(call_at(c, 0).tool_call_id, "0");
  EXPECT_EQ(call_at(c, 0).tool_name, "llm_version");
  EXPECT_EQ(call_at(c, 0).args_text, "{}");
  EXPECT_EQ(call_at(c, 0).args, Json::object());
}

TEST(DeltaAccumulator, IdAndNameComeFromTheFirstFragmentThatHasThem) {
  DeltaAccumulator acc;
  acc.tool_call_delta(0, "", "", "{\"q\":");
  acc.tool_call_delta(0, "", "search", "\"x\"");
  acc.tool_call_delta(0, "call_1", "other", "}");
  acc.finish();
  const Content c = acc.content();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(call_at(c, 0).tool_call_id, "call_1");
  EXPECT_EQ(call_at(c, 0).tool_name, "search");
  EXPECT_EQ(call_at(c, 0).args, (Json{{"q", "x"}}));
}

TEST(DeltaAccumulator, EmptyArgumentsBecomeAnEmptyObject) {
  DeltaAccumulator acc;
  acc.tool_call_delta(0, "a", "f", "");
  acc.tool_call_delta(1, "b", "g", "  ");
  acc.finish();
  const Content c = acc.content();
  EXPECT_EQ(call_at(c, 0).args, Json::object());
  EXPECT_EQ(call_at(c, 0).args_text, "");
  EXPECT_EQ(call_at(c, 1).args, Json::object());
}

TEST(DeltaAccumulator, InvalidArgumentsKeepTheRawText) {
  DeltaAccumulator acc;
  const std::string raw = "{\"filename\": \"taxes.txt\", \"lines\": [\"a\", \"b";
  acc.tool_call_delta(0, "a", "make_file", raw);
  acc.finish();
  const ToolCallPart& call = call_at(acc.content(), 0);
  EXPECT_EQ(call.args_text.view(), raw);
  EXPECT_EQ(call.args, parse_partial_json(raw));
}

TEST(DeltaAccumulator, AReusedIndexWithANewIdIsANewCall) {
  DeltaAccumulator acc;
  acc.tool_call_delta(0, "a", "f", "{\"n\":1}");
  acc.tool_call_delta(0, "b", "f", "{\"n\":");
  acc.tool_call_delta(0, "", "", "2}");  // the latest call with index 0
  acc.finish();
  const Content c = acc.content();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(call_at(c, 0).args, (Json{{"n", 1}}));
  EXPECT_EQ(call_at(c, 1).args, (Json{{"n", 2}}));
}

TEST(DeltaAccumulator, NeitherIndexNorIdContinuesTheLatestCall) {
  DeltaAccumulator acc;
  acc.tool_call_delta(std::nullopt, "", "legacy", "{\"a\":");
  acc.tool_call_delta(std::nullopt, "", "", "true}");
  acc.finish();
  const Content c = acc.content();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(call_at(c, 0).args, (Json{{"a", true}}));
}

TEST(DeltaAccumulator, AFragmentThatSaysNothingIsIgnored) {
  DeltaAccumulator acc;
  acc.tool_call_delta(std::nullopt, "", "", "");
  EXPECT_TRUE(acc.empty());
  EXPECT_EQ(acc.tool_call_count(), 0u);
}

TEST(DeltaAccumulator, FinishGivesAnIdToCallsThatHaveNone) {
  DeltaAccumulator acc;
  acc.tool_call_delta(0, "", "f", "{}");
  acc.tool_call_delta(1, "real", "g", "{}");
  acc.tool_call_delta(2, "", "h", "{}");
  EXPECT_EQ(call_at(acc.content(), 0).tool_call_id, "");  // not invented while streaming
  acc.finish();
  const Content c = acc.content();
  EXPECT_EQ(call_at(c, 0).tool_call_id, "call_0");
  EXPECT_EQ(call_at(c, 1).tool_call_id, "real");
  EXPECT_EQ(call_at(c, 2).tool_call_id, "call_2");
}

TEST(DeltaAccumulator, AFragmentForAFinishedCallReopensIt) {
  DeltaAccumulator acc;
  acc.tool_call_delta(0, "a", "f", "{\"x\":");
  acc.tool_call_delta(1, "b", "g", "{}");  // closes call 0 (unparsable so far)
  acc.tool_call_delta(0, "", "", "1}");    // interleaved late fragment
  acc.finish();
  const Content c = acc.content();
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(call_at(c, 0).args_text, "{\"x\":1}");
  EXPECT_EQ(call_at(c, 0).args, (Json{{"x", 1}}));
}

TEST(DeltaAccumulator, AddPartEndsTheStreamingPart) {
  DeltaAccumulator acc;
  acc.append_text("before");
  SourcePart source;
  source.id = "s1";
  source.url = "https://example.com";
  acc.add_part(source);
  acc.append_text("after");
  const Content c = acc.content();
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].as<TextPart>().text, "before");
  EXPECT_EQ(c[1].as<SourcePart>().url, "https://example.com");
  EXPECT_EQ(c[2].as<TextPart>().text, "after");
}

TEST(DeltaAccumulator, EndPartSeparatesBlocksAndFinishesToolCalls) {
  DeltaAccumulator acc;
  acc.append_text("one");
  acc.end_part();
  acc.append_text("two");
  acc.tool_call_delta(0, "a", "f", "{\"k\":\"v\"}");
  EXPECT_EQ(call_at(acc.content(), 2).args, Json::object());
  acc.end_part();
  const Content c = acc.content();
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].as<TextPart>().text, "one");
  EXPECT_EQ(c[1].as<TextPart>().text, "two");
  EXPECT_EQ(call_at(c, 2).args, (Json{{"k", "v"}}));
}

TEST(DeltaAccumulator, PartGivesInPlaceAccess) {
  DeltaAccumulator acc;
  acc.append_reasoning("thinking");
  ASSERT_EQ(acc.part_count(), 1u);
  acc.part(0).edit<ReasoningPart>().provider_metadata = Json{{"anthropic", {{"signature", "s"}}}};
  acc.append_reasoning(" on");  // still the same part
  const Content c = acc.content();
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].as<ReasoningPart>().text, "thinking on");
  EXPECT_EQ(c[0].as<ReasoningPart>().provider_metadata->at("anthropic")["signature"], "s");
  EXPECT_THROW(acc.part(1), std::out_of_range);
}

TEST(DeltaAccumulator, SnapshotCarriesStatusAndMetadata) {
  DeltaAccumulator acc;
  acc.append_text("x");
  EXPECT_FALSE(acc.snapshot().metadata.has_value());
  acc.set_status(MessageStatus::requires_action(StatusReason::ToolCalls));
  acc.metadata().custom = Json{{"k", 1}};
  const ChatModelRunResult r = acc.snapshot();
  ASSERT_TRUE(r.status.has_value());
  EXPECT_TRUE(r.status->is(StatusType::RequiresAction, StatusReason::ToolCalls));
  ASSERT_TRUE(r.metadata.has_value());
  EXPECT_EQ(r.metadata->custom, (Json{{"k", 1}}));
}

TEST(DeltaAccumulator, EarlierSnapshotsDoNotChange) {
  DeltaAccumulator acc;
  acc.append_text("ab");
  acc.tool_call_delta(0, "a", "f", "{\"x\"");
  const ChatModelRunResult first = acc.snapshot();
  acc.append_text("c");  // a new text part: the tool call came between
  acc.tool_call_delta(0, "", "", ":1}");
  acc.finish();
  ASSERT_EQ(first.content->size(), 2u);
  EXPECT_EQ((*first.content)[0].as<TextPart>().text, "ab");
  EXPECT_EQ(call_at(*first.content, 1).args_text, "{\"x\"");
  EXPECT_EQ(call_at(*first.content, 1).args, Json::object());
  const Content now = acc.content();
  EXPECT_EQ(call_at(now, 1).args_text, "{\"x\":1}");
  EXPECT_EQ(now.size(), 3u);
}

// The cost of a snapshot must not depend on the length of the text: a snapshot shares the
// accumulator's storage instead of copying it, and appending after a snapshot writes in place
// (the storage moves only when it grows, a logarithmic number of times).
TEST(DeltaAccumulator, SnapshotsShareTextStorage) {
  constexpr int kDeltas = 4096;
  DeltaAccumulator acc;
  // Which part to look at, and how to read its text.
  const auto reasoning = [](const Content& c) { return c.at(0).as<ReasoningPart>().text; };
  const auto text = [](const Content& c) { return c.at(1).as<TextPart>().text; };
  const auto args = [](const Content& c) { return c.at(2).as<ToolCallPart>().args_text; };

  ChatModelRunResult early;
  const auto run = [&](auto&& append, auto&& read) {
    std::size_t moves = 0;
    ChatModelRunResult previous;  // kept alive, so its storage cannot be recycled
    for (int i = 0; i < kDeltas; ++i) {
      append(i);
      ChatModelRunResult current = acc.snapshot();
      const Text now = read(*current.content);
      // The snapshot's text is the accumulator's text, not a copy of it.
      EXPECT_EQ(now.data(), read(acc.content()).data());
      if (previous.content && read(*previous.content).data() != now.data()) ++moves;
      if (i == 10 && !early.content) early = current;
      previous = std::move(current);
    }
    return moves;
  };
  const std::size_t reasoning_moves = run([&](int) { acc.append_reasoning("r"); }, reasoning);
  const std::size_t text_moves = run([&](int) { acc.append_text("t"); }, text);
  const std::size_t args_moves =
      run([&](int i) { acc.tool_call_delta(0, i == 0 ? "id" : "", i == 0 ? "f" : "", "a"); }, args);
  // A copy per append would move the storage kDeltas - 1 times.
  EXPECT_LT(reasoning_moves, 40u);
  EXPECT_LT(text_moves, 40u);
  EXPECT_LT(args_moves, 40u);
  // The early snapshot still sees exactly what it saw.
  EXPECT_EQ(reasoning(*early.content).view(), std::string(11, 'r'));
  EXPECT_EQ(text(acc.content()).size(), static_cast<std::size_t>(kDeltas));
  EXPECT_EQ(args(acc.content()).size(), static_cast<std::size_t>(kDeltas));
}

TEST(DeltaAccumulator, ArgumentsThatAreNotAnObjectBecomeAnEmptyObject) {
  // Found by fuzz/delta_accumulator_fuzzer.cpp: `5` or `[1` used to become a number or a list.
  for (const char* text : {"5", "\"x\"", "[1, 2", "true"}) {
    SCOPED_TRACE(text);
    DeltaAccumulator acc;
    acc.tool_call_delta(0, "c1", "f", text);
    acc.finish();
    const auto& call = acc.content().at(0).as<ToolCallPart>();
    EXPECT_EQ(call.args, Json::object());
    EXPECT_EQ(call.args_text.view(), text);
  }
}

}  // namespace
}  // namespace aui
