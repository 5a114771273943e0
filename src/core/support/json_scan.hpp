#pragma once
// JsonScanner: a strict, allocation-free walk over JSON text, for the hot path of the stream
// decoders. Building an nlohmann::json document per streamed chunk costs ~3/4 of the SSE path;
// most chunks only carry a few characters of text, which this reads without building anything.
//
// Strict means: it accepts exactly what RFC 8259 (and nlohmann's parser) accepts — string escapes
// and surrogate pairs, valid UTF-8, no control characters in strings, the number grammar, nesting
// up to a limit — so a caller that falls back to the full parser whenever this one says "no" sees
// the same documents accepted either way.

#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>

namespace aui::json_scan {

/// A mask of the bytes of `w` that need a look inside a JSON string — a quote, a backslash, a
/// control character or a non-ASCII byte — in their high bits (the "has a byte less than n" word
/// tricks). A borrow can mark a byte above a marked one too, never one below: the lowest mark is
/// exact, which is all that finding the first such byte needs. What lets a reader or a writer
/// pass over plain text 8 bytes at a time.
inline std::uint64_t special_mask(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const std::uint64_t control = (w - kOnes * 0x20) & ~w;
  const std::uint64_t q = w ^ (kOnes * '"');
  const std::uint64_t quote = (q - kOnes) & ~q;
  const std::uint64_t b = w ^ (kOnes * '\\');
  const std::uint64_t backslash = (b - kOnes) & ~b;
  return (control | quote | backslash | w) & kHigh;
}

/// The byte itself needs a look (see special_mask).
inline bool special(unsigned char c) { return c == '"' || c == '\\' || c < 0x20 || c >= 0x80; }

/// The offset of the first byte of s[i, n) that needs a look, or n.
inline std::size_t plain_run_end(const char* s, std::size_t i, std::size_t n) {
  static_assert(std::endian::native == std::endian::little, "the first byte is the lowest");
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s + i, 8);
    if (const std::uint64_t m = special_mask(w)) {
      return i + static_cast<std::size_t>(std::countr_zero(m)) / 8;
    }
  }
  while (i < n && !special(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

/// The length of the valid UTF-8 sequence that starts with the non-ASCII byte s[i] (of n), or 0
/// when it is not valid: overlong forms, surrogates and code points past U+10FFFF are invalid,
/// as for nlohmann's parser and dump.
inline std::size_t utf8_length(const unsigned char* s, std::size_t i, std::size_t n) {
  const std::size_t left = n - i;
  const unsigned char c = s[i];
  const auto cont = [&](std::size_t k) { return k < left && (s[i + k] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && s[i + 1] < 0xA0) return 0;  // overlong
    if (c == 0xED && s[i + 1] > 0x9F) return 0;  // surrogates
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && s[i + 1] < 0x90) return 0;  // overlong
    if (c == 0xF4 && s[i + 1] > 0x8F) return 0;  // past U+10FFFF
    return 4;
  }
  return 0;
}

class JsonScanner {
 public:
  explicit JsonScanner(std::string_view text) : s_(text) {}

  /// Skips spaces, tabs, CR and LF.
  void skip_ws() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\n' || s_[p_] == '\r'))
      ++p_;
  }
  /// Consumes `c` (after whitespace) if it is next.
  bool eat(char c) {
    skip_ws();
    if (p_ < s_.size() && s_[p_] == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool peek(char c) {
    skip_ws();
    return p_ < s_.size() && s_[p_] == c;
  }
  /// The offset of the next byte to read; seek() goes back to an offset pos() gave.
  std::size_t pos() const noexcept { return p_; }
  void seek(std::size_t at) noexcept { p_ = at; }
  /// Only whitespace is left.
  bool at_end() {
    skip_ws();
    return p_ == s_.size();
  }

  /// Reads a string into `out` (unescaped); false when the text is not a valid string.
  bool string(std::string& out) {
    out.clear();
    skip_ws();
    if (p_ >= s_.size() || s_[p_] != '"') return false;
    ++p_;
    for (;;) {
      // Copy the run of bytes that stand for themselves at once.
      const std::size_t start = p_;
      skip_plain();
      out.append(s_.data() + start, p_ - start);
      if (p_ >= s_.size()) return false;
      const auto c = static_cast<unsigned char>(s_[p_]);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c != '\\') return false;  // a control character or invalid UTF-8
      if (++p_ >= s_.size()) return false;
      switch (s_[p_++]) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low = 0;
            if (p_ + 1 >= s_.size() || s_[p_] != '\\' || s_[p_ + 1] != 'u') return false;
            p_ += 2;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;
          }
          append_utf8(out, cp);
          break;
        }
        default: return false;
      }
    }
  }

  /// Reads a string as string(), without copying it when it has no escapes: `out` views the
  /// text itself, or else `buf`, which holds it unescaped. Valid while the text and `buf` are.
  bool string(std::string_view& out, std::string& buf) {
    skip_ws();
    if (p_ >= s_.size() || s_[p_] != '"') return false;
    const std::size_t quote = p_;
    const std::size_t start = ++p_;
    skip_plain();
    if (p_ < s_.size() && s_[p_] == '"') {
      out = s_.substr(start, p_ - start);
      ++p_;
      return true;
    }
    p_ = quote;  // an escape (or an error): unescape it into buf
    if (!string(buf)) return false;
    out = buf;
    return true;
  }

  /// Skips any value, checking it; false when it is not valid JSON.
  bool skip_value(int depth = 0) {
    if (depth > 64) return false;  // deeper than any chunk; let the full parser judge
    skip_ws();
    if (p_ >= s_.size()) return false;
    const char c = s_[p_];
    if (c == '"') {
      std::string_view ignored;
      return string(ignored, scratch_);
    }
    if (c == '{') {
      ++p_;
      if (eat('}')) return true;
      do {
        std::string_view key;
        if (!string(key, scratch_) || !eat(':') || !skip_value(depth + 1)) return false;
      } while (eat(','));
      return eat('}');
    }
    if (c == '[') {
      ++p_;
      if (eat(']')) return true;
      do {
        if (!skip_value(depth + 1)) return false;
      } while (eat(','));
      return eat(']');
    }
    if (c == 't') return literal("true");
    if (c == 'f') return literal("false");
    if (c == 'n') return literal("null");
    return number(nullptr);
  }

  /// Consumes `null` if it is next.
  bool null() {
    skip_ws();
    if (s_.substr(p_, 4) == "null") {
      p_ += 4;
      return true;
    }
    return false;
  }

  /// Reads a number; `as_index` (if given) gets it when it is a plain non-negative integer that
  /// fits, else SIZE_MAX.
  bool number(std::size_t* as_index) {
    skip_ws();
    const std::size_t start = p_;
    if (p_ < s_.size() && s_[p_] == '-') ++p_;
    if (p_ >= s_.size()) return false;
    if (s_[p_] == '0') {
      ++p_;
    } else if (s_[p_] >= '1' && s_[p_] <= '9') {
      while (p_ < s_.size() && is_digit(s_[p_])) ++p_;
    } else {
      return false;
    }
    bool integer = true;
    if (p_ < s_.size() && s_[p_] == '.') {
      integer = false;
      ++p_;
      if (p_ >= s_.size() || !is_digit(s_[p_])) return false;
      while (p_ < s_.size() && is_digit(s_[p_])) ++p_;
    }
    if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
      integer = false;
      ++p_;
      if (p_ < s_.size() && (s_[p_] == '+' || s_[p_] == '-')) ++p_;
      if (p_ >= s_.size() || !is_digit(s_[p_])) return false;
      while (p_ < s_.size() && is_digit(s_[p_])) ++p_;
    }
    const std::string_view digits = s_.substr(start, p_ - start);
    if (!integer || digits.size() > 18) {
      // nlohmann rejects a number that overflows a double; so must we.
      double v = 0;
      const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec != std::errc() || ptr != digits.data() + digits.size()) return false;
    }
    if (as_index) {
      *as_index = SIZE_MAX;
      if (integer && digits.front() != '-' && digits.size() <= 9) {
        std::size_t v = 0;
        for (char d : digits) v = v * 10 + static_cast<std::size_t>(d - '0');
        *as_index = v;
      }
    }
    return true;
  }

 private:
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  bool literal(std::string_view word) {
    if (s_.substr(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  bool hex4(std::uint32_t& v) {
    if (p_ + 4 > s_.size()) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[p_++];
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }

  // Advances past the bytes of a string that stand for themselves: all but the quote, the
  // backslash and control characters, and only valid UTF-8. Stops at anything else (invalid
  // UTF-8 included: the caller sees a byte it cannot take) or at the end.
  void skip_plain() {
    const auto* bytes = reinterpret_cast<const unsigned char*>(s_.data());
    for (;;) {
      p_ = plain_run_end(s_.data(), p_, s_.size());
      if (p_ >= s_.size() || bytes[p_] < 0x80) return;
      const std::size_t n = utf8_length(bytes, p_, s_.size());
      if (n == 0) return;
      p_ += n;
    }
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  std::string_view s_;
  std::size_t p_ = 0;
  std::string scratch_;
};

}  // namespace aui::json_scan
