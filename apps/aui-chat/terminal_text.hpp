#pragma once
// Making model output safe to print on a terminal.

#include <cstddef>
#include <string>
#include <string_view>

namespace aui::chat {

struct SanitizedText {
  std::string text;      // safe to write to a terminal
  std::size_t consumed;  // bytes of the input that `text` covers
};

/// aui::tui::sanitize() (aui/tui/sanitize.hpp), the one rule for untrusted text on a terminal:
/// escape sequences, C0 controls other than newline and tab, DEL, C1 controls and the
/// bidirectional formatting characters are shown as visible replacements ("␛[2J", "␇",
/// "⟨U+202E⟩"); invalid UTF-8 becomes U+FFFD; CR LF becomes a newline. Model output is untrusted:
/// printed raw it could move the cursor, rewrite the screen, set the window title or, through
/// bidi overrides, show text in another order than it is stored ("Trojan Source").
///
/// For text that is still growing (`final` false), a trailing escape sequence or UTF-8 character
/// that may be incomplete is left unconsumed, so the next call can finish it; call again with the
/// unconsumed rest plus what arrived.
SanitizedText sanitize_terminal_text(std::string_view raw, bool final);

/// At most `max` bytes of `text` on one line (newlines and tabs become spaces), cut at a
/// character boundary and marked "..." when cut.
std::string one_line(std::string text, std::size_t max);

}  // namespace aui::chat
