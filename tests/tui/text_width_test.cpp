// Grapheme clusters and display width: what glibc's wcwidth says, and what it gets wrong.

#include "aui/tui/text_width.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using aui::tui::cut_to_width;
using aui::tui::decode_utf8;
using aui::tui::display_width;
using aui::tui::grapheme_width;
using aui::tui::truncate_to_width;
using aui::tui::wrap_to_width;

std::vector<std::string> clusters(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& g : aui::tui::graphemes(text)) out.emplace_back(text.substr(g.offset, g.length));
  return out;
}

std::vector<int> widths(std::string_view text) {
  std::vector<int> out;
  for (const auto& g : aui::tui::graphemes(text)) out.push_back(g.width);
  return out;
}

using Strings = std::vector<std::string>;
using Ints = std::vector<int>;

TEST(Utf8, DecodesWellFormedSequences) {
  EXPECT_EQ(decode_utf8("A", 0).code_point, U'A');
  EXPECT_EQ(decode_utf8("\xC3\xA9", 0).code_point, U'\u00E9');
  EXPECT_EQ(decode_utf8("\xE4\xBD\xA0", 0).code_point, U'\u4F60');
  const auto d = decode_utf8("\xF0\x9F\x98\x80", 0);
  EXPECT_EQ(d.code_point, U'\U0001F600');
  EXPECT_EQ(d.length, 4);
  EXPECT_TRUE(d.valid);
}

TEST(Utf8, IllFormedBytesBecomeOneReplacementPerMaximalSubpart) {
  auto expect_invalid = [](std::string_view bytes, int length) {
    const auto d = decode_utf8(bytes, 0);
    EXPECT_FALSE(d.valid) << testing::PrintToString(std::string(bytes));
    EXPECT_EQ(d.code_point, U'\uFFFD');
    EXPECT_EQ(d.length, length) << testing::PrintToString(std::string(bytes));
  };
  expect_invalid("\xFF", 1);
  expect_invalid("\x80", 1);              // stray continuation
  expect_invalid("\xC0\xAF", 1);          // overlong lead
  expect_invalid("\xE0\x80\x80", 1);      // overlong three-byte form
  expect_invalid("\xED\xA0\x80", 1);      // a surrogate
  expect_invalid("\xF4\x90\x80\x80", 1);  // past U+10FFFF
  expect_invalid("\xE4\xBD", 2);          // truncated: one replacement for both bytes
  expect_invalid(
      "\xF0\x9F\x98"
      "A",
      3);
  std::string out;
  aui::tui::append_utf8(out, 0x1F600);
  aui::tui::append_utf8(out, 0xD800);  // not encodable: U+FFFD
  EXPECT_EQ(out, "\xF0\x9F\x98\x80\xEF\xBF\xBD");
}

TEST(Width, AsciiLatinAndCjk) {
  EXPECT_EQ(display_width("hello"), 5u);
  EXPECT_EQ(display_width("wörld"), 5u);
  EXPECT_EQ(display_width("你好世界"), 8u);
  EXPECT_EQ(display_width("ｈｉ"), 4u);  // fullwidth forms
  EXPECT_EQ(display_width(""), 0u);
}

TEST(Width, CombiningMarksJoinTheirBase) {
  EXPECT_EQ(clusters("e\u0301a"), (Strings{"e\u0301", "a"}));
  EXPECT_EQ(widths("e\u0301a"), (Ints{1, 1}));
  EXPECT_EQ(display_width("Z\u0351\u036B\u0343\u036A\u0302"), 1u);  // stacked marks
  EXPECT_EQ(widths("\u4F60\u0301"), (Ints{2}));
}

TEST(Width, EmojiPresentationIsWide) {
  EXPECT_EQ(widths("\U0001F600"), (Ints{2}));
  // Emoji newer than glibc's Unicode 14 tables (U+1FAF8, U+1F6DC are Unicode 15).
  EXPECT_EQ(widths("\U0001FAF8\U0001F6DC"), (Ints{2, 2}));
}

TEST(Width, ZwjSequencesAreOneWideCluster) {
  const std::string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466";
  EXPECT_EQ(clusters(family + "x"), (Strings{family, "x"}));
  EXPECT_EQ(widths(family), (Ints{2}));
  const std::string technologist = "\U0001F9D1\U0001F3FD\u200D\U0001F4BB";  // with a skin tone
  EXPECT_EQ(widths(technologist), (Ints{2}));
  const std::string rainbow_flag = "\U0001F3F3\uFE0F\u200D\U0001F308";
  EXPECT_EQ(widths(rainbow_flag), (Ints{2}));
  // A ZWJ between letters joins nothing but itself.
  EXPECT_EQ(clusters("a\u200Db"), (Strings{"a\u200D", "b"}));
}

