// The foundation types: Text, PersistentVector, Boxed, Completion, EventLoop, WorkerPool,
// Generator, Subscription.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <latch>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "aui/model/text.hpp"
#include "aui/support/boxed.hpp"
#include "aui/support/completion.hpp"
#include "aui/support/dispatcher.hpp"
#include "aui/support/executor.hpp"
#include "aui/support/generator.hpp"
#include "aui/support/persistent_vector.hpp"
#include "aui/support/subscription.hpp"

namespace {

TEST(Text, AppendsInPlaceWhenNewestAndForksOtherwise) {
  aui::Text a("hello");
  EXPECT_EQ(a.capacity(), 5u);  // exact size: no slack for text that never grows
  a += " world";
  const char* storage = a.data();
  aui::Text snapshot = a;  // O(1): shares storage
  EXPECT_EQ(snapshot.data(), storage);
  a += "!";  // a is the newest view: grows in place
  EXPECT_EQ(a.data(), storage);
  EXPECT_EQ(a, "hello world!");
  EXPECT_EQ(snapshot, "hello world");  // the snapshot never changes
  snapshot += "?";                     // an older view: copies once into fresh storage
  EXPECT_NE(snapshot.data(), storage);
  EXPECT_EQ(snapshot, "hello world?");
  EXPECT_EQ(a, "hello world!");
  aui::Text empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.view(), "");
  EXPECT_EQ(empty.capacity(), 0u);
}

TEST(Text, AGrowingTextCopiesAmortizedConstantPerByte) {
  aui::Text t;
  std::size_t moves = 0;
  const char* last = nullptr;
  for (int i = 0; i < 20000; ++i) {
    t += "0123456789";
    if (t.data() != last) ++moves;
    last = t.data();
  }
  EXPECT_EQ(t.size(), 200000u);
  EXPECT_LT(moves, 20u);  // geometric growth: a few reallocations, not one per append
}

TEST(Text, OneThreadAppendsWhileAnotherReadsSnapshots) {
  aui::Text writer;
  std::mutex mutex;
  aui::Text published;
  std::atomic<bool> done{false};
  std::thread reader([&] {
    std::size_t last = 0;
    while (!done.load()) {
      aui::Text copy;
      {
        std::lock_guard lock(mutex);
        copy = published;
      }
      ASSERT_GE(copy.size(), last);
      for (std::size_t i = 0; i < copy.size(); ++i)
        ASSERT_EQ(copy.data()[i], static_cast<char>('a' + i % 26));
      last = copy.size();
    }
  });
  for (int i = 0; i < 20000; ++i) {
    const char c = static_cast<char>('a' + i % 26);
    writer += std::string_view(&c, 1);
    std::lock_guard lock(mutex);
    published = writer;
  }
  done = true;
  reader.join();
  EXPECT_EQ(published.size(), 20000u);
}

TEST(PersistentVector, MatchesAStdVectorUnderRandomOperations) {
  std::mt19937 rng(42);
  aui::PersistentVector<int> pv;
  std::vector<int> v;
  std::vector<std::pair<aui::PersistentVector<int>, std::vector<int>>> history;
  for (int step = 0; step < 40000; ++step) {
    const int op = static_cast<int>(rng() % 10);
    if (op < 6 || v.empty()) {
      const int x = static_cast<int>(rng());
      pv = pv.push_back(x);
      v.push_back(x);
    } else if (op == 6) {
      pv = pv.pop_back();
      v.pop_back();
    } else if (op == 7) {
      const std::size_t i = rng() % v.size();
      const int x = static_cast<int>(rng());
      pv = pv.set(i, x);
      v[i] = x;
    } else if (op == 8 && rng() % 40 == 0) {
      const std::size_t n = rng() % (v.size() + 1);
      pv = pv.take(n);
      v.resize(n);
    } else if (op == 9 && rng() % 40 == 0) {
      history.emplace_back(pv, v);
    }
    if (step % 1009 == 0) {
      ASSERT_EQ(pv.size(), v.size());
      ASSERT_TRUE(std::equal(pv.begin(), pv.end(), v.begin(), v.end())) << "step " << step;
      for (std::size_t i = 0; i < v.size(); i += 7) ASSERT_EQ(pv[i], v[i]);
    }
  }
  for (const auto& [snapshot, expected] : history) {
    ASSERT_TRUE(std::equal(snapshot.begin(), snapshot.end(), expected.begin(), expected.end()));
  }
}

