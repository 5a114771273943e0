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

// ---- The transcript view (TranscriptView) ---------------------------------------------------
//
//     build/default/bench/aui_bench --benchmark_filter='T[12]_|TV_'
//
// T1_frame_1000_messages_streaming / T2_frame_10000_messages_streaming: a thread of 1,000 /
// 10,000 imported messages (a real ThreadRuntime), 120×40, a reply streaming into it a slice at a
// time (each slice applied by the runtime on the test driver, not timed). A frame — the view's
// sync and layout of the visible rows, drawn into the screen, the diff rendered to a null sink —
// is timed by hand; counters: frame_median_ms, frame_p95_ms, bytes_per_frame.
// The _markdown variants lay assistant text out as Markdown (MarkdownTextLayout, as aui-chat
// does): the streaming reply re-parses only its last block.
// TV_first_paint_10000: a new view's first full frame of a 10,000-message thread.
// TV_thread_switch_10000: switching the view between two 10,000-message threads to a full frame.

#include <algorithm>
#include <chrono>
#include <deque>
#include <memory>
#include <vector>

#include "aui/runtime/thread_runtime.hpp"
#include "aui/testing/driver.hpp"
#include "aui/tui/markdown_transcript.hpp"
#include "aui/tui/transcript_view.hpp"
#include "bench_support.hpp"

namespace {

// Counts the bytes of each frame and drops them.
class NullSink : public aui::tui::ByteSink {
 public:
  void write(std::string_view bytes) override { total += bytes.size(); }
  std::size_t total = 0;
};

aui::MessagePtr bench_message(std::size_t i, const std::string& prefix) {
  auto m = std::make_shared<aui::ThreadMessage>();
  m->id = prefix + std::to_string(i);
  m->role = i % 2 ? aui::Role::Assistant : aui::Role::User;
  std::string text = "Message " + std::to_string(i) + ". ";
  const std::size_t words = i % 2 ? 60 : 12;
  for (std::size_t w = 0; w < words; ++w) text += (w % 9 == 8) ? "paragraph\n" : "lorem ipsum ";
  m->content.push_back(aui::TextPart{aui::Text(text)});
  m->status = aui::MessageStatus::complete(aui::StatusReason::Stop);
  return m;
}

// A single branch of `n` messages, message i made by `make(i)`.
template <typename Make>
aui::ExportedMessageRepository chain_repository(std::size_t n, Make make) {
  aui::ExportedMessageRepository repo;
  std::optional<aui::Id> parent;
  for (std::size_t i = 0; i < n; ++i) {
    aui::MessagePtr m = make(i);
    repo.messages.push_back({m, parent, std::nullopt});
    parent = m->id;
  }
  repo.head_id = parent;
  return repo;
}

aui::ExportedMessageRepository bench_repository(std::size_t n, const std::string& prefix) {
  return chain_repository(n, [&](std::size_t i) { return bench_message(i, prefix); });
}

struct BenchThread {
  aui::testing::Driver driver;
  std::deque<aui::testing::Gate> gates;
  std::unique_ptr<aui::ThreadRuntime> thread;

