// Tools: argument schemas, execute_tool_calls, the ledger that runs a call once, toolkits in the
// runtime, and the standing "always" approval decision.

#include <gtest/gtest.h>

#include <atomic>

#include "aui/runtime/json_schema.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "aui/runtime/tool_execution.hpp"
#include "aui/support/errors.hpp"
#include "aui/testing.hpp"
#include "support/runtime_driver.hpp"

namespace {

using namespace aui;
using namespace aui::testing;

// ---- argument schemas ----

const Json kWeatherSchema = Json::parse(R"({
  "type": "object",
  "properties": {
    "city": {"type": "string", "minLength": 1},
    "unit": {"enum": ["c", "f"]},
    "days": {"type": "integer", "minimum": 1, "maximum": 7},
    "stops": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}},
                                           "required": ["name"]}}
  },
  "required": ["city"],
  "additionalProperties": false
})");

std::string violation(const Json& schema, const Json& value) {
  auto v = validate_json(schema, value);
  return v ? v->describe() : "ok";
}

TEST(JsonSchema, AcceptsWhatMatches) {
  EXPECT_EQ(violation(kWeatherSchema, Json::parse(R"({"city": "Oslo", "unit": "c", "days": 3,
                                                      "stops": [{"name": "a"}]})")),
            "ok");
  EXPECT_EQ(violation(Json(), Json::parse(R"({"anything": 1})")), "ok");
  EXPECT_EQ(violation(Json(true), Json(3)), "ok");
  EXPECT_EQ(violation(Json::parse(R"({"type": "number"})"), Json(2)), "ok");
  EXPECT_EQ(violation(Json::parse(R"({"type": "integer"})"), Json(2.0)), "ok");
  EXPECT_EQ(violation(Json::parse(R"({"format": "email", "title": "x"})"), Json("not an email")),
            "ok");
}

TEST(JsonSchema, NamesTheFieldAndTheReason) {
  EXPECT_EQ(violation(kWeatherSchema, Json::parse(R"({"city": 3})")),
            "field `city`: expected a string, got a number 3");
  EXPECT_EQ(violation(kWeatherSchema, Json::parse(R"({})")),
            "field `city` is required but missing");
  EXPECT_EQ(violation(kWeatherSchema, Json::parse(R"({"city": "x", "unit": "k"})")),
            R"(field `unit`: expected one of ["c","f"], got a string "k")");
  EXPECT_EQ(violation(kWeatherSchema, Json::parse(R"({"city": "x", "days": 2.5})")),
            "field `days`: expected an integer, got a number 2.5");
  EXPECT_EQ(violation(kWeatherSchema, Json::parse(R"({"city": "x", "days": 9})")),
            "field `days` must be at most 7, got a number 9");
  EXPECT_EQ(
      violation(kWeatherSchema, Json::parse(R"({"city": "x", "stops": [{"name": "a"}, {}]})")),
      "field `stops[1].name` is required but missing");
  EXPECT_EQ(violation(kWeatherSchema, Json::parse(R"({"city": "x", "colour": "red"})")),
            "field `colour` is not an allowed field");
  EXPECT_EQ(violation(kWeatherSchema, Json::parse(R"({"city": ""})")),
            "field `city` must be at least 1 characters long");
  EXPECT_EQ(violation(kWeatherSchema, Json::parse(R"([1])")), "expected an object, got an array");
}

TEST(JsonSchema, CombinatorsReferencesAndPatterns) {
  const Json schema = Json::parse(R"({
    "$defs": {"code": {"type": "string", "pattern": "^[A-Z]{3}$"}},
    "type": "object",
    "properties": {
      "from": {"$ref": "#/$defs/code"},
      "when": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
      "mode": {"oneOf": [{"const": "a"}, {"const": "b"}]},
      "tags": {"type": "array", "uniqueItems": true, "maxItems": 2},
      "note": {"type": ["string", "null"]}
    }
  })");
  EXPECT_EQ(
      violation(
          schema,
          Json::parse(R"({"from": "OSL", "when": 3, "mode": "a", "tags": ["x"], "note": null})")),
      "ok");
  EXPECT_EQ(violation(schema, Json::parse(R"({"from": "oslo"})")),
            R"(field `from` does not match the pattern "^[A-Z]{3}$")");
  EXPECT_NE(
      violation(schema, Json::parse(R"({"when": true})")).find("matches none of the allowed forms"),
      std::string::npos);
  EXPECT_EQ(violation(schema, Json::parse(R"({"tags": ["x", "x"]})")),
            "field `tags[1]` repeats item 0");
  EXPECT_EQ(violation(schema, Json::parse(R"({"tags": ["a", "b", "c"]})")),
            "field `tags` allows at most 2 items, got 3");
  EXPECT_EQ(violation(schema, Json::parse(R"({"note": 1})")),
            "field `note`: expected a string or null, got a number 1");
  // A reference to itself cannot hang the check.
  const Json loop = Json::parse(R"({"$ref": "#"})");
  EXPECT_NE(violation(loop, Json(1)), "ok");
}

