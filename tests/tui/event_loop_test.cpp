// The UI loop: a Dispatcher for the runtime (posts from any thread, timers), fd watches, and
// frames coalesced to at most one per turn and per interval. Driven with a fake clock where time
// matters; no sleeps.

#include "aui/tui/event_loop.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "aui/local_runtime.hpp"

namespace {

using aui::tui::UiLoop;
using aui::tui::UiLoopOptions;
using namespace std::chrono_literals;

struct FakeClock {
  std::chrono::steady_clock::time_point t{std::chrono::seconds(1000)};
  std::function<std::chrono::steady_clock::time_point()> fn() {
    return [this] { return t; };
  }
};

TEST(UiLoop, PostsFromOtherThreadsRunOnTheLoopInOrder) {
  UiLoop loop;
  const auto owner = std::this_thread::get_id();
  constexpr int kThreads = 4, kPosts = 2000;
  std::vector<std::vector<int>> seen(kThreads);
  std::atomic<int> done{0};
  bool all_on_owner = true;
  std::vector<std::thread> workers;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < kPosts; ++i) {
        loop.post([&, t, i] {
          all_on_owner = all_on_owner && std::this_thread::get_id() == owner;
          seen[static_cast<std::size_t>(t)].push_back(i);
        });
      }
      loop.post([&] {
        if (++done == kThreads) loop.stop();
      });
    });
  }
  loop.run();
  for (auto& w : workers) w.join();
  EXPECT_TRUE(all_on_owner);
  for (const auto& s : seen) {
    ASSERT_EQ(s.size(), static_cast<std::size_t>(kPosts));
    for (int i = 0; i < kPosts; ++i) EXPECT_EQ(s[static_cast<std::size_t>(i)], i);
  }
}

TEST(UiLoop, ATaskPostedFromATaskRunsLaterNotInline) {
  FakeClock clock;
  UiLoop loop(UiLoopOptions{16ms, clock.fn(), 4096});
  std::vector<std::string> log;
  loop.post([&] {
    loop.post([&] { log.push_back("inner"); });
    log.push_back("outer done");
  });
  loop.run_once(0ms);
  EXPECT_EQ(log, (std::vector<std::string>{"outer done"}));
  loop.run_once(0ms);
  EXPECT_EQ(log, (std::vector<std::string>{"outer done", "inner"}));
}

TEST(UiLoop, TimersFireWhenDueInOrder) {
  FakeClock clock;
  UiLoop loop(UiLoopOptions{16ms, clock.fn(), 4096});
  std::vector<int> fired;
  EXPECT_TRUE(loop.post_after(30ms, [&] { fired.push_back(3); }));
  EXPECT_TRUE(loop.post_after(10ms, [&] { fired.push_back(1); }));
  EXPECT_TRUE(loop.post_after(10ms, [&] { fired.push_back(2); }));  // same time: posting order
  loop.run_once(0ms);
  EXPECT_TRUE(fired.empty());
  clock.t += 10ms;
  loop.run_once(0ms);
  EXPECT_EQ(fired, (std::vector<int>{1, 2}));
  clock.t += 19ms;
  loop.run_once(0ms);
  EXPECT_EQ(fired.size(), 2u);
  clock.t += 1ms;
  loop.run_once(0ms);
  EXPECT_EQ(fired, (std::vector<int>{1, 2, 3}));
}

TEST(UiLoop, FramesAreCoalescedAndPaced) {
  FakeClock clock;
  UiLoop loop(UiLoopOptions{16ms, clock.fn(), 4096});
  int frames = 0;
  loop.set_render([&] { ++frames; });
  loop.run_once(0ms);
  EXPECT_EQ(frames, 0) << "no frame without a request";
  for (int i = 0; i < 100; ++i) loop.post([&] { loop.request_frame(); });
  loop.run_once(0ms);
  EXPECT_EQ(frames, 1) << "a hundred requests in one turn: one frame";
  clock.t += 5ms;
  loop.post([&] { loop.request_frame(); });
  loop.run_once(0ms);
  EXPECT_EQ(frames, 1) << "too soon after the last frame";
  clock.t += 11ms;
  loop.run_once(0ms);
  EXPECT_EQ(frames, 2) << "the pending request is drawn once the interval has passed";
  loop.run_once(0ms);
  EXPECT_EQ(frames, 2);
  loop.request_frame();
  loop.render_now();  // e.g. a resize: now, whatever the interval
  EXPECT_EQ(frames, 3);
  EXPECT_EQ(loop.frames_drawn(), 3u);
}

TEST(UiLoop, WatchedFdsCallBackWhenReadable) {
  UiLoop loop;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::string got;
  loop.watch(fds[0], [&] {
    char buf[16];
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n > 0) got.append(buf, static_cast<std::size_t>(n));
  });
  ASSERT_EQ(write(fds[1], "keys", 4), 4);
  loop.run_once(1s);
  EXPECT_EQ(got, "keys");
  loop.unwatch(fds[0]);
  ASSERT_EQ(write(fds[1], "more", 4), 4);
  loop.run_once(0ms);
  EXPECT_EQ(got, "keys");
  close(fds[0]);
  close(fds[1]);
}

TEST(UiLoop, StopFromAnotherThreadWakesTheLoop) {
  UiLoop loop;
  std::thread stopper([&] { loop.post([&] { loop.stop(); }); });
  loop.run();  // would block for an hour without the wake-up
  stopper.join();
  EXPECT_TRUE(loop.stopped());
  EXPECT_FALSE(loop.run_once(0ms));
}

// The loop as the runtime's owner thread: a reply streamed by a worker reaches the view through
// posts and timers, and every notification arrives on the loop's thread.
TEST(UiLoop, DrivesAStreamingRuntime) {
  auto loop = std::make_shared<UiLoop>();
  aui::ThreadRuntimeOptions options;
  options.dispatcher = loop;
  options.chat_model = [](const aui::ChatModelRunOptions&, aui::RunResultSink& sink) {
    std::string text;
    for (int i = 0; i < 200; ++i) {
      text += "tok" + std::to_string(i) + " ";
      sink.yield(aui::ChatModelRunResult::text(text));
    }
  };
  aui::LocalRuntime rt(options);
  const auto owner = std::this_thread::get_id();
  bool notified_on_owner = true;
  std::string drawn;
  loop->set_render([&] {
    const auto& messages = rt.thread().messages();
    drawn = messages.empty() ? "" : messages.back()->text();
  });
  auto sub = rt.thread().subscribe([&] {
    notified_on_owner = notified_on_owner && std::this_thread::get_id() == owner;
    loop->request_frame();
    if (!rt.thread().is_running() && rt.thread().messages().size() == 2) loop->stop();
  });
  loop->post([&] { (void)rt.thread().append("go"); });
  loop->run();
  loop->request_frame();
  loop->render_now();
  EXPECT_TRUE(notified_on_owner);
  EXPECT_EQ(drawn.substr(0, 5), "tok0 ");
  EXPECT_EQ(drawn.substr(drawn.size() - 7), "tok199 ");
  EXPECT_GE(loop->frames_drawn(), 1u);
}

}  // namespace
