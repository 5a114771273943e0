#include "full_screen.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "aui/local_runtime.hpp"
#include "aui/tui.hpp"
#include "chat_setup.hpp"
#include "save_status.hpp"
#include "thread_commands.hpp"
#include "user_errors.hpp"

namespace aui::chat {
namespace {

namespace tui = aui::tui;
using Clock = std::chrono::steady_clock;

constexpr int kMaxNoticeRows = 8;

const char* const kHelp =
    "Enter sends (typed during a reply: queued) · Alt-Enter or Ctrl-J: new line · Esc cancels "
    "the reply · Ctrl-C cancels, clears, twice on an empty editor quits · PgUp/PgDn/wheel "
    "scroll · Tab: select messages (c copy, r regenerate, [ ] branches, + - feedback, s speak, "
    "a/A/d approve, always, deny) · /new /threads /switch N /quit /help";

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

// The full-screen chat. Everything here runs on the UI thread (the loop's owner).
class FullScreenChat {
 public:
  FullScreenChat(tui::Terminal& terminal, tui::UiLoop& loop, LocalRuntime& rt, ChatThreads& threads,
                 std::ostringstream& thread_output, std::string provider, std::string model)
      : terminal_(terminal),
        loop_(loop),
        rt_(rt),
        threads_(threads),
        thread_output_(thread_output),
        renderer_(tui::detect_terminal_caps()),
        out_(terminal.output_fd()),
        view_(tui::TranscriptViewOptions{{}, [this](const tui::ViewAction& a) { act(a); }, {}}) {
    const auto size = terminal_.size();
    screen_.resize(size.width, size.height);
    tui::EditorOptions editor_options;
    editor_options.placeholder = "Type a message · /help for keys and commands";
    editor_ = std::make_unique<tui::Editor>(editor_options);
    info_.provider = std::move(provider);
    info_.model = std::move(model);
    show(rt_.thread());
    loop_.set_render([this] { render(); });
  }

  void notice(const std::string& text) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) notices_.push_back(line);
    while (notices_.size() > static_cast<std::size_t>(kMaxNoticeRows))
      notices_.erase(notices_.begin());
    loop_.request_frame();
  }

  void on_error(const std::string& message) {
    status_.set_message(message, Clock::now() + std::chrono::seconds(8));
    loop_.request_frame();
  }

  // The thread shown: the view follows it and its changes ask for frames.
  void show(ThreadRuntime& thread) {
    thread_ = &thread;
    view_.set_thread(&thread);
    changes_ = thread.subscribe([this] { on_change(); });
    run_start_ = thread.on(ThreadEvent::RunStart, [this] {
      info_.run_started = Clock::now();
      tick();
    });
    loop_.request_frame();
  }

  void on_input(const std::vector<tui::InputEvent>& events) {
    for (const auto& event : events) handle(event);
    if (!events.empty()) loop_.request_frame();
  }

  void on_resize() {
    const auto size = terminal_.size();
    screen_.resize(size.width, size.height);
    loop_.request_frame();
    loop_.render_now();
  }

  void on_resume() {
    terminal_.reenter();
    renderer_.invalidate();
    loop_.request_frame();
    loop_.render_now();
  }

  // Reopens the most recent thread (a restart goes on where the user left off).
  void reopen_last() { command("/switch 1"); }

 private:
  void on_change() { loop_.request_frame(); }

  // While a reply runs the spinner and the elapsed time move: a frame ten times a second.
  void tick() {
    if (ticking_) return;
    ticking_ = true;
    loop_.post_after(std::chrono::milliseconds(100), [this] {
      ticking_ = false;
      loop_.request_frame();
      if (thread_->is_running()) tick();
    });
  }

  void quit() {
    if (quitting_) return;
    quitting_ = true;
    status_.set_message("Saving and quitting…", Clock::now() + std::chrono::seconds(10));
    loop_.request_frame();
    // Every thread's history writes land before the loop stops.
    std::vector<Completion> flushes;
    auto ids = rt_.threads().thread_ids();
    for (auto& id : rt_.threads().archived_thread_ids()) ids.push_back(std::move(id));
    ids.push_back(rt_.threads().main_thread_id());
    for (const auto& id : ids) {
      if (auto* thread = rt_.threads().thread(id)) flushes.push_back(thread->history_flushed());
    }
    when_all(std::move(flushes)).then([this](std::exception_ptr) { loop_.stop(); });
  }

