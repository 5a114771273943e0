#pragma once
// The real terminal: raw mode, the alternate screen, bracketed paste and mouse reporting on, and
// everything put back on every way out of the program.

#include <string>

namespace aui::tui {

struct TerminalOptions {
  int input_fd = 0;   // read keys from here (a tty)
  int output_fd = 1;  // draw here (a tty; usually the same terminal)
  bool alternate_screen = true;
  bool mouse = true;            // button, drag and wheel reports in SGR form (1000, 1002, 1006)
  bool bracketed_paste = true;  // 2004
  bool focus_events = false;    // 1004
};

/// The size of a terminal in cells.
struct TerminalSize {
  int width = 80;
  int height = 24;
  friend bool operator==(const TerminalSize&, const TerminalSize&) = default;
};

/// Owns the terminal while it exists: the constructor saves the terminal's mode, switches to raw
/// input and writes the "enter" sequence (alternate screen, cursor hidden, paste and mouse
/// reporting); the destructor undoes all of it. The terminal is also restored
///  - when the program exits through exit() (an atexit hook),
///  - on std::terminate (an uncaught exception), before the previous terminate handler runs,
///  - on SIGINT, SIGTERM, SIGHUP, SIGQUIT and the crash signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL,
///    SIGABRT): restored, then the signal's previous disposition is put back and it is raised
///    again, so the program ends (or its own handler runs) as it would have,
///  - on SIGTSTP (and suspend()): restored, then the process stops; when it continues, the loop
///    sees resumed() and calls reenter(), and the view repaints.
/// SIGWINCH and SIGCONT are reported through a self-pipe (signal_fd()) for a poll loop. The signal
/// handlers only make async-signal-safe calls (write of a precomputed string, tcsetattr, sigaction,
/// raise). One Terminal may exist at a time.
class Terminal {
 public:
  /// Throws std::runtime_error (with a sentence for people) when the input or output is not a
  /// terminal or another Terminal is active.
  explicit Terminal(TerminalOptions options = {});
  ~Terminal();
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  /// The current size (ioctl TIOCGWINSZ; 80×24 when the terminal does not say).
  TerminalSize size() const;

  int input_fd() const noexcept { return options_.input_fd; }
  int output_fd() const noexcept { return options_.output_fd; }
  /// Readable when a resize or a resume has happened since the last take_signals().
  int signal_fd() const noexcept;

  struct Signals {
    bool resized = false;  // SIGWINCH: read size() and relayout
    bool resumed = false;  // SIGCONT: call reenter(), then repaint everything
  };
  /// Drains signal_fd() and says what happened.
  Signals take_signals();

  /// Puts the terminal back into the program's mode after a stop (raw input, the enter sequence).
  /// Does nothing while the process is in the background (a write would stop it again).
  void reenter();
  /// Restores the terminal and stops the process, as Ctrl-Z does in a shell (raw mode turns the
  /// key into a byte, so the program calls this). Returns once the process has been continued,
  /// with the terminal re-entered: repaint everything (Renderer::invalidate()).
  void suspend();
  /// Whether the terminal is in the program's mode now: false between a stop (SIGTSTP, or a
  /// signal that ends the program) and reenter(). Draw only while it is true, or a frame drawn
  /// just after a resume, before the loop has seen it, lands on the shell's screen.
  bool active() const noexcept;
  /// Restores the terminal now (idempotent; the destructor calls it).
  void restore();

  /// The bytes written when entering and when restoring, for these options.
  static std::string enter_sequence(const TerminalOptions& options);
  static std::string restore_sequence(const TerminalOptions& options);

 private:
  TerminalOptions options_;
  bool restored_ = false;
};

}  // namespace aui::tui
