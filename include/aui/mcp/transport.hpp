#pragma once
// McpTransport: how JSON-RPC messages travel between aui and one MCP server. Two ship with aui:
// stdio (a child process, stdio_transport.hpp) and Streamable HTTP (http_transport.hpp).

#include <functional>
#include <string>

#include "aui/model/json.hpp"

namespace aui::mcp {

/// A message pipe to one server. send() may be called from any thread; the handlers are called
/// on the transport's own thread, one at a time, and must not block for long nor call close().
class McpTransport {
 public:
  struct Handlers {
    /// One message from the server (a JSON value the transport parsed; not yet checked to be
    /// JSON-RPC).
    std::function<void(Json message)> on_message;
    /// The connection ended without close() being called: the server exited, hung up, or the
    /// session ended. `why` is a sentence for the user. Called at most once.
    std::function<void(const std::string& why)> on_closed;
    /// A line for the log: the server's standard error, and what the transport ignored (a line
    /// that is not JSON, a message too large). Never holds secrets from the configuration.
    std::function<void(const std::string& line)> on_log;
  };

  virtual ~McpTransport() = default;
  /// Opens the connection (spawns the process, or readies the HTTP client). Throws McpError with
  /// a message a person understands when it cannot (the command does not exist, a bad URL).
  virtual void start(Handlers handlers) = 0;
  /// Queues one message; never waits for the server. Throws McpError when the connection is
  /// closed or the server has stopped reading.
  virtual void send(const Json& message) = 0;
  /// The protocol version the session agreed on (HTTP sends it with every later request).
  virtual void set_protocol_version(const std::string& version) { (void)version; }
  /// Ends the connection and releases everything (a child process is stopped and reaped). Waits
  /// for that; idempotent. After it no handler is called.
  virtual void close() = 0;
  /// What the transport connects to, for messages: the command or the URL (without secrets).
  virtual std::string describe() const = 0;
};

}  // namespace aui::mcp
