#include "aui/streaming/sse_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aui {
namespace {

// Collects what a parser dispatches.
struct Recorder {
  std::vector<SseEvent> events;
  SseParser parser{[this](const SseEvent& e) { events.push_back(e); }};

  void feed_all(std::string_view bytes) {
    parser.feed(bytes);
    parser.finish();
  }
  std::vector<std::string> data() const {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.data);
    return out;
  }
};

TEST(SseParser, DispatchesOnBlankLine) {
  Recorder r;
  r.parser.feed("data: hello\n");
  EXPECT_TRUE(r.events.empty());
  r.parser.feed("\n");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "hello");
  EXPECT_EQ(r.events[0].event, "");
  EXPECT_EQ(r.parser.event_count(), 1u);
}

TEST(SseParser, EventFieldAndMultipleEvents) {
  Recorder r;
  r.feed_all("event: first\ndata: 1\n\ndata: 2\n\nevent: third\ndata: 3\n\n");
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.events[0].event, "first");
  EXPECT_EQ(r.events[1].event, "");  // the type does not carry over
  EXPECT_EQ(r.events[2].event, "third");
  EXPECT_EQ(r.data(), (std::vector<std::string>{"1", "2", "3"}));
}

TEST(SseParser, DataLinesJoinWithNewlineIncludingEmptyOnes) {
  Recorder r;
  r.feed_all("data: a\ndata:\ndata: b\n\n");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "a\n\nb");
}

TEST(SseParser, EmptyDataLineStillDispatches) {
  Recorder r;
  r.feed_all("data:\n\n");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "");
}

TEST(SseParser, EventWithoutDataIsNotDispatched) {
  Recorder r;
  r.feed_all("event: lonely\n\nid: 7\n\ndata: x\n\n");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].event, "");  // "lonely" was dropped with its empty event
  EXPECT_EQ(r.events[0].data, "x");
  EXPECT_EQ(r.events[0].id, "7");  // the id carries over
}

TEST(SseParser, StripsExactlyOneLeadingSpace) {
  Recorder r;
  r.feed_all("data:no space\n\ndata:  two spaces\n\ndata:\ttab\n\n");
  EXPECT_EQ(r.data(), (std::vector<std::string>{"no space", " two spaces", "\ttab"}));
}

TEST(SseParser, ValueKeepsLaterColons) {
  Recorder r;
  r.feed_all("data: {\"a\":\"b:c\"}\n\n");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "{\"a\":\"b:c\"}");
}

TEST(SseParser, FieldWithoutColonHasEmptyValue) {
  Recorder r;
  r.feed_all("data\ndata\n\n");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "\n");  // two empty data lines
}

TEST(SseParser, CommentsAreCountedAndIgnored) {
  Recorder r;
  r.feed_all(": keep-alive\n:\ndata: x\n: inside\n\n");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "x");
  EXPECT_EQ(r.parser.comment_count(), 3u);
}

TEST(SseParser, UnknownFieldsAreIgnored) {
  Recorder r;
  // " data" (leading space) is not "data"; "error" is not a standard field.
  r.feed_all(" data: dropped\nerror: {}\nfoo: bar\ndata: kept\n\n");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "kept");
}

TEST(SseParser, IdPersistsAndNulIdIsIgnored) {
  Recorder r;
  using namespace std::string_literals;
  r.feed_all("id: 1\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\nid\ndata: d\n\n"s);
  ASSERT_EQ(r.events.size(), 4u);
  EXPECT_EQ(r.events[0].id, "1");
  EXPECT_EQ(r.events[1].id, "1");
  EXPECT_EQ(r.events[2].id, "1");  // an id containing NUL is ignored
  EXPECT_EQ(r.events[3].id, "");   // an empty id resets it
}

TEST(SseParser, RetryNeedsDigitsOnly) {
  Recorder r;
  r.feed_all("retry: 3000\ndata: a\n\nretry: 12x\ndata: b\n\n");
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].retry, 3000);
  EXPECT_FALSE(r.events[1].retry.has_value());
}

TEST(SseParser, AllLineEndings) {
  for (std::string_view eol : {"\n", "\r\n", "\r"}) {
    Recorder r;
    std::string input;
    for (std::string_view line : {"event: e", "data: 1", "data: 2", "", ": c", "data: 3", ""}) {
      input.append(line);
      input.append(eol);
    }
    r.feed_all(input);
    ASSERT_EQ(r.events.size(), 2u) << "eol " << static_cast<int>(eol.back());
    EXPECT_EQ(r.events[0].event, "e");
    EXPECT_EQ(r.events[0].data, "1\n2");
    EXPECT_EQ(r.events[1].data, "3");
    EXPECT_EQ(r.parser.comment_count(), 1u);
  }
}

TEST(SseParser, CrAtEndOfFeedAndLfAtStartOfNextAreOneLineEnding) {
  Recorder r;
  r.parser.feed("data: a\r");
  r.parser.feed("\ndata: b\r");
  r.parser.feed("\n\r");
  EXPECT_EQ(r.events.size(), 1u);  // dispatched at the CR, without waiting for more
  r.parser.feed("\n");             // the LF of that CRLF, not a second blank line
  r.parser.finish();
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "a\nb");
}