TEST(Width, SkinToneModifiers) {
  EXPECT_EQ(widths("\U0001F44D\U0001F3FD"), (Ints{2}));
  EXPECT_EQ(widths("\u261D\U0001F3FB"), (Ints{2}));  // a text-default base made emoji
  EXPECT_EQ(widths("\U0001F3FD"), (Ints{2}));        // alone
}

TEST(Width, VariationSelectors) {
  EXPECT_EQ(widths("\u2764"), (Ints{1}));        // text by default
  EXPECT_EQ(widths("\u2764\uFE0F"), (Ints{2}));  // VS16: emoji presentation
  EXPECT_EQ(widths("\u263A\uFE0F"), (Ints{2}));
  EXPECT_EQ(widths("\U0001F600\uFE0E"), (Ints{1}));  // VS15: text presentation
  EXPECT_EQ(widths("1\uFE0F\u20E3"), (Ints{2}));     // keycap
  EXPECT_EQ(clusters("\u2764\uFE0Fa"), (Strings{"\u2764\uFE0F", "a"}));
}

TEST(Width, RegionalIndicatorsPairIntoFlags) {
  const std::string de = "\U0001F1E9\U0001F1EA", fr = "\U0001F1EB\U0001F1F7";
  EXPECT_EQ(clusters(de + fr), (Strings{de, fr}));
  EXPECT_EQ(widths(de + fr), (Ints{2, 2}));
  // An odd one out stays alone.
  EXPECT_EQ(clusters(de + "\U0001F1EB"), (Strings{de, "\U0001F1EB"}));
  // Subdivision flags: a black flag with tag characters.
  const std::string scotland =
      "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F";
  EXPECT_EQ(widths(scotland), (Ints{2}));
}

TEST(Width, HangulJamoComposeOneSyllable) {
  const std::string han = "\u1112\u1161\u11AB";  // 한 from conjoining jamo
  EXPECT_EQ(clusters(han + "a"), (Strings{han, "a"}));
  EXPECT_EQ(widths(han), (Ints{2}));
  EXPECT_EQ(widths("\uD55C"), (Ints{2}));                          // precomposed
  EXPECT_EQ(clusters("\uAC00\u11A8"), (Strings{"\uAC00\u11A8"}));  // LV + T
  EXPECT_EQ(clusters("\uAC01\u1161").size(), 2u);                  // LVT + V does not join
}

TEST(Width, ControlsHaveNoWidthAndStandAlone) {
  EXPECT_EQ(display_width("a\x1b[31mb"), 6u);  // ESC is 0, "[31m" are printable
  EXPECT_EQ(clusters("a\r\nb"), (Strings{"a", "\r\n", "b"}));
  const auto g = aui::tui::next_grapheme("\x07", 0);
  EXPECT_TRUE(g.control);
  EXPECT_EQ(g.width, 0);
  EXPECT_EQ(clusters("\x1b\u0301"), (Strings{"\x1b", "\u0301"}));  // a mark never joins a control
  EXPECT_EQ(display_width("\u200B"), 0u);                          // zero width space
  EXPECT_EQ(display_width("\xC2\x9B"), 0u);                        // C1 CSI
}

TEST(Width, InvalidUtf8IsOneColumnPerReplacement) {
  EXPECT_EQ(widths("a\xFF"
                   "b"),
            (Ints{1, 1, 1}));
  const auto g = aui::tui::next_grapheme("\xE4\xBD", 0);
  EXPECT_FALSE(g.valid);
  EXPECT_EQ(g.length, 2u);
  EXPECT_EQ(g.width, 1);
}

TEST(Width, GraphemeWidthOfACluster) {
  EXPECT_EQ(grapheme_width("\U0001F44D\U0001F3FD"), 2);
  EXPECT_EQ(grapheme_width(""), 0);
}

TEST(Cut, NeverSplitsAClusterOrAWideCharacter) {
  EXPECT_EQ(cut_to_width("hello", 3).bytes, 3u);
  const auto cut = cut_to_width("ab你好", 3);  // 你 would end at column 4
  EXPECT_EQ(cut.bytes, 2u);
  EXPECT_EQ(cut.width, 2);
  EXPECT_EQ(cut_to_width("e\u0301x", 1).bytes, 3u);  // the mark stays with its base
  EXPECT_EQ(cut_to_width("abc", 0).bytes, 0u);
  EXPECT_EQ(cut_to_width("abc", 10).bytes, 3u);
}

