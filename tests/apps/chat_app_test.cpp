// aui-chat's commands and streamed output, driven without a terminal: a real LocalRuntime, the
// app writing to a string.

#include "chat_app.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "aui/demo/demo_adapter.hpp"
#include "aui/demo/demo_tools.hpp"
#include "aui/local_runtime.hpp"
#include "aui/support/errors.hpp"
#include "paths.hpp"
#include "save_status.hpp"
#include "user_errors.hpp"

namespace {

using std::chrono::milliseconds;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct Chat {
  explicit Chat(aui::ChatModelAdapter adapter)
      : rt(std::move(adapter)), app(rt.thread(), out, [this] { quit = true; }) {}
  explicit Chat(aui::ThreadRuntimeOptions options)
      : rt(std::move(options)), app(rt.thread(), out, [this] { quit = true; }) {}

  // Runs the loop until no reply is running and nothing is left queued.
  void settle() {
    auto idle = [&] { return !rt.thread().is_running() && !rt.thread().is_run_in_progress(); };
    // A queued message goes out on a later turn, so idle once is not the end.
    for (;;) {
      rt.event_loop()->run_until(idle);
      if (rt.event_loop()->run_pending() == 0 && idle()) break;
    }
  }
  // on_line without settling: what it printed.
  std::string app_line_error(const std::string& text) {
    const auto before = out.str().size();
    app.on_line(text);
    return out.str().substr(before);
  }
  // on_line, then settle.
  std::string line(const std::string& text) {
    out.str("");
    app.on_line(text);
    settle();
    return out.str();
  }

  std::ostringstream out;
  bool quit = false;
  aui::LocalRuntime rt;
  aui::chat::ChatApp app;
};

aui::ChatModelAdapter demo() { return aui::make_demo_adapter({milliseconds(0), 3}); }

// A streaming adapter that yields "Hel", waits for the test, then yields "Hello".
struct TwoStepAdapter {
  std::mutex mutex;
  std::condition_variable cv;
  bool go = false;

