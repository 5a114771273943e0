// aui-chat's commands and streamed output.

#include "chat_app.hpp"

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>

#include "aui/demo_adapter.hpp"
#include "aui/message_json.hpp"
#include "terminal_text.hpp"

namespace aui::chat {

namespace {

const char* kUsage = "usage: aui-chat [--demo-delay-ms N] [--help]\n";

const char* kHelp =
    "Type a message and press Enter to send it. Commands:\n"
    "  /regen                 regenerate the last reply (a new branch)\n"
    "  /edit N text           replace message N with text (a new branch; a user message reruns)\n"
    "  /branches N            show the branches of message N\n"
    "  /branch N prev|next    switch message N to its previous or next branch\n"
    "  /history               show the current branch, numbered\n"
    "  /export FILE           write the thread as assistant-ui JSON\n"
    "  /help                  this text\n"
    "  /quit                  exit (also Ctrl-D; Ctrl-C when no reply is streaming)\n"
    "Ctrl-C while a reply streams cancels it; a second Ctrl-C exits.\n";

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

// At most `max` bytes of `text` on one line, cut at a character boundary.
std::string one_line(std::string text, std::size_t max) {
  if (text.size() > max) {
    std::size_t cut = max - 3;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
    text += "...";
  }
  for (auto& c : text) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return text;
}

std::string status_text(const MessageStatus& status) {
  std::string s(to_string(status.type));
  if (status.reason != StatusReason::None && status.reason != StatusReason::Unknown) {
    s += "/";
    s += to_string(status.reason);
  }
  return s;
}

}  // namespace

ParseOutcome parse_args(int argc, const char* const* argv, ChatOptions& options, std::ostream& out,
                        std::ostream& err) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      out << kUsage << "\nA terminal chat on aui. Without a backend it answers with aui's offline demo adapter.\n"
          << "  --demo-delay-ms N      pause between the demo's chunks (default 30; 0: none)\n\n"
          << kHelp;
      return ParseOutcome::Exit;
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
    err << "aui-chat: unknown argument " << arg << " (try --help)\n";
    return ParseOutcome::Fail;
  }
  return ParseOutcome::Run;
}

ChosenAdapter choose_adapter(const ChatOptions& options) {
  // The only adapter so far; the network providers will be chosen here.
  return {make_demo_adapter({std::chrono::milliseconds(options.demo_delay_ms), 3}),
          "aui-chat — offline demo adapter (no backend configured). /help lists the commands."};
}

ChatApp::ChatApp(ThreadRuntime& thread, std::ostream& out, std::function<void()> on_quit)
    : thread_(thread), out_(out), on_quit_(std::move(on_quit)) {
  subscription_ = thread_.subscribe([this] { on_change(); });
}

ChatApp::~ChatApp() { *alive_ = false; }

void ChatApp::prompt() { out_ << "\nyou> " << std::flush; }

void ChatApp::on_line(const std::string& line) {
  if (quit_) return;
  if (thread_.is_running() || !waiting_.empty()) {
    waiting_.push_back(line);
    return;
  }
  run_line(line);
}

// Runs the lines that waited for a reply to end, until one starts another reply.
void ChatApp::drain() {
  drain_scheduled_ = false;
  while (!quit_ && !thread_.is_running() && !waiting_.empty()) {
    const std::string line = std::move(waiting_.front());
    waiting_.pop_front();
    out_ << line << '\n';  // after the prompt, so the transcript reads in order
    run_line(line);
  }
  if (end_of_input_ && waiting_.empty() && !thread_.is_running()) quit();
}

// Not from inside a notification: running a line there would re-enter the runtime.
void ChatApp::schedule_drain() {
  if (drain_scheduled_ || (waiting_.empty() && !end_of_input_)) return;
  drain_scheduled_ = true;
  thread_.dispatcher().post([this, alive = alive_] {
    if (*alive) drain();
  });
}

void ChatApp::run_line(const std::string& raw) {
  std::string line = raw;
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
    out_ << "error: " << sanitize_terminal_text(one_line(e.what(), 300), true).text << '\n';
    prompt();
  }
}

void ChatApp::on_interrupt() {
  if (quit_) return;
  if (thread_.is_running() && !cancel_requested_) {
    cancel_requested_ = true;
    thread_.cancel_run();
    return;
  }
  quit();
}

void ChatApp::on_end_of_input() {
  end_of_input_ = true;
  if (!thread_.is_running() && waiting_.empty()) quit();
}

void ChatApp::quit() {
  if (quit_) return;
  quit_ = true;
  out_ << "\nbye\n" << std::flush;
  if (on_quit_) on_quit_();
}

void ChatApp::send(const std::string& text) {
  cancel_requested_ = false;
  // The reply shows its own failure ([error: ...]); the completion adds nothing to print.
  thread_.append(text).then([](std::exception_ptr) {});
}

