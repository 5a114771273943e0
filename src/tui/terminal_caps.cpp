// Terminal capabilities from terminfo (ncursesw's low-level layer) and the environment.

#include "aui/tui/terminal_caps.hpp"

#include <cstdlib>
#include <cstring>
#include <mutex>

// <term.h> defines hundreds of macros with ordinary names (columns, lines, bell, ...): it comes
// last, in this unit alone.
#include <curses.h>
#include <term.h>
#undef back_color_erase  // a terminfo macro with a TerminalCaps field's name

namespace aui::tui {

namespace {

bool env_is(const char* name, const char* value) {
  const char* v = std::getenv(name);
  return v && std::strcmp(v, value) == 0;
}

bool known_hyperlink_terminal() {
  if (const char* force = std::getenv("AUI_HYPERLINKS")) return std::strcmp(force, "0") != 0;
  if (std::getenv("KITTY_WINDOW_ID") || std::getenv("WEZTERM_EXECUTABLE") ||
      std::getenv("WT_SESSION") || std::getenv("GHOSTTY_RESOURCES_DIR")) {
    return true;
  }
  if (env_is("TERM_PROGRAM", "iTerm.app") || env_is("TERM_PROGRAM", "WezTerm") ||
      env_is("TERM_PROGRAM", "vscode") || env_is("TERM_PROGRAM", "ghostty")) {
    return true;
  }
  if (const char* vte = std::getenv("VTE_VERSION")) return std::atoi(vte) >= 5000;
  const char* term = std::getenv("TERM");
  return term && (std::strcmp(term, "xterm-kitty") == 0 || std::strncmp(term, "foot", 4) == 0);
}

// A capability string that terminfo has (tigetstr answers (char*)-1 for "not a string cap" and
// null for "absent").
bool has_string(const char* name) {
  char* value = tigetstr(const_cast<char*>(name));
  return value != nullptr && value != reinterpret_cast<char*>(-1);
}

}  // namespace

TerminalCaps detect_terminal_caps() {
  TerminalCaps caps;
  ColorEnvironment env;
  env.term = std::getenv("TERM");
  env.colorterm = std::getenv("COLORTERM");
  env.no_color = std::getenv("NO_COLOR");

  // setupterm keeps global state; one caller at a time.
  static std::mutex terminfo_mutex;
  std::lock_guard<std::mutex> lock(terminfo_mutex);
  int error = 0;
  if (env.term && *env.term && setupterm(const_cast<char*>(env.term), -1, &error) == OK) {
    env.terminfo_colors = tigetnum(const_cast<char*>("colors"));
    caps.italic = has_string("sitm");
    caps.dim = has_string("dim");
    caps.bold = has_string("bold");
    caps.underline = has_string("smul");
    caps.reverse = has_string("rev");
    // Strikethrough is an extended capability (smxx) that many entries lack though the terminal
    // has it; SGR 9 is harmless where unknown, so only an entry that says "no" would matter.
    caps.back_color_erase = tigetflag(const_cast<char*>("bce")) > 0;
    del_curterm(cur_term);
    cur_term = nullptr;
  }
  caps.colors = detect_color_mode(env);
  caps.hyperlinks = known_hyperlink_terminal();
  return caps;
}

}  // namespace aui::tui
