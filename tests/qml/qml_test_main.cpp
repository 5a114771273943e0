// The QML module Aui's component tests (tst_*.qml, Qt Quick Test): every `Chat {}` they create
// runs aui-desktop's own factory with the offline demo adapter (fast chunks, the demo tools) and
// threads in memory, so the components meet the real runtime, not a stand-in.

#include <QCoreApplication>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeData>
#include <QQmlContext>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>
#include <QtMath>
#include <QtQuickTest>
#include <cmath>
#include <ctime>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aui/model/message_like.hpp"
#include "aui/qml/qml_types.hpp"
#include "aui/qt/chat.hpp"
#include "desktop_backend.hpp"
#include "support/http_test_server.hpp"
#if AUI_QML_TESTS_WITH_DICTATION
#include "aui/speech/espeak_speech_adapter.hpp"
#endif

namespace {

// The options of every Chat the tests create: aui-desktop's, with the offline demo, threads in
// memory and feedback recorded in the test's own directory.
aui::desktop::DesktopOptions demo_options(const QTemporaryDir& dir) {
  aui::desktop::DesktopOptions options;
  options.backend.provider = "demo";  // whatever the environment configures
  options.store.memory = true;
  options.demo_delay_ms = 8;  // a long story streams for seconds: time to scroll, cancel
  options.feedback_file = dir.filePath(QStringLiteral("feedback.jsonl")).toStdString();
  return options;
}

// One OpenAI-compatible streamed answer (server-sent events) saying `text`.
std::string openai_stream(const std::string& text) {
  const auto chunk = [](const std::string& delta, const char* finish) {
    QJsonObject choice{
        {QStringLiteral("index"), 0},
        {QStringLiteral("delta"),
         delta.empty() ? QJsonObject{}
                       : QJsonObject{{QStringLiteral("content"), QString::fromStdString(delta)}}},
        {QStringLiteral("finish_reason"),
         finish ? QJsonValue(QString::fromLatin1(finish)) : QJsonValue()}};
    QJsonObject event{{QStringLiteral("id"), QStringLiteral("chatcmpl-test")},
                      {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                      {QStringLiteral("choices"), QJsonArray{choice}}};
    return "data: " + QJsonDocument(event).toJson(QJsonDocument::Compact).toStdString() + "\n\n";
  };
  return chunk(text, nullptr) + chunk({}, "stop") + "data: [DONE]\n\n";
}

}  // namespace

// What the tests need beyond QML: a long thread at once (`fixtures.fill(chat, n)`), the
// process's resident memory (the transcript's figures), files the app wrote, speech to dictate
// from, and a model server on the loopback for the settings dialog.
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
  /// Drops `urls` on the middle of `item` as the window system delivers a drop from a file
  /// manager: a drag enters the window there, moves, and drops, each event carrying the URLs in
  /// its MIME data. Returns whether the drop was accepted. (A Drag attached to a test item cannot
  /// stand in: an internal drag carries only its keys, not the URLs, and an automatic one runs the
  /// platform's drag loop.)
  Q_INVOKABLE bool dropFiles(QQuickItem* item, const QList<QUrl>& urls) {
    if (!item || !item->window()) return false;
    QMimeData data;
    data.setUrls(urls);
    const QPointF at = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    const auto actions = Qt::CopyAction | Qt::LinkAction;
    QDragEnterEvent enter(at.toPoint(), actions, &data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(item->window(), &enter);
    QDragMoveEvent move(at.toPoint(), actions, &data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(item->window(), &move);
    QDropEvent drop(at, actions, &data, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(item->window(), &drop);
    return drop.isAccepted();
  }

  /// A file's text ("" when it cannot be read): what the app wrote (the feedback file).
  /// Whether `item` was drawn: the pixels of its area of the window that differ clearly from the
  /// colour at the area's top-left corner. A label whose text is rendered has many; an empty one
  /// (or one whose text failed to render) has none. The window is grabbed whole, in the screen's
  /// pixels (two per item unit each way on a 200 % screen), and the item's area cut out by its
  /// scene position (Qt 6.4's TestCase.grabImage keeps only the top-left of a scaled window).
  Q_INVOKABLE int ink(QQuickItem* item) const {
    if (!item || !item->window()) return 0;
    const QImage image = item->window()->grabWindow();
    // The grab's own devicePixelRatio says 1 under QT_SCALE_FACTOR: its size tells the scale.
    const qreal dpr = static_cast<qreal>(image.width()) / item->window()->width();
    const QRectF area = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
    const QRect pixels =
        QRect(QPoint(qFloor(area.left() * dpr), qFloor(area.top() * dpr)),
              QPoint(qFloor(area.right() * dpr) - 1, qFloor(area.bottom() * dpr) - 1))
            .intersected(image.rect());
    if (pixels.isEmpty()) return 0;
    const QColor bg = image.pixelColor(pixels.topLeft());
    int n = 0;
    for (int y = pixels.top(); y <= pixels.bottom(); ++y) {
      for (int x = pixels.left(); x <= pixels.right(); ++x) {
        const QColor c = image.pixelColor(x, y);
        if (std::abs(c.redF() - bg.redF()) + std::abs(c.greenF() - bg.greenF()) +
                std::abs(c.blueF() - bg.blueF()) >
            0.5)
          ++n;
      }
    }
    return n;
  }
  Q_INVOKABLE QString readFile(const QString& path) const {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(file.readAll());
  }
  /// Where the chats of this test record feedback.
  Q_INVOKABLE QString feedbackFile() const {
    return QString::fromStdString(demo_options(dir_).feedback_file);
  }

  /// Whether this build has dictation (aui::dictation) and speech to make the audio with.
  Q_INVOKABLE bool canDictate() const { return AUI_QML_TESTS_WITH_DICTATION != 0; }
  /// eSpeak NG says `text` into a WAV file of the test's directory; returns its path ("" when
  /// the build has no speech). The voice and pace PocketSphinx understands best
  /// (tests/dictation).
  Q_INVOKABLE QString speakToWav(const QString& text) {
#if AUI_QML_TESTS_WITH_DICTATION
    aui::speech::EspeakOptions voice;
    voice.voice = "en-us+m1";
    voice.rate_wpm = 150;
    const QString path = dir_.filePath(QStringLiteral("said.wav"));
    aui::speech::write_wav(path.toStdString(), aui::speech::synthesize(text.toStdString(), voice));
    return path;
#else
    (void)text;
    return {};
#endif
  }
  /// Gives `chat` aui-desktop's backend with dictation from `wav` (--dictation-wav).
  Q_INVOKABLE void useDictationWav(QObject* chat_object, const QString& wav) {
    auto* chat = qobject_cast<aui::qt::Chat*>(chat_object);
    if (!chat) return;
    auto options = demo_options(dir_);
    options.dictation_wav = wav.toStdString();
    QString banner;
    chat->set_backend(aui::desktop::make_chat_factory(options, nullptr, banner));
  }

  /// Starts an OpenAI-compatible server on 127.0.0.1 that answers every chat request with
  /// "Hello from the test server." and remembers the model each request named. Returns its base
  /// URL (".../v1").
  Q_INVOKABLE QString startModelServer() {
    server_ = std::make_unique<aui::testing::HttpTestServer>(
        [this](const aui::testing::HttpTestServer::Request& request) {
          const auto body = QJsonDocument::fromJson(QByteArray::fromStdString(request.body));
          {
            const std::lock_guard lock(mutex_);
            models_ << body.object().value(QStringLiteral("model")).toString();
          }
          aui::testing::HttpTestServer::Response response;
          response.content_type = "text/event-stream";
          response.body = openai_stream("Hello from the test server.");
          return response;
        });
    return QString::fromStdString(server_->url("/v1"));
  }
  /// The model named by each request the server got, in order.
  Q_INVOKABLE QStringList serverModels() const {
    const std::lock_guard lock(mutex_);
    return models_;
  }

  /// The resident set size of this process in KiB (Linux /proc), 0 when unknown.
  Q_INVOKABLE double residentKiB() const {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6));
    }
    return 0;
  }