TEST(PersistentVector, LargeVectorsAndSnapshots) {
  aui::PersistentVector<int> big;
  for (int i = 0; i < 100000; ++i) big = big.push_back(i);
  for (int i = 0; i < 100000; i += 13) ASSERT_EQ(big[static_cast<std::size_t>(i)], i);
  const auto copy = big;
  EXPECT_TRUE(copy.same_as(big));
  auto cut = big.take(33000);
  EXPECT_EQ(cut.size(), 33000u);
  EXPECT_EQ(cut.back(), 32999);
  cut = cut.push_back(-1);
  EXPECT_EQ(big[33000], 33000);  // the original is untouched
  EXPECT_FALSE(cut.same_as(big));
  EXPECT_THROW((void)big.at(100000), std::out_of_range);
  while (!cut.empty()) cut = cut.pop_back();
  EXPECT_EQ(cut.begin(), cut.end());
}

TEST(PersistentVector, AppendIsPushBackOfEachItem) {
  std::mt19937 rng(7);
  aui::PersistentVector<int> pv;
  std::vector<int> v;
  for (int round = 0; round < 400; ++round) {
    // Lengths around the leaf width (32) and across several leaves, from every tail fill.
    const std::size_t n = rng() % 4 == 0 ? rng() % 200 : rng() % 40;
    std::vector<int> items(n);
    for (auto& x : items) x = static_cast<int>(rng());
    const auto snapshot = pv;
    const std::vector<int> snapshot_items = v;
    aui::PersistentVector<int> pushed = pv;
    for (int x : items) pushed = pushed.push_back(x);
    pv = pv.append(items.begin(), items.end());
    v.insert(v.end(), items.begin(), items.end());
    ASSERT_EQ(pv.size(), v.size());
    ASSERT_TRUE(std::equal(pv.begin(), pv.end(), v.begin(), v.end())) << "round " << round;
    ASSERT_TRUE(std::equal(pushed.begin(), pushed.end(), v.begin(), v.end()));
    for (std::size_t i = 0; i < v.size(); i += 5) ASSERT_EQ(pv[i], v[i]);
    // The vector appended to is untouched, and later pushes and sets work on the result.
    ASSERT_TRUE(
        std::equal(snapshot.begin(), snapshot.end(), snapshot_items.begin(), snapshot_items.end()));
    if (!v.empty() && rng() % 3 == 0) {
      const std::size_t i = rng() % v.size();
      pv = pv.set(i, -1);
      v[i] = -1;
    }
    if (rng() % 10 == 0) {
      const std::size_t keep = v.empty() ? 0 : rng() % v.size();
      pv = pv.take(keep);
      v.resize(keep);
    }
  }
}

TEST(Boxed, CopyOnWrite) {
  aui::Boxed<std::vector<int>> a(std::vector<int>{1, 2});
  aui::Boxed<std::vector<int>> b = a;
  EXPECT_EQ(a.get(), b.get());
  b.edit().push_back(3);
  EXPECT_NE(a.get(), b.get());
  EXPECT_EQ(a->size(), 2u);
  EXPECT_EQ(b->size(), 3u);
  aui::Boxed<int> empty;
  EXPECT_FALSE(empty.has_value());
  empty.edit() = 5;
  EXPECT_EQ(*empty, 5);
}

TEST(Boxed, EditsWhileAnotherThreadReadsAndDropsACopy) {
  // The writer edits in place only once the reader's copy is gone, and then after the reader's
  // last read of it (ThreadSanitizer checks the second half).
  aui::Boxed<std::vector<int>> a(std::vector<int>(64, 1));
  EXPECT_EQ(sizeof(a), sizeof(void*));
  for (int round = 0; round < 200; ++round) {
    const int expected = (*a)[0];
    std::thread reader([copy = a, expected]() mutable {
      int others = 0;
      for (std::size_t i = 1; i < copy->size(); ++i) others += (*copy)[i];
      EXPECT_EQ((*copy)[0], expected);
      EXPECT_EQ(others, 63);
      copy.reset();
    });
    a.edit()[0] += 1;
    reader.join();
  }
  EXPECT_EQ((*a)[0], 201);
}

