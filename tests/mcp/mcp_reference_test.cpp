// aui::mcp against the reference servers from npm: @modelcontextprotocol/server-everything over
// stdio and over Streamable HTTP, and @modelcontextprotocol/server-filesystem on a temporary
// directory. Each server starts once for the whole program (a start costs about half a second).
// Skipped, saying why, when node or the installed servers are missing.

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "aui/mcp/registry.hpp"
#include "aui/support/errors.hpp"
#include "aui/testing.hpp"
#include "mcp_support.hpp"

extern char** environ;

namespace aui::mcp {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr auto kStart = 60s;

fs::path modules() {
  const char* dir = std::getenv("AUI_MCP_SERVERS");
  return dir ? fs::path(dir) : fs::path();
}

std::string missing_reason() {
  if (std::system("node --version >/dev/null 2>&1") != 0)
    return "node is not installed: the reference MCP servers cannot run";
  if (modules().empty() || !fs::exists(modules() / "@modelcontextprotocol/server-everything"))
    return "the reference MCP servers are not installed (ctest runs mcp.install_servers first; "
           "AUI_MCP_SERVERS names their node_modules)";
  return {};
}

std::string everything_js() {
  return (modules() / "@modelcontextprotocol/server-everything/dist/index.js").string();
}

int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &n);
  ::close(s);
  return ntohs(a.sin_port);
}

bool port_open(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

// The servers, started once.
struct Servers {
  test::LogSink log;
  std::shared_ptr<ManualClock> unused_clock;
  std::shared_ptr<McpServerConnection> everything;
  std::shared_ptr<McpServerConnection> http;
  std::shared_ptr<McpServerConnection> files;
  fs::path dir;
  pid_t http_pid = -1;
  /// Why the HTTP server could not be started, with its output (empty: it listens).
  std::string http_problem;
  fs::path http_out;
  std::mutex progress_mutex;
  std::vector<McpToolProgress> progress;

  McpConnectionOptions options() {
    auto o = test::options_with(log);
    o.client.roots = {{"file:///tmp/aui-root", "aui test root"}};
    o.on_progress = [this](const McpToolProgress& p) {
      std::lock_guard lock(progress_mutex);
      progress.push_back(p);
    };
    return o;
  }

  void start() {
    McpServerConfig e;
    e.name = "everything";
    e.argv = {"node", everything_js(), "stdio"};
    everything = McpServerConnection::create(e, options());
    everything->start();

    dir = fs::temp_directory_path() / ("aui-mcp-fs-" + std::to_string(::getpid()));
    fs::create_directories(dir / "sub");
    std::ofstream(dir / "hello.txt") << "Hello from aui's test.\n";
    McpServerConfig f;
    f.name = "files";
    f.argv = {"node",
              (modules() / "@modelcontextprotocol/server-filesystem/dist/index.js").string(),
              fs::canonical(dir).string()};
    f.allow_read_only = true;
    files = McpServerConnection::create(f, options());
    files->start();

    // The everything-server's Streamable HTTP mode, on a free port of 127.0.0.1. The port is
    // free when chosen, but another process may take it before node listens (the server then
    // exits): a server that ends without listening is started again on another port.
    http_out = dir.parent_path() / ("aui-mcp-http-" + std::to_string(::getpid()) + ".log");
    int port = 0;
    for (int attempt = 0; attempt < 3 && port == 0; ++attempt) {
      const int candidate = free_port();
      spawn_http_server(candidate);
      bool exited = false;
      const bool listening = test::eventually(
          [&] {
            if (port_open(candidate)) return true;
            exited = ::waitpid(http_pid, nullptr, WNOHANG) == http_pid;
            return exited;
          },
          kStart);
      if (listening && !exited) {
        port = candidate;
      } else {
        std::ifstream in(http_out);
        std::stringstream text;
        text << in.rdbuf();
        http_problem += "port " + std::to_string(candidate) +
                        (exited ? ": the server ended: " : ": never listened: ") + text.str() +
                        "\n";
        if (!exited) {
          ::kill(http_pid, SIGKILL);
          ::waitpid(http_pid, nullptr, 0);
        }
        http_pid = -1;
      }
    }
    McpServerConfig h;
    h.name = "web";
    h.url = "http://127.0.0.1:" + std::to_string(port) + "/mcp";
    h.headers = {{"Authorization", "Bearer not-a-real-token"}};
    http = McpServerConnection::create(h, options());
    if (port != 0) http->start();
  }

  void spawn_http_server(int port) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, http_out.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<std::string> env_strings;
    for (char** e2 = environ; *e2; ++e2) env_strings.emplace_back(*e2);
    env_strings.push_back("PORT=" + std::to_string(port));
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::string node = "node", js = everything_js(), mode = "streamableHttp";
    char* argv[] = {node.data(), js.data(), mode.data(), nullptr};
    posix_spawnp(&http_pid, "node", &actions, nullptr, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
  }

  void stop() {
    for (auto* s : {&everything, &files, &http}) {
      if (*s) (*s)->stop();
    }
    if (http_pid > 0) {
      ::kill(http_pid, SIGTERM);
      ::waitpid(http_pid, nullptr, 0);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::remove(http_out, ec);
  }
};

Servers* servers = nullptr;

class Environment : public ::testing::Environment {
 public:
  void SetUp() override {
    if (!missing_reason().empty()) return;
    servers = new Servers();
    servers->start();
  }
  void TearDown() override {
    if (!servers) return;
    servers->stop();
    delete servers;
    servers = nullptr;
  }
};
const auto* const environment = ::testing::AddGlobalTestEnvironment(new Environment());

class Reference : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const auto why = missing_reason(); !why.empty()) GTEST_SKIP() << why;
  }
  static std::shared_ptr<McpServerConnection> ready(std::shared_ptr<McpServerConnection> s) {
    EXPECT_EQ(s->wait_settled(kStart), McpServerState::Ready)
        << s->name() << ": " << s->status().error << "\n"
        << servers->log.dump();
    return s;
  }
  static std::shared_ptr<McpServerConnection> everything() { return ready(servers->everything); }
};

