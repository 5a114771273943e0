// S1: the SSE path of the backends — SseParser → OpenAIStreamDecoder → DeltaAccumulator, with a
// snapshot (what an adapter yields) after every slice of the body — on the longest recorded
// stream. S2: the same path on that stream's chunks repeated until the text is 50× as long, timing
// the first and the last tenth of the events: the cost per chunk must stay flat (nothing
// re-scans what was already assembled).

#include <benchmark/benchmark.h>

#include <time.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "aui/streaming/openai_stream.hpp"
#include "aui/streaming/sse_parser.hpp"

namespace {

const char* kLongest =
    AUI_SOURCE_DIR "/tests/fixtures/streams/deepseek/deepseek-chat-finish-length.sse";

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return std::move(bytes).str();
}

// Feeds `body` in slices of `slice` bytes, yielding a snapshot after each; returns the text size.
std::size_t parse_and_assemble(std::string_view body, std::size_t slice) {
  aui::OpenAIStreamDecoder decoder;
  aui::SseParser parser([&](const aui::SseEvent& e) { decoder.feed(e); });
  for (std::size_t pos = 0; pos < body.size(); pos += slice) {
    parser.feed(body.substr(pos, slice));
    auto snapshot = decoder.accumulator().snapshot();
    benchmark::DoNotOptimize(snapshot);
  }
  parser.finish();
  decoder.finish();
  const auto last = decoder.accumulator().snapshot();
  return last.content && !last.content->empty()
             ? last.content->front().as<aui::TextPart>().text.size()
             : 0;
}

void S1_sse_parse_assemble_longest_stream(benchmark::State& state) {
  const std::string body = read_file(kLongest);
  if (body.empty()) {
    state.SkipWithError("the recorded stream is missing");
    return;
  }
  const auto slice = static_cast<std::size_t>(state.range(0));
  std::size_t text = 0;
  for (auto _ : state) text = parse_and_assemble(body, slice);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
  state.counters["MB_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * body.size()) / 1e6, benchmark::Counter::kIsRate);
  state.counters["body_bytes"] = static_cast<double>(body.size());
  state.counters["text_bytes"] = static_cast<double>(text);
}

void S2_sse_cost_per_chunk_first_vs_last(benchmark::State& state) {
  const std::string recorded = read_file(kLongest);
  if (recorded.empty()) {
    state.SkipWithError("the recorded stream is missing");
    return;
  }
  // The content events of the recording (all but the role chunk, the finish chunk and [DONE]),
  // 50 times over, then the end.
  std::vector<std::string> events;
  for (std::size_t pos = 0; pos < recorded.size();) {
    const auto end = recorded.find("\n\n", pos);
    const auto stop = end == std::string::npos ? recorded.size() : end + 2;
    events.push_back(recorded.substr(pos, stop - pos));
    pos = stop;
  }
  const std::vector<std::string> content(events.begin() + 1, events.end() - 2);
  std::vector<std::string> body;
  body.push_back(events.front());
  for (int i = 0; i < 50; ++i) body.insert(body.end(), content.begin(), content.end());
  body.insert(body.end(), events.end() - 2, events.end());

  const std::size_t tenth = body.size() / 10;
  double first_ns = 0;
  double last_ns = 0;
  std::size_t bytes = 0;
  for (const auto& e : body) bytes += e.size();
  // The thread's CPU time, read once per tenth: a shared machine preempts the benchmark, and
  // wall time per chunk would mostly measure that.
  const auto cpu_ns = [] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
  };
  for (auto _ : state) {
    aui::OpenAIStreamDecoder decoder;
    aui::SseParser parser([&](const aui::SseEvent& ev) { decoder.feed(ev); });
    const auto feed = [&](std::size_t from, std::size_t to) {
      for (std::size_t i = from; i < to; ++i) {
        parser.feed(body[i]);
        auto snapshot = decoder.accumulator().snapshot();
        benchmark::DoNotOptimize(snapshot);
      }
    };
    double t0 = cpu_ns();
    feed(0, tenth);
    first_ns += cpu_ns() - t0;
    feed(tenth, body.size() - tenth);
    t0 = cpu_ns();
    feed(body.size() - tenth, body.size());
    last_ns += cpu_ns() - t0;
    parser.finish();
    decoder.finish();
  }
  const double n = static_cast<double>(state.iterations() * tenth);
  state.counters["events"] = static_cast<double>(body.size());
  state.counters["body_MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["ns_per_chunk_first10pct"] = first_ns / n;
  state.counters["ns_per_chunk_last10pct"] = last_ns / n;
  state.counters["last_over_first"] = last_ns / first_ns;
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

}  // namespace

// 1460 bytes: one TCP segment, about what each read from the socket hands the parser.
BENCHMARK(S1_sse_parse_assemble_longest_stream)
    ->Arg(1460)
    ->Arg(16384)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(S2_sse_cost_per_chunk_first_vs_last)->Unit(benchmark::kMillisecond)->Iterations(5);
