// The full-screen chat: input routing, the layout of a frame and the status line.

#include <algorithm>
#include <exception>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "full_screen_app.hpp"
#include "paths.hpp"
#include "user_errors.hpp"

namespace aui::chat {

namespace {

constexpr int kMaxNoticeRows = 8;

bool is_ctrl(const tui::KeyEvent& k, char32_t ch) {
  return k.key == tui::Key::Char && has(k.mods, tui::Mod::Ctrl) && k.ch == ch;
}

}  // namespace

FullScreenChat::FullScreenChat(FullScreenParts parts)
    : terminal_(parts.terminal),
      loop_(parts.loop),
      rt_(parts.rt),
      threads_(parts.threads),
      output_(parts.output),
      tool_label_(std::move(parts.tool_label)),
      renderer_(tui::detect_terminal_caps()),
      out_(parts.terminal.output_fd()) {
  tui::TranscriptViewOptions view_options;
  view_options.on_action = [this](const tui::ViewAction& a) { act(a); };
  view_options.layout.text_layout = markdown_.hook();
  view_options.layout.tool_label = tool_label_;
  view_options.layout.is_human_tool = [this](const std::string& name) { return is_human(name); };
  view_ = std::make_unique<tui::TranscriptView>(std::move(view_options));
  const auto size = terminal_.size();
  screen_.resize(size.width, size.height);
  tui::EditorOptions editor_options;
  editor_options.placeholder = "Type a message · Enter sends · F1 or ? help · Ctrl-P commands";
  editor_ = std::make_unique<tui::Editor>(editor_options);
  info_.provider = std::move(parts.provider);
  info_.model = std::move(parts.model);

  chat_ = std::make_unique<ChatApp>(rt_.thread(), output_, [this] { quit(); });
  chat_->set_transcript_shown_elsewhere(true);
  chat_->set_threads(&threads_);
  chat_->set_session(parts.session);
  if (parts.command_hook) chat_->set_command_hook(std::move(parts.command_hook));
  if (tool_label_) chat_->set_tool_label(tool_label_);
  chat_->set_thread_listener([this](ThreadRuntime& thread) { show(thread); });
  dictation_ = std::make_unique<DictationControl>(
      rt_.thread(), [this] { loop_.request_frame(); },
      [this](const std::string& heard) { on_dictated(heard); });

  palette_.set_actions(actions());
  help_.set_actions(actions());
  list_changes_ = rt_.threads().subscribe([this] {
    if (sidebar_shown_) refresh_sidebar();
    loop_.request_frame();
  });
  show(rt_.thread());
  loop_.set_render([this] { render(); });
}

FullScreenChat::~FullScreenChat() { *alive_ = false; }

bool FullScreenChat::is_human(const std::string& tool_name) const {
  const auto& names = thread_ ? thread_->options().human_tool_names : std::nullopt;
  return names && std::find(names->begin(), names->end(), tool_name) != names->end();
}

void FullScreenChat::start(const Completion& listed, bool reopen) {
  chat_->hold_until(listed);
  listed.then([this, alive = alive_, reopen](std::exception_ptr failure) {
    if (!*alive || failure) return;
    // Before what was typed while the list loaded; says "(thread N: title)" in the notices.
    if (const auto n = reopen ? threads_.latest_number() : std::nullopt)
      chat_->run_before_waiting("/switch " + std::to_string(*n));
  });
}

void FullScreenChat::notice(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) notices_.push_back(line);
  while (notices_.size() > static_cast<std::size_t>(kMaxNoticeRows))
    notices_.erase(notices_.begin());
  loop_.request_frame();
}

void FullScreenChat::on_error(const std::string& message) {
  if (auto sentence = dictation_failure_text(message)) {
    dictation_failed_ = true;
    say(*sentence, std::chrono::seconds(12));
  } else {
    say(message, std::chrono::seconds(8));
  }
  loop_.request_frame();
}

void FullScreenChat::say(const std::string& text, std::chrono::seconds how_long) {
  status_.set_message(text, Clock::now() + how_long);
  loop_.request_frame();
  loop_.post_after(how_long, [this, alive = alive_] {
    if (*alive) loop_.request_frame();
  });
}

