// The pieces together, as a program uses them: a Terminal on a pseudo-terminal, the UiLoop
// watching its input, the InputDecoder (its lone-Esc timeout on the loop's timer, a fake clock),
// a Screen drawn on request and the Renderer's bytes read back through libvterm.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <unistd.h>
#include <vterm.h>

#include <memory>
#include <string>
#include <vector>

#include "aui/tui.hpp"

namespace {

namespace tui = aui::tui;
using namespace std::chrono_literals;

TEST(EndToEnd, KeysInFramesOut) {
  winsize ws{};
  ws.ws_col = 40;
  ws.ws_row = 6;
  int master = -1, slave = -1;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, &ws), 0);

  std::unique_ptr<VTerm, decltype(&vterm_free)> vt(vterm_new(6, 40), &vterm_free);
  vterm_set_utf8(vt.get(), 1);
  VTermScreen* vs = vterm_obtain_screen(vt.get());
  vterm_screen_reset(vs, 1);
  // What the terminal shows on row `y` (trailing blanks dropped), after reading what was written.
  const auto pump = [&] {
    char buf[4096];
    pollfd p{master, POLLIN, 0};
    while (poll(&p, 1, 0) == 1) {
      const ssize_t n = read(master, buf, sizeof buf);
      if (n <= 0) break;
      vterm_input_write(vt.get(), buf, static_cast<std::size_t>(n));
    }
  };
  const auto row = [&](int y) {
    std::string out;
    for (int x = 0; x < 40; ++x) {
      VTermScreenCell c;
      vterm_screen_get_cell(vs, VTermPos{y, x}, &c);
      if (c.chars[0] == 0) {
        out += ' ';
        continue;
      }
      for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && c.chars[i]; ++i) {
        tui::append_utf8(out, static_cast<char32_t>(c.chars[i]));
      }
      x += c.width - 1;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
  };

  auto now = std::chrono::steady_clock::time_point(std::chrono::seconds(100));
  {
    tui::TerminalOptions options;
    options.input_fd = options.output_fd = slave;
    tui::Terminal terminal(options);
    tui::UiLoop loop(tui::UiLoopOptions{16ms, [&] { return now; }, 4096});
    tui::Renderer renderer;
    tui::FdSink out(terminal.output_fd());
    tui::InputDecoder decoder;
    const auto size = terminal.size();
    tui::Screen screen(size.width, size.height);
    std::string typed;
    std::vector<std::string> keys;

    loop.set_render([&] {
      screen.clear();
      auto c = screen.canvas();
      c.put(0, 0, "typed: " + typed, tui::Style{}.with(tui::Attr::Bold));
      std::string k;
      for (const auto& s : keys) k += s + " ";
      c.put(0, 1, "keys: " + k);
      renderer.render(screen, out);
    });
    std::vector<tui::InputEvent> events;
    const auto handle = [&] {
      for (const auto& e : events) {
        if (const auto* t = std::get_if<tui::TextEvent>(&e)) typed += t->text;
        if (const auto* p = std::get_if<tui::PasteEvent>(&e)) typed += "[paste:" + p->text + "]";
        if (const auto* k = std::get_if<tui::KeyEvent>(&e)) {
          keys.push_back(k->key == tui::Key::Escape ? "Esc"
                         : k->key == tui::Key::Up   ? "Up"
                                                    : "other");
        }
      }
      if (!events.empty()) loop.request_frame();
      events.clear();
    };
    loop.watch(terminal.input_fd(), [&] {
      char buf[4096];
      const ssize_t n = read(terminal.input_fd(), buf, sizeof buf);
      if (n <= 0) return;
      decoder.feed(std::string_view(buf, static_cast<std::size_t>(n)), now, events);
      handle();
      if (const auto deadline = decoder.pending_deadline()) {
        loop.post_after(*deadline - now, [&] {
          decoder.flush_pending(now, events);
          handle();
        });
      }
    });
    loop.request_frame();
    loop.run_once(0ms);
    pump();
    EXPECT_EQ(row(0), "typed:");

    // Keys typed into the terminal: text, an arrow, a paste with an escape in it, a lone Esc.
    const std::string input = "hi\x1b[A\x1b[200~x\x1b[2Jy\x1b[201~\x1b";
    ASSERT_EQ(write(master, input.data(), input.size()), static_cast<ssize_t>(input.size()));
    pollfd p{slave, POLLIN, 0};
    ASSERT_EQ(poll(&p, 1, 5000), 1);
    loop.run_once(0ms);
    now += 20ms;  // a frame is due; the Esc's 30 ms are not over
    loop.run_once(0ms);
    pump();
    EXPECT_EQ(row(0), "typed: hi[paste:x␛[2Jy]");  // the paste's escape is shown, not obeyed
    EXPECT_EQ(row(1), "keys: Up");
    now += 20ms;  // the Esc's timeout has passed: the loop's timer resolves it
    loop.run_once(0ms);
    pump();
    EXPECT_EQ(row(1), "keys: Up Esc");
    EXPECT_LE(loop.frames_drawn(), 3u);
  }
  pump();  // the restore sequence: back to the main screen
  close(master);
  close(slave);
}

}  // namespace