TEST(Completion, SettlesOnceAndCallsBack) {
  aui::Completion c;
  int calls = 0;
  c.then([&](std::exception_ptr e) {
    EXPECT_EQ(e, nullptr);
    ++calls;
  });
  EXPECT_FALSE(c.ready());
  c.resolve();
  c.reject(std::make_exception_ptr(std::runtime_error("late")));  // ignored
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_EQ(calls, 1);
  c.then([&](std::exception_ptr) { ++calls; });  // already settled: at once
  EXPECT_EQ(calls, 2);

  auto failed = aui::Completion::failed_with(std::make_exception_ptr(std::runtime_error("boom")));
  EXPECT_TRUE(failed.failed());
  EXPECT_THROW(failed.rethrow_if_failed(), std::runtime_error);

  aui::Completion a, b;
  auto all = aui::when_all({a, b});
  a.reject(std::make_exception_ptr(std::runtime_error("first")));
  EXPECT_FALSE(all.ready());
  b.resolve();
  EXPECT_TRUE(all.failed());
}

TEST(EventLoop, RunsTasksPostedFromOtherThreadsInOrder) {
  aui::EventLoop loop;
  std::vector<int> seen;
  std::thread t([&] {
    for (int i = 0; i < 1000; ++i) loop.post([&seen, i] { seen.push_back(i); });
  });
  loop.run_until([&] { return seen.size() == 1000; });
  t.join();
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(seen[static_cast<std::size_t>(i)], i);

  aui::Completion c;
  std::thread settler([&] { loop.post([&] { c.resolve(); }); });
  EXPECT_TRUE(loop.run_until(c));
  settler.join();

  std::thread stopper([&] { loop.stop(); });
  EXPECT_FALSE(loop.run_until([] { return false; }));
  stopper.join();
}

TEST(EventLoop, ATaskThatPumpsTheLoopItselfKeepsTheOrder) {
  // A modal wait inside a task (a host's nested loop, a run_until in a callback) runs what is
  // still due first: the rest of the batch it interrupted, then what was posted after.
  aui::EventLoop loop;
  std::vector<char> seen;
  loop.post([&] {
    seen.push_back('A');
    loop.post([&] { seen.push_back('C'); });
    loop.run_pending();
  });
  loop.post([&] { seen.push_back('B'); });
  loop.run_pending();
  while (loop.run_pending() > 0) {
  }
  EXPECT_EQ(seen, (std::vector<char>{'A', 'B', 'C'}));

  seen.clear();
  aui::Completion done;
  loop.post([&] {
    seen.push_back('A');
    loop.post([&] { seen.push_back('D'); });
    loop.post([&] { done.resolve(); });
    loop.run_until([&] { return seen.size() >= 2; });  // returns after B, with C still due
  });
  loop.post([&] { seen.push_back('B'); });
  loop.post([&] { seen.push_back('C'); });
  loop.run_until(done);
  EXPECT_EQ(seen, (std::vector<char>{'A', 'B', 'C', 'D'}));
}

TEST(EventLoop, ATimerRunsOnlyOnceItsDelayHasPassedAndTimersDueTogetherKeepTheirOrder) {
  aui::EventLoop loop;
  std::vector<int> seen;
  EXPECT_TRUE(loop.post_after(std::chrono::hours(1), [&] { seen.push_back(0); }));
  loop.post_after(std::chrono::milliseconds(0), [&] { seen.push_back(1); });
  loop.post_after(std::chrono::milliseconds(0), [&] { seen.push_back(2); });
  loop.post([&] { seen.push_back(3); });
  loop.run_pending();
  EXPECT_EQ(seen, (std::vector<int>{3, 1, 2}));  // the timers that are due, after what was queued

  // A waiting loop wakes for its earliest timer even when nothing else arrives.
  const auto start = std::chrono::steady_clock::now();
  loop.post_after(std::chrono::milliseconds(5), [&] { seen.push_back(4); });
  EXPECT_TRUE(loop.run_until([&] { return seen.size() == 4; }));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(5));
  EXPECT_EQ(seen.back(), 4);
  EXPECT_EQ(loop.run_for(std::chrono::milliseconds(0)), 0u);  // the one-hour timer is not due
}