// Ctrl-R, /dictate, the palette: starts listening, or stops (the last words then arrive).
void FullScreenChat::toggle_dictation() {
  if (dictation_->listening()) {
    dictation_->stop();
    return;
  }
  try {
    dictation_failed_ = false;
    dictation_->start();
  } catch (const std::exception& e) {
    on_error(e.what());
  }
  loop_.request_frame();
}

// The words heard go into the editor at the cursor; they are sent only when the user sends.
void FullScreenChat::on_dictated(const std::string& heard) {
  if (heard.empty()) {
    if (!dictation_failed_) say("Nothing was heard.", std::chrono::seconds(4));
  } else {
    const std::string before = editor_->text().substr(0, editor_->cursor_offset());
    editor_->insert(dictated_insertion(before, heard));
    say("Dictated: the words are in the editor; Enter sends them.", std::chrono::seconds(4));
  }
  dictation_failed_ = false;
  loop_.request_frame();
}

// While dictating, the rule above the editor says so and shows what is heard so far (the end of
// it when it is long); the words reach the editor when the session ends.
std::string FullScreenChat::dictation_label() const {
  std::string label = dictation_->recording() ? " ● transcribing the recording" : " ● listening";
  std::string heard = dictation_->heard_so_far();
  if (heard.empty()) return label + " · Ctrl-R stops · Esc cancels ";
  constexpr std::size_t kMaxBytes = 160;
  if (heard.size() > kMaxBytes) {
    std::size_t from = heard.size() - kMaxBytes;
    while (from < heard.size() && (static_cast<unsigned char>(heard[from]) & 0xC0) == 0x80) ++from;
    heard = "…" + heard.substr(from);
  }
  return label + " · Ctrl-R stops · heard: " + heard + " ";
}

// The thread shown: the view follows it and its changes ask for frames.
void FullScreenChat::show(ThreadRuntime& thread) {
  const bool other = thread_ != &thread;
  thread_ = &thread;
  view_->set_thread(&thread);
  dictation_->set_thread(thread);  // a dictation into the thread left is dropped
  changes_ = thread.subscribe([this] { on_change(); });
  run_start_ = thread.on(ThreadEvent::RunStart, [this] {
    info_.run_started = Clock::now();
    first_token_seen_ = false;
    info_.first_token_seconds.reset();
    info_.tokens_per_second.reset();
    chips_.set_items({});
    tick();
  });
  run_end_ = thread.on(ThreadEvent::RunEnd, [this] { loop_.request_frame(); });
  if (other) {
    editing_.reset();
    dismissed_.clear();
    approval_.reset();
    answer_form_.reset();
  }
  if (sidebar_shown_) refresh_sidebar();
  loop_.request_frame();
}

void FullScreenChat::on_change() {
  if (thread_->is_running() && !first_token_seen_) {
    const auto& messages = thread_->messages();
    if (!messages.empty() && messages.back()->role == Role::Assistant &&
        !messages.back()->text().empty()) {
      first_token_seen_ = true;
      first_token_at_ = Clock::now();
      info_.first_token_seconds =
          std::chrono::duration<double>(first_token_at_ - info_.run_started).count();
    }
  }
  loop_.request_frame();
}

// While a reply runs the spinner and the elapsed time move: a frame ten times a second. The
// same tick shows command output that arrived from a worker (a model listing, a search).
void FullScreenChat::tick() {
  if (ticking_) return;
  ticking_ = true;
  loop_.post_after(std::chrono::milliseconds(100), [this, alive = alive_] {
    if (!*alive) return;
    ticking_ = false;
    loop_.request_frame();
    if (thread_->is_running() || thread_->is_run_in_progress() || output_.tellp() > 0) tick();
  });
}