// ---- execute_tool_calls on its own ----

ToolCallPart call(const std::string& name, const std::string& id, Json args) {
  ToolCallPart c;
  c.tool_name = name;
  c.tool_call_id = id;
  c.args = std::move(args);
  return c;
}

struct Tools {
  std::atomic<int> weather_runs{0};
  ChatModelRunOptions options;
  std::stop_source stop;

  Tools() {
    options.stop_token = stop.get_token();
    options.tool_ledger = std::make_shared<ToolCallLedger>();
    options.context.tools = {
        {"get_weather", Tool{.description = "weather",
                             .parameters = kWeatherSchema,
                             .execute =
                                 [this](const Json& args) {
                                   ++weather_runs;
                                   return "Sunny in " + args["city"].get<std::string>();
                                 }}},
        {"send_email", Tool{.description = "a human tool", .type = "human"}},
        {"fail",
         Tool{.execute = [](const Json&) -> Json { throw std::runtime_error("disk full"); }}},
        {"nothing", Tool{.execute = [](const Json&) {}}},
        {"rich",
         Tool{.execute =
                  [](const Json&, const ToolInvocation& inv) {
                    ToolOutput out(Json{{"id", inv.tool_call_id}});
                    out.artifact = Json{{"chart", 1}};
                    out.model_content = Json::array({Json{{"type", "text"}, {"text", "ok"}}});
                    return out;
                  }}},
        {"off", Tool{.disabled = true, .execute = [](const Json&) { return 1; }}},
    };
  }
  const ToolCallPart& at(const Content& c, std::size_t i) { return c[i].as<ToolCallPart>(); }
};

TEST(ExecuteToolCalls, RunsTheToolsThatHaveAnExecuteFunctionAndLeavesTheOthers) {
  Tools t;
  ToolCallPart done = call("get_weather", "c0", Json{{"city", "Rome"}});
  done.result = Json("already");
  Content content{TextPart{"Let me check."},
                  call("get_weather", "c1", Json{{"city", "Oslo"}}),
                  call("send_email", "c2", Json::object()),
                  call("unknown_tool", "c3", Json::object()),
                  call("off", "c4", Json::object()),
                  done};
  Content out = execute_tool_calls(t.options, content);
  EXPECT_EQ(t.at(out, 1).result, Json("Sunny in Oslo"));
  EXPECT_EQ(t.at(out, 1).is_error, false);
  EXPECT_FALSE(t.at(out, 2).result.has_value());
  EXPECT_FALSE(t.at(out, 3).result.has_value());
  EXPECT_FALSE(t.at(out, 4).result.has_value());
  EXPECT_EQ(t.at(out, 5).result, Json("already"));
  EXPECT_EQ(t.weather_runs, 1);
  EXPECT_TRUE(has_unresolved_tool_calls(out));
  EXPECT_EQ(out[0].as<TextPart>().text.view(), "Let me check.");
}

TEST(ExecuteToolCalls, BadArgumentsBecomeAnErrorResultTheModelSees) {
  Tools t;
  ToolCallPart not_json = call("get_weather", "c2", Json::object());
  not_json.args_text = Text(R"({"city": "Os)");
  Content out =
      execute_tool_calls(t.options, {call("get_weather", "c1", Json{{"city", 42}}), not_json});
  EXPECT_EQ(t.at(out, 0).result, Json("Invalid arguments for tool \"get_weather\": field `city`: "
                                      "expected a string, got a number 42"));
  EXPECT_EQ(t.at(out, 0).is_error, true);
  ASSERT_TRUE(t.at(out, 1).result->is_string());
  EXPECT_NE(t.at(out, 1).result->get<std::string>().find("not valid JSON"), std::string::npos);
  EXPECT_EQ(t.at(out, 1).is_error, true);
  EXPECT_EQ(t.weather_runs, 0);
}

