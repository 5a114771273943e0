// aui-chat's line mode: typed lines, the commands, the runs they start, and the lines that wait
// for a reply to end (the transcript it prints is in chat_transcript.cpp). Over 600 lines because
// command() is the one dispatcher of every /command, kept whole beside /help's text.

#include "chat_app.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "aui/adapters/thread_store.hpp"
#include "aui/demo/demo_adapter.hpp"
#include "aui/demo/demo_tools.hpp"
#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"
#include "paths.hpp"
#include "terminal_text.hpp"
#include "user_errors.hpp"
#if AUI_CHAT_WITH_MCP
#include "mcp_commands.hpp"
#endif

namespace aui::chat {

namespace {

const char* kVersion = "0.1.0";

const char* kUsage =
    "usage: aui-chat [OPTIONS]                  the chat: full-screen on a terminal (F1 lists the\n"
    "                                           keys), lines with --plain or a pipe (/help)\n"
    "       aui-chat [OPTIONS] QUESTION...      one question, the reply on stdout\n"
    "       COMMAND | aui-chat [OPTIONS] -p QUESTION   the piped text is the question's context\n";

const char* kHelp =
    "Type a message and press Enter to send it. Commands:\n"
    "  /regen                 regenerate the last reply (a new branch)\n"
    "  /edit N text           replace message N with text (a new branch; a user message reruns)\n"
    "  /branches N            show the branches of message N\n"
    "  /branch N prev|next    switch message N to its previous or next branch\n"
    "  /history               show the current branch, numbered\n"
    "  /export [md|json] FILE write the thread as Markdown or assistant-ui JSON (the default)\n"
    "  /allow, /deny [why]    allow or deny the tool call waiting for approval\n"
    "  /always                allow it, and every later call of that tool in this chat\n"
    "  /answer TEXT           answer the tool call waiting for you (JSON or plain text)\n"
    "  /queue, /unqueue N     list the messages typed during a reply (queued), drop one\n"
    "  /help                  this text\n"
    "  /quit                  exit (also Ctrl-D, or Ctrl-C twice when no reply is streaming)\n"
    "A message typed while a reply streams is queued and sent when the reply ends.\n"
    "Ctrl-C while a reply streams cancels it (and empties the queue); at the prompt, two Ctrl-C "
    "exit.\n";

// A user mistake: printed as one line, the chat goes on.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

bool parse_int(const std::string& s, long min, long max, long& value) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(s.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || v < min || v > max) return false;
  value = v;
  return true;
}

// The rest of a command line, without its leading blanks.
std::string rest_of(std::istringstream& in) {
  std::string rest;
  std::getline(in, rest);
  const auto start = rest.find_first_not_of(" \t");
  return start == std::string::npos ? std::string() : rest.substr(start);
}

}  // namespace

ParseOutcome parse_args(int argc, const char* const* argv, ChatOptions& options, std::ostream& out,
                        std::ostream& err) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      out << kUsage
          << "\nA terminal chat on aui. Without a backend it answers with aui's offline demo "
             "adapter.\n"
          << backend_usage()
          << "  --db FILE              keep the threads in FILE (default: "
             "$XDG_DATA_HOME/aui/aui.db)\n"
          << "  --memory               keep the threads in memory only\n"
          << "  --recover-db           if the threads file is damaged, copy what can be read into "
             "a new file\n"
          << "                         (the damaged file is kept beside it, unchanged)\n"
          << "  --demo-delay-ms N      pause between the demo's chunks (default 30; 0: none)\n"
          << "  -p, --prompt TEXT      ask TEXT and print only the reply (also: the words after "
             "the options)\n"
          << "  --json                 with a question: print the final message as assistant-ui "
             "JSON\n"
          << "  -c, --continue         reopen the last thread (the default on a terminal)\n"
          << "  --new                  start with a new thread\n"
          << "  --plain                the line-mode chat even on a terminal (pipes always get "
             "it)\n"
          << "  --full-screen          the full-screen chat (the default when stdin and stdout are "
             "a\n"
          << "                         terminal)\n"
          << "  --version              print the version and exit\n"
          << "  -h, --help             this text\n"
          << capability_usage()
#if AUI_CHAT_WITH_MCP
          << mcp_usage() << McpCommands::help()
