// aui-chat: a terminal chat on aui. On a terminal it is the full-screen app (full_screen.cpp);
// with --plain or a pipe, a line mode: type to send, replies stream, Ctrl-C cancels a reply and
// a second Ctrl-C exits. Without a backend it runs aui's offline demo adapter.
//
// Threads: the main thread owns the runtime and runs its EventLoop; a reader thread turns stdin
// lines into posted tasks; a signal thread (SIGINT is blocked in every thread, so only its
// sigwait() receives it) turns Ctrl-C into a posted task. Everything that touches the runtime or
// prints runs on the main thread, and no code at all runs in a signal handler.

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "aui/local_runtime.hpp"
#include "chat_app.hpp"
#include "chat_setup.hpp"
#include "dictation_control.hpp"
#include "full_screen.hpp"
#include "one_shot.hpp"
#include "save_status.hpp"
#include "session_settings.hpp"
#include "terminal_text.hpp"
#include "thread_commands.hpp"
#if AUI_CHAT_WITH_MCP
#include "mcp_commands.hpp"
#endif

namespace {

// The most of piped standard input sent as a question's context.
constexpr std::size_t kMaxContextBytes = 8 * 1024 * 1024;

// aui-chat QUESTION: one reply on stdout, in memory (nothing is saved), no suggestions (they
// would cost requests nobody reads). Ctrl-C cancels the reply.
int run_question(const aui::chat::ChatOptions& options, aui::chat::ChosenAdapter chosen,
                 sigset_t sigint) {
  aui::chat::OneShot shot;
  shot.question = options.question;
  shot.json = options.json;
  shot.out_is_terminal = isatty(STDOUT_FILENO) == 1;
  if (isatty(STDIN_FILENO) != 1) {
    std::string context;
    char buffer[65536];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) {
      context.append(buffer, n);
      if (context.size() > kMaxContextBytes) {
        std::cerr << "aui-chat: the piped input is larger than " << kMaxContextBytes / (1024 * 1024)
                  << " MiB; send a part of it (e.g. through head -c).\n";
        return 2;
      }
    }
    shot.context = std::move(context);
  }
  aui::ThreadRuntimeOptions thread_options;
  thread_options.chat_model = std::move(chosen.adapter);
  thread_options.human_tool_names = aui::human_tool_names(chosen.tools);
  thread_options.max_steps = 8;
  thread_options.on_error = [](const std::string& m) {
    std::cerr << "aui: " << aui::chat::sanitize_terminal_text(m, true).text << '\n';
  };
  aui::LocalRuntime rt(std::move(thread_options));
  aui::EventLoop* loop = rt.event_loop();
  const aui::chat::SessionSettings session = aui::chat::SessionSettings::from(options.backend);
  auto tools = rt.thread().register_tools(chosen.tools);
  auto context =
      rt.thread().register_model_context_provider([&session] { return session.context(); });
  std::thread([loop, &rt, sigint] {
    for (;;) {
      int sig = 0;
      if (sigwait(&sigint, &sig) == 0) loop->post([&rt] { rt.thread().cancel_run(); });
    }
  }).detach();
  const auto outcome =
      aui::chat::run_one_shot(rt.thread(), shot, std::cout, std::cerr,
                              [loop](const std::function<bool()>& done) { loop->run_until(done); });
  std::cout.flush();
  std::fflush(stdout);
  // The signal thread is blocked in sigwait() and cannot be woken portably.
  std::_Exit(static_cast<int>(outcome));
}

}  // namespace

