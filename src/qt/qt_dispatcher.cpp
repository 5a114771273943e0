#include "aui/qt/qt_dispatcher.hpp"

#include <QMetaObject>
#include <QObject>
#include <QTimer>

namespace aui::qt {

QtDispatcher::QtDispatcher(QThread* thread) : receiver_(new QObject) {
  QThread* target = thread ? thread : QThread::currentThread();
  if (receiver_->thread() != target) receiver_->moveToThread(target);
}

QtDispatcher::~QtDispatcher() {
  // deleteLater is itself an event after the queued calls: those still queued run first, and the
  // receiver dies on its own thread (the dispatcher may die on a worker that held the last copy).
  receiver_->deleteLater();
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
