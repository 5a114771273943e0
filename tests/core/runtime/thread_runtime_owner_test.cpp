// The owner-thread rule (issue 15 item 4): in checked builds (debug, sanitizers, or
// AUI_OWNER_CHECKS=ON) a call from another thread stops the program with the operation's name.

#include <gtest/gtest.h>

#include <thread>

#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/owner_thread.hpp"
#include "support/runtime_driver.hpp"

namespace aui {
namespace {

ThreadRuntimeOptions options_for(testing::Driver& driver) {
  ThreadRuntimeOptions o;
  o.dispatcher = driver.dispatcher();
  o.executor = driver.executor();
  o.chat_model = ChatModelAdapter(
      [](const ChatModelRunOptions&) { return ChatModelRunResult::text("hello"); });
  return o;
}

TEST(ThreadRuntimeOwnerDeathTest, AnAppendFromAnotherThreadStopsWithTheOperationsName) {
  if (!owner_checks_enabled())
    GTEST_SKIP() << "owner checks are compiled in debug and sanitizer builds only";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        auto driver = std::make_shared<testing::Driver>();
        ThreadRuntime thread(options_for(*driver));
        std::thread([&] { (void)thread.append("hi"); }).join();
      },
      "ThreadRuntime::append was called on thread .*, but this object belongs to thread");
}

TEST(ThreadRuntimeOwnerDeathTest, AComposerCallFromAnotherThreadStopsWithTheOperationsName) {
  if (!owner_checks_enabled())
    GTEST_SKIP() << "owner checks are compiled in debug and sanitizer builds only";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        auto driver = std::make_shared<testing::Driver>();
        ThreadRuntime thread(options_for(*driver));
        Composer& composer = thread.composer();
        std::thread([&] { composer.set_text("typed elsewhere"); }).join();
      },
      "Composer::set_text was called on thread");
}

TEST(ThreadRuntimeOwner, CallsOnTheOwnerThreadWork) {
  auto driver = std::make_shared<testing::Driver>();
  ThreadRuntime thread(options_for(*driver));
  thread.composer().set_text("hi");
  Completion sent = thread.composer().send();
  driver->settle();
  EXPECT_TRUE(sent.succeeded_ok());
  ASSERT_EQ(thread.messages().size(), 2u);
  EXPECT_EQ(thread.messages().back()->text(), "hello");
}

}  // namespace
}  // namespace aui
