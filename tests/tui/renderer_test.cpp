// The diff renderer, checked against libvterm (a real terminal emulator): whatever sequence of
// frames it renders, the emulator ends up showing exactly the last screen, in few bytes.

#include "aui/tui/renderer.hpp"

#include <gtest/gtest.h>
#include <vterm.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "aui/tui/text_width.hpp"

namespace {

using aui::tui::Attr;
using aui::tui::Color;
using aui::tui::ColorMode;
using aui::tui::Point;
using aui::tui::Rect;
using aui::tui::Renderer;
using aui::tui::Screen;
using aui::tui::StringSink;
using aui::tui::Style;
using aui::tui::TerminalCaps;

}  // namespace

namespace aui::tui {
void PrintTo(const Point& p, std::ostream* os) { *os << "(" << p.x << ", " << p.y << ")"; }
}  // namespace aui::tui

namespace {

// A terminal emulator of a given size that the renderer's bytes are fed into.
class Emulator {
 public:
  Emulator(int width, int height) : vt_(vterm_new(height, width), &vterm_free) {
    vterm_set_utf8(vt_.get(), 1);
    screen_ = vterm_obtain_screen(vt_.get());
    vterm_screen_reset(screen_, 1);
  }
  void resize(int width, int height) { vterm_set_size(vt_.get(), height, width); }
  void feed(const std::string& bytes) { vterm_input_write(vt_.get(), bytes.data(), bytes.size()); }

  VTermScreenCell cell(int x, int y) const {
    VTermScreenCell c;
    vterm_screen_get_cell(screen_, VTermPos{y, x}, &c);
    return c;
  }
  std::string text(int x, int y) const {
    const VTermScreenCell c = cell(x, y);
    std::string out;
    for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && c.chars[i]; ++i) {
      aui::tui::append_utf8(out, static_cast<char32_t>(c.chars[i]));
    }
    return out.empty() ? " " : out;
  }
  Point cursor() const {
    VTermPos pos;
    vterm_state_get_cursorpos(vterm_obtain_state(vt_.get()), &pos);
    return Point{pos.col, pos.row};
  }

 private:
  std::unique_ptr<VTerm, decltype(&vterm_free)> vt_;
  VTermScreen* screen_;
};

// Whether libvterm's colour is `c` as the renderer sends it.
bool same_color(const VTermColor& v, Color c, bool background) {
  switch (c.kind()) {
    case Color::Kind::Default:
      return background ? VTERM_COLOR_IS_DEFAULT_BG(&v) : VTERM_COLOR_IS_DEFAULT_FG(&v);
    case Color::Kind::Basic:
    case Color::Kind::Indexed: return VTERM_COLOR_IS_INDEXED(&v) && v.indexed.idx == c.index();
    case Color::Kind::Rgb:
      return VTERM_COLOR_IS_RGB(&v) && v.rgb.red == c.red() && v.rgb.green == c.green() &&
             v.rgb.blue == c.blue();
  }
  return false;
}