TEST(ManualDispatcher, HasNoTimerSoTheHostPacesItself) {
  aui::ManualDispatcher d;
  bool ran = false;
  EXPECT_FALSE(d.post_after(std::chrono::milliseconds(0), [&] { ran = true; }));
  EXPECT_TRUE(d.empty());
  d.run_pending();
  EXPECT_FALSE(ran);
}

TEST(ManualDispatcher, RunsWhatWasPostedAndWakesTheHost) {
  std::atomic<int> wakes{0};
  aui::ManualDispatcher d([&] { ++wakes; });
  int ran = 0;
  d.post([&] { ++ran; });
  d.post([&] { ++ran; });
  EXPECT_EQ(wakes.load(), 2);
  EXPECT_FALSE(d.empty());
  EXPECT_EQ(d.run_pending(), 2u);
  EXPECT_EQ(ran, 2);
  EXPECT_TRUE(d.empty());
}

TEST(WorkerPool, BlockingJobsDoNotHoldBackOthers) {
  std::latch release(1);
  std::latch blocked_started(3);
  std::atomic<int> blocked_finished{0};
  std::atomic<int> others_left{10};
  std::promise<int> others_done;  // carries how many blocked jobs had finished by then
  aui::WorkerPool pool;  // declared last: its destructor waits for the jobs that use the above
  for (int i = 0; i < 3; ++i) {
    pool.execute([&] {
      blocked_started.count_down();
      release.wait();
      ++blocked_finished;
    });
  }
  blocked_started.wait();
  for (int i = 0; i < 10; ++i) {
    pool.execute([&] {
      if (--others_left == 0) others_done.set_value(blocked_finished.load());
    });
  }
  // The bound only limits how long a pool that queues behind blocked jobs takes to fail; such a
  // pool would run the ten jobs only after the release below.
  auto done = others_done.get_future();
  const bool in_time = done.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  release.count_down();  // lets the pool's destructor finish either way
  ASSERT_TRUE(in_time) << "the other jobs did not run while three workers were blocked";
  EXPECT_EQ(done.get(), 0) << "the other jobs ran only after the blocked ones ended";
  EXPECT_EQ(others_left.load(), 0);
}

aui::Generator<int> count_to(int n, bool* destroyed) {
  struct Flag {
    bool* f;
    ~Flag() { *f = true; }
  } flag{destroyed};
  for (int i = 0; i < n; ++i) co_yield i;
}

aui::Generator<int> throws_after_one() {
  co_yield 1;
  throw std::runtime_error("stream broke");
}

TEST(Generator, YieldsClosesAndPropagates) {
  bool destroyed = false;
  std::vector<int> got;
  for (int v : count_to(3, &destroyed)) got.push_back(v);
  EXPECT_EQ(got, (std::vector<int>{0, 1, 2}));
  EXPECT_TRUE(destroyed);

  destroyed = false;
  {
    auto gen = count_to(100, &destroyed);
    EXPECT_EQ(gen.next(), 0);
  }
  EXPECT_TRUE(destroyed);  // closing early destroys the coroutine's locals

  auto bad = throws_after_one();
  EXPECT_EQ(bad.next(), 1);
  EXPECT_THROW(bad.next(), std::runtime_error);
}

TEST(Subscription, UnsubscribesOnDestruction) {
  int unsubscribed = 0;
  {
    aui::Subscription s([&] { ++unsubscribed; });
    aui::Subscription moved = std::move(s);
  }
  EXPECT_EQ(unsubscribed, 1);
  aui::Subscription kept([&] { ++unsubscribed; });
  kept.release();
  kept.unsubscribe();
  EXPECT_EQ(unsubscribed, 1);
}

}  // namespace
