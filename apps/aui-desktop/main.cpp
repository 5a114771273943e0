// aui-desktop: the desktop chat on Qt Quick — the QML module Aui's components over an
// aui::qt::Chat, with the backends, stores and options aui-chat has (apps/common).

#include <QGuiApplication>
#include <QPalette>
#include <QQmlApplicationEngine>
#include <QQmlComponent>
#include <QQmlContext>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QUrl>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <memory>

#include "aui/qml/qml_types.hpp"
#include "aui/qt/chat.hpp"
#include "desktop_backend.hpp"
#include "desktop_options.hpp"
#include "store_setup.hpp"
#include "test_hook.hpp"
#include "user_errors.hpp"

namespace {

// Loads the end-to-end test's script (AUI_DESKTOP_TEST_SCRIPT) into the window; false when it
// cannot be loaded (the errors are printed).
bool load_test_script(QQmlApplicationEngine& engine, QQuickWindow* window, const char* path) {
  auto* hook = new aui::desktop::TestHook(window, window);
  QObject* chat = window->findChild<QObject*>(QStringLiteral("chat"));
  QQmlComponent component(&engine, QUrl::fromLocalFile(QString::fromLocal8Bit(path)));
  QObject* script = component.createWithInitialProperties(
      {{QStringLiteral("hook"), QVariant::fromValue<QObject*>(hook)},
       {QStringLiteral("window"), QVariant::fromValue<QObject*>(window)},
       {QStringLiteral("chat"), QVariant::fromValue<QObject*>(chat)}});
  if (!script) {
    std::cerr << "aui-desktop: the test script " << path
              << " cannot be loaded: " << component.errorString().toStdString() << '\n';
    return false;
  }
  script->setParent(window);
  if (auto* item = qobject_cast<QQuickItem*>(script)) item->setParentItem(window->contentItem());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  QGuiApplication app(argc, argv);  // takes Qt's own options (-platform, ...) out of argv
  QGuiApplication::setApplicationName(QStringLiteral("aui-desktop"));
  QGuiApplication::setOrganizationName(QStringLiteral("aui"));

  aui::desktop::DesktopOptions options;
  switch (aui::desktop::parse_args(argc, argv, options, std::cout, std::cerr)) {
    case aui::desktop::ParseOutcome::Exit: return 0;
    case aui::desktop::ParseOutcome::Fail: return 2;
    case aui::desktop::ParseOutcome::Run: break;
  }

  // Fusion draws with the window's palette, which Main.qml derives from Theme (light or dark).
  QQuickStyle::setStyle(QStringLiteral("Fusion"));
  bool dark = options.theme == "dark";
  if (options.theme.empty())
    dark = QGuiApplication::palette().color(QPalette::Window).lightness() < 128;

  aui::chat::AppStore store = aui::chat::open_app_store(options.store, "aui-desktop");
  if (!store.problem.empty()) std::cerr << "aui-desktop: " << store.line << '\n';
  aui::desktop::Desktop desktop(options, store);
  try {
    aui::qt::Chat::set_default_factory(desktop.factory());
  } catch (const std::exception& e) {
    std::cerr << "aui-desktop: " << aui::chat::user_error_text(e) << '\n';
    return 1;
  }

  QQmlApplicationEngine engine;
  aui::qml::init(engine);
  engine.rootContext()->setContextProperty(QStringLiteral("desktop"), &desktop);
  engine.rootContext()->setContextProperty(QStringLiteral("darkTheme"), dark);
  // Qt 6.4 has no loadFromModule: the window is loaded by its URL in the module's resources.
  engine.load(QUrl(QStringLiteral("qrc:/qt/qml/AuiDesktop/Main.qml")));
  if (engine.rootObjects().isEmpty()) return 1;
  auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
  if (!window) return 1;

  if (const char* script = std::getenv("AUI_DESKTOP_TEST_SCRIPT"); script && *script) {
    if (!load_test_script(engine, window, script)) return 1;
  }
  const int status = QGuiApplication::exec();
  aui::qt::Chat::set_default_factory({});
  return status;
}
