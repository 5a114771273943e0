// The runtime workloads W1–W3 (issue: core runtime), each exactly as specified so that they can
// be compared side by side with assistant-ui's own runtime. Run:
//
//     build/default/bench/aui_bench --benchmark_filter='W[123]'
//
// Each workload runs once per benchmark iteration on a real aui::LocalRuntime (its own
// EventLoop on this thread, adapters on the default WorkerPool) and reports its own figures as
// counters; times are wall-clock, except W2's export and import (thread CPU time, median of 9).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "aui/local_runtime.hpp"
#include "aui/model/message_json.hpp"
#include "bench_support.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using aui::bench::heap_in_use;
using aui::bench::percentile;
using aui::bench::thread_cpu_ns;

double ns_since(Clock::time_point start) {
  return std::chrono::duration<double, std::nano>(Clock::now() - start).count();
}

std::size_t last_text_length(const aui::ThreadRuntime& thread) {
  const auto& msgs = thread.messages();
  if (msgs.empty()) return 0;
  std::size_t n = 0;
  for (const auto& part : msgs.back()->content) {
    if (const auto* t = part.get_if<aui::TextPart>()) n += t->text.size();
  }
  return n;
}

// W1 / W1b: one run whose adapter yields cumulative content `yields` times, `chunk` characters
// more each time; one subscriber reads the last message's text length on every notification.
void streaming_run(benchmark::State& state, int yields, int chunk) {
  const std::string piece(static_cast<std::size_t>(chunk), 'x');
  double total_ns = 0;
  double notifications = 0;
  int runs = 0;
  for (auto _ : state) {
    aui::LocalRuntime rt([&](const aui::ChatModelRunOptions&, aui::RunResultSink& sink) {
      aui::Text text;
      for (int i = 0; i < yields; ++i) {
        text += piece;
        sink.yield(aui::ChatModelRunResult::text(text));
      }
    });
    auto& thread = rt.thread();
    rt.wait(thread.append(aui::AppendMessage{
        .role = aui::Role::User, .content = {aui::TextPart{"hi"}}, .start_run = false}));
    std::size_t seen = 0;
    std::size_t count = 0;
    auto sub = thread.subscribe([&] {
      seen = last_text_length(thread);
      ++count;
    });
    const auto start = Clock::now();
    auto done = thread.start_run({.parent_id = thread.messages().back()->id});
    rt.wait(done);
    total_ns += ns_since(start);
    notifications += static_cast<double>(count);
    ++runs;
    if (seen != static_cast<std::size_t>(yields) * static_cast<std::size_t>(chunk)) {
      state.SkipWithError("the final text has the wrong length");
      break;
    }
  }
  state.counters["ms_per_run"] = total_ns / runs / 1e6;
  state.counters["ns_per_yield"] = total_ns / runs / yields;
  state.counters["notifications"] = notifications / runs;
}

void W1_stream_20000_yields_of_10(benchmark::State& state) { streaming_run(state, 20000, 10); }
void W1b_stream_2000_yields_of_100(benchmark::State& state) { streaming_run(state, 2000, 100); }

// Runs `turns` turns of W2 in a throwaway runtime. The first runtime of a process also pays for
// what is made once per process — the worker threads and the allocator's per-thread caches
// (~200 kB, measured as the intercept of heap against turns) — which is not memory the messages
// hold, so W2 runs once untimed before it measures.
void w2_warm_up(int turns) {
  static bool done = false;
  if (done) return;
  done = true;
  aui::LocalRuntime rt([](const aui::ChatModelRunOptions&) {
    return aui::ChatModelRunResult::text(aui::Text(std::string(200, 'r')));
  });
  for (int i = 0; i < turns; ++i)
    rt.wait(rt.thread().append("question number " + std::to_string(i)));
}