  aui::ChatModelAdapter adapter() {
    return [this](const aui::ChatModelRunOptions&, aui::RunResultSink& sink) {
      aui::Text text("Hel");
      sink.yield(aui::ChatModelRunResult::text(text));
      {
        std::unique_lock lock(mutex);
        cv.wait(lock, [&] { return go; });
      }
      text += "lo";
      sink.yield(aui::ChatModelRunResult::text(text));
    };
  }
  void release() {
    std::lock_guard lock(mutex);
    go = true;
    cv.notify_all();
  }
};

TEST(ChatApp, StreamsOnlyTheNewPartOfTheReply) {
  TwoStepAdapter two;
  Chat chat(two.adapter());
  chat.app.on_line("hi");
  chat.rt.event_loop()->run_until([&] { return contains(chat.out.str(), "assistant> Hel"); });
  EXPECT_FALSE(contains(chat.out.str(), "Hello"));
  two.release();
  chat.settle();
  EXPECT_TRUE(contains(chat.out.str(), "assistant> Hello\n\nyou> ")) << chat.out.str();
  EXPECT_FALSE(contains(chat.out.str(), "HelHel")) << chat.out.str();
}

TEST(ChatApp, SendsAndPrintsTheWholeDemoReply) {
  Chat chat(demo());
  const auto out = chat.line("hello there, aui");
  ASSERT_EQ(chat.rt.thread().messages().size(), 2u);
  const auto reply = chat.rt.thread().messages()[1]->text();
  EXPECT_TRUE(contains(reply, "hello there, aui"));
  EXPECT_TRUE(contains(out, "assistant> " + reply + "\n\nyou> ")) << out;
}

TEST(ChatApp, ModelOutputCannotControlTheTerminal) {
  Chat chat([](const aui::ChatModelRunOptions&) {
    return aui::ChatModelRunResult::text(
        "safe\x1b]0;pwned\x07 text\x1b[2J\r\x07 end\xc2\x9b"
        "1m.\x1b");
  });
  const auto out = chat.line("anything");
  // Shown, not obeyed (aui/tui/sanitize.hpp): every control is a visible replacement.
  EXPECT_TRUE(contains(out, "assistant> safe␛]0;pwned␇ text␛[2J␍␇ end⟨U+009B⟩1m.␛\n")) << out;
  for (char c : {'\x1b', '\x07', '\r'}) EXPECT_FALSE(contains(out, std::string(1, c))) << int(c);
  chat.out.str("");
  chat.app.on_line("/history");
  EXPECT_TRUE(contains(chat.out.str(), "2. assistant: safe␛]0;pwned␇ text␛[2J␍␇ end⟨U+009B⟩1m.␛\n"))
      << chat.out.str();
  EXPECT_FALSE(contains(chat.out.str(), "\x1b"));
}

TEST(ChatApp, AFailedReplyShowsItsError) {
  Chat chat([](const aui::ChatModelRunOptions&) -> aui::ChatModelRunResult {
    throw std::runtime_error("backend down\x1b[31m");
  });
  const auto out = chat.line("hello");
  EXPECT_TRUE(contains(out, "[error: backend down␛[31m]")) << out;
  EXPECT_FALSE(chat.quit);
}

TEST(ChatApp, CtrlCCancelsTheReplyAndTwoCtrlCsWhenIdleQuit) {
  Chat chat(aui::make_demo_adapter({milliseconds(3600 * 1000), 3}));  // stuck in a pause
  chat.app.on_line("tell me a long story");
  ASSERT_TRUE(chat.rt.thread().is_running());
  chat.app.on_interrupt();
  chat.settle();
  EXPECT_TRUE(contains(chat.out.str(), " [cancelled]\n")) << chat.out.str();
  EXPECT_TRUE(chat.rt.thread().messages().back()->status.is(aui::StatusType::Incomplete,
                                                            aui::StatusReason::Cancelled));
  EXPECT_FALSE(chat.quit);
  chat.app.on_interrupt();
  EXPECT_FALSE(chat.quit) << "one Ctrl-C at an idle prompt does not end the session";
  EXPECT_TRUE(contains(chat.out.str(), "Press Ctrl-C again to quit")) << chat.out.str();
  chat.line("/history");  // anything typed in between disarms it
  chat.app.on_interrupt();
  EXPECT_FALSE(chat.quit);
  chat.app.on_interrupt();
  EXPECT_TRUE(chat.quit);
  EXPECT_TRUE(contains(chat.out.str(), "bye"));
}

TEST(ChatApp, ASecondCtrlCDuringAReplyQuits) {
  Chat chat(aui::make_demo_adapter({milliseconds(3600 * 1000), 3}));
  chat.app.on_line("tell me a long story");
  chat.app.on_interrupt();
  EXPECT_FALSE(chat.quit);
  chat.app.on_interrupt();
  EXPECT_TRUE(chat.quit);
  chat.settle();
}

TEST(ChatApp, QuitAndEndOfInputQuit) {
  Chat a(demo());
  a.app.on_line("/quit");
  EXPECT_TRUE(a.quit);
  Chat b(demo());
  b.app.on_end_of_input();
  EXPECT_TRUE(b.quit);
}

TEST(ChatApp, RegenerateEditAndSwitchBranches) {
  Chat chat(demo());
  chat.line("hello");
  const auto first_reply = chat.rt.thread().messages()[1]->text();
  chat.line("/regen");
  ASSERT_EQ(chat.rt.thread().messages().size(), 2u);
  EXPECT_NE(chat.rt.thread().messages()[1]->text(), first_reply)
      << "a regenerate reads differently";

  auto out = chat.line("/history");
  EXPECT_TRUE(contains(out, "1. user: hello\n")) << out;
  EXPECT_TRUE(contains(out, "2. assistant [branch 2/2]: ")) << out;

  out = chat.line("/branches 2");
  EXPECT_TRUE(contains(out, "message 2 is branch 2 of 2:\n")) << out;
  EXPECT_TRUE(contains(out, "  1. *aui offline demo")) << out;
  EXPECT_TRUE(contains(out, "   <- shown\n")) << out;
  for (const auto& id : chat.rt.thread().get_branches(chat.rt.thread().messages()[1]->id)) {
    EXPECT_FALSE(contains(out, id)) << "previews, not ids: " << out;
  }

  out = chat.line("/branch 2 prev");
  EXPECT_TRUE(contains(out, "2. assistant [branch 1/2]: ")) << out;
  EXPECT_EQ(chat.rt.thread().messages()[1]->text(), first_reply);

  // There is no branch before the first: a one-line error, and the chat goes on.
  out = chat.line("/branch 2 prev");
  EXPECT_TRUE(contains(out, "error: message 2 has no previous branch (it shows branch 1 of 2)"))
      << out;
  EXPECT_FALSE(contains(out, "BranchNotFound")) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2) << out;  // the error line, the prompt's
  out = chat.line("/branch 2 next");
  EXPECT_TRUE(contains(out, "2. assistant [branch 2/2]: ")) << out;

