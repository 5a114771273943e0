// Untrusted text made safe for a terminal.

#include "aui/tui/sanitize.hpp"

#include <algorithm>

#include "aui/tui/text_width.hpp"

namespace aui::tui {

namespace {

// An escape sequence shown as one marker is at most this long; the rest of a longer one is shown
// as ordinary text (harmless once its ESC is neutralised), so a hostile stream cannot make the
// sanitizer hold back input forever.
constexpr std::size_t kMaxSequence = 256;

// The Control Pictures block: U+2400 + c for c < 0x20, U+2421 for DEL.
constexpr std::string_view kPictures[32] = {
    "\u2400", "\u2401", "\u2402", "\u2403", "\u2404", "\u2405", "\u2406", "\u2407",
    "\u2408", "\u2409", "\u240A", "\u240B", "\u240C", "\u240D", "\u240E", "\u240F",
    "\u2410", "\u2411", "\u2412", "\u2413", "\u2414", "\u2415", "\u2416", "\u2417",
    "\u2418", "\u2419", "\u241A", "\u241B", "\u241C", "\u241D", "\u241E", "\u241F",
};
constexpr std::string_view kDelete = "\u2421";
constexpr std::string_view kReplacement = "\uFFFD";

bool bidi_control(char32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
         cp == 0x200F || cp == 0x061C;
}

bool printable_ascii(unsigned char c) { return c >= 0x20 && c < 0x7F; }

// How many bytes a UTF-8 sequence led by `lead` has (0 when it cannot lead one).
std::size_t expected_length(unsigned char lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

std::string_view code_point_marker(char32_t cp, std::string& scratch) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  scratch = "\u27E8U+";
  for (int shift = cp > 0xFFFF ? 20 : 12; shift >= 0; shift -= 4)
    scratch.push_back(kHex[(cp >> shift) & 0xF]);
  scratch += "\u27E9";
  return scratch;
}

// The end of the escape sequence at `pos` (raw[pos] is ESC), or npos when it may go on past the
// end of a text that is still growing.
std::size_t escape_end(std::string_view raw, std::size_t pos, bool final) {
  const std::size_t size = raw.size();
  const std::size_t limit = std::min(size, pos + kMaxSequence);
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(raw[k]); };
  const auto unfinished = [&](std::size_t j) {
    return j >= size && !final && size - pos < kMaxSequence ? std::string_view::npos : j;
  };
  if (pos + 1 >= size) return unfinished(pos + 1);
  const unsigned char kind = at(pos + 1);
  std::size_t j = pos + 2;
  if (kind == '[') {  // CSI: parameter and intermediate bytes, then a final byte
    while (j < limit && at(j) >= 0x20 && at(j) <= 0x3F) ++j;
    if (j < limit && at(j) >= 0x40 && at(j) <= 0x7E) return j + 1;
    return unfinished(j);
  }
  if (kind == ']' || kind == 'P' || kind == '_' || kind == '^' || kind == 'X') {
    // OSC, DCS, APC, PM, SOS: a string up to BEL or ST (ESC \).
    while (j < limit) {
      const unsigned char c = at(j);
      if (c == 0x07) return j + 1;
      if (c == 0x1B) {
        if (j + 1 < size && raw[j + 1] == '\\') return j + 2;
        return unfinished(j + 1) == std::string_view::npos ? std::string_view::npos : j;
      }
      if (!printable_ascii(c)) return j;
      ++j;
    }
    return unfinished(j);
  }
  if (kind >= 0x20 && kind <= 0x2F) {  // nF: intermediates, then a final byte
    while (j < limit && at(j) >= 0x20 && at(j) <= 0x2F) ++j;
    if (j < limit && at(j) >= 0x30 && at(j) <= 0x7E) return j + 1;
    return unfinished(j);
  }
  if (kind >= 0x30 && kind <= 0x7E) return pos + 2;  // a two-byte escape (ESC c resets)
  return pos + 1;  // ESC before a control or non-ASCII byte: the ESC alone
}

}  // namespace

