#include "markdown_text.hpp"

#include "aui/tui/text_width.hpp"

namespace aui::tui {

namespace {

// Placeholder until the foundation's sanitizer is merged.
std::string make_safe(std::string_view text, bool keep_layout) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const Decoded d = decode_utf8(text, pos);
    const char32_t cp = d.code_point;
    if (!d.valid) {
      out += "\uFFFD";
    } else if (cp == '\n' || cp == '\t') {
      out += keep_layout ? static_cast<char>(cp) : ' ';
    } else if (cp < 0x20) {
      append_utf8(out, 0x2400 + cp);
    } else if (cp == 0x7F) {
      out += "\u2421";
    } else if ((cp >= 0x80 && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
               (cp >= 0x2066 && cp <= 0x2069)) {
      static const char* hex = "0123456789ABCDEF";
      out += "<U+";
      for (int shift = 12; shift >= 0; shift -= 4) out += hex[(cp >> shift) & 15];
      out += ">";
    } else {
      out.append(text.substr(pos, d.length));
    }
    pos += d.length;
  }
  return out;
}

}  // namespace

std::string display_safe_line(std::string_view text) { return make_safe(text, false); }

std::string display_safe_verbatim(std::string_view text) { return make_safe(text, true); }

std::string url_for_display(std::string_view url) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char c : url) {
    const auto b = static_cast<unsigned char>(c);
    if (b > 0x20 && b < 0x7F) {
      out += c;
    } else {
      out += '%';
      out += hex[b >> 4];
      out += hex[b & 15];
    }
  }
  return out;
}

}  // namespace aui::tui
