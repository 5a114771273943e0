#pragma once
// Untrusted text made safe to show on a terminal: the one rule aui applies to model output, tool
// arguments and results, file names and thread titles, in the full-screen view and in line mode.
//
// Printed raw, such text could move the cursor, clear the screen, set the window title, write the
// clipboard (OSC 52), or — through bidirectional overrides — show text in another order than it is
// stored ("Trojan Source"). Every such character is shown as a visible replacement instead:
//
//   C0 controls (but tab and newline)  → the Control Pictures glyph: ESC ␛, BEL ␇, NUL ␀, CR ␍ …
//   DEL                                → ␡
//   an escape sequence (CSI, OSC, DCS, APC, PM, SOS, two-byte ESC forms), up to its terminator
//                                      → ␛ and its bytes, controls in it as pictures: "␛[2J",
//                                      "␛]0;x␇"
//   C1 controls U+0080–U+009F          → ⟨U+009B⟩
//   bidi embeddings, overrides, isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
//   U+061C)                            → ⟨U+202E⟩
//   ill-formed UTF-8                   → U+FFFD, one per maximal subpart
//   CR LF                              → a newline (CR alone is ␍)
//
// A Screen applies the rule to everything put into it, showing the replacements dimmed, so no cell
// can hold a raw control.

#include <cstddef>
#include <string>
#include <string_view>

namespace aui::tui {

/// One step through untrusted text.
struct SanitizeStep {
  enum class Kind : unsigned char {
    Safe,        // [pos, pos + length) may be shown as it is (printable, well-formed UTF-8)
    Newline,     // "\n" or "\r\n"
    Tab,         // "\t"
    Replaced,    // show `replacement` instead of [pos, pos + length)
    Incomplete,  // the text ends inside a sequence that may still be completed (only when !final)
  };
  Kind kind = Kind::Safe;
  std::size_t length = 0;        // bytes of the input covered (0 for Incomplete)
  std::string_view replacement;  // for Replaced: visible text (valid UTF-8, no controls)
};

/// The step at byte `pos` (< raw.size()). `final` false means more text may follow (a stream), so
/// a sequence cut at the end is reported Incomplete instead of being replaced. The replacement may
/// point into `scratch`, valid until the next call with it.
SanitizeStep sanitize_step(std::string_view raw, std::size_t pos, bool final, std::string& scratch);

/// Whether `raw` needs no replacement at all (printable, well-formed UTF-8; tabs and newlines
/// allowed when `allow_layout`).
bool is_terminal_safe(std::string_view raw, bool allow_layout = true) noexcept;

/// The result of sanitize().
struct Sanitized {
  std::string text;      // safe to write to a terminal: replacements inline, tab and newline kept
  std::size_t consumed;  // bytes of the input `text` covers (less than all only when !final)
};

/// `raw` with every unsafe part replaced (see above); tabs and newlines are kept. For text that is
/// still growing (`final` false), an escape sequence or UTF-8 character cut at the end is left
/// unconsumed: call again with the unconsumed rest plus what arrived.
Sanitized sanitize(std::string_view raw, bool final = true);

}  // namespace aui::tui
