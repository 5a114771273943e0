// aui-chat's full-screen app: the terminal, the UI loop as the runtime's dispatcher, the thread
// store, the session's commands and the MCP servers, wired to FullScreenChat (full_screen_app.hpp).

#include "full_screen.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "aui/local_runtime.hpp"
#include "aui/tui.hpp"
#include "chat_setup.hpp"
#include "full_screen_app.hpp"
#include "save_status.hpp"
#include "session_settings.hpp"
#include "thread_commands.hpp"
#if AUI_CHAT_WITH_MCP
#include "mcp_commands.hpp"
#endif

namespace aui::chat {

int run_full_screen(const ChatOptions& options, ChosenAdapter chosen) {
  using Clock = std::chrono::steady_clock;
  ChatStore opened = open_chat_store(options);
  auto save_status = std::make_shared<SaveStatus>();
  std::shared_ptr<TrackedThreadList> tracked_list;
  ThreadListRuntimeOptions list_options =
      chat_list_options(options, chosen, opened, save_status, tracked_list);
  auto loop = std::make_shared<tui::UiLoop>();
  // The UI loop is the runtime's dispatcher: the UI thread is its owner thread.
  list_options.thread.dispatcher = loop;
  FullScreenChat* chat = nullptr;
  list_options.thread.on_error = [&chat](const std::string& m) {
    if (chat) chat->on_error(m);
  };
  SessionSettings session = SessionSettings::from(options.backend);
  std::vector<Subscription> tool_registrations;
#if AUI_CHAT_WITH_MCP
  // The MCP servers' tools join every thread too (behind approvals); the servers start below.
  McpCommands mcp(options.mcp_config, options.no_mcp);
#endif
  list_options.on_thread_started = [&](ThreadRuntime& thread, const ThreadListItem&) {
    tool_registrations.push_back(thread.register_tools(chosen.tools));
    tool_registrations.push_back(
        thread.register_model_context_provider([&session] { return session.context(); }));
#if AUI_CHAT_WITH_MCP
    mcp.register_thread(thread);
#endif
  };
  int status = 0;
  try {
    tui::Terminal terminal;
    LocalRuntime rt(std::move(list_options));
    // The line mode's commands write here; the app shows what they wrote.
    std::ostringstream output;
    auto threads = std::make_unique<ChatThreads>(rt.threads(), opened.store, output);
    threads->set_store_problem(opened.problem);
    threads->set_save_status(save_status);
    const auto post = [loop](std::function<void()> task) { loop->post(std::move(task)); };
    SessionCommands session_commands(session, output, chosen.model, chosen.list_models, post);
    FullScreenParts parts{terminal,
                          *loop,
                          rt,
                          *threads,
                          &session_commands,
                          output,
                          chosen.model.empty() ? "demo" : options.backend.provider,
                          chosen.model.empty() ? "offline demo" : chosen.model,
                          {},
                          {}};
#if AUI_CHAT_WITH_MCP
    parts.tool_label = [&mcp](const std::string& name) { return mcp.tool_label(name); };
    parts.command_hook = [&mcp, &output](const std::string& cmd, const std::string& rest) {
      return mcp.command(cmd, rest, output);
    };
#endif
    FullScreenChat app(std::move(parts));
    chat = &app;
    save_status->set_post(post);
    save_status->set_listener(
        [&app](SaveStatus::Event event, const std::string&, const std::string& detail) {
          app.on_error(SaveStatus::describe(event, detail));
        });
    tui::InputDecoder decoder;
    std::vector<tui::InputEvent> events;
    const auto drain = [&] {
      app.on_input(events);
      events.clear();
    };
    loop->watch(terminal.input_fd(), [&] {
      char buf[65536];
      const ssize_t n = ::read(terminal.input_fd(), buf, sizeof buf);
      if (n <= 0) {
        loop->stop();  // the terminal went away
        return;
      }
      decoder.feed(std::string_view(buf, static_cast<std::size_t>(n)), Clock::now(), events);
      drain();
      if (const auto deadline = decoder.pending_deadline()) {  // a lone Esc: decided later
        loop->post_after(*deadline - Clock::now(), [&] {
          decoder.flush_pending(Clock::now(), events);
          drain();
        });
      }
    });
    loop->watch(terminal.signal_fd(), [&] {
      const auto signals = terminal.take_signals();
      if (signals.resumed) app.on_resume();
      if (signals.resized) app.on_resize();
    });
    if (!opened.line.empty()) app.notice(opened.line);
#if AUI_CHAT_WITH_MCP
    if (const std::string line = mcp.banner(); !line.empty()) app.notice(line);
    mcp.start(post, [&app](const std::string& line) { app.notice(line); });
#endif
    const bool reopen = options.continue_last || !options.new_thread;
    app.start(rt.threads().load_threads(), reopen);
    loop->request_frame();
    loop->run();
    chat = nullptr;
    if (tracked_list) tracked_list->wait_idle(std::chrono::seconds(5));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "aui-chat: %s\n", e.what());
    status = 1;
  }
#if AUI_CHAT_WITH_MCP
  mcp.stop();  // each server is asked to exit, then stopped; none is left behind
#endif
  return status;
}

}  // namespace aui::chat
