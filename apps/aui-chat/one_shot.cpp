// aui-chat's one-shot mode: stdout holds only the reply.

#include "one_shot.hpp"

#include <exception>
#include <ostream>

#include "aui/model/message_json.hpp"
#include "terminal_text.hpp"

namespace aui::chat {

namespace {

// Streams the reply's text parts to `out` as they grow: each part is written from where the
// last update left it, so a long reply costs its length, not its length times its updates.
class ReplyPrinter {
 public:
  ReplyPrinter(std::ostream& out, std::ostream& err, bool safe)
      : out_(out), err_(err), safe_(safe) {}

  void update(const ThreadMessage& reply, bool final) {
    if (reply.id != id_) {
      id_ = reply.id;
      part_ = 0;
      bytes_ = 0;
      text_part_ = static_cast<std::size_t>(-1);
    }
    for (; part_ < reply.content.size(); ++part_, bytes_ = 0) {
      const ContentPart& part = reply.content[part_];
      const bool last = part_ + 1 == reply.content.size();
      if (const auto* t = part.get_if<TextPart>()) {
        const std::string_view text = t->text.view();
        // Text after a tool call is the next paragraph of the answer.
        if (text_part_ != part_ && bytes_ < text.size()) paragraph_break_ = wrote_;
        text_part_ = part_;
        write_text(text.substr(bytes_), final || !last);
        bytes_ = text.size() - held_;
      } else if (const auto* call = part.get_if<ToolCallPart>()) {
        if (!last || final || call->result.has_value()) {
          err_ << "(tool " << sanitize_terminal_text(call->tool_name, true).text
               << (call->result.has_value()
                       ? (call->is_error.value_or(false) ? " failed)" : " ran)")
                       : " called)")
               << '\n';
          continue;  // reported once; nothing more of it is shown
        }
        return;  // its arguments are still streaming: report it once they are done
      }
      if (last && !final) return;  // the last part may still grow
    }
  }

  void finish() {
    if (wrote_ && !ends_with_newline_) out_ << '\n';
    out_.flush();
  }

 private:
  void write_text(std::string_view text, bool complete) {
    held_ = 0;
    if (text.empty()) return;
    std::string shown;
    if (safe_) {
      // On a terminal, an escape sequence cut in two must wait for its end to be dropped whole.
      SanitizedText s = sanitize_terminal_text(text, complete);
      held_ = text.size() - s.consumed;
      shown = std::move(s.text);
    } else {
      shown = std::string(text);  // a pipe gets the reply as the model wrote it
    }
    if (shown.empty()) return;
    if (paragraph_break_) out_ << (ends_with_newline_ ? "\n" : "\n\n");
    out_ << shown;
    out_.flush();
    wrote_ = true;
    ends_with_newline_ = shown.back() == '\n';
    paragraph_break_ = false;
  }

  std::ostream& out_;
  std::ostream& err_;
  bool safe_;
  Id id_;
  std::size_t part_ = 0;
  std::size_t bytes_ = 0;
  std::size_t text_part_ = static_cast<std::size_t>(-1);  // the text part written last
  std::size_t held_ = 0;
  bool wrote_ = false;
  bool ends_with_newline_ = false;
  bool paragraph_break_ = false;
};

std::string error_message(const MessageStatus& status) {
  const Json& e = status.error.get();
  if (e.is_object() && e.contains("message") && e["message"].is_string())
    return e["message"].get<std::string>();
  if (e.is_string()) return e.get<std::string>();
  return "the reply ended with an error";
}

}  // namespace

std::string one_shot_message(const OneShot& shot) {
  if (shot.context.empty()) return shot.question;
  if (shot.question.empty()) return shot.context;
  return shot.question + "\n\n" + shot.context;
}

OneShotExit run_one_shot(ThreadRuntime& thread, const OneShot& shot, std::ostream& out,
                         std::ostream& err,
                         const std::function<void(const std::function<bool()>&)>& run_until) {
  ReplyPrinter printer(out, err, shot.out_is_terminal);
  const auto reply = [&thread]() -> MessagePtr {
    const auto& messages = thread.messages();
    if (messages.empty() || messages.back()->role != Role::Assistant) return nullptr;
    return messages.back();
  };
  Subscription streaming;
  if (!shot.json) {
    streaming = thread.subscribe([&] {
      if (const MessagePtr m = reply()) printer.update(*m, false);
    });
  }
  Completion sent = thread.append(one_shot_message(shot));
  bool settled = false;
  std::exception_ptr failure;
  sent.then([&](std::exception_ptr e) {
    settled = true;
    failure = e;
  });
  // The append settles when its run has ended, paused for a person, or failed to start.
  run_until([&] { return settled && !thread.is_run_in_progress(); });
  streaming = {};
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      err << "aui-chat: the question could not be sent: "
          << sanitize_terminal_text(e.what(), true).text << '\n';
    } catch (...) {
      err << "aui-chat: the question could not be sent.\n";
    }
    return OneShotExit::Failed;
  }
  const MessagePtr m = reply();
  if (!m) {
    err << "aui-chat: no reply came.\n";
    return OneShotExit::Failed;
  }
  if (shot.json) {
    out << to_json_text(*m) << '\n';
    out.flush();
  } else {
    printer.update(*m, true);
    printer.finish();
  }
  const MessageStatus& status = m->status;
  if (status.type == StatusType::RequiresAction) {
    err << "aui-chat: the reply stopped at a tool call that needs a person (an approval or an "
           "answer), which a one-shot question cannot give. Ask in the interactive chat "
           "instead.\n";
    return OneShotExit::NeedsAPerson;
  }
  if (status.type == StatusType::Incomplete) {
    if (status.reason == StatusReason::Cancelled) {
      err << "aui-chat: the reply was cancelled.\n";
      return OneShotExit::Cancelled;
    }
    if (status.reason == StatusReason::Error) {
      err << "aui-chat: " << sanitize_terminal_text(error_message(status), true).text << '\n';
      return OneShotExit::Failed;
    }
    err << "aui-chat: the reply was cut short (" << to_json(status).dump() << ").\n";
    return OneShotExit::Failed;
  }
  return OneShotExit::Complete;
}

}  // namespace aui::chat
