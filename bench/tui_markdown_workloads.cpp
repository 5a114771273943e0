// Markdown in the terminal view while a reply streams (issue 17, item 3). Run:
//
//     build/default/bench/aui_bench --benchmark_filter='T_md'
//
// T_md_stream/<bytes>: a reply of mixed Markdown (paragraphs, nested lists, fenced code in three
// languages, a table, quotes) is streamed into a MarkdownStream at 80 columns in slices of 24
// bytes (a few tokens). Before timing, the first <bytes> of it arrive; the timed iterations
// are the slices after that point, over one whole period of the reply's pattern (so every block
// kind is in the average). An iteration is one update (parse of the unfinished end, its layout and
// highlighting); the counter parsed_bytes_per_slice is what md4c was given per update. Flat
// across <bytes> means the cost does not grow with the reply.
// T_md_stream_code/<lines>: the unfinished block is one code block of <lines> lines (C++), still
// growing: an update re-parses and lays out that block (its cost grows with the block, not with
// what came before it); its highlighting goes on from the last whole line.
// T_md_full_render/<bytes>: the same slices, but each one rendered from scratch (parse and lay out
// the whole text so far): what streaming would cost without MarkdownStream.

#include <benchmark/benchmark.h>

#include <string>
#include <string_view>

#include "aui/tui/markdown_layout.hpp"
#include "aui/tui/markdown_stream.hpp"

namespace {

using aui::tui::MarkdownRenderer;
using aui::tui::MarkdownStream;

constexpr int kWidth = 80;
constexpr std::size_t kSlice = 24;

// One period of the reply (about 1.9 KB); the reply repeats it with a counter.
std::string section(int i) {
  const std::string n = std::to_string(i);
  return "## Step " + n +
         "\n\n"
         "This step explains **what happens** when the build runs, with `inline code`, a "
         "[link](https://example.com/step/" +
         n +
         ") and enough words that the paragraph wraps over a few lines at eighty columns.\n\n"
         "1. First, configure:\n"
         "   - with the default preset\n"
         "   - or with `-DAUI_WITH_TUI=ON`\n"
         "2. Then build the targets you need.\n\n"
         "```cpp\n"
         "#include <vector>\n"
         "int step_" +
         n +
         "(const std::vector<int>& xs) {\n"
         "  int sum = 0;  // add them up\n"
         "  for (int x : xs) sum += x * 2;\n"
         "  return sum;\n"
         "}\n"
         "```\n\n"
         "```python\n"
         "def step(xs):\n"
         "    \"\"\"Doubles and sums.\"\"\"\n"
         "    return sum(x * 2 for x in xs)\n"
         "```\n\n"
         "| Option | Default | Meaning |\n"
         "|:-------|:-------:|--------:|\n"
         "| width | 80 | columns of the view |\n"
         "| theme | standard | colours of kinds |\n\n"
         "> A quoted remark about step " +
         n +
         ", which also wraps when it is long enough to need a second line.\n\n"
         "```sh\n"
         "cmake --build build/default --target aui_tui -j2\n"
         "```\n\n";
}

std::string reply_of(std::size_t bytes) {
  std::string reply;
  for (int i = 0; reply.size() < bytes; ++i) reply += section(i);
  return reply;
}

void T_md_stream(benchmark::State& state) {
  const auto start = static_cast<std::size_t>(state.range(0));
  const std::size_t period = section(0).size();
  const std::string reply = reply_of(start + 2 * period);
  const std::string_view text(reply);
  MarkdownRenderer renderer;
  MarkdownStream stream(renderer, kWidth);
  // The reply so far arrives at once (the complete blocks are laid out as one chunk, which is
  // all a stream keeps of them); the timed slices follow it.
  auto prime = [&] {
    stream.reset();
    stream.update(text.substr(0, start));
  };
  prime();
  std::size_t end = start, slices = 0, parsed = 0;
  for (auto _ : state) {
    end += kSlice;
    if (end > start + period) {
      state.PauseTiming();
      prime();
      end = start + kSlice;
      state.ResumeTiming();
    }
    stream.update(text.substr(0, end));
    benchmark::DoNotOptimize(stream.line_count());
    parsed += stream.last_parsed_bytes();
    ++slices;
  }
  state.counters["parsed_bytes_per_slice"] =
      static_cast<double>(parsed) / static_cast<double>(slices);
}
BENCHMARK(T_md_stream)->Arg(4 << 10)->Arg(64 << 10)->Arg(512 << 10)->Unit(benchmark::kMicrosecond);

void T_md_stream_code(benchmark::State& state) {
  const auto lines = static_cast<int>(state.range(0));
  std::string reply = "Intro.\n\n```cpp\n";
  for (int i = 0; i < lines + 200; ++i) {
    reply += "  int value_" + std::to_string(i) + " = compute(" + std::to_string(i) +
             ", \"text\");  // note\n";
  }
  const std::string_view text(reply);
  std::size_t start = 0;
  for (int i = 0; i < lines + 2; ++i) start = reply.find('\n', start) + 1;
  const std::size_t stop = reply.find('\n', start + 100 * 50);
  MarkdownRenderer renderer;
  MarkdownStream stream(renderer, kWidth);
  stream.update(text.substr(0, start));
  std::size_t end = start;
  for (auto _ : state) {
    end += kSlice;
    if (end > stop) {
      state.PauseTiming();
      stream.reset();
      stream.update(text.substr(0, start));
      end = start + kSlice;
      state.ResumeTiming();
    }
    stream.update(text.substr(0, end));
    benchmark::DoNotOptimize(stream.line_count());
  }
}
BENCHMARK(T_md_stream_code)->Arg(50)->Arg(1000)->Unit(benchmark::kMicrosecond);

void T_md_full_render(benchmark::State& state) {
  const auto start = static_cast<std::size_t>(state.range(0));
  const std::size_t period = section(0).size();
  const std::string reply = reply_of(start + 2 * period);
  MarkdownRenderer renderer;
  std::size_t end = start;
  for (auto _ : state) {
    end += kSlice;
    if (end > start + period) end = start + kSlice;
    benchmark::DoNotOptimize(renderer.render(std::string_view(reply).substr(0, end), kWidth));
  }
}
BENCHMARK(T_md_full_render)->Arg(4 << 10)->Arg(64 << 10)->Unit(benchmark::kMicrosecond);

}  // namespace
