// Model output is untrusted: what reaches the terminal must not be able to control it.

#include "terminal_text.hpp"

#include <gtest/gtest.h>

namespace {

using aui::chat::sanitize_terminal_text;

TEST(TerminalText, PlainTextAndUnicodePassThrough) {
  const std::string text = "Hello, wörld — 你好 😀\n\tindented";
  auto out = sanitize_terminal_text(text, true);
  EXPECT_EQ(out.text, text);
  EXPECT_EQ(out.consumed, text.size());
}

// Escape sequences and controls are shown as visible replacements (the one rule of
// aui/tui/sanitize.hpp): nothing reaches the terminal raw, and nothing is silently hidden.
TEST(TerminalText, EscapeSequencesAreShownNotObeyed) {
  EXPECT_EQ(sanitize_terminal_text("\x1b[2J\x1b[Hred \x1b[31mtext\x1b[0m", true).text,
            "␛[2J␛[Hred ␛[31mtext␛[0m");
  EXPECT_EQ(sanitize_terminal_text("a\x1b]0;pwned title\x07"
                                   "b",
                                   true)
                .text,
            "a␛]0;pwned title␇b");  // OSC, BEL
  EXPECT_EQ(sanitize_terminal_text("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", true).text,
            "a␛]8;;http://x␛\\link␛]8;;␛\\b");  // OSC, ST
  EXPECT_EQ(sanitize_terminal_text("a\x1bPq#0;2;0;0;0\x1b\\b", true).text,
            "a␛Pq#0;2;0;0;0␛\\b");  // DCS
  EXPECT_EQ(sanitize_terminal_text("a\x1b"
                                   "cb",
                                   true)
                .text,
            "a␛cb");  // reset
}

TEST(TerminalText, ControlCharactersAreShown) {
  const std::string raw(
      "a\rb\bc\x07"
      "d\x7f"
      "e\x00"
      "f",
      11);
  EXPECT_EQ(sanitize_terminal_text(raw, true).text, "a␍b␈c␇d␡e␀f");
  EXPECT_EQ(sanitize_terminal_text("a\r\nb", true).text, "a\nb");  // CR LF is a newline
  EXPECT_EQ(sanitize_terminal_text("a\xc2\x9b"
                                   "31mb",
                                   true)
                .text,
            "a⟨U+009B⟩31mb");  // C1 CSI
}

TEST(TerminalText, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(sanitize_terminal_text("a\xff"
                                   "b",
                                   true)
                .text,
            "a\xEF\xBF\xBD"
            "b");
  // A truncated character is one replacement (Unicode's "maximal subpart").
  EXPECT_EQ(sanitize_terminal_text("a\xe4\xbd", true).text, "a\xEF\xBF\xBD");
}

TEST(TerminalText, MalformedUtf8IsReplacedNotPassedOn) {
  const std::string fffd = "\xEF\xBF\xBD";
  // Overlong '/', a UTF-16 surrogate, a code point past U+10FFFF, a stray continuation byte.
  EXPECT_EQ(sanitize_terminal_text("a\xc0\xaf"
                                   "b",
                                   true)
                .text,
            "a" + fffd + fffd + "b");
  EXPECT_EQ(sanitize_terminal_text("a\xe0\x80\xaf"
                                   "b",
                                   true)
                .text,
            "a" + fffd + fffd + fffd + "b");
  EXPECT_EQ(sanitize_terminal_text("a\xed\xa0\x80"
                                   "b",
                                   true)
                .text,
            "a" + fffd + fffd + fffd + "b");
  EXPECT_EQ(sanitize_terminal_text("a\xf4\x90\x80\x80"
                                   "b",
                                   true)
                .text,
            "a" + fffd + fffd + fffd + fffd + "b");
  EXPECT_EQ(sanitize_terminal_text("a\x80"
                                   "b",
                                   true)
                .text,
            "a" + fffd + "b");
  // The edges that are valid stay.
  const std::string edges = "\xed\x9f\xbf \xee\x80\x80 \xf4\x8f\xbf\xbf \xc2\xa0";
  EXPECT_EQ(sanitize_terminal_text(edges, true).text, edges);
  // A tail that is already wrong is not held back waiting for more.
  auto bad_tail = sanitize_terminal_text(
      "ok\xe4"
      "A",
      false);
  EXPECT_EQ(bad_tail.text, "ok" + fffd + "A");
  EXPECT_EQ(bad_tail.consumed, 4u);
}

TEST(TerminalText, OtherEscapeFormsAreShown) {
  EXPECT_EQ(sanitize_terminal_text("a\x1b(0b", true).text, "a␛(0b");  // character set switch
  EXPECT_EQ(sanitize_terminal_text("a\x1b#8b", true).text, "a␛#8b");  // screen alignment test
  EXPECT_EQ(sanitize_terminal_text("a\x1b"
                                   "7b\x1b"
                                   "8c",
                                   true)
                .text,
            "a␛7b␛8c");  // save/restore cursor
  // ESC before a non-ASCII character: the ESC is shown, the character stays.
  EXPECT_EQ(sanitize_terminal_text("a\x1b\xc3\xa9", true).text, "a␛\xc3\xa9");
  // An unterminated sequence at the very end of the reply is shown as far as it goes.
  EXPECT_EQ(sanitize_terminal_text("a\x1b]0;title", true).text, "a␛]0;title");
  EXPECT_EQ(sanitize_terminal_text("a\x1b[12", true).text, "a␛[12");
  EXPECT_EQ(sanitize_terminal_text("a\x1b", true).text, "a␛");
}

TEST(TerminalText, IncompleteTailsWaitForTheRestWhileStreaming) {
  // An escape sequence split across two chunks is still shown whole.
  auto first = sanitize_terminal_text("text\x1b[3", false);
  EXPECT_EQ(first.text, "text");
  EXPECT_EQ(first.consumed, 4u);
  auto second = sanitize_terminal_text("\x1b[31mred", false);
  EXPECT_EQ(second.text, "␛[31mred");
  // A UTF-8 character split across chunks is not replaced.
  auto part = sanitize_terminal_text("ok\xe4\xbd", false);
  EXPECT_EQ(part.text, "ok");
  EXPECT_EQ(part.consumed, 2u);
  EXPECT_EQ(sanitize_terminal_text("\xe4\xbd\xa0", false).text, "你");
}

}  // namespace

