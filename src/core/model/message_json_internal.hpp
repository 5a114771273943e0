#pragma once
// Private to src/core/model: what the JSON writers and readers of the data model share (see
// message_json_common.cpp for which file holds which job).

#include <string>
#include <string_view>

#include "aui/model/message.hpp"
#include "aui/support/errors.hpp"
#include "model/json_reader.hpp"

namespace aui::detail {

/// Appends format_timestamp(t) to `out` (without snprintf: the writers call it per message).
void append_timestamp(std::string& out, Timestamp t);

// The names of roles, statuses and reasons; an unknown name throws Error(kind) naming `path`.
StatusType status_type_from(std::string_view s, const std::string& path, ErrorKind kind);
StatusReason reason_from(std::string_view s, const std::string& path, ErrorKind kind);
Role role_from(std::string_view s, const std::string& path, ErrorKind kind);
/// Whether `reason` is one the spec allows with a status of `type`.
bool reason_fits(StatusType type, StatusReason reason);

// The document readers (message_json_reader.cpp). `lenient` is the message-like normalisation
// (message_like.cpp): fields it may default are not required.
PartStatus part_status_from(const Reader& r);
Approval approval_from(const Reader& r);
ContentPart part_from(const Reader& r, Role role, bool lenient);
MessageStatus status_from(const Reader& r);
Attachment attachment_from(const Reader& r, bool lenient);
/// `has_steps` (if given) learns whether the metadata named steps at all.
MessageMetadata metadata_from(const Reader& r, Role role, bool* has_steps);

}  // namespace aui::detail
