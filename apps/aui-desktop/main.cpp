// aui-desktop: the desktop chat on Qt Quick — the QML module Aui's components over an
// aui::qt::Chat, with the backends, stores and options aui-chat has (apps/common).

#include <QColor>
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

// The dark palette of the Fusion style (Controls take their colours from it).
QPalette dark_palette() {
  QPalette p;
  p.setColor(QPalette::Window, QColor(0x1e, 0x1f, 0x22));
  p.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xea));
  p.setColor(QPalette::Base, QColor(0x2b, 0x2d, 0x31));
  p.setColor(QPalette::AlternateBase, QColor(0x26, 0x27, 0x2b));
  p.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xea));
  p.setColor(QPalette::Button, QColor(0x2f, 0x31, 0x36));
  p.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xea));
  p.setColor(QPalette::Highlight, QColor(0x7a, 0xa2, 0xf7));
  p.setColor(QPalette::HighlightedText, QColor(0x16, 0x17, 0x1a));
  p.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa4, 0xab));
  p.setColor(QPalette::ToolTipBase, QColor(0x2b, 0x2d, 0x31));
  p.setColor(QPalette::ToolTipText, QColor(0xe8, 0xe8, 0xea));
  return p;
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

  // Fusion follows the palette, so light and dark are one setting.
  QQuickStyle::setStyle(QStringLiteral("Fusion"));
  bool dark = options.theme == "dark";
  if (options.theme.empty())
    dark = QGuiApplication::palette().color(QPalette::Window).lightness() < 128;
  if (dark) QGuiApplication::setPalette(dark_palette());

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
