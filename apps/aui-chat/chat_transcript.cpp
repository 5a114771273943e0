// aui-chat's line mode, the transcript it prints: a streamed reply as it grows, tool calls with
// their results or what the user can do about them, notices, and /history. The commands are in
// chat_app.cpp.

#include <ostream>
#include <string>

#include "chat_app.hpp"
#include "terminal_text.hpp"

namespace aui::chat {

namespace {

std::string status_text(const MessageStatus& status) {
  std::string s(to_string(status.type));
  if (status.reason != StatusReason::None && status.reason != StatusReason::Unknown) {
    s += "/";
    s += to_string(status.reason);
  }
  return s;
}

}  // namespace

// Streams the growing reply: prints only what is new since the last notification. The runtime
// may fold several updates into one notification, so the new part can be any length. A reply
// that paused (a tool waiting for a person) and resumes goes on where it stopped.
void ChatApp::on_change() {
  show_change();
  // Notifications come after the runtime's change is complete, so the lines that waited for the
  // reply may run from here; after what this change printed, so the transcript reads in order.
  if (!busy()) drain();
}

void ChatApp::show_change() {
  if (quiet_) return;  // the front end shows the reply and the suggestions
  capabilities_->on_change(busy(), [this] { prompt(); });
  const auto& messages = thread_->messages();
  if (messages.empty()) return;
  const auto& last = messages.back();
  if (last->role != Role::Assistant) return;
  // Between the roundtrips of a tool loop the message shows requires-action for a moment.
  const bool running = last->status.type == StatusType::Running || thread_->is_run_in_progress();
  if (last->id != streaming_id_) {
    if (!running) return;  // not a reply being produced
    // A queued message went out: show it, as typed lines are shown, before its reply.
    if (!queued_texts_.empty() && messages.size() >= 2 &&
        messages[messages.size() - 2]->role == Role::User &&
        messages[messages.size() - 2]->text() == queued_texts_.front()) {
      out_ << sanitize_terminal_text(queued_texts_.front(), true).text << '\n';  // after the prompt
      queued_texts_.pop_front();
    }
    streaming_id_ = last->id;
    part_ = 0;
    part_bytes_ = 0;
    call_shown_ = false;
    finished_ = false;
    out_ << "\nassistant> " << std::flush;
  } else if (finished_) {
    if (!running) return;
    finished_ = false;  // a tool result or an approval resumed this reply
  }
  print_parts(*last, running);
  if (running) return;
  finished_ = true;
  const auto& status = last->status;
  if (status.is(StatusType::Incomplete, StatusReason::Cancelled)) {
    out_ << " [cancelled]";
  } else if (status.is(StatusType::Incomplete, StatusReason::Error)) {
    std::string message;
    const Json& error = status.error;
    if (error.is_object() && error.contains("message") && error["message"].is_string()) {
      message = error["message"].get<std::string>();
    } else if (!error.is_null()) {
      message = error.dump();
    }
    out_ << " [error: " << sanitize_terminal_text(one_line(message, 300), true).text << "]";
  } else if (status.type != StatusType::Complete && status.type != StatusType::RequiresAction) {
    out_ << " [" << status_text(status) << "]";
  }
  out_ << '\n';
  cancel_requested_ = false;
  for (; !notices_.empty(); notices_.pop_front()) out_ << notices_.front() << '\n';
  prompt();
}

void ChatApp::notice(const std::string& line) {
  const std::string safe = sanitize_terminal_text(line, true).text;
  if (!finished_ && replying()) {
    notices_.push_back(safe);
    return;
  }
  out_ << '\n' << safe << '\n';
  if (!quit_) prompt();
}

// Prints the parts of the reply from where the last call stopped: text as it grows, a tool call
// once it has its result — or, when the reply paused on it, with what the user can do.
void ChatApp::print_parts(const ThreadMessage& m, bool running) {
  while (part_ < m.content.size()) {
    const auto& part = m.content[part_];
    const bool last_part = part_ + 1 == m.content.size();
    if (const auto* t = part.get_if<TextPart>()) {
      const std::string_view text = t->text.view();
      if (part_bytes_ > text.size()) part_bytes_ = text.size();  // a result replaced the text
      if (part_bytes_ == 0 && after_tool_) out_ << "\n";
      after_tool_ = false;
      const bool final = !(running && last_part);
      // Model output is untrusted: only sanitised text reaches the terminal.
      const auto safe = sanitize_terminal_text(text.substr(part_bytes_), final);
      part_bytes_ += safe.consumed;
      out_ << safe.text << std::flush;
      if (!final) return;
    } else if (const auto* call = part.get_if<ToolCallPart>()) {
      if (!print_tool_call(*call, running)) return;
      after_tool_ = true;
    } else if (const auto* source = part.get_if<SourcePart>()) {
      out_ << "\n  [source] "
           << sanitize_terminal_text(one_line(source->title.value_or(source->url), 200), true).text;
      after_tool_ = true;
    }
    // Reasoning, images, files and data parts are not shown in line mode.
    ++part_;
    part_bytes_ = 0;
    call_shown_ = false;
  }
}

// One tool call; true when it is done with (the cursor moves on).
void ChatApp::show_call(const ToolCallPart& call) {
  if (call_shown_) return;
  call_shown_ = true;
  const std::string name = tool_label_ ? tool_label_(call.tool_name) : call.tool_name;
  // While the call runs, its arguments may be only in the model's text of them.
  const bool parsed = !(call.args.is_object() && call.args.empty()) || call.args_text.empty();
  const std::string args = parsed ? call.args.dump() : std::string(call.args_text.view());
  out_ << "\n  [tool] " << sanitize_terminal_text(name, true).text << ' '
       << sanitize_terminal_text(one_line(args, 200), true).text;
}

void ChatApp::tool_progress(const std::string& tool_call_id, const std::string& line) {
  const auto reply = last_reply();
  if (!reply || !replying() || part_ >= reply->content.size()) return;
  // Only the call the transcript has reached (the text before it is printed): a line under it
  // never splits the reply's text.
  const auto* call = reply->content[part_].get_if<ToolCallPart>();
  if (!call || call->tool_call_id != tool_call_id || call->result) return;
  if (++progress_lines_[tool_call_id] > 50) return;
  show_call(*call);
  out_ << "\n    … " << sanitize_terminal_text(one_line(line, 200), true).text << std::flush;
}

bool ChatApp::print_tool_call(const ToolCallPart& call, bool running) {
  if (call.result) {
    show_call(call);
    const std::string shown =
        call.result->is_string() ? call.result->get<std::string>() : call.result->dump();
    out_ << (call.is_error.value_or(false) ? "\n    ! error: " : "\n    = ")
         << sanitize_terminal_text(one_line(shown, 300), true).text << std::flush;
    return true;
  }
  if (running) return false;  // its result may still come
  const bool gated = call.approval.has_value();
  if (gated && call.approval->approved.value_or(false)) {
    // Allowed: aui runs a tool it has an execute function for; otherwise the model acts on it.
    const auto tools = thread_->model_context().tools;
    const auto tool = tools.find(call.tool_name);
    if (tool != tools.end() && tool->second.execute) return false;
    show_call(call);
    out_ << "\n    (allowed)" << std::flush;
    return true;
  }
  if (call_shown_) return false;
  show_call(call);
  if (gated && call.approval->pending()) {
    out_ << "\n    needs your approval: /allow, /deny [reason] or /always (allow it from now on)";
  } else if (!gated && !call.interrupt.is_null()) {
    out_ << "\n    interrupted: the model waits for input this chat cannot give";
  } else if (!gated) {
    out_ << "\n    waits for your answer: /answer TEXT (JSON or plain text)";
  }
  out_ << std::flush;
  return false;
}

void ChatApp::history() {
  const auto& messages = thread_->messages();
  if (messages.empty()) out_ << "(no messages yet)\n";
  std::size_t i = 0;
  for (const auto& m : messages) {
    ++i;
    const auto state = thread_->message_state(static_cast<long>(i - 1));
    out_ << i << ". " << to_string(m->role);
    if (state && state->branch_count > 1)
      out_ << " [branch " << state->branch_number << "/" << state->branch_count << "]";
    if (m->role == Role::Assistant && m->status.type != StatusType::Complete)
      out_ << " (" << status_text(m->status) << ")";
    out_ << ": " << sanitize_terminal_text(one_line(m->text(), 70), true).text << '\n';
  }
}

}  // namespace aui::chat
