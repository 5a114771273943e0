// An MCP resource as a composer attachment (resource_attachment.hpp).

#include "aui/mcp/resource_attachment.hpp"

#include "aui/mcp/json_rpc.hpp"

namespace aui::mcp {

namespace {

/// "notes.txt" of "file:///tmp/notes.txt", "3" of "test://static/resource/3"; the URI itself
/// when it ends in '/'.
std::string last_segment(const std::string& uri) {
  std::string path = uri;
  if (const auto q = path.find_first_of("?#"); q != std::string::npos) path.resize(q);
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos || slash + 1 == path.size()) return uri;
  return path.substr(slash + 1);
}

bool is_image(const std::string& mime) { return mime.rfind("image/", 0) == 0; }

}  // namespace

CreateAttachment resource_attachment(const std::string& server, const std::string& uri,
                                     const std::vector<McpResourceContents>& contents,
                                     const std::string& name) {
  if (contents.empty()) {
    throw McpError(rpc_code::InvalidParams,
                   "MCP server " + server + " returned nothing for the resource " + uri);
  }
  CreateAttachment a;
  a.name = name.empty() ? last_segment(uri) : name;
  a.content_type = contents.size() == 1 ? contents.front().mime_type : std::string();
  bool only_images = true;
  for (const auto& item : contents) {
    const std::string item_uri = item.uri.empty() ? uri : item.uri;
    if (item.text) {
      only_images = false;
      // Several items: each says where it came from, as a reader of the message needs.
      std::string text = contents.size() > 1 ? item_uri + ":\n" + *item.text : *item.text;
      a.content.push_back(TextPart{Text(std::move(text))});
    } else if (item.blob && is_image(item.mime_type)) {
      ImagePart image;
      image.image = "data:" + item.mime_type + ";base64," + *item.blob;
      image.filename = last_segment(item_uri);
      a.content.push_back(std::move(image));
    } else if (item.blob) {
      only_images = false;
      FilePart file;
      file.data = *item.blob;
      file.mime_type = item.mime_type.empty() ? "application/octet-stream" : item.mime_type;
      file.filename = last_segment(item_uri);
      a.content.push_back(std::move(file));
    }
  }
  if (a.content.empty()) {
    throw McpError(rpc_code::InvalidParams,
                   "MCP server " + server + " returned no text or data for the resource " + uri);
  }
  a.type = only_images ? "image" : "document";
  return a;
}

}  // namespace aui::mcp
