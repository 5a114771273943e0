// aui::tui's smallest program: a box with text in the middle of the terminal that follows
// resizes, the last key or click shown in it; q (or Ctrl-C) quits, Ctrl-Z suspends.
//
//     build/default/examples/tui_hello/aui_example_tui_hello

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "aui/tui.hpp"

namespace tui = aui::tui;

namespace {

std::string describe(const tui::InputEvent& event) {
  if (const auto* k = std::get_if<tui::KeyEvent>(&event)) {
    std::string s = "key " + std::to_string(static_cast<int>(k->key));
    if (k->key == tui::Key::Char) {
      s = "key ";
      if (has(k->mods, tui::Mod::Ctrl)) s += "Ctrl-";
      if (has(k->mods, tui::Mod::Alt)) s += "Alt-";
      tui::append_utf8(s, k->ch);
    }
    return s;
  }
  if (const auto* t = std::get_if<tui::TextEvent>(&event)) return "typed \"" + t->text + "\"";
  if (const auto* p = std::get_if<tui::PasteEvent>(&event)) {
    return "pasted " + std::to_string(p->text.size()) + " bytes";
  }
  if (const auto* m = std::get_if<tui::MouseEvent>(&event)) {
    return "mouse at " + std::to_string(m->x) + "," + std::to_string(m->y);
  }
  return "focus changed";
}

// Draws a rounded box with a title and two lines of text, centred.
void draw(tui::Screen& screen, const std::string& last) {
  screen.clear();
  auto root = screen.canvas();
  const std::string title = " aui::tui ";
  const std::string line1 =
      "Hello! This box follows the terminal's size: " + std::to_string(screen.width()) + "\u00d7" +
      std::to_string(screen.height());
  const std::string line2 = last.empty() ? "Press a key, click, or paste. q quits." : last;
  const int inner =
      static_cast<int>(std::max(tui::display_width(line1), tui::display_width(line2)));
  const int w = std::min(screen.width(), inner + 4), h = std::min(screen.height(), 6);
  auto box = root.sub((screen.width() - w) / 2, (screen.height() - h) / 2, w, h);
  const tui::Style frame = tui::Style{}.with_fg(tui::colors::cyan);
  box.fill(tui::Rect{1, 0, w - 2, 1}, frame, "\u2500");
  box.fill(tui::Rect{1, h - 1, w - 2, 1}, frame, "\u2500");
  box.fill(tui::Rect{0, 1, 1, h - 2}, frame, "\u2502");
  box.fill(tui::Rect{w - 1, 1, 1, h - 2}, frame, "\u2502");
  box.put(0, 0, "\u256d", frame);
  box.put(w - 1, 0, "\u256e", frame);
  box.put(0, h - 1, "\u2570", frame);
  box.put(w - 1, h - 1, "\u256f", frame);
  box.put(2, 0, title, frame.with(tui::Attr::Bold));
  auto text = box.sub(2, 2, w - 4, h - 4);
  text.put(0, 0, line1, tui::Style{}.with(tui::Attr::Bold));
  text.put(0, 1, line2);  // untrusted (a paste, typed text): put() shows controls, never obeys them
}

}  // namespace

int main() {
  try {
    tui::Terminal terminal;
    tui::UiLoop loop;
    tui::Renderer renderer(tui::detect_terminal_caps());
    tui::FdSink out(terminal.output_fd());
    tui::InputDecoder decoder;
    tui::TerminalSize size = terminal.size();
    tui::Screen screen(size.width, size.height);
    std::string last;

    loop.set_render([&] {
      if (!terminal.active()) return;  // stopped: the resume repaints
      draw(screen, last);
      renderer.render(screen, out);
    });
    const auto handle = [&](std::vector<tui::InputEvent>& events) {
      for (const auto& e : events) {
        if (const auto* k = std::get_if<tui::KeyEvent>(&e)) {
          if (k->key == tui::Key::Char && has(k->mods, tui::Mod::Ctrl) && k->ch == U'c')
            loop.stop();
          if (k->key == tui::Key::Char && has(k->mods, tui::Mod::Ctrl) && k->ch == U'z') {
            terminal.suspend();
            renderer.invalidate();
          }
        }
        if (const auto* t = std::get_if<tui::TextEvent>(&e); t && t->text == "q") loop.stop();
        last = describe(e);
      }
      if (!events.empty()) loop.request_frame();
      events.clear();
    };
    std::vector<tui::InputEvent> events;
    loop.watch(terminal.input_fd(), [&] {
      char buf[4096];
      const ssize_t n = ::read(terminal.input_fd(), buf, sizeof buf);
      if (n <= 0) {
        loop.stop();  // the terminal went away
        return;
      }
      decoder.feed(std::string_view(buf, static_cast<std::size_t>(n)),
                   tui::InputDecoder::Clock::now(), events);
      handle(events);
      if (const auto deadline = decoder.pending_deadline()) {  // a lone Esc: resolve it later
        loop.post_after(*deadline - tui::InputDecoder::Clock::now(), [&] {
          decoder.flush_pending(tui::InputDecoder::Clock::now(), events);
          handle(events);
        });
      }
    });
    loop.watch(terminal.signal_fd(), [&] {
      const auto signals = terminal.take_signals();
      if (signals.resumed) {
        terminal.reenter();
        renderer.invalidate();
      }
      if (signals.resized) {
        size = terminal.size();
        screen.resize(size.width, size.height);
      }
      loop.request_frame();
      loop.render_now();
    });
    loop.request_frame();
    loop.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tui_hello: %s\n", e.what());
    return 1;
  }
  return 0;
}