void FullScreenChat::quit() {
  if (quitting_) return;
  quitting_ = true;
  say("Saving and quitting…", std::chrono::seconds(10));
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

void FullScreenChat::on_input(const std::vector<tui::InputEvent>& events) {
  for (const auto& event : events) handle(event);
  if (!events.empty()) loop_.request_frame();
  tick();  // command output may follow from a worker
}

void FullScreenChat::on_resize() {
  const auto size = terminal_.size();
  screen_.resize(size.width, size.height);
  loop_.request_frame();
  loop_.render_now();
}

void FullScreenChat::on_resume() {
  terminal_.reenter();
  renderer_.invalidate();
  loop_.request_frame();
  loop_.render_now();
}

// The order: Ctrl-C and Ctrl-Z always; then a tool dialog, an overlay, the sidebar, the
// transcript or the editor, whichever has the focus.
void FullScreenChat::handle(const tui::InputEvent& event) {
  const auto* k = std::get_if<tui::KeyEvent>(&event);
  if (k && is_ctrl(*k, U'c')) return interrupt();
  quit_armed_ = false;
  if (k && is_ctrl(*k, U'z')) {
    terminal_.suspend();
    renderer_.invalidate();
    return;
  }
  // A new thread and the sidebar work while a tool call waits (a thread reopened at start may
  // open its approval dialog at once): leaving the thread closes its dialog.
  if (k && (is_ctrl(*k, U'n') || is_ctrl(*k, U't')) && handle_global_key(*k)) return;
  if (handle_tool_dialog(event)) return;
  if (handle_overlay(event)) return;
  if (k && handle_global_key(*k)) return;
  if (const auto* m = std::get_if<tui::MouseEvent>(&event)) {
    // A click outside the sidebar gives the keys back to the editor (or the messages).
    if (m->action == tui::MouseAction::Press && focus_ == Focus::Sidebar &&
        !(sidebar_shown_ && m->x < sidebar_width_)) {
      focus_ = Focus::Editor;
    }
    if (sidebar_shown_ && m->x < sidebar_width_) {
      focus_ = Focus::Sidebar;
      handle_sidebar(event);
      return;
    }
    if (m->y < transcript_rows_) {
      view_->handle_mouse(*m);
      // A click that chose a message gives it the keys (c, e, r, …), as Tab would.
      if (view_->focused()) focus_ = Focus::Transcript;
      return;
    }
    if (queue_y_ >= 0 && m->y >= queue_y_ && m->y < queue_y_ + queued_.preferred_height()) {
      if (const auto index = queued_.handle(event); index && *index < queue_ids_.size()) {
        if (auto* queue = thread_->queue()) queue->remove(queue_ids_[*index]);
      }
      return;
    }
    if (chips_y_ >= 0 && m->y == chips_y_) {
      const auto outcome = chips_.handle(event);
      if (outcome.kind == tui::SuggestionChips::Outcome::Kind::Picked) {
        const auto items = thread_->suggestions();
        if (outcome.index < items.size()) chat_->send_message(items[outcome.index].prompt);
      }
      return;
    }
  }
  if (focus_ == Focus::Sidebar && handle_sidebar(event)) return;
  if (focus_ == Focus::Transcript) {
    if (k) {
      if (k->key == tui::Key::Escape) {
        focus_ = Focus::Editor;
        view_->focus(std::nullopt);
        return;
      }
      view_->handle_key(*k);
      return;
    }
    if (const auto* t = std::get_if<tui::TextEvent>(&event)) {
      view_->handle_text(t->text);
      return;
    }
  }
  handle_editor(event);
}

// Keys that work wherever the focus is (but in a dialog or an overlay).
bool FullScreenChat::handle_global_key(const tui::KeyEvent& k) {
  if (is_ctrl(k, U'p')) {
    palette_.reset();
    overlay_ = Overlay::Palette;
    return true;
  }
  if (k.key == tui::Key::F1) {
    overlay_ = Overlay::Help;
    return true;
  }
  if (is_ctrl(k, U't')) {
    toggle_sidebar();
    return true;
  }
  if (is_ctrl(k, U'n')) {
    command("/new");
    return true;
  }
  if (is_ctrl(k, U'r')) {
    toggle_dictation();
    return true;
  }
  if (k.key == tui::Key::Escape && (thread_->is_running() || thread_->is_run_in_progress())) {
    thread_->cancel_run();
    say("Reply cancelled.", std::chrono::seconds(3));
    return true;
  }
  if (k.key == tui::Key::Tab && k.mods == tui::Mod::None && focus_ == Focus::Editor &&
      complete_command_path()) {
    return true;
  }
  if (k.key == tui::Key::Tab && k.mods == tui::Mod::None && focus_ != Focus::Sidebar) {
    // Tab moves between the editor and the transcript's messages.
    if (focus_ == Focus::Transcript) {
      focus_ = Focus::Editor;
      view_->focus(std::nullopt);
    } else {
      focus_ = Focus::Transcript;
      const auto count = thread_->messages().size();
      if (count > 0 && !view_->focused()) view_->focus(count - 1);
    }
    return true;
  }
  if (k.key == tui::Key::PageUp || k.key == tui::Key::PageDown) {
    view_->handle_key(k);
    return true;
  }
  return false;
}

// Tab after a command that takes a file (/attach, /import, /export) completes the path at the
// end of the line, as a shell does; several matches are listed in the status line.
bool FullScreenChat::complete_command_path() {
  const std::string text = editor_->text();
  if (editor_->cursor_offset() != text.size() || text.find('\n') != std::string::npos) return false;
  static constexpr std::string_view kCommands[] = {"/attach ", "/import ", "/export "};
  if (std::none_of(std::begin(kCommands), std::end(kCommands),
                   [&](std::string_view c) { return text.rfind(c, 0) == 0; })) {
    return false;
  }
  const std::size_t start = text.rfind(' ') + 1;
  const PathCompletion completion = complete_path(std::string_view(text).substr(start));
  if (completion.completed.size() > text.size() - start) {
    editor_->set_text(text.substr(0, start) + completion.completed);
  }
  std::string message;
  if (!completion.candidates.empty()) {
    message = "Matches:";
    for (const auto& name : completion.candidates) {
      if (message.size() > 300) {
        message += " …";
        break;
      }
      message += ' ' + name;
    }
  } else if (completion.matches == 0) {
    message = "No file matches.";
  }
  if (!message.empty()) say(message, std::chrono::seconds(8));
  return true;
}

void FullScreenChat::handle_editor(const tui::InputEvent& event) {
  const auto* k = std::get_if<tui::KeyEvent>(&event);
  const auto* t = std::get_if<tui::TextEvent>(&event);
  if (editor_->empty()) {
    if (t && t->text == "?") {
      overlay_ = Overlay::Help;
      return;
    }
    // The suggestions after a reply: Left/Right choose, Enter sends, Alt-1…9 send directly.
    if (!chips_.items().empty() && k &&
        (k->key == tui::Key::Enter || k->key == tui::Key::Left || k->key == tui::Key::Right ||
         (k->key == tui::Key::Char && has(k->mods, tui::Mod::Alt)))) {
      const auto outcome = chips_.handle(event);
      if (outcome.kind == tui::SuggestionChips::Outcome::Kind::Picked) {
        const auto items = thread_->suggestions();
        if (outcome.index < items.size()) chat_->send_message(items[outcome.index].prompt);
        chips_.set_items({});
        view_->scroll_to_bottom();
      }
      if (outcome.kind != tui::SuggestionChips::Outcome::Kind::Ignored) return;
    }
  }
  if (dictation_->listening() && k && k->mods == tui::Mod::None &&
      (k->key == tui::Key::Escape || k->key == tui::Key::Enter)) {
    // Enter ends the dictation (its words land; Enter again sends), Esc drops it: neither sends
    // a message without the words still being heard.
    if (k->key == tui::Key::Enter) {
      if (editor_->text() == "/dictate") editor_->clear();  // typed to stop it
      dictation_->stop();
    } else {
      dictation_->cancel();
      say("Dictation cancelled.", std::chrono::seconds(3));
    }
    return;
  }
  if (k && k->key == tui::Key::Escape) {
    if (editing_) {
      editing_.reset();
      editor_->clear();
      say("Edit cancelled.", std::chrono::seconds(3));
    } else {
      notices_.clear();
    }
    return;
  }
  const tui::EditorOutcome outcome = editor_->handle(event);
  if (outcome.kind == tui::EditorOutcome::Kind::Submitted) submit(outcome.text);
  if (outcome.kind == tui::EditorOutcome::Kind::Ignored && k &&
      (k->key == tui::Key::Up || k->key == tui::Key::Down)) {
    // Past the history's ends: scroll the messages (Tab selects them).
    view_->scroll_by(k->key == tui::Key::Up ? -3 : 3);
  }
}

// Ctrl-C: cancels a reply, else clears the editor, else quits when pressed twice.
void FullScreenChat::interrupt() {
  if (thread_->is_running() || thread_->is_run_in_progress()) {
    thread_->cancel_run();
    say("Reply cancelled.", std::chrono::seconds(3));
    return;
  }
  if (!editor_->empty()) {
    editor_->clear();
    editing_.reset();
    quit_armed_ = false;
    return;
  }
  if (quit_armed_) return quit();
  quit_armed_ = true;
  say("Press Ctrl-C again to quit.", std::chrono::seconds(3));
}

void FullScreenChat::submit(const std::string& text) {
  notices_.clear();
  // A send through the composer (with attachments) would end the session and hand its text over
  // as if heard.
  dictation_->cancel();
  if (text.find_first_not_of(" \t\n") == std::string::npos) return;
  try {
    if (editing_) {
      const Id id = *editing_;
      editing_.reset();
      chat_->edit_message(id, text);
      say("Sent as a new branch.", std::chrono::seconds(3));
    } else if (text[0] == '/') {
      command(text);
    } else {
      // The line mode's rules: queued during a reply, held while a tool call waits.
      chat_->on_line(text);
      chips_.set_items({});
    }
  } catch (const std::exception& e) {
    on_error(user_error_text(e));
  }
  view_->scroll_to_bottom();
}

void FullScreenChat::report(const std::exception_ptr& failure) {
  if (!failure) return;
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    on_error(user_error_text(e));
  } catch (...) {
    on_error("Something went wrong.");
  }
}

