// aui::mcp against a server of our own that behaves or misbehaves on purpose
// (tests/mcp/bad_server.py): the app must survive every way a server can fail.

#include <gtest/gtest.h>

#include <thread>

#include "aui/mcp/registry.hpp"
#include "aui/mcp/stdio_transport.hpp"
#include "aui/support/errors.hpp"
#include "aui/testing.hpp"
#include "mcp_support.hpp"

namespace aui::mcp {
namespace {

using namespace std::chrono_literals;
using test::bad_server;
using test::LogSink;
using test::options_with;

constexpr auto kStart = 15s;  // a bound for python to start on a loaded machine

std::shared_ptr<McpServerConnection> started(const McpServerConfig& config, LogSink& log,
                                             McpConnectionOptions options = {}) {
  if (!options.log) {
    auto with_log = options_with(log);
    with_log.client = options.client;
    options = with_log;
  }
  auto server = McpServerConnection::create(config, options);
  server->start();
  server->wait_settled(kStart);
  return server;
}

TEST(BadServer, ABehavingServerListsEveryPageOfTools) {
  LogSink log;
  auto server = started(bad_server("ok"), log);
  ASSERT_EQ(server->status().state, McpServerState::Ready) << server->status().error << log.dump();
  EXPECT_EQ(server->status().info.name, "bad-server");
  EXPECT_EQ(server->status().info.protocol_version, kLatestProtocolVersion);
  const auto tools = server->tools();
  ASSERT_EQ(tools.size(), 9u);  // three pages of four, four and one
  EXPECT_EQ(tools.front().model_name, "bad__echo");
  EXPECT_EQ(tools.back().tool.name, "shout");
  const auto result = server->call_tool("echo", {{"message", "hello"}});
  EXPECT_FALSE(result.is_error);
  EXPECT_EQ(result.text, "echo: hello");
}

TEST(BadServer, AServerThatExitsAtStartFailsWithWhatItSaid) {
  LogSink log;
  auto server = started(bad_server("exit-at-start"), log);
  const auto status = server->status();
  ASSERT_EQ(status.state, McpServerState::Failed);
  EXPECT_NE(status.error.find("exited with status 3"), std::string::npos) << status.error;
  EXPECT_NE(status.error.find("cannot open the database"), std::string::npos) << status.error;
  EXPECT_TRUE(server->toolkit()->empty());
  // A call of one of its tools is an error result, not a crash.
  const auto r = server->call_tool("echo", {{"message", "x"}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("is not running"), std::string::npos);
}

TEST(BadServer, ACommandThatDoesNotExistFailsWithASentence) {
  LogSink log;
  McpServerConfig config;
  config.name = "ghost";
  config.argv = {"aui-no-such-command-anywhere"};
  auto server = started(config, log);
  EXPECT_EQ(server->status().state, McpServerState::Failed);
  EXPECT_EQ(server->status().error,
            "cannot start \"aui-no-such-command-anywhere\": the command was not found on PATH");
}

TEST(BadServer, AServerThatCrashesMidCallEndsTheCallAsAnErrorAndCanBeRestarted) {
  LogSink log;
  auto server = started(bad_server("ok"), log);
  ASSERT_EQ(server->status().state, McpServerState::Ready);
  const auto r = server->call_tool("crash", Json::object());
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("exited with status 7"), std::string::npos) << r.text;
  ASSERT_TRUE(test::eventually([&] { return server->status().state == McpServerState::Failed; }));
  EXPECT_TRUE(server->toolkit()->empty());  // its tools are gone from the model context
  server->start();
  EXPECT_EQ(server->wait_settled(kStart), McpServerState::Ready);
  EXPECT_EQ(server->status().starts, 2);
  EXPECT_EQ(server->call_tool("echo", {{"message", "again"}}).text, "echo: again");
}

TEST(BadServer, GarbageLinesAreLoggedAndIgnored) {
  LogSink log;
  auto server = started(bad_server("garbage"), log);
  ASSERT_EQ(server->status().state, McpServerState::Ready) << server->status().error;
  EXPECT_EQ(server->call_tool("echo", {{"message", "still fine"}}).text, "echo: still fine");
  EXPECT_TRUE(log.contains("ignored a line that is not JSON: this is not JSON")) << log.dump();
  // Control characters from the server never reach the log as such.
  EXPECT_FALSE(log.contains("\x1b"));
}

TEST(BadServer, AServerThatNeverAnswersTimesOutAndIsKilledWithoutAZombie) {
  LogSink log;
  auto clock = std::make_shared<ManualClock>();
  McpConnectionOptions options = options_with(log);
  options.client.clock = clock;
  auto server = McpServerConnection::create(bad_server("never-answer"), options);
  server->start();
  ASSERT_TRUE(test::eventually([&] { return test::logged_pid(log) != 0; })) << log.dump();
  const int pid = test::logged_pid(log);
  // The handshake waits (60 s on the fake clock) ...
  EXPECT_EQ(server->wait_settled(50ms), McpServerState::Starting);
  clock->advance(61s);
  ASSERT_EQ(server->wait_settled(kStart), McpServerState::Failed);
  EXPECT_EQ(server->status().error, "the server did not answer initialize within 60 s");
  // ... and the server, which ignores both the end of its input and SIGTERM, was killed and
  // reaped: no process (and no zombie) is left.
  EXPECT_FALSE(test::process_exists(pid));
}

TEST(BadServer, AResultOf50MegabytesIsRefusedAndTheServerGoesOn) {
  LogSink log;
  auto server = started(bad_server("ok"), log);
  ASSERT_EQ(server->status().state, McpServerState::Ready);
  const auto r = server->call_tool("big", {{"mb", 50}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.text.find("more than the 16.8 MB allowed"), std::string::npos) << r.text;
  EXPECT_EQ(server->status().state, McpServerState::Ready);
  EXPECT_EQ(server->call_tool("echo", {{"message", "after"}}).text, "echo: after");
  // Under the limit is fine.
  EXPECT_EQ(server->call_tool("big", {{"mb", 1}}).text.size(), 1'000'000u);
}

TEST(BadServer, AWrongProtocolVersionIsRefusedAndAnOlderSupportedOneAccepted) {
  LogSink log;
  auto wrong = started(bad_server("wrong-version"), log);
  ASSERT_EQ(wrong->status().state, McpServerState::Failed);
  EXPECT_EQ(wrong->status().error,
            "the server speaks MCP version 1999-01-01, which aui does not support (it supports "
            "2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05)");
  auto old = started(bad_server("old-version"), log);
  ASSERT_EQ(old->status().state, McpServerState::Ready);
  EXPECT_EQ(old->status().info.protocol_version, "2024-11-05");
}

TEST(BadServer, ASecondAnswerWithTheSameIdIsIgnored) {
  LogSink log;
  auto server = started(bad_server("ok"), log);
  ASSERT_EQ(server->status().state, McpServerState::Ready);
  EXPECT_EQ(server->call_tool("dup", Json::object()).text, "first");
  EXPECT_EQ(server->call_tool("echo", {{"message", "next"}}).text, "echo: next");
  EXPECT_TRUE(log.contains("ignored an answer to a request that is not waiting")) << log.dump();
}

TEST(BadServer, ListChangedListsTheToolsAgain) {
  LogSink log;
  auto server = started(bad_server("ok"), log);
  ASSERT_EQ(server->status().state, McpServerState::Ready);
  std::atomic<int> changes{0};
  auto sub = server->subscribe([&] { ++changes; });
  EXPECT_FALSE(server->find_tool("bad__added_1"));
  EXPECT_EQ(server->call_tool("add_tool", Json::object()).text, "added");
  ASSERT_TRUE(test::eventually([&] { return server->find_tool("bad__added_1").has_value(); }));
  EXPECT_EQ(server->status().tool_lists, 1);
  EXPECT_GE(changes.load(), 1);
  EXPECT_EQ(server->toolkit()->count("bad__added_1"), 1u);
}

TEST(BadServer, CancellingACallTellsTheServerAndEndsAtOnce) {
  LogSink log;
  auto server = started(bad_server("ok"), log);
  ASSERT_EQ(server->status().state, McpServerState::Ready);
  std::stop_source stop;
  const auto sent = server->client()->requests_sent();
  std::thread canceller([&] {
    // Once the call is sent (the server reads it before the cancel that follows), cancel it.
    ASSERT_TRUE(test::eventually([&] { return server->client()->requests_sent() > sent; }));
    stop.request_stop();
  });
  EXPECT_THROW(server->call_tool("hang", Json::object(), stop.get_token()), Cancelled);
  canceller.join();
  ASSERT_TRUE(test::eventually([&] { return log.contains("stderr: cancelled "); })) << log.dump();
  EXPECT_EQ(server->call_tool("echo", {{"message", "after cancel"}}).text, "echo: after cancel");
}

TEST(BadServer, ACallTimesOutOnTheClockAndProgressStartsTheWaitAnew) {
  LogSink log;
  auto clock = std::make_shared<ManualClock>();
  McpConnectionOptions options = options_with(log);
  options.client.clock = clock;
  std::vector<McpToolProgress> progress;
  std::mutex progress_mutex;
  options.on_progress = [&](const McpToolProgress& p) {
    std::lock_guard lock(progress_mutex);
    progress.push_back(p);
  };
  auto server = started(bad_server("ok"), log, options);
  ASSERT_EQ(server->status().state, McpServerState::Ready);
  McpToolResult hung;
  std::thread call([&] { hung = server->call_tool("hang", Json::object(), {}, "call-1"); });
  // The call is waiting once the server has it; poke answers after sending progress for it.
  ASSERT_TRUE(test::eventually([&] { return server->client()->requests_sent() >= 5; }));
  clock->advance(50s);
  EXPECT_EQ(server->call_tool("poke", Json::object()).text, "poked");  // progress at t = 50 s
  // t = 70 s: past the first deadline, not the renewed one (110 s). Once the waiting call has
  // looked at the new time, a second poke's progress reaches it only if it is still waiting
  // (progress for a request that ended is dropped): no sleep is needed to see it did not end.
  const auto reads = clock->reads();
  clock->advance(20s);
  ASSERT_TRUE(test::eventually([&] { return clock->reads() > reads; }));
  EXPECT_EQ(server->call_tool("poke", Json::object()).text, "poked");  // progress at t = 70 s
  {
    std::lock_guard lock(progress_mutex);
    EXPECT_EQ(progress.size(), 2u) << "the call ended at 70 s, before its renewed deadline";
  }
  clock->advance(65s);  // t = 135 s: past the deadline the second report set (130 s)
  call.join();
  EXPECT_TRUE(hung.is_error);
  EXPECT_NE(hung.text.find("did not answer tools/call within 60 s"), std::string::npos)
      << hung.text;
  {
    std::lock_guard lock(progress_mutex);
    ASSERT_EQ(progress.size(), 2u);
    EXPECT_EQ(progress[0].tool, "hang");
    EXPECT_EQ(progress[0].tool_call_id, "call-1");
    EXPECT_EQ(progress[0].progress.message, "halfway");
    EXPECT_EQ(progress[0].progress.total, 2.0);
  }
  ASSERT_TRUE(test::eventually([&] { return log.contains("stderr: cancelled "); }));
}

TEST(BadServer, TheServerMayPingTheClientAndLogToIt) {
  LogSink log;
  auto server = started(bad_server("ok"), log);
  ASSERT_EQ(server->status().state, McpServerState::Ready);
  EXPECT_EQ(server->call_tool("ping_me", Json::object()).text, "pong: {}");
  EXPECT_EQ(server->call_tool("shout", Json::object()).text, "shouted");
  ASSERT_TRUE(test::eventually([&] { return log.contains("bad warning: bad: shouting"); }));
  server->client()->ping();
}

TEST(BadServer, AFloodOfStandardErrorIsBounded) {
  LogSink log;
  auto server = started(bad_server("flood-stderr"), log);
  ASSERT_EQ(server->status().state, McpServerState::Ready) << server->status().error;
  // 20,000 lines of 5 kB: each logged line is cut to 2 kB.
  EXPECT_TRUE(log.contains("noise 19999"));
  EXPECT_TRUE(log.contains("y …"));
}

TEST(BadServer, ArgumentsAreCheckedAgainstTheInputSchemaBeforeSending) {
  LogSink log;
  auto server = started(bad_server("ok"), log);
  ASSERT_EQ(server->status().state, McpServerState::Ready);
  const auto sent = server->client()->requests_sent();
  const auto r = server->call_tool("echo", {{"message", 5}});
  EXPECT_TRUE(r.is_error);
  EXPECT_EQ(r.text,
            "Invalid arguments for the tool \"echo\": field `message`: expected a string, got a "
            "number 5");
  EXPECT_EQ(server->client()->requests_sent(), sent);  // never sent
  const auto unknown = server->call_tool("no_such_tool", Json::object());
  EXPECT_TRUE(unknown.is_error);
  EXPECT_EQ(unknown.text, "Unknown tool: no_such_tool");
}

TEST(BadServer, TheRegistryStartsServersSideBySideAndABadOneDoesNotStopTheOthers) {
  LogSink log;
  McpConfig config;
  config.servers = {bad_server("ok", "one"), bad_server("exit-at-start", "broken"),
                    bad_server("ok", "two")};
  config.problems.push_back({"mcp.json", "typo", "command", "is missing"});
  McpRegistry registry(config, options_with(log));
  registry.start_all();
  ASSERT_TRUE(registry.wait_settled(kStart));
  EXPECT_EQ(registry.find("one")->status().state, McpServerState::Ready);
  EXPECT_EQ(registry.find("two")->status().state, McpServerState::Ready);
  EXPECT_EQ(registry.find("broken")->status().state, McpServerState::Failed);
  EXPECT_EQ(registry.problems().size(), 1u);
  const auto ref = registry.find_tool("two__echo");
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->server, "two");
  EXPECT_EQ(ref->tool.tool.name, "echo");
  EXPECT_TRUE(registry.restart("one"));
  EXPECT_FALSE(registry.restart("nobody"));
  ASSERT_TRUE(registry.wait_settled(kStart));
  EXPECT_EQ(registry.find("one")->status().starts, 2);
}

// ---- the full runtime path: a model calls an MCP tool, a person approves it ----

// Runs the scripted model and hands its tool calls to execute_tool_calls, as a real backend does.
class ToolRunningSink : public RunResultSink {
 public:
  ToolRunningSink(RunResultSink& inner, const ChatModelRunOptions& options)
      : inner_(inner), options_(options) {}
  void yield(ChatModelRunResult result) override {
    if (result.content) result.content = execute_tool_calls(options_, std::move(*result.content));
    inner_.yield(std::move(result));
  }
  std::stop_token stop_token() const override { return inner_.stop_token(); }

