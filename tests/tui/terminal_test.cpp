// The real terminal on a pseudo-terminal: raw mode and the enter sequence, and the terminal put
// back on every way out — normal exit, exit(), a fatal signal, an uncaught exception, a stop.

#include "aui/tui/terminal.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>

namespace {

using aui::tui::Terminal;
using aui::tui::TerminalOptions;

struct Pty {
  int master = -1, slave = -1;
  Pty() {
    winsize ws{};
    ws.ws_col = 100;
    ws.ws_row = 30;
    if (openpty(&master, &slave, nullptr, nullptr, &ws) != 0) throw std::runtime_error("openpty");
  }
  ~Pty() {
    if (master >= 0) close(master);
    if (slave >= 0) close(slave);
  }
  // Everything the program wrote, until it closed its side (or `limit_ms` of silence).
  std::string drain(int limit_ms = 200) const {
    std::string out;
    char buf[4096];
    for (;;) {
      pollfd p{master, POLLIN, 0};
      if (poll(&p, 1, limit_ms) <= 0) break;
      const ssize_t n = read(master, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }
  bool canonical() const {
    termios t{};
    tcgetattr(slave, &t);
    return (t.c_lflag & ICANON) != 0 && (t.c_lflag & ECHO) != 0;
  }
};

TerminalOptions on(const Pty& pty) {
  TerminalOptions o;
  o.input_fd = pty.slave;
  o.output_fd = pty.slave;
  return o;
}

TEST(Terminal, EntersRawModeAndRestoresOnDestruction) {
  Pty pty;
  ASSERT_TRUE(pty.canonical());
  {
    Terminal term(on(pty));
    EXPECT_FALSE(pty.canonical());
    EXPECT_EQ(term.size(), (aui::tui::TerminalSize{100, 30}));
    const std::string entered = pty.drain(100);
    EXPECT_EQ(entered, Terminal::enter_sequence(on(pty)));
    EXPECT_NE(entered.find("\x1b[?1049h"), std::string::npos);
    EXPECT_NE(entered.find("\x1b[?2004h"), std::string::npos);
    EXPECT_NE(entered.find("\x1b[?1006h"), std::string::npos);
    EXPECT_THROW(Terminal second(on(pty)), std::runtime_error);  // one at a time
  }
  EXPECT_TRUE(pty.canonical());
  const std::string left = pty.drain(100);
  EXPECT_EQ(left, Terminal::restore_sequence(on(pty)));
  EXPECT_NE(left.find("\x1b[?1049l"), std::string::npos);
  EXPECT_NE(left.find("\x1b[?25h"), std::string::npos);
}

TEST(Terminal, RefusesWhatIsNotATerminal) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  TerminalOptions o;
  o.input_fd = fds[0];
  o.output_fd = fds[1];
  EXPECT_THROW(Terminal t(o), std::runtime_error);
  close(fds[0]);
  close(fds[1]);
}

TEST(Terminal, ResizeIsReportedThroughTheSignalPipe) {
  Pty pty;
  Terminal term(on(pty));
  EXPECT_FALSE(term.take_signals().resized);
  winsize ws{};
  ws.ws_col = 60;
  ws.ws_row = 20;
  ioctl(pty.master, TIOCSWINSZ, &ws);
  raise(SIGWINCH);  // the pty is not our controlling terminal: send what the kernel would
  pollfd p{term.signal_fd(), POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 1000), 1);
  const auto signals = term.take_signals();
  EXPECT_TRUE(signals.resized);
  EXPECT_FALSE(signals.resumed);
  EXPECT_EQ(term.size(), (aui::tui::TerminalSize{60, 20}));
}

// Runs `body` in a child with a Terminal on the pty; returns its wait status.
template <class Body>
int in_child(Pty& pty, Body body) {
  std::fflush(nullptr);  // the child must not write our buffered output again
  const pid_t pid = fork();
  if (pid == 0) {
    close(pty.master);
    const rlimit no_core{0, 0};  // SIGQUIT, SIGSEGV and SIGABRT would leave a core file
    setrlimit(RLIMIT_CORE, &no_core);
    // Quiet: "terminate called ..." and a sanitizer's report of the raised SIGSEGV are expected.
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) dup2(null, STDERR_FILENO);
    try {
      body();
    } catch (...) {
    }
    _exit(99);  // body should not get here
  }
  int status = 0;
  for (;;) {
    if (waitpid(pid, &status, WUNTRACED) < 0) break;
    if (WIFSTOPPED(status)) {
      kill(pid, SIGCONT);
      continue;
    }
    break;
  }
  return status;
}

void expect_restored_after_entering(const std::string& out, const TerminalOptions& o) {
  const auto entered = out.find(Terminal::enter_sequence(o));
  ASSERT_NE(entered, std::string::npos) << testing::PrintToString(out);
  EXPECT_NE(out.find(Terminal::restore_sequence(o), entered), std::string::npos)
      << testing::PrintToString(out);
}

TEST(Terminal, RestoredOnExit) {
  Pty pty;
  const int status = in_child(pty, [&] {
    static Terminal* leaked = new Terminal(on(pty));  // never destroyed: the atexit hook restores
    (void)leaked;
    std::exit(0);
  });
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  expect_restored_after_entering(pty.drain(), on(pty));
  EXPECT_TRUE(pty.canonical());
}

class TerminalSignal : public ::testing::TestWithParam<int> {};

TEST_P(TerminalSignal, RestoredThenTheSignalEndsTheProgram) {
  Pty pty;
  const int sig = GetParam();
  const int status = in_child(pty, [&] {
    Terminal term(on(pty));
    raise(sig);
    pause();
  });
  if (sig == SIGSEGV && WIFEXITED(status)) {
    // The previous handler ran, as it should: a sanitizer's reports the fault and exits.
    EXPECT_NE(WEXITSTATUS(status), 0);
  } else {
    ASSERT_TRUE(WIFSIGNALED(status)) << status;
    EXPECT_EQ(WTERMSIG(status), sig);
  }
  expect_restored_after_entering(pty.drain(), on(pty));
  EXPECT_TRUE(pty.canonical());
}

INSTANTIATE_TEST_SUITE_P(Signals, TerminalSignal,
                         ::testing::Values(SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGABRT));

TEST(Terminal, RestoredOnAnUncaughtException) {
  Pty pty;
  const int status = in_child(pty, [&] {
    Terminal term(on(pty));
    // What the runtime calls for an exception nothing catches (or one leaving a noexcept function
    // or a thread).
    std::terminate();
  });
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGABRT);
  expect_restored_after_entering(pty.drain(), on(pty));
}

TEST(Terminal, StopRestoresAndContinueReenters) {
  Pty pty;
  const int status = in_child(pty, [&] {
    Terminal term(on(pty));
    if (!term.active()) _exit(2);
    term.suspend();  // as Ctrl-Z: restored, stopped (the test continues it), re-entered
    if (!term.active()) _exit(5);
    pollfd p{term.signal_fd(), POLLIN, 0};
    if (poll(&p, 1, 5000) != 1 || !term.take_signals().resumed) _exit(3);  // the loop is told too
    const char back[] = "back";
    if (write(pty.slave, back, 4) != 4) _exit(4);
    _exit(0);  // no restore: the output ends with the program's own bytes
  });
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  const std::string out = pty.drain();
  const auto o = on(pty);
  const std::string expected = Terminal::enter_sequence(o) + Terminal::restore_sequence(o) +
                               Terminal::enter_sequence(o) + "back";
  EXPECT_EQ(out, expected) << testing::PrintToString(out);
}

}  // namespace
