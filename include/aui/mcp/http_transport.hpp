#pragma once
// The Streamable HTTP transport (MCP 2025-03-26 and later) on libcurl: every message is a POST
// whose answer is JSON or an event stream; an optional GET stream carries what the server sends
// on its own; DELETE ends the session.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "aui/mcp/transport.hpp"

namespace aui::mcp {

struct HttpServerParams {
  /// The server's MCP endpoint, e.g. "https://example.com/mcp".
  std::string url{};
  /// Sent with every request (e.g. {"Authorization", "Bearer …"}). Never logged, never in a
  /// message.
  std::vector<std::pair<std::string, std::string>> headers{};
  /// A message (a JSON answer or one stream event) larger than this is dropped and the request
  /// it answered fails.
  std::size_t max_message_bytes = std::size_t{16} << 20;
  std::chrono::milliseconds connect_timeout{15'000};
  /// TLS peer and host verification; switch off only for a local server you trust.
  bool verify_tls = true;
  /// Open the GET stream for requests and notifications the server sends on its own (tools
  /// that changed, log messages). A server that answers 405 has none; that is fine.
  bool listen = true;
  /// How long to wait before reconnecting a stream that ended (the server's `retry:` field
  /// overrides it), and how many times in a row to try.
  std::chrono::milliseconds reconnect_delay{1'000};
  int max_reconnects = 3;
};

/// A transport for one Streamable HTTP server. The session id the server gives at initialize
/// (Mcp-Session-Id) and the agreed protocol version (MCP-Protocol-Version) go with every later
/// request. A stream cut before its answer is resumed with Last-Event-ID (as the 2025-11-25
/// revision lets servers close streams early). close() ends the session with DELETE.
std::unique_ptr<McpTransport> make_http_transport(HttpServerParams params);

}  // namespace aui::mcp