  /// The test's own directory (removed at exit).
  const QTemporaryDir& directory() const { return dir_; }

 private:
  QTemporaryDir dir_;
  std::unique_ptr<aui::testing::HttpTestServer> server_;
  mutable std::mutex mutex_;
  QStringList models_;
};

class Setup : public QObject {
  Q_OBJECT

 public slots:
  void applicationAvailable() {
    const auto options = demo_options(fixtures_.directory());
    QString banner;
    aui::qt::Chat::set_default_factory(aui::desktop::make_chat_factory(options, nullptr, banner));
    // aui-desktop's settings (its SettingsDialog reads and applies them through `desktop`).
    desktop_ = std::make_unique<aui::desktop::Desktop>(options, aui::chat::AppStore{});
  }
  void qmlEngineAvailable(QQmlEngine* engine) {
    aui::qml::init(*engine);
    engine->rootContext()->setContextProperty(QStringLiteral("fixtures"), &fixtures_);
    engine->rootContext()->setContextProperty(QStringLiteral("desktop"), desktop_.get());
  }
  void cleanupTestCase() { aui::qt::Chat::set_default_factory({}); }

 private:
  Fixtures fixtures_;
  std::unique_ptr<aui::desktop::Desktop> desktop_;
};

QUICK_TEST_MAIN_WITH_SETUP(aui_qml, Setup)

#include "qml_test_main.moc"
