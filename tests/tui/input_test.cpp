// Terminal input decoding: keys, text, pastes, mouse, focus — the same events however the bytes
// are split across reads.

#include "aui/tui/input.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace aui::tui {
// Readable failures.
void PrintTo(const InputEvent& e, std::ostream* os) {
  if (auto* k = std::get_if<KeyEvent>(&e)) {
    *os << "Key{" << int(k->key) << ", mods " << int(k->mods) << ", ch " << uint32_t(k->ch) << "}";
  } else if (auto* t = std::get_if<TextEvent>(&e)) {
    *os << "Text{" << testing::PrintToString(t->text) << "}";
  } else if (auto* p = std::get_if<PasteEvent>(&e)) {
    *os << "Paste{" << p->text.size() << " bytes}";
  } else if (auto* m = std::get_if<MouseEvent>(&e)) {
    *os << "Mouse{action " << int(m->action) << ", button " << int(m->button) << ", " << m->x << ","
        << m->y << ", mods " << int(m->mods) << "}";
  } else if (auto* f = std::get_if<FocusEvent>(&e)) {
    *os << "Focus{" << f->focused << "}";
  }
}
}  // namespace aui::tui

namespace {

using namespace aui::tui;
using Clock = InputDecoder::Clock;
using Events = std::vector<InputEvent>;

const Clock::time_point t0{};

KeyEvent key(Key k, Mod m = Mod::None) { return KeyEvent{k, m, 0}; }
KeyEvent ch(char32_t c, Mod m) { return KeyEvent{Key::Char, m, c}; }
TextEvent text(std::string s) { return TextEvent{std::move(s)}; }

// Adjacent text events joined: how text is grouped depends on the reads, what it says must not.
Events normalized(const Events& in) {
  Events out;
  for (const auto& e : in) {
    if (auto* t = std::get_if<TextEvent>(&e); t && !out.empty()) {
      if (auto* last = std::get_if<TextEvent>(&out.back())) {
        last->text += t->text;
        continue;
      }
    }
    out.push_back(e);
  }
  return out;
}

Events decode(const std::string& bytes) {
  InputDecoder d;
  Events out;
  d.feed(bytes, t0, out);
  d.flush_pending(t0 + std::chrono::seconds(1), out);
  return normalized(out);
}

// The events of `bytes` fed whole, split in two at every byte, and one byte at a time, are equal.
void expect_split_invariant(const std::string& bytes, const Events& want) {
  EXPECT_EQ(decode(bytes), want) << "whole";
  for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
    InputDecoder d;
    Events out;
    d.feed(bytes.substr(0, cut), t0, out);
    d.feed(bytes.substr(cut), t0 + std::chrono::milliseconds(1), out);
    d.flush_pending(t0 + std::chrono::seconds(1), out);
    EXPECT_EQ(normalized(out), want) << "cut at " << cut;
  }
  InputDecoder d;
  Events out;
  for (std::size_t i = 0; i < bytes.size(); ++i) d.feed(bytes.substr(i, 1), t0, out);
  d.flush_pending(t0 + std::chrono::seconds(1), out);
  EXPECT_EQ(normalized(out), want) << "byte by byte";
}

TEST(Input, TextIsGroupedAndUtf8Aware) {
  expect_split_invariant("hello 你好 😀 e\u0301", {text("hello 你好 😀 e\u0301")});
  expect_split_invariant(
      "a\xff"
      "b",
      {text("a\uFFFD"
            "b")});
}

TEST(Input, ControlKeys) {
  expect_split_invariant(
      std::string("\r\t\x7f\x03\x01\n\x08\x00\x1c", 9),
      Events{key(Key::Enter), key(Key::Tab), key(Key::Backspace), ch(U'c', Mod::Ctrl),
             ch(U'a', Mod::Ctrl), ch(U'j', Mod::Ctrl), key(Key::Backspace, Mod::Ctrl),
             ch(U' ', Mod::Ctrl), ch(U'\\', Mod::Ctrl)});
}

TEST(Input, ArrowsHomeEndInCsiAndSs3Forms) {
  expect_split_invariant(
      "\x1b[A\x1b[B\x1b[C\x1b[D\x1b[H\x1b[F\x1bOA\x1bOD\x1bOH\x1bOF",
      Events{key(Key::Up), key(Key::Down), key(Key::Right), key(Key::Left), key(Key::Home),
             key(Key::End), key(Key::Up), key(Key::Left), key(Key::Home), key(Key::End)});
}

