#pragma once
// aui-chat's behaviour, apart from its threads: the command line, the commands, the streamed
// output. main.cpp wires it to stdin, SIGINT and an EventLoop; the tests drive it directly.

#include <deque>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/completion.hpp"
#include "backend_options.hpp"
#include "capability_commands.hpp"
#include "session_settings.hpp"
#include "thread_commands.hpp"

namespace aui::chat {

struct ChatOptions {
  /// --db PATH: the thread store's file (default: aui's file in the user's data directory).
  std::string db_path{};
  /// --memory: keep threads in memory only.
  bool memory = false;
  /// --recover-db: when the thread store's file is damaged, copy what can be read into a new
  /// file (the damaged one is kept beside it, unchanged) and go on with that.
  bool recover_db = false;
  /// Pause between the demo adapter's chunks.
  int demo_delay_ms = 30;
  /// --provider, --base-url, --model, ... (backend_options.hpp).
  BackendOptions backend{};
  /// Attachments, speech, feedback and suggestions (capability_commands.hpp).
  CapabilityOptions capabilities{};
  /// A one-shot question (-p TEXT, or the words after the options): answered on stdout.
  std::string question{};
  /// --json: the one-shot's final message as assistant-ui JSON.
  bool json = false;
  /// --continue: reopen the most recent thread (the default when stdin is a terminal); --new:
  /// start with a new one (the default for piped input).
  bool continue_last = false;
  bool new_thread = false;
  /// --plain: the line mode even on a terminal.
  bool plain = false;
  /// --full-screen: the full-screen chat (full_screen.hpp), the default on a terminal.
  bool full_screen = false;
  /// --mcp-config FILE (empty: the default file, if any) and --no-mcp (mcp_commands.hpp).
  std::string mcp_config{};
  bool no_mcp = false;
};

enum class ParseOutcome { Run, Exit, Fail };

/// Reads the command line. `--help` prints the usage to `out` (Exit); a bad argument prints a
/// one-line message to `err` (Fail).
ParseOutcome parse_args(int argc, const char* const* argv, ChatOptions& options, std::ostream& out,
                        std::ostream& err);

/// The chat model adapter the options ask for (a real backend when one is configured, else the
/// offline demo), and the line that tells the user which it is.
struct ChosenAdapter {
  ChatModelAdapter adapter;
  std::string banner;
  /// The tools to register (the demo's toolkit with the demo adapter).
  Toolkit tools{};
  /// The model the backend sends (empty for the demo) and how to list the server's models.
  std::string model{};
  ModelLister list_models{};
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
  /// Ctrl-C: cancels the reply being streamed (a second one while it ends quits); when idle,
  /// the first one says how to quit and the second in a row quits.
  void on_interrupt();
  /// End of input: quits once the reply streaming, the lines waiting and speaking are done.
  void on_end_of_input();
  /// Turns on the thread commands (/threads, /new, /switch, ...); null turns them off.
  void set_threads(ChatThreads* threads) noexcept { threads_ = threads; }
  /// Turns on /model and /system; null turns them off.
  void set_session(SessionCommands* session) noexcept { session_ = session; }
  /// Holds the lines typed from now on until `c` settles (e.g. the thread list's first load).
  void hold_until(const Completion& c);
  /// Runs `line` before the lines waiting to run (typed or piped during a hold), e.g. reopening
  /// the last thread once the list has loaded: at once when nothing waits, else first in line.
  void run_before_waiting(const std::string& line);
  /// Shows another thread: follows its replies from now on and prints its current branch.
  void show_thread(ThreadRuntime& thread);
  /// Prints a line about the app itself (e.g. that saving failed) on a line of its own: at once
  /// when no reply is streaming, else right after the reply, before the prompt.
  void notice(const std::string& line);
  /// More /commands (e.g. /mcp): called with the command and the rest of the line for a command
  /// the app does not know; returns true when it ran it (it may throw std::runtime_error with a
  /// one-line message).
  void set_command_hook(std::function<bool(const std::string&, const std::string&)> hook) {
    command_hook_ = std::move(hook);
  }
  /// The thread shown (its composer takes attachments for the next message).
  ThreadRuntime& thread() const noexcept { return *thread_; }
  /// Sends `text` as the user's message, as if typed (attachments waiting go with it). Unlike
  /// on_line, a leading '/' is text, not a command, and newlines stay in the message.
  void submit(const std::string& text) { send(text); }
  /// A line about a running tool call (e.g. an MCP server's progress report), shown under the
  /// call at once, while the reply waits for the tool. Ignored once the call has its result or
  /// when it is not in the reply shown; at most 50 lines a call.
  void tool_progress(const std::string& tool_call_id, const std::string& line);
  /// How a tool call's name is shown (e.g. which MCP server runs it).
  void set_tool_label(std::function<std::string(const std::string&)> label) {
    tool_label_ = std::move(label);
  }

