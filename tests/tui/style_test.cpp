// Colours: what a terminal can show, and bringing a colour down to it.

#include "aui/tui/style.hpp"

#include <gtest/gtest.h>

namespace {

using aui::tui::Attr;
using aui::tui::Color;
using aui::tui::ColorEnvironment;
using aui::tui::ColorMode;
using aui::tui::detect_color_mode;
using aui::tui::downsample;

ColorMode mode(const char* term, const char* colorterm = nullptr, const char* no_color = nullptr,
               int colors = -1) {
  ColorEnvironment env;
  env.term = term;
  env.colorterm = colorterm;
  env.no_color = no_color;
  env.terminfo_colors = colors;
  return detect_color_mode(env);
}

TEST(ColorMode, DetectedFromTheEnvironment) {
  EXPECT_EQ(mode("xterm-256color", "truecolor"), ColorMode::TrueColor);
  EXPECT_EQ(mode("xterm-256color", "24BIT"), ColorMode::TrueColor);
  EXPECT_EQ(mode("xterm-direct"), ColorMode::TrueColor);
  EXPECT_EQ(mode("xterm-256color"), ColorMode::Indexed256);
  EXPECT_EQ(mode("screen-256color", "yes"), ColorMode::Indexed256);
  EXPECT_EQ(mode("tmux", nullptr, nullptr, 256), ColorMode::Indexed256);
  EXPECT_EQ(mode("xterm"), ColorMode::Basic16);
  EXPECT_EQ(mode("linux", nullptr, nullptr, 8), ColorMode::Basic16);
  EXPECT_EQ(mode("dumb", "truecolor"), ColorMode::None);
  EXPECT_EQ(mode(nullptr), ColorMode::None);
}

TEST(ColorMode, NoColorWinsWhenSetAndNotEmpty) {
  EXPECT_EQ(mode("xterm-256color", "truecolor", "1"), ColorMode::None);
  EXPECT_EQ(mode("xterm-256color", "truecolor", ""), ColorMode::TrueColor);
}

TEST(Downsample, RgbToThe256Palette) {
  EXPECT_EQ(downsample(Color::rgb(255, 0, 0), ColorMode::Indexed256), Color::indexed(196));
  EXPECT_EQ(downsample(Color::rgb(0, 0, 0), ColorMode::Indexed256), Color::indexed(16));
  EXPECT_EQ(downsample(Color::rgb(95, 135, 175), ColorMode::Indexed256), Color::indexed(67));
  // Near-greys go to the grey ramp, which is finer than the cube's diagonal.
  EXPECT_EQ(downsample(Color::rgb(128, 128, 128), ColorMode::Indexed256), Color::indexed(244));
  EXPECT_EQ(downsample(Color::rgb(1, 2, 3), ColorMode::TrueColor), Color::rgb(1, 2, 3));
}

TEST(Downsample, To16Colours) {
  EXPECT_EQ(downsample(Color::rgb(250, 10, 10), ColorMode::Basic16), aui::tui::colors::bright_red);
  EXPECT_EQ(downsample(Color::rgb(0, 190, 0), ColorMode::Basic16), aui::tui::colors::green);
  EXPECT_EQ(downsample(Color::indexed(196), ColorMode::Basic16), aui::tui::colors::bright_red);
  EXPECT_EQ(downsample(Color::indexed(3), ColorMode::Basic16), aui::tui::colors::yellow);
  EXPECT_EQ(downsample(Color::indexed(232), ColorMode::Basic16), aui::tui::colors::black);
  EXPECT_EQ(downsample(Color::basic(5), ColorMode::Basic16), Color::basic(5));
}

TEST(Downsample, NoColourMeansDefaults) {
  EXPECT_EQ(downsample(Color::rgb(250, 10, 10), ColorMode::None), Color());
  EXPECT_EQ(downsample(Color::indexed(17), ColorMode::None), Color());
  EXPECT_EQ(downsample(aui::tui::colors::red, ColorMode::None), Color());
}

TEST(Downsample, EveryIndexedColourRoundTripsThroughRgb) {
  for (int i = 16; i < 256; ++i) {
    const auto rgb = aui::tui::palette_rgb(static_cast<std::uint8_t>(i));
    const Color back = downsample(Color::rgb(rgb.red, rgb.green, rgb.blue), ColorMode::Indexed256);
    // The cube and the ramp share a few values (e.g. 16 and the black end): equal colours do.
    EXPECT_EQ(aui::tui::palette_rgb(back.index()), rgb) << i;
  }
}

TEST(Style, AttributesAndLinksCompare) {
  const aui::tui::Style a = aui::tui::Style{}.with(Attr::Bold | Attr::Underline);
  EXPECT_TRUE(has(a.attrs, Attr::Bold));
  EXPECT_FALSE(has(a.attrs, Attr::Italic));
  const auto l1 = a.with_link(aui::tui::Link("https://example.com"));
  const auto l2 = a.with_link(aui::tui::Link("https://example.com"));
  EXPECT_EQ(l1, l2);  // equal URLs, different storage
  EXPECT_NE(l1, a);
  EXPECT_TRUE(aui::tui::Link("").empty());
}

}  // namespace
