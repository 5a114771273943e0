// MarkdownTextLayout (the transcript's Markdown hook), the tool label hook and
// first_waiting_call: laid out and compared as text.

#include "aui/tui/markdown_transcript.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "aui/runtime/thread_runtime.hpp"
#include "aui/testing/driver.hpp"
#include "aui/tui/markdown_layout.hpp"
#include "aui/tui/screen.hpp"
#include "aui/tui/transcript_layout.hpp"
#include "aui/tui/transcript_view.hpp"

namespace aui::tui {
namespace {

MessagePtr message(Role role, const std::string& text, MessageStatus status) {
  auto m = std::make_shared<ThreadMessage>();
  m->id = "m1";
  m->role = role;
  m->content.push_back(TextPart{Text(text)});
  m->status = status;
  return m;
}

std::vector<std::string> texts(const MessageLayout& layout) {
  std::vector<std::string> out;
  for (const auto& l : layout.lines) out.push_back(l.text());
  return out;
}

std::vector<std::string> texts(const std::vector<StyledLine>& lines) {
  std::vector<std::string> out;
  for (const auto& l : lines) out.push_back(l.text());
  return out;
}

LayoutOptions with(MarkdownTextLayout& md) {
  LayoutOptions o;
  o.text_layout = md.hook();
  return o;
}

TEST(MarkdownTextLayout, AnAssistantsTextIsRenderedMarkdown) {
  MarkdownTextLayout md;
  const auto m = message(Role::Assistant, "# Title\n\nSome **bold** text.\n\n- one\n- two\n",
                         MessageStatus::complete(StatusReason::Stop));
  const auto layout = layout_message(*m, 40, 0, with(md));
  const std::vector<std::string> expected = {"Title", "", "Some bold text.", "", "• one", "• two"};
  EXPECT_EQ(texts(layout), expected);
  // The bold run keeps its style.
  bool bold = false;
  for (const auto& span : layout.lines[2].spans)
    if (span.text == "bold") bold = has(span.style.attrs, Attr::Bold);
  EXPECT_TRUE(bold);
  EXPECT_EQ(md.stream_count(), 0u);
}

TEST(MarkdownTextLayout, AUsersTextStaysAsTyped) {
  MarkdownTextLayout md;
  const auto m = message(Role::User, "# not a heading **here**", MessageStatus::complete());
  EXPECT_EQ(texts(layout_message(*m, 40, 0, with(md))),
            std::vector<std::string>{"# not a heading **here**"});
}

TEST(MarkdownTextLayout, AStreamedReplyMatchesAFullRenderAtEverySliceAndParsesOnlyItsEnd) {
  std::string reply;
  for (int i = 0; i < 40; ++i) {
    reply += "## Part " + std::to_string(i) + "\n\nA paragraph with `code` and *emphasis* " +
             std::to_string(i) + ".\n\n```cpp\nint x = " + std::to_string(i) + ";\n```\n\n";
  }
  MarkdownTextLayout md;
  MarkdownRenderer reference;
  std::size_t max_parsed_late = 0;
  for (std::size_t end = 37; end < reply.size(); end += 37) {
    const auto m = message(Role::Assistant, reply.substr(0, end), MessageStatus::running());
    const auto layout = layout_message(*m, 60, 0, with(md));
    ASSERT_EQ(texts(layout), texts(reference.render(reply.substr(0, end), 60))) << end;
    if (end > reply.size() / 2) max_parsed_late = std::max(max_parsed_late, md.last_parsed_bytes());
  }
  EXPECT_EQ(md.stream_count(), 1u);
  // Late in the reply an update parses about its last block, not the kilobytes before it.
  EXPECT_LT(max_parsed_late, 400u);
  // The final, complete message ends the stream and shows the same lines as a full render.
  const auto done = message(Role::Assistant, reply, MessageStatus::complete(StatusReason::Stop));
  EXPECT_EQ(texts(layout_message(*done, 60, 0, with(md))), texts(reference.render(reply, 60)));
  EXPECT_EQ(md.stream_count(), 0u);
}

TEST(MarkdownTextLayout, HostileTextIsShownAsVisibleReplacements) {
  MarkdownTextLayout md;
  const auto m = message(Role::Assistant, "hi \x1b]52;c;aGk=\x07 \x1b[2J \u202e end",
                         MessageStatus::complete(StatusReason::Stop));
  const auto lines = texts(layout_message(*m, 80, 0, with(md)));
  ASSERT_FALSE(lines.empty());
  for (const auto& l : lines) {
    EXPECT_EQ(l.find('\x1b'), std::string::npos) << l;
    EXPECT_EQ(l.find("\u202e"), std::string::npos) << l;
  }
  EXPECT_NE(lines[0].find("␛"), std::string::npos);
}

TEST(ToolLabel, TheCardShowsTheLabelOfTheToolsName) {
  auto m = std::make_shared<ThreadMessage>();
  m->id = "a1";
  m->role = Role::Assistant;
  ToolCallPart call;
  call.tool_call_id = "c1";
  call.tool_name = "search";
  call.args = Json{{"q", "x"}};
  m->content.push_back(call);
  m->status = MessageStatus::running();
  LayoutOptions o;
  o.tool_label = [](const std::string& name) { return name + " (MCP server docs)"; };
  EXPECT_EQ(layout_message(*m, 60, 0, o).lines[0].text(), "╭─ search (MCP server docs) · running");
}

TEST(FirstWaitingCall, FindsAPendingApprovalThenAHumanCallAndNothingWhenResolved) {
  auto m = std::make_shared<ThreadMessage>();
  m->id = "a1";
  m->role = Role::Assistant;
  ToolCallPart done;
  done.tool_call_id = "c0";
  done.tool_name = "get_time";
  done.result = Json{{"utc", "now"}};
  ToolCallPart gated;
  gated.tool_call_id = "c1";
  gated.tool_name = "deploy";
  gated.args = Json{{"service", "web"}};
  Approval a;
  a.id = "ap1";
  gated.approval = Boxed<Approval>(a);
  ToolCallPart human;
  human.tool_call_id = "c2";
  human.tool_name = "send_email";
  human.interrupt = Json{{"type", "human"}, {"payload", Json::object()}};
  m->content.push_back(done);
  m->content.push_back(gated);
  m->content.push_back(human);
  m->status = MessageStatus::requires_action();
  auto w = first_waiting_call(*m);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->part, 1u);
  EXPECT_EQ(w->approval_id, "ap1");
  EXPECT_EQ(w->tool_name, "deploy");
  EXPECT_NE(w->arguments.find("\"service\": \"web\""), std::string::npos);
  // Decided: the human call is next.
  {
    ToolCallPart decided = gated;
    Approval yes = a;
    yes.approved = true;
    decided.approval = Boxed<Approval>(yes);
    m->content[1] = decided;
  }
  w = first_waiting_call(*m);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->tool_call_id, "c2");
  EXPECT_TRUE(w->approval_id.empty());
  {
    ToolCallPart answered = human;
    answered.result = Json("sent");
    m->content[2] = answered;
  }
  EXPECT_FALSE(first_waiting_call(*m));
  // A user message never waits.
  m->role = Role::User;
  EXPECT_FALSE(first_waiting_call(*m));
}