TEST_F(Reference, InitializeNegotiatesTheNewestVersionAndReadsTheCapabilities) {
  auto s = everything();
  const auto info = s->status().info;
  EXPECT_EQ(info.name, "mcp-servers/everything");
  EXPECT_EQ(info.protocol_version, "2025-11-25");
  EXPECT_TRUE(info.has_tools());
  EXPECT_TRUE(info.has_resources());
  EXPECT_TRUE(info.has_prompts());
  EXPECT_TRUE(info.has_logging());
  EXPECT_FALSE(info.instructions.empty());
}

TEST_F(Reference, ToolsAreListedWithSchemasAndAnnotations) {
  auto s = everything();
  auto tool = [&](const std::string& name) {
    auto t = s->find_tool(model_tool_name("everything", name));
    EXPECT_TRUE(t) << name;
    return t.value_or(McpServerTool{});
  };
  const auto sum = tool("get-sum");
  EXPECT_EQ(sum.model_name, "everything__get-sum");
  EXPECT_EQ(sum.tool.title, "Get Sum Tool");
  EXPECT_EQ(sum.tool.input_schema["properties"]["a"]["type"], "number");
  EXPECT_EQ(sum.tool.annotations.read_only, true);
  EXPECT_EQ(sum.tool.annotations.destructive, false);
  EXPECT_TRUE(sum.needs_approval);  // read-only, but this server's config does not allow that
  EXPECT_TRUE(tool("get-structured-content").tool.output_schema.is_object());
  EXPECT_GE(s->tools().size(), 12u);
}

