// The Editor: editing by grapheme cluster and word, wrapping and scrolling, undo/redo, history,
// pastes as one edit, submit vs newline keys, and the queued-message chips.

#include "aui/tui/editor.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using aui::tui::Editor;
using aui::tui::EditorOptions;
using aui::tui::EditorOutcome;
using aui::tui::InputEvent;
using aui::tui::Key;
using aui::tui::KeyEvent;
using aui::tui::Mod;
using aui::tui::MouseAction;
using aui::tui::MouseButton;
using aui::tui::MouseEvent;
using aui::tui::PasteEvent;
using aui::tui::Point;
using aui::tui::QueuedList;
using aui::tui::Screen;
using aui::tui::TextEvent;
using Kind = EditorOutcome::Kind;

KeyEvent key(Key k, Mod m = Mod::None) { return KeyEvent{k, m, 0}; }
KeyEvent ctrl(char32_t c) { return KeyEvent{Key::Char, Mod::Ctrl, c}; }
KeyEvent alt(char32_t c) { return KeyEvent{Key::Char, Mod::Alt, c}; }
TextEvent type(std::string s) { return TextEvent{std::move(s)}; }

std::string render(Editor& e, int w, int h, Point* cursor = nullptr) {
  Screen s(w, h);
  auto c = s.canvas();
  e.draw(c);
  if (cursor && e.cursor_position()) *cursor = *e.cursor_position();
  return s.text();
}

TEST(Editor, TypesAndSubmitsWithEnter) {
  Editor e;
  e.handle(type("hello"));
  e.handle(type(" world"));
  EXPECT_EQ(e.text(), "hello world");
  auto out = e.handle(key(Key::Enter));
  EXPECT_EQ(out.kind, Kind::Submitted);
  EXPECT_EQ(out.text, "hello world");
  EXPECT_TRUE(e.empty());
  EXPECT_EQ(e.handle(key(Key::Enter)).kind, Kind::Ignored);  // nothing to submit
}

TEST(Editor, NewlineKeysInsertANewlineAndCanBeSwapped) {
  Editor e;
  e.handle(type("a"));
  EXPECT_EQ(e.handle(key(Key::Enter, Mod::Alt)).kind, Kind::Handled);
  e.handle(type("b"));
  EXPECT_EQ(e.handle(ctrl(U'j')).kind, Kind::Handled);
  e.handle(type("c"));
  EXPECT_EQ(e.text(), "a\nb\nc");

  EditorOptions o;
  o.enter_submits = false;
  Editor f(o);
  f.handle(type("x"));
  EXPECT_EQ(f.handle(key(Key::Enter)).kind, Kind::Handled);
  f.handle(type("y"));
  auto out = f.handle(key(Key::Enter, Mod::Alt));
  EXPECT_EQ(out.kind, Kind::Submitted);
  EXPECT_EQ(out.text, "x\ny");
}

TEST(Editor, MovesAndDeletesByGraphemeCluster) {
  Editor e;
  const std::string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";  // one cluster
  const std::string e_acute = "e\u0301";
  e.handle(type("a" + family + e_acute + "你"));
  e.handle(key(Key::Left));       // before 你
  e.handle(key(Key::Left));       // before é (e + combining acute)
  e.handle(key(Key::Backspace));  // removes the whole family
  EXPECT_EQ(e.text(), "a" + e_acute + "你");
  e.handle(key(Key::Delete));  // removes e + mark
  EXPECT_EQ(e.text(), "a你");
  e.handle(key(Key::End));
  e.handle(key(Key::Backspace));
  EXPECT_EQ(e.text(), "a");
}

TEST(Editor, CursorColumnCountsWideCharacters) {
  Editor e;
  e.handle(type("你好ab"));
  Point p;
  EXPECT_EQ(render(e, 20, 2, &p), "你好ab\n");
  EXPECT_EQ(p, (Point{6, 0}));
  e.handle(key(Key::Home));
  e.handle(key(Key::Right));
  render(e, 20, 2, &p);
  EXPECT_EQ(p, (Point{2, 0}));
}

