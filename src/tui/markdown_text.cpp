#include "markdown_text.hpp"

#include "aui/tui/sanitize.hpp"

namespace aui::tui {

std::string display_safe_line(std::string_view text) {
  std::string out = sanitize(text).text;
  for (char& c : out) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return out;
}

std::string display_safe_verbatim(std::string_view text) { return sanitize(text).text; }

std::string url_for_display(std::string_view url) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(url.size());
  for (char c : url) {
    const auto b = static_cast<unsigned char>(c);
    if (b > 0x20 && b < 0x7F) {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  return out;
}

}  // namespace aui::tui
