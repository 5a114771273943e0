#pragma once
// McpServerConnection: one configured MCP server as the app sees it — started in the
// background, its state (starting, ready, failed: why), what it offers, and its tools as aui
// tools named `server__tool` that a thread's model context gets while the server is ready.
// A server that fails, exits, hangs or talks garbage never takes the app down: its tools
// disappear or its calls end as error results the model sees, and restart() tries again.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "aui/mcp/client.hpp"
#include "aui/mcp/resource_attachment.hpp"
#include "aui/mcp/server_config.hpp"
#include "aui/mcp/tool_result.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/executor.hpp"
#include "aui/support/subscription.hpp"

namespace aui::mcp {

enum class McpServerState { Stopped, Starting, Ready, Failed };
/// "stopped", "starting", "ready", "failed".
const char* to_string(McpServerState state) noexcept;

/// A tool of a server as the model sees it.
struct McpServerTool {
  /// The name the model calls: `server__tool`, reduced to letters, digits, '_' and '-' and at
  /// most 64 characters (what model APIs accept), unique among the server's tools.
  std::string model_name{};
  /// The tool as the server describes it; `tool.name` is what aui calls it by.
  McpTool tool{};
  /// Whether a person approves each call (see McpServerConfig's trust fields).
  bool needs_approval = true;
};

/// Progress of a tool call while it runs.
struct McpToolProgress {
  std::string server{};
  std::string tool{};  // the server's name of the tool
  std::string tool_call_id{};
  McpProgress progress{};
};

struct McpConnectionOptions {
  /// Where servers start and tool lists are fetched; default_executor() when null.
  std::shared_ptr<Executor> executor{};
  /// The session settings (timeouts, clock, roots, client name). Its callbacks are the
  /// connection's own; use `log` below instead.
  McpClientOptions client{};
  /// Log lines of every server: its log messages, its standard error, what was ignored, and
  /// state changes. Any thread. Lines quote the server: untrusted text. A start or restart still
  /// running on a worker keeps the connection alive and may log after the last handle to it was
  /// dropped: the callback must own what it uses (capture by value or shared ownership).
  std::function<void(const std::string& server, const std::string& level, const std::string& line)>
      log{};
  /// Progress of running tool calls. Any thread; do not block.
  std::function<void(const McpToolProgress&)> on_progress{};
  /// Builds the transport for a server; the default spawns the command or connects to the URL.
  std::function<std::unique_ptr<McpTransport>(const McpServerConfig&)> make_transport{};
  /// For stdio servers: how long a server has to exit after its input closes, and after
  /// SIGTERM, before it is killed.
  std::chrono::milliseconds exit_grace{2'000};
  std::chrono::milliseconds term_grace{2'000};
  /// The largest message accepted from a server.
  std::size_t max_message_bytes = std::size_t{16} << 20;
  /// Whether a ready server's `instructions` (from its initialize answer) join the system prompt
  /// of the threads it is registered with (see McpServerConnection::system_prompt). The text is
  /// the server's, like its tool descriptions: a server you would not trust to describe its
  /// tools should not be configured at all.
  bool instructions_in_system_prompt = true;
};

class McpServerConnection : public std::enable_shared_from_this<McpServerConnection> {
 public:
  static std::shared_ptr<McpServerConnection> create(McpServerConfig config,
                                                     McpConnectionOptions options = {});
  ~McpServerConnection();  // stops the server
  McpServerConnection(const McpServerConnection&) = delete;
  McpServerConnection& operator=(const McpServerConnection&) = delete;

  const std::string& name() const noexcept { return config_.name; }
  const McpServerConfig& config() const noexcept { return config_; }

  /// Starts the server in the background (stopping a running one first): Starting, then Ready
  /// once the handshake is done and its tools, resources and prompts are listed, or Failed with
  /// the reason. Returns at once. Also the way to restart a failed server.
  void start();
  /// Stops the server and waits until it is gone (a child process reaped). Its tools disappear.
  void stop();
  /// Waits until the server is no longer Starting, at most `timeout`. Returns the state.
  McpServerState wait_settled(std::chrono::milliseconds timeout) const;

  struct Status {
    McpServerState state = McpServerState::Stopped;
    /// Why it failed (a sentence), or empty.
    std::string error{};
    McpServerInfo info{};
    /// Times the server was started.
    int starts = 0;
    /// Times the tools were listed again because the server said they changed.
    int tool_lists = 0;
  };
  Status status() const;
  std::vector<McpServerTool> tools() const;
  std::vector<McpResource> resources() const;
  std::vector<McpResourceTemplate> resource_templates() const;
  std::vector<McpPrompt> prompts() const;
  /// The tool the model calls `model_name`, if this server has it.
  std::optional<McpServerTool> find_tool(const std::string& model_name) const;
  /// The tools as aui tools by model name: each runs on a worker, asks for approval unless
  /// trusted, and turns the answer into a tool result (mcp/tool_result.hpp). Empty unless Ready.
  std::shared_ptr<const Toolkit> toolkit() const;
  /// The session while Ready, else null.
  std::shared_ptr<McpClient> client() const;
  /// What the server adds to a thread's system prompt: its instructions under a line naming the
  /// server ("Instructions from the MCP server NAME:"), cut at 8,000 bytes; empty unless Ready
  /// with instructions.
  std::string system_prompt() const;

  /// Calls a tool by the server's name: the arguments are checked against its input schema
  /// first; the answer is checked against its output schema. Every failure (not running, bad
  /// arguments, the server's error, a timeout) is an error result with a sentence, never an
  /// exception, except aui::Cancelled when `stop` fires.
  McpToolResult call_tool(const std::string& tool, const Json& arguments, std::stop_token stop = {},
                          const std::string& tool_call_id = {});
  /// resources/read and prompts/get on the running server. McpError when it is not Ready or
  /// the server refuses.
  std::vector<McpResourceContents> read_resource(const std::string& uri, std::stop_token stop = {});
  McpPromptResult get_prompt(const std::string& name, const Json& arguments = Json::object(),
                             std::stop_token stop = {});
  /// read_resource made into an attachment for the composer (mcp/resource_attachment.hpp),
  /// named after the resource as listed (else the URI's last segment). McpError as
  /// read_resource.
  CreateAttachment attach_resource(const std::string& uri, std::stop_token stop = {});

  /// Called after every change of state or of the lists, on any thread.
  [[nodiscard]] Subscription subscribe(std::function<void()> on_change);
  /// Offers the server's tools to `thread` (a model context provider) for as long as the
  /// subscription lives; the thread's context follows the server (tools appear when it is ready,
  /// change with list_changed, disappear when it stops or fails). With
  /// McpConnectionOptions::instructions_in_system_prompt, system_prompt() is the provider's
  /// system text. Owner thread of `thread`.
  [[nodiscard]] Subscription register_with(ThreadRuntime& thread);

 private:
  McpServerConnection(McpServerConfig config, McpConnectionOptions options);
  void run_start(std::uint64_t generation, std::stop_token stop);
  void on_closed(std::uint64_t generation, const std::string& why);
  void on_notification(std::uint64_t generation, const std::string& method);
  void refresh(std::uint64_t generation, const std::string& what);
  void set_tools(std::vector<McpTool> tools);  // needs mutex_
  void changed();
  void log(const std::string& level, const std::string& line) const;
  ToolOutput execute_tool(const std::string& tool, const Json& arguments,
                          const ToolInvocation& invocation);

  McpServerConfig config_;
  McpConnectionOptions options_;
  std::shared_ptr<Executor> executor_;
  mutable std::mutex mutex_;
  mutable std::condition_variable settled_;
  McpServerState state_ = McpServerState::Stopped;
  std::string error_;
  McpServerInfo info_;
  int starts_ = 0;
  std::uint64_t generation_ = 0;
  std::stop_source start_stop_;
  std::shared_ptr<McpClient> client_;
  std::shared_ptr<McpClient> connecting_;  // during the handshake, so stop() can end it
  int tool_lists_ = 0;
  std::vector<McpServerTool> tools_;
  std::shared_ptr<const Toolkit> toolkit_ = std::make_shared<const Toolkit>();
  std::vector<McpResource> resources_;
  std::vector<McpResourceTemplate> templates_;
  std::vector<McpPrompt> prompts_;
  struct Listeners;
  std::shared_ptr<Listeners> listeners_;
};

/// `server__tool` made safe for model APIs (see McpServerTool::model_name).
std::string model_tool_name(const std::string& server, const std::string& tool);

}  // namespace aui::mcp
