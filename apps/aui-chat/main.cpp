// aui-chat: a line-mode terminal chat on aui. Type to send; replies stream; Ctrl-C cancels a
// reply and a second Ctrl-C exits. Without a backend it runs aui's offline demo adapter.
//
// Threads: the main thread owns the runtime and runs its EventLoop; a reader thread turns stdin
// lines into posted tasks; a signal thread (SIGINT is blocked everywhere else) turns Ctrl-C into
// a posted task. Everything that touches the runtime or prints runs on the main thread.

#include <pthread.h>
#include <signal.h>

#include <clocale>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

#include "aui/demo_adapter.hpp"
#include "aui/errors.hpp"
#include "aui/local_runtime.hpp"
#include "aui/message_json.hpp"
#include "terminal_text.hpp"

namespace {

const char* kHelp =
    "Type a message and press Enter to send it. Commands:\n"
    "  /regen                 regenerate the last reply (a new branch)\n"
    "  /edit N text           replace message N with text (a new branch; a user message reruns)\n"
    "  /branches N            show the branches of message N\n"
    "  /branch N prev|next    switch message N to its previous or next branch\n"
    "  /history               show the current branch, numbered\n"
    "  /export FILE           write the thread as assistant-ui JSON\n"
    "  /help                  this text\n"
    "  /quit                  exit (also Ctrl-D; Ctrl-C twice)\n"
    "Ctrl-C while a reply streams cancels it.\n";

struct Options {
  int demo_delay_ms = 30;
};

bool parse_args(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << "usage: aui-chat [--demo-delay-ms N]\n\n" << kHelp;
      std::exit(0);
    } else if (arg == "--demo-delay-ms" && i + 1 < argc) {
      options.demo_delay_ms = std::atoi(argv[++i]);
    } else {
      std::cerr << "aui-chat: unknown argument " << arg << " (try --help)\n";
      return false;
    }
  }
  return true;
}

class ChatApp {
 public:
  ChatApp(aui::LocalRuntime& rt) : rt_(rt), thread_(rt.thread()) {
    sub_ = thread_.subscribe([this] { on_change(); });
  }

  void prompt() {
    std::cout << "\nyou> " << std::flush;
  }

  void on_line(const std::string& line) {
    if (line.empty()) {
      prompt();
      return;
    }
    try {
      if (line[0] == '/') {
        command(line);
      } else {
        send(line);
      }
    } catch (const std::exception& e) {
      std::cout << "error: " << e.what() << '\n';
      prompt();
    }
  }

  void on_interrupt() {
    if (thread_.is_running() && !cancel_requested_) {
      cancel_requested_ = true;
      thread_.cancel_run();
      return;
    }
    quit();
  }

  void quit() {
    std::cout << "\nbye\n" << std::flush;
    rt_.event_loop()->stop();
  }

 private:
  void send(const std::string& text) {
    cancel_requested_ = false;
    track(thread_.append(text));
  }

