// A program that uses an installed aui through find_package(aui).
#include <aui/local_runtime.hpp>
#include <aui/testing.hpp>

#include <cstdio>
#include <iostream>
#ifdef AUI_CONSUMER_HAS_BACKENDS
#include <aui/backends/openai_adapter.hpp>
#endif
#include <string>
#ifdef AUI_CONSUMER_SQLITE
#include <aui/stores/sqlite_store.hpp>
#endif
#ifdef AUI_CONSUMER_TUI
#include <aui/tui/renderer.hpp>
#include <aui/tui/terminal_caps.hpp>
#endif
#ifdef AUI_CONSUMER_MCP
#include <aui/mcp/registry.hpp>
#endif
#ifdef AUI_CONSUMER_QT
#include <QCoreApplication>
#include <aui/qt/chat.hpp>
#endif
#ifdef AUI_CONSUMER_QML
#include <QGuiApplication>
#include <QQmlComponent>
#include <QQmlEngine>
#include <aui/qml/qml_types.hpp>
#include <memory>
#endif

int main(int argc, char** argv) {
#ifdef AUI_CONSUMER_QT
  {
    // aui::qt: a Chat over a LocalRuntime on the Qt event loop; the reply arrives in its model.
    QCoreApplication app(argc, argv);
    aui::qt::Chat chat;
    chat.set_backend([](const aui::qt::ChatSetup& setup) {
      aui::ThreadRuntimeOptions o;
      o.chat_model = [](const aui::ChatModelRunOptions&) {
        return aui::ChatModelRunResult::text("from qt");
      };
      o.dispatcher = setup.dispatcher;
      return aui::qt::ChatBackend{std::make_unique<aui::LocalRuntime>(std::move(o)), nullptr, {}};
    });
    chat.send(QStringLiteral("hi"));
    const auto replied = [&] {
      return chat.messages()->get(1)[QStringLiteral("text")].toString() ==
             QStringLiteral("from qt");
    };
    for (int i = 0; i < 10000 && !replied(); ++i) {  // bounded: 10,000 turns of the event loop
      QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    if (!replied()) return 6;
  }
#else
  (void)argc;
  (void)argv;
#endif
#ifdef AUI_CONSUMER_QML
  {
    // aui::qml: `import Aui` resolves from the installed library, and its components load.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QQmlEngine engine;
    aui::qml::init(engine);
    QQmlComponent component(&engine);
    component.setData(
        "import QtQuick\nimport Aui\n"
        "Item { BranchPicker { branchNumber: 2; branchCount: 3 } }\n",
        QUrl());
    std::unique_ptr<QObject> root(component.create());
    if (!root) {
      std::cerr << "import Aui failed: " << component.errorString().toStdString() << "\n";
      return 7;
    }
  }
#endif
#ifdef AUI_CONSUMER_MCP
  {
    // aui::mcp: a configuration read, its problem named, nothing started.
    const auto config =
        aui::mcp::parse_mcp_config(aui::Json::parse(R"({"mcpServers": {"x": {}}})"));
    aui::mcp::McpRegistry registry(config);
    if (config.problems.size() != 1 || !registry.servers().empty()) return 5;
  }
#endif
#ifdef AUI_CONSUMER_HAS_BACKENDS
  if (!aui::make_openai_adapter(aui::OpenAISettings{})) return 1;
#endif
  aui::LocalRuntime rt([](const aui::ChatModelRunOptions& options) {
    return aui::ChatModelRunResult::text("echo: " + options.messages.back()->text());
  });
  rt.wait(rt.thread().append("hi"));
  const auto reply = rt.thread().messages().back()->text();
  std::cout << reply << '\n';
  if (reply != "echo: hi") return 1;
  {
    // aui::testing: a scripted reply through the deterministic driver.
    aui::testing::Driver driver;
    aui::testing::ScriptedAdapter model(driver);
    model.reply("scripted");
    aui::ThreadRuntimeOptions o;
    o.chat_model = model;
    o.dispatcher = driver.dispatcher();
    o.executor = driver.executor();
    aui::ThreadRuntime thread(std::move(o));
    thread.append("hi");
    driver.settle();
    if (thread.messages().back()->text() != "scripted" || model.call_count() != 1) return 3;
  }
#ifdef AUI_CONSUMER_SQLITE
  const std::string path = "aui_consumer_" + std::to_string(std::rand()) + ".db";
  {
    auto store = aui::SqliteStore::open({path});
    rt.wait(rt.thread().append("kept"));
    store->history("t")->append({rt.thread().messages().back(), std::nullopt, std::nullopt});
    if (store->history("t")->load().messages.size() != 1) return 2;
  }
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
#endif
#ifdef AUI_CONSUMER_TUI
  {
    // aui::tui: a screen rendered into a string (and terminfo, from ncursesw, asked).
    aui::tui::Screen screen(10, 2);
    screen.canvas().put(0, 0, "hi \x1b[2J");
    aui::tui::Renderer renderer(aui::tui::detect_terminal_caps());
    aui::tui::StringSink sink;
    renderer.render(screen, sink);
    if (screen.row_text(0) != "hi \u241b[2J" || sink.bytes().empty()) return 4;
  }
#endif
  return 0;
}
