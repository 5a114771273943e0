// The QML module Aui's component tests (tst_*.qml, Qt Quick Test): every `Chat {}` they create
// runs aui-desktop's own factory with the offline demo adapter (fast chunks, the demo tools) and
// threads in memory, so the components meet the real runtime, not a stand-in.

#include <QElapsedTimer>
#include <QQmlContext>
#include <QQmlEngine>
#include <QtQuickTest>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "aui/model/message_like.hpp"
#include "aui/qml/qml_types.hpp"
#include "aui/qt/chat.hpp"
#include "desktop_backend.hpp"

// What the tests need beyond QML: a long thread at once (`fixtures.fill(chat, n)`), and the
// process's resident memory, for the transcript's figures.
class Fixtures : public QObject {
  Q_OBJECT

 public:
  /// Replaces the chat's thread with `n` messages, user and assistant in turn (a few lines of
  /// Markdown each). Returns the milliseconds spent making the messages, before the thread's
  /// reset (the figures tell the two apart).
  Q_INVOKABLE double fill(QObject* chat_object, int n) {
    auto* chat = qobject_cast<aui::qt::Chat*>(chat_object);
    if (!chat || !chat->runtime()) return 0;
    QElapsedTimer made;
    made.start();
    std::vector<aui::ThreadMessageLike> messages;
    messages.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      const bool user = i % 2 == 0;
      messages.push_back(aui::ThreadMessageLike::text(
          user ? aui::Role::User : aui::Role::Assistant,
          user ? "Question " + std::to_string(i / 2) + ": how does this work?"
               : "Answer " + std::to_string(i / 2) +
                     ": it works **like this**, with `code` and a list:\n\n- one\n- two\n"));
    }
    const double made_ms = static_cast<double>(made.nsecsElapsed()) / 1e6;
    chat->runtime()->thread().reset(std::move(messages));
    return made_ms;
  }
  /// The CPU time this thread (the GUI thread: it also renders, offscreen with the software
  /// renderer) has used, in ms: on a shared machine, the work apart from the wait for a core.
  Q_INVOKABLE double threadCpuMs() const {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
  }
  /// The resident set size of this process in KiB (Linux /proc), 0 when unknown.
  Q_INVOKABLE double residentKiB() const {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6));
    }
    return 0;
  }
};

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
  void qmlEngineAvailable(QQmlEngine* engine) {
    aui::qml::init(*engine);
    engine->rootContext()->setContextProperty(QStringLiteral("fixtures"), &fixtures_);
  }
  void cleanupTestCase() { aui::qt::Chat::set_default_factory({}); }

 private:
  Fixtures fixtures_;
};

QUICK_TEST_MAIN_WITH_SETUP(aui_qml, Setup)

#include "qml_test_main.moc"