  // Editing the user message makes a new branch from the top and reruns.
  out = chat.line("/edit 1 goodbye");
  EXPECT_TRUE(contains(out, "assistant> ")) << out;
  ASSERT_EQ(chat.rt.thread().messages().size(), 2u);
  EXPECT_EQ(chat.rt.thread().messages()[0]->text(), "goodbye");
  out = chat.line("/history");
  EXPECT_TRUE(contains(out, "1. user [branch 2/2]: goodbye\n")) << out;

  // Editing an assistant message makes a sibling and runs nothing.
  out = chat.line("/edit 2 my own answer");
  EXPECT_TRUE(contains(out, "edited message 2")) << out;
  EXPECT_FALSE(chat.rt.thread().is_running());
  EXPECT_EQ(chat.rt.thread().messages()[1]->text(), "my own answer");

  out = chat.line("/branch 1 prev");
  EXPECT_TRUE(contains(out, "1. user [branch 1/2]: hello\n")) << out;
}

TEST(ChatApp, ExportsTheWholeTreeAsAssistantUiJson) {
  Chat chat(demo());
  chat.line("hello");
  chat.line("/regen");
  chat.line("/edit 1 again");
  const auto path = std::filesystem::temp_directory_path() /
                    ("aui_chat_export_" + std::to_string(::getpid()) + ".json");
  const auto out = chat.line("/export " + path.string());
  EXPECT_TRUE(contains(out, "exported 5 messages to " + path.string())) << out;
  std::ifstream in(path);
  const auto json = aui::Json::parse(in);
  std::filesystem::remove(path);
  ASSERT_EQ(json["messages"].size(), 5u);
  EXPECT_EQ(json["headId"], chat.rt.thread().messages().back()->id);
  std::string texts;
  for (const auto& item : json["messages"])
    texts += item["message"]["content"][0]["text"].get<std::string>() + "|";
  EXPECT_TRUE(contains(texts, "hello|")) << texts;
  EXPECT_TRUE(contains(texts, "again|")) << texts;
}

TEST(ChatApp, MistakesAreOneLineErrors) {
  Chat chat(demo());
  EXPECT_TRUE(contains(chat.line("/regen"), "error: there is no reply to regenerate yet\n"));
  EXPECT_TRUE(contains(chat.line("/history"), "(no messages yet)"));
  chat.line("hello");
  EXPECT_TRUE(contains(chat.line("/nope"), "error: unknown command /nope (try /help)\n"));
  EXPECT_TRUE(
      contains(chat.line("/edit 9 text"), "error: no message \"9\": give a number from 1 to 2"));
  EXPECT_TRUE(contains(chat.line("/edit 0 text"), "error: no message \"0\""));
  EXPECT_TRUE(contains(chat.line("/branches x"), "error: no message \"x\""));
  EXPECT_TRUE(contains(chat.line("/edit 1"), "error: usage: /edit N text"));
  EXPECT_TRUE(contains(chat.line("/branch 1 sideways"), "error: usage: /branch N prev|next"));
  EXPECT_TRUE(contains(chat.line("/export"), "error: usage: /export [md|json] FILE"));
  EXPECT_TRUE(contains(chat.line("/export /nonexistent-dir/x.json"), "error: cannot write"));
  EXPECT_TRUE(contains(chat.line("/help"), "/branch N prev|next"));
  EXPECT_FALSE(chat.quit);
  EXPECT_EQ(chat.rt.thread().messages().size(), 2u) << "nothing was sent";
}