#endif
          << "A question's exit status: 0 answered, 1 failed, 3 stopped at a tool call that needs "
             "a person,\n130 cancelled (Ctrl-C). Only the reply goes to stdout; notes go to "
             "stderr.\n\n"
          << kHelp << ChatThreads::help() << capability_help();
      return ParseOutcome::Exit;
    }
    if (arg == "--memory") {
      options.memory = true;
      continue;
    }
    if (arg == "--recover-db") {
      options.recover_db = true;
      continue;
    }
    if (arg == "--db") {
      if (i + 1 >= argc || argv[i + 1][0] == '\0') {
        err << "aui-chat: --db needs a file name\n";
        return ParseOutcome::Fail;
      }
      options.db_path = expand_user_path(argv[++i]);
      continue;
    }
    if (arg == "--demo-delay-ms") {
      long ms = 0;
      if (i + 1 >= argc || !parse_int(argv[i + 1], 0, INT_MAX, ms)) {
        err << "aui-chat: --demo-delay-ms needs a number of milliseconds (0 or more)\n";
        return ParseOutcome::Fail;
      }
      options.demo_delay_ms = static_cast<int>(ms);
      ++i;
      continue;
    }
    if (const int backend = parse_backend_arg(argc, argv, i, options.backend, err); backend != 0) {
      if (backend < 0) return ParseOutcome::Fail;
      continue;
    }
    try {
      if (parse_capability_arg(argc, argv, i, options.capabilities)) continue;
#if AUI_CHAT_WITH_MCP
      if (parse_mcp_arg(argc, argv, i, options.mcp_config, options.no_mcp)) continue;
#endif
    } catch (const std::invalid_argument& e) {
      err << "aui-chat: " << e.what() << '\n';
      return ParseOutcome::Fail;
    }
    if (arg == "-p" || arg == "--prompt") {
      if (i + 1 >= argc || argv[i + 1][0] == '\0') {
        err << "aui-chat: " << arg << " needs the question to ask\n";
        return ParseOutcome::Fail;
      }
      if (!options.question.empty()) options.question += ' ';
      options.question += argv[++i];
      continue;
    }
    if (arg == "--json") {
      options.json = true;
      continue;
    }
    if (arg == "--continue" || arg == "-c") {
      options.continue_last = true;
      continue;
    }
    if (arg == "--new") {
      options.new_thread = true;
      continue;
    }
    if (arg == "--full-screen") {
      options.full_screen = true;
      continue;
    }
    if (arg == "--plain") {
      options.plain = true;
      continue;
    }
    if (arg == "--version") {
      out << "aui-chat " << kVersion << '\n';
      return ParseOutcome::Exit;
    }
    if (arg == "--") {
      for (++i; i < argc; ++i) {
        if (!options.question.empty()) options.question += ' ';
        options.question += argv[i];
      }
      break;
    }
    if (!arg.empty() && arg[0] != '-') {
      // The words of a one-shot question: aui-chat what is a monad
      if (!options.question.empty()) options.question += ' ';
      options.question += arg;
      continue;
    }
    err << "aui-chat: unknown argument " << arg << " (try --help)\n";
    return ParseOutcome::Fail;
  }
  if (options.continue_last && options.new_thread) {
    err << "aui-chat: --continue and --new contradict each other; give one\n";
    return ParseOutcome::Fail;
  }
  if (options.continue_last && !options.question.empty()) {
    err << "aui-chat: --continue reopens the last thread in the chat; a one-shot question is not "
           "saved in a thread\n";
    return ParseOutcome::Fail;
  }
  if (options.json && options.question.empty()) {
    err << "aui-chat: --json prints the reply to one question: give the question too, e.g. "
           "aui-chat --json \"hello\"\n";
    return ParseOutcome::Fail;
  }
  return ParseOutcome::Run;
}

ChosenAdapter choose_adapter(const ChatOptions& options) {
  if (auto backend = choose_backend(options.backend)) {
    return {std::move(backend->adapter), std::move(backend->banner), std::move(backend->tools),
            std::move(backend->model), std::move(backend->list_models)};
  }
  return {make_demo_adapter({std::chrono::milliseconds(options.demo_delay_ms), 3}),
          "aui-chat — offline demo adapter (no backend configured), with demo tools. /help lists "
          "the commands.",
          make_demo_toolkit()};
}

