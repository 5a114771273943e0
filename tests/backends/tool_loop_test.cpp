// The tool loop through a real LocalRuntime and a real server: the adapters send the tool
// definitions, aui runs the tools that have an execute function, the results go back to the
// model and its answer lands in the same assistant message; human tools and approval gates
// pause the run until a person answers. Also what the requests look like.

#include <gtest/gtest.h>

#include <atomic>

#include "aui/backends/anthropic_adapter.hpp"
#include "aui/backends/openai_adapter.hpp"
#include "aui/local_runtime.hpp"
#include "backend_test_support.hpp"

namespace aui {
namespace {

using namespace backend_test;

std::string openai_tool_call_stream(const std::string& id, const std::string& name,
                                    const std::string& args) {
  std::string out;
  out +=
      "data: " +
      Json{{"choices", {{{"index", 0}, {"delta", {{"role", "assistant"}, {"content", nullptr}}}}}}}
          .dump() +
      "\n\n";
  out += "data: " +
         Json{{"choices",
               {{{"index", 0},
                 {"delta",
                  {{"tool_calls",
                    {{{"index", 0},
                      {"id", id},
                      {"type", "function"},
                      {"function", {{"name", name}, {"arguments", ""}}}}}}}}}}}}
             .dump() +
         "\n\n";
  // The arguments in two fragments, cut mid-token.
  const auto half = args.size() / 2;
  for (const auto& piece : {args.substr(0, half), args.substr(half)}) {
    out += "data: " +
           Json{{"choices",
                 {{{"index", 0},
                   {"delta",
                    {{"tool_calls", {{{"index", 0}, {"function", {{"arguments", piece}}}}}}}}}}}}
               .dump() +
           "\n\n";
  }
  out += "data: " +
         Json{{"choices",
               {{{"index", 0}, {"delta", Json::object()}, {"finish_reason", "tool_calls"}}}}}
             .dump() +
         "\n\n";
  out += "data: [DONE]\n\n";
  return out;
}

Toolkit weather_tools(std::atomic<int>& runs) {
  Toolkit tools;
  tools["get_weather"] = Tool{.description = "Current weather in a city",
                              .parameters = {{"type", "object"},
                                             {"properties", {{"city", {{"type", "string"}}}}},
                                             {"required", {"city"}}},
                              .execute = [&runs](const Json& args) {
                                ++runs;
                                return Json{{"city", args["city"]}, {"temp", 21}};
                              }};
  return tools;
}

// Serves the scripted streams in order, one per request.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::vector<std::string> streams)
      : streams_(std::move(streams)),
        server_([this](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
          const std::size_t n = next_++;
          serve_slices(c,
                       {n < streams_.size() ? std::string_view(streams_[n]) : std::string_view()});
        }) {}
  std::string url(const std::string& path = "/") const { return server_.url(path); }
  std::vector<HttpTestServer::Request> requests() const { return server_.requests(); }

