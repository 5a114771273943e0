// The thread sidebar (filter, selection, rename, archive, delete confirmation, 10,000 threads),
// the command palette (fuzzy filter, run, close) and the help overlay, on fixed screens.

#include <gtest/gtest.h>

#include <string>

#include "aui/tui/command_palette.hpp"
#include "aui/tui/thread_sidebar.hpp"

namespace {

using aui::tui::CommandPalette;
using aui::tui::HelpOverlay;
using aui::tui::Key;
using aui::tui::KeyEvent;
using aui::tui::Mod;
using aui::tui::MouseAction;
using aui::tui::MouseButton;
using aui::tui::MouseEvent;
using aui::tui::PaletteAction;
using aui::tui::PaletteOutcome;
using aui::tui::Screen;
using aui::tui::SidebarOutcome;
using aui::tui::TextEvent;
using aui::tui::ThreadEntry;
using aui::tui::ThreadSidebar;
using SK = SidebarOutcome::Kind;
using PK = PaletteOutcome::Kind;

KeyEvent key(Key k, Mod m = Mod::None) { return KeyEvent{k, m, 0}; }

template <typename C>
std::string render(C& c, int w, int h) {
  Screen s(w, h);
  auto canvas = s.canvas();
  c.draw(canvas);
  return s.text();
}

std::vector<ThreadEntry> sample() {
  return {{"t1", "Sourdough starter", false, false},
          {"t2", "Trip plans \xE4\xBD\xA0\xE5\xA5\xBD\xE4\xB8\x96\xE7\x95\x8C", true, false},
          {"t3", "Old notes", false, true},
          {"t4", "evil\x1b]0;pwned\x07\xE2\x80\xAEtxt.exe", false, false}};
}

TEST(ThreadSidebar, RendersAt40x12WithMarkersAndHostileTitles) {
  ThreadSidebar s;
  s.set_threads(sample());
  EXPECT_EQ(render(s, 40, 12), R"(⌕ / to search
────────────────────────────────────────
  Sourdough starter
● Trip plans 你好世界
  Old notes [archived]
  evil␛]0;pwned␇⟨U+202E⟩txt.exe





)");
  Screen big(80, 24);
  auto c = big.canvas();
  s.draw(c);
  EXPECT_EQ(big.row_text(0), "\u2315 / to search");
  EXPECT_EQ(big.row_text(5), "  evil\u241B]0;pwned\u2407\u27E8U+202E\u27E9txt.exe");
  EXPECT_EQ(big.row_text(6), "");
  EXPECT_EQ(big.text().find('\x1b'), std::string::npos);
}

TEST(ThreadSidebar, ShowsTheNumbersTheAppGives) {
  ThreadSidebar s;
  auto threads = sample();
  threads[0].number = 12;
  threads[2].number = 3;
  s.set_threads(threads);
  Screen screen(40, 12);
  auto c = screen.canvas();
  s.draw(c);
  EXPECT_EQ(screen.row_text(2), "  12 Sourdough starter");
  EXPECT_EQ(screen.row_text(3), "● Trip plans 你好世界");
  EXPECT_EQ(screen.row_text(4), "  3 Old notes [archived]");
}

TEST(ThreadSidebar, FiltersAsYouTypeAndTakesFullTextHits) {
  ThreadSidebar s;
  s.set_threads(sample());
  auto out = s.handle(TextEvent{"/"});
  EXPECT_EQ(out.kind, SK::Handled);
  out = s.handle(TextEvent{"SOUR"});
  EXPECT_EQ(out.kind, SK::Search);
  EXPECT_EQ(out.text, "SOUR");
  ASSERT_EQ(s.visible().size(), 1u);
  EXPECT_EQ(s.selected_id(), "t1");
  s.set_search_hits(std::vector<std::string>{"t3"});  // the store found it in a message
  EXPECT_EQ(s.visible().size(), 2u);
  s.handle(key(Key::Down));
  EXPECT_EQ(s.handle(key(Key::Enter)).thread_id, "t3");
  s.handle(key(Key::Escape));        // leaves the field
  out = s.handle(key(Key::Escape));  // clears the search
  EXPECT_EQ(out.kind, SK::Search);
  EXPECT_EQ(s.visible().size(), 4u);
  EXPECT_EQ(s.handle(key(Key::Escape)).kind, SK::Close);
  // CJK inside a longer run.
  s.handle(TextEvent{"/"});
  s.handle(TextEvent{"\xE4\xBD\xA0\xE5\xA5\xBD"});
  ASSERT_EQ(s.visible().size(), 1u);
  EXPECT_EQ(s.selected_id(), "t2");
}