  /// For a front end that shows the transcript itself (the full-screen app): replies, history on
  /// a thread switch, suggestions, the queue's echo, prompts and "bye" are not printed; what is
  /// printed is the commands' own output and the notes for the user, which that front end reads
  /// from the stream and shows. Default off (the line mode).
  void set_transcript_shown_elsewhere(bool on) noexcept { quiet_ = on; }
  /// Called with the thread shown after a thread command changed it (/new, /switch, ...).
  void set_thread_listener(std::function<void(ThreadRuntime&)> listener) {
    thread_listener_ = std::move(listener);
  }
  /// Sends `text` as a message, never as a command (e.g. a suggestion picked): at once, queued
  /// during a reply, or held while a tool call waits for the user, as a typed line would be.
  void send_message(const std::string& text);
  /// Answers the approval `response.approval_id`, then sends the messages held while it waited.
  void respond_to_approval(ToolApprovalResponse response);
  /// Answers the human tool call `tool_call_id` of the last reply with `text` (JSON when it reads
  /// as JSON), then sends the messages held while it waited. Throws a one-line error when that
  /// call does not wait for an answer.
  void answer_call(const std::string& tool_call_id, const std::string& text);
  /// Replaces message `id` with `text` as a new branch (a user message reruns its reply).
  void edit_message(const Id& id, const std::string& text);
  /// How many messages wait for a tool call to be answered.
  std::size_t held_count() const noexcept { return held_for_person_.size(); }

 private:
  void quit();
  void run_line(const std::string& line);
  void drain();
  void schedule_drain();
  void send(const std::string& text);
  void command(const std::string& line);
  void on_change();
  void show_change();
  bool busy() const;         // a reply or a thread command is in progress
  bool replying() const;     // a reply is in progress
  bool done_at_end() const;  // end of input: nothing left to wait for, the chat may quit
  void print_parts(const ThreadMessage& m, bool running);
  bool print_tool_call(const ToolCallPart& call, bool running);
  void show_call(const ToolCallPart& call);  // "[tool] name args", once per call
  MessagePtr last_reply() const;
  void decide(bool approved, bool always, const std::string& reason);
  bool waiting_for_person() const;  // the reply paused at a tool call for an approval/answer
  void send_held();                 // sends the messages typed while it waited
  void answer(const std::string& text, const std::string& tool_call_id = {});
  void history();
  Id message_at(const std::string& number) const;

  std::map<std::string, int> progress_lines_;  // per tool call id: how many were shown
  ThreadRuntime* thread_;
  ChatThreads* threads_ = nullptr;
  SessionCommands* session_ = nullptr;
  int pending_ = 0;  // thread commands (and holds) not finished: lines wait for them
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
  bool quit_armed_ = false;                   // an idle Ctrl-C was pressed: the next one quits
  std::deque<std::string> waiting_;           // command lines typed while a reply streamed
  std::deque<std::string> queued_texts_;      // messages the runtime's queue holds, oldest first
  std::deque<std::string> notices_;           // notice() lines waiting for the reply to end
  std::vector<std::string> held_for_person_;  // messages typed while a tool call waited
  bool end_of_input_ = false;
  bool drain_scheduled_ = false;
  bool draining_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // for posted tasks
  std::unique_ptr<CapabilityCommands> capabilities_;
  std::function<bool(const std::string&, const std::string&)> command_hook_;
  std::function<std::string(const std::string&)> tool_label_;
  std::function<void(ThreadRuntime&)> thread_listener_;
  bool quiet_ = false;  // set_transcript_shown_elsewhere
};

}  // namespace aui::chat
