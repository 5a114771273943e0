// Dialogs, the status line and suggestion chips: fixed screens compared as text, keys, and
// hostile text shown as visible replacements.

#include "aui/tui/dialogs.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "aui/tui/status_line.hpp"
#include "aui/tui/suggestion_chips.hpp"

namespace {

using aui::tui::ChoiceDialog;
using aui::tui::DialogOutcome;
using aui::tui::HumanToolForm;
using aui::tui::Key;
using aui::tui::KeyEvent;
using aui::tui::Mod;
using aui::tui::MouseAction;
using aui::tui::MouseButton;
using aui::tui::MouseEvent;
using aui::tui::PasteEvent;
using aui::tui::Screen;
using aui::tui::StatusInfo;
using aui::tui::StatusLine;
using aui::tui::SuggestionChips;
using aui::tui::TextEvent;
using Kind = DialogOutcome::Kind;
using namespace std::chrono_literals;

KeyEvent key(Key k, Mod m = Mod::None) { return KeyEvent{k, m, 0}; }

template <typename C>
std::string render(C& c, int w, int h) {
  Screen s(w, h);
  auto canvas = s.canvas();
  c.draw(canvas);
  return s.text();
}

TEST(ApprovalDialog, RendersAt80x24And40x12) {
  auto d = aui::tui::make_approval_dialog("weather", "{\"city\": \"Paris\"}");
  EXPECT_EQ(render(d, 80, 24), R"(







    ┌─ Allow the tool “weather” to run? ───────────────────────────────────┐
    │ Arguments:                                                           │
    │ {"city": "Paris"}                                                    │
    │ Reason for denying (optional):                                       │
    │                                                                      │
    │ [ Allow once (y) ] [ Always allow (a) ] [ Deny (n) ]                 │
    └──────────────────────────────────────────────────────────────────────┘








)");
  EXPECT_EQ(render(d, 40, 12), R"(

┌─ Allow the tool “weather” to run? ───┐
│ Arguments:                           │
│ {"city": "Paris"}                    │
│ Reason for denying (optional):       │
│                                      │
│ [ Allow once (y) ]                   │
│ [ Always allow (a) ] [ Deny (n) ]    │
└──────────────────────────────────────┘

)");
}

TEST(ApprovalDialog, KeysChooseAndTheReasonFieldTakesTyping) {
  auto d = aui::tui::make_approval_dialog("weather", "{}");
  EXPECT_EQ(d.handle(TextEvent{"y"}).button, "allow_once");
  EXPECT_EQ(d.handle(TextEvent{"A"}).button, "allow_always");
  auto deny = d.handle(TextEvent{"n"});
  EXPECT_EQ(deny.kind, Kind::Chosen);
  EXPECT_EQ(deny.button, "deny");
  EXPECT_EQ(deny.input, "");
  EXPECT_EQ(d.handle(key(Key::Right)).kind, Kind::Handled);
  EXPECT_EQ(d.focused_button(), 1u);
  EXPECT_EQ(d.handle(key(Key::Enter)).button, "allow_always");
  // Other typing goes to the reason field; Enter there denies with the reason.
  d.handle(TextEvent{"too "});
  d.handle(PasteEvent{"risky\nnow"});
  EXPECT_FALSE(d.focused_button());
  EXPECT_EQ(d.handle(TextEvent{"y"}).kind, Kind::Handled);  // a letter in the field is text
  auto out = d.handle(key(Key::Enter));
  EXPECT_EQ(out.button, "deny");
  EXPECT_EQ(out.input, "too risky nowy");
  EXPECT_EQ(d.handle(key(Key::Escape)).kind, Kind::Cancelled);
}

TEST(ApprovalDialog, ClickOnAButtonChoosesIt) {
  auto d = aui::tui::make_approval_dialog("weather", "{}");
  Screen s(80, 24);
  auto c = s.canvas();
  d.draw(c);
  // Find "[ Deny (n) ]" on screen.
  for (int y = 0; y < 24; ++y) {
    const std::string row = s.row_text(y);
    const auto at = row.find("[ Deny");
    if (at == std::string::npos) continue;
    // Columns: every character before it on this row is one column wide except the box's.
    int x = 0;
    for (int cx = 0; cx < 80; ++cx) {
      if (s.at(cx, y).text == "[" && s.at(cx + 2, y).text == "D") x = cx;
    }
    auto out = d.handle(MouseEvent{MouseAction::Press, MouseButton::Left, x + 1, y, Mod::None});
    EXPECT_EQ(out.button, "deny");
    return;
  }
  FAIL() << s.text();
}

TEST(ChoiceDialog, HostileTitleAndBodyAreShownAsReplacements) {
  auto d = aui::tui::make_approval_dialog("evil\x1b]0;pwned\x07",
                                          "\x1b[2J\u202Egnp.exe\u009B"
                                          "31m");
  const std::string text = render(d, 80, 24);
  EXPECT_NE(text.find("evil\u241B]0;pwned\u2407"), std::string::npos) << text;
  EXPECT_NE(text.find("\u241B[2J\u27E8U+202E\u27E9gnp.exe"), std::string::npos) << text;
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
}

TEST(ConfirmDialog, CancelIsFocusedAndKeysWork) {
  auto d = aui::tui::make_confirm_dialog("Delete thread?",
                                         "\u201CTrip plans\u201D will be deleted.", "Delete");
  EXPECT_EQ(d.handle(key(Key::Enter)).button, "cancel");
  EXPECT_EQ(d.handle(TextEvent{"y"}).button, "confirm");
  EXPECT_EQ(render(d, 40, 12), R"(


┌─ Delete thread? ─────────────────────┐
│ “Trip plans” will be deleted.        │
│                                      │
│ [ Delete (y) ] [ Cancel (n) ]        │
└──────────────────────────────────────┘



)");
}

TEST(HumanToolForm, SubmitsTheAnswer) {
  HumanToolForm f("Question from the tool", "What is your name?");
  f.handle(TextEvent{"Ada"});
  f.handle(KeyEvent{Key::Enter, Mod::Alt, 0});
  f.handle(TextEvent{"L."});
  EXPECT_EQ(render(f, 40, 12), R"(

┌─ Question from the tool ─────────────┐
│ What is your name?                   │
│                                      │
│ Ada                                  │
│ L.                                   │
│ Enter submits · Alt-Enter new line … │
└──────────────────────────────────────┘


)");
  auto out = f.handle(key(Key::Enter));
  EXPECT_EQ(out.kind, Kind::Chosen);
  EXPECT_EQ(out.input, "Ada\nL.");
  EXPECT_EQ(f.handle(key(Key::Escape)).kind, Kind::Cancelled);
}

TEST(StatusLine, ShowsModelTitleSpinnerUsageAndSpeed) {
  StatusLine s;
  const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
  StatusInfo i;
  i.provider = "openai";
  i.model = "gpt-4o-mini";
  i.thread_title = "Trip \x1b[31mplans";
  i.running = true;
  i.run_started = t0;
  i.input_tokens = 1234;
  i.output_tokens = 56;
  i.first_token_seconds = 0.84;
  i.tokens_per_second = 41.6;
  s.set_info(i);
  Screen screen(80, 1);
  auto c = screen.canvas();
  s.draw(c, t0 + 12s + 300ms);
  EXPECT_EQ(screen.text(),
            " openai · gpt-4o-mini │ Trip ␛[31mplans        ⠸ 12s │ ↑1.2k ↓56 tok │ 42 tok/s");
  Screen narrow(40, 1);
  auto n = narrow.canvas();
  s.draw(n, t0 + 125s);
  EXPECT_EQ(narrow.text(), " openai · gpt-4o-mini │ Trip … ⠋ 2m 05s");
  s.set_message("Copied to the clipboard.", t0 + 130s);
  s.draw(c, t0 + 126s);
  EXPECT_NE(screen.text().find("Copied to the clipboard."), std::string::npos);
  s.draw(c, t0 + 131s);
  EXPECT_EQ(screen.text().find("Copied"), std::string::npos);
}

TEST(StatusLine, Formats) {
  EXPECT_EQ(StatusLine::format_elapsed(5s), "5s");
  EXPECT_EQ(StatusLine::format_elapsed(185s), "3m 05s");
  EXPECT_EQ(StatusLine::format_elapsed(3720s), "1h 02m");
  EXPECT_EQ(StatusLine::format_count(950), "950");
  EXPECT_EQ(StatusLine::format_count(1234), "1.2k");
  EXPECT_EQ(StatusLine::format_count(34567), "34k");
  EXPECT_EQ(StatusLine::format_count(1500000), "1.5M");
}

TEST(SuggestionChips, PickByKeysAndMouse) {
  SuggestionChips chips;
  chips.set_items({"Tell me more", "Summarize", "Why\x1b[2J?"});
  EXPECT_EQ(render(chips, 80, 1), " 1 Tell me more   2 Summarize   3 Why␛[2J?");
  EXPECT_EQ(chips.handle(key(Key::Right)).kind, SuggestionChips::Outcome::Kind::Handled);
  auto p = chips.handle(key(Key::Enter));
  EXPECT_EQ(p.kind, SuggestionChips::Outcome::Kind::Picked);
  EXPECT_EQ(p.index, 1u);
  EXPECT_EQ(chips.handle(KeyEvent{Key::Char, Mod::Alt, U'3'}).index, 2u);
  EXPECT_EQ(chips.handle(KeyEvent{Key::Char, Mod::Alt, U'4'}).kind,
            SuggestionChips::Outcome::Kind::Ignored);
  chips.handle(key(Key::Right));  // back to the first: it is in view again
  render(chips, 40, 1);
  auto click = chips.handle(MouseEvent{MouseAction::Press, MouseButton::Left, 2, 0, Mod::None});
  EXPECT_EQ(click.kind, SuggestionChips::Outcome::Kind::Picked);
  EXPECT_EQ(click.index, 0u);
}

}  // namespace
