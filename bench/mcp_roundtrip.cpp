// MCP (docs/performance.md, "MCP"): what a tools/call round trip costs on top of the server's own
// work, and starting servers side by side.
//
//   M1  aui's own cost per call: McpClient over an in-process transport that answers at once on
//       its own thread (serialise, send, wake, parse, match the id, return).
//   M2  a round trip on stdio to a minimal server (node, a JSON line in, a JSON line out): pipes,
//       two processes and node's event loop — the floor of any stdio server.
//   M3  the everything-server's echo tool on stdio (the MCP SDK's own handling included).
//   M4  starting one and three everything-servers, side by side and one after another.
//   M5  the same with servers that take half a second to get ready without using the CPU:
//       side by side, a registry takes about as long as its slowest server.
// M2–M4 need node and the reference servers (AUI_MCP_SERVERS, as for the tests); without them
// they are skipped with a message.

#include <benchmark/benchmark.h>

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "aui/mcp/client.hpp"
#include "aui/mcp/registry.hpp"
#include "aui/mcp/stdio_transport.hpp"

namespace {

using aui::Json;
namespace mcp = aui::mcp;

// Answers every request on a thread of its own, as a server process would, but at once.
class LoopbackTransport final : public mcp::McpTransport {
 public:
  ~LoopbackTransport() override { close(); }
  void start(Handlers handlers) override {
    handlers_ = std::move(handlers);
    thread_ = std::thread([this] { run(); });
  }
  void send(const Json& message) override {
    std::string line = message.dump();  // what a real transport writes
    {
      std::lock_guard lock(mutex_);
      inbox_.push_back(std::move(line));
    }
    cv_.notify_one();
  }
  void close() override {
    {
      std::lock_guard lock(mutex_);
      if (closed_) return;
      closed_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }
  std::string describe() const override { return "loopback"; }

 private:
  void run() {
    for (;;) {
      std::string line;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return closed_ || !inbox_.empty(); });
        if (closed_) return;
        line = std::move(inbox_.front());
        inbox_.pop_front();
      }
      const Json m = Json::parse(line);
      if (!m.contains("id") || !m.contains("method")) continue;
      Json result = Json::object();
      const std::string method = m["method"];
      if (method == "initialize") {
        result = {{"protocolVersion", "2025-11-25"},
                  {"capabilities", {{"tools", Json::object()}}},
                  {"serverInfo", {{"name", "loopback"}, {"version", "1"}}}};
      } else if (method == "tools/call") {
        result = {
            {"content",
             {{{"type", "text"},
               {"text", "Echo: " + m["params"]["arguments"]["message"].get<std::string>()}}}}};
      }
      // A server's answer arrives as text.
      handlers_.on_message(
          Json::parse(Json{{"jsonrpc", "2.0"}, {"id", m["id"]}, {"result", result}}.dump()));
    }
  }
  Handlers handlers_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> inbox_;
  bool closed_ = false;
};

std::filesystem::path modules() {
  const char* dir = std::getenv("AUI_MCP_SERVERS");
  return dir ? std::filesystem::path(dir) : std::filesystem::path();
}

bool have_servers(benchmark::State& state) {
  if (std::system("node --version >/dev/null 2>&1") != 0) {
    state.SkipWithError("node is not installed");
    return false;
  }
  if (modules().empty() ||
      !std::filesystem::exists(modules() / "@modelcontextprotocol/server-everything")) {
    state.SkipWithError(
        "the reference MCP servers are not installed: set AUI_MCP_SERVERS to their node_modules "
        "(ctest -R mcp.install_servers puts them in build/<preset>/tests/mcp/servers)");
    return false;
  }
  return true;
}

std::vector<std::string> everything_argv() {
  return {"node", (modules() / "@modelcontextprotocol/server-everything/dist/index.js").string(),
          "stdio"};
}

void echo_loop(benchmark::State& state, mcp::McpClient& client) {
  const Json args = {{"message", "hello"}};
  for (auto _ : state) {
    Json r = client.call_tool("echo", args);
    benchmark::DoNotOptimize(r);
  }
}

