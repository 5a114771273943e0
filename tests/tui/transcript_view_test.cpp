// TranscriptView and its layout: rendered into fixed screens and compared as text.

#include "aui/tui/transcript_view.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "aui/runtime/thread_runtime.hpp"
#include "aui/testing/driver.hpp"
#include "aui/tui/height_index.hpp"
#include "aui/tui/screen.hpp"

namespace aui::tui {
namespace {

using aui::testing::Driver;
using aui::testing::Gate;

MessagePtr make(const std::string& id, Role role, std::vector<ContentPart> parts,
                MessageStatus status = MessageStatus::complete(StatusReason::Stop)) {
  auto m = std::make_shared<ThreadMessage>();
  m->id = id;
  m->role = role;
  for (auto& p : parts) m->content.push_back(std::move(p));
  m->status = role == Role::Assistant ? status : MessageStatus::complete();
  return m;
}

MessagePtr text(const std::string& id, Role role, const std::string& t,
                MessageStatus status = MessageStatus::complete(StatusReason::Stop)) {
  return make(id, role, {TextPart{Text(t)}}, status);
}

// A thread runtime on a test driver whose messages the tests import.
struct Fixture {
  Driver driver;
  std::unique_ptr<ThreadRuntime> thread;
  std::vector<ViewAction> actions;
  std::chrono::steady_clock::time_point clock_now{};
  TranscriptView view;

  explicit Fixture(ChatModelAdapter model = {})
      : view(TranscriptViewOptions{[this] { return clock_now; },
                                   [this](const ViewAction& a) { actions.push_back(a); },
                                   {}}) {
    ThreadRuntimeOptions o;
    o.dispatcher = driver.dispatcher();
    o.executor = driver.executor();
    o.clock = driver.clock();
    o.chat_model = model ? std::move(model)
                         : ChatModelAdapter([](const ChatModelRunOptions&, RunResultSink& sink) {
                             sink.yield(ChatModelRunResult::text(Text("ok")));
                           });
    thread = std::make_unique<ThreadRuntime>(std::move(o));
    view.set_thread(thread.get());
  }

  // Imports a linear chain of messages (each the child of the one before).
  void chain(const std::vector<MessagePtr>& messages) {
    ExportedMessageRepository repo;
    std::optional<Id> parent;
    for (const auto& m : messages) {
      repo.messages.push_back({m, parent, std::nullopt});
      parent = m->id;
    }
    repo.head_id = parent;
    thread->import_repository(repo);
    driver.settle();
  }