 private:
  RunResultSink& inner_;
  const ChatModelRunOptions& options_;
};

ChatModelAdapter running_tools(ChatModelAdapter scripted) {
  return ChatModelAdapter([scripted](const ChatModelRunOptions& options, RunResultSink& sink) {
    ToolRunningSink tools(sink, options);
    scripted.streaming()(options, tools);
  });
}

TEST(BadServer, AModelCallsAnMcpToolThroughTheRuntimeAfterApproval) {
  LogSink log;
  McpConfig config;
  config.servers = {bad_server("ok", "srv")};
  McpRegistry registry(config, options_with(log));
  registry.start_all();
  ASSERT_TRUE(registry.wait_settled(kStart));

  aui::testing::Driver driver;
  aui::testing::ScriptedAdapter model(driver);
  ToolCallPart call;
  call.tool_call_id = "call_1";
  call.tool_name = "srv__echo";
  call.args = {{"message", "from the model"}};
  ChatModelRunResult ask;
  ask.content.emplace();
  ask.content->push_back(call);
  ask.status = MessageStatus::requires_action(StatusReason::ToolCalls);
  model.reply(ask).reply("The server echoed it.");

  ThreadRuntimeOptions o;
  o.chat_model = running_tools(model);
  o.dispatcher = driver.dispatcher();
  o.executor = driver.executor();
  o.clock = driver.clock();
  ThreadRuntime thread(std::move(o));
  auto tools = registry.register_with(thread);
  const auto context = thread.model_context();
  ASSERT_EQ(context.tools.count("srv__echo"), 1u);
  EXPECT_TRUE(context.tools.at("srv__echo").needs_approval);  // not trusted: a person decides

  thread.append("echo something");
  driver.settle();
  auto message = thread.messages().back();
  const auto* gated = message->content.at(0).get_if<ToolCallPart>();
  ASSERT_TRUE(gated);
  ASSERT_TRUE(gated->approval);
  EXPECT_FALSE(gated->result);  // nothing ran yet
  EXPECT_FALSE(thread.is_run_in_progress());

  thread.respond_to_tool_approval({.approval_id = gated->approval->id, .approved = true});
  driver.settle();
  message = thread.messages().back();
  const auto* done = message->content.at(0).get_if<ToolCallPart>();
  ASSERT_TRUE(done && done->result);
  EXPECT_EQ(*done->result, Json("echo: from the model"));
  EXPECT_FALSE(done->is_error.value_or(false));
  EXPECT_EQ((*done->artifact)["server"], "srv");
  EXPECT_EQ(message->text(), "The server echoed it.");
  ASSERT_EQ(model.call_count(), 2u);
}

TEST(BadServer, TrustedServersAndReadOnlyToolsNeedNoApprovalWhenTheConfigSaysSo) {
  LogSink log;
  McpConfig config;
  auto trusted = bad_server("ok", "trusted");
  trusted.trusted = true;
  auto readonly = bad_server("ok", "ro");
  readonly.allow_read_only = true;
  auto picked = bad_server("ok", "picked");
  picked.trusted_tools = {"shout"};
  config.servers = {trusted, readonly, picked};
  McpRegistry registry(config, options_with(log));
  registry.start_all();
  ASSERT_TRUE(registry.wait_settled(kStart));
  EXPECT_FALSE(registry.find_tool("trusted__crash")->tool.needs_approval);
  EXPECT_FALSE(registry.find_tool("ro__echo")->tool.needs_approval);  // readOnlyHint
  EXPECT_TRUE(registry.find_tool("ro__crash")->tool.needs_approval);
  EXPECT_FALSE(registry.find_tool("picked__shout")->tool.needs_approval);
  EXPECT_TRUE(registry.find_tool("picked__echo")->tool.needs_approval);
}

TEST(BadServer, AThreadsModelContextFollowsTheServer) {
  LogSink log;
  aui::testing::Driver driver;
  aui::testing::ScriptedAdapter model(driver);
  ThreadRuntimeOptions o;
  o.chat_model = model;
  o.dispatcher = driver.dispatcher();
  o.executor = driver.executor();
  ThreadRuntime thread(std::move(o));
  int updates = 0;
  auto on_update = thread.on(ThreadEvent::ModelContextUpdate, [&] { ++updates; });
  auto server = McpServerConnection::create(bad_server("ok", "live"), options_with(log));
  auto registration = server->register_with(thread);
  EXPECT_TRUE(thread.model_context().tools.empty());
  server->start();
  ASSERT_EQ(server->wait_settled(kStart), McpServerState::Ready);
  driver.settle();
  EXPECT_EQ(thread.model_context().tools.size(), 9u);
  EXPECT_GE(updates, 1);
  server->stop();
  driver.settle();
  EXPECT_TRUE(thread.model_context().tools.empty());
  registration.unsubscribe();
  server->start();
  ASSERT_EQ(server->wait_settled(kStart), McpServerState::Ready);
  driver.settle();
  EXPECT_TRUE(thread.model_context().tools.empty());  // unregistered: nothing comes back
}

}  // namespace
}  // namespace aui::mcp