// W2: 2,000 turns one after another; then export and import.
void W2_2000_turns(benchmark::State& state) {
  constexpr int kTurns = 2000;
  const aui::Text reply(std::string(200, 'r'));
  w2_warm_up(kTurns);
  for (auto _ : state) {
    const std::size_t heap_before = heap_in_use();
    std::vector<double> per_turn;
    per_turn.reserve(kTurns);
    std::size_t text_bytes = 0;
    double export_ms = 0;
    double import_ms = 0;
    double import_read_ms = 0;
    double export_dom_ms = 0;
    double export_dom_text_ms = 0;
    double import_dom_ms = 0;
    double import_dom_text_ms = 0;
    double total_ms = 0;
    std::size_t heap_after = 0;
    {
      aui::LocalRuntime rt([&](const aui::ChatModelRunOptions&) {
        return aui::ChatModelRunResult::text(aui::Text(std::string(reply.view())));
      });
      auto& thread = rt.thread();
      const auto all = Clock::now();
      for (int i = 0; i < kTurns; ++i) {
        std::string question = "question number " + std::to_string(i);
        text_bytes += question.size() + reply.size();
        const auto start = Clock::now();
        rt.wait(thread.append(std::move(question)));
        per_turn.push_back(ns_since(start));
      }
      total_ms = ns_since(all) / 1e6;
      heap_after = heap_in_use();

      // Export and import as an app saving a thread to a file and loading it back: the thread
      // to assistant-ui JSON text, and the text into a fresh thread. Each is timed in this
      // thread's CPU time (the machine is shared: wall-clock time measures the neighbours),
      // kExportRepeats times; the counters are the medians.
      constexpr int kExportRepeats = 9;
      std::vector<double> exports;
      std::vector<double> imports;
      std::vector<double> reads;
      std::string text;
      for (int r = 0; r < kExportRepeats; ++r) {
        const double cpu_start = thread_cpu_ns();
        text = aui::to_json_text(thread.export_repository());
        exports.push_back((thread_cpu_ns() - cpu_start) / 1e6);
      }
      for (int r = 0; r < kExportRepeats; ++r) {
        aui::LocalRuntime fresh(
            [](const aui::ChatModelRunOptions&) { return aui::ChatModelRunResult{}; });
        const double cpu_start = thread_cpu_ns();
        auto repo = aui::repository_from_json_text(text);
        reads.push_back((thread_cpu_ns() - cpu_start) / 1e6);
        fresh.thread().import_repository(repo);
        imports.push_back((thread_cpu_ns() - cpu_start) / 1e6);
        if (fresh.thread().messages().size() != static_cast<std::size_t>(2 * kTurns)) {
          state.SkipWithError("import lost messages");
        }
      }
      export_ms = percentile(exports, 0.5);
      import_ms = percentile(imports, 0.5);
      import_read_ms = percentile(reads, 0.5);

      // The same through an nlohmann document, as before to_json_text: to_json alone (what
      // export_ms measured until 12-07), then its dump; parse, then repository_from_json.
      auto start = Clock::now();
      const aui::Json exported = aui::to_json(thread.export_repository());
      export_dom_ms = ns_since(start) / 1e6;
      const std::string dumped = exported.dump();
      export_dom_text_ms = ns_since(start) / 1e6;
      if (dumped != text) state.SkipWithError("to_json_text differs from to_json().dump()");
      aui::LocalRuntime fresh2(
          [](const aui::ChatModelRunOptions&) { return aui::ChatModelRunResult{}; });
      start = Clock::now();
      const aui::Json parsed = aui::parse_json(text);
      const auto parse_ms = ns_since(start) / 1e6;
      start = Clock::now();
      fresh2.thread().import_repository(aui::repository_from_json(parsed));
      import_dom_ms = ns_since(start) / 1e6;
      import_dom_text_ms = parse_ms + import_dom_ms;
    }
    double first = 0;
    double last = 0;
    for (int i = 0; i < 100; ++i) {
      first += per_turn[static_cast<std::size_t>(i)];
      last += per_turn[static_cast<std::size_t>(kTurns - 100 + i)];
    }
    const double messages = 2.0 * kTurns;
    const double heap = static_cast<double>(heap_after - heap_before);
    state.counters["total_ms"] = total_ms;
    state.counters["us_per_turn_first100"] = first / 100 / 1e3;
    state.counters["us_per_turn_last100"] = last / 100 / 1e3;
    state.counters["last100_over_first100"] = last / first;
    state.counters["heap_bytes"] = heap;
    state.counters["text_bytes"] = static_cast<double>(text_bytes);
    state.counters["heap_budget_bytes"] = 2.0 * static_cast<double>(text_bytes) + 200.0 * messages;
    state.counters["heap_over_text_per_msg"] = (heap - static_cast<double>(text_bytes)) / messages;
    state.counters["export_ms"] = export_ms;
    state.counters["import_ms"] = import_ms;
    state.counters["import_read_ms"] = import_read_ms;
    state.counters["export_dom_ms"] = export_dom_ms;
    state.counters["export_dom_text_ms"] = export_dom_text_ms;
    state.counters["import_dom_ms"] = import_dom_ms;
    state.counters["import_dom_text_ms"] = import_dom_text_ms;
  }
}

