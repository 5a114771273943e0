// CallToolResult → aui tool results (tool_result.hpp).

#include "aui/mcp/tool_result.hpp"

#include "aui/runtime/json_schema.hpp"
#include "framing.hpp"

namespace aui::mcp {

namespace {

std::string str(const Json& j, const char* key) {
  if (!j.is_object()) return {};
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The decoded size of base64 text.
std::size_t base64_size(const std::string& b64) {
  std::size_t n = b64.size();
  while (n > 0 && b64[n - 1] == '=') --n;
  return n * 3 / 4;
}

void append_line(std::string& out, const std::string& line) {
  if (!out.empty()) out += '\n';
  out += line;
}

}  // namespace

McpToolResult read_tool_result(const Json& r, const Json& output_schema) {
  McpToolResult out;
  out.raw = r;
  if (!r.is_object()) {
    out.is_error = true;
    out.text = "The server's answer is not a tool result.";
    return out;
  }
  if (const auto e = r.find("isError"); e != r.end() && e->is_boolean())
    out.is_error = e->get<bool>();
  if (const auto s = r.find("structuredContent"); s != r.end()) out.structured = *s;
  if (const auto content = r.find("content"); content != r.end() && content->is_array()) {
    for (const auto& block : *content) {
      const std::string type = str(block, "type");
      if (type == "text") {
        if (!out.text.empty()) out.text += '\n';
        out.text += str(block, "text");
      } else if (type == "image") {
        ImagePart image;
        const std::string mime = str(block, "mimeType");
        image.image = "data:" + (mime.empty() ? std::string("image/png") : mime) + ";base64," +
                      str(block, "data");
        out.images.push_back(std::move(image));
      } else if (type == "audio") {
        FilePart file;
        file.data = str(block, "data");
        file.mime_type = str(block, "mimeType");
        out.files.push_back(std::move(file));
      } else if (type == "resource_link") {
        McpResourceLink link;
        link.uri = str(block, "uri");
        link.name = str(block, "name");
        link.title = str(block, "title");
        link.description = str(block, "description");
        link.mime_type = str(block, "mimeType");
        if (block.contains("size") && block["size"].is_number_integer())
          link.size = block["size"].get<std::int64_t>();
        out.links.push_back(std::move(link));
      } else if (type == "resource" && block.contains("resource")) {
        McpResourceContents contents = parse_resource_contents(block["resource"]);
        if (contents.blob) {
          FilePart file;
          file.data = *contents.blob;
          file.mime_type = contents.mime_type;
          file.filename = contents.uri;
          out.files.push_back(std::move(file));
        }
        out.resources.push_back(std::move(contents));
      } else {
        // A newer content type: kept in raw, noted for the model.
        McpResourceContents unknown;
        unknown.uri = "(a " + detail::excerpt(type.empty() ? "untyped" : type, 40) + " block)";
        unknown.text = block.dump();
        out.resources.push_back(std::move(unknown));
      }
    }
  }
  if (!out.is_error && output_schema.is_object()) {
    if (out.structured.is_null()) {
      out.is_error = true;
      out.text = "The tool's answer lacks the structured content its output schema promises." +
                 (out.text.empty() ? std::string() : "\n" + out.text);
    } else if (auto bad = validate_json(output_schema, out.structured)) {
      out.is_error = true;
      out.text =
          "The tool's structured content does not match its output schema: " + bad->describe() +
          (out.text.empty() ? std::string() : "\n" + out.text);
    }
  }
  return out;
}

std::string McpToolResult::model_text() const {
  std::string out = text;
  for (const auto& link : links) {
    std::string line =
        "Resource link: " + (link.title.empty() ? link.name : link.title) + " <" + link.uri + ">";
    if (!link.mime_type.empty()) line += " (" + link.mime_type + ")";
    if (!link.description.empty()) line += " — " + link.description;
    append_line(out, line);
  }
  for (const auto& r : resources) {
    if (r.text) {
      append_line(out, "Resource " + r.uri + (r.mime_type.empty() ? "" : " (" + r.mime_type + ")") +
                           ":\n" + *r.text);
    } else if (r.blob) {
      append_line(out, "[resource " + r.uri + ": " +
                           (r.mime_type.empty() ? std::string("binary") : r.mime_type) + ", " +
                           detail::describe_size(base64_size(*r.blob)) + "]");
    }
  }
  for (const auto& image : images) {
    const auto semicolon = image.image.find(';');
    const std::string mime = image.image.substr(5, semicolon - 5);
    const auto comma = image.image.find(',');
    append_line(out, "[image " + mime + ", " +
                         detail::describe_size(base64_size(image.image.substr(comma + 1))) + "]");
  }
  for (const auto& file : files) {
    if (file.mime_type.rfind("audio/", 0) == 0)
      append_line(out, "[audio " + file.mime_type + ", " +
                           detail::describe_size(base64_size(file.data)) + "]");
  }
  if (text.empty() && !structured.is_null()) append_line(out, structured.dump());
  if (out.empty())
    out = is_error ? "The tool failed without saying why." : "The tool returned no content.";
  return out;
}

ToolOutput McpToolResult::to_tool_output(const std::string& server, const std::string& tool) const {
  ToolOutput output{Json(model_text())};
  output.is_error = is_error;
  Json model = Json::array();
  model.push_back({{"type", "text"}, {"text", model_text()}});
  bool has_media = false;
  for (const auto& image : images) {
    const auto semicolon = image.image.find(';');
    const auto comma = image.image.find(',');
    model.push_back({{"type", "file"},
                     {"data", image.image.substr(comma + 1)},
                     {"mediaType", image.image.substr(5, semicolon - 5)}});
    has_media = true;
  }
  for (const auto& file : files) {
    if (file.mime_type.rfind("audio/", 0) != 0) continue;
    model.push_back({{"type", "file"}, {"data", file.data}, {"mediaType", file.mime_type}});
    has_media = true;
  }
  if (has_media) output.model_content = std::move(model);
  Json artifact = {{"server", server}, {"tool", tool}};
  if (!structured.is_null()) artifact["structuredContent"] = structured;
  if (!links.empty()) {
    Json ls = Json::array();
    for (const auto& l : links) {
      Json j = {{"uri", l.uri}, {"name", l.name}};
      if (!l.mime_type.empty()) j["mimeType"] = l.mime_type;
      ls.push_back(std::move(j));
    }
    artifact["resourceLinks"] = std::move(ls);
  }
  output.artifact = std::move(artifact);
  return output;
}

}  // namespace aui::mcp