int main(int argc, char** argv) {
  std::setlocale(LC_ALL, "");
  aui::chat::ChatOptions options;
  switch (aui::chat::parse_args(argc, argv, options, std::cout, std::cerr)) {
    case aui::chat::ParseOutcome::Run: break;
    case aui::chat::ParseOutcome::Exit: return 0;
    case aui::chat::ParseOutcome::Fail: return 2;
  }

  // Before any thread exists, so every thread (the runtime's workers too) inherits the mask.
  sigset_t sigint;
  sigemptyset(&sigint);
  sigaddset(&sigint, SIGINT);
  if (const int rc = pthread_sigmask(SIG_BLOCK, &sigint, nullptr); rc != 0) {
    std::cerr << "aui-chat: cannot block SIGINT: " << std::strerror(rc) << '\n';
    return 1;
  }

  aui::chat::ChosenAdapter chosen;
  try {
    chosen = aui::chat::choose_adapter(options);
  } catch (const std::exception& e) {
    std::cerr << "aui-chat: " << aui::chat::sanitize_terminal_text(e.what(), true).text << '\n';
    return 2;
  }
  if (!options.question.empty()) return run_question(options, std::move(chosen), sigint);
  // On a terminal (stdin and stdout), the full-screen app; --plain keeps the line mode there,
  // and pipes always get it.
  // A terminal that cannot move its cursor (TERM unset or dumb: an editor's shell buffer, say)
  // gets the line mode too.
  const char* term = std::getenv("TERM");
  const bool on_terminal = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 && term &&
                           *term != '\0' && std::strcmp(term, "dumb") != 0;
  if (!options.plain && (options.full_screen || on_terminal)) {
    const int status = aui::chat::run_full_screen(options, std::move(chosen));
    std::fflush(stdout);
    // Workers (MCP servers, the store) may still be blocked; the state needs no teardown.
    std::_Exit(status);
  }

  aui::chat::ChatStore opened = aui::chat::open_chat_store(options);
  std::shared_ptr<aui::ThreadStore> store = opened.store;
  const std::string& store_line = opened.line;
  const std::string& store_problem = opened.problem;
  // Every failed save is said in the chat (and the thread marked unsaved), not only on stderr.
  auto save_status = std::make_shared<aui::chat::SaveStatus>();
  std::shared_ptr<aui::chat::TrackedThreadList> tracked_list;
  aui::ThreadListRuntimeOptions list_options =
      aui::chat::chat_list_options(options, chosen, opened, save_status, tracked_list);
  // These messages quote servers and files (untrusted): only sanitised text reaches the terminal.
  // A dictation that failed (no microphone, no speech model) is said as a sentence.
  list_options.thread.on_error = [](const std::string& m) {
    const std::string text = aui::chat::dictation_failure_text(m).value_or(m);
    std::cerr << "aui: " << aui::chat::sanitize_terminal_text(text, true).text << '\n';
  };
  // Every thread gets the tools. The list loads a stored thread's messages when it opens; a new
  // thread has none, and loading it anyway would race the first message: the empty answer
  // arriving after that message was typed would clear it (spec §12.2).
  // The session's model, system prompt and call settings go with every run of every thread.
  aui::chat::SessionSettings session = aui::chat::SessionSettings::from(options.backend);
  std::vector<aui::Subscription> tool_registrations;
#if AUI_CHAT_WITH_MCP
  // The MCP servers' tools join every thread too (behind approvals); the servers start below.
  aui::chat::McpCommands mcp(options.mcp_config, options.no_mcp);
#endif
  list_options.on_thread_started = [&](aui::ThreadRuntime& thread, const aui::ThreadListItem&) {
    tool_registrations.push_back(thread.register_tools(chosen.tools));
    tool_registrations.push_back(
        thread.register_model_context_provider([&session] { return session.context(); }));
#if AUI_CHAT_WITH_MCP
    mcp.register_thread(thread);
#endif
  };
  aui::LocalRuntime rt(std::move(list_options));
  aui::EventLoop* loop = rt.event_loop();
  // Quitting waits for every thread's history writes to land (bounded below), then stops.
  aui::chat::ChatApp app(rt.thread(), std::cout, [loop, &rt] {
    std::vector<aui::Completion> flushes;
    auto ids = rt.threads().thread_ids();
    for (auto& id : rt.threads().archived_thread_ids()) ids.push_back(std::move(id));
    ids.push_back(rt.threads().main_thread_id());
    for (const auto& id : ids) {
      if (auto* thread = rt.threads().thread(id)) flushes.push_back(thread->history_flushed());
    }
    aui::when_all(std::move(flushes)).then([loop](std::exception_ptr) { loop->stop(); });
  });
  aui::chat::ChatThreads threads(rt.threads(), store, std::cout);
  app.set_threads(&threads);
  aui::chat::SessionCommands session_commands(
      session, std::cout, chosen.model, chosen.list_models,
      [loop](std::function<void()> task) { loop->post(std::move(task)); });
  app.set_session(&session_commands);
  threads.set_store_problem(store_problem);
  threads.set_save_status(save_status);
  save_status->set_post([loop](std::function<void()> task) { loop->post(std::move(task)); });
  save_status->set_listener([&app, &rt](aui::chat::SaveStatus::Event event,
                                        const std::string& thread, const std::string& detail) {
    std::string line = aui::chat::SaveStatus::describe(event, detail);
    if (!thread.empty() && thread != rt.threads().main_thread_id())
      line = "(another thread, not the one shown) " + line;
    app.notice(line);
  });
  // Lines wait for the stored list, so that a /threads typed (or piped) at once sees it. A list
  // that cannot be read makes /threads say so, not "no saved threads yet".
  aui::Completion listed = rt.threads().load_threads();
  // A restart goes on where the user left off: the most recent thread, with its messages.
  // Piped input (a script) starts a new thread unless --continue says otherwise.
  const bool reopen = options.continue_last || (!options.new_thread && isatty(STDIN_FILENO) == 1);
  listed.then([&threads, &app, reopen](std::exception_ptr failure) {
    if (!failure) {
      // Before the lines typed or piped while the list loaded: they are for the reopened thread.
      if (const auto n = reopen ? threads.latest_number() : std::nullopt)
        app.run_before_waiting("/switch " + std::to_string(*n));
      return;
    }
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      threads.set_store_problem("the thread list cannot be read: " +
                                aui::chat::storage_error_text(e.what()));
    } catch (...) {
      threads.set_store_problem("the thread list cannot be read");
    }
  });
  app.hold_until(listed);

  std::cout << aui::chat::sanitize_terminal_text(chosen.banner, true).text << '\n'
            << aui::chat::sanitize_terminal_text(store_line, true).text << '\n';