TEST(Input, ModifierParameters) {
  expect_split_invariant(
      "\x1b[1;5A\x1b[1;2B\x1b[1;3C\x1b[1;6D\x1b[1;9H\x1b[3;5~\x1b[5;2~",
      Events{key(Key::Up, Mod::Ctrl), key(Key::Down, Mod::Shift), key(Key::Right, Mod::Alt),
             key(Key::Left, Mod::Ctrl | Mod::Shift), key(Key::Home, Mod::Alt),
             key(Key::Delete, Mod::Ctrl), key(Key::PageUp, Mod::Shift)});
}

TEST(Input, TildeKeysAndFunctionKeys) {
  expect_split_invariant(
      "\x1b[2~\x1b[3~\x1b[5~\x1b[6~\x1b[1~\x1b[4~\x1bOP\x1bOQ\x1bOR\x1bOS\x1b[15~\x1b[17~\x1b[18~"
      "\x1b[19~\x1b[20~\x1b[21~\x1b[23~\x1b[24~\x1b[1;5P\x1b[Z",
      Events{key(Key::Insert),
             key(Key::Delete),
             key(Key::PageUp),
             key(Key::PageDown),
             key(Key::Home),
             key(Key::End),
             key(Key::F1),
             key(Key::F2),
             key(Key::F3),
             key(Key::F4),
             key(Key::F5),
             key(Key::F6),
             key(Key::F7),
             key(Key::F8),
             key(Key::F9),
             key(Key::F10),
             key(Key::F11),
             key(Key::F12),
             key(Key::F1, Mod::Ctrl),
             key(Key::BackTab)});
}

TEST(Input, AltKeys) {
  expect_split_invariant(
      "\x1b"
      "x\x1b"
      "X\x1b\r\x1b\x7f\x1b\xc3\xa9",
      Events{ch(U'x', Mod::Alt), ch(U'x', Mod::Alt | Mod::Shift), key(Key::Enter, Mod::Alt),
             key(Key::Backspace, Mod::Alt), ch(U'\u00e9', Mod::Alt)});
}

TEST(Input, ModifyOtherKeysAndKittyReports) {
  expect_split_invariant("\x1b[27;5;13~\x1b[13;2u\x1b[99;5u\x1b[97u",
                         Events{key(Key::Enter, Mod::Ctrl), key(Key::Enter, Mod::Shift),
                                ch(U'c', Mod::Ctrl), text("a")});
}

TEST(Input, LoneEscapeWaitsForItsTimeoutDrivenByTheCaller) {
  InputDecoder d(InputOptions{std::chrono::milliseconds(30)});
  Events out;
  d.feed("\x1b", t0, out);
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(d.pending_deadline());
  EXPECT_EQ(*d.pending_deadline(), t0 + std::chrono::milliseconds(30));
  d.flush_pending(t0 + std::chrono::milliseconds(29), out);
  EXPECT_TRUE(out.empty()) << "not before the deadline";
  d.flush_pending(t0 + std::chrono::milliseconds(30), out);
  EXPECT_EQ(out, (Events{key(Key::Escape)}));
  EXPECT_FALSE(d.pending_deadline());
  // ESC then '[' typed by hand, slowly: Esc, then the text.
  out.clear();
  d.feed("\x1b[", t0, out);
  d.flush_pending(t0 + std::chrono::milliseconds(50), out);
  EXPECT_EQ(normalized(out), (Events{key(Key::Escape), text("[")}));
  // Esc pressed twice.
  EXPECT_EQ(decode("\x1b\x1b"), (Events{key(Key::Escape), key(Key::Escape)}));
}

TEST(Input, BracketedPasteIsOneEvent) {
  const std::string body = "line one\r\nline two\rthree\x1b[A not a key\ttab";
  expect_split_invariant(
      "x\x1b[200~" + body + "\x1b[201~y",
      Events{text("x"), PasteEvent{"line one\nline two\nthree\x1b[A not a key\ttab"}, text("y")});
  EXPECT_EQ(decode("\x1b[200~\x1b[201~"), (Events{PasteEvent{""}}));
}