 private:
  std::vector<std::string> streams_;
  std::atomic<std::size_t> next_{0};
  HttpTestServer server_;
};

TEST(ToolLoop, OpenAIRunsTheToolSendsTheResultAndAnswersInOneMessage) {
  ScriptedServer server({openai_tool_call_stream("call_1", "get_weather", R"({"city":"Paris"})"),
                         openai_text_stream({"It is 21 degrees ", "in Paris."})});
  OpenAISettings s;
  s.base_url = server.url("/v1");
  LocalRuntime rt(make_openai_adapter(s));
  std::atomic<int> runs{0};
  auto reg = rt.thread().register_tools(weather_tools(runs), "You are terse.");
  rt.wait(rt.thread().append("Weather in Paris?"));

  const auto& messages = rt.thread().messages();
  ASSERT_EQ(messages.size(), 2u);
  const ThreadMessage& reply = *messages[1];
  EXPECT_TRUE(reply.status.is(StatusType::Complete, StatusReason::Stop));
  ASSERT_EQ(reply.content.size(), 2u);
  const auto* call = reply.content[0].get_if<ToolCallPart>();
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->tool_name, "get_weather");
  EXPECT_EQ(call->args, Json({{"city", "Paris"}}));
  ASSERT_TRUE(call->result.has_value());
  EXPECT_EQ((*call->result)["temp"], 21);
  EXPECT_EQ(text_of(reply.content), "It is 21 degrees in Paris.");
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(reply.metadata.assistant_or_default().steps.size(), 2u);

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  const Json first = Json::parse(requests[0].body);
  EXPECT_EQ(first["tools"][0]["function"]["name"], "get_weather");
  EXPECT_EQ(first["tools"][0]["function"]["parameters"]["required"][0], "city");
  EXPECT_EQ(first["messages"][0], Json({{"role", "system"}, {"content", "You are terse."}}));
  const Json second = Json::parse(requests[1].body);
  const Json& m = second["messages"];
  ASSERT_EQ(m.size(), 4u) << m.dump(2);
  EXPECT_EQ(m[1], Json({{"role", "user"}, {"content", "Weather in Paris?"}}));
  EXPECT_EQ(m[2]["role"], "assistant");
  EXPECT_EQ(m[2]["tool_calls"][0]["id"], "call_1");
  EXPECT_EQ(m[2]["tool_calls"][0]["function"]["arguments"], R"({"city":"Paris"})");
  EXPECT_EQ(m[3], Json({{"role", "tool"},
                        {"tool_call_id", "call_1"},
                        {"content", R"({"city":"Paris","temp":21})"}}));
}

TEST(ToolLoop, AHumanToolPausesUntilAPersonAnswers) {
  ScriptedServer server(
      {openai_tool_call_stream("call_h", "ask_user", R"({"question":"Which city?"})"),
       openai_text_stream({"Then Rome it is."})});
  OpenAISettings s;
  s.base_url = server.url("/v1");
  ThreadRuntimeOptions o;
  o.chat_model = make_openai_adapter(s);
  o.human_tool_names = std::vector<std::string>{"ask_user"};
  LocalRuntime rt(std::move(o));
  auto& thread = rt.thread();
  Toolkit tools;
  tools["ask_user"] = Tool{.description = "Ask the user", .type = "human"};
  auto reg = thread.register_tools(tools);
  rt.wait(thread.append("Plan a trip"));
  ASSERT_EQ(thread.messages().size(), 2u);
  EXPECT_TRUE(thread.messages()[1]->status.is(StatusType::RequiresAction, StatusReason::ToolCalls));
  EXPECT_EQ(server.requests().size(), 1u);

  thread.add_tool_result({.tool_call_id = "call_h", .tool_name = "ask_user", .result = "Rome"});
  rt.event_loop()->run_until([&] {
    return !thread.is_running() && thread.messages().size() == 2 &&
           thread.messages()[1]->status.is(StatusType::Complete);
  });
  EXPECT_EQ(text_of(thread.messages()[1]->content), "Then Rome it is.");
  const Json second = Json::parse(server.requests().at(1).body);
  EXPECT_EQ(second["messages"].back(),
            Json({{"role", "tool"}, {"tool_call_id", "call_h"}, {"content", "Rome"}}));
}