TEST_F(Reference, EveryContentTypeTheServerReturns) {
  auto s = everything();
  const auto echo = s->call_tool("echo", {{"message", "hi there"}});
  EXPECT_EQ(echo.text, "Echo: hi there");
  EXPECT_EQ(s->call_tool("get-sum", {{"a", 2}, {"b", 40}}).text.find("42") != std::string::npos,
            true);

  const auto image = s->call_tool("get-tiny-image", Json::object());
  ASSERT_EQ(image.images.size(), 1u);
  EXPECT_EQ(image.images[0].image.rfind("data:image/png;base64,iVBOR", 0), 0u);
  EXPECT_FALSE(image.text.empty());

  const auto links = s->call_tool("get-resource-links", {{"count", 3}});
  ASSERT_EQ(links.links.size(), 3u);
  EXPECT_EQ(links.links[0].uri.rfind("demo://resource/dynamic/", 0), 0u);
  EXPECT_NE(links.model_text().find("Resource link: "), std::string::npos);

  const auto embedded =
      s->call_tool("get-resource-reference", {{"resourceType", "Text"}, {"resourceId", 2}});
  ASSERT_EQ(embedded.resources.size(), 1u);
  EXPECT_TRUE(embedded.resources[0].text);
  const auto blob =
      s->call_tool("get-resource-reference", {{"resourceType", "Blob"}, {"resourceId", 3}});
  ASSERT_EQ(blob.resources.size(), 1u);
  EXPECT_TRUE(blob.resources[0].blob);

  const auto annotated =
      s->call_tool("get-annotated-message", {{"messageType", "error"}, {"includeImage", true}});
  EXPECT_FALSE(annotated.text.empty());
  EXPECT_EQ(annotated.images.size(), 1u);
  EXPECT_TRUE(annotated.raw["content"][0].contains("annotations"));  // kept as sent
}

TEST_F(Reference, StructuredOutputIsCheckedAgainstItsSchema) {
  auto s = everything();
  const auto r = s->call_tool("get-structured-content", {{"location", "New York"}});
  EXPECT_FALSE(r.is_error) << r.text;
  ASSERT_TRUE(r.structured.is_object());
  EXPECT_TRUE(r.structured.contains("temperature"));
  const auto out = r.to_tool_output("everything", "get-structured-content");
  EXPECT_EQ((*out.artifact)["structuredContent"], r.structured);
}

TEST_F(Reference, ProgressOfTheLongRunningTool) {
  auto s = everything();
  {
    std::lock_guard lock(servers->progress_mutex);
    servers->progress.clear();
  }
  const auto r =
      s->call_tool("trigger-long-running-operation", {{"duration", 0.3}, {"steps", 3}}, {}, "lr-1");
  EXPECT_FALSE(r.is_error) << r.text;
  EXPECT_NE(r.text.find("Long running operation completed"), std::string::npos);
  std::lock_guard lock(servers->progress_mutex);
  ASSERT_EQ(servers->progress.size(), 3u);
  EXPECT_EQ(servers->progress[2].progress.progress, 3.0);
  EXPECT_EQ(servers->progress[2].progress.total, 3.0);
  EXPECT_EQ(servers->progress[0].tool_call_id, "lr-1");
}