TEST(FirstWaitingCall, AHumanToolsCallWaitsByNameWhenTheReplyWaitsForAction) {
  auto m = std::make_shared<ThreadMessage>();
  m->id = "a1";
  m->role = Role::Assistant;
  ToolCallPart call;
  call.tool_call_id = "c1";
  call.tool_name = "send_email";
  call.args = Json{{"to", "bob"}};
  m->content.push_back(call);
  m->status = MessageStatus::requires_action();
  const auto human = [](const std::string& name) { return name == "send_email"; };
  EXPECT_FALSE(first_waiting_call(*m));  // without knowing the human tools: nothing waits
  const auto w = first_waiting_call(*m, human);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->tool_call_id, "c1");
  // The card says so and offers the answer.
  LayoutOptions o;
  o.is_human_tool = human;
  const auto layout = layout_message(*m, 60, 0, o);
  EXPECT_EQ(layout.lines[0].text(), "╭─ send_email · waiting for your answer");
  bool offers = false;
  for (const auto& l : layout.lines) offers = offers || l.text() == "│ [Enter] answer";
  EXPECT_TRUE(offers);
  // While the reply runs (a frontend tool being executed) nothing waits for the user.
  m->status = MessageStatus::running();
  EXPECT_FALSE(first_waiting_call(*m, human));
}

