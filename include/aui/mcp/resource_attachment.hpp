#pragma once
// An MCP resource as a message attachment: what resources/read returned, made into a composer
// attachment (ThreadRuntime::composer().add_attachment) so the resource goes with the user's
// next message like an attached file.

#include <string>
#include <vector>

#include "aui/mcp/protocol.hpp"
#include "aui/runtime/composer.hpp"

namespace aui::mcp {

/// The contents of resource `uri` of `server` (resources/read) as a ready-made attachment: text
/// items as text parts (each headed by its URI when there are several), image blobs as image
/// parts (data: URLs), other blobs as file parts with their MIME type. Its name is `name` when
/// given, else the last segment of the URI; its type "image" when it holds only images, else
/// "document". Throws McpError(InvalidParams) when the server returned nothing.
/// The content is the server's: untrusted, like any file a user attaches.
CreateAttachment resource_attachment(const std::string& server, const std::string& uri,
                                     const std::vector<McpResourceContents>& contents,
                                     const std::string& name = {});

}  // namespace aui::mcp