TEST(TerminalText, OneLineCutsAtACharacterBoundary) {
  using aui::chat::one_line;
  // "é" is two bytes; a cut after 6 bytes (9 minus the "...") would split the first one.
  EXPECT_EQ(one_line("aaaaaééé", 9), "aaaaa...");
  EXPECT_EQ(one_line("a\nb\tc", 20), "a b c");
  EXPECT_EQ(one_line("short", 20), "short");
}

// Bidi overrides, isolates and marks would let text show in another order than it is stored
// (Trojan Source): each becomes a visible marker, also when it arrives split over two slices.
TEST(TerminalText, BidiControlsBecomeVisibleMarkers) {
  const std::pair<const char*, const char*> cases[] = {
      {"\u202A", "⟨U+202A⟩"}, {"\u202B", "⟨U+202B⟩"}, {"\u202C", "⟨U+202C⟩"},
      {"\u202D", "⟨U+202D⟩"}, {"\u202E", "⟨U+202E⟩"}, {"\u2066", "⟨U+2066⟩"},
      {"\u2067", "⟨U+2067⟩"}, {"\u2068", "⟨U+2068⟩"}, {"\u2069", "⟨U+2069⟩"},
      {"\u200E", "⟨U+200E⟩"}, {"\u200F", "⟨U+200F⟩"}, {"\u061C", "⟨U+061C⟩"}};
  for (const auto& [raw, marker] : cases) {
    const std::string text = std::string("a") + raw + "b";
    EXPECT_EQ(sanitize_terminal_text(text, true).text, std::string("a") + marker + "b") << marker;
  }
  // Neighbours pass: U+2029, U+2065 (unassigned), U+206A, U+200D (the emoji joiner), U+061B.
  const std::string neighbours = "\u2029\u2065\u206A\u200D\u061B";
  EXPECT_EQ(sanitize_terminal_text(neighbours, true).text, neighbours);
  // The classic Trojan Source shape: an override and an isolate around code. The markers show it.
  const std::string trojan = "if (admin) { \u202E } \u2066// check\u2069";
  EXPECT_EQ(sanitize_terminal_text(trojan, true).text,
            "if (admin) { ⟨U+202E⟩ } ⟨U+2066⟩// check⟨U+2069⟩");
  // Split mid-character while streaming: nothing is let through until the character is whole.
  const std::string rlo = "x\u202E";
  auto first = sanitize_terminal_text(rlo.substr(0, 3), false);
  EXPECT_EQ(first.text, "x");
  EXPECT_EQ(first.consumed, 1u);
  EXPECT_EQ(sanitize_terminal_text(rlo.substr(first.consumed), false).text, "⟨U+202E⟩");
}