// Every cell of the emulator equals the screen (text, width, colours, the attributes libvterm
// keeps: it has no dim) as a terminal with `caps` can show it: colours brought down to its
// mode, attributes it lacks left out.
::testing::AssertionResult shows(const Emulator& term, const Screen& s, const TerminalCaps& caps) {
  for (int y = 0; y < s.height(); ++y) {
    for (int x = 0; x < s.width(); ++x) {
      const auto& want = s.at(x, y);
      if (want.continuation()) continue;
      const VTermScreenCell got = term.cell(x, y);
      const std::string text = term.text(x, y);
      Style st = want.style;
      st.fg = aui::tui::downsample(st.fg, caps.colors);
      st.bg = aui::tui::downsample(st.bg, caps.colors);
      if (!caps.italic) st.attrs = st.attrs & ~Attr::Italic;
      if (!caps.strikethrough) st.attrs = st.attrs & ~Attr::Strikethrough;
      if (!caps.underline) st.attrs = st.attrs & ~Attr::Underline;
      const bool ok = text == want.text && got.width == want.width &&
                      same_color(got.fg, st.fg, false) && same_color(got.bg, st.bg, true) &&
                      !!got.attrs.bold == has(st.attrs, Attr::Bold) &&
                      !!got.attrs.italic == has(st.attrs, Attr::Italic) &&
                      !!got.attrs.underline == has(st.attrs, Attr::Underline) &&
                      !!got.attrs.reverse == has(st.attrs, Attr::Reverse) &&
                      !!got.attrs.strike == has(st.attrs, Attr::Strikethrough);
      if (!ok) {
        return ::testing::AssertionFailure()
               << "cell " << x << "," << y << ": terminal shows \"" << text << "\" width "
               << int(got.width) << ", screen has \"" << want.text << "\" width " << int(want.width)
               << "\nscreen:\n"
               << s.text();
      }
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult shows(const Emulator& term, const Screen& s) {
  TerminalCaps caps;
  caps.colors = ColorMode::TrueColor;
  return shows(term, s, caps);
}

TerminalCaps true_color() {
  TerminalCaps caps;
  caps.colors = ColorMode::TrueColor;
  return caps;
}

TEST(Renderer, FirstFrameClearsAndPaints) {
  Screen s(20, 3);
  s.canvas().put(2, 1, "hello", Style{}.with(Attr::Bold));
  Renderer r(true_color());
  StringSink sink;
  Emulator term(20, 3);
  term.feed("garbage left by the shell");
  r.render(s, sink);
  EXPECT_TRUE(r.last_frame().full);
  EXPECT_NE(sink.bytes().find("\x1b[2J"), std::string::npos);
  term.feed(sink.take());
  EXPECT_TRUE(shows(term, s));
}

TEST(Renderer, AnUnchangedScreenCostsNothing) {
  Screen s(20, 3);
  s.canvas().put(0, 0, "static");
  Renderer r(true_color());
  StringSink sink;
  r.render(s, sink);
  sink.take();
  r.render(s, sink);
  EXPECT_EQ(sink.bytes(), "");
  EXPECT_EQ(r.last_frame().bytes, 0u);
}

TEST(Renderer, OnlyChangedCellsAreWrittenAndNeverAClear) {
  Screen s(40, 10);
  auto c = s.canvas();
  for (int y = 0; y < 10; ++y) c.put(0, y, "row " + std::to_string(y) + " with some text on it");
  Renderer r(true_color());
  StringSink sink;
  Emulator term(40, 10);
  r.render(s, sink);
  term.feed(sink.take());
  c.put(9, 4, "SOME");
  r.render(s, sink);
  const std::string frame = sink.take();
  EXPECT_EQ(frame.find("\x1b[2J"), std::string::npos);
  EXPECT_EQ(frame.find("\x1b[K"), std::string::npos);
  EXPECT_EQ(r.last_frame().cells_written, 4u);
  EXPECT_EQ(frame, "\x1b[5;10HSOME");
  term.feed(frame);
  EXPECT_TRUE(shows(term, s));
}

TEST(Renderer, ShortGapsAreWrittenThroughLongOnesSkipped) {
  Screen s(40, 2);
  auto c = s.canvas();
  c.put(0, 0, "abcdefghijklmnopqrstuvwxyz");
  Renderer r(true_color());
  StringSink sink;
  r.render(s, sink);
  sink.take();
  c.put(2, 0, "C");
  c.put(4, 0, "E");  // one unchanged cell between: cheaper to write it again than to move
  c.put(20, 0, "U");
  r.render(s, sink);
  // From the end of the first frame's text: a carriage return and two columns forward (as cheap
  // as an absolute move), "C", "d" again, "E", then fifteen columns forward.
  EXPECT_EQ(sink.take(), "\r\x1b[2CCdE\x1b[15CU");
}

TEST(Renderer, StyleChangesUseSgrOnlyWhereTheStyleChanges) {
  Screen s(20, 1);
  auto c = s.canvas();
  Renderer r(true_color());
  StringSink sink;
  r.render(s, sink);
  sink.take();
  const Style red = Style{}.with_fg(aui::tui::colors::red);
  c.put(0, 0, "ab", red);
  c.put(2, 0, "cd", red.with(Attr::Bold));
  c.put(4, 0, "ef");
  r.render(s, sink);
  EXPECT_EQ(sink.take(), "\x1b[31mab\x1b[1mcd\x1b[0mef");
}

TEST(Renderer, ColoursAreBroughtDownToTheTerminalsMode) {
  Screen s(4, 1);
  s.canvas().put(0, 0, "x", Style{}.with_fg(Color::rgb(255, 0, 0)));
  TerminalCaps caps;
  caps.colors = ColorMode::Indexed256;
  Renderer r(caps);
  StringSink sink;
  r.render(s, sink);
  EXPECT_NE(sink.bytes().find("\x1b[38;5;196mx"), std::string::npos) << sink.bytes();
  caps.colors = ColorMode::None;
  Renderer plain(caps);
  StringSink sink2;
  plain.render(s, sink2);
  EXPECT_EQ(sink2.bytes().find("38;"), std::string::npos);
}

TEST(Renderer, HyperlinksWhenEnabledWithTheirUrlNeutralised) {
  Screen s(20, 1);
  s.canvas().put(0, 0, "docs", Style{}.with_link(aui::tui::Link("https://x.test/a b\x1b]0;t\x07")));
  TerminalCaps caps = true_color();
  caps.hyperlinks = true;
  Renderer r(caps);
  StringSink sink;
  r.render(s, sink);
  const std::string& out = sink.bytes();
  EXPECT_NE(out.find("\x1b]8;;https://x.test/a%20b%1B]0;t%07\x1b\\docs\x1b]8;;\x1b\\"),
            std::string::npos)
      << testing::PrintToString(out);
  Renderer off(true_color());
  StringSink sink2;
  off.render(s, sink2);
  EXPECT_EQ(sink2.bytes().find("]8;"), std::string::npos);
  Emulator term(20, 1);
  term.feed(out);
  EXPECT_TRUE(shows(term, s));
}

TEST(Renderer, CursorShownWhereAskedAndHiddenOtherwise) {
  Screen s(20, 5);
  Renderer r(true_color());
  StringSink sink;
  Emulator term(20, 5);
  r.render(s, sink, Point{3, 2});
  std::string out = sink.take();
  EXPECT_NE(out.find("\x1b[?25h"), std::string::npos);
  term.feed(out);
  EXPECT_EQ(term.cursor(), (Point{3, 2}));
  s.canvas().put(0, 4, "typing");
  r.render(s, sink, Point{6, 4});
  out = sink.take();
  EXPECT_EQ(out.rfind("\x1b[?25l", 0), 0u) << "hidden while drawing";
  term.feed(out);
  EXPECT_EQ(term.cursor(), (Point{6, 4}));
  r.render(s, sink);
  EXPECT_EQ(sink.take(), "\x1b[?25l");
}

TEST(Renderer, ResizeAndInvalidateRepaintWhole) {
  Screen s(10, 2);
  s.canvas().put(0, 0, "abc");
  Renderer r(true_color());
  StringSink sink;
  r.render(s, sink);
  sink.take();
  r.invalidate();
  r.render(s, sink);
  EXPECT_TRUE(r.last_frame().full);
  s.resize(12, 3);
  s.canvas().put(0, 2, "new");
  Emulator term(12, 3);
  r.render(s, sink);
  EXPECT_TRUE(r.last_frame().full);
  term.feed(sink.take());
  EXPECT_TRUE(shows(term, s));
}

TEST(Renderer, UntrustedTextCannotReachTheTerminal) {
  Screen s(60, 2);
  s.canvas().put(0, 0,
                 "\x1b[2J\x1b]0;owned\x07\x1b]52;c;aGk=\x07\u202Eevil\xc2\x9b"
                 "31m");
  Renderer r(true_color());
  StringSink sink;
  r.render(s, sink);
  const std::string& out = sink.bytes();
  // Only the renderer's own sequences: the clear of the first frame, SGR, cursor moves.
  EXPECT_EQ(out.find("\x1b]"), std::string::npos);  // no OSC at all (no title, no clipboard)
  EXPECT_EQ(out.find("\x1b[2J", out.find("\x1b[2J") + 1),
            std::string::npos);  // one clear: the first frame's
  EXPECT_EQ(out.find("\u202E"), std::string::npos);
  EXPECT_EQ(out.find("\xc2\x9b"), std::string::npos);
  Emulator term(60, 2);
  term.feed(out);
  EXPECT_TRUE(shows(term, s));
}

// --- the property: random frames, seeded --------------------------------------------------

struct RandomFrames {
  explicit RandomFrames(unsigned seed) : rng(seed) {}
  std::mt19937 rng;
  int pick(int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); }

  Color color() {
    switch (pick(4)) {
      case 0: return Color();
      case 1: return Color::basic(static_cast<std::uint8_t>(pick(16)));
      case 2: return Color::indexed(static_cast<std::uint8_t>(pick(256)));
      default:
        return Color::rgb(static_cast<std::uint8_t>(pick(256)),
                          static_cast<std::uint8_t>(pick(256)),
                          static_cast<std::uint8_t>(pick(256)));
    }
  }
  Style style() {
    if (pick(3) == 0) return Style{};
    Style s;
    s.fg = color();
    s.bg = pick(2) ? Color() : color();
    static constexpr Attr kAttrs[] = {Attr::Bold,    Attr::Italic,        Attr::Underline,
                                      Attr::Reverse, Attr::Strikethrough, Attr::Dim};
    for (Attr a : kAttrs) {
      if (pick(5) == 0) s.attrs |= a;
    }
    if (pick(8) == 0) s.link = aui::tui::Link("https://example.com/" + std::to_string(pick(3)));
    return s;
  }
  // Text whose width libvterm agrees with: ASCII, Latin with combining marks, CJK, emoji with
  // emoji presentation (no ZWJ sequences or flags: libvterm lays those out per code point).
  std::string text() {
    static const std::vector<std::string> kPieces = {
        "a",        "word",          " ", "   ", "e\u0301", "你", "好世", "\U0001F600",
        "x\x1b[2J", "\u00e9t\u00e9", "-", "|",   "Ω",       "한", "ｈｉ", "z"};
    std::string out;
    const int n = 1 + pick(8);
    for (int i = 0; i < n; ++i)
      out += kPieces[static_cast<std::size_t>(pick(static_cast<int>(kPieces.size())))];
    return out;
  }
  void mutate(Screen& s) {
    auto root = s.canvas();
    const int changes = 1 + pick(6);
    for (int i = 0; i < changes; ++i) {
      switch (pick(7)) {
        case 0:
          root.fill(Rect{pick(s.width()), pick(s.height()), 1 + pick(s.width()), 1 + pick(3)},
                    style());
          break;
        case 1:
          root.sub(pick(s.width()), pick(s.height()), 1 + pick(12), 1 + pick(4))
              .put(0, 0, text(), style());
          break;
        case 2: root.fill(Rect{0, pick(s.height()), s.width(), 1}); break;  // a cleared row
        case 4:  // a highlight: the style of cells changes, their text stays
          root.restyle(Rect{pick(s.width()), pick(s.height()), 1 + pick(8), 1 + pick(2)}, style());
          break;
        case 3: {  // text ending at the right edge, where terminals defer the wrap
          const std::string t = text();
          root.put(s.width() - static_cast<int>(aui::tui::display_width(t)), pick(s.height()), t,
                   style());
          break;
        }
        default: root.put(pick(s.width() + 4) - 2, pick(s.height()), text(), style()); break;
      }
    }
  }
};

// Seeds 1–40 on a true-colour terminal, odd ones with hyperlinks; 41–60 on a 256-colour one
// without italics, 61–80 on a 16-colour one without strikethrough, 81–90 with no colour at all.
TerminalCaps caps_for_seed(unsigned seed) {
  TerminalCaps caps;
  caps.colors = ColorMode::TrueColor;
  caps.hyperlinks = seed % 2 == 0;
  if (seed > 40 && seed <= 60) {
    caps.colors = ColorMode::Indexed256;
    caps.italic = false;
  } else if (seed > 60 && seed <= 80) {
    caps.colors = ColorMode::Basic16;
    caps.strikethrough = false;
  } else if (seed > 80) {
    caps.colors = ColorMode::None;
  }
  return caps;
}

class RendererProperty : public ::testing::TestWithParam<unsigned> {};

TEST_P(RendererProperty, TheTerminalShowsEveryFrameExactly) {
  RandomFrames gen(GetParam());
  int width = 30 + gen.pick(20), height = 6 + gen.pick(8);
  Screen s(width, height);
  const TerminalCaps caps = caps_for_seed(GetParam());
  Renderer r(caps);
  StringSink sink;
  Emulator term(width, height);
  for (int frame = 0; frame < 150; ++frame) {
    if (gen.pick(60) == 0) {  // a resize: the renderer repaints
      width = 20 + gen.pick(30);
      height = 4 + gen.pick(10);
      s.resize(width, height);
      term.resize(width, height);
    }
    gen.mutate(s);
    std::optional<Point> cursor;
    if (gen.pick(2))
      cursor = Point{gen.pick(2) ? width - 1 - gen.pick(3) : gen.pick(width), gen.pick(height)};
    r.render(s, sink, cursor);
    term.feed(sink.take());
    ASSERT_TRUE(shows(term, s, caps)) << "seed " << GetParam() << " frame " << frame;
    if (cursor) {
      ASSERT_EQ(term.cursor(), *cursor) << "seed " << GetParam() << " frame " << frame;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, RendererProperty, ::testing::Range(1u, 91u));

// --- bytes per frame ----------------------------------------------------------------------

// The bytes of an SGR sequence that sets `style` from the default: what any encoder pays at least
// once for a run in that style.
std::size_t sgr_bytes(const Style& style) {
  if (style.fg.is_default() && style.bg.is_default() && style.attrs == Attr::None) return 4;
  std::size_t params = 0;
  for (Attr a :
       {Attr::Bold, Attr::Dim, Attr::Italic, Attr::Underline, Attr::Reverse, Attr::Strikethrough}) {
    if (has(style.attrs, a)) params += 2;
  }
  const auto color = [](Color c) -> std::size_t {
    switch (c.kind()) {
      case Color::Kind::Default: return 0;
      case Color::Kind::Basic: return c.index() < 8 ? 3 : 4;
      case Color::Kind::Indexed: return 6 + std::to_string(c.index()).size();
      case Color::Kind::Rgb:
        return 9 + std::to_string(c.red()).size() + std::to_string(c.green()).size() +
               std::to_string(c.blue()).size();
    }
    return 0;
  };
  params += color(style.fg) + color(style.bg);
  return 2 + params;  // "\x1b[" + params (each with its separator) - one separator + "m"
}

// What a frame must at least cost: the text of the changed cells, each style change's SGR, and a
// cursor move per run of changed cells.
std::size_t lower_bound_bytes(const Screen& before, const Screen& after, std::size_t& moves) {
  std::size_t bytes = 0;
  moves = 0;
  for (int y = 0; y < after.height(); ++y) {
    bool in_run = false;
    const Style* last = nullptr;
    for (int x = 0; x < after.width(); ++x) {
      const auto& c = after.at(x, y);
      if (c == before.at(x, y) || c.continuation()) {
        in_run = in_run && c.continuation();
        continue;
      }
      if (!in_run) moves += 8;  // "\x1b[yy;xxH"
      in_run = true;
      bytes += c.text.size();
      if (!last || !(*last == c.style)) {
        bytes += sgr_bytes(c.style);
        last = &c.style;
      }
    }
  }
  return bytes;
}

TEST(RendererBytes, AtMostTwiceTheChangedCellsPlusMoves) {
  RandomFrames gen(4242);
  Screen s(80, 24), before(80, 24);
  Renderer r(true_color());
  StringSink sink;
  r.render(s, sink);
  sink.take();
  for (int frame = 0; frame < 300; ++frame) {
    before = s;
    gen.mutate(s);
    r.render(s, sink);
    std::size_t moves = 0;
    const std::size_t floor = lower_bound_bytes(before, s, moves);
    EXPECT_LE(sink.take().size(), 2 * floor + moves) << "frame " << frame;
  }
}

TEST(RendererBytes, AStreamedLineCostsItsNewCharacters) {
  Screen s(120, 40);
  auto c = s.canvas();
  for (int y = 0; y < 39; ++y) c.put(0, y, "a finished message line " + std::to_string(y));
  Renderer r(true_color());
  StringSink sink;
  r.render(s, sink);
  sink.take();
  std::string line;
  for (int frame = 0; frame < 100; ++frame) {
    line += "tok ";
    c.put(0, 39, line.substr(0, 119));
    r.render(s, sink);
    const std::size_t bytes = sink.take().size();
    EXPECT_LE(bytes, 4u + 10u) << "frame " << frame;  // 4 new characters and one cursor move
  }
}

}  // namespace

namespace {

TEST(Renderer, WritingTheLastColumnLeavesTheCursorColumnUnknown) {
  // A terminal defers the wrap after the last column: the cursor is not one column further.
  Screen s(10, 3);
  Renderer r(true_color());
  StringSink sink;
  Emulator term(10, 3);
  r.render(s, sink);
  term.feed(sink.take());
  for (int x = 9; x >= 6; --x) {
    s.canvas().put(7, 1, std::string("abc").substr(0, 3));
    s.canvas().put(9, 1, std::string(1, static_cast<char>('0' + x)));
    r.render(s, sink, Point{x, 1});
    term.feed(sink.take());
    ASSERT_TRUE(shows(term, s));
    EXPECT_EQ(term.cursor(), (Point{x, 1}));
  }
}

}  // namespace

namespace {

TEST(Renderer, ARestyleAloneIsDrawn) {
  Screen s(20, 4);
  s.canvas().put(0, 2, "highlight me");
  Renderer r(true_color());
  StringSink sink;
  Emulator term(20, 4);
  r.render(s, sink);
  term.feed(sink.take());
  s.canvas().restyle(Rect{0, 2, 9, 1}, Style{}.with(Attr::Reverse));
  r.render(s, sink);
  EXPECT_EQ(r.last_frame().cells_written, 9u);
  term.feed(sink.take());
  EXPECT_TRUE(shows(term, s));
}

TEST(Renderer, RowsUnchangedSinceTheLastFrameAreSkippedCopiesAreNot) {
  Screen s(20, 4);
  s.canvas().put(0, 0, "one");
  Renderer r(true_color());
  StringSink sink;
  Emulator term(20, 4);
  r.render(s, sink);
  r.render(s, sink);
  EXPECT_EQ(r.last_frame().bytes, 0u);
  Screen copy = s;  // another screen: compared cell by cell, not trusted by its versions
  EXPECT_NE(copy.id(), s.id());
  copy.canvas().put(0, 1, "two");
  r.render(copy, sink);
  EXPECT_EQ(r.last_frame().cells_written, 3u);
  r.render(s, sink);  // back to the first: row 1 differs from what the terminal shows
  EXPECT_GT(r.last_frame().bytes, 0u);
  term.feed(sink.take());
  EXPECT_TRUE(shows(term, s));
}

}  // namespace