// W3: on a 200-turn thread: regenerate the last reply 100 times; edit turn 100's user message
// 50 times (each edit runs); then switch between two siblings 10,000 times.
void W3_regenerate_edit_switch(benchmark::State& state) {
  const aui::Text reply(std::string(200, 'r'));
  for (auto _ : state) {
    aui::LocalRuntime rt([&](const aui::ChatModelRunOptions&) {
      return aui::ChatModelRunResult::text(aui::Text(std::string(reply.view())));
    });
    auto& thread = rt.thread();
    for (int i = 0; i < 200; ++i) rt.wait(thread.append("question " + std::to_string(i)));

    std::vector<double> regenerate;
    for (int i = 0; i < 100; ++i) {
      const auto id = thread.messages().back()->id;
      const auto start = Clock::now();
      rt.wait(thread.reload(id));
      regenerate.push_back(ns_since(start));
    }

    std::vector<double> edit;
    for (int i = 0; i < 50; ++i) {
      const auto id = thread.messages()[198]->id;  // turn 100's user message
      const auto start = Clock::now();
      auto& composer = thread.begin_edit(id);
      composer.set_text("edited question " + std::to_string(i));
      auto sent = composer.send();
      rt.wait(sent);
      // The edit's run: wait until the new reply settled.
      if (auto* loop = rt.event_loop()) loop->run_until([&] { return !thread.is_running(); });
      edit.push_back(ns_since(start));
    }

    // Two sibling replies at the end of the branch.
    const auto a = thread.messages().back()->id;
    rt.wait(thread.reload(a));
    const auto b = thread.messages().back()->id;
    std::vector<double> sw;
    sw.reserve(10000);
    for (int i = 0; i < 10000; ++i) {
      const auto start = Clock::now();
      thread.switch_to_branch((i % 2) == 0 ? a : b);
      sw.push_back(ns_since(start));
    }
    state.counters["regenerate_median_us"] = percentile(regenerate, 0.5) / 1e3;
    state.counters["regenerate_p99_us"] = percentile(regenerate, 0.99) / 1e3;
    state.counters["edit_median_us"] = percentile(edit, 0.5) / 1e3;
    state.counters["edit_p99_us"] = percentile(edit, 0.99) / 1e3;
    state.counters["switch_median_us"] = percentile(sw, 0.5) / 1e3;
    state.counters["switch_p99_us"] = percentile(sw, 0.99) / 1e3;
  }
}

}  // namespace

BENCHMARK(W1_stream_20000_yields_of_10)->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(W1b_stream_2000_yields_of_100)->Unit(benchmark::kMillisecond)->Iterations(20);
BENCHMARK(W2_2000_turns)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(W3_regenerate_edit_switch)->Unit(benchmark::kMillisecond)->Iterations(1);
