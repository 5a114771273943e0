#pragma once
// Normalising message-like input (spec §2.9): appended messages, initial messages and imports
// from plain lists all pass through here.

#include <optional>
#include <string>
#include <vector>

#include "aui/model/json.hpp"
#include "aui/model/message.hpp"

namespace aui {

/// A message as a caller may loosely describe it. Only `role` and `content` are needed.
struct ThreadMessageLike {
  Role role = Role::User;
  Content content{};
  std::optional<Id> id{};
  std::optional<Timestamp> created_at{};
  std::optional<MessageStatus> status{};                 // assistant only
  std::optional<std::vector<Attachment>> attachments{};  // user only
  MessageMetadata metadata{};
  bool has_steps = false;  // set when metadata carried steps (an error on non-assistant roles)

  /// A message with one text part.
  static ThreadMessageLike text(Role role, std::string text);
};

/// Builds a ThreadMessageLike from loose JSON: `content` may be a string; part types named
/// `data-<name>` become data parts; unknown part types fail InvalidMessage.
ThreadMessageLike message_like_from_json(const Json& j, const std::string& path = "message");

/// The spec's fromThreadMessageLike: validates and normalises. Throws aui::Error(InvalidMessage)
/// on attachments or status on the wrong role, steps on a non-assistant role, a system message
/// whose content is not exactly one text part, or a part type not allowed for the role.
/// Assistant text/reasoning parts that are blank are dropped; image parts that are not data:
/// image/base64, https: or blob: URLs are dropped; tool calls get ids and args/argsText defaults.
ThreadMessage normalize_message(ThreadMessageLike like, const Id& fallback_id,
                                const MessageStatus& fallback_status);

/// Lenient parse of possibly truncated JSON object text (a streaming tool call's arguments):
/// the longest prefix that can be closed into valid JSON; `{}` when nothing parses.
Json parse_partial_json(std::string_view text);

}  // namespace aui
