#pragma once
// UTF-8 decoding, grapheme clusters and their display width in a terminal, and cutting or wrapping
// text by display width.
//
// A grapheme cluster is what a reader sees as one character: a base with its combining marks, an
// emoji with its modifiers and ZWJ-joined parts, a flag (a pair of regional indicators), a Hangul
// syllable from conjoining jamo (UAX #29's extended grapheme clusters, without the Indic rules).
// A cluster is 1 or 2 columns wide, or 0 for controls and stray zero-width characters, which a
// Screen never stores as such (see sanitize.hpp). The width is glibc's wcwidth for the base,
// corrected where glibc (Unicode 14 in Debian 12) and modern terminals disagree: see docs/tui.md.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aui::tui {

/// One decoded code point.
struct Decoded {
  char32_t code_point;  // U+FFFD when the bytes are not well-formed UTF-8
  std::uint8_t length;  // bytes consumed, ≥ 1 (an ill-formed sequence's maximal subpart)
  bool valid;           // false when the bytes were ill-formed
};

/// Decodes the code point at byte `pos` (< text.size()). Ill-formed UTF-8 (overlong forms,
/// surrogates, code points past U+10FFFF, stray continuation bytes, a truncated sequence) decodes
/// as U+FFFD, one per maximal subpart, as Unicode recommends.
Decoded decode_utf8(std::string_view text, std::size_t pos) noexcept;

/// Appends the UTF-8 encoding of `cp` (U+FFFD for surrogates and values past U+10FFFF).
void append_utf8(std::string& out, char32_t cp);

/// The width of one code point on its own: 0 for controls and zero-width characters (combining
/// marks, format characters, Hangul medial and final jamo), 2 for East Asian wide and emoji
/// presentation characters (including emoji newer than glibc's tables), else 1.
int code_point_width(char32_t cp) noexcept;

/// One grapheme cluster found in a text.
struct Grapheme {
  std::size_t offset = 0;  // byte offset in the text
  std::size_t length = 0;  // bytes, ≥ 1
  int width = 0;           // display columns: 0, 1 or 2
  bool valid = true;       // false when the cluster holds ill-formed UTF-8 (shown as U+FFFD)
  bool control = false;    // a control character (C0, C1, DEL) or a lone CR/LF/CRLF
};

/// The grapheme cluster starting at byte `pos` (< text.size()).
Grapheme next_grapheme(std::string_view text, std::size_t pos) noexcept;

/// The display width of one whole cluster (as next_grapheme computes it).
int grapheme_width(std::string_view cluster) noexcept;

/// Iterates the grapheme clusters of a text: `for (Grapheme g : graphemes(text))`.
class GraphemeRange {
 public:
  class iterator {
   public:
    using value_type = Grapheme;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    iterator(std::string_view text, std::size_t pos) : text_(text) { load(pos); }
    const Grapheme& operator*() const { return current_; }
    const Grapheme* operator->() const { return &current_; }
    iterator& operator++() {
      load(current_.offset + current_.length);
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const iterator& a, const iterator& b) {
      return a.current_.offset == b.current_.offset;
    }

   private:
    void load(std::size_t pos) {
      if (pos < text_.size()) {
        current_ = next_grapheme(text_, pos);
      } else {
        current_ = Grapheme{};
        current_.offset = text_.size();
      }
    }
    std::string_view text_;
    Grapheme current_;
  };
  explicit GraphemeRange(std::string_view text) : text_(text) {}
  iterator begin() const { return iterator(text_, 0); }
  iterator end() const { return iterator(text_, text_.size()); }

 private:
  std::string_view text_;
};
inline GraphemeRange graphemes(std::string_view text) { return GraphemeRange(text); }

/// The display width of a text: the sum of its clusters' widths (controls count 0; a newline is
/// not a line break here).
std::size_t display_width(std::string_view text) noexcept;

/// The longest prefix of whole clusters that fits in `max_width` columns.
struct WidthCut {
  std::size_t bytes = 0;  // length of the prefix
  int width = 0;  // its display width (≤ max_width; one less when a wide cluster did not fit)
};
WidthCut cut_to_width(std::string_view text, int max_width) noexcept;

/// `text` cut to at most `max_width` columns, ending in `ellipsis` when it was cut (the ellipsis
/// counts in the width).
std::string truncate_to_width(std::string_view text, int max_width,
                              std::string_view ellipsis = "\u2026");

/// One line of wrapped text: a byte range of the source.
struct WrappedLine {
  std::size_t begin = 0;  // first byte
  std::size_t end = 0;    // one past the last byte shown (spaces at a wrap point are left out)
  int width = 0;          // display width of [begin, end)
};

/// Wraps `text` to lines of at most `width` columns (≥ 1): a newline ends a line; a line breaks
/// after the last space that fits, or inside a word longer than a line; the spaces at a break are
/// dropped. An empty text is one empty line; a text ending in a newline ends with an empty line.
std::vector<WrappedLine> wrap_to_width(std::string_view text, int width);

}  // namespace aui::tui