TEST(ThreadSidebar, SlashAndTheWordsAfterItInOneEventSearchForTheWords) {
  ThreadSidebar s;
  s.set_threads(sample());
  // Typed fast (or sent by tmux at once), "/" and the query arrive as one text event.
  const auto out = s.handle(TextEvent{"/SOUR"});
  EXPECT_EQ(out.kind, SK::Search);
  EXPECT_EQ(out.text, "SOUR");
  EXPECT_EQ(s.query(), "SOUR");
  EXPECT_EQ(s.selected_id(), "t1");
}

TEST(ThreadSidebar, ActionsOnTheSelectedThread) {
  ThreadSidebar s;
  s.set_threads(sample());
  EXPECT_EQ(s.handle(key(Key::Enter)).thread_id, "t1");
  EXPECT_EQ(s.handle(TextEvent{"n"}).kind, SK::New);
  s.handle(key(Key::Down));
  s.handle(key(Key::Down));
  auto out = s.handle(TextEvent{"a"});
  EXPECT_EQ(out.kind, SK::Unarchive);
  EXPECT_EQ(out.thread_id, "t3");
  s.handle(key(Key::Up));
  EXPECT_EQ(s.handle(TextEvent{"a"}).kind, SK::Archive);
  // Rename inline.
  s.handle(TextEvent{"r"});
  EXPECT_TRUE(s.renaming());
  s.handle(KeyEvent{Key::Char, Mod::Ctrl, U'u'});
  s.handle(TextEvent{"Japan trip"});
  out = s.handle(key(Key::Enter));
  EXPECT_EQ(out.kind, SK::Rename);
  EXPECT_EQ(out.thread_id, "t2");
  EXPECT_EQ(out.text, "Japan trip");
  s.handle(TextEvent{"r"});
  EXPECT_EQ(s.handle(key(Key::Escape)).kind, SK::Handled);
  EXPECT_FALSE(s.renaming());
}

TEST(ThreadSidebar, SelectionFollowsItsThreadWhenTheListChanges) {
  ThreadSidebar s;
  s.set_threads(sample());
  s.handle(key(Key::Down));
  s.handle(key(Key::Down));
  EXPECT_EQ(s.selected_id(), "t3");
  auto list = sample();
  list.insert(list.begin(), ThreadEntry{"t0", "Newest", true, false});
  s.set_threads(list);
  EXPECT_EQ(s.selected_id(), "t3");
}

TEST(ThreadSidebar, DeleteAsksFirst) {
  ThreadSidebar s;
  s.set_threads(sample());
  EXPECT_EQ(s.handle(TextEvent{"d"}).kind, SK::Handled);
  EXPECT_TRUE(s.confirming_delete());
  Screen screen(40, 12);
  auto c = screen.canvas();
  s.draw(c);
  EXPECT_EQ(screen.row_text(2), "Delete \u201CSourdough starter\u201D? y/n");
  EXPECT_EQ(s.handle(TextEvent{"x"}).kind, SK::Handled);  // kept
  EXPECT_FALSE(s.confirming_delete());
  s.handle(key(Key::Delete));
  auto out = s.handle(TextEvent{"y"});
  EXPECT_EQ(out.kind, SK::Delete);
  EXPECT_EQ(out.thread_id, "t1");
}

TEST(ThreadSidebar, MouseSelectsThenOpens) {
  ThreadSidebar s;
  s.set_threads(sample());
  Screen screen(40, 12);
  auto c = screen.canvas().sub(0, 0, 30, 12);
  s.draw(c);
  EXPECT_EQ(s.handle(MouseEvent{MouseAction::Press, MouseButton::Left, 3, 3, Mod::None}).kind,
            SK::Handled);
  EXPECT_EQ(s.selected_id(), "t2");
  auto out = s.handle(MouseEvent{MouseAction::Press, MouseButton::Left, 3, 3, Mod::None});
  EXPECT_EQ(out.kind, SK::Open);
  EXPECT_EQ(out.thread_id, "t2");
  EXPECT_EQ(s.handle(MouseEvent{MouseAction::Press, MouseButton::Left, 35, 3, Mod::None}).kind,
            SK::Ignored);  // outside the sidebar
}

TEST(ThreadSidebar, TenThousandThreadsDrawOnlyTheVisibleRows) {
  std::vector<ThreadEntry> many;
  for (int i = 0; i < 10000; ++i) {
    many.push_back({"id" + std::to_string(i), "Thread number " + std::to_string(i), false, false});
  }
  ThreadSidebar s;
  s.set_threads(std::move(many));
  s.handle(key(Key::End));
  Screen screen(30, 12);
  auto c = screen.canvas();
  s.draw(c);
  EXPECT_EQ(screen.row_text(11), "  Thread number 9999");
  EXPECT_EQ(screen.row_text(2), "  Thread number 9990");
  s.handle(key(Key::PageUp));
  EXPECT_EQ(s.selected_id(), "id9989");
  s.handle(TextEvent{"/"});
  s.handle(TextEvent{"number 42"});
  EXPECT_EQ(s.visible().size(), 111u);  // 42, 420–429, 4200–4299
  s.set_threads({});
  EXPECT_EQ(render(s, 30, 4),
            "\u2315 number "
            "42\n\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500"
            "\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500"
            "\u2500\u2500\u2500\n No threads yet\n");
}

