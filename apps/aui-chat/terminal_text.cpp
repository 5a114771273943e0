// Sanitizing model output for the terminal.

#include "terminal_text.hpp"

#include <algorithm>

namespace aui::chat {

namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// Length of the UTF-8 sequence a lead byte starts, 0 when it cannot start one.
std::size_t utf8_length(unsigned char c) {
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return 2;
  if (c >= 0xE0 && c <= 0xEF) return 3;
  if (c >= 0xF0 && c <= 0xF4) return 4;
  return 0;
}

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Whether the `n` bytes at `s` can begin a well-formed UTF-8 sequence led by s[0]: continuation
// bytes, and for the second byte the narrower ranges that exclude overlong forms, surrogates
// and code points past U+10FFFF (Unicode table 3-7).
bool well_formed_prefix(std::string_view s, std::size_t n) {
  const auto lead = static_cast<unsigned char>(s[0]);
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[k]);
    if (!continuation(b)) return false;
    if (k == 1) {
      if (lead == 0xE0 && b < 0xA0) return false;
      if (lead == 0xED && b > 0x9F) return false;
      if (lead == 0xF0 && b < 0x90) return false;
      if (lead == 0xF4 && b > 0x8F) return false;
    }
  }
  return true;
}

// The code point of the well-formed `n`-byte sequence at `s`.
char32_t decode(std::string_view s, std::size_t n) {
  const auto b = [&](std::size_t k) {
    return static_cast<char32_t>(static_cast<unsigned char>(s[k]));
  };
  if (n == 2) return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
  if (n == 3) return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
}

// The bidirectional formatting characters: embeddings and overrides (U+202A–U+202E), isolates
// (U+2066–U+2069) and the implicit marks (U+200E, U+200F, U+061C). A terminal that honours them
// shows text in another order than it is stored ("Trojan Source").
bool bidi_control(char32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
         cp == 0x200F || cp == 0x061C;
}

void append_marker(std::string& out, char32_t cp) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += "<U+";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(cp >> shift) & 0xF]);
  out += '>';
}

}  // namespace

SanitizedText sanitize_terminal_text(std::string_view raw, bool final) {
  SanitizedText out{{}, 0};
  out.text.reserve(raw.size());
  std::size_t i = 0;
  while (i < raw.size()) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c == 0x1B) {  // ESC: skip the whole sequence
      if (i + 1 >= raw.size()) {
        if (!final) break;  // may be the start of a sequence still arriving
        ++i;
        continue;
      }
      const char kind = raw[i + 1];
      std::size_t j = i + 2;
      bool complete = false;
      if (kind == '[') {  // CSI: parameters, then a final byte 0x40–0x7E
        while (j < raw.size()) {
          const auto b = static_cast<unsigned char>(raw[j++]);
          if (b >= 0x40 && b <= 0x7E) {
            complete = true;
            break;
          }
        }
      } else if (kind == ']' || kind == 'P' || kind == '_' || kind == '^' || kind == 'X') {
        // OSC / DCS / APC / PM / SOS: up to BEL or ESC '\'
        while (j < raw.size()) {
          if (raw[j] == '\x07') {
            ++j;
            complete = true;
            break;
          }
          if (raw[j] == '\x1B' && j + 1 < raw.size() && raw[j + 1] == '\\') {
            j += 2;
            complete = true;
            break;
          }
          ++j;
        }
      } else if (kind >= 0x20 && kind <= 0x2F) {
        // nF (e.g. ESC ( 0, a character set switch): intermediates, then one final byte
        while (j < raw.size() && raw[j] >= 0x20 && raw[j] <= 0x2F) ++j;
        if (j < raw.size()) {
          ++j;
          complete = true;
        }
      } else if (kind >= 0x30 && kind < 0x7F) {
        complete = true;  // a two-byte escape (ESC c resets the terminal)
      } else {
        ++i;  // ESC before a control or non-ASCII byte: drop the ESC alone, judge the rest
        continue;
      }
      if (!complete && !final) break;
      i = complete ? j : raw.size();
      continue;
    }
    if (c < 0x20 || c == 0x7F) {  // C0 controls and DEL
      if (c == '\n' || c == '\t') out.text.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    const std::size_t n = utf8_length(c);
    if (n == 0) {
      out.text += kReplacement;
      ++i;
      continue;
    }
    const std::size_t available = std::min(n, raw.size() - i);
    if (!well_formed_prefix(raw.substr(i, available), available)) {
      out.text += kReplacement;
      ++i;
      continue;
    }
    if (available < n) {
      if (!final) break;  // the rest of the character has not arrived yet
      out.text += kReplacement;
      ++i;
      continue;
    }
    // C1 controls (U+0080–U+009F) are encoded C2 80–C2 9F.
    if (n == 2 && c == 0xC2 && static_cast<unsigned char>(raw[i + 1]) < 0xA0) {
      i += 2;
      continue;
    }
    if (n > 1) {
      if (const char32_t cp = decode(raw.substr(i, n), n); bidi_control(cp)) {
        append_marker(out.text, cp);
        i += n;
        continue;
      }
    }
    out.text.append(raw.substr(i, n));
    i += n;
  }
  out.consumed = i;
  return out;
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
