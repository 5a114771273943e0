#pragma once
// QtDispatcher: the aui::Dispatcher of a Qt application. The runtime's owner thread is a Qt
// thread (the GUI thread for a Chat): work posted from adapters' workers runs there through Qt's
// event loop, so the runtime and the list models are only ever touched on that thread.

#include <QThread>
#include <chrono>
#include <functional>

#include "aui/support/dispatcher.hpp"

class QObject;

namespace aui::qt {

/// Runs posted tasks on a Qt thread with queued calls, in posting order; post_after() uses a
/// single-shot timer started on that thread. Thread-safe: workers post from any thread (threads
/// without a Qt event loop included). The tasks run while that thread's event loop runs (or
/// QCoreApplication::processEvents() is called on it).
class QtDispatcher final : public Dispatcher {
 public:
  /// Tasks run on `thread`; the current thread when null.
  explicit QtDispatcher(QThread* thread = nullptr);
  /// Nothing posted later runs. Destroyed on the owner thread, it drops the tasks still queued
  /// (they are a runtime's, which is gone by then); on another thread, they still run.
  ~QtDispatcher() override;
  QtDispatcher(const QtDispatcher&) = delete;
  QtDispatcher& operator=(const QtDispatcher&) = delete;

  void post(std::function<void()> task) override;
  /// Has a timer: always queues and returns true.
  bool post_after(std::chrono::steady_clock::duration delay, std::function<void()> task) override;

  /// The thread the tasks run on.
  QThread* thread() const noexcept;

 private:
  QObject* receiver_;  // lives on the owner thread; deleted there with deleteLater()
};

}  // namespace aui::qt
