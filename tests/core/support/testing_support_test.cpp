// The public test support (aui/testing.hpp): the driver, gates and the scripted adapter keep
// what their headers promise.

#include <gtest/gtest.h>

#include <future>

#include "aui/runtime/thread_runtime.hpp"
#include "aui/testing.hpp"
#include "support/runtime_driver.hpp"

namespace {

using namespace aui;
using namespace aui::testing;

class Scripted : public ::testing::Test {
 protected:
  void make() {
    ThreadRuntimeOptions o;
    o.chat_model = model;
    o.dispatcher = driver.dispatcher();
    o.executor = driver.executor();
    thread = std::make_unique<ThreadRuntime>(std::move(o));
  }
  std::string branch() { return branch_string(*thread); }
  void TearDown() override { thread.reset(); }

  Driver driver;
  ScriptedAdapter model{driver};
  std::unique_ptr<ThreadRuntime> thread;
};

TEST_F(Scripted, RepliesInOrderAndRepeatsTheLastScript) {
  model.reply("one").reply("two");
  make();
  for (const char* text : {"a", "b", "c"}) {
    thread->append(U(text));
    driver.settle();
  }
  EXPECT_EQ(branch(), R"([u"a", a"one"·cu, u"b", a"two"·cu, u"c", a"two"·cu])");
  ASSERT_EQ(model.call_count(), 3u);
  EXPECT_EQ(model.calls().at(3).options.messages.size(), 5u);
  EXPECT_THROW(model.calls().at(4), std::out_of_range);
}

TEST_F(Scripted, StreamsCumulativeResultsAndParksAtAGate) {
  Gate g;
  model.stream({Step::yield("Hel"), Step::wait(g), Step::yield("Hello")});
  make();
  auto done = thread->append(U("hi"));
  driver.settle();
  EXPECT_EQ(branch(), R"([u"hi", a"Hel"·run])");
  EXPECT_EQ(g.waiting(), 1);
  EXPECT_FALSE(done.ready());
  g.release();
  driver.settle();
  EXPECT_EQ(branch(), R"([u"hi", a"Hello"·cu])");
  EXPECT_TRUE(done.succeeded_ok());
  EXPECT_TRUE(g.is_open());
  EXPECT_EQ(g.waiting(), 0);
}

TEST_F(Scripted, AFailureBecomesAnErrorMessage) {
  model.fail("the model is unavailable");
  make();
  auto done = thread->append(U("hi"));
  driver.settle();
  EXPECT_EQ(branch(), R"([u"hi", a[]·ie])");
  EXPECT_EQ(failure_message(done), "the model is unavailable");
}

TEST_F(Scripted, ADeferredCallWaitsForTheTest) {
  model.defer();
  make();
  auto first = thread->append(U("a"));
  driver.settle();
  EXPECT_EQ(branch(), R"([u"a", a[]·run])");
  model.resolve(1, "late");
  driver.settle();
  EXPECT_EQ(branch(), R"([u"a", a"late"·cu])");
  EXPECT_TRUE(first.succeeded_ok());
  EXPECT_THROW(model.resolve(1, "again"), std::logic_error);

  model.reject(3, "refused");  // before the call: it fails as soon as it starts
  thread->append(U("b"));
  driver.settle();
  EXPECT_EQ(branch(), R"([u"a", a"late"·cu, u"b", a[]·run])");
  auto third = thread->append(U("c"));  // supersedes call 2, which still waits
  driver.settle();
  EXPECT_EQ(failure_message(third), "refused");
  model.resolve(2, "ignored");  // the superseded call's late answer is not applied
  driver.settle();
  EXPECT_EQ(model.call_count(), 3u);
  EXPECT_EQ(thread->messages()[3]->status.reason, StatusReason::Cancelled);
}

TEST_F(Scripted, AHangingCallEndsWhenCancelled) {
  model.hang();
  make();
  auto done = thread->append(U("hi"));
  driver.settle();
  EXPECT_TRUE(thread->is_running());
  thread->cancel_run();
  driver.settle();
  EXPECT_EQ(branch(), R"([u"hi", a[]·ic])");
  EXPECT_TRUE(done.succeeded_ok());
}

TEST_F(Scripted, ACallWithoutAScriptFailsSayingSo) {
  make();
  auto done = thread->append(U("hi"));
  driver.settle();
  EXPECT_NE(failure_message(done).find("has no script"), std::string::npos);
}

TEST(TestDriver, TimersRunWhenTheFakeClockReachesThem) {
  Driver driver;
  auto queue = driver.dispatcher();
  std::vector<int> ran;
  EXPECT_FALSE(queue->post_after(std::chrono::milliseconds(5), [&] { ran.push_back(0); }));
  driver.enable_timers();
  EXPECT_TRUE(queue->post_after(std::chrono::milliseconds(10), [&] { ran.push_back(2); }));
  EXPECT_TRUE(queue->post_after(std::chrono::milliseconds(5), [&] { ran.push_back(1); }));
  EXPECT_TRUE(queue->post_after(std::chrono::milliseconds(10), [&] { ran.push_back(3); }));
  EXPECT_EQ(driver.settle(), 0u);
  EXPECT_EQ(driver.pending_timers(), 3u);
  driver.advance(std::chrono::milliseconds(9));
  EXPECT_EQ(driver.settle(), 1u);
  driver.advance(std::chrono::milliseconds(1));
  driver.settle();
  EXPECT_EQ(ran, (std::vector<int>{1, 2, 3}));  // due order, then posting order
  EXPECT_EQ(driver.clock()(),
            std::chrono::steady_clock::time_point{} + std::chrono::milliseconds(10));
}

TEST(TestDriver, RunPendingRunsWhatIsQueuedWithoutWaitingForWorkers) {
  Driver driver;
  Gate g;
  int ran = 0;
  driver.executor()->execute([&] {
    g.wait(driver);
    driver.dispatcher()->post([&] { ++ran; });
  });
  driver.dispatcher()->post([&] { ++ran; });
  EXPECT_EQ(driver.run_pending(), 1u);
  g.release();
  driver.settle();
  EXPECT_EQ(ran, 2);
}

TEST(TestDriver, SettleSaysSoWhenAWorkerIsStuck) {
  Driver driver;
  driver.set_patience(std::chrono::milliseconds(20));
  std::promise<void> unblock;
  auto blocked = unblock.get_future().share();
  driver.executor()->execute([blocked] { blocked.wait(); });  // not a Gate: the driver can't tell
  EXPECT_THROW(driver.settle(), Stuck);
  unblock.set_value();
  driver.settle();
}

TEST(TestDriver, ATaskThatThrowsLeavesTheRestQueued) {
  Driver driver;
  int ran = 0;
  driver.dispatcher()->post([] { throw std::runtime_error("boom"); });
  driver.dispatcher()->post([&] { ++ran; });
  EXPECT_THROW(driver.settle(), std::runtime_error);
  EXPECT_EQ(ran, 0);
  driver.settle();
  EXPECT_EQ(ran, 1);
}

}  // namespace