  static bool is_ctrl(const tui::KeyEvent& k, char32_t ch) {
    return k.key == tui::Key::Char && has(k.mods, tui::Mod::Ctrl) && k.ch == ch;
  }

  void handle(const tui::InputEvent& event) {
    if (const auto* k = std::get_if<tui::KeyEvent>(&event)) {
      if (is_ctrl(*k, U'c')) return interrupt();
      quit_armed_ = false;
      if (is_ctrl(*k, U'z')) {
        terminal_.suspend();
        renderer_.invalidate();
        return;
      }
      if (k->key == tui::Key::Escape && thread_->is_running()) {
        thread_->cancel_run();
        return;
      }
      if (k->key == tui::Key::Tab && k->mods == tui::Mod::None) {
        // Tab moves between the editor and the transcript's messages.
        transcript_focus_ = !transcript_focus_;
        if (transcript_focus_ && !view_.focused()) {
          const auto count = thread_->messages().size();
          if (count > 0) view_.focus(count - 1);
        }
        if (!transcript_focus_) view_.focus(std::nullopt);
        return;
      }
      if (k->key == tui::Key::PageUp || k->key == tui::Key::PageDown) {
        view_.handle_key(*k);
        return;
      }
      if (transcript_focus_) {
        if (k->key == tui::Key::Escape) {
          transcript_focus_ = false;
          view_.focus(std::nullopt);
          return;
        }
        view_.handle_key(*k);
        return;
      }
    } else {
      quit_armed_ = false;
    }
    if (const auto* m = std::get_if<tui::MouseEvent>(&event)) {
      if (m->y < transcript_rows_) {
        view_.handle_mouse(*m);
        return;
      }
    }
    if (const auto* t = std::get_if<tui::TextEvent>(&event); t && transcript_focus_) {
      view_.handle_text(t->text);
      return;
    }
    const tui::EditorOutcome outcome = editor_->handle(event);
    if (outcome.kind == tui::EditorOutcome::Kind::Submitted) submit(outcome.text);
  }

  // Ctrl-C: cancels a reply, else clears the editor, else quits when pressed twice.
  void interrupt() {
    if (thread_->is_running()) {
      thread_->cancel_run();
      status_.set_message("Reply cancelled.", Clock::now() + std::chrono::seconds(3));
      return;
    }
    if (!editor_->empty()) {
      editor_->clear();
      quit_armed_ = false;
      return;
    }
    if (quit_armed_) return quit();
    quit_armed_ = true;
    status_.set_message("Press Ctrl-C again to quit.", Clock::now() + std::chrono::seconds(3));
  }

  void submit(const std::string& text) {
    notices_.clear();
    if (text.empty()) return;
    if (text[0] == '/') return command(text);
    try {
      // The queue is on: typed during a reply, the message waits for it.
      thread_->append(text).then([this](std::exception_ptr failure) { report(failure); });
    } catch (const std::exception& e) {
      on_error(user_error_text(e));
    }
    view_.scroll_to_bottom();
  }

