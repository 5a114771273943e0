// aui-chat: a line-mode terminal chat on aui. Type to send; replies stream; Ctrl-C cancels a
// reply and a second Ctrl-C exits. Without a backend it runs aui's offline demo adapter.
//
// Threads: the main thread owns the runtime and runs its EventLoop; a reader thread turns stdin
// lines into posted tasks; a signal thread (SIGINT is blocked in every thread, so only its
// sigwait() receives it) turns Ctrl-C into a posted task. Everything that touches the runtime or
// prints runs on the main thread, and no code at all runs in a signal handler.

#include <pthread.h>
#include <signal.h>

#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>

#include "aui/local_runtime.hpp"
#include "chat_app.hpp"

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

  auto chosen = aui::chat::choose_adapter(options);
  aui::ThreadRuntimeOptions runtime_options;
  runtime_options.chat_model = std::move(chosen.adapter);
  runtime_options.human_tool_names = aui::human_tool_names(chosen.tools);
  runtime_options.enable_message_queue = true;  // typed during a reply: queued, not superseding
  runtime_options.on_error = [](const std::string& m) { std::cerr << "aui: " << m << '\n'; };
  runtime_options.adapters = aui::chat::make_chat_adapters(runtime_options.chat_model, options.capabilities);
  aui::LocalRuntime rt(std::move(runtime_options));
  aui::EventLoop* loop = rt.event_loop();
  auto tools = rt.thread().register_tools(std::move(chosen.tools));
  aui::chat::ChatApp app(rt.thread(), std::cout, [loop] { loop->stop(); });

  std::cout << chosen.banner << '\n';
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
  std::cout.flush();
  std::fflush(stdout);
  // The reader and signal threads are blocked in getline()/sigwait() and cannot be woken
  // portably; the chat state needs no teardown, so end without unwinding.
  std::_Exit(0);
}