TEST_F(Reference, CancelMidCall) {
  auto s = everything();
  {
    std::lock_guard lock(servers->progress_mutex);
    servers->progress.clear();
  }
  std::stop_source stop;
  std::thread canceller([&] {
    // Cancel once the tool reported its first step: it is running for sure.
    test::eventually([&] {
      std::lock_guard lock(servers->progress_mutex);
      return !servers->progress.empty();
    });
    stop.request_stop();
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(s->call_tool("trigger-long-running-operation", {{"duration", 20}, {"steps", 40}},
                            stop.get_token()),
               Cancelled);
  canceller.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);  // not the tool's 20 s
  EXPECT_EQ(s->call_tool("echo", {{"message", "still here"}}).text, "Echo: still here");
}

TEST_F(Reference, TheServerAsksForRootsAndListChangedListsAgain) {
  auto s = everything();
  // Offering roots makes the server add get-roots-list and ask for the roots.
  ASSERT_TRUE(s->find_tool("everything__get-roots-list"));
  const auto roots = s->call_tool("get-roots-list", Json::object());
  EXPECT_NE(roots.text.find("file:///tmp/aui-root"), std::string::npos) << roots.text;
  // A tool that registers a resource: the server says its resource list changed, and the
  // connection lists the resources again.
  auto has_session_resource = [&] {
    for (const auto& r : s->resources()) {
      if (r.uri == "demo://resource/session/aui.txt.gz") return true;
    }
    return false;
  };
  EXPECT_FALSE(has_session_resource());
  const auto r =
      s->call_tool("gzip-file-as-resource", {{"name", "aui.txt.gz"},
                                             {"data", "data:text/plain;base64,SGVsbG8gYXVp"},
                                             {"outputType", "resourceLink"}});
  EXPECT_FALSE(r.is_error) << r.text;
  EXPECT_EQ(r.links.size(), 1u);
  EXPECT_TRUE(test::eventually(has_session_resource, 20s));
}

TEST_F(Reference, ResourcesAndPrompts) {
  auto s = everything();
  const auto resources = s->resources();
  ASSERT_FALSE(resources.empty());
  const auto contents = s->read_resource(resources.front().uri);
  ASSERT_FALSE(contents.empty());
  EXPECT_TRUE(contents[0].text || contents[0].blob);
  EXPECT_FALSE(s->resource_templates().empty());
  const auto text = s->read_resource("demo://resource/dynamic/text/1");
  ASSERT_EQ(text.size(), 1u);
  EXPECT_TRUE(text[0].text);

  const auto prompts = s->prompts();
  bool has_args = false;
  for (const auto& p : prompts) {
    if (p.name == "args-prompt") {
      has_args = true;
      ASSERT_FALSE(p.arguments.empty());
      EXPECT_EQ(p.arguments[0].name, "city");
      EXPECT_TRUE(p.arguments[0].required);
    }
  }
  EXPECT_TRUE(has_args);
  const auto filled = s->get_prompt("args-prompt", {{"city", "Paris"}});
  EXPECT_NE(filled.text().find("Paris"), std::string::npos) << filled.text();
  EXPECT_THROW(s->get_prompt("no-such-prompt"), McpError);
}

// Issue 19: a resource attached to a message, through the composer of a real thread.
TEST_F(Reference, AResourceGoesWithTheNextMessageAsAnAttachment) {
  auto s = everything();
  const auto text = s->attach_resource("demo://resource/dynamic/text/1");
  EXPECT_FALSE(text.name.empty());
  ASSERT_EQ(text.content.size(), 1u);
  ASSERT_NE(text.content[0].get_if<TextPart>(), nullptr);
  EXPECT_FALSE(text.content[0].get_if<TextPart>()->text.view().empty());
  EXPECT_THROW(s->attach_resource("demo://resource/no/such/thing"), McpError);

  aui::testing::Driver driver;
  aui::testing::ScriptedAdapter model(driver);
  ThreadRuntimeOptions o;
  o.chat_model = model;
  o.dispatcher = driver.dispatcher();
  o.executor = driver.executor();
  ThreadRuntime thread(std::move(o));
  auto added = thread.composer().add_attachment(text);
  driver.settle();
  ASSERT_TRUE(added.succeeded_ok());
  thread.composer().set_text("What does it say?");
  auto sent = thread.composer().send();
  driver.settle();
  ASSERT_FALSE(thread.messages().empty());
  const auto& message = *thread.messages().front();
  ASSERT_EQ(message.attachments.size(), 1u);
  EXPECT_EQ(message.attachments[0].name, text.name);
  EXPECT_EQ(message.attachments[0].content, text.content);
}

// Issue 19: the server's instructions join the system prompt of the threads it serves.
TEST_F(Reference, TheServersInstructionsJoinTheSystemPrompt) {
  auto s = everything();
  const std::string instructions = s->status().info.instructions;
  ASSERT_FALSE(instructions.empty());
  const std::string prompt = s->system_prompt();
  EXPECT_EQ(prompt.rfind("Instructions from the MCP server everything:\n", 0), 0u) << prompt;
  EXPECT_NE(prompt.find(instructions.substr(0, 40)), std::string::npos) << prompt;

  aui::testing::Driver driver;
  aui::testing::ScriptedAdapter model(driver);
  ThreadRuntimeOptions o;
  o.chat_model = model;
  o.dispatcher = driver.dispatcher();
  o.executor = driver.executor();
  ThreadRuntime thread(std::move(o));
  auto registration = s->register_with(thread);
  driver.settle();
  EXPECT_EQ(thread.model_context().system, prompt);
  registration.unsubscribe();
  driver.settle();
  EXPECT_TRUE(thread.model_context().system.empty());
}

TEST_F(Reference, UnknownToolsAndBadArgumentsAreErrorResults) {
  auto s = everything();
  const auto unknown = s->call_tool("no-such-tool", Json::object());
  EXPECT_TRUE(unknown.is_error);
  EXPECT_NE(unknown.text.find("no-such-tool"), std::string::npos) << unknown.text;
  // Caught by aui before sending.
  const auto bad = s->call_tool("get-sum", {{"a", "two"}, {"b", 2}});
  EXPECT_TRUE(bad.is_error);
  EXPECT_NE(bad.text.find("field `a`: expected a number"), std::string::npos) << bad.text;
  // Sent as is, the server refuses it too.
  bool refused = false;
  try {
    const Json raw = s->client()->call_tool("get-sum", {{"a", "two"}, {"b", 2}});
    refused = raw.value("isError", false);
  } catch (const McpError&) {
    refused = true;
  }
  EXPECT_TRUE(refused);
}

TEST_F(Reference, StreamableHttp) {
  // Never started: why (the server's own output), not a timeout.
  ASSERT_NE(servers->http->status().state, McpServerState::Stopped) << servers->http_problem;
  auto s = ready(servers->http);
  EXPECT_EQ(s->status().info.protocol_version, "2025-11-25");
  EXPECT_EQ(s->call_tool("echo", {{"message", "over http"}}).text, "Echo: over http");
  const auto image = s->call_tool("get-tiny-image", Json::object());
  EXPECT_EQ(image.images.size(), 1u);
  {
    std::lock_guard lock(servers->progress_mutex);
    servers->progress.clear();
  }
  // Progress arrives on the POST's event stream.
  const auto r = s->call_tool("trigger-long-running-operation", {{"duration", 0.2}, {"steps", 2}});
  EXPECT_FALSE(r.is_error) << r.text;
  {
    std::lock_guard lock(servers->progress_mutex);
    EXPECT_EQ(servers->progress.size(), 2u);
  }
  EXPECT_FALSE(s->resources().empty());
  // Closing ends the session with DELETE.
  s->stop();
  ASSERT_TRUE(test::eventually([&] {
    std::ifstream in(servers->http_out);
    std::stringstream text;
    text << in.rdbuf();
    return text.str().find("Received session termination request") != std::string::npos;
  }));
}

TEST_F(Reference, FilesystemServerOnATemporaryDirectory) {
  auto s = ready(servers->files);
  const auto list = s->find_tool("files__list_directory");
  ASSERT_TRUE(list);
  EXPECT_FALSE(list->needs_approval);  // read-only, and the config allows read-only tools
  const auto write = s->find_tool("files__write_file");
  ASSERT_TRUE(write);
  EXPECT_TRUE(write->needs_approval);
  const std::string dir = fs::canonical(servers->dir).string();
  const auto listing = s->call_tool("list_directory", {{"path", dir}});
  EXPECT_FALSE(listing.is_error) << listing.text;
  EXPECT_NE(listing.text.find("[FILE] hello.txt"), std::string::npos) << listing.text;
  EXPECT_NE(listing.text.find("[DIR] sub"), std::string::npos) << listing.text;
  const auto read = s->call_tool("read_text_file", {{"path", dir + "/hello.txt"}});
  EXPECT_EQ(read.text, "Hello from aui's test.\n");
  const auto outside = s->call_tool("read_text_file", {{"path", "/etc/passwd"}});
  EXPECT_TRUE(outside.is_error);
}

}  // namespace
}  // namespace aui::mcp
