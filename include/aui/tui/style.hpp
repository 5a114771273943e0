#pragma once
// Colours, attributes and the style of a cell; which colours a terminal can show, and how a colour
// is brought down to what it can.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace aui::tui {

/// A terminal colour: the terminal's own default, one of the 16 basic colours (0–7 normal, 8–15
/// bright; their look is the user's theme), one of the 256 indexed colours, or 24-bit RGB.
class Color {
 public:
  enum class Kind : std::uint8_t { Default, Basic, Indexed, Rgb };

  /// The terminal's default colour (foreground or background, wherever it is used).
  constexpr Color() noexcept = default;
  /// Basic colour `index` (taken modulo 16).
  static constexpr Color basic(std::uint8_t index) noexcept {
    return Color(Kind::Basic, static_cast<std::uint8_t>(index & 15), 0, 0);
  }
  /// Indexed colour `index` of the 256-colour palette (0–15 are the basic ones, 16–231 the 6×6×6
  /// cube, 232–255 the grey ramp).
  static constexpr Color indexed(std::uint8_t index) noexcept {
    return Color(Kind::Indexed, index, 0, 0);
  }
  static constexpr Color rgb(std::uint8_t red, std::uint8_t green, std::uint8_t blue) noexcept {
    return Color(Kind::Rgb, red, green, blue);
  }

  constexpr Kind kind() const noexcept { return kind_; }
  constexpr bool is_default() const noexcept { return kind_ == Kind::Default; }
  /// The palette index (Basic, Indexed).
  constexpr std::uint8_t index() const noexcept { return a_; }
  constexpr std::uint8_t red() const noexcept { return a_; }
  constexpr std::uint8_t green() const noexcept { return b_; }
  constexpr std::uint8_t blue() const noexcept { return c_; }

  friend constexpr bool operator==(Color, Color) noexcept = default;

 private:
  constexpr Color(Kind kind, std::uint8_t a, std::uint8_t b, std::uint8_t c) noexcept
      : kind_(kind), a_(a), b_(b), c_(c) {}
  Kind kind_ = Kind::Default;
  std::uint8_t a_ = 0, b_ = 0, c_ = 0;
};

/// The 16 basic colours by name.
namespace colors {
inline constexpr Color black = Color::basic(0);
inline constexpr Color red = Color::basic(1);
inline constexpr Color green = Color::basic(2);
inline constexpr Color yellow = Color::basic(3);
inline constexpr Color blue = Color::basic(4);
inline constexpr Color magenta = Color::basic(5);
inline constexpr Color cyan = Color::basic(6);
inline constexpr Color white = Color::basic(7);
inline constexpr Color bright_black = Color::basic(8);
inline constexpr Color bright_red = Color::basic(9);
inline constexpr Color bright_green = Color::basic(10);
inline constexpr Color bright_yellow = Color::basic(11);
inline constexpr Color bright_blue = Color::basic(12);
inline constexpr Color bright_magenta = Color::basic(13);
inline constexpr Color bright_cyan = Color::basic(14);
inline constexpr Color bright_white = Color::basic(15);
}  // namespace colors

/// Text attributes, combined with | and tested with has().
enum class Attr : std::uint8_t {
  None = 0,
  Bold = 1 << 0,
  Dim = 1 << 1,
  Italic = 1 << 2,
  Underline = 1 << 3,
  Reverse = 1 << 4,
  Strikethrough = 1 << 5,
};
constexpr Attr operator|(Attr a, Attr b) noexcept {
  return static_cast<Attr>(static_cast<std::uint8_t>(a) | static_cast<std::uint8_t>(b));
}
constexpr Attr operator&(Attr a, Attr b) noexcept {
  return static_cast<Attr>(static_cast<std::uint8_t>(a) & static_cast<std::uint8_t>(b));
}
constexpr Attr operator~(Attr a) noexcept {
  return static_cast<Attr>(~static_cast<std::uint8_t>(a) & 0x3F);
}
constexpr Attr& operator|=(Attr& a, Attr b) noexcept { return a = a | b; }
/// Whether `set` has every attribute of `a`.
constexpr bool has(Attr set, Attr a) noexcept { return (set & a) == a; }

/// The target of an OSC 8 hyperlink. Cheap to copy (the URL is shared); equal when the URLs are.
/// The URL is untrusted: the renderer writes it only after dropping every byte that could end or
/// break out of the OSC sequence (controls, and anything outside printable ASCII is %-encoded).
class Link {
 public:
  Link() noexcept = default;
  explicit Link(std::string url);
  bool empty() const noexcept { return !url_; }
  std::string_view url() const noexcept {
    return url_ ? std::string_view(*url_) : std::string_view();
  }
  friend bool operator==(const Link& a, const Link& b) noexcept {
    return a.url_ == b.url_ || a.url() == b.url();
  }

 private:
  std::shared_ptr<const std::string> url_;
};

/// How a cell looks: foreground, background, attributes and an optional hyperlink.
struct Style {
  Color fg;
  Color bg;
  Attr attrs = Attr::None;
  Link link;

  friend bool operator==(const Style&, const Style&) = default;

  // Builders, for writing a style inline: Style{}.with_fg(colors::red).with(Attr::Bold).
  Style with_fg(Color c) const {
    Style s = *this;
    s.fg = c;
    return s;
  }
  Style with_bg(Color c) const {
    Style s = *this;
    s.bg = c;
    return s;
  }
  Style with(Attr a) const {
    Style s = *this;
    s.attrs |= a;
    return s;
  }
  Style with_link(Link l) const {
    Style s = *this;
    s.link = std::move(l);
    return s;
  }
};

/// How many colours a terminal shows. None still allows attributes (NO_COLOR asks for no colour,
/// not for no bold).
enum class ColorMode : std::uint8_t { None, Basic16, Indexed256, TrueColor };

/// What colour detection reads. Null means "not set".
struct ColorEnvironment {
  const char* term = nullptr;       // TERM
  const char* colorterm = nullptr;  // COLORTERM
  const char* no_color = nullptr;   // NO_COLOR
  int terminfo_colors = -1;         // terminfo's `colors`, -1 when unknown
};

/// The colour mode for an environment: NO_COLOR (set and not empty) → None; no TERM or "dumb" →
/// None; COLORTERM "truecolor"/"24bit" or a TERM ending in "-direct" → TrueColor; a TERM ending in
/// "-256color" or terminfo colors ≥ 256 → Indexed256; anything else → Basic16.
ColorMode detect_color_mode(const ColorEnvironment& env) noexcept;
/// The same for this process's environment (TERM, COLORTERM, NO_COLOR; terminfo not consulted).
ColorMode detect_color_mode_from_environment() noexcept;

/// The colour as the terminal of `mode` can show it: RGB → the nearest of the 256 (cube or grey
/// ramp) → the nearest of the 16 (xterm's default palette as the reference); under None every
/// colour becomes the default. A colour the mode shows already is returned as it is.
Color downsample(Color color, ColorMode mode) noexcept;

/// A 24-bit colour value.
struct Rgb {
  std::uint8_t red = 0, green = 0, blue = 0;
  friend constexpr bool operator==(Rgb, Rgb) noexcept = default;
};
/// The RGB value of palette index `index` as xterm shows it by default.
Rgb palette_rgb(std::uint8_t index) noexcept;

}  // namespace aui::tui