TEST(ExecuteToolCalls, ThrowingVoidAndStructuredTools) {
  Tools t;
  Content out = execute_tool_calls(
      t.options, {call("fail", "c1", Json::object()), call("nothing", "c2", Json::object()),
                  call("rich", "c3", Json::object())});
  EXPECT_EQ(t.at(out, 0).result, Json("disk full"));
  EXPECT_EQ(t.at(out, 0).is_error, true);
  EXPECT_EQ(t.at(out, 1).result, Json("<no result>"));
  EXPECT_EQ(t.at(out, 2).result, Json::parse(R"({"id": "c3"})"));
  EXPECT_EQ(t.at(out, 2).artifact, Json::parse(R"({"chart": 1})"));
  EXPECT_EQ(t.at(out, 2).model_content, Json::parse(R"([{"type": "text", "text": "ok"}])"));
}

TEST(ExecuteToolCalls, ACancelledRunGivesTheCancelledResultAndRecordsNothing) {
  Tools t;
  t.stop.request_stop();
  Content out = execute_tool_calls(t.options, {call("get_weather", "c1", Json{{"city", "Oslo"}})});
  EXPECT_EQ(t.at(out, 0).result, Json(kToolCancelledResult));
  EXPECT_EQ(t.at(out, 0).is_error, true);
  EXPECT_EQ(t.weather_runs, 0);
  EXPECT_FALSE(t.options.tool_ledger->find("c1").has_value());
}

TEST(ExecuteToolCalls, ACancelDuringTheToolWins) {
  Tools t;
  t.options.context.tools["slow"] =
      Tool{.execute = [&](const Json&, const ToolInvocation& inv) -> Json {
        t.stop.request_stop();  // the user cancels while the tool works
        EXPECT_TRUE(inv.stop_token.stop_requested());
        return "finished anyway";
      }};
  Content out = execute_tool_calls(t.options, {call("slow", "c1", Json::object())});
  EXPECT_EQ(t.at(out, 0).result, Json(kToolCancelledResult));
  EXPECT_EQ(t.at(out, 0).is_error, true);
  // The tool did finish: what it did is remembered, so the call never runs twice.
  ASSERT_TRUE(t.options.tool_ledger->find("c1").has_value());
  EXPECT_EQ(t.options.tool_ledger->find("c1")->result, Json("finished anyway"));
  // One that gave up (threw aui::Cancelled) is not remembered.
  t.options.context.tools["quits"] = Tool{.execute = [&](const Json&) -> Json {
    t.stop.request_stop();
    throw Cancelled();
  }};
  t.stop = std::stop_source();
  t.options.stop_token = t.stop.get_token();
  out = execute_tool_calls(t.options, {call("quits", "c2", Json::object())});
  EXPECT_EQ(t.at(out, 0).result, Json(kToolCancelledResult));
  EXPECT_FALSE(t.options.tool_ledger->find("c2").has_value());
}

TEST(ExecuteToolCalls, ACallIdRunsOnceWhateverAsksAgain) {
  Tools t;
  Content first =
      execute_tool_calls(t.options, {call("get_weather", "c1", Json{{"city", "Oslo"}})});
  Content again =
      execute_tool_calls(t.options, {call("get_weather", "c1", Json{{"city", "Oslo"}})});
  EXPECT_EQ(t.weather_runs, 1);
  EXPECT_EQ(t.at(again, 0).result, Json("Sunny in Oslo"));
  // Without a ledger (an adapter used outside a runtime) there is nothing to remember.
  t.options.tool_ledger = nullptr;
  execute_tool_calls(t.options, {call("get_weather", "c1", Json{{"city", "Oslo"}})});
  EXPECT_EQ(t.weather_runs, 2);
}

TEST(ExecuteToolCalls, ASinkSeesEachResultAsItLands) {
  struct Sink : RunResultSink {
    std::vector<ChatModelRunResult> seen;
    std::stop_source stop;
    void yield(ChatModelRunResult r) override { seen.push_back(std::move(r)); }
    std::stop_token stop_token() const override { return stop.get_token(); }
  } sink;
  Tools t;
  execute_tool_calls(t.options,
                     {call("get_weather", "c1", Json{{"city", "A"}}),
                      call("get_weather", "c2", Json{{"city", "B"}})},
                     &sink);
  ASSERT_EQ(sink.seen.size(), 2u);
  EXPECT_TRUE(sink.seen[0].content->at(0).as<ToolCallPart>().result.has_value());
  EXPECT_FALSE(sink.seen[0].content->at(1).as<ToolCallPart>().result.has_value());
  EXPECT_TRUE(sink.seen[1].content->at(1).as<ToolCallPart>().result.has_value());
}