TEST(ToolLoop, AnApprovalGatePausesAndTheApprovedToolRunsBeforeTheModelIsAskedAgain) {
  ScriptedServer server({openai_tool_call_stream("call_d", "deploy", R"({"service":"web"})"),
                         openai_text_stream({"Deployed."})});
  OpenAISettings s;
  s.base_url = server.url("/v1");
  LocalRuntime rt(make_openai_adapter(s));
  auto& thread = rt.thread();
  std::atomic<int> deploys{0};
  Toolkit tools;
  tools["deploy"] = Tool{.description = "Deploy a service",
                         .execute =
                             [&](const Json&) {
                               ++deploys;
                               return Json("ok");
                             },
                         .needs_approval = true};
  auto reg = thread.register_tools(tools);
  rt.wait(thread.append("deploy web"));
  const auto* call = thread.messages()[1]->content.at(0).get_if<ToolCallPart>();
  ASSERT_NE(call, nullptr);
  ASSERT_TRUE(call->approval);
  EXPECT_EQ(deploys.load(), 0);
  EXPECT_TRUE(thread.messages()[1]->status.is(StatusType::RequiresAction));

  thread.respond_to_tool_approval({.approval_id = call->approval->id, .approved = true});
  rt.event_loop()->run_until([&] {
    return !thread.is_running() && thread.messages()[1]->status.is(StatusType::Complete);
  });
  EXPECT_EQ(deploys.load(), 1);
  EXPECT_EQ(text_of(thread.messages()[1]->content), "Deployed.");
  const Json second = Json::parse(server.requests().at(1).body);
  EXPECT_EQ(second["messages"].back()["content"], "ok");
}

std::string anthropic_event(const Json& data) {
  return "event: " + data["type"].get<std::string>() + "\ndata: " + data.dump() + "\n\n";
}

TEST(ToolLoop, AnthropicSendsToolUseAndToolResultBlocksWithTheThinkingSignature) {
  std::string first;
  first += anthropic_event(
      {{"type", "message_start"}, {"message", {{"id", "m1"}, {"usage", {{"input_tokens", 10}}}}}});
  first += anthropic_event({{"type", "content_block_start"},
                            {"index", 0},
                            {"content_block", {{"type", "thinking"}, {"thinking", ""}}}});
  first +=
      anthropic_event({{"type", "content_block_delta"},
                       {"index", 0},
                       {"delta", {{"type", "thinking_delta"}, {"thinking", "Need weather."}}}});
  first += anthropic_event({{"type", "content_block_delta"},
                            {"index", 0},
                            {"delta", {{"type", "signature_delta"}, {"signature", "SIG"}}}});
  first += anthropic_event({{"type", "content_block_stop"}, {"index", 0}});
  first += anthropic_event({{"type", "content_block_start"},
                            {"index", 1},
                            {"content_block",
                             {{"type", "tool_use"},
                              {"id", "toolu_1"},
                              {"name", "get_weather"},
                              {"input", Json::object()}}}});
  first +=
      anthropic_event({{"type", "content_block_delta"},
                       {"index", 1},
                       {"delta", {{"type", "input_json_delta"}, {"partial_json", "{\"city\":"}}}});
  first +=
      anthropic_event({{"type", "content_block_delta"},
                       {"index", 1},
                       {"delta", {{"type", "input_json_delta"}, {"partial_json", "\"Oslo\"}"}}}});
  first += anthropic_event({{"type", "content_block_stop"}, {"index", 1}});
  first += anthropic_event({{"type", "message_delta"},
                            {"delta", {{"stop_reason", "tool_use"}}},
                            {"usage", {{"output_tokens", 30}}}});
  first += anthropic_event({{"type", "message_stop"}});
  std::string second;
  second += anthropic_event(
      {{"type", "message_start"}, {"message", {{"id", "m2"}, {"usage", {{"input_tokens", 50}}}}}});
  second += anthropic_event({{"type", "content_block_start"},
                             {"index", 0},
                             {"content_block", {{"type", "text"}, {"text", ""}}}});
  second += anthropic_event({{"type", "content_block_delta"},
                             {"index", 0},
                             {"delta", {{"type", "text_delta"}, {"text", "Mild in Oslo."}}}});
  second += anthropic_event({{"type", "message_delta"},
                             {"delta", {{"stop_reason", "end_turn"}}},
                             {"usage", {{"output_tokens", 5}}}});
  second += anthropic_event({{"type", "message_stop"}});
  ScriptedServer server({first, second});
  AnthropicSettings s;
  s.base_url = server.url();
  s.api_key = "sk-ant";
  LocalRuntime rt(make_anthropic_adapter(s));
  std::atomic<int> runs{0};
  auto reg = rt.thread().register_tools(weather_tools(runs), "Be brief.");
  rt.wait(rt.thread().append("Weather in Oslo?"));
  const ThreadMessage& reply = *rt.thread().messages().at(1);
  EXPECT_TRUE(reply.status.is(StatusType::Complete, StatusReason::Stop));
  EXPECT_EQ(text_of(reply.content), "Mild in Oslo.");
  EXPECT_EQ(runs.load(), 1);

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  const Json body1 = Json::parse(requests[0].body);
  EXPECT_EQ(body1["system"], "Be brief.");
  EXPECT_EQ(body1["tools"][0]["name"], "get_weather");
  EXPECT_EQ(body1["tools"][0]["input_schema"]["required"][0], "city");
  EXPECT_EQ(body1["max_tokens"], 4096);
  const Json body2 = Json::parse(requests[1].body);
  const Json& m = body2["messages"];
  ASSERT_EQ(m.size(), 3u) << m.dump(2);
  EXPECT_EQ(m[0]["role"], "user");
  EXPECT_EQ(m[1]["role"], "assistant");
  EXPECT_EQ(m[1]["content"][0],
            Json({{"type", "thinking"}, {"thinking", "Need weather."}, {"signature", "SIG"}}));
  EXPECT_EQ(m[1]["content"][1], Json({{"type", "tool_use"},
                                      {"id", "toolu_1"},
                                      {"name", "get_weather"},
                                      {"input", {{"city", "Oslo"}}}}));
  EXPECT_EQ(m[2]["role"], "user");
  EXPECT_EQ(m[2]["content"][0]["type"], "tool_result");
  EXPECT_EQ(m[2]["content"][0]["tool_use_id"], "toolu_1");
  EXPECT_EQ(m[2]["content"][0]["content"], R"({"city":"Oslo","temp":21})");
}