TEST(ChatApp, LinesTypedDuringAReplyRunAfterIt) {
  TwoStepAdapter two;
  Chat chat(two.adapter());
  chat.app.on_line("first");
  chat.app.on_line("/history");
  chat.app.on_line("second");
  chat.app.on_end_of_input();
  EXPECT_EQ(chat.rt.thread().messages().size(), 2u) << "sent while a reply streamed";
  EXPECT_FALSE(contains(chat.out.str(), "1. user")) << "ran while a reply streamed";
  two.release();  // both replies may pass: the gate stays open
  chat.rt.event_loop()->run_until([&] { return chat.quit; });
  const auto out = chat.out.str();
  const auto history = out.find("1. user: first\n2. assistant: Hello\n");
  const auto second = out.find("assistant> Hello", history);
  const auto bye = out.find("bye", second);
  EXPECT_NE(history, std::string::npos) << out;
  EXPECT_NE(second, std::string::npos) << out;
  EXPECT_NE(bye, std::string::npos) << "end of input quits once the waiting lines ran: " << out;
  EXPECT_EQ(chat.rt.thread().messages().size(), 4u);
  EXPECT_EQ(chat.rt.thread().messages()[2]->text(), "second");
}

TEST(ChatAppArgs, ParsesTheCommandLine) {
  std::ostringstream out, err;
  aui::chat::ChatOptions options;
  const char* ok[] = {"aui-chat", "--demo-delay-ms", "5"};
  EXPECT_EQ(aui::chat::parse_args(3, ok, options, out, err), aui::chat::ParseOutcome::Run);
  EXPECT_EQ(options.demo_delay_ms, 5);

  const char* help[] = {"aui-chat", "--help"};
  EXPECT_EQ(aui::chat::parse_args(2, help, options, out, err), aui::chat::ParseOutcome::Exit);
  EXPECT_TRUE(contains(out.str(), "usage: aui-chat"));

  for (const auto& bad :
       std::vector<std::vector<const char*>>{{"aui-chat", "--demo-delay-ms"},
                                             {"aui-chat", "--demo-delay-ms", "-1"},
                                             {"aui-chat", "--demo-delay-ms", "3x"},
                                             {"aui-chat", "--provider"}}) {
    err.str("");
    EXPECT_EQ(aui::chat::parse_args(static_cast<int>(bad.size()), bad.data(), options, out, err),
              aui::chat::ParseOutcome::Fail)
        << bad.back();
    EXPECT_TRUE(contains(err.str(), "aui-chat: ")) << err.str();
  }
  EXPECT_TRUE(contains(aui::chat::choose_adapter(options).banner,
                       "offline demo adapter (no backend configured)"));
}

// The demo with its toolkit, as aui-chat runs it.
struct ToolChat : Chat {
  ToolChat() : Chat(options()) {
    registration = rt.thread().register_tools(aui::make_demo_toolkit());
  }
  static aui::ThreadRuntimeOptions options() {
    aui::ThreadRuntimeOptions o;
    o.chat_model = demo();
    o.human_tool_names = aui::human_tool_names(aui::make_demo_toolkit());
    return o;
  }
  aui::Subscription registration;
};

TEST(ChatApp, ShowsToolCallsWithTheirResults) {
  ToolChat chat;
  const auto out = chat.line("what is the weather in Oslo and what is 2+3*4?");
  EXPECT_TRUE(contains(out, "[tool] get_weather {\"city\":\"Oslo\"}")) << out;
  EXPECT_TRUE(contains(out, "    = {\"city\":\"Oslo\"")) << out;
  EXPECT_TRUE(contains(out, "[tool] calculate {\"expression\":\"2+3*4\"}")) << out;
  EXPECT_TRUE(contains(out, "2+3*4 = 14.")) << out;
  // One reply, one prompt at its end: the tool loop shows no pause in between.
  EXPECT_EQ(out.find("you> "), out.rfind("you> ")) << out;
  EXPECT_EQ(chat.rt.thread().messages().back()->status.type, aui::StatusType::Complete);
}

TEST(ChatApp, AsksForApprovalAndTakesAllowDenyAndAlways) {
  ToolChat chat;
  auto out = chat.line("deploy to staging");
  EXPECT_TRUE(contains(out, "[tool] deploy")) << out;
  EXPECT_TRUE(contains(out, "needs your approval: /allow, /deny [reason] or /always")) << out;
  EXPECT_EQ(chat.rt.thread().messages().back()->status.type, aui::StatusType::RequiresAction);
  out = chat.line("/deny not on a Friday");
  EXPECT_TRUE(contains(out, "! error: {\"error\":\"not on a Friday\"}")) << out;
  EXPECT_TRUE(contains(out, "did not go ahead with a deployment of web (not on a Friday)")) << out;
  EXPECT_TRUE(contains(chat.line("/allow"), "error: no tool call is waiting for an approval"));

  chat.line("deploy");
  out = chat.line("/always");
  EXPECT_TRUE(contains(out, "allowed deploy for the rest of this chat")) << out;
  EXPECT_TRUE(contains(out, "Deployed web to production")) << out;
  out = chat.line("deploy again");
  EXPECT_FALSE(contains(out, "needs your approval")) << out;
  EXPECT_TRUE(contains(out, "Deployed web to production")) << out;
}