void FullScreenChat::update_status() {
  info_.running = thread_->is_running() || thread_->is_run_in_progress();
  info_.thread_title.clear();
  if (const auto item = rt_.threads().item(rt_.threads().main_thread_id()); item && item->title) {
    info_.thread_title = *item->title;
  }
  // Token usage, when the backend reports it: the last reply's steps.
  info_.input_tokens.reset();
  info_.output_tokens.reset();
  const auto& messages = thread_->messages();
  for (std::size_t i = messages.size(); i-- > 0;) {
    const auto& it = messages[i];
    if (it->role != Role::Assistant) continue;
    std::uint64_t in = 0, out = 0;
    bool any = false;
    for (const auto& step : it->metadata.assistant_or_default().steps) {
      if (!step.usage) continue;
      any = true;
      in += static_cast<std::uint64_t>(std::max<std::int64_t>(0, step.usage->input_tokens));
      out += static_cast<std::uint64_t>(std::max<std::int64_t>(0, step.usage->output_tokens));
    }
    if (any) {
      info_.input_tokens = in;
      info_.output_tokens = out;
      if (first_token_seen_) {
        const double seconds =
            std::chrono::duration<double>(Clock::now() - first_token_at_).count();
        if (info_.running && seconds > 0.2) info_.tokens_per_second = out / seconds;
      }
    }
    break;
  }
  status_.set_info(info_);
}