TEST(ToolCallLedger, ASecondClaimWaitsForTheFirstAndTakesItsOutput) {
  ToolCallLedger ledger;
  auto first = ledger.claim("c1", {});
  ASSERT_TRUE(first.claimed);
  std::optional<ToolOutput> got;
  std::thread other([&] { got = ledger.claim("c1", {}).output; });
  ledger.record("c1", ToolOutput(Json(7)));
  other.join();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->result, Json(7));
  // A claim given up by its stop token gets nothing.
  auto held = ledger.claim("c2", {});
  ASSERT_TRUE(held.claimed);
  std::stop_source stop;
  stop.request_stop();
  auto abandoned = ledger.claim("c2", stop.get_token());
  EXPECT_FALSE(abandoned.claimed);
  EXPECT_FALSE(abandoned.output);
  // A claim released without an output can be taken again.
  ledger.record("c2", std::nullopt);
  EXPECT_TRUE(ledger.claim("c2", {}).claimed);
}

// ---- in the runtime ----

class Tooling : public ::testing::Test {
 protected:
  void make(ChatModelAdapter adapter,
            const std::function<void(ThreadRuntimeOptions&)>& tweak = {}) {
    ThreadRuntimeOptions o;
    o.chat_model = std::move(adapter);
    o.dispatcher = d->dispatcher();
    o.executor = d->executor();
    if (tweak) tweak(o);
    thread = std::make_unique<ThreadRuntime>(std::move(o));
  }
  void settle() { d->settle(); }
  MessagePtr last() { return thread->messages().back(); }

  std::shared_ptr<Driver> d = std::make_shared<Driver>();
  CallLog calls;
  std::unique_ptr<ThreadRuntime> thread;
};

// Pattern 1 of spec §7.1: the adapter asks for a tool, aui runs it, the runtime calls again and
// the adapter answers from the result it reads through get_message().
ChatModelAdapter weather_model(CallLog& calls) {
  return [&calls](const ChatModelRunOptions& o, RunResultSink& sink) {
    calls.record(o);
    const auto so_far = o.get_message()->content;
    if (so_far.empty()) {
      ToolCallPart c = call("get_weather", "call-1", Json{{"city", "Oslo"}});
      Content content = execute_tool_calls(o, {c}, &sink);
      ChatModelRunResult r;
      r.content = std::move(content);
      r.status = MessageStatus::requires_action();
      r.metadata = RunResultMetadata{};
      r.metadata->steps = std::vector<ThreadStep>{ThreadStep{}};
      sink.yield(std::move(r));
      return;
    }
    const auto& answered = so_far.at(0).as<ToolCallPart>();
    sink.yield(T("It is " + answered.result->get<std::string>() + "."));
  };
}

TEST_F(Tooling, ARegisteredToolRunsAndTheModelAnswersFromItsResult) {
  std::atomic<int> runs{0};
  make(weather_model(calls));
  auto registration = thread->register_tools(
      {{"get_weather", Tool{.description = "weather",
                            .parameters = kWeatherSchema,
                            .execute =
                                [&](const Json& a) {
                                  ++runs;
                                  return "sunny in " + a["city"].get<std::string>();
                                }}}},
      "Use the tools.");
  ASSERT_EQ(thread->model_context().system, "Use the tools.");
  thread->append(U("weather in Oslo?"));
  settle();
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(
      branch_string(*thread),
      R"([u"weather in Oslo?", a[tc(get_weather="sunny in Oslo"), "It is sunny in Oslo."]·cu])");
  EXPECT_TRUE(calls.at(1).options.context.tools.at("get_weather").execute);

  // A regenerate meets the same call id: the recorded result, not a second run.
  thread->reload(last()->id);
  settle();
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(
      branch_string(*thread),
      R"([u"weather in Oslo?", a[tc(get_weather="sunny in Oslo"), "It is sunny in Oslo."]·cu])");

  registration.unsubscribe();
  EXPECT_TRUE(thread->model_context().tools.empty());
}

TEST_F(Tooling, AToolkitRegisteredTwiceIsNotADuplicate) {
  make(weather_model(calls));
  Toolkit kit{{"t", Tool{.execute = [](const Json&) { return 1; }}}};
  auto a = thread->register_tools(kit);
  auto b = thread->register_tools(kit);
  EXPECT_EQ(thread->model_context().tools.size(), 1u);
  // A different function under the same name at the same priority is.
  auto c = thread->register_tools({{"t", Tool{.execute = [](const Json&) { return 2; }}}});
  EXPECT_THROW(thread->model_context(), Error);
}