SanitizeStep sanitize_step(std::string_view raw, std::size_t pos, bool final,
                           std::string& scratch) {
  using Kind = SanitizeStep::Kind;
  const std::size_t size = raw.size();
  // A run of safe text.
  std::size_t j = pos;
  while (j < size) {
    const auto c = static_cast<unsigned char>(raw[j]);
    if (c < 0x80) {
      if (!printable_ascii(c)) break;
      ++j;
      continue;
    }
    const Decoded d = decode_utf8(raw, j);
    if (!d.valid || (d.code_point >= 0x80 && d.code_point <= 0x9F) || bidi_control(d.code_point)) {
      break;
    }
    j += d.length;
  }
  if (j > pos) return {Kind::Safe, j - pos, {}};

  const auto c = static_cast<unsigned char>(raw[pos]);
  if (c == '\n') return {Kind::Newline, 1, {}};
  if (c == '\t') return {Kind::Tab, 1, {}};
  if (c == '\r') {
    if (pos + 1 < size && raw[pos + 1] == '\n') return {Kind::Newline, 2, {}};
    if (pos + 1 >= size && !final) return {Kind::Incomplete, 0, {}};
    return {Kind::Replaced, 1, kPictures[0x0D]};
  }
  if (c == 0x1B) {
    const std::size_t end = escape_end(raw, pos, final);
    if (end == std::string_view::npos) return {Kind::Incomplete, 0, {}};
    scratch.assign(kPictures[0x1B]);
    for (std::size_t k = pos + 1; k < end; ++k) {
      const auto b = static_cast<unsigned char>(raw[k]);
      if (b < 0x20) {
        scratch += kPictures[b];
      } else {
        scratch.push_back(static_cast<char>(b));  // printable ASCII by construction
      }
    }
    return {Kind::Replaced, end - pos, scratch};
  }
  if (c < 0x20) return {Kind::Replaced, 1, kPictures[c]};
  if (c == 0x7F) return {Kind::Replaced, 1, kDelete};
  const Decoded d = decode_utf8(raw, pos);
  if (!d.valid) {
    if (!final && pos + d.length >= size && expected_length(c) > d.length) {
      return {Kind::Incomplete, 0, {}};  // the rest of the character has not arrived yet
    }
    return {Kind::Replaced, d.length, kReplacement};
  }
  return {Kind::Replaced, d.length, code_point_marker(d.code_point, scratch)};  // C1 or bidi
}

bool is_terminal_safe(std::string_view raw, bool allow_layout) noexcept {
  for (std::size_t i = 0; i < raw.size();) {
    const auto c = static_cast<unsigned char>(raw[i]);
    if (c < 0x80) {
      if (!printable_ascii(c) && !(allow_layout && (c == '\n' || c == '\t'))) return false;
      ++i;
      continue;
    }
    const Decoded d = decode_utf8(raw, i);
    if (!d.valid || (d.code_point >= 0x80 && d.code_point <= 0x9F) || bidi_control(d.code_point)) {
      return false;
    }
    i += d.length;
  }
  return true;
}

Sanitized sanitize(std::string_view raw, bool final) {
  Sanitized out{{}, 0};
  out.text.reserve(raw.size());
  std::string scratch;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    const SanitizeStep step = sanitize_step(raw, pos, final, scratch);
    switch (step.kind) {
      case SanitizeStep::Kind::Safe: out.text.append(raw.substr(pos, step.length)); break;
      case SanitizeStep::Kind::Newline: out.text.push_back('\n'); break;
      case SanitizeStep::Kind::Tab: out.text.push_back('\t'); break;
      case SanitizeStep::Kind::Replaced: out.text.append(step.replacement); break;
      case SanitizeStep::Kind::Incomplete: out.consumed = pos; return out;
    }
    pos += step.length;
  }
  out.consumed = pos;
  return out;
}

}  // namespace aui::tui
