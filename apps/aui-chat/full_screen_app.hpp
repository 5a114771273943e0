#pragma once
// The full-screen chat's state (internal to aui-chat). Its parts are split by concern:
//   full_screen.cpp           the terminal, the loop and the wiring (run_full_screen)
//   full_screen_app.cpp       input routing, the layout of a frame, the status line
//   full_screen_tools.cpp     message actions, the approval dialog, human tools
//   full_screen_threads.cpp   the thread sidebar
//   full_screen_commands.cpp  /commands (run by ChatApp, their output shown), palette, help
// The views are aui::tui components; the commands are ChatApp's and ChatThreads' (the line
// mode's), run with their output captured and shown in a notice or an overlay.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "aui/local_runtime.hpp"
#include "aui/tui.hpp"
#include "aui/tui/markdown_transcript.hpp"
#include "chat_app.hpp"
#include "dictation_control.hpp"
#include "session_settings.hpp"
#include "thread_commands.hpp"

namespace aui::chat {

namespace tui = aui::tui;

/// What the full-screen chat needs from its wiring.
struct FullScreenParts {
  tui::Terminal& terminal;
  tui::UiLoop& loop;
  LocalRuntime& rt;
  ChatThreads& threads;
  SessionCommands* session = nullptr;
  std::ostringstream& output;  // where ChatApp, ChatThreads and SessionCommands write
  std::string provider;
  std::string model;
  std::function<std::string(const std::string&)> tool_label;                 // may be empty
  std::function<bool(const std::string&, const std::string&)> command_hook;  // may be empty
};

/// The full-screen chat. Everything here runs on the UI thread (the loop's owner).
class FullScreenChat {
 public:
  using Clock = std::chrono::steady_clock;

  explicit FullScreenChat(FullScreenParts parts);
  ~FullScreenChat();
  FullScreenChat(const FullScreenChat&) = delete;
  FullScreenChat& operator=(const FullScreenChat&) = delete;

  /// Lines for the user (a store problem, a failed save): the notice area above the editor.
  void notice(const std::string& text);
  /// An error from the runtime: the status line shows it for a while.
  void on_error(const std::string& message);
  /// Shows `text` in the status line for `how_long`; a frame then takes it away (without one the
  /// message would stay until the next key or change).
  void say(const std::string& text, std::chrono::seconds how_long);
  void on_input(const std::vector<tui::InputEvent>& events);
  void on_resize();
  void on_resume();
  /// Lines typed from now on wait until `c` settles (the thread list's first load); then, when
  /// `reopen`, the most recent thread is shown.
  void start(const Completion& listed, bool reopen);

 private:
  enum class Focus { Editor, Transcript, Sidebar };

  // full_screen_app.cpp
  void show(ThreadRuntime& thread);
  void on_change();
  void tick();
  void quit();
  void handle(const tui::InputEvent& event);
  bool handle_global_key(const tui::KeyEvent& k);
  bool complete_command_path();
  void handle_editor(const tui::InputEvent& event);
  void interrupt();
  void submit(const std::string& text);
  void report(const std::exception_ptr& failure);
  void render();
  void update_status();
  void update_chips();
  void update_queue();
  void toggle_dictation();
  void on_dictated(const std::string& heard);
  std::string dictation_label() const;

  // full_screen_tools.cpp
  bool is_human(const std::string& tool_name) const;
  void act(const tui::ViewAction& a);
  MessagePtr find(const Id& id) const;
  void copy(const Id& id);
  void sync_tool_dialogs();
  bool handle_tool_dialog(const tui::InputEvent& event);
  void draw_tool_dialog(tui::Canvas& root);
  void open_answer_form(const std::string& tool_call_id);
  void act_on_message(char32_t key);

  // full_screen_threads.cpp
  void toggle_sidebar();
  void refresh_sidebar();
  bool handle_sidebar(const tui::InputEvent& event);
  void sidebar_search(const std::string& query);

  // full_screen_commands.cpp
  void command(const std::string& line);
  void absorb_output();
  void show_output(const std::string& text);
  std::vector<tui::PaletteAction> actions() const;
  void run_action(const std::string& id);
  bool handle_overlay(const tui::InputEvent& event);
  void draw_overlay(tui::Canvas& root);

  tui::Terminal& terminal_;
  tui::UiLoop& loop_;
  LocalRuntime& rt_;
  ChatThreads& threads_;
  std::ostringstream& output_;
  std::function<std::string(const std::string&)> tool_label_;
  tui::Renderer renderer_;
  tui::FdSink out_;
  tui::Screen screen_;
  tui::MarkdownTextLayout markdown_;
  std::unique_ptr<tui::TranscriptView> view_;
  std::unique_ptr<tui::Editor> editor_;
  tui::QueuedList queued_;
  tui::StatusLine status_;
  tui::StatusInfo info_;
  tui::SuggestionChips chips_;
  tui::ThreadSidebar sidebar_;
  tui::CommandPalette palette_;
  tui::HelpOverlay help_;
  std::unique_ptr<ChatApp> chat_;  // the line mode's commands, quiet (the view shows the thread)
  std::unique_ptr<DictationControl> dictation_;  // Ctrl-R: what is heard goes into the editor
  bool dictation_failed_ = false;                // the session's failure is in the status line
  ThreadRuntime* thread_ = nullptr;
  Subscription changes_;
  Subscription run_start_;
  Subscription run_end_;
  Subscription list_changes_;
  std::vector<std::string> notices_;
  std::vector<std::string> queue_ids_;  // the queue's item ids, as QueuedList shows them

  // Overlays, at most one: command output, the palette, help; the tool dialogs above them.
  enum class Overlay { None, Output, Palette, Help };
  Overlay overlay_ = Overlay::None;
  std::unique_ptr<tui::ChoiceDialog> output_box_;
  std::unique_ptr<tui::ChoiceDialog> approval_;  // for approval_id_
  std::string approval_id_;
  std::unique_ptr<tui::HumanToolForm> answer_form_;  // for answer_call_id_
  std::string answer_call_id_;
  std::set<std::string> dismissed_;  // approvals and calls whose dialog the user closed (Esc)
  bool call_waiting_ = false;        // a tool call of the last reply waits for the user

  Focus focus_ = Focus::Editor;
  bool sidebar_shown_ = false;
  int sidebar_width_ = 0;
  int transcript_rows_ = 0;
  int chips_y_ = -1;
  int queue_y_ = -1;
  std::optional<Id> editing_;  // the message whose text the editor holds (submit: a new branch)
  bool quit_armed_ = false;
  bool quitting_ = false;
  bool ticking_ = false;
  // The reply's timing, for the status line.
  Clock::time_point first_token_at_{};
  bool first_token_seen_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace aui::chat
