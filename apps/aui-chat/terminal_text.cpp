// Sanitizing model output for the terminal: the rule is aui::tui's.

#include "terminal_text.hpp"

#include <aui/tui/sanitize.hpp>

namespace aui::chat {

namespace {

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

SanitizedText sanitize_terminal_text(std::string_view raw, bool final) {
  auto safe = aui::tui::sanitize(raw, final);
  return SanitizedText{std::move(safe.text), safe.consumed};
}

std::string one_line(std::string text, std::size_t max) {
  if (text.size() > max) {
    std::size_t cut = max - 3;
    while (cut > 0 && continuation(static_cast<unsigned char>(text[cut]))) --cut;
    text.resize(cut);
    text += "...";
  }
  for (auto& c : text) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return text;
}

}  // namespace aui::chat