TEST(Editor, MovesByWords) {
  Editor e;
  e.handle(type("one two.three  four"));
  e.handle(key(Key::Left, Mod::Ctrl));
  EXPECT_EQ(e.cursor_offset(), 15u);  // before "four"
  e.handle(key(Key::Left, Mod::Ctrl));
  EXPECT_EQ(e.cursor_offset(), 8u);  // before "three"
  e.handle(alt(U'b'));
  EXPECT_EQ(e.cursor_offset(), 4u);  // before "two"
  e.handle(key(Key::Right, Mod::Ctrl));
  EXPECT_EQ(e.cursor_offset(), 7u);  // after "two"
  e.handle(key(Key::Home));
  e.handle(alt(U'f'));
  EXPECT_EQ(e.cursor_offset(), 3u);
}

TEST(Editor, KillsAndYanks) {
  Editor e;
  e.handle(type("alpha beta gamma"));
  e.handle(ctrl(U'w'));
  EXPECT_EQ(e.text(), "alpha beta ");
  e.handle(key(Key::Left, Mod::Ctrl));  // before beta
  e.handle(ctrl(U'k'));
  EXPECT_EQ(e.text(), "alpha ");
  e.handle(ctrl(U'y'));
  EXPECT_EQ(e.text(), "alpha beta ");
  e.handle(ctrl(U'u'));
  EXPECT_EQ(e.text(), "");
  e.handle(ctrl(U'y'));
  EXPECT_EQ(e.text(), "alpha beta ");
}

TEST(Editor, CtrlKAtTheEndOfALineJoinsTheNextOne) {
  Editor e;
  e.set_text("ab\ncd");
  e.handle(key(Key::Home, Mod::Ctrl));
  e.handle(key(Key::End));
  e.handle(ctrl(U'k'));
  EXPECT_EQ(e.text(), "abcd");
}

TEST(Editor, UndoAndRedoWithKeysThatAreNotCtrlZ) {
  Editor e;
  e.handle(type("h"));
  e.handle(type("i"));  // the same run of typing: one step
  e.handle(ctrl(U'j'));
  e.handle(type("there"));
  e.handle(ctrl(U'_'));
  EXPECT_EQ(e.text(), "hi\n");
  e.handle(ctrl(U'_'));
  EXPECT_EQ(e.text(), "hi");
  e.handle(ctrl(U'_'));
  EXPECT_EQ(e.text(), "");
  EXPECT_FALSE(e.can_undo());
  e.handle(alt(U'_'));
  EXPECT_EQ(e.text(), "hi");
  e.handle(alt(U'r'));
  EXPECT_EQ(e.text(), "hi\n");
  e.handle(type("!"));  // a new edit drops the redo steps
  EXPECT_FALSE(e.can_redo());
  EXPECT_EQ(e.handle(ctrl(U'z')).kind, Kind::Ignored);  // left to the program (suspend)
}

TEST(Editor, UndoAndRedoRetraceEveryStep) {
  Editor e;
  std::vector<std::string> states{e.text()};
  const std::vector<InputEvent> steps = {
      type("hello 你好"),
      PasteEvent{"\nsecond line\nthird"},
      key(Key::Backspace),
      ctrl(U'w'),
      key(Key::Home, Mod::Ctrl),
      key(Key::Delete),
      ctrl(U'k'),
      ctrl(U'j'),
      ctrl(U'y'),
      type("\U0001F468\u200D\U0001F469"),
  };
  for (const auto& step : steps) {
    e.handle(step);
    if (e.text() != states.back()) states.push_back(e.text());
    e.handle(key(Key::Right));  // a move ends a run of typing or deleting
  }
  ASSERT_GE(states.size(), 9u);
  for (std::size_t i = states.size() - 1; i-- > 0;) {
    ASSERT_TRUE(e.undo());
    EXPECT_EQ(e.text(), states[i]) << i;
  }
  EXPECT_FALSE(e.undo());
  for (std::size_t i = 1; i < states.size(); ++i) {
    ASSERT_TRUE(e.redo());
    EXPECT_EQ(e.text(), states[i]) << i;
  }
  EXPECT_FALSE(e.redo());
}

