// Colour modes and downsampling.

#include "aui/tui/style.hpp"

#include <cstdlib>
#include <cstring>
#include <limits>

namespace aui::tui {

Link::Link(std::string url) {
  if (!url.empty()) url_ = std::make_shared<const std::string>(std::move(url));
}

namespace {

bool ends_with(const char* s, const char* suffix) {
  const std::size_t n = std::strlen(s), m = std::strlen(suffix);
  return n >= m && std::strcmp(s + n - m, suffix) == 0;
}

bool equals_ignoring_case(const char* a, const char* b) {
  for (; *a && *b; ++a, ++b) {
    char x = *a, y = *b;
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return *a == *b;
}

// The levels of the 6×6×6 cube's axes (xterm's 256-colour palette).
constexpr std::uint8_t kCube[6] = {0, 95, 135, 175, 215, 255};

// xterm's default 16 colours.
constexpr Rgb kBasic[16] = {
    {0, 0, 0},     {205, 0, 0},     {0, 205, 0},     {205, 205, 0},   {0, 0, 238}, {205, 0, 205},
    {0, 205, 205}, {229, 229, 229}, {127, 127, 127}, {255, 0, 0},     {0, 255, 0}, {255, 255, 0},
    {92, 92, 255}, {255, 0, 255},   {0, 255, 255},   {255, 255, 255},
};

int distance(Rgb a, Rgb b) {
  // Weighted towards green as the eye is; good enough to pick a palette entry.
  const int dr = a.red - b.red, dg = a.green - b.green, db = a.blue - b.blue;
  return 2 * dr * dr + 4 * dg * dg + 3 * db * db;
}

int nearest_cube_level(int v) {
  int best = 0;
  for (int i = 1; i < 6; ++i) {
    if (std::abs(kCube[i] - v) < std::abs(kCube[best] - v)) best = i;
  }
  return best;
}

std::uint8_t nearest_256(Rgb c) {
  const int r = nearest_cube_level(c.red), g = nearest_cube_level(c.green),
            b = nearest_cube_level(c.blue);
  const auto cube = static_cast<std::uint8_t>(16 + 36 * r + 6 * g + b);
  // The grey ramp 232–255 (8, 18, …, 238) is finer for colours near grey.
  const int mean = (c.red + c.green + c.blue) / 3;
  int grey_step = (mean - 8 + 5) / 10;
  if (grey_step < 0) grey_step = 0;
  if (grey_step > 23) grey_step = 23;
  const auto grey = static_cast<std::uint8_t>(232 + grey_step);
  return distance(c, palette_rgb(grey)) < distance(c, palette_rgb(cube)) ? grey : cube;
}

std::uint8_t nearest_16(Rgb c) {
  int best = 0, best_distance = std::numeric_limits<int>::max();
  for (int i = 0; i < 16; ++i) {
    const int d = distance(c, kBasic[i]);
    if (d < best_distance) {
      best = i;
      best_distance = d;
    }
  }
  return static_cast<std::uint8_t>(best);
}

}  // namespace

Rgb palette_rgb(std::uint8_t index) noexcept {
  if (index < 16) return kBasic[index];
  if (index >= 232) {
    const auto v = static_cast<std::uint8_t>(8 + 10 * (index - 232));
    return {v, v, v};
  }
  const int i = index - 16;
  return {kCube[i / 36], kCube[(i / 6) % 6], kCube[i % 6]};
}

ColorMode detect_color_mode(const ColorEnvironment& env) noexcept {
  if (env.no_color && *env.no_color) return ColorMode::None;
  if (!env.term || !*env.term || std::strcmp(env.term, "dumb") == 0) return ColorMode::None;
  if (env.colorterm && (equals_ignoring_case(env.colorterm, "truecolor") ||
                        equals_ignoring_case(env.colorterm, "24bit"))) {
    return ColorMode::TrueColor;
  }
  if (ends_with(env.term, "-direct")) return ColorMode::TrueColor;
  if (ends_with(env.term, "-256color") || env.terminfo_colors >= 256) return ColorMode::Indexed256;
  return ColorMode::Basic16;
}

ColorMode detect_color_mode_from_environment() noexcept {
  ColorEnvironment env;
  env.term = std::getenv("TERM");
  env.colorterm = std::getenv("COLORTERM");
  env.no_color = std::getenv("NO_COLOR");
  return detect_color_mode(env);
}

Color downsample(Color color, ColorMode mode) noexcept {
  switch (color.kind()) {
    case Color::Kind::Default: return color;
    case Color::Kind::Basic: return mode == ColorMode::None ? Color() : color;
    case Color::Kind::Indexed:
      if (mode == ColorMode::None) return Color();
      if (mode == ColorMode::Basic16) {
        return Color::basic(color.index() < 16 ? color.index()
                                               : nearest_16(palette_rgb(color.index())));
      }
      return color;
    case Color::Kind::Rgb: {
      const Rgb c{color.red(), color.green(), color.blue()};
      switch (mode) {
        case ColorMode::None: return Color();
        case ColorMode::Basic16: return Color::basic(nearest_16(c));
        case ColorMode::Indexed256: return Color::indexed(nearest_256(c));
        case ColorMode::TrueColor: return color;
      }
    }
  }
  return color;
}

}  // namespace aui::tui