  std::string render(int width, int height) {
    Screen screen(width, height);
    Canvas c = screen.canvas();
    view.draw(c);
    return screen.text();
  }
};

std::vector<std::string> rows(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto nl = text.find('\n', start);
    out.push_back(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

// ---- HeightIndex -----------------------------------------------------------------------------

TEST(HeightIndex, PrefixSumsAndLookupsMatchANaiveSumUnderEdits) {
  std::mt19937 rng(17);
  HeightIndex index;
  std::vector<std::int64_t> naive;
  for (int round = 0; round < 400; ++round) {
    const int op = static_cast<int>(rng() % 4);
    if (op == 0 || naive.empty()) {
      const std::int64_t h = rng() % 6;  // zero heights too
      naive.push_back(h);
      index.push_back(h);
    } else if (op == 1) {
      const std::size_t i = rng() % naive.size();
      naive[i] = rng() % 9;
      index.set(i, naive[i]);
    } else if (op == 2) {
      const std::size_t n = rng() % (naive.size() + 1);
      naive.resize(n);
      index.truncate(n);
    } else {
      index.assign(naive);
    }
    ASSERT_EQ(index.size(), naive.size());
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < naive.size(); ++i) {
      ASSERT_EQ(index.row_of(i), sum) << "round " << round << " item " << i;
      for (std::int64_t r = sum; r < sum + naive[i]; ++r) ASSERT_EQ(index.item_at(r), i);
      sum += naive[i];
    }
    ASSERT_EQ(index.total(), sum);
  }
}

// ---- layout and rendering -------------------------------------------------------------------

TEST(TranscriptView, RolesAndWrappingWithWideCharactersAt40x12) {
  Fixture f;
  f.chain({text("u1", Role::User, "你好世界，这是一个很长的中文句子用来测试换行"),
           text("a1", Role::Assistant,
                "The quick brown fox jumps over the lazy dog and keeps running far away.")});
  const auto r = rows(f.render(40, 12));
  const std::vector<std::string> expected = {
      "  You",
      "  你好世界，这是一个很长的中文句子用来测",  // 38 columns: 19 wide characters
      "  试换行",
      "",
      "  Assistant",
      "  The quick brown fox jumps over the",
      "  lazy dog and keeps running far away.",
      "",
      "",
      "",
      "",
      ""};
  // The transcript is shorter than the screen: it starts at the top.
  EXPECT_EQ(r, expected);
}

TEST(TranscriptView, StatusesOfAssistantMessages) {
  Fixture f;
  Json err = {{"code", "http"}, {"message", "The server closed the connection."}};
  f.chain(
      {text("u1", Role::User, "hi"),
       text("a1", Role::Assistant, "half", MessageStatus::incomplete(StatusReason::Cancelled)),
       text("u2", Role::User, "again"),
       text("a2", Role::Assistant, "", MessageStatus::incomplete(StatusReason::Error, err)),
       text("u3", Role::User, "more"),
       text("a3", Role::Assistant, "long", MessageStatus::incomplete(StatusReason::Length)),
       text("u4", Role::User, "filter"),
       text("a4", Role::Assistant, "x", MessageStatus::incomplete(StatusReason::ContentFilter))});
  const auto r = rows(f.render(80, 40));
  EXPECT_EQ(r[3], "  Assistant · cancelled");
  EXPECT_EQ(r[9], "  Assistant · error");
  EXPECT_EQ(r[10], "  ⚠ The server closed the connection.");
  EXPECT_EQ(r[15], "  Assistant · cut off at the length limit");
  EXPECT_EQ(r[21], "  Assistant · stopped by the content filter");
}

TEST(TranscriptView, ARunningReplyShowsASpinnerAndTheSecondsSinceSomethingArrived) {
  Gate gate;
  Fixture* self = nullptr;
  Fixture f([&](const ChatModelRunOptions&, RunResultSink& sink) {
    gate.wait(self->driver);
    sink.yield(ChatModelRunResult::text(Text("first words")));
  });
  self = &f;
  f.thread->append("hello");
  f.driver.settle();
  auto r = rows(f.render(80, 24));
  EXPECT_EQ(r[3], "  Assistant · ⠋");
  f.clock_now += std::chrono::milliseconds(3250);
  r = rows(f.render(80, 24));
  EXPECT_EQ(r[3], "  Assistant · ⠹ 3s");  // frame 3250 / 100 % 10 = 2
  gate.release();
  f.driver.settle();
  r = rows(f.render(80, 24));
  EXPECT_EQ(r[3], "  Assistant");
  EXPECT_EQ(r[4], "  first words");
}

ToolCallPart weather_call(bool resolved, bool pending_approval) {
  ToolCallPart call;
  call.tool_call_id = "call_1";
  call.tool_name = "get_weather";
  call.args = Json{{"city", "Paris"}, {"days", 2}};
  call.args_text = Text(call.args.dump());
  if (resolved) {
    call.result = Json{{"forecast", {"sun", "rain", "cloud", "snow", "wind", "fog"}}};
  }
  if (pending_approval) {
    Approval a;
    a.id = "appr_1";
    call.approval = Boxed<Approval>(a);
  }
  return call;
}

TEST(TranscriptView, AToolCardShowsNameArgumentsStatusAndACollapsedResult) {
  Fixture f;
  f.chain({text("u1", Role::User, "weather?"),
           make("a1", Role::Assistant, {weather_call(true, false), TextPart{Text("Sunny.")}})});
  const std::string screen = f.render(40, 24);
  const std::string expected =
      "  You\n"
      "  weather?\n"
      "\n"
      "  Assistant\n"
      "  ╭─ get_weather · done\n"
      "  │ {\n"
      "  │   \"city\": \"Paris\",\n"
      "  │   \"days\": 2\n"
      "  │ }\n"
      "  │ result:\n"
      "  │ {\n"
      "  │   \"forecast\": [\n"
      "  │     \"sun\",\n"
      "  │     \"rain\",\n"
      "  │ … 6 more lines (o shows)\n"
      "  ╰─\n"
      "  Sunny.\n";
  EXPECT_EQ(screen.substr(0, expected.size()), expected);
  // o on the focused message opens the result.
  f.view.handle_key(KeyEvent{Key::Up});
  EXPECT_TRUE(f.view.handle_text("o"));
  EXPECT_NE(f.render(40, 30).find("\"fog\""), std::string::npos);
}

TEST(TranscriptView, AnApprovalCardShowsTheChoicesAndReportsThePickedOne) {
  Fixture f;
  f.chain(
      {text("u1", Role::User, "weather?"),
       make("a1", Role::Assistant, {weather_call(false, true)}, MessageStatus::requires_action())});
  const auto r = rows(f.render(80, 24));
  EXPECT_EQ(r[3], "  Assistant · waiting for you");
  EXPECT_EQ(r[4], "  ╭─ get_weather · waiting for approval");
  EXPECT_EQ(r[9], "  │ [a] Allow once  [A] Always allow  [d] Deny");
  f.view.handle_key(KeyEvent{Key::Up});
  EXPECT_TRUE(f.view.handle_text("a"));
  EXPECT_TRUE(f.view.handle_text("d"));
  ASSERT_EQ(f.actions.size(), 2u);
  EXPECT_EQ(f.actions[0], (ViewAction{ViewActionKind::ApproveOnce, "a1", "call_1", "appr_1", ""}));
  EXPECT_EQ(f.actions[1].kind, ViewActionKind::Deny);
  // A click on "[A] Always allow".
  f.render(80, 24);
  const int x = static_cast<int>(r[9].find("[A]"));  // bytes = columns: "│" is 3 bytes, 1 col
  EXPECT_TRUE(f.view.handle_mouse(MouseEvent{MouseAction::Press, MouseButton::Left, x - 2, 9}));
  ASSERT_EQ(f.actions.size(), 3u);
  EXPECT_EQ(f.actions[2].kind, ViewActionKind::ApproveAlways);
  EXPECT_EQ(f.actions[2].approval_id, "appr_1");
}

TEST(TranscriptView, TheBranchPickerShowsAndReportsPreviousAndNext) {
  Fixture f;
  ExportedMessageRepository repo;
  auto u = text("u1", Role::User, "pick");
  repo.messages.push_back({u, std::nullopt, std::nullopt});
  repo.messages.push_back({text("a1", Role::Assistant, "one"), Id("u1"), std::nullopt});
  repo.messages.push_back({text("a2", Role::Assistant, "two"), Id("u1"), std::nullopt});
  repo.messages.push_back({text("a3", Role::Assistant, "three"), Id("u1"), std::nullopt});
  repo.head_id = "a2";
  f.thread->import_repository(repo);
  const auto r = rows(f.render(40, 12));
  EXPECT_EQ(r[3], "  Assistant                      ‹ 2/3 ›");
  EXPECT_EQ(r[4], "  two");
  f.view.handle_key(KeyEvent{Key::Up});
  EXPECT_TRUE(f.view.handle_key(KeyEvent{Key::Left}));
  EXPECT_TRUE(f.view.handle_text("]"));
  // The arrow at the right edge, clicked.
  f.render(40, 12);
  EXPECT_TRUE(f.view.handle_mouse(MouseEvent{MouseAction::Press, MouseButton::Left, 39, 3}));
  ASSERT_EQ(f.actions.size(), 3u);
  EXPECT_EQ(f.actions[0], (ViewAction{ViewActionKind::PreviousBranch, "a2", "", "", ""}));
  EXPECT_EQ(f.actions[1].kind, ViewActionKind::NextBranch);
  EXPECT_EQ(f.actions[2].kind, ViewActionKind::NextBranch);
}

TEST(TranscriptView, FocusedMessageActionsAreReportedNotPerformed) {
  Fixture f;
  f.chain({text("u1", Role::User, "q"), text("a1", Role::Assistant, "a")});
  f.render(80, 24);
  EXPECT_FALSE(f.view.handle_text("c"));  // nothing focused: the editor gets the key
  f.view.handle_key(KeyEvent{Key::Up});
  for (const char* k : {"c", "r", "+", "-", "s"}) EXPECT_TRUE(f.view.handle_text(k)) << k;
  f.view.handle_key(KeyEvent{Key::Up});  // the user message
  EXPECT_TRUE(f.view.handle_text("e"));
  EXPECT_FALSE(f.view.handle_text("r"));  // not an assistant message
  EXPECT_TRUE(f.view.handle_text("x"));
  std::vector<ViewActionKind> kinds;
  for (const auto& a : f.actions) kinds.push_back(a.kind);
  EXPECT_EQ(kinds, (std::vector<ViewActionKind>{
                       ViewActionKind::Copy, ViewActionKind::Regenerate,
                       ViewActionKind::FeedbackPositive, ViewActionKind::FeedbackNegative,
                       ViewActionKind::Speak, ViewActionKind::Edit, ViewActionKind::Delete}));
  EXPECT_EQ(f.actions.back().message_id, "u1");
  EXPECT_EQ(f.thread->messages().size(), 2u);  // nothing happened to the thread
}

TEST(TranscriptView, ReasoningIsCollapsedUntilToggled) {
  Fixture f;
  f.chain({text("u1", Role::User, "why"),
           make("a1", Role::Assistant,
                {ReasoningPart{Text("step one\nstep two")}, TextPart{Text("because")}})});
  auto r = rows(f.render(80, 24));
  EXPECT_EQ(r[4], "  ▸ Reasoning (2 lines, t shows)");
  EXPECT_EQ(r[5], "  because");
  f.view.handle_key(KeyEvent{Key::Up});
  f.view.handle_text("t");
  r = rows(f.render(80, 24));
  EXPECT_EQ(r[4], "▎ ▾ Reasoning (t hides)");
  EXPECT_EQ(r[5], "▎   step one");
  EXPECT_EQ(r[7], "▎ because");
}

TEST(TranscriptView, AttachmentsAndSourcesAreListed) {
  Fixture f;
  auto u = std::make_shared<ThreadMessage>();
  u->id = "u1";
  u->role = Role::User;
  u->content.push_back(TextPart{Text("see file")});
  Attachment a;
  a.id = "att";
  a.name = "report.pdf";
  a.content_type = "application/pdf";
  a.content.push_back(FilePart{"data", "application/pdf", "report.pdf"});
  u->attachments.push_back(a);
  SourcePart s;
  s.id = "s1";
  s.url = "https://example.com/a";
  s.title = "Example";
  f.chain({u, make("a1", Role::Assistant, {TextPart{Text("done")}, s})});
  const auto r = rows(f.render(80, 24));
  EXPECT_EQ(r[2], "  [attached] report.pdf (application/pdf)");
  EXPECT_EQ(r[6], "  ↗ Example — https://example.com/a");
}

// ---- scrolling ------------------------------------------------------------------------------

std::vector<MessagePtr> many(int n, const std::string& prefix = "m") {
  std::vector<MessagePtr> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(text(prefix + std::to_string(i), i % 2 ? Role::Assistant : Role::User,
                       "message number " + std::to_string(i)));
  }
  return out;
}

TEST(TranscriptView, ScrollingUpKeepsTheViewWhenContentGrowsAndShowsANewBelowMarker) {
  Fixture f;
  auto list = many(40);
  f.chain(list);
  auto r = rows(f.render(40, 12));
  EXPECT_EQ(r[10], "  message number 39");  // at the bottom
  EXPECT_TRUE(f.view.at_bottom());
  f.view.handle_key(KeyEvent{Key::PageUp});
  EXPECT_FALSE(f.view.at_bottom());
  const std::string before = f.render(40, 12);
  list.push_back(text("new", Role::User, "a new message"));
  f.chain(list);  // (an import gives every message anew: the view is anchored all the same)
  const std::string after = f.render(40, 12);
  EXPECT_TRUE(f.view.new_below());
  r = rows(after);
  EXPECT_EQ(r[11], "  You                      new below ↓");
  EXPECT_EQ(rows(before)[0], r[0]);  // the view did not move
  f.view.handle_key(KeyEvent{Key::End});
  r = rows(f.render(40, 12));
  EXPECT_EQ(r[10], "  a new message");
  EXPECT_FALSE(f.view.new_below());
  f.view.handle_key(KeyEvent{Key::Home});
  EXPECT_EQ(rows(f.render(40, 12))[1], "  message number 0");
  // The wheel: three rows a notch.
  f.view.handle_mouse(MouseEvent{MouseAction::Press, MouseButton::WheelDown, 5, 5});
  EXPECT_EQ(f.view.top_row(), 3);
  f.view.handle_key(KeyEvent{Key::PageDown});
  EXPECT_EQ(f.view.top_row(), 14);
}

TEST(TranscriptView, OnlyTheMessagesOnScreenAreLaidOut) {
  Fixture f;
  f.chain(many(10000));
  f.render(80, 24);
  EXPECT_LE(f.view.laid_out_count(), 10u);
  EXPECT_EQ(rows(f.render(80, 24))[22], "  message number 9999");
  f.view.handle_key(KeyEvent{Key::Home});
  EXPECT_EQ(rows(f.render(80, 24))[1], "  message number 0");
  EXPECT_LE(f.view.laid_out_count(), 20u);
}

// Scrolling through a whole long thread keeps a bounded number of layouts (the view's memory stays
// a small part of the runtime's), and a page scrolled back to shows the same text again.
TEST(TranscriptView, ScrollingThroughALongThreadKeepsFewLayouts) {
  Fixture f;
  f.chain(many(3000));
  f.render(80, 24);
  f.view.handle_key(KeyEvent{Key::Home});
  const std::string top = f.render(80, 24);
  for (int page = 0; page < 3000 && !f.view.at_bottom(); ++page) {
    f.view.handle_key(KeyEvent{Key::PageDown});
    f.render(80, 24);
  }
  EXPECT_TRUE(f.view.at_bottom());
  EXPECT_LE(f.view.laid_out_count(), 200u);
  EXPECT_EQ(rows(f.render(80, 24))[22], "  message number 2999");
  f.view.handle_key(KeyEvent{Key::Home});
  EXPECT_EQ(f.render(80, 24), top);
}

// ---- streaming ------------------------------------------------------------------------------

TEST(TranscriptView, AReplyStreamedIn200SlicesIsNeverTorn) {
  std::string reply;
  for (int i = 0; reply.size() < 2400; ++i) {
    reply += (i % 7 == 6) ? "\n" : "";
    reply += "word" + std::to_string(i) + " 漢字 ";
  }
  std::deque<Gate> gates(200);
  Fixture* self = nullptr;
  Fixture f([&](const ChatModelRunOptions&, RunResultSink& sink) {
    for (std::size_t k = 0; k < gates.size(); ++k) {
      gates[k].wait(self->driver);
      std::size_t cut = reply.size() * (k + 1) / gates.size();
      while (cut < reply.size() && (static_cast<unsigned char>(reply[cut]) & 0xC0) == 0x80) ++cut;
      sink.yield(ChatModelRunResult::text(Text(reply.substr(0, cut))));
    }
  });
  self = &f;
  f.chain(many(30));
  f.thread->append("go");
  f.driver.settle();
  std::size_t k = 0;
  for (; k < gates.size(); ++k) {
    gates[k].release();
    f.driver.settle();
    const std::string frame = f.render(80, 24);
    // The same state drawn by a fresh view: what the cached, incremental one shows is whole.
    TranscriptView fresh(TranscriptViewOptions{[&] { return f.clock_now; }, {}, {}});
    fresh.set_thread(f.thread.get());
    Screen s(80, 24);
    Canvas c = s.canvas();
    fresh.draw(c);
    EXPECT_EQ(frame, s.text()) << "slice " << k;
    // The reply so far is a prefix of the reply, and its end is what the last rows show
    // (spaces and line ends aside, as wrapping moves them).
    const std::string so_far = f.thread->messages().back()->text();
    EXPECT_EQ(so_far, reply.substr(0, so_far.size()));
    std::string shown, expected;
    for (char ch : frame) {
      if (ch != ' ' && ch != '\n') shown += ch;
    }
    for (char ch : so_far) {
      if (ch != ' ' && ch != '\n') expected += ch;
    }
    const std::size_t n = std::min<std::size_t>(expected.size(), 300);
    EXPECT_EQ(shown.substr(shown.size() - std::min(shown.size(), n)),
              expected.substr(expected.size() - n))
        << "slice " << k;
    if (::testing::Test::HasFailure()) break;
  }
  for (; k < gates.size(); ++k) gates[k].release();  // a failed test still lets the worker end
  f.driver.settle();
  EXPECT_EQ(f.thread->messages().back()->text(), reply);
}

// ---- hostile content ------------------------------------------------------------------------

TEST(TranscriptView, HostileContentIsShownAsVisibleReplacements) {
  Fixture f;
  ToolCallPart call;
  call.tool_call_id = "c";
  call.tool_name = "evil\x1b]0;pwned\x07";
  call.args = Json{{"cmd",
                    "\x1b[2J\xe2\x80\xae"
                    "evil"}};
  call.result = Json("\x1b]52;c;aGk=\x07ok");
  f.chain({text("u1", Role::User,
                "x\x1b[31mred\x1b[0m \xe2\x80\xae"
                "desrever"),
           make("a1", Role::Assistant,
                {call, TextPart{Text("bell\x07 csi\xc2\x9b"
                                     "2J")}})});
  const std::string screen = f.render(80, 24);
  EXPECT_EQ(screen.find('\x1b'), std::string::npos);
  EXPECT_EQ(screen.find('\x07'), std::string::npos);
  EXPECT_EQ(screen.find("\xe2\x80\xae"), std::string::npos);
  EXPECT_NE(screen.find("x␛[31mred␛[0m ⟨U+202E⟩desrever"), std::string::npos) << screen;
  EXPECT_NE(screen.find("evil␛]0;pwned␇"), std::string::npos) << screen;
  EXPECT_NE(screen.find("␛]52;c;aGk=␇ok"), std::string::npos) << screen;
  EXPECT_NE(screen.find("bell␇ csi⟨U+009B⟩2J"), std::string::npos) << screen;
}

}  // namespace
}  // namespace aui::tui