TEST(ChatApp, AMessageTypedWhileAToolCallWaitsIsSentAfterTheAnswer) {
  ToolChat chat;
  chat.line("deploy to staging");
  const auto count = chat.rt.thread().messages().size();
  auto out = chat.line("are you still there?");
  EXPECT_TRUE(contains(out, "sent once you have answered the tool call above")) << out;
  EXPECT_EQ(chat.rt.thread().messages().size(), count) << "nothing was sent past the tool call";
  EXPECT_EQ(chat.rt.thread().messages().back()->status.type, aui::StatusType::RequiresAction);
  out = chat.line("/allow");
  EXPECT_TRUE(contains(out, "Deployed web to staging")) << out;
  const auto& messages = chat.rt.thread().messages();
  ASSERT_GE(messages.size(), count + 2);
  EXPECT_EQ(messages[count]->text(), "are you still there?") << "sent after the answered call";
  EXPECT_EQ(messages.back()->role, aui::Role::Assistant);
  EXPECT_EQ(messages.back()->status.type, aui::StatusType::Complete);
}

TEST(ChatApp, AnswersAHumanTool) {
  ToolChat chat;
  auto out = chat.line("send an email to bob@example.com");
  EXPECT_TRUE(contains(out, "[tool] send_email")) << out;
  EXPECT_TRUE(contains(out, "waits for your answer: /answer TEXT")) << out;
  EXPECT_TRUE(contains(chat.line("/answer"), "usage: /answer TEXT"));
  out = chat.line("/answer sent it myself");
  EXPECT_TRUE(contains(out, "= sent it myself")) << out;
  EXPECT_TRUE(contains(out, "The email to bob@example.com is done (you answered: sent it myself)"))
      << out;
  EXPECT_TRUE(contains(chat.line("/answer again"), "error: no tool call is waiting for an answer"));
}

// The full-screen app's use: the transcript is shown elsewhere, so only commands' output and
// notes are printed; approvals and answers by id send what was held while the call waited.
TEST(ChatApp, ShownElsewherePrintsOnlyCommandOutputAndAnswersByIdSendWhatWasHeld) {
  ToolChat chat;
  chat.app.set_transcript_shown_elsewhere(true);
  auto out = chat.line("deploy to staging");
  EXPECT_EQ(out, "") << "no reply, no prompt";
  const auto waiting = chat.rt.thread().messages().back();
  ASSERT_EQ(waiting->status.type, aui::StatusType::RequiresAction);
  std::string approval_id;
  for (const auto& part : waiting->content) {
    if (const auto* call = part.get_if<aui::ToolCallPart>(); call && call->approval)
      approval_id = call->approval->id;
  }
  ASSERT_FALSE(approval_id.empty());
  out = chat.line("are you still there?");
  EXPECT_EQ(chat.app.held_count(), 1u);
  const auto count = chat.rt.thread().messages().size();
  aui::ToolApprovalResponse response{approval_id, true};
  chat.app.respond_to_approval(response);
  chat.settle();
  EXPECT_EQ(chat.app.held_count(), 0u);
  const auto& messages = chat.rt.thread().messages();
  ASSERT_GE(messages.size(), count + 2);
  EXPECT_EQ(messages[count]->text(), "are you still there?");
  out = chat.line("/history");
  EXPECT_TRUE(contains(out, "1. user: deploy to staging")) << out;
  EXPECT_FALSE(contains(out, "you> ")) << out;

  // A human tool's call answered by its id.
  chat.line("send an email to bob@example.com");
  std::string call_id;
  for (const auto& part : chat.rt.thread().messages().back()->content) {
    if (const auto* call = part.get_if<aui::ToolCallPart>()) call_id = call->tool_call_id;
  }
  EXPECT_THROW(chat.app.answer_call("no-such-call", "x"), std::exception);
  chat.app.answer_call(call_id, "{\"sent\": true}");
  chat.settle();
  EXPECT_TRUE(contains(chat.rt.thread().messages().back()->text(), "is done"))
      << chat.rt.thread().messages().back()->text();
}

