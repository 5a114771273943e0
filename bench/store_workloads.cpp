// The store workloads S1–S3 (issue 5, threads and persistence) on the SQLite store:
//
//     build/default/bench/aui_bench --benchmark_filter='S[123]'
//
// S1 opens the database and loads a 10,000-message thread (target ≤ 50 ms); S2 is the latency of
// one durable append (a committed transaction); S3 searches 100,000 messages (target ≤ 20 ms).
// The databases are built once per process in the temp directory (S3's takes a few seconds).

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "aui/stores/sqlite_store.hpp"

namespace {

namespace fs = std::filesystem;

fs::path bench_dir() {
  static const fs::path dir = [] {
    auto d = fs::temp_directory_path() / ("aui-bench-" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    std::atexit([] {
      fs::remove_all(fs::temp_directory_path() / ("aui-bench-" + std::to_string(::getpid())));
    });
    return d;
  }();
  return dir;
}

/// A vocabulary of made-up words, so search selectivity is known: each of `n` words.
std::vector<std::string> vocabulary(std::size_t n) {
  std::vector<std::string> words;
  std::mt19937 rng(7);
  const char* syllables[] = {"ka", "lo", "mi", "ra", "su", "te", "vo", "ne",
                             "pi", "da", "zu", "ge", "ho", "wa", "ri", "xe"};
  for (std::size_t i = 0; i < n; ++i) {
    std::string w;
    std::size_t k = i;
    do {
      w += syllables[k % 16];
      k /= 16;
    } while (k);
    w += syllables[rng() % 16];
    words.push_back(w);
  }
  return words;
}

aui::MessagePtr message(const std::string& id, aui::Role role, std::string text, long seconds) {
  auto m = std::make_shared<aui::ThreadMessage>();
  m->id = id;
  m->role = role;
  m->created_at = aui::Timestamp(std::chrono::milliseconds(1'780'000'000'000LL + seconds * 1000));
  m->content.push_back(aui::TextPart{aui::Text(std::move(text))});
  m->status = aui::MessageStatus::complete(aui::StatusReason::Stop);
  return m;
}

/// Writes a linear thread of `n` messages of ~`chars` characters each, in batches.
void fill_thread(aui::SqliteStore& store, const std::string& thread, std::size_t n,
                 std::size_t words_per_message, const std::vector<std::string>& vocab,
                 std::mt19937& rng) {
  std::vector<aui::ExportedMessageRepositoryItem> batch;
  std::optional<aui::Id> parent;
  for (std::size_t i = 0; i < n; ++i) {
    std::string text;
    for (std::size_t w = 0; w < words_per_message; ++w) {
      if (w) text += ' ';
      text += vocab[rng() % vocab.size()];
    }
    const aui::Id id = thread + "-" + std::to_string(i);
    batch.push_back({message(id, i % 2 ? aui::Role::Assistant : aui::Role::User, std::move(text),
                             static_cast<long>(i)),
                     parent, std::nullopt});
    parent = id;
    if (batch.size() == 1000) {
      store.write_messages(thread, batch);
      batch.clear();
    }
  }
  if (!batch.empty()) store.write_messages(thread, batch);
}

const fs::path& s1_database() {
  static const fs::path path = [] {
    auto p = bench_dir() / "s1.db";
    auto store = aui::SqliteStore::open({p});
    std::mt19937 rng(1);
    fill_thread(*store, "long", 10'000, 30, vocabulary(5000), rng);  // ~30 words, ~200 chars each
    return p;
  }();
  return path;
}

void S1_OpenAndLoad10kThread(benchmark::State& state) {
  const auto& path = s1_database();
  std::size_t loaded = 0;
  using Clock = std::chrono::steady_clock;
  double open_ms = 0, read_ms = 0, arrange_ms = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    auto store = aui::SqliteStore::open({path});
    const auto t1 = Clock::now();
    auto rows = store->read_messages("long");  // what history(...)->load() does, in two steps
    const auto t2 = Clock::now();
    auto result = aui::arrange_history(std::move(rows));
    const auto t3 = Clock::now();
    loaded = result.messages.size();
    benchmark::DoNotOptimize(result);
    open_ms += std::chrono::duration<double, std::milli>(t1 - t0).count();
    read_ms += std::chrono::duration<double, std::milli>(t2 - t1).count();
    arrange_ms += std::chrono::duration<double, std::milli>(t3 - t2).count();
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["messages"] = static_cast<double>(loaded);
  state.counters["open_ms"] = open_ms / n;
  state.counters["read_parse_ms"] = read_ms / n;
  state.counters["arrange_ms"] = arrange_ms / n;
}
BENCHMARK(S1_OpenAndLoad10kThread)->Unit(benchmark::kMillisecond)->UseRealTime();

void S2_DurableAppend(benchmark::State& state) {
  aui::SqliteStoreOptions o;
  o.path = bench_dir() / ("s2-" + std::to_string(state.range(0)) + ".db");
  o.sync_every_commit = state.range(0) != 0;
  auto store = aui::SqliteStore::open(o);
  auto history = store->history("t");
  long i = 0;
  std::optional<aui::Id> parent;
  for (auto _ : state) {
    const aui::Id id = "m" + std::to_string(i);
    history->append(
        {message(
             id, i % 2 ? aui::Role::Assistant : aui::Role::User,
             "A reply of ordinary length, about a hundred characters, written once and committed.",
             i),
         parent, std::nullopt});
    parent = id;
    ++i;
  }
  state.SetLabel(o.sync_every_commit ? "synchronous=FULL" : "WAL, synchronous=NORMAL (default)");
}
BENCHMARK(S2_DurableAppend)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->UseRealTime();

struct SearchCorpus {
  fs::path path;
  std::vector<std::string> vocab;
};

const SearchCorpus& s3_corpus() {
  static const SearchCorpus corpus = [] {
    SearchCorpus c{bench_dir() / "s3.db", vocabulary(20'000)};
    auto store = aui::SqliteStore::open({c.path});
    std::mt19937 rng(3);
    for (int t = 0; t < 100; ++t)
      fill_thread(*store, "thread" + std::to_string(t), 1000, 30, c.vocab, rng);
    return c;
  }();
  return corpus;
}

// range(0), the query: 1, one word, matches ~150 of the 100,000 messages (30 words each from
// 20,000); 2, two words (ANDed), about one; 3, four characters from inside a word (a substring:
// the trigram index, more matches); 4, two common characters (under a trigram: a scan of the
// newest messages that stops at 20 hits); 5, two characters that occur nowhere (the scan's worst
// case: every message is read).
void S3_Search100kMessages(benchmark::State& state) {
  const auto& corpus = s3_corpus();
  auto store = aui::SqliteStore::open({corpus.path});
  std::mt19937 rng(11);
  std::size_t hits = 0;
  std::size_t queries = 0;
  for (auto _ : state) {
    std::string q = corpus.vocab[rng() % corpus.vocab.size()];
    if (state.range(0) == 2) q += " " + corpus.vocab[rng() % corpus.vocab.size()];
    if (state.range(0) == 3) q = q.substr(1, 4);
    if (state.range(0) == 4) q = q.substr(0, 2);
    if (state.range(0) == 5) q = "qq";
    auto result = store->search(q, 20);
    hits += result.size();
    ++queries;
  }
  state.counters["hits_per_query"] =
      static_cast<double>(hits) / static_cast<double>(queries ? queries : 1);
}
BENCHMARK(S3_Search100kMessages)->DenseRange(1, 5)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