TEST(Cut, TruncateWithAnEllipsis) {
  EXPECT_EQ(truncate_to_width("hello world", 8), "hello w\u2026");
  EXPECT_EQ(truncate_to_width("hello", 5), "hello");
  EXPECT_EQ(truncate_to_width("你好世界", 5), "你好\u2026");
  EXPECT_EQ(truncate_to_width("hello", 3, "..."), "...");
  EXPECT_EQ(truncate_to_width("hello", 2, "..."), "he");
  EXPECT_EQ(truncate_to_width("hello", 0), "");
}

std::vector<std::string> wrap(std::string_view text, int width) {
  std::vector<std::string> out;
  for (const auto& line : wrap_to_width(text, width)) {
    out.emplace_back(text.substr(line.begin, line.end - line.begin));
    EXPECT_EQ(static_cast<std::size_t>(line.width), display_width(out.back())) << out.back();
  }
  return out;
}

TEST(Wrap, AtSpacesWithinTheWidth) {
  EXPECT_EQ(wrap("the quick brown fox", 10), (Strings{"the quick", "brown fox"}));
  EXPECT_EQ(wrap("the quick brown fox", 9), (Strings{"the quick", "brown fox"}));
  EXPECT_EQ(wrap("the quick brown fox", 5), (Strings{"the", "quick", "brown", "fox"}));
  EXPECT_EQ(wrap("a  b", 1), (Strings{"a", "b"}));  // the spaces at a break are dropped
  EXPECT_EQ(wrap("short", 80), (Strings{"short"}));
}

TEST(Wrap, LongWordsBreakInside) {
  EXPECT_EQ(wrap("abcdefghij", 4), (Strings{"abcd", "efgh", "ij"}));
  EXPECT_EQ(wrap("ab abcdefghij", 4), (Strings{"ab", "abcd", "efgh", "ij"}));
}

TEST(Wrap, NewlinesEndLines) {
  EXPECT_EQ(wrap("one\ntwo", 10), (Strings{"one", "two"}));
  EXPECT_EQ(wrap("one\r\ntwo\n", 10), (Strings{"one", "two", ""}));
  EXPECT_EQ(wrap("", 10), (Strings{""}));
  EXPECT_EQ(wrap("\n\n", 10), (Strings{"", "", ""}));
}

TEST(Wrap, WideCharactersNeverHangOverTheEdge) {
  EXPECT_EQ(wrap("你好世界", 5), (Strings{"你好", "世界"}));
  EXPECT_EQ(wrap("a你好", 4), (Strings{"a你", "好"}));
  EXPECT_EQ(wrap("\U0001F468\u200D\U0001F469\u200D\U0001F467 x", 3),
            (Strings{"\U0001F468\u200D\U0001F469\u200D\U0001F467", "x"}));
}

TEST(Wrap, KeepsLeadingIndentation) {
  EXPECT_EQ(wrap("    indented text here", 12), (Strings{"    indented", "text here"}));
}

TEST(Wrap, EveryLineFitsOnRandomText) {
  const std::vector<std::string> pieces = {
      "a",         "bc",         " ",    "  ", "你",
      "e\u0301",   "\U0001F600", "word", "\n", "\U0001F1E9\U0001F1EA",
      "longerword"};
  unsigned seed = 12345;
  for (int round = 0; round < 500; ++round) {
    std::string text;
    const int n = static_cast<int>(seed % 30);
    for (int i = 0; i < n; ++i) {
      seed = seed * 1103515245u + 12345u;
      text += pieces[(seed >> 16) % pieces.size()];
    }
    const int width = 2 + static_cast<int>((seed >> 8) % 20);
    std::size_t covered = 0;
    for (const auto& line : wrap_to_width(text, width)) {
      EXPECT_LE(line.width, width) << text;
      EXPECT_GE(line.begin, covered) << text;
      // Only spaces and newlines are left out between lines.
      for (std::size_t k = covered; k < line.begin; ++k) {
        EXPECT_TRUE(text[k] == ' ' || text[k] == '\n' || text[k] == '\r') << text;
      }
      covered = line.end;
    }
    EXPECT_EQ(covered, text.size());
  }
}

}  // namespace