// Reopening the last thread once the list has loaded goes before the lines typed (or piped) while
// it loaded: they are meant for the reopened thread (the threads test's --continue run showed
// "(no messages yet)" when its piped lines came first).
TEST(ChatApp, ALineRunBeforeTheWaitingOnesGoesFirst) {
  Chat chat(demo());
  aui::Completion listed;
  chat.app.hold_until(listed);
  chat.app.on_line("/queue");  // waits for the hold
  chat.out.str("");
  listed.then([&](std::exception_ptr) { chat.app.run_before_waiting("/history"); });
  listed.resolve();
  chat.settle();
  const std::string out = chat.out.str();
  const auto history = out.find("(no messages yet)");
  const auto queue = out.find("(nothing queued)");
  ASSERT_NE(history, std::string::npos) << out;
  ASSERT_NE(queue, std::string::npos) << out;
  EXPECT_LT(history, queue) << out;
}

// Editing makes a new branch (the full-screen app's e, then Enter).
TEST(ChatApp, EditMessageMakesANewBranch) {
  Chat chat(demo());
  chat.line("hello there");
  const auto first = chat.rt.thread().messages().front()->id;
  chat.app.edit_message(first, "hello again");
  chat.settle();
  const auto state = chat.rt.thread().message_state(0L);
  ASSERT_TRUE(state);
  EXPECT_EQ(state->branch_count, 2u);
  EXPECT_EQ(chat.rt.thread().messages().front()->text(), "hello again");
}

TEST(ChatApp, AMessageTypedDuringAReplyIsQueuedAndSentAfterIt) {
  TwoStepAdapter two;
  aui::ThreadRuntimeOptions o;
  o.chat_model = two.adapter();
  o.enable_message_queue = true;
  Chat chat(std::move(o));
  chat.app.on_line("hi");
  chat.rt.event_loop()->run_until([&] { return contains(chat.out.str(), "assistant> Hel"); });
  chat.app.on_line("second");
  chat.app.on_line("third");
  EXPECT_TRUE(contains(chat.out.str(), "  [queued 1] second\n")) << chat.out.str();
  EXPECT_TRUE(contains(chat.out.str(), "  [queued 2] third\n")) << chat.out.str();
  chat.out.str("");
  chat.app.on_line("/queue");
  EXPECT_EQ(chat.out.str(), "  [queued 1] second\n  [queued 2] third\n");
  chat.app.on_line("/unqueue 2");
  EXPECT_TRUE(contains(chat.out.str(), "removed queued message 2")) << chat.out.str();
  EXPECT_TRUE(
      contains(chat.app_line_error("/unqueue 5"), "usage: /unqueue N (1 to 1, see /queue)"));
  two.release();
  chat.settle();
  // The queued message went out after the reply, shown as if typed then; "third" never did.
  EXPECT_TRUE(contains(chat.out.str(), "lo\n\nyou> second\n\nassistant> Hello\n\nyou> "))
      << chat.out.str();
  std::vector<std::string> users;
  for (const auto& m : chat.rt.thread().messages()) {
    if (m->role == aui::Role::User) users.push_back(m->text());
  }
  EXPECT_EQ(users, (std::vector<std::string>{"hi", "second"}));
}

// A history adapter whose writes fail while `failing` is set, as a damaged file or a full disk
// makes them fail; it records what was written.
struct FlakyHistory : aui::ThreadHistoryAdapter {
  std::mutex mutex;
  bool failing = true;
  std::vector<std::string> written;  // message ids, in write order

  aui::ThreadHistoryLoadResult load() override { return {}; }
  void append(const aui::ExportedMessageRepositoryItem& item) override { write(item); }
  bool has_update() const override { return true; }
  void update(const aui::ExportedMessageRepositoryItem& item) override { write(item); }
  void write(const aui::ExportedMessageRepositoryItem& item) {
    std::lock_guard lock(mutex);
    if (failing) {
      throw aui::Error(aui::ErrorKind::Storage,
                       "sqlite store /home/me/aui.db: cannot write a message: the disk is full");
    }
    written.push_back(item.message->id);
  }
  bool was_written(const std::string& id) {
    std::lock_guard lock(mutex);
    return std::find(written.begin(), written.end(), id) != written.end();
  }
};