void M1_mcp_client_overhead_per_call(benchmark::State& state) {
  mcp::McpClient client(std::make_unique<LoopbackTransport>());
  client.connect();
  echo_loop(state, client);
}
BENCHMARK(M1_mcp_client_overhead_per_call)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The smallest stdio server: node answers each line at once (no MCP SDK).
constexpr const char* kMinimalServer = R"JS(
const rl = require('readline').createInterface({input: process.stdin});
rl.on('line', (line) => {
  const m = JSON.parse(line);
  if (m.id === undefined || !m.method) return;
  let result = {};
  if (m.method === 'initialize')
    result = {protocolVersion: '2025-11-25', capabilities: {tools: {}}, serverInfo: {name: 'minimal', version: '1'}};
  else if (m.method === 'tools/call')
    result = {content: [{type: 'text', text: 'Echo: ' + m.params.arguments.message}]};
  process.stdout.write(JSON.stringify({jsonrpc: '2.0', id: m.id, result}) + '\n');
});
)JS";

void M2_mcp_stdio_roundtrip_minimal_node_server(benchmark::State& state) {
  if (std::system("node --version >/dev/null 2>&1") != 0) {
    state.SkipWithError("node is not installed");
    return;
  }
  mcp::McpClient client(mcp::make_stdio_transport({.argv = {"node", "-e", kMinimalServer}}));
  client.connect();
  echo_loop(state, client);
}
BENCHMARK(M2_mcp_stdio_roundtrip_minimal_node_server)->Unit(benchmark::kMicrosecond)->UseRealTime();

void M3_mcp_stdio_roundtrip_everything_echo(benchmark::State& state) {
  if (!have_servers(state)) return;
  mcp::McpClient client(mcp::make_stdio_transport({.argv = everything_argv()}));
  client.connect();
  echo_loop(state, client);
}
BENCHMARK(M3_mcp_stdio_roundtrip_everything_echo)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Starts `count` servers of `argv` through a registry, side by side (start_all) or one after
// another (each waited for), and times it until all are ready.
void start_servers(benchmark::State& state, const std::vector<std::string>& argv) {
  const int count = static_cast<int>(state.range(0));
  const bool side_by_side = state.range(1) != 0;
  for (auto _ : state) {
    mcp::McpConfig config;
    for (int i = 0; i < count; ++i) {
      mcp::McpServerConfig c;
      c.name = "server" + std::to_string(i);
      c.argv = argv;
      config.servers.push_back(c);
    }
    mcp::McpRegistry registry(config);
    const auto start = std::chrono::steady_clock::now();
    if (side_by_side) {
      registry.start_all();
    } else {
      for (const auto& s : registry.servers()) {
        s->start();
        s->wait_settled(std::chrono::seconds(60));
      }
    }
    registry.wait_settled(std::chrono::seconds(60));
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    for (const auto& s : registry.servers()) {
      if (s->status().state != mcp::McpServerState::Ready)
        state.SkipWithError("a server did not start");
    }
    registry.stop_all();
  }
}

// The everything-server (node): its start is mostly CPU (loading the SDK), so on a busy machine
// three at once share the cores.
void M4_mcp_start_everything_servers(benchmark::State& state) {
  if (!have_servers(state)) return;
  start_servers(state, everything_argv());
}
BENCHMARK(M4_mcp_start_everything_servers)
    ->ArgNames({"servers", "side_by_side"})
    ->Args({1, 1})
    ->Args({3, 1})
    ->Args({3, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(3);

// A server that takes half a second to get ready while using no CPU (tests/mcp/bad_server.py
// slow-start): side by side, three take the time of one.
void M5_mcp_start_slow_servers(benchmark::State& state) {
  const bool system_python = std::filesystem::exists("/usr/bin/python3");
  start_servers(state, {system_python ? "/usr/bin/python3" : "python3",
                        std::string(AUI_SOURCE_DIR) + "/tests/mcp/bad_server.py", "slow-start"});
}
BENCHMARK(M5_mcp_start_slow_servers)
    ->ArgNames({"servers", "side_by_side"})
    ->Args({1, 1})
    ->Args({3, 1})
    ->Args({3, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime()
    ->Iterations(3);

}  // namespace
