#pragma once
// aui-chat's MCP servers: the `mcpServers` file (--mcp-config, or $XDG_CONFIG_HOME/aui/mcp.json),
// the servers it starts, and the /mcp commands. The servers' tools join every thread behind
// approvals (aui::mcp decides which are trusted).

#include <deque>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aui/mcp/registry.hpp"

namespace aui::chat {

/// --mcp-config FILE / --no-mcp. Returns true when argv[i] was one (i moves past its value);
/// throws std::invalid_argument with a one-line message when its value is missing.
bool parse_mcp_arg(int argc, const char* const* argv, int& i, std::string& config_path, bool& off);
/// The lines --help shows for them.
const char* mcp_usage();

class McpCommands {
 public:
  /// Reads `config_path` (or the default file when empty and it exists; nothing when `off`).
  /// Threads may be registered before start().
  McpCommands(const std::string& config_path, bool off);
  /// Starts the servers in the background. `post` runs a task on the chat's thread; `notice`
  /// (called there) prints a line about a server (ready, failed).
  void start(std::function<void(std::function<void()>)> post,
             std::function<void(const std::string&)> notice);
  /// Stops every server and waits until they are gone.
  void stop();
  ~McpCommands();
  McpCommands(const McpCommands&) = delete;
  McpCommands& operator=(const McpCommands&) = delete;

  /// The servers (null when there is no configuration).
  const std::shared_ptr<mcp::McpRegistry>& registry() const noexcept { return registry_; }
  /// What to print at start: which file, how many servers, what is wrong with it. Empty when
  /// there is no configuration.
  std::string banner() const;
  /// Offers the servers' tools to a thread (kept until the commands go).
  void register_thread(ThreadRuntime& thread);

  /// /mcp, /mcp restart NAME, /mcp log NAME. True when `cmd` is one; a mistake throws
  /// std::runtime_error with a one-line message.
  bool command(const std::string& cmd, const std::string& args, std::ostream& out);
  /// How a tool call is shown: "fs: list_directory" for an MCP tool, else its name.
  std::string tool_label(const std::string& tool_name) const;
  static const char* help();

 private:
  void on_change();
  void print_server(const mcp::McpServerConnection& server, std::ostream& out) const;

  std::string config_file_;
  std::vector<std::string> problems_;
  std::shared_ptr<mcp::McpRegistry> registry_;
  std::function<void(std::function<void()>)> post_;
  std::function<void(const std::string&)> notice_;
  std::shared_ptr<std::mutex> log_mutex_ = std::make_shared<std::mutex>();
  std::shared_ptr<std::map<std::string, std::deque<std::string>>> logs_ =
      std::make_shared<std::map<std::string, std::deque<std::string>>>();
  std::map<std::string, mcp::McpServerState> announced_;  // chat thread only
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::vector<Subscription> registrations_;
  Subscription changes_;
};

}  // namespace aui::chat
