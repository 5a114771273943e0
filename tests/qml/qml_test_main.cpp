// The QML module Aui's component tests (tst_*.qml, Qt Quick Test): every `Chat {}` they create
// runs aui-desktop's own factory with the offline demo adapter (fast chunks, the demo tools) and
// threads in memory, so the components meet the real runtime, not a stand-in.

#include <QQmlEngine>
#include <QtQuickTest>

#include "aui/qml/qml_types.hpp"
#include "aui/qt/chat.hpp"
#include "desktop_backend.hpp"

class Setup : public QObject {
  Q_OBJECT

 public slots:
  void applicationAvailable() {
    aui::desktop::DesktopOptions options;
    options.backend.provider = "demo";  // whatever the environment configures
    options.store.memory = true;
    options.demo_delay_ms = 8;  // a long story streams for seconds: time to scroll, cancel
    QString banner;
    aui::qt::Chat::set_default_factory(aui::desktop::make_chat_factory(options, nullptr, banner));
  }
  void qmlEngineAvailable(QQmlEngine* engine) { aui::qml::init(*engine); }
  void cleanupTestCase() { aui::qt::Chat::set_default_factory({}); }
};

QUICK_TEST_MAIN_WITH_SETUP(aui_qml, Setup)

#include "qml_test_main.moc"