// A Markdown reply streamed through a real runtime into a view with the Markdown hook, in 200
// slices: every frame equals what a fresh view (and a fresh hook: a full render) draws of the
// same state — the streamed layout is never torn.
TEST(MarkdownTextLayout, AMarkdownReplyStreamedIn200SlicesIntoAViewIsNeverTorn) {
  std::string reply;
  for (int i = 0; reply.size() < 3000; ++i) {
    reply += "## Step " + std::to_string(i) +
             "\n\nSome *text* with `code` 漢字 and a list:\n\n- one\n- two " + std::to_string(i) +
             "\n\n```python\nprint(" + std::to_string(i) + ")\n```\n\n| a | b |\n|---|---|\n| " +
             std::to_string(i) + " | x |\n\n";
  }
  aui::testing::Driver driver;
  std::deque<aui::testing::Gate> gates(200);
  ThreadRuntimeOptions o;
  o.dispatcher = driver.dispatcher();
  o.executor = driver.executor();
  o.clock = driver.clock();
  o.chat_model = [&](const ChatModelRunOptions&, RunResultSink& sink) {
    for (std::size_t k = 0; k < gates.size(); ++k) {
      gates[k].wait(driver);
      std::size_t cut = reply.size() * (k + 1) / gates.size();
      while (cut < reply.size() && (static_cast<unsigned char>(reply[cut]) & 0xC0) == 0x80) ++cut;
      sink.yield(ChatModelRunResult::text(Text(reply.substr(0, cut))));
    }
  };
  ThreadRuntime thread(std::move(o));
  const auto clock = [] { return std::chrono::steady_clock::time_point{}; };
  MarkdownTextLayout md;
  TranscriptViewOptions options{clock, {}, {}};
  options.layout.text_layout = md.hook();
  TranscriptView view(std::move(options));
  view.set_thread(&thread);
  thread.append("go");
  driver.settle();
  std::size_t k = 0;
  for (; k < gates.size(); ++k) {
    gates[k].release();
    driver.settle();
    Screen screen(80, 24);
    Canvas canvas = screen.canvas();
    view.draw(canvas);
    MarkdownTextLayout fresh_md;
    TranscriptViewOptions fresh_options{clock, {}, {}};
    fresh_options.layout.text_layout = fresh_md.hook();
    TranscriptView fresh(std::move(fresh_options));
    fresh.set_thread(&thread);
    Screen s(80, 24);
    Canvas c = s.canvas();
    fresh.draw(c);
    EXPECT_EQ(screen.text(), s.text()) << "slice " << k;
    EXPECT_EQ(screen.text().find("```"), std::string::npos) << "a fence shown raw, slice " << k;
    if (::testing::Test::HasFailure()) break;
  }
  for (; k < gates.size(); ++k) gates[k].release();  // a failed test still lets the worker end
  driver.settle();
  EXPECT_EQ(thread.messages().back()->text(), reply);
  EXPECT_EQ(md.stream_count(), 0u);  // the finished reply's stream was dropped
}

}  // namespace
}  // namespace aui::tui
