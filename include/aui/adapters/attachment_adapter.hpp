#pragma once
// AttachmentAdapter (spec §13.1): turns files the user picks into attachment content.

#include <functional>
#include <string>
#include <string_view>

#include "aui/model/message.hpp"

namespace aui {

/// Methods run on a worker thread and may block; throw to fail.
class AttachmentAdapter {
 public:
  virtual ~AttachmentAdapter() = default;
  /// Comma-separated accept patterns (".txt", "image/*", "text/plain") or "*" (spec §8.6).
  virtual std::string accept() const = 0;
  /// Starts adding `file`: returns the final pending state; may report earlier states (upload
  /// progress) through `progress` first.
  virtual Attachment add(const HostFile& file,
                         const std::function<void(const Attachment&)>& progress) = 0;
  /// Completes a pending attachment (status complete, content set).
  virtual Attachment send(const Attachment& pending) = 0;
  /// Discards a pending attachment.
  virtual void remove(const Attachment& attachment) = 0;
};

/// The spec §8.6 accept rule: "*" accepts all; else comma-separated entries compared
/// case-insensitively after trimming: ".ext" matches the file name's extension, "type/subtype"
/// the media type without parameters, "type/*" any subtype.
bool attachment_accepted(std::string_view accept, std::string_view name,
                         std::string_view content_type);

}  // namespace aui
