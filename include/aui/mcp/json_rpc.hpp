#pragma once
// JSON-RPC 2.0 framing as MCP uses it: requests, notifications, responses and errors, one message
// per JSON value (MCP 2025-06-18 dropped batches; a batch from an older server is split).

#include <stdexcept>
#include <string>
#include <string_view>

#include "aui/model/json.hpp"

namespace aui::mcp {

/// The error codes of JSON-RPC and the ones aui reports for failures that have no answer.
namespace rpc_code {
inline constexpr int ParseError = -32700;
inline constexpr int InvalidRequest = -32600;
inline constexpr int MethodNotFound = -32601;
inline constexpr int InvalidParams = -32602;
inline constexpr int InternalError = -32603;
/// The connection closed (or never opened) before the answer came.
inline constexpr int ConnectionClosed = -32000;
/// No answer within the request's timeout.
inline constexpr int RequestTimeout = -32001;
/// The transport failed to deliver the request (an HTTP error, a refused connection).
inline constexpr int TransportError = -32098;
/// The answer was larger than the transport accepts.
inline constexpr int MessageTooLarge = -32097;
}  // namespace rpc_code

/// A request that failed: the server's error answer, or no answer (closed, timed out, too large).
/// what() is a sentence a person understands; code() and data() are for programs and logs.
class McpError : public std::runtime_error {
 public:
  McpError(int code, const std::string& message, Json data = {})
      : std::runtime_error(message), code_(code), data_(std::move(data)) {}
  int code() const noexcept { return code_; }
  const Json& data() const noexcept { return data_; }

 private:
  int code_;
  Json data_;
};

/// What one received JSON value is.
enum class RpcKind { Request, Notification, Result, Error, Invalid };

/// A received message, taken apart. `id` is the request id as sent (a number or a string).
struct RpcMessage {
  RpcKind kind = RpcKind::Invalid;
  Json id{};
  std::string method{};
  Json params{};  // object, array or null
  Json result{};
  int error_code = 0;
  std::string error_message{};
  Json error_data{};
  /// Why a message is Invalid, for the log.
  std::string invalid_reason{};
};

/// Classifies one JSON value by the JSON-RPC 2.0 rules. Never throws: anything that is not a
/// well-formed message comes back Invalid with the reason.
RpcMessage classify_rpc(const Json& message);

Json make_request(const Json& id, std::string_view method, Json params = nullptr);
Json make_notification(std::string_view method, Json params = nullptr);
Json make_result(const Json& id, Json result);
Json make_error(const Json& id, int code, std::string_view message, Json data = nullptr);

}  // namespace aui::mcp
