// Attachment adapters for files on disk: text/code, images, and the composite router.

#include "aui/attachments/file_attachments.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aui/support/errors.hpp"

namespace aui::attachments {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string extension_of(std::string_view name) {
  const auto slash = name.find_last_of('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  const auto dot = name.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  return lower(name.substr(dot));
}

std::string human_size(std::uintmax_t bytes) {
  std::ostringstream out;
  if (bytes >= 1024 * 1024) {
    out.precision(1);
    out << std::fixed << static_cast<double>(bytes) / (1024.0 * 1024.0) << " MiB";
  } else if (bytes >= 1024) {
    out << (bytes + 1023) / 1024 << " KiB";
  } else {
    out << bytes << " bytes";
  }
  return out.str();
}

// The file's bytes: the ones the HostFile carries, else read from its path. Every failure is a
// clear InvalidArgument naming the file, checked before anything reaches the composer.
std::string load(const HostFile& file, std::size_t max_bytes) {
  const std::string label = file.path.empty() ? file.name : file.path;
  if (!file.bytes.empty() || file.path.empty()) {
    if (file.bytes.size() > max_bytes) {
      throw Error(ErrorKind::InvalidArgument, "\"" + label + "\" is " +
                                                  human_size(file.bytes.size()) +
                                                  "; the limit is " + human_size(max_bytes));
    }
    return file.bytes;
  }
  std::error_code ec;
  const auto status = std::filesystem::status(file.path, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw Error(ErrorKind::InvalidArgument, "cannot attach \"" + label + "\": no such file");
  }
  if (std::filesystem::is_directory(status)) {
    throw Error(ErrorKind::InvalidArgument, "cannot attach \"" + label + "\": it is a directory");
  }
  const auto size = std::filesystem::file_size(file.path, ec);
  if (!ec && size > max_bytes) {
    throw Error(ErrorKind::InvalidArgument, "\"" + label + "\" is " + human_size(size) +
                                                "; the limit is " + human_size(max_bytes));
  }
  std::ifstream in(file.path, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::InvalidArgument,
                "cannot read \"" + label + "\": " + std::strerror(errno));
  }
  std::string bytes;
  bytes.resize(static_cast<std::size_t>(ec ? 0 : size));
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (static_cast<std::size_t>(in.gcount()) != bytes.size() || in.bad()) {
    throw Error(ErrorKind::InvalidArgument, "cannot read \"" + label + "\"");
  }
  // A file that grew while we read it, or whose size the system did not report (a pipe): take
  // the rest up to the limit.
  char c;
  while (in.get(c)) {
    bytes.push_back(c);
    if (bytes.size() > max_bytes) {
      throw Error(ErrorKind::InvalidArgument,
                  "\"" + label + "\" is larger than the limit of " + human_size(max_bytes));
    }
  }
  return bytes;
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      if (c == 0) return false;  // NUL: a binary file
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;  // truncated sequence
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr std::array<std::uint32_t, 4> min{0, 0x80, 0x800, 0x10000};
    if (cp < min[extra] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
    i += extra + 1;
  }
  return true;
}

std::string base64(std::string_view in) {
  static constexpr char table[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const std::uint32_t n =
        (static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16) |
        (static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8) |
        static_cast<unsigned char>(in[i + 2]);
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += table[(n >> 6) & 63];
    out += table[n & 63];
  }
  if (i < in.size()) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(in[i])) << 16;
    if (i + 1 < in.size())
      n |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += i + 1 < in.size() ? table[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Attribute values are quoted; a quote or ampersand in a file name must not end the attribute.
std::string escape_attribute(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "&quot;"; break;
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      default: out += c;
    }
  }
  return out;
}

Attachment pending(const HostFile& file, std::string type, std::string content_type,
                   std::string bytes) {
  Attachment a;
  a.id = generate_id();
  a.type = std::move(type);
  a.name = file.name.empty() ? std::filesystem::path(file.path).filename().string() : file.name;
  a.content_type = std::move(content_type);
  HostFile kept = file;
  kept.bytes = std::move(bytes);  // read once, at add: what the user saw is what is sent
  a.file = std::move(kept);
  a.status = AttachmentStatus{AttachmentStatusType::RequiresAction, "composer-send", 0, ""};
  return a;
}

Attachment completed(const Attachment& p, ContentPart part) {
  Attachment done = p;
  done.file.reset();
  done.content.clear();
  done.content.push_back(std::move(part));
  done.status = AttachmentStatus{};
  return done;
}

