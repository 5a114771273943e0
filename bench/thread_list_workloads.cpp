// W4: the thread list (issue: threads and persistence). 1,000 threads of 10 messages each, made
// in memory through the list as an application would (a new draft, its messages, the draft
// becomes a regular thread); then 10,000 switches to random threads. Run:
//
//     build/default/bench/aui_bench --benchmark_filter=W4
//
// Figures: time to create all, time per switch (median, p99) with 1,000 threads and with 10
// (switching must not cost more with a longer list), heap per thread beyond its text.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "aui/local_runtime.hpp"
#include "bench_support.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using aui::bench::heap_in_use;
using aui::bench::percentile;
using aui::bench::thread_cpu_ns;

double ns_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::nano>(b - a).count();
}

// Makes `threads` threads of `messages` messages; returns the bytes of text they hold.
std::size_t make_threads(aui::LocalRuntime& rt, int threads, int messages) {
  std::size_t text_bytes = 0;
  for (int t = 0; t < threads; ++t) {
    rt.wait(rt.threads().switch_to_new_thread());
    std::vector<aui::ThreadMessageLike> list;
    list.reserve(static_cast<std::size_t>(messages));
    for (int m = 0; m < messages; ++m) {
      std::string text = (m % 2 == 0 ? "question " : "answer ") + std::to_string(t) + "/" +
                         std::to_string(m) + std::string(40, 'x');
      text_bytes += text.size();
      list.push_back(aui::ThreadMessageLike::text(
          m % 2 == 0 ? aui::Role::User : aui::Role::Assistant, std::move(text)));
    }
    rt.thread().reset(std::move(list));  // initialises the draft: it becomes a regular thread
  }
  return text_bytes;
}

// Median and p99 of `switches` switches to random threads of the list.
std::pair<double, double> time_switches(aui::LocalRuntime& rt, int switches) {
  const auto ids = rt.threads().thread_ids();
  std::mt19937 rng(20261204);
  std::uniform_int_distribution<std::size_t> pick(0, ids.size() - 1);
  std::vector<double> per_switch;
  per_switch.reserve(static_cast<std::size_t>(switches));
  for (int i = 0; i < switches; ++i) {
    const std::string& id = ids[pick(rng)];
    const auto start = Clock::now();
    auto done = rt.threads().switch_to_thread(id);
    const auto end = Clock::now();
    if (!done.succeeded_ok()) rt.wait(done);  // never: known threads switch at once
    per_switch.push_back(ns_between(start, end));
  }
  return {percentile(per_switch, 0.5), percentile(per_switch, 0.99)};
}

aui::ChatModelAdapter silent() {
  return [](const aui::ChatModelRunOptions&) { return aui::ChatModelRunResult{}; };
}

void W4_thread_list_1000_threads(benchmark::State& state) {
  constexpr int kThreads = 1000;
  constexpr int kMessages = 10;
  constexpr int kSwitches = 10000;
  for (auto _ : state) {
    double create_ms = 0;
    double create_cpu_ms = 0;
    double heap = 0;
    std::size_t text_bytes = 0;
    std::pair<double, double> big{};
    std::pair<double, double> small{};
    {
      aui::LocalRuntime rt(silent());
      const std::size_t heap_before = heap_in_use();
      const auto start = Clock::now();
      const double cpu_start = thread_cpu_ns();
      text_bytes = make_threads(rt, kThreads, kMessages);
      create_cpu_ms = (thread_cpu_ns() - cpu_start) / 1e6;
      create_ms = ns_between(start, Clock::now()) / 1e6;
      heap = static_cast<double>(heap_in_use() - heap_before);
      if (rt.threads().thread_ids().size() != static_cast<std::size_t>(kThreads)) {
        state.SkipWithError("threads were lost");
      }
      big = time_switches(rt, kSwitches);
    }
    {
      aui::LocalRuntime rt(silent());
      make_threads(rt, 10, kMessages);
      small = time_switches(rt, kSwitches);
    }
    state.counters["create_all_ms"] = create_ms;
    state.counters["create_all_cpu_ms"] = create_cpu_ms;
    state.counters["switch_median_us_1000"] = big.first / 1e3;
    state.counters["switch_p99_us_1000"] = big.second / 1e3;
    state.counters["switch_median_us_10"] = small.first / 1e3;
    state.counters["switch_p99_us_10"] = small.second / 1e3;
    state.counters["heap_bytes"] = heap;
    state.counters["text_bytes"] = static_cast<double>(text_bytes);
    state.counters["heap_over_text_per_thread"] =
        (heap - static_cast<double>(text_bytes)) / kThreads;
  }
}

}  // namespace

BENCHMARK(W4_thread_list_1000_threads)->Unit(benchmark::kMillisecond)->Iterations(1);
