// The real terminal and its restoration on every exit path.

#include "aui/tui/terminal.hpp"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>

namespace aui::tui {

namespace {

// Everything a signal handler needs, prepared beforehand: handlers may not allocate or lock.
struct ActiveTerminal {
  int in_fd = -1;
  int out_fd = -1;
  termios saved{};  // the mode before we changed it
  termios raw{};    // our mode
  char restore[256] = {};
  std::size_t restore_length = 0;
  char enter[256] = {};
  std::size_t enter_length = 0;
  int pipe_read = -1;
  int pipe_write = -1;
};

ActiveTerminal g_term;
std::atomic<bool> g_active{false};     // a Terminal exists
volatile sig_atomic_t g_raw_mode = 0;  // the terminal is in our mode right now
std::terminate_handler g_previous_terminate = nullptr;
bool g_atexit_registered = false;

constexpr int kFatalSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV,
                                 SIGBUS, SIGFPE,  SIGILL, SIGABRT};
constexpr int kNotifySignals[] = {SIGWINCH, SIGCONT};
struct sigaction g_previous[65];

void write_all(int fd, const char* data, std::size_t length) {
  while (length > 0) {
    const ssize_t n = ::write(fd, data, length);
    if (n > 0) {
      data += n;
      length -= static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      return;  // nothing better to do in a handler
    }
  }
}

// Async-signal-safe: write the restore sequence, put the saved mode back.
void restore_now() {
  if (!g_raw_mode) return;
  g_raw_mode = 0;
  const int saved_errno = errno;
  write_all(g_term.out_fd, g_term.restore, g_term.restore_length);
  ::tcsetattr(g_term.in_fd, TCSAFLUSH, &g_term.saved);
  errno = saved_errno;
}

void enter_now() {
  if (::tcsetattr(g_term.in_fd, TCSAFLUSH, &g_term.raw) == 0) g_raw_mode = 1;
  write_all(g_term.out_fd, g_term.enter, g_term.enter_length);
}

void notify(char what) {
  if (g_term.pipe_write < 0) return;
  const int saved_errno = errno;
  const ssize_t ignored = ::write(g_term.pipe_write, &what, 1);  // full pipe: already notified
  (void)ignored;
  errno = saved_errno;
}

void on_fatal_signal(int sig) {
  restore_now();
  // Put back what was there and raise again: the program ends (or its handler runs) as it would
  // have without us.
  ::sigaction(sig, &g_previous[sig], nullptr);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
  ::raise(sig);
}

void on_stop_signal(int) {
  const bool was_raw = g_raw_mode;
  restore_now();
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  struct sigaction ours {};
  ::sigaction(SIGTSTP, &dfl, &ours);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTSTP);
  ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
  ::raise(SIGTSTP);  // stops here until SIGCONT
  ::sigaction(SIGTSTP, &ours, nullptr);
  // SIGCONT tells the loop to re-enter; so does this, for the case where the stop was discarded
  // (a process group without a shell to continue it is not stopped).
  if (was_raw) notify('C');
}

void on_notify_signal(int sig) { notify(sig == SIGWINCH ? 'W' : 'C'); }

void on_terminate() {
  restore_now();
  if (g_previous_terminate) g_previous_terminate();
  std::abort();
}

void at_exit() { restore_now(); }

void install(int sig, void (*handler)(int), int flags) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = flags;
  ::sigaction(sig, &action, &g_previous[sig]);
}

void copy_sequence(const std::string& s, char* buffer, std::size_t& length) {
  length = std::min(s.size(), sizeof(g_term.restore));
  std::memcpy(buffer, s.data(), length);
}

}  // namespace

std::string Terminal::enter_sequence(const TerminalOptions& o) {
  std::string s;
  if (o.alternate_screen) s += "\x1b[?1049h";
  s += "\x1b[?25l";
  if (o.bracketed_paste) s += "\x1b[?2004h";
  if (o.mouse) s += "\x1b[?1000h\x1b[?1002h\x1b[?1006h";
  if (o.focus_events) s += "\x1b[?1004h";
  return s;
}

