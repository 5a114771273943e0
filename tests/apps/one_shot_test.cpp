// aui-chat's one-shot mode on a real runtime: stdout holds only the reply, and the exit status
// says how the reply ended.

#include "one_shot.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "aui/local_runtime.hpp"
#include "aui/model/message_json.hpp"

namespace {

using aui::chat::OneShot;
using aui::chat::OneShotExit;

struct Asked {
  std::ostringstream out;
  std::ostringstream err;
  OneShotExit exit = OneShotExit::Failed;
};

Asked ask(aui::ChatModelAdapter adapter, OneShot shot, aui::Toolkit tools = {}) {
  aui::ThreadRuntimeOptions options;
  options.chat_model = std::move(adapter);
  options.human_tool_names = aui::human_tool_names(tools);
  aui::LocalRuntime rt(std::move(options));
  auto registered = rt.thread().register_tools(tools);
  Asked r;
  r.exit = aui::chat::run_one_shot(
      rt.thread(), shot, r.out, r.err,
      [&rt](const std::function<bool()>& done) { rt.event_loop()->run_until(done); });
  return r;
}

OneShot question(std::string q) {
  OneShot s;
  s.question = std::move(q);
  return s;
}

// Streams `pieces` as growing text, each update a separate yield.
aui::ChatModelAdapter streaming(
    std::vector<std::string> pieces,
    aui::MessageStatus end = aui::MessageStatus::complete(aui::StatusReason::Stop)) {
  return [pieces, end](const aui::ChatModelRunOptions&, aui::RunResultSink& sink) {
    aui::Text text;
    for (const auto& p : pieces) {
      text.append(p);
      sink.yield(aui::ChatModelRunResult::text(text));
    }
    aui::ChatModelRunResult last = aui::ChatModelRunResult::text(text);
    last.status = end;
    sink.yield(last);
  };
}

TEST(OneShot, TheReplyAloneGoesToStdoutEndedByANewline) {
  const Asked r = ask(streaming({"Hel", "lo, ", "world."}), question("hi"));
  EXPECT_EQ(r.exit, OneShotExit::Complete);
  EXPECT_EQ(r.out.str(), "Hello, world.\n");
  EXPECT_EQ(r.err.str(), "");
}

TEST(OneShot, TheQuestionAndThePipedContextAreOneMessage) {
  std::string seen;
  OneShot shot = question("review this");
  shot.context = "diff --git a/x b/x\n";
  const Asked r = ask(
      [&seen](const aui::ChatModelRunOptions& o, aui::RunResultSink& sink) {
        seen = o.messages.back()->text();
        sink.yield(aui::ChatModelRunResult::text(aui::Text("ok")));
      },
      shot);
  EXPECT_EQ(seen, "review this\n\ndiff --git a/x b/x\n");
  EXPECT_EQ(r.out.str(), "ok\n");
}

TEST(OneShot, AFailedReplyKeepsItsTextSaysWhyOnStderrAndExitsOne) {
  const Asked r = ask(streaming({"partial"}, aui::MessageStatus::incomplete(
                                                 aui::StatusReason::Error,
                                                 aui::Json{{"code", "connection_refused"},
                                                           {"message", "The server went away."}})),
                      question("hi"));
  EXPECT_EQ(r.exit, OneShotExit::Failed);
  EXPECT_EQ(r.out.str(), "partial\n");
  EXPECT_EQ(r.err.str(), "aui-chat: The server went away.\n");
}

TEST(OneShot, AnAdapterThatThrowsIsAFailure) {
  const Asked r = ask([](const aui::ChatModelRunOptions&,
                         aui::RunResultSink&) { throw std::runtime_error("quota exceeded"); },
                      question("hi"));
  EXPECT_EQ(r.exit, OneShotExit::Failed);
  EXPECT_NE(r.err.str().find("quota exceeded"), std::string::npos) << r.err.str();
}

TEST(OneShot, ACancelledReplyExits130) {
  const Asked r =
      ask(streaming({"so far"}, aui::MessageStatus::incomplete(aui::StatusReason::Cancelled)),
          question("hi"));
  EXPECT_EQ(r.exit, OneShotExit::Cancelled);
  EXPECT_EQ(r.out.str(), "so far\n");
}

TEST(OneShot, AToolCallThatNeedsAPersonStopsWithStatusThree) {
  aui::Toolkit tools;
  aui::Tool ask_user;
  ask_user.description = "asks the user";
  ask_user.type = "human";
  tools.emplace("ask_user", ask_user);
  const Asked r = ask(
      [](const aui::ChatModelRunOptions&, aui::RunResultSink& sink) {
        aui::ChatModelRunResult result;
        aui::Content content;
        aui::ToolCallPart call;
        call.tool_call_id = "c1";
        call.tool_name = "ask_user";
        call.args_text = "{}";
        content.push_back(call);
        result.content = std::move(content);
        result.status = aui::MessageStatus::requires_action();
        sink.yield(result);
      },
      question("hi"), tools);
  EXPECT_EQ(r.exit, OneShotExit::NeedsAPerson);
  EXPECT_NE(r.err.str().find("needs a person"), std::string::npos) << r.err.str();
}

TEST(OneShot, OnATerminalEscapeSequencesAreShownNeverSent) {
  OneShot shot = question("hi");
  shot.out_is_terminal = true;
  // The title-setting sequence arrives cut in two across updates.
  const Asked r = ask(streaming({"safe \x1b]0;pwn", "ed\x07 text"}), shot);
  EXPECT_EQ(r.out.str().find('\x1b'), std::string::npos) << r.out.str();
  EXPECT_EQ(r.out.str().find('\x07'), std::string::npos) << r.out.str();
  EXPECT_NE(r.out.str().find("safe "), std::string::npos);
  EXPECT_NE(r.out.str().find(" text"), std::string::npos);
}

TEST(OneShot, InAPipeTheTextIsAsTheModelWroteIt) {
  const Asked r = ask(streaming({"tab\tand \x1b[1mbold\x1b[0m"}), question("hi"));
  EXPECT_EQ(r.out.str(), "tab\tand \x1b[1mbold\x1b[0m\n");
}

TEST(OneShot, JsonPrintsTheFinalMessageOnly) {
  OneShot shot = question("hi");
  shot.json = true;
  const Asked r = ask(streaming({"a", "b"}), shot);
  const aui::Json j = aui::Json::parse(r.out.str());
  EXPECT_EQ(j["role"], "assistant");
  EXPECT_EQ(j["content"][0]["text"], "ab");
  EXPECT_EQ(j["status"]["type"], "complete");
  const aui::ThreadMessage back = aui::message_from_json(j);
  EXPECT_EQ(back.text(), "ab");
}

}  // namespace
