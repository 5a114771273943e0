#pragma once
// Terminal input: a byte stream decoded into keys, text, pastes, mouse and focus events.
//
// The decoder never sleeps and never reads the clock: the caller passes the time of each chunk,
// and resolves a lone Esc (which a terminal sends as the same byte that starts every escape
// sequence) by calling flush_pending() once pending_deadline() has passed.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace aui::tui {

/// Modifier keys, combined with |.
enum class Mod : std::uint8_t { None = 0, Shift = 1, Alt = 2, Ctrl = 4 };
constexpr Mod operator|(Mod a, Mod b) noexcept {
  return static_cast<Mod>(static_cast<std::uint8_t>(a) | static_cast<std::uint8_t>(b));
}
constexpr Mod operator&(Mod a, Mod b) noexcept {
  return static_cast<Mod>(static_cast<std::uint8_t>(a) & static_cast<std::uint8_t>(b));
}
constexpr bool has(Mod set, Mod m) noexcept { return (set & m) == m && m != Mod::None; }

/// The keys that are not text.
enum class Key : std::uint8_t {
  Char,  // a character with Ctrl and/or Alt held (KeyEvent::ch): Ctrl-C, Alt-x, Alt-Enter is Enter
  Enter,
  Tab,
  BackTab,  // Shift-Tab
  Backspace,
  Escape,
  Up,
  Down,
  Left,
  Right,
  Home,
  End,
  PageUp,
  PageDown,
  Insert,
  Delete,
  F1,
  F2,
  F3,
  F4,
  F5,
  F6,
  F7,
  F8,
  F9,
  F10,
  F11,
  F12,
};

/// A key press. For Key::Char, `ch` is the character in lower case for letters (Ctrl-C is
/// {Char, Ctrl, 'c'}; Ctrl-Shift-C where the terminal tells it apart adds Shift).
struct KeyEvent {
  Key key = Key::Char;
  Mod mods = Mod::None;
  char32_t ch = 0;
  friend bool operator==(const KeyEvent&, const KeyEvent&) = default;
};

/// Typed text: one or more whole UTF-8 characters, no controls (a fast typist or a paste in a
/// terminal without bracketed paste may give several at once).
struct TextEvent {
  std::string text;
  friend bool operator==(const TextEvent&, const TextEvent&) = default;
};

/// A bracketed paste, whole: the bytes between the terminal's start and end markers, with CR LF
/// and CR turned into LF. Untrusted: it may hold anything, escape sequences included.
struct PasteEvent {
  std::string text;
  friend bool operator==(const PasteEvent&, const PasteEvent&) = default;
};

enum class MouseButton : std::uint8_t {
  Left,
  Middle,
  Right,
  None,  // motion with no button held
  WheelUp,
  WheelDown,
  WheelLeft,
  WheelRight,
  Other,  // buttons 8–11
};
enum class MouseAction : std::uint8_t { Press, Release, Drag, Move };

/// A mouse event (SGR 1006 reports, or the older X10 form), with 0-based cell coordinates.
struct MouseEvent {
  MouseAction action = MouseAction::Press;
  MouseButton button = MouseButton::Left;
  int x = 0;
  int y = 0;
  Mod mods = Mod::None;
  friend bool operator==(const MouseEvent&, const MouseEvent&) = default;
};

/// The terminal window gained or lost focus (mode 1004).
struct FocusEvent {
  bool focused = true;
  friend bool operator==(const FocusEvent&, const FocusEvent&) = default;
};

using InputEvent = std::variant<KeyEvent, TextEvent, PasteEvent, MouseEvent, FocusEvent>;

struct InputOptions {
  /// How long a lone ESC waits for the rest of a sequence before it is the Esc key.
  std::chrono::milliseconds escape_timeout{30};
  /// A paste longer than this is cut (the rest is dropped, the paste still ends as one event).
  std::size_t max_paste_bytes = 64u << 20;
};

/// Decodes a terminal's input bytes. Not thread-safe; the UI thread owns it.
class InputDecoder {
 public:
  using Clock = std::chrono::steady_clock;

  explicit InputDecoder(InputOptions options = {});

  /// Decodes `bytes` (read at `now`) and appends the events they complete to `out`. Bytes that
  /// may start a longer sequence wait for the next feed (or for flush_pending()).
  void feed(std::string_view bytes, Clock::time_point now, std::vector<InputEvent>& out);

  /// When bytes wait that only time can resolve (a lone ESC, a sequence cut short), the time at
  /// which to call flush_pending(); nullopt when nothing waits or only more input can help (the
  /// middle of a paste).
  std::optional<Clock::time_point> pending_deadline() const;

  /// Resolves what waits once its deadline has passed: a lone ESC becomes Key::Escape; an escape
  /// sequence cut short becomes Esc followed by its bytes as typed. Does nothing before the
  /// deadline.
  void flush_pending(Clock::time_point now, std::vector<InputEvent>& out);

  /// Whether a bracketed paste is being received.
  bool in_paste() const noexcept { return in_paste_; }

 private:
  // Decodes one event at the start of `buf_` from `pos`; returns the bytes used, or 0 when the
  // bytes there are an incomplete sequence.
  std::size_t decode_one(std::size_t pos, std::vector<InputEvent>& out);
  std::size_t decode_escape(std::size_t pos, std::vector<InputEvent>& out);
  std::size_t decode_csi(std::size_t pos, std::vector<InputEvent>& out);
  void take_paste(std::vector<InputEvent>& out);
  void emit_text(std::string_view text, std::vector<InputEvent>& out);

  InputOptions options_;
  std::string buf_;  // undecoded bytes
  std::optional<Clock::time_point> waiting_since_;
  bool in_paste_ = false;
  std::string paste_;
  std::size_t paste_scanned_ = 0;  // bytes of paste_ already searched for the end marker
};

}  // namespace aui::tui
