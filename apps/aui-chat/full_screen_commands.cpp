// The full-screen chat's commands: `/commands` typed in the editor run the line mode's code
// (ChatApp, ChatThreads, SessionCommands, MCP) with their output captured and shown — a few lines
// in the notice area, more in a box; the command palette (Ctrl-P) and the help overlay (F1, ?)
// list every action with its key.

#include <string>
#include <vector>

#include "full_screen_app.hpp"

namespace aui::chat {

namespace {

constexpr std::size_t kMaxNoticeLines = 6;

// A slash command from the palette that needs words after it: it goes into the editor.
struct Slash {
  const char* id;
  const char* name;
  const char* command;  // with a trailing space when it takes arguments
  const char* description;
};

const Slash kSlash[] = {
    {"cmd.threads", "List threads", "/threads", "Lists the saved threads, numbered."},
    {"cmd.search", "Search messages", "/search ", "Searches every thread's messages."},
    {"cmd.rename", "Rename thread", "/rename ", "Gives the thread shown a new title."},
    {"cmd.archive", "Archive thread", "/archive", "Archives the thread shown."},
    {"cmd.delete", "Delete thread", "/delete", "Deletes the thread shown (no undo)."},
    {"cmd.history", "History", "/history", "Lists the messages of the branch shown."},
    {"cmd.export", "Export thread", "/export ", "Writes the thread as JSON or Markdown (md FILE)."},
    {"cmd.import", "Import thread", "/import ", "Reads a thread from assistant-ui JSON."},
    {"cmd.model", "Model", "/model ", "Shows or switches the model; /models lists them."},
    {"cmd.system", "System prompt", "/system ", "Sets the system prompt of this session."},
    {"cmd.attach", "Attach file", "/attach ", "Attaches a file to the next message."},
    {"cmd.queue", "Queue", "/queue", "Lists the messages queued during a reply."},
    {"cmd.mcp", "MCP servers", "/mcp", "Lists the MCP servers and their tools."},
};

}  // namespace

std::vector<tui::PaletteAction> FullScreenChat::actions() const {
  std::vector<tui::PaletteAction> list = {
      {"send", "Send message", "Enter", "Sends the editor's text (queued while a reply runs)."},
      {"newline", "New line", "Alt-Enter, Ctrl-J", "Starts a new line in the editor."},
      {"cancel", "Cancel reply", "Esc", "Stops the reply being written."},
      {"interrupt", "Cancel or clear", "Ctrl-C",
       "Cancels the reply, else clears the editor; twice on an empty editor quits."},
      {"quit", "Quit", "Ctrl-C Ctrl-C, /quit", "Saves and leaves."},
      {"palette", "Command palette", "Ctrl-P", "Lists every action."},
      {"help", "Help", "F1, ? (empty editor)", "Shows the keys."},
      {"sidebar", "Threads sidebar", "Ctrl-T", "Shows or hides the threads; search with /."},
      {"new", "New thread", "Ctrl-N", "Starts a new thread."},
      {"messages", "Select messages", "Tab", "Moves between the editor and the messages."},
      {"copy", "Copy message", "c", "Copies the message to the clipboard (OSC 52)."},
      {"edit", "Edit message", "e", "Puts the message in the editor; sending makes a branch."},
      {"regenerate", "Regenerate reply", "r", "Writes the reply again as a new branch."},
      {"prev", "Previous branch", "[ or Left", "Shows the message's previous branch."},
      {"next", "Next branch", "] or Right", "Shows the message's next branch."},
      {"good", "Good reply", "+", "Marks the reply as good."},
      {"bad", "Bad reply", "-", "Marks the reply as bad."},
      {"speak", "Speak or stop", "s", "Reads the message aloud, or stops."},
      {"delete", "Delete message", "x", "Deletes the message where the history allows it."},
      {"reasoning", "Show reasoning", "t", "Opens or closes the reasoning."},
      {"results", "Show tool results", "o", "Opens or closes long tool results."},
      {"approve", "Allow tool call", "a (A always, d deny)", "Decides the waiting tool call."},
      {"scroll", "Scroll", "PgUp, PgDn, wheel", "Scrolls the messages."},
      {"dictate", "Dictate", "Ctrl-R, /dictate",
       "Listens (--dictation) and puts what you say in the editor; Ctrl-R again stops."},
      {"suspend", "Suspend", "Ctrl-Z", "Back to the shell; fg returns."},
  };
  for (const Slash& s : kSlash) list.push_back({s.id, s.name, s.command, s.description});
  return list;
}

void FullScreenChat::run_action(const std::string& id) {
  for (const Slash& s : kSlash) {
    if (id != s.id) continue;
    const std::string text = s.command;
    if (text.back() == ' ') {
      editor_->set_text(text);
      focus_ = Focus::Editor;
    } else {
      command(text);
    }
    return;
  }
  if (id == "send") {
    if (!editor_->empty()) {
      const std::string text = editor_->text();
      editor_->clear();
      submit(text);
    }
  } else if (id == "cancel" || id == "interrupt") {
    interrupt();
  } else if (id == "quit") {
    quit();
  } else if (id == "help") {
    overlay_ = Overlay::Help;
  } else if (id == "sidebar") {
    toggle_sidebar();
  } else if (id == "new") {
    command("/new");
  } else if (id == "messages") {
    focus_ = Focus::Transcript;
    const auto count = thread_->messages().size();
    if (count > 0 && !view_->focused()) view_->focus(count - 1);
  } else if (id == "copy") {
    act_on_message(U'c');
  } else if (id == "edit") {
    act_on_message(U'e');
  } else if (id == "regenerate") {
    act_on_message(U'r');
  } else if (id == "prev") {
    act_on_message(U'[');
  } else if (id == "next") {
    act_on_message(U']');
  } else if (id == "good") {
    act_on_message(U'+');
  } else if (id == "bad") {
    act_on_message(U'-');
  } else if (id == "speak") {
    act_on_message(U's');
  } else if (id == "delete") {
    act_on_message(U'x');
  } else if (id == "reasoning") {
    act_on_message(U't');
  } else if (id == "results") {
    act_on_message(U'o');
  } else if (id == "approve") {
    dismissed_.clear();  // the dialog opens again for the waiting call
  } else if (id == "dictate") {
    toggle_dictation();
  } else if (id == "suspend") {
    terminal_.suspend();
    renderer_.invalidate();
  }
}

// A command line typed in the editor: the line mode's command code, its output shown here.
void FullScreenChat::command(const std::string& line) {
  notices_.clear();
  const auto word = line.substr(0, line.find_first_of(" \t\n"));
  if (word == "/help") {
    overlay_ = Overlay::Help;
    return;
  }
  if (word == "/dictate") {
    // Here the words go into the editor (the line mode's /dictate send is not needed).
    toggle_dictation();
    return;
  }
  chat_->on_line(line);
  absorb_output();
  tick();  // more output may follow from a worker
}

void FullScreenChat::absorb_output() {
  std::string text = output_.str();
  if (text.empty()) return;
  output_.str({});
  output_.clear();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  while (!text.empty() && text.front() == '\n') text.erase(0, 1);
  if (text.empty()) return;
  std::size_t lines = 1;
  for (char c : text) lines += c == '\n';
  if (lines > kMaxNoticeLines) {
    show_output(text);
  } else {
    notice(text);
  }
}

void FullScreenChat::show_output(const std::string& text) {
  tui::ChoiceDialogSpec spec;
  spec.title = "Output";
  spec.body = text;
  spec.buttons = {{"close", "Close", U'q'}};
  output_box_ = std::make_unique<tui::ChoiceDialog>(std::move(spec));
  overlay_ = Overlay::Output;
}

bool FullScreenChat::handle_overlay(const tui::InputEvent& event) {
  switch (overlay_) {
    case Overlay::None: return false;
    case Overlay::Output: {
      const auto outcome = output_box_->handle(event);
      if (outcome.kind == tui::DialogOutcome::Kind::Chosen ||
          outcome.kind == tui::DialogOutcome::Kind::Cancelled) {
        overlay_ = Overlay::None;
        output_box_.reset();
      }
      return true;
    }
    case Overlay::Palette: {
      const auto outcome = palette_.handle(event);
      if (outcome.kind == tui::PaletteOutcome::Kind::Run) {
        overlay_ = Overlay::None;
        run_action(outcome.action_id);
      } else if (outcome.kind == tui::PaletteOutcome::Kind::Closed) {
        overlay_ = Overlay::None;
      }
      return true;
    }
    case Overlay::Help: {
      if (help_.handle(event).kind == tui::PaletteOutcome::Kind::Closed) overlay_ = Overlay::None;
      return true;
    }
  }
  return false;
}

void FullScreenChat::draw_overlay(tui::Canvas& root) {
  switch (overlay_) {
    case Overlay::None: break;
    case Overlay::Output:
      if (output_box_) output_box_->draw(root);
      break;
    case Overlay::Palette: palette_.draw(root); break;
    case Overlay::Help: help_.draw(root); break;
  }
}

}  // namespace aui::chat
