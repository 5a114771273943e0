#pragma once
// McpRegistry: every server of an `mcpServers` configuration, started in parallel, offered to
// threads as tools. Two lines give a program every MCP tool:
//
//     auto mcp = aui::mcp::McpRegistry::from_config_file("mcp.json");  // starts the servers
//     auto tools = mcp->register_with(rt.thread());                     // the thread gets their
//     tools
//
// A server with a bad configuration is reported (problems()) and the others start; a server
// that fails stays listed with its reason and can be restarted.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aui/mcp/server_config.hpp"
#include "aui/mcp/server_connection.hpp"

namespace aui::mcp {

class McpRegistry {
 public:
  /// Reads the file and starts its servers (all at once, in the background).
  static std::shared_ptr<McpRegistry> from_config_file(const std::filesystem::path& path,
                                                       McpConnectionOptions options = {});
  /// The servers of `config`; none is started yet (start_all()). Disabled ones stay stopped.
  explicit McpRegistry(McpConfig config, McpConnectionOptions options = {});
  /// Stops every server, in parallel, and waits for them.
  ~McpRegistry();
  McpRegistry(const McpRegistry&) = delete;
  McpRegistry& operator=(const McpRegistry&) = delete;

  /// Starts every server that is not disabled, in parallel; returns at once.
  void start_all();
  /// Stops every server, in parallel; returns when all are gone.
  void stop_all();
  /// Waits until no server is starting, at most `timeout`; true when none is.
  bool wait_settled(std::chrono::milliseconds timeout) const;

  /// What was wrong with the configuration (each names the file, server and field).
  const std::vector<McpConfigProblem>& problems() const noexcept { return problems_; }
  const std::vector<std::shared_ptr<McpServerConnection>>& servers() const noexcept {
    return servers_;
  }
  /// The server named `name`, or null.
  std::shared_ptr<McpServerConnection> find(const std::string& name) const;
  /// Restarts the server named `name`; false when there is none.
  bool restart(const std::string& name);

  /// Which server runs the tool the model calls `model_name`, and its own name for it.
  struct ToolRef {
    std::string server{};
    McpServerTool tool{};
  };
  std::optional<ToolRef> find_tool(const std::string& model_name) const;

  /// Offers every server's tools to `thread` while the subscription lives (see
  /// McpServerConnection::register_with). Owner thread of `thread`.
  [[nodiscard]] Subscription register_with(ThreadRuntime& thread);
  /// Called after any server's state or lists change, on any thread.
  [[nodiscard]] Subscription subscribe(std::function<void()> on_change);

 private:
  std::vector<McpConfigProblem> problems_;
  std::vector<std::shared_ptr<McpServerConnection>> servers_;
};

}  // namespace aui::mcp
