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
  /// (called there) prints a line about a server (ready, failed); `progress` (called there, may
  /// be empty) shows a progress report of a running tool call: (tool call id, line).
  void start(std::function<void(std::function<void()>)> post,
             std::function<void(const std::string&)> notice,
             std::function<void(const std::string&, const std::string&)> progress = {});
  /// What /mcp attach and /mcp prompt act on, all called on the chat's thread: the thread shown
  /// (its composer takes the attachment), holding the lines typed after a command until it is
  /// done, sending a message as the user's, and printing the prompt again.
  struct Chat {
    std::function<ThreadRuntime&()> thread{};
    std::function<void(const Completion&)> hold{};
    std::function<void(const std::string&)> send{};
    std::function<void()> prompt{};
  };
  void set_chat(Chat chat) { chat_ = std::move(chat); }
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

  /// /mcp, /mcp restart NAME, /mcp log NAME, /mcp attach SERVER URI (the resource goes with the
  /// next message), /mcp prompt SERVER NAME [ARG=VALUE ...] (the filled-in prompt is sent as the
  /// user's message). True when `cmd` is one; a mistake throws std::runtime_error with a
  /// one-line message. attach and prompt answer later (the server is asked on a worker); the
  /// lines typed after them wait until they have.
  bool command(const std::string& cmd, const std::string& args, std::ostream& out);
  /// How a tool call is shown: "fs: list_directory" for an MCP tool, else its name.
  std::string tool_label(const std::string& tool_name) const;
  static const char* help();

 private:
  void on_change();
  void print_server(const mcp::McpServerConnection& server, std::ostream& out) const;
  std::shared_ptr<mcp::McpServerConnection> ready_server(const std::string& name) const;
  void attach(const std::string& server, const std::string& uri, std::ostream& out);
  void use_prompt(const std::string& server, const std::string& name, const Json& arguments,
                  std::ostream& out);
  /// Runs `work` on a worker, then `then` on the chat's thread (unless the commands are gone),
  /// holding the chat's lines until it has.
  void in_background(std::function<std::function<void()>()> work);

  std::string config_file_;
  std::vector<std::string> problems_;
  std::shared_ptr<mcp::McpRegistry> registry_;
  std::function<void(std::function<void()>)> post_;
  std::function<void(const std::string&)> notice_;
  std::shared_ptr<std::mutex> log_mutex_ = std::make_shared<std::mutex>();
  std::shared_ptr<std::map<std::string, std::deque<std::string>>> logs_ =
      std::make_shared<std::map<std::string, std::deque<std::string>>>();
  std::map<std::string, mcp::McpServerState> announced_;  // chat thread only
  Chat chat_;
  // Where progress reports go: set by start() before any server starts, read on transport
  // threads.
  std::shared_ptr<std::function<void(const mcp::McpToolProgress&)>> progress_ =
      std::make_shared<std::function<void(const mcp::McpToolProgress&)>>();
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::vector<Subscription> registrations_;
  Subscription changes_;
};

}  // namespace aui::chat
