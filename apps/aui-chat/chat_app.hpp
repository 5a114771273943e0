#pragma once
// aui-chat's behaviour, apart from its threads: the command line, the commands, the streamed
// output. main.cpp wires it to stdin, SIGINT and an EventLoop; the tests drive it directly.

#include <deque>
#include <functional>
#include <memory>
#include <iosfwd>
#include <string>

#include "aui/chat_model_adapter.hpp"
#include "aui/thread_runtime.hpp"
#include "capability_commands.hpp"

namespace aui::chat {

struct ChatOptions {
  /// Pause between the demo adapter's chunks.
  int demo_delay_ms = 30;
  // The network providers (--provider, --base-url, --model) will add their settings here.
  /// Attachments, speech, feedback and suggestions (capability_commands.hpp).
  CapabilityOptions capabilities{};
};

enum class ParseOutcome { Run, Exit, Fail };

/// Reads the command line. `--help` prints the usage to `out` (Exit); a bad argument prints a
/// one-line message to `err` (Fail).
ParseOutcome parse_args(int argc, const char* const* argv, ChatOptions& options, std::ostream& out,
                        std::ostream& err);

/// The chat model adapter the options ask for, and the line that tells the user which it is.
struct ChosenAdapter {
  ChatModelAdapter adapter;
  std::string banner;
  /// The tools to register (the demo's toolkit with the demo adapter).
  Toolkit tools{};
};
ChosenAdapter choose_adapter(const ChatOptions& options);

/// The interactive chat on one thread runtime. Owner thread only, like the runtime.
class ChatApp {
 public:
  /// `on_quit` is called when the user asks to leave (/quit, end of input, Ctrl-C when idle or
  /// a second Ctrl-C during a reply).
  ChatApp(ThreadRuntime& thread, std::ostream& out, std::function<void()> on_quit);
  ChatApp(const ChatApp&) = delete;
  ChatApp& operator=(const ChatApp&) = delete;
  ~ChatApp();

  /// Prints the input prompt.
  void prompt();
  /// One line the user typed: a message to send or a /command. While a reply streams, lines wait
  /// and run in order once it has ended (typed ahead, or piped in).
  void on_line(const std::string& line);
  /// Ctrl-C: cancels the reply being streamed; when there is none (or it was already
  /// cancelled), quits.
  void on_interrupt();
  /// End of input: quits once the reply streaming and the lines waiting are done.
  void on_end_of_input();

 private:
  void quit();
  void run_line(const std::string& line);
  void drain();
  void schedule_drain();
  void send(const std::string& text);
  void command(const std::string& line);
  void on_change();
  bool busy() const;
  void print_parts(const ThreadMessage& m, bool running);
  bool print_tool_call(const ToolCallPart& call, bool running);
  MessagePtr last_reply() const;
  void decide(bool approved, bool always, const std::string& reason);
  void answer(const std::string& text);
  void history();
  Id message_at(const std::string& number) const;

  ThreadRuntime& thread_;
  std::ostream& out_;
  std::function<void()> on_quit_;
  Subscription subscription_;
  Subscription run_end_;
  Id streaming_id_;             // the reply being printed
  std::size_t part_ = 0;        // its part being printed
  std::size_t part_bytes_ = 0;  // of that part's raw text, already printed (or dropped as unsafe)
  bool call_shown_ = false;     // that part is a tool call whose line is printed
  bool after_tool_ = false;     // the last thing printed was a tool line
  bool finished_ = true;
  bool cancel_requested_ = false;
  bool quit_ = false;
  std::deque<std::string> waiting_;  // command lines typed while a reply streamed
  std::deque<std::string> queued_texts_;  // messages the runtime's queue holds, oldest first
  bool end_of_input_ = false;
  bool drain_scheduled_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for posted tasks
  std::unique_ptr<CapabilityCommands> capabilities_;
};

}  // namespace aui::chat