  void report(const std::exception_ptr& failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      on_error(user_error_text(e));
    } catch (...) {
      on_error("Something went wrong.");
    }
  }

  void command(const std::string& line) {
    const auto space = line.find(' ');
    const std::string cmd = line.substr(0, space);
    const std::string args = space == std::string::npos ? "" : line.substr(space + 1);
    if (cmd == "/quit" || cmd == "/exit") return quit();
    if (cmd == "/help") return notice(std::string(kHelp) + "\n" + ChatThreads::help());
    if (!ChatThreads::handles(cmd)) {
      return notice("There is no command " + cmd + " in the full-screen chat; /help lists them.");
    }
    threads_.run(
        cmd, args, [this](ThreadRuntime& thread) { show(thread); },
        [this](const std::string& error) {
          std::string text = threads_output();
          if (!error.empty()) text += (text.empty() ? "" : "\n") + error;
          if (!text.empty()) notice(text);
          loop_.request_frame();
        });
  }

  std::string threads_output();

  void act(const tui::ViewAction& a) {
    try {
      switch (a.kind) {
        case tui::ViewActionKind::Regenerate:
          thread_->reload(a.message_id).then([this](std::exception_ptr f) { report(f); });
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
          thread_->respond_to_tool_approval(response);
          break;
        }
        case tui::ViewActionKind::FeedbackPositive:
        case tui::ViewActionKind::FeedbackNegative:
          thread_->submit_feedback(a.message_id, a.kind == tui::ViewActionKind::FeedbackPositive
                                                     ? FeedbackType::Positive
                                                     : FeedbackType::Negative);
          status_.set_message("Thanks for the feedback.", Clock::now() + std::chrono::seconds(3));
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
            transcript_focus_ = false;
            view_.focus(std::nullopt);
          }
          break;
        case tui::ViewActionKind::Answer:
          notice("Answering a tool call is not in the full-screen chat yet; use aui-chat --plain.");
          break;
      }
    } catch (const std::exception& e) {
      on_error(user_error_text(e));
    }
    loop_.request_frame();
  }

  MessagePtr find(const Id& id) const {
    for (const auto& m : thread_->messages())
      if (m->id == id) return m;
    return nullptr;
  }

  // OSC 52, only because the user asked: the terminal puts the text on the clipboard.
  void copy(const Id& id) {
    const auto m = find(id);
    if (!m) return;
    const std::string bytes = "\x1b]52;c;" + base64(m->text()) + "\x07";
    out_.write(bytes);
    status_.set_message("Copied the message to the clipboard.",
                        Clock::now() + std::chrono::seconds(3));
  }

  void render() {
    if (!terminal_.active()) return;  // stopped: the resume repaints
    screen_.clear();
    auto root = screen_.canvas();
    const int width = screen_.width(), height = screen_.height();
    const int editor_rows = std::max(1, std::min(editor_->preferred_height(width), height / 2));
    const int notice_rows = std::min(static_cast<int>(notices_.size()), kMaxNoticeRows);
    const int status_y = height - 1;
    const int editor_y = status_y - editor_rows;
    const int rule_y = editor_y - 1;
    const int notice_y = rule_y - notice_rows;
    transcript_rows_ = std::max(0, notice_y);
    auto transcript = root.sub(0, 0, width, transcript_rows_);
    view_.draw(transcript);
    const tui::Style dim = tui::Style{}.with(tui::Attr::Dim);
    for (int i = 0; i < notice_rows; ++i) {
      // Command output quotes titles and file names (untrusted): put() shows controls as text.
      root.put(0, notice_y + i, notices_[notices_.size() - notice_rows + i]);
    }
    if (rule_y >= 0) {
      root.fill(tui::Rect{0, rule_y, width, 1}, dim, "\u2500");
      if (const auto* queue = thread_->queue(); queue && thread_->is_running())
        root.put(1, rule_y, " typing now queues the message ", dim);
      if (transcript_focus_) root.put(1, rule_y, " messages: Tab or Esc back to the editor ", dim);
    }
    auto editor = root.sub(0, std::max(0, editor_y), width, editor_rows);
    editor_->draw(editor);
    info_.running = thread_->is_running();
    status_.set_info(info_);
    auto status = root.sub(0, status_y, width, 1);
    status_.draw(status, Clock::now());
    renderer_.render(screen_, out_, transcript_focus_ ? std::nullopt : editor_->cursor_position());
  }

  tui::Terminal& terminal_;
  tui::UiLoop& loop_;
  LocalRuntime& rt_;
  ChatThreads& threads_;
  std::ostringstream& thread_output_;  // where ChatThreads writes; read back after each command
  tui::Renderer renderer_;
  tui::FdSink out_;
  tui::Screen screen_;
  tui::TranscriptView view_;
  std::unique_ptr<tui::Editor> editor_;
  tui::StatusLine status_;
  tui::StatusInfo info_;
  ThreadRuntime* thread_ = nullptr;
  Subscription changes_;
  Subscription run_start_;
  std::vector<std::string> notices_;
  int transcript_rows_ = 0;
  bool transcript_focus_ = false;
  bool quit_armed_ = false;
  bool quitting_ = false;
  bool ticking_ = false;
};

