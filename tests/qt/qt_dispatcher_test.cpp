// QtDispatcher: tasks posted from any thread run on the owner thread in order; post_after waits.

#include "aui/qt/qt_dispatcher.hpp"

#include <gtest/gtest.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QThread>
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
