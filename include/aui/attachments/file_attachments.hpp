#pragma once
// Attachment adapters for files on disk (aui::attachments): text and code files, images, and a
// composite that routes a file to the adapter that accepts it (spec §13.1 reference adapters).

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "aui/adapters/attachment_adapter.hpp"

namespace aui::attachments {

/// A HostFile for a path, as a file picker gives one: the name is the path's last component and
/// the content type is guessed from the extension ("application/octet-stream" when unknown). The
/// bytes are not read here; the adapters read and check them.
HostFile host_file_from_path(const std::string& path);

/// The media type an extension usually means ("" when unknown). Case-insensitive; takes a name.
std::string content_type_for_name(std::string_view name);

/// The image type the bytes actually are: "image/png", "image/jpeg", "image/gif", "image/webp",
/// or "" when they are none of these. Reads the magic numbers, not the name.
std::string sniff_image_type(std::string_view bytes);

/// A text or code file becomes one text part wrapping its body in
/// `<attachment name="NAME">…</attachment>`, so the model sees which file it is.
/// add() fails (and the composer stays as it was) when the file is missing, unreadable, larger
/// than `max_bytes`, or not text (NUL bytes or invalid UTF-8: a mislabelled binary).
class TextAttachmentAdapter final : public AttachmentAdapter {
 public:
  explicit TextAttachmentAdapter(std::size_t max_bytes = 512 * 1024);
  std::string accept() const override;
  Attachment add(const HostFile& file,
                 const std::function<void(const Attachment&)>& progress) override;
  Attachment send(const Attachment& pending) override;
  void remove(const Attachment& attachment) override;

 private:
  std::size_t max_bytes_;
};

/// A PNG, JPEG, GIF or WebP image becomes one image part holding a `data:` URL. The type in the
/// URL comes from the bytes, not the extension; add() fails for a file whose bytes are no such
/// image, and for a missing, unreadable or too large file.
class ImageAttachmentAdapter final : public AttachmentAdapter {
 public:
  explicit ImageAttachmentAdapter(std::size_t max_bytes = 10 * 1024 * 1024);
  std::string accept() const override;
  Attachment add(const HostFile& file,
                 const std::function<void(const Attachment&)>& progress) override;
  Attachment send(const Attachment& pending) override;
  void remove(const Attachment& attachment) override;

 private:
  std::size_t max_bytes_;
};

/// Routes each file to the first adapter whose accept matches it. A wildcard ("*") adapter may
/// only come last (the constructor throws InvalidArgument otherwise); a file no adapter accepts
/// fails NotAccepted. Thread-safe: adds and sends may run on several workers at once.
class CompositeAttachmentAdapter final : public AttachmentAdapter {
 public:
  explicit CompositeAttachmentAdapter(std::vector<std::shared_ptr<AttachmentAdapter>> adapters);
  /// The adapters' patterns joined by commas ("*" if one accepts everything).
  std::string accept() const override;
  Attachment add(const HostFile& file,
                 const std::function<void(const Attachment&)>& progress) override;
  Attachment send(const Attachment& pending) override;
  void remove(const Attachment& attachment) override;

 private:
  AttachmentAdapter& route(const Attachment& attachment);
  std::vector<std::shared_ptr<AttachmentAdapter>> adapters_;
  std::mutex mutex_;
  std::map<Id, AttachmentAdapter*> owner_;  // pending attachment id → the adapter that added it
};

/// Text files and images, in that order: what aui-chat's /attach uses.
std::shared_ptr<AttachmentAdapter> make_default_attachment_adapter();

}  // namespace aui::attachments