  void track(const aui::Completion& c) {
    c.then([](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        // The reply shows the failure itself; nothing else to do.
        (void)ex;
      }
    });
  }

  // Streams the growing reply: prints only what is new since the last notification.
  void on_change() {
    const auto& msgs = thread_.messages();
    if (msgs.empty()) return;
    const auto& last = msgs.back();
    if (last->role != aui::Role::Assistant) return;
    if (last->id != streaming_id_) {
      if (last->status.type != aui::StatusType::Running) return;  // not a reply being produced
      streaming_id_ = last->id;
      raw_consumed_ = 0;
      finished_ = false;
      std::cout << "\nassistant> " << std::flush;
    }
    if (finished_) return;
    const std::string text = last->text();
    const bool running = last->status.type == aui::StatusType::Running;
    if (raw_consumed_ > text.size()) raw_consumed_ = text.size();
    auto safe = aui::chat::sanitize_terminal_text(std::string_view(text).substr(raw_consumed_), !running);
    raw_consumed_ += safe.consumed;
    std::cout << safe.text << std::flush;
    if (running) return;
    finished_ = true;
    const auto& status = last->status;
    if (status.is(aui::StatusType::Incomplete, aui::StatusReason::Cancelled)) {
      std::cout << " [cancelled]";
    } else if (status.is(aui::StatusType::Incomplete, aui::StatusReason::Error)) {
      std::string message = status.error.is_object() ? status.error.value("message", "") : "";
      std::cout << " [error: " << aui::chat::sanitize_terminal_text(message, true).text << "]";
    } else if (status.type == aui::StatusType::Incomplete) {
      std::cout << " [incomplete: " << aui::to_string(status.reason) << "]";
    }
    std::cout << '\n';
    cancel_requested_ = false;
    prompt();
  }

  // 1-based index on the current branch → message id.
  aui::Id at(const std::string& n) {
    char* end = nullptr;
    const long i = std::strtol(n.c_str(), &end, 10);
    const auto& msgs = thread_.messages();
    if (n.empty() || *end != '\0' || i < 1 || static_cast<std::size_t>(i) > msgs.size()) {
      throw std::runtime_error("no message " + n + " (the branch has " + std::to_string(msgs.size()) +
                               " messages; see /history)");
    }
    return msgs[static_cast<std::size_t>(i - 1)]->id;
  }

  void command(const std::string& line) {
    std::istringstream in(line);
    std::string cmd;
    in >> cmd;
    if (cmd == "/help") {
      std::cout << kHelp;
      prompt();
    } else if (cmd == "/quit" || cmd == "/exit") {
      quit();
    } else if (cmd == "/history") {
      history();
      prompt();
    } else if (cmd == "/regen") {
      const auto& msgs = thread_.messages();
      for (std::size_t i = msgs.size(); i-- > 0;) {
        if (msgs[i]->role == aui::Role::Assistant) {
          cancel_requested_ = false;
          track(thread_.reload(msgs[i]->id));
          return;
        }
      }
      throw std::runtime_error("there is no reply to regenerate yet");
    } else if (cmd == "/edit") {
      std::string n;
      in >> n;
      std::string text;
      std::getline(in, text);
      if (!text.empty() && text[0] == ' ') text.erase(0, 1);
      if (text.empty()) throw std::runtime_error("usage: /edit N text");
      const auto id = at(n);
      if (auto* open = thread_.edit_composer(id)) open->cancel();
      auto& edit = thread_.begin_edit(id);
      edit.set_text(text);
      const bool is_user = edit.role() == aui::Role::User;
      cancel_requested_ = false;
      track(edit.send());
      if (!is_user) {
        std::cout << "edited message " << n << " (a new branch)\n";
        history();
        prompt();
      }
    } else if (cmd == "/branches") {
      std::string n;
      in >> n;
      const auto id = at(n);
      const auto state = thread_.message_state(id);
      std::cout << "message " << n << " is branch " << state->branch_number << "/" << state->branch_count << ":";
      for (const auto& sibling : thread_.get_branches(id)) std::cout << ' ' << sibling;
      std::cout << '\n';
      prompt();
    } else if (cmd == "/branch") {
      std::string n;
      std::string dir;
      in >> n >> dir;
      if (dir != "prev" && dir != "next") throw std::runtime_error("usage: /branch N prev|next");
      thread_.switch_to_branch(at(n), dir == "prev" ? aui::ThreadRuntime::BranchPosition::Previous
                                                    : aui::ThreadRuntime::BranchPosition::Next);
      history();
      prompt();
    } else if (cmd == "/export") {
      std::string file;
      in >> file;
      if (file.empty()) throw std::runtime_error("usage: /export FILE");
      const auto exported = thread_.export_repository();
      std::ofstream out(file);
      if (!out) throw std::runtime_error("cannot write " + file);
      out << aui::to_json(exported).dump(2) << '\n';
      if (!out.flush()) throw std::runtime_error("writing " + file + " failed");
      std::cout << "exported " << exported.messages.size() << " messages to " << file << '\n';
      prompt();
    } else {
      throw std::runtime_error("unknown command " + cmd + " (try /help)");
    }
  }

  void history() {
    const auto& msgs = thread_.messages();
    if (msgs.empty()) std::cout << "(no messages yet)\n";
    std::size_t i = 0;
    for (const auto& m : msgs) {
      ++i;
      const auto state = thread_.message_state(m->id);
      std::cout << i << ". " << aui::to_string(m->role);
      if (state && state->branch_count > 1) std::cout << " [branch " << state->branch_number << "/" << state->branch_count << "]";
      if (m->role == aui::Role::Assistant && !m->status.is(aui::StatusType::Complete)) {
        std::cout << " (" << aui::to_string(m->status.type);
        if (m->status.reason != aui::StatusReason::None) std::cout << "/" << aui::to_string(m->status.reason);
        std::cout << ")";
      }
      std::string text = m->text();
      if (text.size() > 70) text = text.substr(0, 67) + "...";
      for (auto& c : text) {
        if (c == '\n') c = ' ';
      }
      std::cout << ": " << aui::chat::sanitize_terminal_text(text, true).text << '\n';
    }
  }

  aui::LocalRuntime& rt_;
  aui::ThreadRuntime& thread_;
  aui::Subscription sub_;
  aui::Id streaming_id_;
  std::size_t raw_consumed_ = 0;
  bool finished_ = true;
  bool cancel_requested_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  std::setlocale(LC_ALL, "");
  Options options;
  if (!parse_args(argc, argv, options)) return 2;

  // SIGINT goes to the signal thread only.
  sigset_t sigint;
  sigemptyset(&sigint);
  sigaddset(&sigint, SIGINT);
  pthread_sigmask(SIG_BLOCK, &sigint, nullptr);

  aui::ThreadRuntimeOptions runtime_options;
  runtime_options.chat_model = aui::make_demo_adapter({std::chrono::milliseconds(options.demo_delay_ms), 3});
  runtime_options.on_error = [](const std::string& m) { std::cerr << "aui: " << m << '\n'; };
  aui::LocalRuntime rt(std::move(runtime_options));
  auto* loop = rt.event_loop();
  ChatApp app(rt);

  std::cout << "aui-chat — offline demo adapter (no backend configured). /help lists the commands.\n";
  app.prompt();

  std::thread([loop, &app] {
    std::string line;
    while (std::getline(std::cin, line)) loop->post([&app, line] { app.on_line(line); });
    loop->post([&app] { app.quit(); });
  }).detach();
  std::thread([loop, &app, sigint] {
    for (;;) {
      int sig = 0;
      if (sigwait(&sigint, &sig) == 0) loop->post([&app] { app.on_interrupt(); });
    }
  }).detach();

  loop->run();
  std::cout.flush();
  // The reader and signal threads are blocked in getline/sigwait: end without unwinding them.
  std::_Exit(0);
}
