// The one rule for untrusted text on a terminal: nothing that could control it gets through raw,
// and what was there is visible.

#include "aui/tui/sanitize.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using aui::tui::is_terminal_safe;
using aui::tui::sanitize;

// No byte that a terminal acts on: C0 (but \n, \t), DEL, ESC, C1 as UTF-8, bidi controls.
bool harmless(const std::string& text) { return is_terminal_safe(text, true); }

TEST(Sanitize, PlainTextPassesThrough) {
  const std::string text = "Hello, wörld — 你好 😀\n\tindented";
  const auto out = sanitize(text);
  EXPECT_EQ(out.text, text);
  EXPECT_EQ(out.consumed, text.size());
  EXPECT_TRUE(is_terminal_safe(text));
  EXPECT_FALSE(is_terminal_safe(text, false));  // layout characters not allowed
}

TEST(Sanitize, EscapeSequencesAreShownNotObeyed) {
  EXPECT_EQ(sanitize("\x1b[2J\x1b[Hred \x1b[31mtext\x1b[0m").text, "␛[2J␛[Hred ␛[31mtext␛[0m");
  EXPECT_EQ(sanitize("a\x1b]0;pwned title\x07"
                     "b")
                .text,
            "a␛]0;pwned title␇b");                                             // OSC ended by BEL
  EXPECT_EQ(sanitize("\x1b]52;c;ZXZpbA==\x1b\\").text, "␛]52;c;ZXZpbA==␛\\");  // clipboard write
  EXPECT_EQ(sanitize("a\x1bPq#0;2;0;0;0\x1b\\b").text, "a␛Pq#0;2;0;0;0␛\\b");  // DCS
  EXPECT_EQ(sanitize("a\x1b_apc\x1b\\b\x1b^pm\x07\x1bXsos\x07").text, "a␛_apc␛\\b␛^pm␇␛Xsos␇");
  EXPECT_EQ(sanitize("a\x1b"
                     "cb")
                .text,
            "a␛cb");                               // RIS, a full reset
  EXPECT_EQ(sanitize("\x1b(0q").text, "␛(0q");     // character set switch
  EXPECT_EQ(sanitize("\x1b\x1b[A").text, "␛␛[A");  // ESC before ESC
  EXPECT_EQ(sanitize("x\x1b").text, "x␛");         // a lone ESC at the end
  EXPECT_TRUE(harmless(sanitize("\x1b[?1049h\x1b[?25l\x1b]8;;http://evil\x1b\\").text));
}

TEST(Sanitize, ControlsBecomePictures) {
  const std::string raw(
      "a\rb\bc\x07"
      "d\x7f"
      "e\x00"
      "f",
      11);
  EXPECT_EQ(sanitize(raw).text, "a␍b␈c␇d␡e␀f");
  EXPECT_EQ(sanitize("line\r\nnext").text, "line\nnext");  // CRLF is a newline
}

TEST(Sanitize, C1ControlsAndBidiAreMarked) {
  EXPECT_EQ(sanitize("a\xc2\x9b"
                     "31mb")
                .text,
            "a⟨U+009B⟩31mb");  // C1 CSI
  EXPECT_EQ(sanitize("a\xc2\x85"
                     "b")
                .text,
            "a⟨U+0085⟩b");
  EXPECT_EQ(sanitize("access\u202E\u2066level\u2069\u202C").text,
            "access⟨U+202E⟩⟨U+2066⟩level⟨U+2069⟩⟨U+202C⟩");
  EXPECT_EQ(sanitize("\u200Ex\u200F\u061C").text, "⟨U+200E⟩x⟨U+200F⟩⟨U+061C⟩");
}

TEST(Sanitize, IllFormedUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(sanitize("a\xff"
                     "b")
                .text,
            "a\uFFFDb");
  EXPECT_EQ(sanitize("a\xe4\xbd").text, "a\uFFFD");                // one per maximal subpart
  EXPECT_EQ(sanitize("\xed\xa0\x80").text, "\uFFFD\uFFFD\uFFFD");  // a surrogate: three
  EXPECT_EQ(sanitize("\x9b"
                     "2J")
                .text,
            "\uFFFD2J");  // an 8-bit C1 byte is not UTF-8
}

TEST(Sanitize, StreamingKeepsIncompleteTails) {
  auto out = sanitize("ab\xe4\xbd", false);
  EXPECT_EQ(out.text, "ab");
  EXPECT_EQ(out.consumed, 2u);
  out = sanitize("x\x1b[3", false);
  EXPECT_EQ(out.text, "x");
  EXPECT_EQ(out.consumed, 1u);
  out = sanitize("x\x1b]0;title", false);
  EXPECT_EQ(out.consumed, 1u);
  out = sanitize("x\x1b]0;title\x1b", false);
  EXPECT_EQ(out.consumed, 1u);  // ST may still come
  out = sanitize("x\r", false);
  EXPECT_EQ(out.consumed, 1u);  // CR LF may still come
  // A sequence longer than any real one does not hold the stream back.
  const std::string endless = "\x1b]0;" + std::string(1000, 'a');
  out = sanitize(endless, false);
  EXPECT_GT(out.consumed, 900u);
  EXPECT_TRUE(harmless(out.text));
}

TEST(Sanitize, ChunkedStreamEqualsWhole) {
  const std::string raw =
      "Hi \x1b[31mred\x1b[0m \xe4\xbd\xa0 \x1b]0;t\x07 \u202E x\r\ny \xF0\x9F\x98\x80\x1b\\z";
  const std::string whole = sanitize(raw).text;
  for (std::size_t cut = 0; cut <= raw.size(); ++cut) {
    std::string pending = raw.substr(0, cut), shown;
    auto first = sanitize(pending, false);
    shown += first.text;
    pending = pending.substr(first.consumed) + raw.substr(cut);
    shown += sanitize(pending, true).text;
    EXPECT_EQ(shown, whole) << "cut at " << cut;
  }
}

TEST(Sanitize, EveryByteStringComesOutHarmless) {
  unsigned seed = 7;
  for (int round = 0; round < 2000; ++round) {
    std::string raw;
    const int n = static_cast<int>(seed % 40);
    for (int i = 0; i < n; ++i) {
      seed = seed * 1103515245u + 12345u;
      const unsigned r = (seed >> 16) & 0xFF;
      // Bias towards the interesting bytes.
      static constexpr unsigned char kSpecial[] = {0x1b, '[',  ']',  0x07, '\\', 0xc2, 0x9b, 0xe2,
                                                   0x80, 0xae, '\r', '\n', 'P',  0x00, 0x7f};
      raw.push_back(static_cast<char>(r < 128 ? kSpecial[r % sizeof kSpecial] : r));
    }
    const auto out = sanitize(raw);
    EXPECT_TRUE(harmless(out.text)) << testing::PrintToString(raw);
    EXPECT_EQ(out.consumed, raw.size());
  }
}

}  // namespace
