// QtDispatcher: tasks posted from any thread run on the owner thread in order; post_after waits.

#include "aui/qt/qt_dispatcher.hpp"

#include "aui/qt/chat.hpp"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace {

// Processes events until `done` or a generous bound (a real event loop is involved: bounded
// polling, never a fixed sleep).
template <class F>
bool process_until(F done, int bound_ms = 5000) {
  QDeadlineTimer deadline(bound_ms);
  while (!done()) {
    if (deadline.hasExpired()) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
  }
  return true;
}

TEST(QtDispatcher, TasksFromWorkersRunOnTheOwnerThreadInOrder) {
  aui::qt::QtDispatcher dispatcher;
  EXPECT_EQ(dispatcher.thread(), QThread::currentThread());
  std::vector<int> order;
  std::vector<bool> on_owner;
  QThread* owner = QThread::currentThread();
  std::thread worker([&] {
    for (int i = 0; i < 100; ++i) {
      dispatcher.post([&, i] {
        order.push_back(i);
        on_owner.push_back(QThread::currentThread() == owner);
      });
    }
  });
  worker.join();
  EXPECT_TRUE(order.empty());  // never inline
  ASSERT_TRUE(process_until([&] { return order.size() == 100; }));
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
    EXPECT_TRUE(on_owner[static_cast<std::size_t>(i)]);
  }
}

TEST(QtDispatcher, PostAfterRunsLaterOnTheOwnerThread) {
  aui::qt::QtDispatcher dispatcher;
  bool ran = false;
  QThread* ran_on = nullptr;
  const auto start = std::chrono::steady_clock::now();
  std::thread worker([&] {
    EXPECT_TRUE(dispatcher.post_after(std::chrono::milliseconds(30), [&] {
      ran = true;
      ran_on = QThread::currentThread();
    }));
  });
  worker.join();
  ASSERT_TRUE(process_until([&] { return ran; }));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(30));
  EXPECT_EQ(ran_on, QThread::currentThread());
}

}  // namespace

namespace {

// The whole path on Qt's loop: a runtime on the Chat's QtDispatcher with real workers and the
// default stream pace (post_after timers), streaming a reply the test releases step by step.
TEST(QtDispatcher, DrivesAChatOnTheQtEventLoop) {
  auto release = std::make_shared<std::promise<void>>();
  std::shared_future<void> released = release->get_future().share();
  aui::qt::Chat chat;
  chat.set_backend([released](const aui::qt::ChatSetup& setup) {
    aui::ThreadRuntimeOptions o;
    o.chat_model = [released](const aui::ChatModelRunOptions& options, aui::RunResultSink& sink) {
      std::string text;
      for (int i = 0; i < 50; ++i) {
        text += "w" + std::to_string(i) + " ";
        sink.yield(aui::ChatModelRunResult::text(text));
        if (options.stop_token.stop_requested()) return;
      }
      // Waits for the test (bounded) so that the reply is seen running first.
      released.wait_for(std::chrono::seconds(10));
    };
    o.dispatcher = setup.dispatcher;
    o.on_error = setup.on_error;
    return aui::qt::ChatBackend{std::make_unique<aui::LocalRuntime>(std::move(o)), nullptr, {}};
  });
  ASSERT_TRUE(chat.ready());
  chat.send(QStringLiteral("go"));
  ASSERT_TRUE(process_until([&] {
    return chat.messages()->rowCount() == 2 &&
           chat.messages()->get(1)[QStringLiteral("text")].toString().endsWith(
               QStringLiteral("w49 "));
  }));
  EXPECT_TRUE(chat.running());
  release->set_value();
  ASSERT_TRUE(process_until([&] { return !chat.running(); }));
  EXPECT_EQ(chat.messages()->get(1)[QStringLiteral("status")].toString(),
            QStringLiteral("complete"));
}

}  // namespace
