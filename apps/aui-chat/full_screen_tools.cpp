// The full-screen chat: actions on messages (the transcript's ViewActions), the approval dialog
// for a tool call waiting for approval, and the answer form for a human tool.

#include <exception>
#include <string>

#include "full_screen_app.hpp"
#include "user_errors.hpp"

namespace aui::chat {

namespace {

std::string base64(const std::string& in) {
  static const char* const digits =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += digits[(v >> 18) & 63];
    out += digits[(v >> 12) & 63];
    out += digits[(v >> 6) & 63];
    out += digits[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += digits[(v >> 18) & 63];
    out += digits[(v >> 12) & 63];
    out += i + 1 < in.size() ? digits[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace

void FullScreenChat::act(const tui::ViewAction& a) {
  try {
    switch (a.kind) {
      case tui::ViewActionKind::Regenerate:
        thread_->reload(a.message_id).then([this, alive = alive_](std::exception_ptr f) {
          if (*alive) report(f);
        });
        view_->scroll_to_bottom();
        break;
      case tui::ViewActionKind::PreviousBranch:
        thread_->switch_to_branch(a.message_id, ThreadRuntime::BranchPosition::Previous);
        break;
      case tui::ViewActionKind::NextBranch:
        thread_->switch_to_branch(a.message_id, ThreadRuntime::BranchPosition::Next);
        break;
      case tui::ViewActionKind::ApproveOnce:
      case tui::ViewActionKind::ApproveAlways:
      case tui::ViewActionKind::Deny:
      case tui::ViewActionKind::ChooseOption: {
        ToolApprovalResponse response;
        response.approval_id = a.approval_id;
        if (a.kind == tui::ViewActionKind::ChooseOption) {
          response.option_id = a.option_id;
        } else {
          response.approved = a.kind != tui::ViewActionKind::Deny;
          response.always = a.kind == tui::ViewActionKind::ApproveAlways;
        }
        approval_.reset();
        chat_->respond_to_approval(std::move(response));
        break;
      }
      case tui::ViewActionKind::FeedbackPositive:
      case tui::ViewActionKind::FeedbackNegative:
        thread_->submit_feedback(a.message_id, a.kind == tui::ViewActionKind::FeedbackPositive
                                                   ? FeedbackType::Positive
                                                   : FeedbackType::Negative);
        say("Thanks for the feedback.", std::chrono::seconds(3));
        break;
      case tui::ViewActionKind::Speak:
        if (const auto& speech = thread_->speech(); speech && speech->message_id == a.message_id)
          thread_->stop_speaking();
        else
          thread_->speak(a.message_id);
        break;
      case tui::ViewActionKind::Copy: copy(a.message_id); break;
      case tui::ViewActionKind::Edit:
        if (const auto m = find(a.message_id)) {
          editor_->set_text(m->text());
          editing_ = a.message_id;
          focus_ = Focus::Editor;
          view_->focus(std::nullopt);
        }
        break;
      case tui::ViewActionKind::Answer: open_answer_form(a.tool_call_id); break;
      case tui::ViewActionKind::Delete:
        thread_->delete_message(a.message_id).then([this, alive = alive_](std::exception_ptr f) {
          if (!*alive) return;
          if (f) return report(f);
          say("Message deleted.", std::chrono::seconds(3));
          loop_.request_frame();
        });
        break;
    }
  } catch (const std::exception& e) {
    on_error(user_error_text(e));
  }
  loop_.request_frame();
}

MessagePtr FullScreenChat::find(const Id& id) const {
  for (const auto& m : thread_->messages())
    if (m->id == id) return m;
  return nullptr;
}

// OSC 52, only because the user asked: the terminal puts the text on the clipboard.
void FullScreenChat::copy(const Id& id) {
  const auto m = find(id);
  if (!m) return;
  const std::string bytes = "\x1b]52;c;" + base64(m->text()) + "\x07";
  out_.write(bytes);
  say("Copied the message to the clipboard.", std::chrono::seconds(3));
}

// Opens the approval dialog, or the answer form, for the first tool call of the last reply that
// waits for the user — unless the user closed that one (its card still offers the choices).
// Closes them when the call no longer waits (answered elsewhere, the run cancelled).
void FullScreenChat::sync_tool_dialogs() {
  std::optional<tui::WaitingToolCall> waiting;
  const auto& messages = thread_->messages();
  if (!messages.empty()) {
    waiting = tui::first_waiting_call(*messages.back(),
                                      [this](const std::string& name) { return is_human(name); });
  }
  call_waiting_ = waiting.has_value();
  if (!waiting) {
    approval_.reset();
    answer_form_.reset();
    return;
  }
  // Not while the user is typing a message: the keys meant for it would press the dialog's
  // buttons (y, a, n). It opens once the editor is empty (sent: the message is held for it).
  if (!approval_ && !answer_form_ && !editor_->empty()) return;
  const std::string label = tool_label_ ? tool_label_(waiting->tool_name) : waiting->tool_name;
  if (!waiting->approval_id.empty()) {
    answer_form_.reset();
    if (waiting->has_options || dismissed_.count(waiting->approval_id)) {
      approval_.reset();
      return;
    }
    if (approval_ && approval_id_ == waiting->approval_id) return;
    approval_id_ = waiting->approval_id;
    approval_ =
        std::make_unique<tui::ChoiceDialog>(tui::make_approval_dialog(label, waiting->arguments));
    return;
  }
  approval_.reset();
  if (dismissed_.count(waiting->tool_call_id)) {
    answer_form_.reset();
    return;
  }
  if (!answer_form_ || answer_call_id_ != waiting->tool_call_id)
    open_answer_form(waiting->tool_call_id);
}

void FullScreenChat::open_answer_form(const std::string& tool_call_id) {
  const auto& messages = thread_->messages();
  if (messages.empty()) return;
  const auto waiting = tui::first_waiting_call(
      *messages.back(), [this](const std::string& name) { return is_human(name); });
  if (!waiting || waiting->tool_call_id != tool_call_id || !waiting->approval_id.empty()) return;
  dismissed_.erase(tool_call_id);
  const std::string label = tool_label_ ? tool_label_(waiting->tool_name) : waiting->tool_name;
  answer_call_id_ = tool_call_id;
  answer_form_ = std::make_unique<tui::HumanToolForm>(
      "Answer for " + label, "The tool asks you:\n" + waiting->arguments +
                                 "\nType the result (JSON or text). Enter sends, Esc closes.");
}

bool FullScreenChat::handle_tool_dialog(const tui::InputEvent& event) {
  if (answer_form_) {
    const auto outcome = answer_form_->handle(event);
    if (outcome.kind == tui::DialogOutcome::Kind::Chosen) {
      const std::string call = answer_call_id_;
      answer_form_.reset();
      try {
        chat_->answer_call(call, outcome.input);
      } catch (const std::exception& e) {
        on_error(user_error_text(e));
      }
    } else if (outcome.kind == tui::DialogOutcome::Kind::Cancelled) {
      dismissed_.insert(answer_call_id_);
      answer_form_.reset();
      say("The tool call still waits: Tab to it and press Enter to answer.",
          std::chrono::seconds(6));
    }
    return true;  // modal
  }
  if (approval_) {
    const auto outcome = approval_->handle(event);
    if (outcome.kind == tui::DialogOutcome::Kind::Chosen) {
      ToolApprovalResponse response;
      response.approval_id = approval_id_;
      response.approved = outcome.button != "deny";
      response.always = outcome.button == "allow_always";
      if (outcome.button == "deny" && !outcome.input.empty()) response.reason = outcome.input;
      approval_.reset();
      try {
        chat_->respond_to_approval(std::move(response));
      } catch (const std::exception& e) {
        on_error(user_error_text(e));
      }
    } else if (outcome.kind == tui::DialogOutcome::Kind::Cancelled) {
      dismissed_.insert(approval_id_);
      approval_.reset();
      say("The tool call still waits: a, A or d on its card decide.", std::chrono::seconds(6));
    }
    return true;  // modal
  }
  return false;
}

void FullScreenChat::draw_tool_dialog(tui::Canvas& root) {
  if (answer_form_) {
    answer_form_->draw(root);
  } else if (approval_) {
    approval_->draw(root);
  }
}

// A message action from the palette: on the focused message, else the last one.
void FullScreenChat::act_on_message(char32_t key) {
  const auto count = thread_->messages().size();
  if (count == 0) return;
  if (!view_->focused()) view_->focus(count - 1);
  if (key == U'r') {
    // Regenerate the newest reply when the last message is the user's (a failed send).
    const auto& messages = thread_->messages();
    for (std::size_t i = *view_->focused() + 1; i-- > 0;) {
      if (messages[i]->role == Role::Assistant) {
        view_->focus(i);
        break;
      }
    }
  }
  view_->handle_text(std::string(1, static_cast<char>(key)));
  if (focus_ != Focus::Transcript) view_->focus(std::nullopt);
}

}  // namespace aui::chat