// ---- the requests themselves ----

MessagePtr message(Role role, Content content) {
  auto m = std::make_shared<ThreadMessage>();
  m->id = generate_id();
  m->role = role;
  m->content = std::move(content);
  return m;
}

TEST(Requests, OpenAIHistoryImagesReasoningAndSettings) {
  ChatModelRunOptions o;
  o.messages = o.messages.push_back(message(
      Role::User, {TextPart{"What is this?"}, ImagePart{.image = "data:image/png;base64,AAAA"}}));
  ToolCallPart call;
  call.tool_call_id = "c1";
  call.tool_name = "look";
  call.args = Json{{"x", 1}};
  call.result = Json("a cat");
  o.messages = o.messages.push_back(message(
      Role::Assistant, {ReasoningPart{.text = "hmm"}, ContentPart(call), TextPart{"A cat."}}));
  o.messages = o.messages.push_back(message(Role::User, {TextPart{"Thanks"}}));
  o.context.call_settings.max_tokens = 100;
  o.context.call_settings.temperature = 0.5;
  o.context.call_settings.seed = 7;
  o.context.config.model_name = "llama";
  o.context.config.reasoning_effort = "low";
  o.context.tools["off"] = Tool{.description = "disabled", .disabled = true};
  OpenAISettings s;
  s.send_reasoning = true;
  s.extra_body = {{"chat_template_kwargs", {{"enable_thinking", false}}},
                  {"stream_options", nullptr}};
  const Json body = build_openai_request(o, s);
  EXPECT_EQ(body["model"], "llama");
  EXPECT_EQ(body["stream"], true);
  EXPECT_FALSE(body.contains("stream_options"));
  EXPECT_FALSE(body.contains("tools"));
  EXPECT_EQ(body["max_tokens"], 100);
  EXPECT_EQ(body["temperature"], 0.5);
  EXPECT_EQ(body["seed"], 7);
  EXPECT_EQ(body["reasoning_effort"], "low");
  EXPECT_EQ(body["chat_template_kwargs"]["enable_thinking"], false);
  const Json& m = body["messages"];
  ASSERT_EQ(m.size(), 5u) << m.dump(2);
  EXPECT_EQ(m[0]["content"][1],
            Json({{"type", "image_url"}, {"image_url", {{"url", "data:image/png;base64,AAAA"}}}}));
  EXPECT_EQ(m[1]["reasoning_content"], "hmm");
  EXPECT_TRUE(m[1]["content"].is_null());
  EXPECT_EQ(m[1]["tool_calls"][0]["function"]["arguments"], R"({"x":1})");
  EXPECT_EQ(m[2], Json({{"role", "tool"}, {"tool_call_id", "c1"}, {"content", "a cat"}}));
  EXPECT_EQ(m[3], Json({{"role", "assistant"}, {"content", "A cat."}}));
  EXPECT_EQ(m[4], Json({{"role", "user"}, {"content", "Thanks"}}));
}