TEST(Editor, PasteIsOneEditAndIsSanitized) {
  Editor e;
  e.handle(type("x"));
  e.handle(PasteEvent{"line 1\nline\t2\x1b[2J\x07\nend"});
  EXPECT_EQ(e.text(), "xline 1\nline\t2\u241B[2J\u2407\nend");
  EXPECT_EQ(e.cursor_offset(), e.text().size());
  e.handle(ctrl(U'_'));
  EXPECT_EQ(e.text(), "x");
}

TEST(Editor, OneLineFieldTurnsPastedNewlinesIntoSpaces) {
  EditorOptions o;
  o.multiline = false;
  Editor e(o);
  e.handle(PasteEvent{"a\nb"});
  EXPECT_EQ(e.text(), "a b");
  EXPECT_EQ(e.handle(ctrl(U'j')).kind, Kind::Ignored);
}

TEST(Editor, HistoryKeepsTheDraft) {
  Editor e;
  e.handle(type("first"));
  e.handle(key(Key::Enter));
  e.handle(type("second"));
  e.handle(key(Key::Enter));
  e.handle(type("draft"));
  e.handle(key(Key::Up));
  EXPECT_EQ(e.text(), "second");
  e.handle(key(Key::Up));
  EXPECT_EQ(e.text(), "first");
  EXPECT_EQ(e.handle(key(Key::Up)).kind, Kind::Ignored);  // oldest: the app may scroll
  e.handle(key(Key::Down));
  EXPECT_EQ(e.text(), "second");
  e.handle(key(Key::Down));
  EXPECT_EQ(e.text(), "draft");
}

TEST(Editor, UpAndDownMoveAcrossWrappedRowsByDisplayColumn) {
  Editor e;
  e.set_text("abcdefghij\n你好世界");
  Point p;
  EXPECT_EQ(render(e, 6, 4, &p), "abcdef\nghij\n你好世\n界");
  EXPECT_EQ(p, (Point{2, 3}));  // after 界
  e.handle(key(Key::Home));
  e.handle(key(Key::Right));  // after 你: column 2
  e.handle(key(Key::Up));     // row "ghij", column 2
  render(e, 6, 4, &p);
  EXPECT_EQ(p, (Point{2, 1}));
  EXPECT_EQ(e.cursor_offset(), 8u);
  e.handle(key(Key::Up));
  EXPECT_EQ(e.cursor_offset(), 2u);
  e.handle(key(Key::Down));
  e.handle(key(Key::Down));
  EXPECT_EQ(e.cursor_offset(), 11u + 3u);  // after 你 again
}

TEST(Editor, WrapsAtSpacesAndScrollsToTheCursor) {
  EditorOptions o;
  o.max_visible_rows = 2;
  Editor e(o);
  e.set_text("the quick brown fox jumps");
  EXPECT_EQ(e.preferred_height(10), 2);
  Point p;
  EXPECT_EQ(render(e, 10, 2, &p), "brown fox\njumps");
  EXPECT_EQ(p, (Point{5, 1}));
  e.handle(key(Key::Home, Mod::Ctrl));
  EXPECT_EQ(render(e, 10, 2, &p), "the quick\nbrown fox");
  EXPECT_EQ(p, (Point{0, 0}));
}