TEST(ChatAppSaving, AFailedSaveIsSaidInTheChatAndRetriedWithTheNextMessage) {
  auto flaky = std::make_shared<FlakyHistory>();
  auto status = std::make_shared<aui::chat::SaveStatus>();
  aui::ThreadRuntimeOptions options;
  options.chat_model = demo();
  options.adapters.history = status->watch(flaky, "main");
  options.on_error = [](const std::string&) {};  // the runtime's own report (stderr in the app)
  Chat chat(std::move(options));
  status->set_post(
      [loop = chat.rt.event_loop()](std::function<void()> task) { loop->post(std::move(task)); });
  status->set_listener(
      [&](aui::chat::SaveStatus::Event event, const std::string&, const std::string& detail) {
        chat.app.notice(aui::chat::SaveStatus::describe(event, detail));
      });
  auto flushed = [&] {
    auto done = chat.rt.thread().history_flushed();
    chat.rt.event_loop()->run_until(done);
    chat.rt.event_loop()->run_pending();
  };

  chat.app.on_line("first message");
  chat.settle();
  flushed();
  const std::string out = chat.out.str();
  EXPECT_TRUE(contains(out,
                       "(not saved: sqlite store /home/me/aui.db: cannot write a message: the "
                       "disk is full. This conversation is kept in memory only"))
      << out;
  EXPECT_EQ(out.find("(not saved"), out.rfind("(not saved"))
      << "said once, though the message and its reply both failed: " << out;
  EXPECT_TRUE(contains(out, "assistant> ")) << "the reply is shown all the same";
  EXPECT_TRUE(status->unsaved("main"));
  ASSERT_EQ(chat.rt.thread().messages().size(), 2u);
  const std::string first = chat.rt.thread().messages()[0]->id;
  const std::string reply = chat.rt.thread().messages()[1]->id;

  // Room again: the next message saves what was missed, first, and the chat says so.
  {
    std::lock_guard lock(flaky->mutex);
    flaky->failing = false;
  }
  chat.out.str("");
  chat.app.on_line("second message");
  chat.settle();
  flushed();
  EXPECT_TRUE(contains(chat.out.str(), "(saved again")) << chat.out.str();
  EXPECT_FALSE(status->unsaved("main"));
  EXPECT_TRUE(flaky->was_written(first));
  EXPECT_TRUE(flaky->was_written(reply));
  EXPECT_EQ(flaky->written.size(), 4u) << "every message of the thread is saved, each once";
}

TEST(ChatAppSaving, ANoticeDuringAReplyWaitsForItsEnd) {
  TwoStepAdapter two;
  Chat chat(two.adapter());
  chat.app.on_line("hi");
  chat.rt.event_loop()->run_until([&] { return contains(chat.out.str(), "assistant> Hel"); });
  chat.app.notice("(not saved: the disk is full)");
  EXPECT_FALSE(contains(chat.out.str(), "not saved")) << "not in the middle of the reply";
  two.release();
  chat.settle();
  EXPECT_TRUE(contains(chat.out.str(), "assistant> Hello\n(not saved: the disk is full)\n\nyou> "))
      << chat.out.str();
  chat.out.str("");
  chat.app.notice("(saved again)");
  EXPECT_EQ(chat.out.str(), "\n(saved again)\n\nyou> ");
}

// What the adapter was given on each run: the session settings travel in the model context.
struct ContextRecorder {
  std::vector<aui::ModelContext> seen;
  aui::ChatModelAdapter adapter() {
    return [this](const aui::ChatModelRunOptions& o, aui::RunResultSink& sink) {
      seen.push_back(o.context);
      sink.yield(aui::ChatModelRunResult::text(aui::Text("ok")));
    };
  }
};

