#pragma once
// JSON in and out for the data model, in the same shape as assistant-ui (spec §2, §3.9), so a
// thread exported by a web app imports here and exports back unchanged.
//
// Parsing is strict and all-or-nothing: a value that does not fit the shape throws
// aui::Error(ErrorKind::InvalidJson) whose message names the offending field's path, e.g.
// `messages[3].message.content[0].type: unknown part type "widget"`; nothing is half-imported.

#include <string>
#include <string_view>

#include "aui/model/json.hpp"
#include "aui/model/message.hpp"

namespace aui {

struct ExportedMessageRepository;  // aui/tree/message_repository.hpp

Json to_json(const ContentPart& part);
Json to_json(const MessageStatus& status);
Json to_json(const Attachment& attachment);
Json to_json(const ThreadMessage& message);
Json to_json(const RunConfig& config);

/// The message's JSON as text: exactly to_json(message).dump(), written without building a
/// document (what the stores and an export want). A string in the message that is not valid UTF-8
/// throws aui::Error(InvalidMessage) naming the message's path, where dump() throws nlohmann's
/// type_error 316.
std::string to_json_text(const ThreadMessage& message);
/// An exported thread as assistant-ui JSON text (the file a web app imports): exactly
/// to_json(repo).dump(), ~30 times faster; invalid UTF-8 as for a message, naming
/// `messages[i]` or `headId`.
std::string to_json_text(const ExportedMessageRepository& repo);
/// Reads an exported thread from assistant-ui JSON text: the same repository, and the same
/// errors, as repository_from_json(parse_json(text)). Messages in the common stored shape are
/// read straight from the text; any other message is read by the document reader on its own.
ExportedMessageRepository repository_from_json_text(std::string_view text);

/// Parses a ThreadMessage from its JSON form. `path` prefixes error messages.
ThreadMessage message_from_json(const Json& j, const std::string& path = "message");
/// Parses a ThreadMessage from JSON text: the same message, and the same errors, as
/// message_from_json(parse_json(text, path), path). The common shape (text parts only, no
/// custom or assistant metadata, no attachments) is read straight from the text without
/// building a document, which is what makes loading a long stored thread fast.
ThreadMessage message_from_json_text(std::string_view text, const std::string& path = "message");
ContentPart part_from_json(const Json& j, Role role, const std::string& path = "part");
MessageStatus status_from_json(const Json& j, const std::string& path = "status");
Attachment attachment_from_json(const Json& j, const std::string& path = "attachment");
RunConfig run_config_from_json(const Json& j, const std::string& path = "runConfig");

/// ISO-8601 UTC with milliseconds ("2026-03-01T12:00:00.000Z") and back. Parsing accepts any
/// ISO-8601 UTC form with or without fractional seconds; throws InvalidJson otherwise.
std::string format_timestamp(Timestamp t);
Timestamp parse_timestamp(std::string_view s, const std::string& path = "createdAt");

/// Parses text as JSON, turning a syntax error into aui::Error(InvalidJson) with the byte offset.
Json parse_json(std::string_view text, const std::string& what = "JSON");

}  // namespace aui
