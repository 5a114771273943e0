#pragma once
// Turning an MCP tool's answer (a CallToolResult) into what aui's tool calls hold.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aui/mcp/protocol.hpp"
#include "aui/model/json.hpp"
#include "aui/model/message.hpp"
#include "aui/runtime/tool.hpp"

namespace aui::mcp {

/// A link to a resource the tool pointed at (a resource_link block).
struct McpResourceLink {
  std::string uri{};
  std::string name{};
  std::string title{};
  std::string description{};
  std::string mime_type{};
  std::optional<std::int64_t> size{};
};

/// A tool's answer, taken apart by content type.
struct McpToolResult {
  /// The text blocks, joined by newlines.
  std::string text{};
  /// Image blocks as image parts (data: URLs).
  std::vector<ImagePart> images{};
  /// Audio blocks and binary embedded resources (base64 data and their MIME types).
  std::vector<FilePart> files{};
  std::vector<McpResourceLink> links{};
  /// Embedded resources (text or binary), in order.
  std::vector<McpResourceContents> resources{};
  /// structuredContent, or null.
  Json structured{};
  bool is_error = false;
  /// The answer as received.
  Json raw{};

  /// What the model reads: the text, then one line per resource link, each embedded text
  /// resource with its URI, a note per image, audio or binary item, and the structured content
  /// when there is no text. Never empty.
  std::string model_text() const;
  /// The tool call's result: `result` is model_text() (what every backend sends), `is_error`,
  /// `model_content` the text plus each image and audio item as a file part ({type: "file",
  /// data, mediaType}), and `artifact` {server, tool, structuredContent?, resourceLinks?} for
  /// views.
  ToolOutput to_tool_output(const std::string& server, const std::string& tool) const;
};

/// Reads a CallToolResult. With an `output_schema` (the tool's outputSchema) an answer that is
/// not an error must carry structuredContent matching it; one that does not becomes an error
/// result saying why (the model sees it). Content blocks of unknown types are noted, not lost.
McpToolResult read_tool_result(const Json& call_tool_result, const Json& output_schema = nullptr);

}  // namespace aui::mcp
