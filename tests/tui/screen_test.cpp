// The screen of cells: clipping, wide characters, sub-regions, and untrusted text kept harmless.

#include "aui/tui/screen.hpp"

#include <gtest/gtest.h>

#include "aui/tui/sanitize.hpp"
#include "aui/tui/text_width.hpp"

namespace {

using aui::tui::Attr;
using aui::tui::Canvas;
using aui::tui::Rect;
using aui::tui::Screen;
using aui::tui::Style;

// The wide-cell invariant, checked cell by cell.
void expect_consistent(const Screen& s) {
  for (int y = 0; y < s.height(); ++y) {
    for (int x = 0; x < s.width(); ++x) {
      const auto& c = s.at(x, y);
      if (c.width == 2) {
        ASSERT_LT(x + 1, s.width()) << "wide cell at the edge, row " << y;
        EXPECT_TRUE(s.at(x + 1, y).continuation()) << x << "," << y;
      } else if (c.continuation()) {
        ASSERT_GT(x, 0);
        EXPECT_EQ(s.at(x - 1, y).width, 2) << x << "," << y;
      } else {
        EXPECT_EQ(c.width, 1);
      }
      EXPECT_TRUE(aui::tui::is_terminal_safe(c.text, false)) << x << "," << y;
    }
  }
}

TEST(Screen, StartsBlank) {
  Screen s(4, 2);
  EXPECT_EQ(s.text(), "\n");
  EXPECT_EQ(s.at(3, 1).text, " ");
}

TEST(Screen, PutReturnsTheColumnAfterTheText) {
  Screen s(10, 2);
  auto c = s.canvas();
  EXPECT_EQ(c.put(1, 0, "ab你"), 5);
  EXPECT_EQ(s.row_text(0), " ab你");
  EXPECT_EQ(s.at(3, 0).width, 2);
  EXPECT_TRUE(s.at(4, 0).continuation());
  expect_consistent(s);
}

TEST(Screen, ClipsAtTheEdgesAndNeverSplitsAWideCharacter) {
  Screen s(5, 2);
  auto c = s.canvas();
  EXPECT_EQ(c.put(2, 0, "a你好"), 5);  // 好 would cross the edge: not written
  EXPECT_EQ(s.row_text(0), "  a你");
  EXPECT_EQ(c.put(-1, 1, "你ab"), 3);  // 你 straddles the left edge: skipped
  EXPECT_EQ(s.row_text(1), " ab");
  EXPECT_EQ(c.put(0, 5, "below"), 5);  // outside: nothing written
  expect_consistent(s);
}

TEST(Screen, OverwritingHalfAWideCharacterBlanksTheOtherHalf) {
  Screen s(6, 1);
  auto c = s.canvas();
  c.put(0, 0, "你好");
  c.put(1, 0, "x");  // the right half of 你
  EXPECT_EQ(s.row_text(0), " x好");
  expect_consistent(s);
  c.put(2, 0, "y");  // the left half of 好
  EXPECT_EQ(s.row_text(0), " xy");
  expect_consistent(s);
  c.put(0, 0, "ab");
  c.put(1, 0, "世");  // a wide character over two narrow ones
  EXPECT_EQ(s.row_text(0), "a世");
  expect_consistent(s);
  c.put(0, 0, "a好");
  c.put(2, 0, "界");  // on the right half of 好, over the start of the next
  EXPECT_EQ(s.row_text(0), "a 界");
  expect_consistent(s);
}

TEST(Screen, SubCanvasDrawsRelativeAndClipped) {
  Screen s(10, 4);
  auto root = s.canvas();
  Canvas box = root.sub(2, 1, 5, 2);
  EXPECT_EQ(box.width(), 5);
  EXPECT_EQ(box.area(), (Rect{2, 1, 5, 2}));
  EXPECT_EQ(box.put(0, 0, "hello world"), 5);
  box.put(1, 1, "xyz123");
  box.put(0, 2, "not shown");
  EXPECT_EQ(s.text(), "\n  hello\n   xyz1\n");
  Canvas inner = box.sub(3, 0, 10, 10);  // clipped to the box
  EXPECT_EQ(inner.width(), 2);
  EXPECT_EQ(inner.height(), 2);
  Canvas outside = box.sub(20, 20, 3, 3);
  EXPECT_EQ(outside.width(), 0);
  EXPECT_EQ(outside.put(0, 0, "x"), 0);
}

TEST(Screen, FillAndRestyle) {
  Screen s(4, 3);
  auto c = s.canvas();
  const Style blue = Style{}.with_bg(aui::tui::colors::blue);
  c.fill(Rect{1, 1, 2, 5}, blue, "\u2500");
  EXPECT_EQ(s.row_text(1), " ──");
  EXPECT_EQ(s.at(2, 2).style, blue);
  EXPECT_EQ(s.at(0, 1).style, Style{});
  c.fill(Rect{0, 0, 1, 1}, blue, "\x1b");  // not a printable single-width cluster: a blank
  EXPECT_EQ(s.at(0, 0).text, " ");
  c.put(0, 0, "你");
  c.restyle(Rect{1, 0, 1, 1}, blue);  // half of a wide cell: both halves take the style
  EXPECT_EQ(s.at(0, 0).style, blue);
  EXPECT_EQ(s.at(1, 0).style, blue);
}

TEST(Screen, UntrustedTextIsShownDimmedNeverRaw) {
  Screen s(40, 1);
  auto c = s.canvas();
  const Style bold = Style{}.with(Attr::Bold);
  const int end = c.put(0, 0, "ok\x1b[2Jx\u202Ey\x07", bold);
  EXPECT_EQ(s.row_text(0), "ok␛[2Jx⟨U+202E⟩y␇");
  EXPECT_EQ(end, static_cast<int>(aui::tui::display_width("ok␛[2Jx⟨U+202E⟩y␇")));
  EXPECT_EQ(s.at(0, 0).style, bold);
  EXPECT_EQ(s.at(2, 0).style, bold.with(Attr::Dim));  // the marker
  EXPECT_EQ(s.at(5, 0).style, bold.with(Attr::Dim));  // the whole sequence
  EXPECT_EQ(s.at(6, 0).style, bold);
  expect_consistent(s);
}

TEST(Screen, TabsAndNewlines) {
  Screen s(20, 1);
  auto c = s.canvas();
  EXPECT_EQ(c.put(2, 0, "a\tb"), 11);  // tab stops every 8 columns from where the text starts
  EXPECT_EQ(s.row_text(0), "  a       b");
  Screen t(10, 1);
  t.canvas().put(0, 0, "a\nb");
  EXPECT_EQ(t.row_text(0), "a␤b");
}

TEST(Screen, ZeroWidthClustersAndHugeClusters) {
  Screen s(10, 1);
  auto c = s.canvas();
  EXPECT_EQ(c.put(0, 0, "\u0301a\u200Bb"), 2);  // a stray mark and a zero-width space: dropped
  EXPECT_EQ(s.row_text(0), "ab");
  std::string zalgo = "z";
  for (int i = 0; i < 100; ++i) zalgo += "\u0301";
  EXPECT_EQ(c.put(0, 0, zalgo), 1);
  EXPECT_LE(s.at(0, 0).text.size(), 32u);
  EXPECT_EQ(s.at(0, 0).text.substr(0, 3), "z\u0301");
  EXPECT_EQ(c.put_cluster(3, 0, "\U0001F44D\U0001F3FD"), 2);
  EXPECT_EQ(s.at(3, 0).text, "\U0001F44D\U0001F3FD");
  EXPECT_EQ(c.put_cluster(9, 0, "你"), 0);    // would cross the edge
  EXPECT_EQ(c.put_cluster(6, 0, "\x1b"), 1);  // shown as its picture
  EXPECT_EQ(s.at(6, 0).text, "␛");
  expect_consistent(s);
}

TEST(Screen, RandomWritesKeepTheInvariant) {
  const std::vector<std::string> pieces = {"a",       "你",     "好b", "\U0001F600", "e\u0301",
                                           "\x1b[1m", "\u202E", "xyz", "\xff",       "\t"};
  Screen s(13, 3);
  auto root = s.canvas();
  unsigned seed = 99;
  for (int i = 0; i < 3000; ++i) {
    seed = seed * 1103515245u + 12345u;
    const int x = static_cast<int>((seed >> 8) % 17) - 2;
    const int y = static_cast<int>((seed >> 4) % 3);
    const auto& text = pieces[(seed >> 16) % pieces.size()];
    if ((seed >> 24) % 5 == 0) {
      root.sub(x, 0, 5, 3).put(0, y, text + text);
    } else {
      root.put(x, y, text);
    }
    expect_consistent(s);
    if (HasFailure()) break;
  }
}

}  // namespace