ChatApp::ChatApp(ThreadRuntime& thread, std::ostream& out, std::function<void()> on_quit)
    : thread_(&thread),
      out_(out),
      on_quit_(std::move(on_quit)),
      capabilities_(std::make_unique<CapabilityCommands>(thread, out)) {
  subscription_ = thread_->subscribe([this] { on_change(); });
  // A run that pauses for a person changes no message as it ends; RunEnd says it did.
  run_end_ = thread_->on(ThreadEvent::RunEnd, [this] { on_change(); });
  capabilities_->set_prompt([this] {
    if (!busy()) prompt();
  });
}

ChatApp::~ChatApp() { *alive_ = false; }

void ChatApp::show_thread(ThreadRuntime& thread) {
  if (&thread != thread_) {
    thread_ = &thread;
    subscription_ = thread_->subscribe([this] { on_change(); });
    run_end_ = thread_->on(ThreadEvent::RunEnd, [this] { on_change(); });
    capabilities_->set_thread(thread);
    queued_texts_.clear();
    cancel_requested_ = false;
  }
  if (thread_listener_) thread_listener_(thread);
  // What is already there is printed as history, not streamed again.
  const auto& messages = thread_->messages();
  streaming_id_ = messages.empty() ? Id() : messages.back()->id;
  finished_ = !thread_->is_running();
  part_ = 0;
  part_bytes_ = 0;
  call_shown_ = false;
  if (!messages.empty()) {
    // A reply still streaming (a run going on in the background) goes on from what is shown.
    const auto& content = messages.back()->content;
    part_ = content.empty() ? 0 : content.size() - (finished_ ? 0 : 1);
    if (!finished_ && !content.empty()) {
      if (const auto* text = content.back().get_if<TextPart>())
        part_bytes_ = text->text.view().size();
    }
  }
  if (!messages.empty() && !quiet_) history();
}

void ChatApp::prompt() {
  if (!quiet_) out_ << "\nyou> " << std::flush;
}

bool ChatApp::replying() const { return thread_->is_running() || thread_->is_run_in_progress(); }

bool ChatApp::busy() const { return pending_ > 0 || replying(); }

void ChatApp::hold_until(const Completion& c) {
  ++pending_;
  c.then([this, alive = alive_](std::exception_ptr) {
    if (!*alive) return;
    --pending_;
    schedule_drain();
  });
}

void ChatApp::run_before_waiting(const std::string& line) {
  if (quit_) return;
  if (busy() || !waiting_.empty()) {
    waiting_.push_front(line);
    schedule_drain();
    return;
  }
  run_line(line);
}

void ChatApp::on_line(const std::string& line) {
  quit_armed_ = false;
  if (quit_) return;
  // With the runtime's message queue, a message typed during a reply is queued by the runtime
  // (and shown as queued); /queue and /unqueue act at once. Other commands wait for the reply.
  if (pending_ == 0 && replying() && waiting_.empty() && thread_->queue()) {
    const auto start = line.find_first_not_of(" \t");
    const bool command_line = start != std::string::npos && line[start] == '/';
    const std::string word =
        command_line ? line.substr(start, line.find_first_of(" \t", start) - start) : "";
    if (!command_line || word == "/queue" || word == "/unqueue") {
      run_line(line);
      return;
    }
  }
  if (busy() || !waiting_.empty()) {
    waiting_.push_back(line);
    return;
  }
  run_line(line);
}

// Runs the lines that waited for a reply to end, until one starts another reply.
void ChatApp::drain() {
  drain_scheduled_ = false;
  if (draining_) return;  // a line run below finished at once: the loop goes on with the next
  struct Draining {
    bool& flag;
    explicit Draining(bool& f) : flag(f) { flag = true; }
    ~Draining() { flag = false; }
    Draining(const Draining&) = delete;
    Draining& operator=(const Draining&) = delete;
  } draining{draining_};
  while (!quit_ && !busy() && !waiting_.empty()) {
    const std::string line = std::move(waiting_.front());
    waiting_.pop_front();
    // After the prompt, so the transcript reads in order; a pasted line may hold bidi controls.
    if (!quiet_) out_ << sanitize_terminal_text(line, true).text << '\n';
    run_line(line);
  }
  if (end_of_input_ && done_at_end()) quit();
}

