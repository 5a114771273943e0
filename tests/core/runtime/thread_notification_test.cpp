// Notifications never re-enter a half-done change (issue 15 item 5, spec §11): subscribers are
// called once an operation is complete, and an operation a subscriber calls from inside a
// notification completes, with its own notifications delivered after the current round.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "aui/runtime/thread_runtime.hpp"
#include "support/runtime_driver.hpp"

namespace aui {
namespace {

using testing::Driver;

struct Fixture {
  std::shared_ptr<Driver> driver = std::make_shared<Driver>();
  std::unique_ptr<ThreadRuntime> thread;

  Fixture() {
    ThreadRuntimeOptions o;
    o.dispatcher = driver->dispatcher();
    o.executor = driver->executor();
    o.chat_model = ChatModelAdapter([](const ChatModelRunOptions& options) {
      return ChatModelRunResult::text("re: " + options.messages.back()->text());
    });
    thread = std::make_unique<ThreadRuntime>(std::move(o));
  }
};

// What a subscriber saw: the branch's texts and whether a run was on.
std::string snapshot(const ThreadRuntime& thread) {
  std::string s;
  for (const auto& m : thread.messages()) s += m->text() + "|";
  return s + (thread.is_running() ? "running" : "idle");
}

// Two subscribers that log every notification and count the ones that arrive while one of them
// is still running (a nested delivery).
struct Observers {
  int depth = 0;
  int nested = 0;
  std::vector<std::string> first, second;
  std::function<void()> on_first;  // the first subscriber's action, after logging
  Subscription a, b;

  explicit Observers(ThreadRuntime& thread) {
    a = thread.subscribe([this, &thread] {
      if (depth++ > 0) ++nested;
      first.push_back(snapshot(thread));
      if (on_first) on_first();
      --depth;
    });
    b = thread.subscribe([this, &thread] {
      if (depth++ > 0) ++nested;
      second.push_back(snapshot(thread));
      --depth;
    });
  }
};

TEST(ThreadNotifications, ASubscriberMayAppendFromInsideANotification) {
  Fixture f;
  Observers seen(*f.thread);
  bool sent = false;
  seen.on_first = [&] {
    if (!sent && f.thread->messages().size() == 2 && !f.thread->is_running()) {
      sent = true;
      (void)f.thread->append("second");
      // The append is complete when it returns: its message shows and its run is on.
      EXPECT_EQ(f.thread->messages().size(), 4u);
      EXPECT_EQ(f.thread->messages()[2]->text(), "second");
      EXPECT_TRUE(f.thread->is_running());
    }
  };
  Completion first = f.thread->append("first");
  f.driver->settle();
  EXPECT_TRUE(first.succeeded_ok());
  ASSERT_TRUE(sent);
  ASSERT_EQ(f.thread->messages().size(), 4u);
  EXPECT_EQ(f.thread->messages().back()->text(), "re: second");
  EXPECT_EQ(seen.nested, 0);
  // Every subscriber is told of every change, in order. (The second subscriber hears of the
  // first run's end after the first one already appended, so it reads the newer state then.)
  EXPECT_EQ(seen.first.size(), seen.second.size());
  EXPECT_EQ(seen.first.back(), "first|re: first|second|re: second|idle");
  EXPECT_EQ(seen.second.back(), seen.first.back());
}

TEST(ThreadNotifications, ASubscriberMayCancelFromInsideANotification) {
  Fixture f;
  Observers seen(*f.thread);
  bool cancelled = false;
  seen.on_first = [&] {
    if (!cancelled && f.thread->is_running()) {
      cancelled = true;
      f.thread->cancel_run();
    }
  };
  (void)f.thread->append("hello");
  f.driver->settle();
  ASSERT_TRUE(cancelled);
  EXPECT_FALSE(f.thread->is_running());
  ASSERT_EQ(f.thread->messages().size(), 2u);
  EXPECT_TRUE(
      f.thread->messages().back()->status.is(StatusType::Incomplete, StatusReason::Cancelled));
  EXPECT_EQ(seen.nested, 0);
  EXPECT_EQ(seen.first, seen.second);
}

TEST(ThreadNotifications, ASubscriberMaySwitchBranchesFromInsideANotification) {
  Fixture f;
  (void)f.thread->append("hello");
  f.driver->settle();
  const Id first_reply = f.thread->messages().back()->id;
  (void)f.thread->reload(first_reply);
  f.driver->settle();
  const Id second_reply = f.thread->messages().back()->id;
  ASSERT_NE(first_reply, second_reply);

  Observers seen(*f.thread);
  bool armed = true;
  std::vector<Id> tails;
  seen.on_first = [&] {
    tails.push_back(f.thread->messages().back()->id);
    if (armed && f.thread->messages().back()->id == second_reply) {
      armed = false;
      f.thread->switch_to_branch(first_reply);
      EXPECT_EQ(f.thread->messages().back()->id, first_reply);  // complete when it returns
    }
  };
  f.thread->switch_to_branch(first_reply);
  f.thread->switch_to_branch(second_reply);
  f.driver->settle();
  EXPECT_EQ(f.thread->messages().back()->id, first_reply);
  EXPECT_EQ(tails, (std::vector<Id>{first_reply, second_reply, first_reply}));
  EXPECT_EQ(seen.nested, 0);
  EXPECT_EQ(seen.first, seen.second);
}

TEST(ThreadNotifications, SubscribersAreToldOfAnAppendOnlyOnceItIsComplete) {
  Fixture f;
  std::vector<std::size_t> sizes;
  auto sub = f.thread->subscribe([&] { sizes.push_back(f.thread->messages().size()); });
  (void)f.thread->append("hello");
  // The append shows the message and starts the run before anyone is told: every notification
  // it causes sees both the message and the running reply.
  ASSERT_FALSE(sizes.empty());
  for (std::size_t n : sizes) EXPECT_EQ(n, 2u);
  f.driver->settle();
}

// The one Notifier stops delivering when a notification destroys the runtime that holds it: the
// notifications still queued are dropped, nothing of the runtime is touched (ASan checks it).
TEST(ThreadNotifications, ASubscriberMayDestroyTheRuntime) {
  Fixture f;
  int calls = 0;
  auto sub = f.thread->subscribe([&] {
    ++calls;
    f.thread.reset();
  });
  auto started = f.thread->on(ThreadEvent::RunStart, [&] { ++calls; });
  // One append queues several notifications (the message, the run start, the running reply).
  (void)f.thread->append("hello");
  EXPECT_EQ(f.thread, nullptr);
  EXPECT_GE(calls, 1);
  const int after_destruction = calls;
  f.driver->settle();  // the run's late results find no runtime
  EXPECT_EQ(calls, after_destruction);
}

}  // namespace
}  // namespace aui
