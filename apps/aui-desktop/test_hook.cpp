// The end-to-end test's hands on aui-desktop (test_hook.hpp). Events go through the window as a
// user's would: focus, key handlers and mouse areas all take part.

#include "test_hook.hpp"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPointingDevice>
#include <QQuickItem>
#include <QQuickWindow>
#include <cstdio>

namespace aui::desktop {

TestHook::TestHook(QQuickWindow* window, QObject* parent) : QObject(parent), window_(window) {}

void TestHook::typeText(const QString& text) {
  for (const QChar c : text) {
    QKeyEvent press(QEvent::KeyPress, 0, Qt::NoModifier, QString(c));
    QKeyEvent release(QEvent::KeyRelease, 0, Qt::NoModifier, QString(c));
    QCoreApplication::sendEvent(window_, &press);
    QCoreApplication::sendEvent(window_, &release);
  }
}

void TestHook::key(int key, int modifiers) {
  const auto mods = Qt::KeyboardModifiers(modifiers);
  const QString text = key == Qt::Key_Return ? QStringLiteral("\r") : QString();
  QKeyEvent press(QEvent::KeyPress, key, mods, text);
  QKeyEvent release(QEvent::KeyRelease, key, mods, text);
  QCoreApplication::sendEvent(window_, &press);
  QCoreApplication::sendEvent(window_, &release);
}

void TestHook::click(QQuickItem* item) {
  if (!item) return;
  const QPointF local(item->width() / 2, item->height() / 2);
  const QPointF scene = item->mapToScene(local);
  const QPointF global = window_->mapToGlobal(scene.toPoint());
  // As a mouse does it: the pointer moves there, presses, and releases a moment later (a press
  // and a release with the same timestamp can read as no click at all).
  const auto stamp = static_cast<quint64>(QDateTime::currentMSecsSinceEpoch());
  QMouseEvent move(QEvent::MouseMove, scene, global, Qt::NoButton, Qt::NoButton, Qt::NoModifier);
  move.setTimestamp(stamp);
  QCoreApplication::sendEvent(window_, &move);
  QMouseEvent press(QEvent::MouseButtonPress, scene, global, Qt::LeftButton, Qt::LeftButton,
                    Qt::NoModifier);
  press.setTimestamp(stamp + 10);
  QCoreApplication::sendEvent(window_, &press);
  QCoreApplication::processEvents();
  QMouseEvent release(QEvent::MouseButtonRelease, scene, global, Qt::LeftButton, Qt::NoButton,
                      Qt::NoModifier);
  release.setTimestamp(stamp + 60);
  QCoreApplication::sendEvent(window_, &release);
}

bool TestHook::screenshot(const QString& path) { return window_->grabWindow().save(path, "PNG"); }

QString TestHook::env(const QString& name) const {
  return qEnvironmentVariable(name.toLocal8Bit().constData());
}

QString TestHook::readFile(const QString& path) const {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(file.readAll());
}

void TestHook::log(const QString& line) {
  std::fprintf(stderr, "aui-desktop test: %s\n", line.toUtf8().constData());
  std::fflush(stderr);
}

void TestHook::quit(int status) { QCoreApplication::exit(status); }

}  // namespace aui::desktop