ToolCallPart gated(const std::string& name, const std::string& id, const std::string& approval) {
  ToolCallPart c = TC(name, id);
  c.approval = GATE(approval);
  return c;
}

TEST_F(Tooling, AlwaysAllowDecidesLaterGatesOfThatToolInThisThread) {
  std::atomic<int> n{0};
  make([&](const ChatModelRunOptions& o) -> ChatModelRunResult {
    calls.record(o);
    const int k = ++n;
    // Calls 1 and 3 ask to deploy (behind a gate); 2 and 4 answer.
    if (k % 2 == 1) {
      const std::string s = std::to_string(k);
      return RA({gated("deploy", "c" + s, "a" + s), gated("deploy", "d" + s, "b" + s)});
    }
    return T("deployed");
  });
  thread->append(U("deploy"));
  settle();
  EXPECT_EQ(last()->status, MessageStatus::requires_action());
  ToolApprovalResponse always{"a1", true};
  always.always = true;
  thread->respond_to_tool_approval(always);
  settle();
  // The other gate of the same tool in that message was settled by the same decision.
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_EQ(last()->status, MessageStatus::complete());
  EXPECT_EQ(thread->tool_approval_policy("deploy"), true);
  const auto& second = last()->content[1].as<ToolCallPart>();
  EXPECT_EQ(second.approval->approved, true);
  EXPECT_EQ(second.approval->is_automatic, true);

  // The next turn's gates are decided as the roundtrip ends: no pause.
  thread->append(U("again"));
  settle();
  EXPECT_EQ(calls.size(), 4u);
  EXPECT_EQ(last()->status, MessageStatus::complete());
  EXPECT_EQ(last()->content[0].as<ToolCallPart>().approval->approved, true);

  // Forgetting the decision asks again.
  thread->set_tool_approval_policy("deploy", std::nullopt);
  thread->append(U("once more"));
  settle();
  EXPECT_EQ(calls.size(), 5u);
  EXPECT_EQ(last()->status, MessageStatus::requires_action());
}

TEST_F(Tooling, AlwaysDenyAndTheAllowAlwaysOptionKind) {
  make([&](const ChatModelRunOptions& o) -> ChatModelRunResult {
    calls.record(o);
    if (o.get_message()->content.empty()) {
      ToolCallPart c =
          gated("rm", "c" + std::to_string(calls.size()), "g" + std::to_string(calls.size()));
      c.approval.edit().options =
          std::vector<ApprovalOption>{{"yes-always", "allow-always"}, {"no", "reject-once"}};
      return RA({c});
    }
    return T("ok");
  });
  thread->append(U("x"));
  settle();
  thread->respond_to_tool_approval({.approval_id = "g1", .option_id = "yes-always"});
  settle();
  EXPECT_EQ(thread->tool_approval_policy("rm"), true);
  EXPECT_EQ(last()->status, MessageStatus::complete());

  thread->set_tool_approval_policy("rm", false);
  thread->append(U("y"));
  settle();
  const auto& denied = last()->content[0].as<ToolCallPart>();
  EXPECT_EQ(denied.approval->approved, false);
  EXPECT_EQ(denied.result, Json::parse(R"({"error": "Tool approval denied"})"));
  EXPECT_EQ(denied.is_error, true);
  EXPECT_EQ(last()->status, MessageStatus::complete());
}