// At the end of input the chat quits once nothing is left to do: no line waiting, no reply or
// command in progress, and nothing being spoken (a piped /speak would else write no sound or
// file; /stop still works meanwhile, as speaking does not hold lines).
bool ChatApp::done_at_end() const { return waiting_.empty() && !busy() && !thread_->speech(); }

// For a command's completion, which may arrive inside the command that started it (a thread
// switch that fails at once): the waiting lines run after that command has printed its own lines.
void ChatApp::schedule_drain() {
  if (drain_scheduled_ || (waiting_.empty() && !end_of_input_)) return;
  drain_scheduled_ = true;
  thread_->dispatcher().post([this, alive = alive_] {
    if (*alive) drain();
  });
}

namespace {

// A typed line without the escape sequences that keys such as the arrows put into it in this
// line mode (the terminal's own line editing does not know them): CSI and SS3 forms dropped.
std::string without_key_sequences(const std::string& line, bool& had_any) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '\x1b') {
      out.push_back(line[i]);
      continue;
    }
    had_any = true;
    if (i + 1 < line.size() && line[i + 1] == ']') {  // OSC: up to BEL or ESC backslash
      std::size_t j = i + 2;
      while (j < line.size() && line[j] != '\a' && line[j] != '\x1b') ++j;
      if (j < line.size() && line[j] == '\x1b' && j + 1 < line.size() && line[j + 1] == '\\') ++j;
      i = j;
      continue;
    }
    if (i + 1 < line.size() && (line[i + 1] == '[' || line[i + 1] == 'O')) {
      std::size_t j = i + 2;
      while (j < line.size() && (static_cast<unsigned char>(line[j]) < 0x40 ||
                                 static_cast<unsigned char>(line[j]) > 0x7e))
        ++j;
      i = j;  // the final byte
    }
  }
  return out;
}

}  // namespace

void ChatApp::run_line(const std::string& raw) {
  bool had_keys = false;
  std::string line =
      raw.find('\x1b') == std::string::npos ? raw : without_key_sequences(raw, had_keys);
  if (had_keys) {
    out_ << "(arrow and other special keys do not edit a line here; they were left out of it)\n";
  }
  if (line.size() >= 4095 && raw.size() == 4095) {
    out_ << "(the terminal passes at most 4,095 characters in one typed line, so this one was "
            "cut there; for longer text use /attach FILE or pipe it: COMMAND | aui-chat -p "
            "QUESTION)\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.find_first_not_of(" \t") == std::string::npos) {
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
    // aui's errors (BranchNotFound, ...) and the app's own: one line, then carry on.
    out_ << "error: " << sanitize_terminal_text(one_line(user_error_text(e), 300), true).text
         << '\n';
    if (!busy()) prompt();  // during a reply, the reply's end prompts
  }
}

void ChatApp::on_interrupt() {
  if (quit_) return;
  if (busy() && !cancel_requested_) {
    cancel_requested_ = true;
    thread_->cancel_run();  // also empties the queue
    queued_texts_.clear();
    return;
  }
  // Idle: one Ctrl-C must not end the session (and lose a half-typed line); two in a row do.
  if (busy() || quit_armed_) {
    quit();
    return;
  }
  quit_armed_ = true;
  out_ << "\n(Press Ctrl-C again to quit, or type /quit.)\n";
  prompt();
}

void ChatApp::on_end_of_input() {
  end_of_input_ = true;
  if (done_at_end()) quit();
}

void ChatApp::quit() {
  if (quit_) return;
  quit_ = true;
  if (!quiet_) out_ << "\nbye\n" << std::flush;
  if (on_quit_) on_quit_();
}

bool ChatApp::waiting_for_person() const {
  if (replying()) return false;
  const auto reply = last_reply();
  if (!reply || !reply->status.is(StatusType::RequiresAction)) return false;
  for (const auto& part : reply->content) {
    const auto* call = part.get_if<ToolCallPart>();
    if (call && !call->result) return true;
  }
  return false;
}

void ChatApp::send_held() {
  auto held = std::move(held_for_person_);
  held_for_person_.clear();
  for (auto& text : held) {
    // Without the runtime's queue a message now would supersede the run the answer started.
    if (replying() && !thread_->queue()) {
      waiting_.push_back(std::move(text));
    } else {
      send(text);
    }
  }
}