const HostFile& file_of(const Attachment& p) {
  if (!p.file)
    throw Error(ErrorKind::InvalidArgument, "attachment \"" + p.name + "\" has no file to send");
  return *p.file;
}

}  // namespace

std::string content_type_for_name(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> types{
      {".txt", "text/plain"},
      {".text", "text/plain"},
      {".log", "text/plain"},
      {".md", "text/markdown"},
      {".markdown", "text/markdown"},
      {".csv", "text/csv"},
      {".tsv", "text/tab-separated-values"},
      {".json", "application/json"},
      {".xml", "application/xml"},
      {".html", "text/html"},
      {".htm", "text/html"},
      {".css", "text/css"},
      {".js", "text/javascript"},
      {".mjs", "text/javascript"},
      {".ts", "text/x-typescript"},
      {".py", "text/x-python"},
      {".c", "text/x-c"},
      {".h", "text/x-c"},
      {".cpp", "text/x-c++"},
      {".cc", "text/x-c++"},
      {".cxx", "text/x-c++"},
      {".hpp", "text/x-c++"},
      {".rs", "text/x-rust"},
      {".go", "text/x-go"},
      {".java", "text/x-java"},
      {".sh", "text/x-shellscript"},
      {".yaml", "application/yaml"},
      {".yml", "application/yaml"},
      {".toml", "application/toml"},
      {".ini", "text/plain"},
      {".cmake", "text/x-cmake"},
      {".sql", "application/sql"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"}};
  const auto ext = extension_of(name);
  if (auto it = types.find(ext); it != types.end()) return it->second;
  const std::string base = lower(std::filesystem::path(std::string(name)).filename().string());
  if (base == "makefile" || base == "cmakelists.txt" || base == "dockerfile" || base == "readme")
    return "text/plain";
  return {};
}

HostFile host_file_from_path(const std::string& path) {
  HostFile f;
  f.path = path;
  f.name = std::filesystem::path(path).filename().string();
  f.content_type = content_type_for_name(f.name);
  if (f.content_type.empty()) f.content_type = "application/octet-stream";
  return f;
}

std::string sniff_image_type(std::string_view b) {
  auto starts = [&](std::string_view magic, std::size_t at = 0) {
    return b.size() >= at + magic.size() && b.substr(at, magic.size()) == magic;
  };
  if (starts("\x89PNG\r\n\x1a\n")) return "image/png";
  if (starts("\xFF\xD8\xFF")) return "image/jpeg";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  if (starts("RIFF") && starts("WEBP", 8)) return "image/webp";
  return {};
}

// ---- TextAttachmentAdapter ----

TextAttachmentAdapter::TextAttachmentAdapter(std::size_t max_bytes) : max_bytes_(max_bytes) {}

std::string TextAttachmentAdapter::accept() const {
  return "text/*,application/json,application/xml,application/yaml,application/toml,application/"
         "sql,"
         ".txt,.md,.markdown,.csv,.tsv,.json,.xml,.html,.htm,.css,.js,.mjs,.ts,.py,.c,.h,.cpp,.cc,."
         "cxx,.hpp,"
         ".rs,.go,.java,.sh,.yaml,.yml,.toml,.ini,.log,.cmake,.sql";
}

Attachment TextAttachmentAdapter::add(const HostFile& file,
                                      const std::function<void(const Attachment&)>&) {
  std::string bytes = load(file, max_bytes_);
  const std::string label = file.name.empty() ? file.path : file.name;
  if (!sniff_image_type(bytes).empty()) {
    throw Error(ErrorKind::InvalidArgument,
                "\"" + label + "\" is labelled as text but holds an image");
  }
  if (!valid_utf8(bytes)) {
    throw Error(ErrorKind::InvalidArgument,
                "\"" + label + "\" is labelled as text but is not UTF-8 text");
  }
  std::string type = file.content_type.empty() ? content_type_for_name(label) : file.content_type;
  if (type.empty()) type = "text/plain";
  return pending(file, "document", std::move(type), std::move(bytes));
}

Attachment TextAttachmentAdapter::send(const Attachment& p) {
  const auto& body = file_of(p).bytes;
  std::string wrapped = "<attachment name=\"" + escape_attribute(p.name) + "\">\n" + body;
  if (!body.empty() && body.back() != '\n') wrapped += '\n';
  wrapped += "</attachment>";
  return completed(p, TextPart{Text(std::move(wrapped))});
}

void TextAttachmentAdapter::remove(const Attachment&) {}

// ---- ImageAttachmentAdapter ----

ImageAttachmentAdapter::ImageAttachmentAdapter(std::size_t max_bytes) : max_bytes_(max_bytes) {}

std::string ImageAttachmentAdapter::accept() const { return "image/*"; }

Attachment ImageAttachmentAdapter::add(const HostFile& file,
                                       const std::function<void(const Attachment&)>&) {
  std::string bytes = load(file, max_bytes_);
  std::string type = sniff_image_type(bytes);
  if (type.empty()) {
    const std::string label = file.name.empty() ? file.path : file.name;
    throw Error(
        ErrorKind::InvalidArgument,
        "\"" + label + "\" is not a PNG, JPEG, GIF or WebP image (its bytes say otherwise)");
  }
  return pending(file, "image", std::move(type), std::move(bytes));
}

Attachment ImageAttachmentAdapter::send(const Attachment& p) {
  const auto& bytes = file_of(p).bytes;
  ImagePart image;
  image.image = "data:" + p.content_type + ";base64," + base64(bytes);
  image.filename = p.name;
  return completed(p, std::move(image));
}

void ImageAttachmentAdapter::remove(const Attachment&) {}

// ---- CompositeAttachmentAdapter ----

CompositeAttachmentAdapter::CompositeAttachmentAdapter(
    std::vector<std::shared_ptr<AttachmentAdapter>> adapters)
    : adapters_(std::move(adapters)) {
  for (std::size_t i = 0; i < adapters_.size(); ++i) {
    if (!adapters_[i])
      throw Error(ErrorKind::InvalidArgument, "CompositeAttachmentAdapter: a null adapter");
    const bool wildcard =
        adapters_[i]->accept().find('*') != std::string::npos &&
        attachment_accepted(adapters_[i]->accept(), "x.unknown-extension", "x-unknown/y");
    if (wildcard && i + 1 != adapters_.size()) {
      throw Error(ErrorKind::InvalidArgument,
                  "CompositeAttachmentAdapter: a wildcard adapter may only come last");
    }
  }
}

std::string CompositeAttachmentAdapter::accept() const {
  std::string joined;
  for (const auto& a : adapters_) {
    const std::string one = a->accept();
    if (attachment_accepted(one, "x.unknown-extension", "x-unknown/y")) return "*";
    if (!joined.empty()) joined += ',';
    joined += one;
  }
  return joined;
}

Attachment CompositeAttachmentAdapter::add(const HostFile& file,
                                           const std::function<void(const Attachment&)>& progress) {
  for (const auto& a : adapters_) {
    if (!attachment_accepted(a->accept(), file.name, file.content_type)) continue;
    Attachment state = a->add(file, progress);
    std::lock_guard lock(mutex_);
    owner_[state.id] = a.get();
    return state;
  }
  throw Error(ErrorKind::NotAccepted,
              "no attachment adapter accepts \"" + file.name + "\" (" + file.content_type + ")");
}

AttachmentAdapter& CompositeAttachmentAdapter::route(const Attachment& attachment) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = owner_.find(attachment.id); it != owner_.end()) return *it->second;
  }
  for (const auto& a : adapters_) {
    if (attachment_accepted(a->accept(), attachment.name, attachment.content_type)) return *a;
  }
  throw Error(ErrorKind::NotAccepted, "no attachment adapter accepts \"" + attachment.name + "\"");
}

Attachment CompositeAttachmentAdapter::send(const Attachment& pending_attachment) {
  Attachment done = route(pending_attachment).send(pending_attachment);
  std::lock_guard lock(mutex_);
  owner_.erase(pending_attachment.id);
  return done;
}

void CompositeAttachmentAdapter::remove(const Attachment& attachment) {
  route(attachment).remove(attachment);
  std::lock_guard lock(mutex_);
  owner_.erase(attachment.id);
}

std::shared_ptr<AttachmentAdapter> make_default_attachment_adapter() {
  return std::make_shared<CompositeAttachmentAdapter>(
      std::vector<std::shared_ptr<AttachmentAdapter>>{std::make_shared<TextAttachmentAdapter>(),
                                                      std::make_shared<ImageAttachmentAdapter>()});
}

}  // namespace aui::attachments
