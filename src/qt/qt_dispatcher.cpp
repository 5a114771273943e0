#include "aui/qt/qt_dispatcher.hpp"

#include <QMetaObject>
#include <QObject>
#include <QTimer>
#include <algorithm>

namespace aui::qt {

QtDispatcher::QtDispatcher(QThread* thread) : receiver_(new QObject) {
  QThread* target = thread ? thread : QThread::currentThread();
  if (receiver_->thread() != target) receiver_->moveToThread(target);
}

QtDispatcher::~QtDispatcher() {
  // On the owner thread the receiver goes at once, and the calls still queued for it with it (Qt
  // drops the events of a deleted object): an application that exits leaks nothing. Elsewhere (a
  // worker held the last copy) it is deleted on its own thread, after the queued calls.
  if (QThread::currentThread() == receiver_->thread()) {
    delete receiver_;
  } else {
    receiver_->deleteLater();
  }
}

void QtDispatcher::post(std::function<void()> task) {
  QMetaObject::invokeMethod(receiver_, std::move(task), Qt::QueuedConnection);
}

bool QtDispatcher::post_after(std::chrono::steady_clock::duration delay,
                              std::function<void()> task) {
  // The timer must start on the owner thread (a worker may have no Qt event loop), so the start is
  // posted; the time spent in the queue counts towards the delay.
  const auto due = std::chrono::steady_clock::now() + delay;
  QObject* receiver = receiver_;
  post([receiver, due, task = std::move(task)]() mutable {
    const auto left =
        std::chrono::ceil<std::chrono::milliseconds>(due - std::chrono::steady_clock::now());
    QTimer::singleShot(std::max<std::chrono::milliseconds>(left, std::chrono::milliseconds(0)),
                       Qt::PreciseTimer, receiver, std::move(task));
  });
  return true;
}

QThread* QtDispatcher::thread() const noexcept { return receiver_->thread(); }

}  // namespace aui::qt