std::vector<PaletteAction> actions() {
  return {{"regenerate", "Regenerate reply", "Ctrl-R", "Ask the model again"},
          {"new_thread", "New thread", "Ctrl-N", "Start an empty conversation"},
          {"toggle_sidebar", "Toggle sidebar", "Ctrl-B", "Show or hide the thread list"},
          {"copy", "Copy message", "y", "Copy the focused message to the clipboard"},
          {"quit", "Quit", "Ctrl-Q", ""}};
}

TEST(FuzzyScore, SubstringBeatsScatteredAndWordStartsBeatMiddles) {
  EXPECT_EQ(aui::tui::fuzzy_score("", "x"), 0);
  EXPECT_FALSE(aui::tui::fuzzy_score("zz", "Regenerate"));
  EXPECT_GT(*aui::tui::fuzzy_score("gen", "Regenerate"),
            *aui::tui::fuzzy_score("rgn", "Regenerate"));
  EXPECT_GT(*aui::tui::fuzzy_score("side", "Toggle sidebar"),
            *aui::tui::fuzzy_score("ideb", "Toggle sidebar"));
  EXPECT_TRUE(aui::tui::fuzzy_score("tgsb", "Toggle sidebar"));
}

TEST(CommandPalette, FiltersRunsAndCloses) {
  CommandPalette p(actions());
  EXPECT_EQ(p.matches().size(), 5u);
  p.handle(TextEvent{"th"});
  ASSERT_FALSE(p.matches().empty());
  EXPECT_EQ(p.selected_id(), "new_thread");  // substring "th" in "New thread"
  p.handle(TextEvent{"read list"});          // no name has it: the description does
  EXPECT_EQ(p.selected_id(), "toggle_sidebar");
  p.reset();
  p.handle(TextEvent{"rgn"});
  EXPECT_EQ(p.selected_id(), "regenerate");
  auto out = p.handle(key(Key::Enter));
  EXPECT_EQ(out.kind, PK::Run);
  EXPECT_EQ(out.action_id, "regenerate");
  p.reset();
  p.handle(TextEvent{"clipboard"});
  EXPECT_EQ(p.selected_id(), "copy");  // found by its description
  EXPECT_EQ(p.handle(key(Key::Escape)).kind, PK::Closed);
}

TEST(CommandPalette, RendersAt80x24And40x12) {
  CommandPalette p(actions());
  p.handle(key(Key::Down));
  EXPECT_EQ(render(p, 80, 24), R"(

  ┌─ Commands ───────────────────────────────────────────────────────────────┐
  │ > Type to filter actions                                                 │
  ├──────────────────────────────────────────────────────────────────────────┤
  │ Regenerate reply  Ask the model again                             Ctrl-R │
  │ New thread  Start an empty conversation                           Ctrl-N │
  │ Toggle sidebar  Show or hide the thread list                      Ctrl-B │
  │ Copy message  Copy the focused message to the clipboard                y │
  │ Quit                                                              Ctrl-Q │
  └──────────────────────────────────────────────────────────────────────────┘












)");
  p.handle(TextEvent{"t"});
  EXPECT_EQ(render(p, 40, 12), R"(┌─ Commands ───────────────────────────┐
│ > t                                  │
├──────────────────────────────────────┤
│ Toggle sidebar  Show or hide… Ctrl-B │
│ New thread  Start an empty c… Ctrl-N │
│ Quit                          Ctrl-Q │
│ Regenerate reply  Ask the mo… Ctrl-R │
│ Copy message  Copy the focused me… y │
└──────────────────────────────────────┘


)");
}

TEST(HelpOverlay, ListsKeysAndCloses) {
  HelpOverlay h(actions());
  EXPECT_EQ(render(h, 40, 12), R"(

┌─ Keys ───────────────────────────────┐
│ Ctrl-R  Regenerate reply — Ask the … │
│ Ctrl-N  New thread — Start an empty… │
│ Ctrl-B  Toggle sidebar — Show or hi… │
│ y       Copy message — Copy the foc… │
│ Ctrl-Q  Quit                         │
│ Esc closes                           │
└──────────────────────────────────────┘

)");
  EXPECT_EQ(h.handle(TextEvent{"x"}).kind, PK::Handled);
  EXPECT_EQ(h.handle(key(Key::F1)).kind, PK::Closed);
  EXPECT_EQ(h.handle(TextEvent{"?"}).kind, PK::Closed);
}

}  // namespace