TEST(ChatAppSession, SystemAndModelCommandsReachEveryRunAndModelListsTheServers) {
  ContextRecorder recorder;
  Chat chat(recorder.adapter());
  aui::chat::SessionSettings session;
  session.temperature = 0.25;
  auto provider =
      chat.rt.thread().register_model_context_provider([&session] { return session.context(); });
  int listed = 0;
  aui::chat::SessionCommands commands(
      session, chat.out, "base-model",
      [&listed] {
        ++listed;
        return std::vector<std::string>{"base-model", "big-model", "evil\x1b]0;title\x07"};
      },
      [&chat](std::function<void()> task) { chat.rt.event_loop()->post(std::move(task)); });
  chat.app.set_session(&commands);

  EXPECT_TRUE(contains(chat.line("/system"), "There is no system prompt"));
  EXPECT_TRUE(contains(chat.line("/system Answer in one word."), "system prompt is set"));
  chat.line("hello");
  ASSERT_EQ(recorder.seen.size(), 1u);
  EXPECT_EQ(recorder.seen[0].system, "Answer in one word.");
  EXPECT_FALSE(recorder.seen[0].config.model_name.has_value()) << "the backend's own model";
  EXPECT_EQ(recorder.seen[0].call_settings.temperature, 0.25);

  EXPECT_TRUE(contains(chat.line("/model big-model"), "The model is big-model"));
  chat.line("/system off");
  chat.line("again");
  ASSERT_EQ(recorder.seen.size(), 2u);
  EXPECT_EQ(recorder.seen[1].config.model_name, "big-model");
  EXPECT_EQ(recorder.seen[1].system, "");

  chat.out.str("");
  chat.app.on_line("/model");
  chat.rt.event_loop()->run_until([&] { return contains(chat.out.str(), "/model NAME switches"); });
  const std::string listing = chat.out.str();
  EXPECT_EQ(listed, 1);
  EXPECT_TRUE(contains(listing, "The model is big-model.")) << listing;
  EXPECT_TRUE(contains(listing, "  * big-model\n")) << listing;
  EXPECT_TRUE(contains(listing, "    base-model\n")) << listing;
  EXPECT_FALSE(contains(listing, "\x1b")) << "a server's model names are untrusted";

  EXPECT_TRUE(contains(chat.line("/model two words"), "error: a model name has no spaces"));
  EXPECT_TRUE(contains(chat.line("/help"), "/model NAME"));
}

}  // namespace

namespace {

TEST(UserErrors, KindsAndAcceptListsStayOutOfTheSentence) {
  using aui::chat::user_error_text;
  EXPECT_EQ(user_error_text(aui::Error(aui::ErrorKind::NotSpeaking, "nothing is being spoken")),
            "nothing is being spoken");
  EXPECT_EQ(user_error_text(aui::Error(aui::ErrorKind::NotAccepted,
                                       "\"x.bin\" is not accepted (accept: text/*,.md,image/*)")),
            "\"x.bin\" cannot be attached: this chat takes text files, source code, and PNG, "
            "JPEG, GIF or WebP images");
  EXPECT_EQ(user_error_text(std::runtime_error("plain words")), "plain words");
}

}  // namespace

namespace {

TEST(Paths, TildeMeansHomeAndWriteErrorsSayWhy) {
  const char* home = std::getenv("HOME");
  ASSERT_NE(home, nullptr);
  EXPECT_EQ(aui::chat::expand_user_path("~/notes.md"), std::string(home) + "/notes.md");
  EXPECT_EQ(aui::chat::expand_user_path("~"), std::string(home));
  EXPECT_EQ(aui::chat::expand_user_path("~bob/x"), "~bob/x");
  EXPECT_EQ(aui::chat::expand_user_path("a/~/b"), "a/~/b");
  try {
    aui::chat::write_text_file("/nonexistent-dir-aui/x.json", "{}");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot write /nonexistent-dir-aui/x.json: No such file or directory");
  }
}

TEST(ChatApp, ExportSaysWhyItCannotWrite) {
  Chat chat(demo());
  chat.line("hello");
  const auto out = chat.line("/export md /nonexistent-dir-aui/t.md");
  EXPECT_TRUE(contains(out,
                       "error: cannot write /nonexistent-dir-aui/t.md: No such file or "
                       "directory"))
      << out;
}

}  // namespace

namespace {

TEST(ChatApp, ArrowKeysInATypedLineAreLeftOutAndSaidSo) {
  Chat chat(demo());
  const auto out = chat.line("hel\x1b[Dlo\x1bOA there\x1b]2;title\x07!");
  EXPECT_TRUE(contains(out, "special keys do not edit a line here")) << out;
  EXPECT_EQ(chat.rt.thread().messages()[0]->text(), "hello there!");
}

TEST(ChatApp, ALineCutByTheTerminalIsSaidSo) {
  Chat chat(demo());
  const auto out = chat.line(std::string(4095, 'x'));
  EXPECT_TRUE(contains(out, "at most 4,095 characters")) << out;
  EXPECT_FALSE(contains(chat.line("short"), "4,095"));
}

}  // namespace
