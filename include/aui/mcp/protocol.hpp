#pragma once
// What MCP servers offer, as aui reads it: the server's identity and capabilities, tools,
// resources and prompts (MCP 2024-11-05 to 2025-11-25). Each type keeps the JSON it was read
// from, so fields aui does not model (icons, _meta) are not lost.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aui/model/json.hpp"

namespace aui::mcp {

/// The newest protocol revision aui speaks; offered at initialize.
inline constexpr const char* kLatestProtocolVersion = "2025-11-25";
/// Every revision aui accepts from a server, newest first (2025-11-25, 2025-06-18, 2025-03-26,
/// 2024-11-05).
const std::vector<std::string>& supported_protocol_versions();

/// Who the server is and what it can do (the answer to initialize).
struct McpServerInfo {
  std::string protocol_version{};
  std::string name{};
  std::string title{};
  std::string version{};
  /// How to use the server, meant for the model's system prompt. Untrusted text.
  std::string instructions{};
  Json capabilities = Json::object();
  bool has_tools() const { return capabilities.contains("tools"); }
  bool has_resources() const { return capabilities.contains("resources"); }
  bool has_prompts() const { return capabilities.contains("prompts"); }
  bool has_logging() const { return capabilities.contains("logging"); }
};

/// Hints about a tool's behaviour. The server says them; nothing guarantees them.
struct McpToolAnnotations {
  std::optional<bool> read_only{};    // readOnlyHint
  std::optional<bool> destructive{};  // destructiveHint
  std::optional<bool> idempotent{};   // idempotentHint
  std::optional<bool> open_world{};   // openWorldHint
  std::string title{};
};

struct McpTool {
  std::string name{};  // as the server calls it
  std::string title{};
  std::string description{};
  Json input_schema = Json::object();
  Json output_schema{};  // null when the tool gives no structured output
  McpToolAnnotations annotations{};
  Json raw{};
};

struct McpResource {
  std::string uri{};
  std::string name{};
  std::string title{};
  std::string description{};
  std::string mime_type{};
  std::optional<std::int64_t> size{};
  Json raw{};
};

struct McpResourceTemplate {
  std::string uri_template{};
  std::string name{};
  std::string title{};
  std::string description{};
  std::string mime_type{};
  Json raw{};
};

/// One item of resources/read: text, or base64 `blob`.
struct McpResourceContents {
  std::string uri{};
  std::string mime_type{};
  std::optional<std::string> text{};
  std::optional<std::string> blob{};
};

struct McpPromptArgument {
  std::string name{};
  std::string description{};
  bool required = false;
};

struct McpPrompt {
  std::string name{};
  std::string title{};
  std::string description{};
  std::vector<McpPromptArgument> arguments{};
  Json raw{};
};

/// A prompt filled in (prompts/get): messages to put into a conversation.
struct McpPromptMessage {
  std::string role{};  // "user" or "assistant"
  Json content{};      // one MCP content block
};
struct McpPromptResult {
  std::string description{};
  std::vector<McpPromptMessage> messages{};
  /// The text of the messages, joined by blank lines (embedded text resources included): what
  /// a plain chat sends as the user's message.
  std::string text() const;
};

/// Readers of the server's JSON. They accept what older revisions send and never throw on a
/// missing optional field; a value without its required fields throws McpError(InvalidParams).
McpServerInfo parse_server_info(const Json& initialize_result);
McpTool parse_tool(const Json& tool);
McpResource parse_resource(const Json& resource);
McpResourceTemplate parse_resource_template(const Json& resource_template);
McpResourceContents parse_resource_contents(const Json& contents);
McpPrompt parse_prompt(const Json& prompt);
McpPromptResult parse_prompt_result(const Json& result);

}  // namespace aui::mcp