void ChatApp::send(const std::string& text) {
  if (waiting_for_person()) {
    // A new message now would leave the tool call waiting for good: it waits for the answer.
    held_for_person_.push_back(text);
    out_ << "  (this message is sent once you have answered the tool call above: /allow, "
            "/deny [reason] or /always — or /answer TEXT when it asks you something)\n";
    prompt();
    return;
  }
  if (thread_->queue() && replying()) {
    // The runtime queues it; it goes out when the reply ends (one per reply).
    thread_->append(text).then([](std::exception_ptr) {});
    if (quiet_) return;  // the front end lists the queue
    queued_texts_.push_back(text);
    out_ << "  [queued " << thread_->queue()->size() << "] "
         << sanitize_terminal_text(one_line(text, 70), true).text << '\n'
         << std::flush;
    return;
  }
  cancel_requested_ = false;
  // /attach'ed files go with it. The reply shows its own failure ([error: ...]).
  std::optional<Completion> sent = capabilities_->send_with_attachments(text);
  if (!sent) sent = thread_->append(text);
  // Until the reply starts (a new thread is first created in the store) the lines after it wait.
  ++pending_;
  sent->then([this, alive = alive_](std::exception_ptr failure) {
    if (!*alive) return;
    --pending_;
    // A reply shows its own failure; a message that never went out (its thread could not be
    // created in the store) would otherwise vanish without a word.
    if (failure) {
      try {
        std::rethrow_exception(failure);
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::MessageNotSent) {
          out_ << "error: " << sanitize_terminal_text(one_line(e.what(), 300), true).text << '\n';
          if (!busy()) prompt();
        }
      } catch (...) {
      }
    }
    schedule_drain();
  });
}

// The newest reply on the branch, when it is an assistant message.
MessagePtr ChatApp::last_reply() const {
  const auto& messages = thread_->messages();
  if (messages.empty() || messages.back()->role != Role::Assistant) return nullptr;
  return messages.back();
}

void ChatApp::decide(bool approved, bool always, const std::string& reason) {
  const auto reply = last_reply();
  if (reply) {
    for (const auto& part : reply->content) {
      const auto* call = part.get_if<ToolCallPart>();
      if (!call || call->result || !call->approval || !call->approval->pending()) continue;
      ToolApprovalResponse response{call->approval->id, approved};
      if (!reason.empty()) response.reason = reason;
      response.always = always;
      respond_to_approval(std::move(response));
      if (always) {
        out_ << (approved ? "allowed " : "denied ")
             << sanitize_terminal_text(call->tool_name, true).text
             << " for the rest of this chat\n";
      }
      if (!busy()) prompt();
      return;
    }
  }
  throw UsageError("no tool call is waiting for an approval");
}

void ChatApp::respond_to_approval(ToolApprovalResponse response) {
  cancel_requested_ = false;
  thread_->respond_to_tool_approval(std::move(response));
  send_held();
}

void ChatApp::answer_call(const std::string& tool_call_id, const std::string& text) {
  answer(text, tool_call_id);
}

void ChatApp::send_message(const std::string& text) { send(text); }

void ChatApp::answer(const std::string& text, const std::string& tool_call_id) {
  const auto reply = last_reply();
  if (reply) {
    for (const auto& part : reply->content) {
      const auto* call = part.get_if<ToolCallPart>();
      if (!call || call->result || call->approval) continue;
      if (!tool_call_id.empty() && call->tool_call_id != tool_call_id) continue;
      // JSON when it reads as JSON (true, 42, {"sent": true}); otherwise the text itself.
      Json result = Json::parse(text, nullptr, false);
      if (result.is_discarded()) result = text;
      cancel_requested_ = false;
      thread_->add_tool_result({reply->id, call->tool_call_id, call->tool_name, std::move(result)});
      send_held();
      if (!busy()) prompt();
      return;
    }
  }
  throw UsageError("no tool call is waiting for an answer");
}

Id ChatApp::message_at(const std::string& number) const {
  const auto& messages = thread_->messages();
  long i = 0;
  if (!parse_int(number, 1, static_cast<long>(messages.size()), i)) {
    if (messages.empty()) throw UsageError("there are no messages yet");
    throw UsageError("no message \"" + number + "\": give a number from 1 to " +
                     std::to_string(messages.size()) + " (see /history)");
  }
  return messages[static_cast<std::size_t>(i - 1)]->id;
}