#if AUI_CHAT_WITH_MCP
  if (const std::string line = mcp.banner(); !line.empty())
    std::cout << aui::chat::sanitize_terminal_text(line, true).text << '\n';
  app.set_command_hook([&mcp](const std::string& cmd, const std::string& rest) {
    return mcp.command(cmd, rest, std::cout);
  });
  app.set_tool_label([&mcp](const std::string& name) { return mcp.tool_label(name); });
  mcp.set_chat({[&app]() -> aui::ThreadRuntime& { return app.thread(); },
                [&app](const aui::Completion& c) { app.hold_until(c); },
                [&app](const std::string& text) { app.submit(text); }, [&app] { app.prompt(); }});
  mcp.start(
      [loop](std::function<void()> task) { loop->post(std::move(task)); },
      [&app](const std::string& line) { app.notice(line); },
      [&app](const std::string& id, const std::string& line) { app.tool_progress(id, line); });
#endif
  app.prompt();

  // The reader and signal threads only post; they never touch the app or the runtime.
  std::thread([loop, &app] {
    std::string line;
    while (std::getline(std::cin, line)) loop->post([&app, line] { app.on_line(line); });
    loop->post([&app] { app.on_end_of_input(); });
  }).detach();
  std::thread([loop, &app, sigint] {
    for (;;) {
      int sig = 0;
      if (sigwait(&sigint, &sig) == 0) loop->post([&app] { app.on_interrupt(); });
    }
  }).detach();

  loop->run();
  if (tracked_list && !tracked_list->wait_idle(std::chrono::seconds(5))) {
    std::cerr
        << "aui-chat: the thread store did not answer within 5 s; the last change may be lost\n";
  }
#if AUI_CHAT_WITH_MCP
  mcp.stop();  // each server is asked to exit (its input closes), then stopped; none is left behind
#endif
  std::cout.flush();
  std::fflush(stdout);
  // The reader and signal threads are blocked in getline()/sigwait() and cannot be woken
  // portably; the chat state needs no teardown, so end without unwinding.
  std::_Exit(0);
}