TEST(Requests, AnthropicJoinsRolesAndDropsUnsignedThinking) {
  ChatModelRunOptions o;
  o.messages = o.messages.push_back(message(Role::System, {TextPart{"Rule one."}}));
  o.messages = o.messages.push_back(
      message(Role::User, {TextPart{"a"}, ImagePart{.image = "https://example.com/cat.png"}}));
  o.messages = o.messages.push_back(message(Role::User, {TextPart{"b"}}));
  o.messages = o.messages.push_back(
      message(Role::Assistant, {ReasoningPart{.text = "unsigned"}, TextPart{"ok"}}));
  o.context.system = "Be kind.";
  o.context.config.reasoning_effort = "medium";
  o.context.call_settings.max_tokens = 1000;
  o.context.call_settings.temperature = 0.3;
  const Json body = build_anthropic_request(o, AnthropicSettings{});
  EXPECT_EQ(body["system"], "Be kind.\n\nRule one.");
  EXPECT_EQ(body["thinking"]["budget_tokens"], 4096);
  EXPECT_GT(body["max_tokens"].get<int>(), 4096);
  EXPECT_FALSE(body.contains("temperature"));
  const Json& m = body["messages"];
  ASSERT_EQ(m.size(), 2u) << m.dump(2);
  EXPECT_EQ(m[0]["content"].size(), 3u);
  EXPECT_EQ(m[0]["content"][1],
            Json({{"type", "image"},
                  {"source", {{"type", "url"}, {"url", "https://example.com/cat.png"}}}}));
  EXPECT_EQ(m[1]["content"], Json::array({{{"type", "text"}, {"text", "ok"}}}));
}

// A refusal's explanation came from the API, not the model: it is not sent back as the
// assistant's turn (the refused turn then has nothing to send and is left out).
TEST(Requests, AnthropicLeavesOutARefusalsExplanation) {
  ChatModelRunOptions o;
  o.messages = o.messages.push_back(message(Role::User, {TextPart{"do it"}}));
  TextPart explanation{"Blocked under the Usage Policy."};
  explanation.provider_metadata = Json{{"anthropic", {{"refusal", {{"type", "refusal"}}}}}};
  o.messages = o.messages.push_back(message(Role::Assistant, {explanation}));
  o.messages = o.messages.push_back(message(Role::User, {TextPart{"something else"}}));
  const Json body = build_anthropic_request(o, AnthropicSettings{});
  const Json& m = body["messages"];
  ASSERT_EQ(m.size(), 1u) << m.dump(2);
  EXPECT_EQ(m[0]["role"], "user");
  EXPECT_EQ(m[0]["content"].dump().find("Usage Policy"), std::string::npos) << m.dump(2);
}

}  // namespace
}  // namespace aui