// A tool that needs approval: aui gates it, the run pauses, and aui runs it once approved.
// A human answers a call while the reply is still streaming: the answer joins the running
// roundtrip, survives its later writes and the message still ends with its own final status
// (it must not stay `running` because another writer touched it).
TEST_F(Tooling, AResultGivenWhileTheReplyStreamsJoinsIt) {
  Gate more;
  make(
      [&](const ChatModelRunOptions& o, RunResultSink& sink) {
        calls.record(o);
        if (!o.get_message()->content.empty()) return;
        ChatModelRunResult streaming;  // no status yet: the message is still running
        streaming.content = Content{TextPart{"asking"}, TC("ask", "c1")};
        sink.yield(std::move(streaming));
        more.wait(*d);
        sink.yield(RA({TextPart{"asking you"}, TC("ask", "c1"), TC("ask", "c2")}));
      },
      [](ThreadRuntimeOptions& o) { o.human_tool_names = std::vector<std::string>{"ask"}; });
  thread->append(U("question"));
  settle();
  ASSERT_TRUE(thread->is_run_in_progress());
  ASSERT_EQ(last()->status, MessageStatus::running());
  thread->add_tool_result({last()->id, "c1", "ask", Json("yes")});
  settle();
  EXPECT_EQ(last()->content.at(1).as<ToolCallPart>().result, Json("yes"));
  more.release();
  settle();
  EXPECT_FALSE(thread->is_run_in_progress());
  EXPECT_EQ(branch_string(*thread), R"([u"question", a["asking you", tc(ask="yes"), tc(ask)]·ra])");
  EXPECT_EQ(calls.size(), 1u);

  // The second answer resumes the run as usual.
  thread->add_tool_result({last()->id, "c2", "ask", Json("no")});
  settle();
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_EQ(last()->status, MessageStatus::complete());
}

class GatedTool : public Tooling {
 protected:
  void SetUp() override {
    make([this](const ChatModelRunOptions& o, RunResultSink& sink) {
      calls.record(o);
      const auto so_far = o.get_message()->content;
      if (!so_far.empty()) {
        const auto& c = so_far.at(0).as<ToolCallPart>();
        sink.yield(T(c.is_error.value_or(false) ? "not deployed: " + c.result->dump()
                                                : "deployed " + c.result->dump()));
        return;
      }
      ChatModelRunResult r;
      r.content = execute_tool_calls(
          o, {call("deploy", "call-" + o.assistant_message_id, Json{{"env", "prod"}})});
      r.status = MessageStatus::requires_action();
      sink.yield(std::move(r));
    });
    registration = thread->register_tools(
        {{"deploy", Tool{.execute = [this](const Json& a, const ToolInvocation& inv) -> Json {
                           ++runs;
                           if (block) wait_for_abort(*d, inv.stop_token);
                           return "v2 to " + a["env"].get<std::string>();
                         },
                         .needs_approval = true}}});
  }
  const ToolCallPart& the_call() { return last()->content.at(0).as<ToolCallPart>(); }

  std::atomic<int> runs{0};
  bool block = false;
  Subscription registration;
};

TEST_F(GatedTool, PausesOnTheGateAndRunsTheToolOnceApproved) {
  thread->append(U("deploy"));
  settle();
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(last()->status, MessageStatus::requires_action());
  ASSERT_TRUE(the_call().approval);
  EXPECT_TRUE(the_call().approval->pending());
  EXPECT_EQ(the_call().approval->id, "approval-" + the_call().tool_call_id);
  thread->respond_to_tool_approval({the_call().approval->id, true});
  settle();
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_EQ(the_call().result, Json("v2 to prod"));
  EXPECT_EQ(last()->content.at(1).as<TextPart>().text.view(), R"(deployed "v2 to prod")");
  EXPECT_EQ(last()->status, MessageStatus::complete());
}

TEST_F(GatedTool, ADenialNeverRunsTheTool) {
  thread->append(U("deploy"));
  settle();
  ToolApprovalResponse no{the_call().approval->id, false};
  no.reason = "not on a Friday";
  thread->respond_to_tool_approval(no);
  settle();
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(last()->content.at(1).as<TextPart>().text.view(),
            R"(not deployed: {"error":"not on a Friday"})");
}

TEST_F(GatedTool, CancelWhileTheApprovedToolRuns) {
  block = true;
  thread->append(U("deploy"));
  settle();
  thread->respond_to_tool_approval({the_call().approval->id, true});
  settle();
  EXPECT_TRUE(thread->is_running());
  thread->cancel_run();
  settle();
  EXPECT_FALSE(thread->is_running());
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(the_call().result, Json(kToolCancelledResult));
  EXPECT_EQ(last()->status, MessageStatus::incomplete(StatusReason::Cancelled));
}

TEST_F(GatedTool, AlwaysAllowRunsLaterCallsWithoutAsking) {
  thread->append(U("deploy"));
  settle();
  ToolApprovalResponse always{the_call().approval->id, true};
  always.always = true;
  thread->respond_to_tool_approval(always);
  settle();
  thread->append(U("and again"));
  settle();
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(calls.size(), 4u);
  EXPECT_EQ(last()->status, MessageStatus::complete());
  EXPECT_EQ(the_call().approval->is_automatic, true);
  EXPECT_EQ(the_call().result, Json("v2 to prod"));
}

}  // namespace