// Streams the growing reply: prints only what is new since the last notification. The runtime
// may fold several updates into one notification, so the new part can be any length.
void ChatApp::on_change() {
  if (!thread_.is_running()) schedule_drain();
  const auto& messages = thread_.messages();
  if (messages.empty()) return;
  const auto& last = messages.back();
  if (last->role != Role::Assistant) return;
  if (last->id != streaming_id_) {
    if (last->status.type != StatusType::Running) return;  // not a reply being produced
    streaming_id_ = last->id;
    printed_bytes_ = 0;
    finished_ = false;
    out_ << "\nassistant> " << std::flush;
  }
  if (finished_) return;
  const std::string text = last->text();
  const bool running = last->status.type == StatusType::Running;
  if (printed_bytes_ > text.size()) printed_bytes_ = text.size();  // a result replaced the text
  // Model output is untrusted: only sanitised text reaches the terminal.
  const auto safe = sanitize_terminal_text(std::string_view(text).substr(printed_bytes_), !running);
  printed_bytes_ += safe.consumed;
  out_ << safe.text << std::flush;
  if (running) return;
  finished_ = true;
  const auto& status = last->status;
  if (status.is(StatusType::Incomplete, StatusReason::Cancelled)) {
    out_ << " [cancelled]";
  } else if (status.is(StatusType::Incomplete, StatusReason::Error)) {
    std::string message;
    if (status.error.is_object() && status.error.contains("message") && status.error["message"].is_string()) {
      message = status.error["message"].get<std::string>();
    } else if (!status.error.is_null()) {
      message = status.error.dump();
    }
    out_ << " [error: " << sanitize_terminal_text(one_line(message, 300), true).text << "]";
  } else if (status.type != StatusType::Complete) {
    out_ << " [" << status_text(status) << "]";
  }
  out_ << '\n';
  cancel_requested_ = false;
  prompt();
}

Id ChatApp::message_at(const std::string& number) const {
  const auto& messages = thread_.messages();
  long i = 0;
  if (!parse_int(number, 1, static_cast<long>(messages.size()), i)) {
    if (messages.empty()) throw UsageError("there are no messages yet");
    throw UsageError("no message \"" + number + "\": give a number from 1 to " + std::to_string(messages.size()) +
                     " (see /history)");
  }
  return messages[static_cast<std::size_t>(i - 1)]->id;
}

void ChatApp::command(const std::string& line) {
  std::istringstream in(line);
  std::string cmd;
  in >> cmd;
  if (cmd == "/help") {
    out_ << kHelp;
    prompt();
  } else if (cmd == "/quit" || cmd == "/exit") {
    quit();
  } else if (cmd == "/history") {
    history();
    prompt();
  } else if (cmd == "/regen") {
    const auto& messages = thread_.messages();
    for (std::size_t i = messages.size(); i-- > 0;) {
      if (messages[i]->role == Role::Assistant) {
        cancel_requested_ = false;
        thread_.reload(messages[i]->id).then([](std::exception_ptr) {});
        return;
      }
    }
    throw UsageError("there is no reply to regenerate yet");
  } else if (cmd == "/edit") {
    std::string number;
    in >> number;
    std::string text;
    std::getline(in, text);
    text.erase(0, text.find_first_not_of(" \t") == std::string::npos ? text.size() : text.find_first_not_of(" \t"));
    if (number.empty() || text.empty()) throw UsageError("usage: /edit N text");
    const auto id = message_at(number);
    if (auto* open = thread_.edit_composer(id)) open->cancel();
    auto& edit = thread_.begin_edit(id);
    edit.set_text(text);
    const bool reruns = edit.role() == Role::User;
    cancel_requested_ = false;
    edit.send().then([](std::exception_ptr) {});
    if (!reruns) {
      out_ << "edited message " << number << " (a new branch)\n";
      history();
      prompt();
    }
  } else if (cmd == "/branches") {
    std::string number;
    in >> number;
    const auto id = message_at(number);
    const auto state = thread_.message_state(id);
    out_ << "message " << number << " is branch " << state->branch_number << "/" << state->branch_count << ":";
    for (const auto& sibling : thread_.get_branches(id)) {
      out_ << ' ' << sanitize_terminal_text(sibling, true).text << (sibling == id ? "*" : "");
    }
    out_ << '\n';
    prompt();
  } else if (cmd == "/branch") {
    std::string number;
    std::string direction;
    in >> number >> direction;
    if (direction != "prev" && direction != "next") throw UsageError("usage: /branch N prev|next");
    thread_.switch_to_branch(message_at(number), direction == "prev" ? ThreadRuntime::BranchPosition::Previous
                                                                     : ThreadRuntime::BranchPosition::Next);
    history();
    prompt();
  } else if (cmd == "/export") {
    std::string file;
    std::getline(in, file);
    file.erase(0, file.find_first_not_of(" \t") == std::string::npos ? file.size() : file.find_first_not_of(" \t"));
    if (file.empty()) throw UsageError("usage: /export FILE");
    const auto exported = thread_.export_repository();
    const std::string json = to_json(exported).dump(2) + "\n";
    std::ofstream file_out(file, std::ios::binary | std::ios::trunc);
    if (!file_out) throw UsageError("cannot write " + file);
    file_out << json;
    if (!file_out.flush()) throw UsageError("writing " + file + " failed");
    out_ << "exported " << exported.messages.size() << " messages to " << file << '\n';
    prompt();
  } else {
    throw UsageError("unknown command " + cmd + " (try /help)");
  }
}

void ChatApp::history() {
  const auto& messages = thread_.messages();
  if (messages.empty()) out_ << "(no messages yet)\n";
  std::size_t i = 0;
  for (const auto& m : messages) {
    ++i;
    const auto state = thread_.message_state(static_cast<long>(i - 1));
    out_ << i << ". " << to_string(m->role);
    if (state && state->branch_count > 1) out_ << " [branch " << state->branch_number << "/" << state->branch_count << "]";
    if (m->role == Role::Assistant && m->status.type != StatusType::Complete) out_ << " (" << status_text(m->status) << ")";
    out_ << ": " << sanitize_terminal_text(one_line(m->text(), 70), true).text << '\n';
  }
}

}  // namespace aui::chat