void FullScreenChat::update_chips() {
  if (thread_->is_running() || thread_->is_run_in_progress()) return;
  const auto& suggestions = thread_->suggestions();
  std::vector<std::string> items;
  // Not after a cancelled or failed reply: the suggestions were for a reply that did not come.
  const auto& messages = thread_->messages();
  const bool complete = !messages.empty() && messages.back()->role == Role::Assistant &&
                        messages.back()->status.type == StatusType::Complete;
  if (complete) {
    for (const auto& s : suggestions) items.push_back(s.prompt);
  }
  if (items != chips_.items()) chips_.set_items(std::move(items));
}

void FullScreenChat::update_queue() {
  std::vector<std::string> texts;
  queue_ids_.clear();
  if (const auto* queue = thread_->queue()) {
    for (const auto& item : queue->items()) {
      texts.push_back(item.prompt);
      queue_ids_.push_back(item.id);
    }
  }
  queued_.set_items(std::move(texts));
}

void FullScreenChat::render() {
  if (!terminal_.active()) return;  // stopped: the resume repaints
  absorb_output();
  sync_tool_dialogs();
  update_status();
  update_chips();
  update_queue();
  screen_.clear();
  auto root = screen_.canvas();
  const int width = screen_.width(), height = screen_.height();
  sidebar_width_ = sidebar_shown_ ? std::clamp(width / 3, 16, 36) : 0;
  if (sidebar_width_ >= width - 10) sidebar_width_ = 0;
  const int main_x = sidebar_width_ > 0 ? sidebar_width_ + 1 : 0;
  const int main_w = width - main_x;
  const int editor_rows = std::max(1, std::min(editor_->preferred_height(main_w), height / 3));
  const int notice_rows = std::min(static_cast<int>(notices_.size()), kMaxNoticeRows);
  const int queue_rows = std::min(queued_.preferred_height(), 4);
  const int chip_rows = chips_.items().empty() ? 0 : 1;
  const int status_y = height - 1;
  const int editor_y = status_y - editor_rows;
  const int rule_y = editor_y - 1;
  queue_y_ = queue_rows > 0 ? rule_y - queue_rows : -1;
  const int above_queue = rule_y - queue_rows;
  chips_y_ = chip_rows > 0 ? above_queue - 1 : -1;
  const int notice_y = above_queue - chip_rows - notice_rows;
  transcript_rows_ = std::max(0, notice_y);
  const tui::Style dim = tui::Style{}.with(tui::Attr::Dim);
  if (sidebar_width_ > 0) {
    auto side = root.sub(0, 0, sidebar_width_, status_y);
    sidebar_.draw(side);
    for (int y = 0; y < status_y; ++y) root.put(sidebar_width_, y, "\u2502", dim);
  }
  auto transcript = root.sub(main_x, 0, main_w, transcript_rows_);
  view_->draw(transcript);
  for (int i = 0; i < notice_rows; ++i) {
    // Command output quotes titles and file names (untrusted): put() shows controls as text.
    root.put(main_x, notice_y + i, notices_[notices_.size() - notice_rows + i]);
  }
  if (chip_rows > 0 && chips_y_ >= 0) {
    auto chips = root.sub(main_x, chips_y_, main_w, 1);
    chips_.draw(chips);
  }
  if (queue_rows > 0 && queue_y_ >= 0) {
    auto queue = root.sub(main_x, queue_y_, main_w, queue_rows);
    queued_.draw(queue);
  }
  if (rule_y >= 0) {
    root.fill(tui::Rect{main_x, rule_y, main_w, 1}, dim, "\u2500");
    std::string label;
    if (dictation_->listening()) {
      label = dictation_label();
    } else if (editing_) {
      label = " editing a message: Enter sends it as a new branch, Esc cancels ";
    } else if (focus_ == Focus::Transcript) {
      label =
          " messages: c copy · e edit · r regenerate · [ ] branch · + - feedback · s speak · "
          "x delete · Tab back ";
    } else if (focus_ == Focus::Sidebar) {
      label = " threads: Enter open · n new · r rename · a archive · d delete · / search · Esc ";
    } else if (call_waiting_ && !approval_ && !answer_form_) {
      label = " a tool call waits for you: Tab to it (a A d, Enter), or empty the editor ";
    } else if (chat_->held_count() > 0) {
      label = " your message waits until the tool call above is answered ";
    } else if (thread_->queue() && (thread_->is_running() || thread_->is_run_in_progress())) {
      label = " typing now queues the message · Esc cancels the reply ";
    }
    if (!label.empty()) root.put(main_x + 1, rule_y, label, dim);
  }
  auto editor = root.sub(main_x, std::max(0, editor_y), main_w, editor_rows);
  editor_->draw(editor);
  auto status = root.sub(0, status_y, width, 1);
  status_.draw(status, Clock::now());
  draw_overlay(root);
  draw_tool_dialog(root);
  std::optional<tui::Point> cursor;
  if (answer_form_) {
    cursor = answer_form_->cursor_position();
  } else if (approval_) {
    cursor = approval_->cursor_position();
  } else if (overlay_ == Overlay::Palette) {
    cursor = palette_.cursor_position();
  } else if (overlay_ == Overlay::None && focus_ == Focus::Sidebar) {
    cursor = sidebar_.cursor_position();
  } else if (overlay_ == Overlay::None && focus_ == Focus::Editor) {
    cursor = editor_->cursor_position();
  }
  renderer_.render(screen_, out_, cursor);
}

}  // namespace aui::chat
