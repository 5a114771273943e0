// JSON-RPC 2.0 messages (json_rpc.hpp).

#include "aui/mcp/json_rpc.hpp"

namespace aui::mcp {

namespace {

bool valid_id(const Json& id) { return id.is_string() || id.is_number_integer(); }

RpcMessage invalid(std::string why) {
  RpcMessage m;
  m.kind = RpcKind::Invalid;
  m.invalid_reason = std::move(why);
  return m;
}

}  // namespace

RpcMessage classify_rpc(const Json& message) {
  if (!message.is_object()) return invalid("a message that is not a JSON object");
  const auto version = message.find("jsonrpc");
  if (version == message.end() || !version->is_string() || version->get<std::string>() != "2.0")
    return invalid("a message without \"jsonrpc\": \"2.0\"");
  RpcMessage m;
  const auto id = message.find("id");
  const bool has_id = id != message.end() && !id->is_null();
  if (has_id) m.id = *id;
  if (const auto method = message.find("method"); method != message.end()) {
    if (!method->is_string()) return invalid("a message whose method is not a string");
    m.method = method->get<std::string>();
    if (const auto params = message.find("params"); params != message.end()) {
      if (!params->is_object() && !params->is_array() && !params->is_null())
        return invalid("the message " + m.method + " has params that are not an object");
      m.params = *params;
    }
    if (has_id && !valid_id(*id)) return invalid("the request " + m.method + " has a bad id");
    m.kind = has_id ? RpcKind::Request : RpcKind::Notification;
    return m;
  }
  if (!has_id) {
    // An error about a request the peer could not even read carries a null id.
    if (message.contains("error")) {
      m.kind = RpcKind::Error;
    } else {
      return invalid("a message with neither a method nor an id");
    }
  } else if (!valid_id(*id)) {
    return invalid("an answer with a bad id");
  }
  if (const auto result = message.find("result"); result != message.end()) {
    if (message.contains("error")) return invalid("an answer with both a result and an error");
    m.kind = RpcKind::Result;
    m.result = *result;
    return m;
  }
  if (const auto error = message.find("error"); error != message.end()) {
    m.kind = RpcKind::Error;
    if (error->is_object()) {
      if (const auto code = error->find("code"); code != error->end() && code->is_number_integer())
        m.error_code = code->get<int>();
      if (const auto text = error->find("message"); text != error->end() && text->is_string())
        m.error_message = text->get<std::string>();
      if (const auto data = error->find("data"); data != error->end()) m.error_data = *data;
    }
    if (m.error_message.empty()) m.error_message = "the server reported an error";
    return m;
  }
  return invalid("an answer with neither a result nor an error");
}

Json make_request(const Json& id, std::string_view method, Json params) {
  Json j = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) j["params"] = std::move(params);
  return j;
}

Json make_notification(std::string_view method, Json params) {
  Json j = {{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) j["params"] = std::move(params);
  return j;
}

Json make_result(const Json& id, Json result) {
  return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

Json make_error(const Json& id, int code, std::string_view message, Json data) {
  Json error = {{"code", code}, {"message", message}};
  if (!data.is_null()) error["data"] = std::move(data);
  return Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}};
}

}  // namespace aui::mcp
