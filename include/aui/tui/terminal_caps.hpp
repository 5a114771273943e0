#pragma once
// What the terminal can show, from terminfo and the environment.

#include "aui/tui/style.hpp"

namespace aui::tui {

/// The capabilities the renderer adapts to. The defaults are an xterm's.
struct TerminalCaps {
  ColorMode colors = ColorMode::Indexed256;
  bool hyperlinks = false;  // OSC 8; off unless the terminal is known to support it
  bool bold = true;
  bool dim = true;
  bool italic =
      true;  // without it, italics are dropped (some terminfo entries render them reversed)
  bool underline = true;
  bool reverse = true;
  bool strikethrough = true;
  bool back_color_erase = true;  // erasing fills with the current background (xterm's bce)
};

/// The capabilities of the terminal named by TERM: colours as detect_color_mode() says (with
/// terminfo's `colors`), attributes from terminfo (sitm, dim, smxx, bold, smul, rev, bce), OSC 8
/// hyperlinks when the terminal is one known to support them (kitty, WezTerm, iTerm2, VTE ≥ 0.50,
/// foot, Windows Terminal, Ghostty, VS Code) or AUI_HYPERLINKS=1 says so (AUI_HYPERLINKS=0 turns
/// them off). Where terminfo has no entry, the xterm defaults stay.
///
/// Uses ncurses' setupterm(), which is not thread-safe: call it on the UI thread, before the loop.
TerminalCaps detect_terminal_caps();

}  // namespace aui::tui
