// The terminal UI's workloads (issue 17). Run:
//
//     build/default/bench/aui_bench --benchmark_filter='T0'
//
// T0_render_diff_120x40: a full 120×40 screen of text where one streamed line grows by a token
// each frame (what a reply streaming at the bottom of a transcript costs the renderer): the time
// of a frame (the line put into the screen, the diff rendered into a buffer) and its bytes.
// T0_redraw_and_diff_120x40: the same, but each frame draws the whole screen again first (clear
// and 40 lines put), as an immediate-mode view does, so it is the renderer plus the screen's
// cost per frame.
// T_editor_paste_100k: a 100 kB bracketed paste (2,500 lines of 40 bytes) into an Editor holding
// a short draft, then one 120×8 draw of it: what the user waits for between pasting and seeing
// the text (the paste is one edit; only the visible rows are drawn).
// T_editor_type_after_paste_100k: in the middle of that 100 kB text, a character typed and the
// editor drawn, then Backspace and drawn again (two keystrokes a iteration, so the text keeps its
// size): a keystroke re-wraps only its own line.
// T_sidebar_10k_filter_and_draw: a ThreadSidebar of 10,000 threads at 32×40; a character typed
// into its search field (one filtering pass over the titles) and the sidebar drawn, then
// Backspace and drawn again (two keystrokes an iteration).

#include <benchmark/benchmark.h>

#include <string>

#include "aui/tui/editor.hpp"
#include "aui/tui/renderer.hpp"
#include "aui/tui/screen.hpp"
#include "aui/tui/thread_sidebar.hpp"

namespace {

using aui::tui::Renderer;
using aui::tui::Screen;
using aui::tui::StringSink;
using aui::tui::Style;

constexpr int kWidth = 120, kHeight = 40;

std::string history_line(int y) {
  std::string line = "message " + std::to_string(y) + ": ";
  while (line.size() < 110) line += "lorem ipsum dolor sit amet ";
  return line.substr(0, 110);
}

void draw_history(Screen& screen) {
  auto c = screen.canvas();
  const Style user = Style{}.with_fg(aui::tui::colors::cyan).with(aui::tui::Attr::Bold);
  for (int y = 0; y < kHeight - 1; ++y) c.put(0, y, history_line(y), y % 3 == 0 ? user : Style{});
}

// The streamed line after `frame` tokens: the tail that fits the last row.
std::string streamed(int frame) {
  std::string line;
  for (int i = 0; i <= frame % 28; ++i) line += "tok" + std::to_string(i % 10) + " ";
  return line;
}

void T0_render_diff_120x40(benchmark::State& state) {
  Screen screen(kWidth, kHeight);
  draw_history(screen);
  Renderer renderer;
  StringSink sink;
  renderer.render(screen, sink);
  sink.take();
  std::size_t bytes = 0, frames = 0;
  int frame = 0;
  for (auto _ : state) {
    auto c = screen.canvas();
    if (frame % 28 == 0) c.fill(aui::tui::Rect{0, kHeight - 1, kWidth, 1});  // a new line starts
    c.put(0, kHeight - 1, streamed(frame));
    renderer.render(screen, sink);
    bytes += renderer.last_frame().bytes;
    ++frames;
    sink.take();
    ++frame;
  }
  state.counters["bytes_per_frame"] = static_cast<double>(bytes) / static_cast<double>(frames);
}
BENCHMARK(T0_render_diff_120x40);

void T0_redraw_and_diff_120x40(benchmark::State& state) {
  Screen screen(kWidth, kHeight);
  Renderer renderer;
  StringSink sink;
  draw_history(screen);
  renderer.render(screen, sink);
  sink.take();
  std::size_t bytes = 0, frames = 0;
  int frame = 0;
  for (auto _ : state) {
    screen.clear();
    draw_history(screen);
    screen.canvas().put(0, kHeight - 1, streamed(frame));
    renderer.render(screen, sink);
    bytes += renderer.last_frame().bytes;
    ++frames;
    sink.take();
    ++frame;
  }
  state.counters["bytes_per_frame"] = static_cast<double>(bytes) / static_cast<double>(frames);
}
BENCHMARK(T0_redraw_and_diff_120x40);

void T_editor_paste_100k(benchmark::State& state) {
  std::string paste;
  while (paste.size() < 100000) paste += "pasted line of text, forty bytes long.\n";
  Screen screen(kWidth, 8);
  for (auto _ : state) {
    aui::tui::Editor editor;
    editor.handle(aui::tui::TextEvent{"draft: "});
    editor.handle(aui::tui::PasteEvent{paste});
    auto c = screen.canvas();
    editor.draw(c);
    benchmark::DoNotOptimize(editor.cursor_position());
  }
  state.counters["paste_bytes"] = static_cast<double>(paste.size());
}
BENCHMARK(T_editor_paste_100k);

void T_editor_type_after_paste_100k(benchmark::State& state) {
  std::string paste;
  while (paste.size() < 100000) paste += "pasted line of text, forty bytes long.\n";
  Screen screen(kWidth, 8);
  aui::tui::Editor editor;
  editor.handle(aui::tui::PasteEvent{paste});
  for (int i = 0; i < 1250; ++i) editor.handle(aui::tui::KeyEvent{aui::tui::Key::Up});
  auto c = screen.canvas();
  editor.draw(c);
  for (auto _ : state) {
    editor.handle(aui::tui::TextEvent{"x"});
    editor.draw(c);
    editor.handle(aui::tui::KeyEvent{aui::tui::Key::Backspace});
    editor.draw(c);
    benchmark::DoNotOptimize(editor.cursor_position());
  }
}
BENCHMARK(T_editor_type_after_paste_100k);

void T_sidebar_10k_filter_and_draw(benchmark::State& state) {
  std::vector<aui::tui::ThreadEntry> threads;
  for (int i = 0; i < 10000; ++i) {
    threads.push_back({"id" + std::to_string(i), "Conversation about topic " + std::to_string(i),
                       i % 50 == 0, i % 7 == 0});
  }
  aui::tui::ThreadSidebar sidebar;
  sidebar.set_threads(std::move(threads));
  sidebar.handle(aui::tui::TextEvent{"/"});
  sidebar.handle(aui::tui::TextEvent{"topic 1"});
  Screen screen(32, kHeight);
  auto c = screen.canvas();
  for (auto _ : state) {
    sidebar.handle(aui::tui::TextEvent{"2"});
    sidebar.draw(c);
    sidebar.handle(aui::tui::KeyEvent{aui::tui::Key::Backspace});
    sidebar.draw(c);
  }
  state.counters["shown"] = static_cast<double>(sidebar.visible().size());
}
BENCHMARK(T_sidebar_10k_filter_and_draw);

}  // namespace