void ChatApp::command(const std::string& line) {
  std::istringstream in(line);
  std::string cmd;
  in >> cmd;
  if (cmd == "/help") {
    out_ << kHelp;
    if (threads_) out_ << ChatThreads::help();
    if (session_) out_ << SessionCommands::help();
    out_ << capability_help();
#if AUI_CHAT_WITH_MCP
    out_ << McpCommands::help();
#endif
    prompt();
  } else if (threads_ && ChatThreads::handles(cmd)) {
    ++pending_;  // the lines after it wait until it has finished (a switch loads the thread)
    threads_->run(
        cmd, rest_of(in), [this](ThreadRuntime& thread) { show_thread(thread); },
        [this, alive = alive_](const std::string& error) {
          if (!*alive) return;
          --pending_;
          if (!error.empty())
            out_ << "error: " << sanitize_terminal_text(one_line(error, 300), true).text << '\n';
          if (!busy()) prompt();
          schedule_drain();
        });
  } else if (session_ && SessionCommands::handles(cmd)) {
    ++pending_;  // the lines after it wait until the listing is printed
    try {
      session_->run(cmd, rest_of(in), [this, alive = alive_] {
        if (!*alive) return;
        --pending_;
        if (!busy()) prompt();
        schedule_drain();
      });
    } catch (...) {
      --pending_;  // a mistake in the command: nothing is running
      throw;
    }
  } else if (cmd == "/quit" || cmd == "/exit") {
    quit();
  } else if (cmd == "/history") {
    history();
    prompt();
  } else if (cmd == "/regen") {
    const auto& messages = thread_->messages();
    for (std::size_t i = messages.size(); i-- > 0;) {
      if (messages[i]->role == Role::Assistant) {
        cancel_requested_ = false;
        thread_->reload(messages[i]->id).then([](std::exception_ptr) {});
        return;
      }
    }
    throw UsageError("there is no reply to regenerate yet");
  } else if (cmd == "/edit") {
    std::string number;
    in >> number;
    std::string text;
    std::getline(in, text);
    text.erase(0, text.find_first_not_of(" \t") == std::string::npos
                      ? text.size()
                      : text.find_first_not_of(" \t"));
    if (number.empty() || text.empty()) throw UsageError("usage: /edit N text");
    const auto id = message_at(number);
    const bool reruns = thread_->get_message_by_id(id) &&
                        thread_->get_message_by_id(id)->message->role == Role::User;
    edit_message(id, text);
    if (!reruns) {
      out_ << "edited message " << number << " (a new branch)\n";
      history();
      prompt();
    }
  } else if (cmd == "/branches") {
    std::string number;
    in >> number;
    const auto id = message_at(number);
    const auto state = thread_->message_state(id);
    out_ << "message " << number << " is branch " << state->branch_number << " of "
         << state->branch_count << ":\n";
    std::size_t n = 0;
    for (const auto& sibling : thread_->get_branches(id)) {
      const auto found = thread_->get_message_by_id(sibling);
      const std::string preview = found ? found->message->text() : std::string();
      out_ << "  " << ++n << ". "
           << sanitize_terminal_text(
                  one_line(preview.empty() ? std::string("(no text)") : preview, 70), true)
                  .text
           << (sibling == id ? "   <- shown" : "") << '\n';
    }
    if (state->branch_count > 1) out_ << "/branch " << number << " prev|next switches.\n";
    prompt();
  } else if (cmd == "/branch") {
    std::string number;
    std::string direction;
    in >> number >> direction;
    if (direction != "prev" && direction != "next") throw UsageError("usage: /branch N prev|next");
    const Id at = message_at(number);
    if (const auto state = thread_->message_state(at)) {
      const bool prev = direction == "prev";
      if (prev ? state->branch_number <= 1 : state->branch_number >= state->branch_count) {
        throw UsageError(state->branch_count <= 1
                             ? "message " + number + " has no other branches"
                             : "message " + number + " has no " + (prev ? "previous" : "next") +
                                   " branch (it shows branch " +
                                   std::to_string(state->branch_number) + " of " +
                                   std::to_string(state->branch_count) + ")");
      }
    }
    thread_->switch_to_branch(at, direction == "prev" ? ThreadRuntime::BranchPosition::Previous
                                                      : ThreadRuntime::BranchPosition::Next);
    history();
    prompt();
  } else if (cmd == "/queue") {
    const auto items = thread_->queue() ? thread_->queue()->items() : std::vector<QueueItem>{};
    if (items.empty()) out_ << "(nothing queued)\n";
    std::size_t i = 0;
    for (const auto& item : items) {
      out_ << "  [queued " << ++i << "] "
           << sanitize_terminal_text(one_line(item.prompt, 70), true).text << '\n';
    }
    if (!busy()) prompt();
  } else if (cmd == "/unqueue") {
    std::string number;
    in >> number;
    const auto items = thread_->queue() ? thread_->queue()->items() : std::vector<QueueItem>{};
    long n = 0;
    if (!parse_int(number, 1, static_cast<long>(items.size()), n)) {
      throw UsageError(items.empty() ? "nothing is queued"
                                     : "usage: /unqueue N (1 to " + std::to_string(items.size()) +
                                           ", see /queue)");
    }
    const auto& item = items[static_cast<std::size_t>(n - 1)];
    if (auto it = std::find(queued_texts_.begin(), queued_texts_.end(), item.prompt);
        it != queued_texts_.end()) {
      queued_texts_.erase(it);
    }
    thread_->queue()->remove(item.id);
    out_ << "removed queued message " << n << '\n';
    if (!busy()) prompt();
  } else if (cmd == "/allow" || cmd == "/always") {
    decide(true, cmd == "/always", "");
  } else if (cmd == "/deny") {
    decide(false, false, rest_of(in));
  } else if (cmd == "/answer") {
    const std::string text = rest_of(in);
    if (text.empty()) throw UsageError("usage: /answer TEXT");
    answer(text);
  } else if (cmd == "/export") {
    std::string format = "json";
    std::string file = rest_of(in);
    if (const auto space = file.find(' ');
        space != std::string::npos &&
        (file.substr(0, space) == "md" || file.substr(0, space) == "json")) {
      format = file.substr(0, space);
      file = file.substr(file.find_first_not_of(' ', space) == std::string::npos
                             ? file.size()
                             : file.find_first_not_of(' ', space));
    }
    if (file.empty()) throw UsageError("usage: /export [md|json] FILE");
    file = expand_user_path(file);
    const auto exported = thread_->export_repository();
    const std::string text =
        format == "md" ? to_markdown(exported) : to_json(exported).dump(2) + "\n";
    write_text_file(file, text);
    out_ << "exported " << exported.messages.size() << " messages to " << file << '\n';
    prompt();
  } else if (cmd == "/attach" || cmd == "/dictate") {
    std::string rest;
    std::getline(in, rest);
    // The lines after it wait for the file: a message typed next takes it along, and an error
    // is shown even when input ends right after. So do the lines after a /dictate that
    // transcribes a recording, or stops the microphone: /dictate send needs its words.
    ++pending_;
    try {
      capabilities_->command(
          cmd, rest,
          [this, alive = alive_] {
            if (!*alive) return;
            --pending_;
            if (!busy()) prompt();
            schedule_drain();
          },
          [this](const std::string& t) { send(t); });
    } catch (...) {
      --pending_;
      throw;
    }
  } else if (std::string rest;
             std::getline(in, rest),
             capabilities_->command(
                 cmd, rest, [this] { prompt(); }, [this](const std::string& t) { send(t); })) {
    // /attach, /speak, /stop, /good, /bad, /1 /2 /3 (capability_commands.cpp)
  } else if (command_hook_ && command_hook_(cmd, rest)) {
    prompt();  // /mcp, ... (mcp_commands.cpp)
  } else {
    throw UsageError("unknown command " + cmd + " (try /help)");
  }
}

void ChatApp::edit_message(const Id& id, const std::string& text) {
  if (auto* open = thread_->edit_composer(id)) open->cancel();
  auto& edit = thread_->begin_edit(id);
  edit.set_text(text);
  cancel_requested_ = false;
  edit.send().then([](std::exception_ptr) {});
}

}  // namespace aui::chat