std::string FullScreenChat::threads_output() {
  std::string text = thread_output_.str();
  thread_output_.str({});
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace

int run_full_screen(const ChatOptions& options, ChosenAdapter chosen) {
  ChatStore opened = open_chat_store(options);
  auto save_status = std::make_shared<SaveStatus>();
  std::shared_ptr<TrackedThreadList> tracked_list;
  ThreadListRuntimeOptions list_options =
      chat_list_options(options, chosen, opened, save_status, tracked_list);
  auto loop = std::make_shared<tui::UiLoop>();
  // The UI loop is the runtime's dispatcher: the UI thread is its owner thread.
  list_options.thread.dispatcher = loop;
  FullScreenChat* chat = nullptr;
  list_options.thread.on_error = [&chat](const std::string& m) {
    if (chat) chat->on_error(m);
  };
  SessionSettings session = SessionSettings::from(options.backend);
  std::vector<Subscription> tool_registrations;
  list_options.on_thread_started = [&](ThreadRuntime& thread, const ThreadListItem&) {
    tool_registrations.push_back(thread.register_tools(chosen.tools));
    tool_registrations.push_back(
        thread.register_model_context_provider([&session] { return session.context(); }));
  };
  int status = 0;
  try {
    tui::Terminal terminal;
    LocalRuntime rt(std::move(list_options));
    // ChatThreads writes its listings here; the app shows them in its notice area.
    std::ostringstream thread_output;
    auto threads = std::make_unique<ChatThreads>(rt.threads(), opened.store, thread_output);
    threads->set_store_problem(opened.problem);
    threads->set_save_status(save_status);
    const std::string model = chosen.model.empty() ? "offline demo" : chosen.model;
    FullScreenChat app(terminal, *loop, rt, *threads, thread_output,
                       chosen.model.empty() ? "demo" : options.backend.provider, model);
    chat = &app;
    save_status->set_post([loop](std::function<void()> task) { loop->post(std::move(task)); });
    save_status->set_listener(
        [&app](SaveStatus::Event event, const std::string&, const std::string& detail) {
          app.on_error(SaveStatus::describe(event, detail));
        });
    tui::InputDecoder decoder;
    std::vector<tui::InputEvent> events;
    const auto drain = [&] {
      app.on_input(events);
      events.clear();
    };
    loop->watch(terminal.input_fd(), [&] {
      char buf[65536];
      const ssize_t n = ::read(terminal.input_fd(), buf, sizeof buf);
      if (n <= 0) {
        loop->stop();  // the terminal went away
        return;
      }
      decoder.feed(std::string_view(buf, static_cast<std::size_t>(n)), Clock::now(), events);
      drain();
      if (const auto deadline = decoder.pending_deadline()) {  // a lone Esc: decided later
        loop->post_after(*deadline - Clock::now(), [&] {
          decoder.flush_pending(Clock::now(), events);
          drain();
        });
      }
    });
    loop->watch(terminal.signal_fd(), [&] {
      const auto signals = terminal.take_signals();
      if (signals.resumed) app.on_resume();
      if (signals.resized) app.on_resize();
    });
    app.notice(opened.line);
    const bool reopen = options.continue_last || !options.new_thread;
    rt.threads().load_threads().then([&app, &rt, reopen](std::exception_ptr failure) {
      if (!failure && reopen && !rt.threads().thread_ids().empty()) app.reopen_last();
    });
    loop->request_frame();
    loop->run();
    chat = nullptr;
    if (tracked_list) tracked_list->wait_idle(std::chrono::seconds(5));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "aui-chat: %s\n", e.what());
    status = 1;
  }
  return status;
}

}  // namespace aui::chat