std::string Terminal::restore_sequence(const TerminalOptions& o) {
  std::string s;
  if (o.focus_events) s += "\x1b[?1004l";
  if (o.mouse) s += "\x1b[?1006l\x1b[?1002l\x1b[?1000l";
  if (o.bracketed_paste) s += "\x1b[?2004l";
  s += "\x1b[0m\x1b[?25h";
  if (o.alternate_screen) s += "\x1b[?1049l";
  return s;
}

Terminal::Terminal(TerminalOptions options) : options_(options) {
  if (!::isatty(options.input_fd) || !::isatty(options.output_fd)) {
    throw std::runtime_error("The full-screen view needs a terminal for its input and output.");
  }
  bool expected = false;
  if (!g_active.compare_exchange_strong(expected, true)) {
    throw std::runtime_error("The terminal is already in use by another view.");
  }
  ActiveTerminal t;
  t.in_fd = options.input_fd;
  t.out_fd = options.output_fd;
  if (::tcgetattr(t.in_fd, &t.saved) != 0) {
    g_active = false;
    throw std::runtime_error("The terminal's settings could not be read.");
  }
  t.raw = t.saved;
  // Raw input: no line editing, no echo, keys like Ctrl-C and Ctrl-Z arrive as bytes, CR is not
  // turned into LF. Output processing stays on, so a stray "\n" still starts a line.
  t.raw.c_iflag &= ~static_cast<tcflag_t>(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
  t.raw.c_cflag |= CS8;
  t.raw.c_lflag &= ~static_cast<tcflag_t>(ECHO | ICANON | IEXTEN | ISIG);
  t.raw.c_cc[VMIN] = 1;
  t.raw.c_cc[VTIME] = 0;
  copy_sequence(enter_sequence(options), t.enter, t.enter_length);
  copy_sequence(restore_sequence(options), t.restore, t.restore_length);
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    g_active = false;
    throw std::runtime_error("The terminal could not be set up (no pipe for its signals).");
  }
  t.pipe_read = fds[0];
  t.pipe_write = fds[1];
  g_term = t;

  for (int sig : kFatalSignals) install(sig, on_fatal_signal, 0);
  install(SIGTSTP, on_stop_signal, SA_RESTART);
  for (int sig : kNotifySignals) install(sig, on_notify_signal, SA_RESTART);
  g_previous_terminate = std::set_terminate(on_terminate);
  if (!g_atexit_registered) {
    std::atexit(at_exit);
    g_atexit_registered = true;
  }
  enter_now();
}

Terminal::~Terminal() {
  restore();
  for (int sig : kFatalSignals) ::sigaction(sig, &g_previous[sig], nullptr);
  ::sigaction(SIGTSTP, &g_previous[SIGTSTP], nullptr);
  for (int sig : kNotifySignals) ::sigaction(sig, &g_previous[sig], nullptr);
  std::set_terminate(g_previous_terminate);
  ::close(g_term.pipe_read);
  ::close(g_term.pipe_write);
  g_term.pipe_read = g_term.pipe_write = -1;
  g_active = false;
}

TerminalSize Terminal::size() const {
  winsize ws{};
  if (::ioctl(options_.output_fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
    return TerminalSize{ws.ws_col, ws.ws_row};
  }
  return TerminalSize{};
}

int Terminal::signal_fd() const noexcept { return g_term.pipe_read; }

Terminal::Signals Terminal::take_signals() {
  Signals s;
  char buf[64];
  for (;;) {
    const ssize_t n = ::read(g_term.pipe_read, buf, sizeof buf);
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] == 'W') s.resized = true;
      if (buf[i] == 'C') s.resumed = true;
    }
  }
  return s;
}

void Terminal::reenter() {
  if (restored_) return;
  const pid_t foreground = ::tcgetpgrp(options_.input_fd);
  if (foreground != -1 && foreground != ::getpgrp()) return;  // in the background
  enter_now();
}

void Terminal::suspend() {
  ::raise(SIGTSTP);  // on_stop_signal restores and stops; we are continued here
  reenter();
}

bool Terminal::active() const noexcept { return !restored_ && g_raw_mode != 0; }

void Terminal::restore() {
  if (restored_) return;
  restored_ = true;
  restore_now();
}

}  // namespace aui::tui
