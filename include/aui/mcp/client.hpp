#pragma once
// McpClient: one MCP session over a transport — the initialize handshake with version
// negotiation, requests with timeouts, progress and cancellation, and the server's own messages
// (ping, roots, logging, notifications). Its calls block the calling thread (run them on a
// worker); every member is thread-safe.
//
//     auto client = std::make_shared<aui::mcp::McpClient>(
//         aui::mcp::make_stdio_transport({.argv = {"mcp-server-everything"}}));
//     client->connect();
//     for (const auto& tool : client->list_tools()) std::cout << tool.name << "\n";
//     aui::Json result = client->call_tool("echo", {{"message", "hi"}});

#include <atomic>
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
#include <utility>
#include <vector>

#include "aui/mcp/clock.hpp"
#include "aui/mcp/json_rpc.hpp"
#include "aui/mcp/protocol.hpp"
#include "aui/mcp/transport.hpp"

namespace aui::mcp {

/// A progress report of a running request (notifications/progress).
struct McpProgress {
  double progress = 0;
  std::optional<double> total{};
  std::string message{};
};

struct McpClientOptions {
  std::string client_name = "aui";
  std::string client_version = "0.1.0";
  /// A request without an answer for this long fails (and is cancelled at the server). Progress
  /// from the server starts the wait anew.
  std::chrono::milliseconds request_timeout{60'000};
  /// The handshake's own limit: a server started through npx may first download itself.
  std::chrono::milliseconds initialize_timeout{60'000};
  /// The clock timeouts are measured by; the steady clock when null (tests give a ManualClock).
  std::shared_ptr<McpClock> clock{};
  /// Directories (file:// URIs) and their names the server may ask for (roots/list). Empty: the
  /// client does not offer the roots capability.
  std::vector<std::pair<std::string, std::string>> roots{};
  /// Where the server's log messages, its standard error and what the client ignored go:
  /// (level, line). Called on the transport's thread. Lines quote the server: untrusted text.
  std::function<void(const std::string& level, const std::string& line)> log{};
  /// Notifications the client does not handle itself (notifications/tools/list_changed,
  /// …/resources/list_changed, …/prompts/list_changed, …/resources/updated). Called on the
  /// transport's thread: do not block there and do not make requests from it.
  std::function<void(const std::string& method, const Json& params)> on_notification{};
  /// The connection ended on its own (the server exited or hung up). Transport thread.
  std::function<void(const std::string& why)> on_closed{};
};

/// How one request is made.
struct McpRequestOptions {
  /// Cancels the request: the server is told (notifications/cancelled) and the call throws
  /// aui::Cancelled at once.
  std::stop_token stop{};
  /// Overrides McpClientOptions::request_timeout.
  std::optional<std::chrono::milliseconds> timeout{};
  /// Asks the server for progress (a progressToken) and receives it, on the transport's thread.
  std::function<void(const McpProgress&)> on_progress{};
};

class McpClient {
 public:
  explicit McpClient(std::unique_ptr<McpTransport> transport, McpClientOptions options = {});
  ~McpClient();  // close()
  McpClient(const McpClient&) = delete;
  McpClient& operator=(const McpClient&) = delete;

  /// Starts the transport and runs the handshake: initialize offering kLatestProtocolVersion,
  /// then notifications/initialized. A server answering a version aui does not support is
  /// refused (McpError naming both), as is one that fails or does not answer. Call once.
  const McpServerInfo& connect(std::stop_token stop = {});
  /// The handshake's answer (empty before connect()).
  const McpServerInfo& server_info() const noexcept { return info_; }

  /// Sends a request and waits for its answer: the result, or McpError (the server's error, a
  /// timeout, the connection closing), or aui::Cancelled when `options.stop` fires.
  Json request(const std::string& method, Json params = nullptr,
               const McpRequestOptions& options = {});
  /// Sends a notification.
  void notify(const std::string& method, Json params = nullptr);

  /// Every page of tools/list (resources/list, …), following nextCursor.
  std::vector<McpTool> list_tools(const McpRequestOptions& options = {});
  std::vector<McpResource> list_resources(const McpRequestOptions& options = {});
  std::vector<McpResourceTemplate> list_resource_templates(const McpRequestOptions& options = {});
  std::vector<McpPrompt> list_prompts(const McpRequestOptions& options = {});
  /// tools/call as the server answers it (a CallToolResult: content, structuredContent, isError).
  /// A failing tool is an answer with isError, not an exception; McpError means the call itself
  /// failed (unknown tool, bad arguments reported as a protocol error, timeout, closed).
  Json call_tool(const std::string& name, const Json& arguments,
                 const McpRequestOptions& options = {});
  std::vector<McpResourceContents> read_resource(const std::string& uri,
                                                 const McpRequestOptions& options = {});
  McpPromptResult get_prompt(const std::string& name, const Json& arguments = Json::object(),
                             const McpRequestOptions& options = {});
  /// logging/setLevel: the least severe level the server should send ("debug", "info", …).
  void set_log_level(const std::string& level);
  /// Sends ping and waits for the answer.
  void ping(const McpRequestOptions& options = {});

  /// Ends the session: fails the requests in flight, closes the transport (which stops a child
  /// process). Idempotent; never throws.
  void close();
  /// Connected and not closed.
  bool is_connected() const;
  /// Why the connection ended, or empty while it is open.
  std::string closed_reason() const;
  /// Requests sent so far (the handshake included).
  std::uint64_t requests_sent() const noexcept { return requests_sent_.load(); }

 private:
  struct Pending {
    bool done = false;
    Json result{};
    std::optional<McpError> error{};
    McpClock::time_point deadline{};
    std::chrono::milliseconds timeout{};
    std::function<void(const McpProgress&)> on_progress{};
  };
  void on_message(Json message);
  void on_closed(const std::string& why);
  void answer_request(const RpcMessage& m);
  void log(const std::string& level, const std::string& line);
  template <class T>
  std::vector<T> list_all(const std::string& method, const char* key, T (*parse)(const Json&),
                          const McpRequestOptions& options);

  std::unique_ptr<McpTransport> transport_;
  McpClientOptions options_;
  std::shared_ptr<McpClock> clock_;
  McpServerInfo info_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::map<std::int64_t, std::shared_ptr<Pending>> pending_;
  std::atomic<std::int64_t> next_id_{1};
  std::atomic<std::uint64_t> requests_sent_{0};
  bool started_ = false;
  bool connected_ = false;
  bool closed_ = false;
  std::string closed_reason_;
  Subscription clock_jumps_;
};

}  // namespace aui::mcp