TEST(Editor, AClickMovesTheCursorAndShrinkingLeavesNoBlankRows) {
  EditorOptions o;
  o.max_visible_rows = 3;
  Editor e(o);
  e.set_text("one\ntwo\n你好 thre\nfour\nfive");
  Screen s(20, 10);
  auto c = s.canvas().sub(2, 5, 10, 3);
  e.draw(c);
  EXPECT_EQ(s.row_text(5), "  你好 thre");
  EXPECT_EQ(e.handle(MouseEvent{MouseAction::Press, MouseButton::Left, 5, 5, Mod::None}).kind,
            Kind::Handled);  // the right half of 好: the cursor goes before it
  e.draw(c);
  EXPECT_EQ(*e.cursor_position(), (Point{4, 5}));
  EXPECT_EQ(e.handle(MouseEvent{MouseAction::Press, MouseButton::Left, 0, 0, Mod::None}).kind,
            Kind::Ignored);  // outside
  e.set_text("x");
  Screen t(20, 10);
  auto d = t.canvas().sub(2, 5, 10, 3);
  e.draw(d);
  EXPECT_EQ(t.row_text(5), "  x");
}

TEST(Editor, ShowsThePlaceholderWhenEmpty) {
  EditorOptions o;
  o.placeholder = "Type a message\x1b[31m";
  Editor e(o);
  EXPECT_EQ(render(e, 40, 1), "Type a message\u241B[31m");
  e.handle(type("x"));
  EXPECT_EQ(render(e, 40, 1), "x");
}

TEST(Editor, FixedScreens) {
  Editor e;
  e.set_text(
      "Line one is long enough to wrap on a forty column screen\nshort\n\U0001F44D\U0001F3FD ok");
  Screen big(80, 24);
  auto c = big.canvas().sub(0, 20, 80, 4);
  e.draw(c);
  EXPECT_EQ(big.row_text(20), "Line one is long enough to wrap on a forty column screen");
  EXPECT_EQ(big.row_text(21), "short");
  EXPECT_EQ(big.row_text(22), "\U0001F44D\U0001F3FD ok");
  EXPECT_EQ(*e.cursor_position(), (Point{5, 22}));
  Screen small(40, 12);
  auto d = small.canvas().sub(0, 9, 40, 3);
  e.draw(d);
  EXPECT_EQ(small.row_text(9), "forty column screen");  // row 1 of line 1 scrolled off
  EXPECT_EQ(small.row_text(10), "short");
  EXPECT_EQ(small.row_text(11), "\U0001F44D\U0001F3FD ok");
}

TEST(Editor, LargePasteIsOneEditAndDrawsOnlyVisibleRows) {
  std::string big;
  for (int i = 0; i < 2000; ++i) big += "line " + std::to_string(i) + " of a large paste\n";
  ASSERT_GT(big.size(), 40000u);
  Editor e;
  e.handle(PasteEvent{big});
  EXPECT_EQ(e.text(), big);
  EXPECT_EQ(render(e, 80, 3), "line 1998 of a large paste\nline 1999 of a large paste\n");
  EXPECT_TRUE(e.can_undo());
  e.undo();
  EXPECT_TRUE(e.empty());
}

TEST(QueuedList, DrawsEntriesAndReportsCancelClicks) {
  QueuedList q;
  q.set_items({"first queued", "second\x1b]0;x\x07"});
  Screen s(40, 12);
  auto c = s.canvas().sub(0, 5, 40, 2);
  q.draw(c);
  EXPECT_EQ(s.row_text(5), "\u23F3 queued: first queued \u2715");
  EXPECT_EQ(s.row_text(6), "\u23F3 queued: second\u241B]0;x\u2407 \u2715");
  const int x = 2 + 9 + 12 + 1;  // ⏳ is wide
  EXPECT_EQ(q.handle(MouseEvent{MouseAction::Press, MouseButton::Left, x, 5, Mod::None}), 0u);
  EXPECT_EQ(q.handle(MouseEvent{MouseAction::Press, MouseButton::Left, 0, 5, Mod::None}),
            std::nullopt);
}

}  // namespace