TEST(SseParser, CrThenEmptyFeedThenLf) {
  Recorder r;
  r.parser.feed("data: a\r");
  r.parser.feed("");
  r.parser.feed("\n");
  r.parser.feed("\r\n");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "a");
}

TEST(SseParser, CrCrIsTwoLineEndings) {
  Recorder r;
  r.parser.feed("data: a\r\r");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "a");
}

TEST(SseParser, LineSplitAcrossManyFeeds) {
  Recorder r;
  const std::string input = "event: delta\ndata: {\"text\":\"Hello, world\"}\n\n";
  for (char c : input) r.parser.feed(std::string_view(&c, 1));
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].event, "delta");
  EXPECT_EQ(r.events[0].data, "{\"text\":\"Hello, world\"}");
}

TEST(SseParser, MultiByteCharactersSplitAcrossFeeds) {
  Recorder r;
  const std::string input = "data: h\xC3\xA9llo \xF0\x9F\x98\x8A \xE2\x82\xAC\n\n";  // é 😊 €
  // Cut inside every multi-byte sequence.
  std::size_t start = 0;
  for (std::size_t i = 1; i < input.size(); ++i) {
    if ((static_cast<unsigned char>(input[i]) & 0xC0) == 0x80) {
      r.parser.feed(std::string_view(input).substr(start, i - start));
      start = i;
    }
  }
  r.parser.feed(std::string_view(input).substr(start));
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "h\xC3\xA9llo \xF0\x9F\x98\x8A \xE2\x82\xAC");
}

TEST(SseParser, EscapedNewlinesInJsonStayInOneEvent) {
  Recorder r;
  r.feed_all("data: {\"content\":\"line1\\n\\nline2\"}\n\n");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "{\"content\":\"line1\\n\\nline2\"}");
}

TEST(SseParser, FinishFlushesLastEventWithoutBlankLine) {
  Recorder r;
  r.parser.feed("data: one\n\ndata: [DONE]");
  EXPECT_EQ(r.events.size(), 1u);
  r.parser.finish();
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[1].data, "[DONE]");

  Recorder r2;
  r2.parser.feed("event: message_stop\ndata: {}\n");
  r2.parser.finish();
  ASSERT_EQ(r2.events.size(), 1u);
  EXPECT_EQ(r2.events[0].event, "message_stop");
}

TEST(SseParser, FinishWithNothingPendingDispatchesNothing) {
  Recorder r;
  r.parser.feed("data: a\n\n: trailing comment\n");
  r.parser.finish();
  r.parser.finish();
  EXPECT_EQ(r.events.size(), 1u);
}

TEST(SseParser, SkipsByteOrderMarkEvenWhenSplit) {
  const std::string bom = "\xEF\xBB\xBF";
  {
    Recorder r;
    r.feed_all(bom + "data: a\n\n");
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].data, "a");
  }
  {
    Recorder r;
    const std::string input = bom + "data: b\n\n";
    for (char c : input) r.parser.feed(std::string_view(&c, 1));
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].data, "b");
  }
  {
    // Only at the very start: a later BOM is part of a field name, which makes it unknown.
    Recorder r;
    r.feed_all("data: c\n\n" + bom + "data: d\n\n");
    EXPECT_EQ(r.data(), (std::vector<std::string>{"c"}));
  }
  {
    // Short streams that merely begin like a BOM are kept.
    Recorder r;
    r.feed_all("d");
    EXPECT_TRUE(r.events.empty());
    Recorder r2;
    r2.parser.feed("\n");
    r2.parser.feed("data: e\n\n");
    ASSERT_EQ(r2.events.size(), 1u);
    EXPECT_EQ(r2.events[0].data, "e");
  }
}

TEST(SseParser, HandlerSeesEventsInOrderAcrossOneFeed) {
  Recorder r;
  std::string input;
  for (int i = 0; i < 100; ++i) input += "data: " + std::to_string(i) + "\n\n";
  r.parser.feed(input);
  ASSERT_EQ(r.events.size(), 100u);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(r.events[static_cast<std::size_t>(i)].data, std::to_string(i));
}

TEST(SseParser, UnknownFieldsReachTheFieldHandlerWhenThereIsOne) {
  // Older llama.cpp servers report a failure mid-stream as a non-standard `error:` line.
  Recorder r;
  std::vector<std::pair<std::string, std::string>> fields;
  r.parser.on_unknown_field(
      [&](std::string_view f, std::string_view v) { fields.emplace_back(f, v); });
  r.parser.feed("data: a\nerror: {\"message\":\"too long\"}\nfoo\n\n");
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0],
            (std::pair<std::string, std::string>{"error", "{\"message\":\"too long\"}"}));
  EXPECT_EQ(fields[1], (std::pair<std::string, std::string>{"foo", ""}));
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "a");
}

}  // namespace
}  // namespace aui