  BenchThread(std::size_t messages, std::size_t slices, const std::string& prefix) : gates(slices) {
    aui::ThreadRuntimeOptions o;
    o.dispatcher = driver.dispatcher();
    o.executor = driver.executor();
    o.clock = driver.clock();
    o.chat_model = [this](const aui::ChatModelRunOptions&, aui::RunResultSink& sink) {
      std::string reply;
      for (std::size_t k = 0; k < gates.size(); ++k) {
        gates[k].wait(driver);
        reply += "token" + std::to_string(k % 100) + ((k % 23 == 22) ? "\n" : " ");
        sink.yield(aui::ChatModelRunResult::text(aui::Text(reply)));
      }
    };
    thread = std::make_unique<aui::ThreadRuntime>(std::move(o));
    thread->import_repository(bench_repository(messages, prefix));
    driver.settle();
  }
  ~BenchThread() {
    for (auto& g : gates) g.release();
    driver.settle();
  }
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

void frame_streaming(benchmark::State& state, std::size_t messages, bool markdown = false) {
  constexpr std::size_t kSlices = 600;
  BenchThread bt(messages, kSlices, "m");
  // aui-chat's view: assistant text as Markdown, the streaming reply through a MarkdownStream.
  aui::tui::MarkdownTextLayout markdown_layout;
  aui::tui::TranscriptViewOptions options;
  if (markdown) options.layout.text_layout = markdown_layout.hook();
  aui::tui::TranscriptView view(std::move(options));
  view.set_thread(bt.thread.get());
  Screen screen(kWidth, kHeight);
  Renderer renderer;
  NullSink sink;
  auto frame = [&] {
    auto c = screen.canvas();
    view.draw(c);
    renderer.render(screen, sink);
  };
  frame();  // the first paint
  bt.thread->append("stream a reply");
  bt.driver.settle();
  frame();
  std::vector<double> ms;
  std::size_t bytes = 0, k = 0;
  for (auto _ : state) {
    if (k >= kSlices) {
      state.SkipWithError("out of slices");
      break;
    }
    bt.gates[k++].release();
    bt.driver.settle();
    const std::size_t before = sink.total;
    const auto t0 = std::chrono::steady_clock::now();
    frame();
    const auto t1 = std::chrono::steady_clock::now();
    const double s = std::chrono::duration<double>(t1 - t0).count();
    state.SetIterationTime(s);
    ms.push_back(s * 1000);
    bytes += sink.total - before;
  }
  state.counters["frame_median_ms"] = percentile(ms, 0.5);
  state.counters["frame_p95_ms"] = percentile(ms, 0.95);
  state.counters["bytes_per_frame"] =
      ms.empty() ? 0 : static_cast<double>(bytes) / static_cast<double>(ms.size());
}

void T1_frame_1000_messages_streaming(benchmark::State& state) { frame_streaming(state, 1000); }
void T2_frame_10000_messages_streaming(benchmark::State& state) { frame_streaming(state, 10000); }
BENCHMARK(T1_frame_1000_messages_streaming)->UseManualTime()->Iterations(500);
BENCHMARK(T2_frame_10000_messages_streaming)->UseManualTime()->Iterations(500);
// The same with the Markdown layout hook aui-chat's full-screen app uses.
void T1_frame_1000_messages_streaming_markdown(benchmark::State& state) {
  frame_streaming(state, 1000, true);
}
void T2_frame_10000_messages_streaming_markdown(benchmark::State& state) {
  frame_streaming(state, 10000, true);
}
BENCHMARK(T1_frame_1000_messages_streaming_markdown)->UseManualTime()->Iterations(500);
BENCHMARK(T2_frame_10000_messages_streaming_markdown)->UseManualTime()->Iterations(500);

void TV_first_paint_10000(benchmark::State& state) {
  BenchThread bt(10000, 0, "m");
  Renderer renderer;
  NullSink sink;
  for (auto _ : state) {
    aui::tui::TranscriptView view;
    Screen screen(kWidth, kHeight);
    view.set_thread(bt.thread.get());
    auto c = screen.canvas();
    view.draw(c);
    renderer.invalidate();
    renderer.render(screen, sink);
  }
}
BENCHMARK(TV_first_paint_10000)->Unit(benchmark::kMillisecond);

void TV_thread_switch_10000(benchmark::State& state) {
  BenchThread a(10000, 0, "a"), b(10000, 0, "b");
  aui::tui::TranscriptView view;
  Screen screen(kWidth, kHeight);
  Renderer renderer;
  NullSink sink;
  bool on_a = true;
  for (auto _ : state) {
    view.set_thread(on_a ? b.thread.get() : a.thread.get());
    on_a = !on_a;
    auto c = screen.canvas();
    view.draw(c);
    renderer.render(screen, sink);
  }
}
BENCHMARK(TV_thread_switch_10000)->Unit(benchmark::kMillisecond);

}  // namespace

// ---- The view's memory (issue 17: ≤ 20 % of the runtime's on W2's thread) --------------------
//
//     build/default/bench/aui_bench --benchmark_filter='TV_memory'
//
// TV_memory_w2_thread: W2's thread — 2,000 turns, a question and a 200-character reply each —
// imported into a real ThreadRuntime; the heap it holds (`runtime_heap_bytes`, mallinfo2, after
// the import settled) against what a TranscriptView adds at 120×40: after its first frame
// (`view_heap_bytes`, `view_over_runtime`), and after the user scrolled through the whole thread
// a page at a time, drawing each page, so every message was laid out once
// (`view_heap_scrolled_bytes`, `view_scrolled_over_runtime`).

namespace {

aui::ExportedMessageRepository w2_repository() {
  return chain_repository(4000, [](std::size_t i) {
    auto m = std::make_shared<aui::ThreadMessage>();
    m->id = "w" + std::to_string(i);
    m->role = i % 2 ? aui::Role::Assistant : aui::Role::User;
    m->content.push_back(aui::TextPart{
        aui::Text(i % 2 ? std::string(200, 'r') : "question number " + std::to_string(i / 2))});
    m->status = aui::MessageStatus::complete(aui::StatusReason::Stop);
    return m;
  });
}

}  // namespace

void TV_memory_w2_thread(benchmark::State& state) {
  for (auto _ : state) {
    aui::testing::Driver driver;
    aui::ThreadRuntimeOptions o;
    o.dispatcher = driver.dispatcher();
    o.executor = driver.executor();
    o.clock = driver.clock();
    o.chat_model = [](const aui::ChatModelRunOptions&, aui::RunResultSink&) {};
    const std::size_t before_runtime = aui::bench::heap_in_use();
    auto repo = w2_repository();
    auto thread = std::make_unique<aui::ThreadRuntime>(std::move(o));
    thread->import_repository(repo);
    driver.settle();
    repo = {};  // the runtime holds the messages now; the repository's copies of the pointers go
    const std::size_t runtime_heap = aui::bench::heap_in_use() - before_runtime;

    Screen screen(kWidth, kHeight);
    Renderer renderer;
    NullSink sink;
    const std::size_t before_view = aui::bench::heap_in_use();
    auto view = std::make_unique<aui::tui::TranscriptView>();
    view->set_thread(thread.get());
    {
      auto c = screen.canvas();
      view->draw(c);
    }
    const std::size_t view_heap = aui::bench::heap_in_use() - before_view;
    view->scroll_to_top();
    for (int page = 0; page < 20000 && !view->at_bottom(); ++page) {
      auto c = screen.canvas();
      view->draw(c);
      view->scroll_by(kHeight);
    }
    {
      auto c = screen.canvas();
      view->draw(c);
    }
    const std::size_t scrolled_heap = aui::bench::heap_in_use() - before_view;
    benchmark::DoNotOptimize(sink.total);
    state.counters["runtime_heap_bytes"] = static_cast<double>(runtime_heap);
    state.counters["view_heap_bytes"] = static_cast<double>(view_heap);
    state.counters["view_over_runtime"] =
        static_cast<double>(view_heap) / static_cast<double>(runtime_heap);
    state.counters["view_heap_scrolled_bytes"] = static_cast<double>(scrolled_heap);
    state.counters["view_scrolled_over_runtime"] =
        static_cast<double>(scrolled_heap) / static_cast<double>(runtime_heap);
  }
}
BENCHMARK(TV_memory_w2_thread)->Iterations(1)->Unit(benchmark::kMillisecond);
