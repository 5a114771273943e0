// Reading the server's JSON into aui's MCP types (protocol.hpp).

#include "aui/mcp/protocol.hpp"

#include "aui/mcp/json_rpc.hpp"

namespace aui::mcp {

namespace {

std::string str(const Json& j, const char* key) {
  if (!j.is_object()) return {};
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<bool> flag(const Json& j, const char* key) {
  if (!j.is_object()) return std::nullopt;
  const auto it = j.find(key);
  if (it == j.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

std::string required(const Json& j, const char* key, const char* what) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string())
    throw McpError(rpc_code::InvalidParams,
                   std::string("the server sent ") + what + " without a \"" + key + "\"");
  return j[key].get<std::string>();
}

}  // namespace

const std::vector<std::string>& supported_protocol_versions() {
  static const std::vector<std::string> versions = {"2025-11-25", "2025-06-18", "2025-03-26",
                                                    "2024-11-05"};
  return versions;
}

McpServerInfo parse_server_info(const Json& r) {
  McpServerInfo info;
  info.protocol_version = str(r, "protocolVersion");
  if (r.is_object()) {
    if (const auto caps = r.find("capabilities"); caps != r.end() && caps->is_object())
      info.capabilities = *caps;
    if (const auto s = r.find("serverInfo"); s != r.end()) {
      info.name = str(*s, "name");
      info.title = str(*s, "title");
      info.version = str(*s, "version");
    }
  }
  info.instructions = str(r, "instructions");
  return info;
}

McpTool parse_tool(const Json& j) {
  McpTool t;
  t.name = required(j, "name", "a tool");
  t.title = str(j, "title");
  t.description = str(j, "description");
  if (const auto s = j.find("inputSchema"); s != j.end() && s->is_object()) t.input_schema = *s;
  if (const auto s = j.find("outputSchema"); s != j.end() && s->is_object()) t.output_schema = *s;
  if (const auto a = j.find("annotations"); a != j.end() && a->is_object()) {
    t.annotations.read_only = flag(*a, "readOnlyHint");
    t.annotations.destructive = flag(*a, "destructiveHint");
    t.annotations.idempotent = flag(*a, "idempotentHint");
    t.annotations.open_world = flag(*a, "openWorldHint");
    t.annotations.title = str(*a, "title");
  }
  if (t.title.empty()) t.title = t.annotations.title;
  t.raw = j;
  return t;
}

McpResource parse_resource(const Json& j) {
  McpResource r;
  r.uri = required(j, "uri", "a resource");
  r.name = str(j, "name");
  r.title = str(j, "title");
  r.description = str(j, "description");
  r.mime_type = str(j, "mimeType");
  if (const auto s = j.find("size"); s != j.end() && s->is_number_integer())
    r.size = s->get<std::int64_t>();
  r.raw = j;
  return r;
}

McpResourceTemplate parse_resource_template(const Json& j) {
  McpResourceTemplate r;
  r.uri_template = required(j, "uriTemplate", "a resource template");
  r.name = str(j, "name");
  r.title = str(j, "title");
  r.description = str(j, "description");
  r.mime_type = str(j, "mimeType");
  r.raw = j;
  return r;
}

McpResourceContents parse_resource_contents(const Json& j) {
  McpResourceContents c;
  c.uri = str(j, "uri");
  c.mime_type = str(j, "mimeType");
  if (j.is_object()) {
    if (const auto t = j.find("text"); t != j.end() && t->is_string())
      c.text = t->get<std::string>();
    if (const auto b = j.find("blob"); b != j.end() && b->is_string())
      c.blob = b->get<std::string>();
  }
  return c;
}

McpPrompt parse_prompt(const Json& j) {
  McpPrompt p;
  p.name = required(j, "name", "a prompt");
  p.title = str(j, "title");
  p.description = str(j, "description");
  if (const auto args = j.find("arguments"); args != j.end() && args->is_array()) {
    for (const auto& a : *args) {
      McpPromptArgument arg;
      arg.name = str(a, "name");
      arg.description = str(a, "description");
      arg.required = flag(a, "required").value_or(false);
      p.arguments.push_back(std::move(arg));
    }
  }
  p.raw = j;
  return p;
}

McpPromptResult parse_prompt_result(const Json& j) {
  McpPromptResult r;
  r.description = str(j, "description");
  if (const auto ms = j.find("messages"); ms != j.end() && ms->is_array()) {
    for (const auto& m : *ms) {
      McpPromptMessage pm;
      pm.role = str(m, "role");
      if (m.is_object() && m.contains("content")) pm.content = m["content"];
      r.messages.push_back(std::move(pm));
    }
  }
  return r;
}

std::string McpPromptResult::text() const {
  std::string out;
  for (const auto& m : messages) {
    std::string piece;
    const Json& c = m.content;
    const std::string type = str(c, "type");
    if (type == "text") {
      piece = str(c, "text");
    } else if (type == "resource" && c.contains("resource")) {
      piece = str(c["resource"], "text");
    }
    if (piece.empty()) continue;
    if (!out.empty()) out += "\n\n";
    out += piece;
  }
  return out;
}

}  // namespace aui::mcp