TEST(Input, ALargePasteAcrossManyReads) {
  std::string body;
  for (int i = 0; i < 2000; ++i) body += "line " + std::to_string(i) + " of a large paste\n";
  ASSERT_GT(body.size(), 40000u);
  body += body;  // > 80 kB
  const std::string bytes = "\x1b[200~" + body + "\x1b[201~";
  InputDecoder d;
  Events out;
  for (std::size_t i = 0; i < bytes.size(); i += 4093) d.feed(bytes.substr(i, 4093), t0, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(std::get<PasteEvent>(out[0]).text, body);
  EXPECT_FALSE(d.in_paste());
  EXPECT_FALSE(d.pending_deadline()) << "a paste waits for input, not for a timeout";
}

TEST(Input, PasteLongerThanTheLimitIsCut) {
  InputOptions options;
  options.max_paste_bytes = 10;
  InputDecoder d(options);
  Events out;
  d.feed("\x1b[200~" + std::string(100, 'a'), t0, out);
  d.feed(std::string(100, 'b') + "\x1b[20", t0, out);
  d.feed("1~z", t0, out);
  EXPECT_EQ(normalized(out), (Events{PasteEvent{std::string(10, 'a')}, text("z")}));
}

TEST(Input, SgrMouse) {
  MouseEvent press{MouseAction::Press, MouseButton::Left, 9, 4, Mod::None};
  MouseEvent release{MouseAction::Release, MouseButton::Left, 9, 4, Mod::None};
  MouseEvent drag{MouseAction::Drag, MouseButton::Left, 12, 5, Mod::None};
  MouseEvent wheel_up{MouseAction::Press, MouseButton::WheelUp, 0, 0, Mod::None};
  MouseEvent wheel_down{MouseAction::Press, MouseButton::WheelDown, 99, 199, Mod::Ctrl};
  MouseEvent right{MouseAction::Press, MouseButton::Right, 1, 1, Mod::Shift | Mod::Alt};
  MouseEvent move{MouseAction::Move, MouseButton::None, 3, 3, Mod::None};
  expect_split_invariant(
      "\x1b[<0;10;5M\x1b[<0;10;5m\x1b[<32;13;6M\x1b[<64;1;1M\x1b[<81;100;200M\x1b[<14;2;2M"
      "\x1b[<35;4;4M",
      Events{press, release, drag, wheel_up, wheel_down, right, move});
}

TEST(Input, X10Mouse) {
  const std::string bytes = std::string("\x1b[M") + char(32 + 0) + char(33 + 5) + char(33 + 2);
  EXPECT_EQ(decode(bytes), (Events{MouseEvent{MouseAction::Press, MouseButton::Left, 5, 2}}));
}

TEST(Input, FocusInAndOut) {
  expect_split_invariant("\x1b[I\x1b[O", Events{FocusEvent{true}, FocusEvent{false}});
}

TEST(Input, UnknownSequencesAreDroppedWhole) {
  // (CSI row;col R is also how F3 with modifiers arrives; this one says Shift.)
  expect_split_invariant("a\x1b[?1;2cb\x1b[12;34Rc\x1b[999~d",
                         Events{text("ab"), key(Key::F3, Mod::Shift), text("cd")});
  // An endless parameter string is garbage and does not hold the input back.
  const auto out = decode("\x1b[" + std::string(200, '1') + "x");
  ASSERT_FALSE(out.empty());
}

TEST(Input, RandomBytesNeverStallAndAlwaysResolve) {
  unsigned seed = 3;
  for (int round = 0; round < 500; ++round) {
    std::string bytes;
    for (int i = 0; i < 30; ++i) {
      seed = seed * 1103515245u + 12345u;
      static constexpr char kBytes[] = {'\x1b', '[', 'O', '<', ';',    '1',    'M',  'm', '~',
                                        'A',    '2', '0', 'a', '\xc3', '\xa9', '\r', 'u', '\x7f'};
      bytes.push_back(kBytes[(seed >> 16) % sizeof kBytes]);
    }
    InputDecoder d;
    Events out;
    d.feed(bytes, t0, out);
    for (int k = 1; k < 40 && d.pending_deadline(); ++k) {
      d.flush_pending(t0 + std::chrono::seconds(k), out);
    }
    EXPECT_FALSE(d.pending_deadline() && !d.in_paste()) << testing::PrintToString(bytes);
  }
}

}  // namespace
