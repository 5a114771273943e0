// UTF-8, grapheme clusters and display width.

#include "aui/tui/text_width.hpp"

#include <locale.h>
#include <wchar.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <memory>

namespace aui::tui {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

// --- code point properties ---------------------------------------------------------------------

struct Range {
  char32_t first, last;
};

bool in_ranges(const Range* begin, const Range* end, char32_t cp) {
  const Range* it =
      std::upper_bound(begin, end, cp, [](char32_t c, const Range& r) { return c < r.first; });
  return it != begin && cp <= (it - 1)->last;
}

// Extended_Pictographic (emoji-data.txt), merged into ranges. Used for GB11 (ZWJ sequences) and
// for the presentation selectors; an approximation at the edges costs nothing worse than a
// cluster split the way an older terminal splits it.
constexpr Range kExtendedPictographic[] = {
    {0x00A9, 0x00A9},   {0x00AE, 0x00AE},   {0x203C, 0x203C},   {0x2049, 0x2049},
    {0x2122, 0x2122},   {0x2139, 0x2139},   {0x2194, 0x2199},   {0x21A9, 0x21AA},
    {0x231A, 0x231B},   {0x2328, 0x2328},   {0x2388, 0x2388},   {0x23CF, 0x23CF},
    {0x23E9, 0x23F3},   {0x23F8, 0x23FA},   {0x24C2, 0x24C2},   {0x25AA, 0x25AB},
    {0x25B6, 0x25B6},   {0x25C0, 0x25C0},   {0x25FB, 0x25FE},   {0x2600, 0x2605},
    {0x2607, 0x2612},   {0x2614, 0x2685},   {0x2690, 0x2705},   {0x2708, 0x2712},
    {0x2714, 0x2714},   {0x2716, 0x2716},   {0x271D, 0x271D},   {0x2721, 0x2721},
    {0x2728, 0x2728},   {0x2733, 0x2734},   {0x2744, 0x2744},   {0x2747, 0x2747},
    {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},
    {0x2763, 0x2767},   {0x2795, 0x2797},   {0x27A1, 0x27A1},   {0x27B0, 0x27B0},
    {0x27BF, 0x27BF},   {0x2934, 0x2935},   {0x2B05, 0x2B07},   {0x2B1B, 0x2B1C},
    {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x3030, 0x3030},   {0x303D, 0x303D},
    {0x3297, 0x3297},   {0x3299, 0x3299},   {0x1F000, 0x1F0FF}, {0x1F10D, 0x1F10F},
    {0x1F12F, 0x1F12F}, {0x1F16C, 0x1F171}, {0x1F17E, 0x1F17F}, {0x1F18E, 0x1F18E},
    {0x1F191, 0x1F19A}, {0x1F1AD, 0x1F1E5}, {0x1F201, 0x1F20F}, {0x1F21A, 0x1F21A},
    {0x1F22F, 0x1F22F}, {0x1F232, 0x1F23A}, {0x1F23C, 0x1F23F}, {0x1F249, 0x1F3FA},
    {0x1F400, 0x1F53D}, {0x1F546, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F774, 0x1F77F},
    {0x1F7D5, 0x1F7FF}, {0x1F80C, 0x1F80F}, {0x1F848, 0x1F84F}, {0x1F85A, 0x1F85F},
    {0x1F888, 0x1F88F}, {0x1F8AE, 0x1F8FF}, {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945},
    {0x1F947, 0x1FAFF}, {0x1FC00, 0x1FFFD},
};

bool extended_pictographic(char32_t cp) {
  return cp >= 0xA9 &&
         in_ranges(std::begin(kExtendedPictographic), std::end(kExtendedPictographic), cp);
}

// Format characters (Cf) that stand alone (GCB Control in UAX #29 except the ones it makes
// Prepend): zero width, and never joined to their neighbours.
constexpr Range kFormat[] = {
    {0x061C, 0x061C},   {0x180E, 0x180E},   {0x200B, 0x200B},   {0x200E, 0x200F},
    {0x2028, 0x202E},   {0x2060, 0x206F},   {0xFEFF, 0xFEFF},   {0xFFF0, 0xFFFB},
    {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0000, 0xE001F}, {0xE0080, 0xE00FF},
};

bool format_character(char32_t cp) {
  return cp >= 0x61C && in_ranges(std::begin(kFormat), std::end(kFormat), cp);
}

bool terminal_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

// Wide blocks whose newer characters glibc's tables (Unicode 14 in Debian 12) do not know yet:
// such code points are assigned in later versions as emoji presentation or CJK, all wide.
constexpr Range kWideBlocks[] = {
    {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F900, 0x1F9FF},
    {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

// A last resort when no UTF-8 locale can be made: the East Asian wide ranges and the main
// combining blocks.
constexpr Range kFallbackWide[] = {
    {0x1100, 0x115F}, {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},
    {0xA000, 0xA4CF}, {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6}, {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
};
constexpr Range kFallbackZero[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD},   {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x1160, 0x11FF}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},   {0x200B, 0x200F}, {0x20D0, 0x20FF},
    {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xE0100, 0xE01EF},
};

int fallback_width(char32_t cp) {
  if (in_ranges(std::begin(kFallbackZero), std::end(kFallbackZero), cp)) return 0;
  if (in_ranges(std::begin(kFallbackWide), std::end(kFallbackWide), cp)) return 2;
  return 1;
}

// glibc's wcwidth answers for the locale of the calling thread; the library must not depend on
// the program having called setlocale, so it asks under a UTF-8 locale of its own. The Basic
// Multilingual Plane is tabulated once (64 K calls, about a millisecond); other planes are asked
// each time.
class GlibcWidth {
 public:
  GlibcWidth() {
    locale_ = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    if (!locale_) locale_ = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", static_cast<locale_t>(nullptr));
    bmp_ = std::make_unique<std::array<signed char, 0x10000>>();
    const locale_t old = locale_ ? uselocale(locale_) : static_cast<locale_t>(nullptr);
    for (char32_t cp = 0; cp < 0x10000; ++cp) (*bmp_)[cp] = static_cast<signed char>(ask(cp));
    if (locale_) uselocale(old);
  }
  ~GlibcWidth() {
    if (locale_) freelocale(locale_);
  }
  GlibcWidth(const GlibcWidth&) = delete;
  GlibcWidth& operator=(const GlibcWidth&) = delete;

  // wcwidth's answer: -1 for controls and code points it does not know.
  int operator()(char32_t cp) const {
    if (cp < 0x10000) return (*bmp_)[cp];
    if (!locale_) return ask(cp);
    const locale_t old = uselocale(locale_);
    const int w = ask(cp);
    uselocale(old);
    return w;
  }

 private:
  int ask(char32_t cp) const {
    if (!locale_) return terminal_control(cp) ? -1 : fallback_width(cp);
    if (cp >= 0xD800 && cp <= 0xDFFF) return -1;
    return wcwidth(static_cast<wchar_t>(cp));
  }
  locale_t locale_ = nullptr;
  std::unique_ptr<std::array<signed char, 0x10000>> bmp_;
};

const GlibcWidth& glibc_width() {
  static const GlibcWidth instance;
  return instance;
}

// Grapheme_Cluster_Break classes that the rules below use (no Prepend or SpacingMark: those only
// ever join clusters whose parts a terminal lays out one by one anyway).
enum class Gcb : std::uint8_t { Other, CR, LF, Control, Extend, ZWJ, RI, L, V, T, LV, LVT };

constexpr bool emoji_modifier(char32_t cp) { return cp >= 0x1F3FB && cp <= 0x1F3FF; }

Gcb gcb(char32_t cp) {
  if (cp < 0x7F) {
    if (cp == '\r') return Gcb::CR;
    if (cp == '\n') return Gcb::LF;
    return cp < 0x20 ? Gcb::Control : Gcb::Other;
  }
  if (cp <= 0x9F) return Gcb::Control;
  if (cp == 0x200D) return Gcb::ZWJ;
  if (cp >= 0x1100 && cp <= 0x11FF) {
    if (cp <= 0x115F) return Gcb::L;
    return cp <= 0x11A7 ? Gcb::V : Gcb::T;
  }
  if (cp >= 0xA960 && cp <= 0xA97C) return Gcb::L;
  if (cp >= 0xD7B0 && cp <= 0xD7C6) return Gcb::V;
  if (cp >= 0xD7CB && cp <= 0xD7FB) return Gcb::T;
  if (cp >= 0xAC00 && cp <= 0xD7A3) return (cp - 0xAC00) % 28 == 0 ? Gcb::LV : Gcb::LVT;
  if (cp >= 0x1F1E6 && cp <= 0x1F1FF) return Gcb::RI;
  if (emoji_modifier(cp) || (cp >= 0xE0020 && cp <= 0xE007F)) return Gcb::Extend;
  if (format_character(cp)) return Gcb::Control;
  if (glibc_width()(cp) == 0) return Gcb::Extend;  // combining marks, variation selectors, ZWNJ
  return Gcb::Other;
}

// Whether a cluster continues from `prev` to `next` (GB6–GB9; GB11 and GB12/13 need state and
// are handled by the caller).
bool joins(Gcb prev, Gcb next) {
  if (prev == Gcb::CR) return next == Gcb::LF;
  if (prev == Gcb::LF || prev == Gcb::Control) return false;
  if (next == Gcb::CR || next == Gcb::LF || next == Gcb::Control) return false;
  if (prev == Gcb::L)
    return next == Gcb::L || next == Gcb::V || next == Gcb::LV || next == Gcb::LVT ||
           next == Gcb::Extend || next == Gcb::ZWJ;
  if ((prev == Gcb::LV || prev == Gcb::V) && (next == Gcb::V || next == Gcb::T)) return true;
  if ((prev == Gcb::LVT || prev == Gcb::T) && next == Gcb::T) return true;
  return next == Gcb::Extend || next == Gcb::ZWJ;
}

bool continuation(unsigned char b) { return (b & 0xC0) == 0x80; }

}  // namespace

// --- UTF-8 ------------------------------------------------------------------------------------

Decoded decode_utf8(std::string_view text, std::size_t pos) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[pos + k]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1, true};
  std::size_t need;
  char32_t cp;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    need = 1;
    cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    need = 2;
    cp = lead & 0x0F;
    if (lead == 0xE0) lo = 0xA0;  // overlong
    if (lead == 0xED) hi = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    need = 3;
    cp = lead & 0x07;
    if (lead == 0xF0) lo = 0x90;  // overlong
    if (lead == 0xF4) hi = 0x8F;  // past U+10FFFF
  } else {
    return {kReplacement, 1, false};
  }
  for (std::size_t k = 1; k <= need; ++k) {
    if (pos + k >= text.size()) return {kReplacement, static_cast<std::uint8_t>(k), false};
    const unsigned char b = byte(k);
    const bool ok = k == 1 ? (b >= lo && b <= hi) : continuation(b);
    if (!ok) return {kReplacement, static_cast<std::uint8_t>(k), false};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, static_cast<std::uint8_t>(need + 1), true};
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
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

// --- widths -----------------------------------------------------------------------------------

int code_point_width(char32_t cp) noexcept {
  if (cp >= 0x20 && cp < 0x7F) return 1;
  if (terminal_control(cp)) return 0;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 1;  // shown as U+FFFD
  if (format_character(cp)) return 0;
  if (emoji_modifier(cp)) return 2;
  const int w = glibc_width()(cp);
  if (w >= 0) return w;
  // Unknown to glibc: newer emoji and CJK are wide; the rest (unassigned, private use in the
  // supplementary planes) is shown as one column.
  return in_ranges(std::begin(kWideBlocks), std::end(kWideBlocks), cp) ? 2 : 1;
}

Grapheme next_grapheme(std::string_view text, std::size_t pos) noexcept {
  Grapheme g;
  g.offset = pos;
  Decoded d = decode_utf8(text, pos);
  g.length = d.length;
  if (!d.valid) {
    g.valid = false;
    g.width = 1;  // shown as U+FFFD, a cluster of its own
    return g;
  }
  const char32_t base = d.code_point;
  Gcb prev = gcb(base);
  if (prev == Gcb::CR || prev == Gcb::LF || prev == Gcb::Control) {
    g.control = true;
    if (prev == Gcb::CR && pos + 1 < text.size() && text[pos + 1] == '\n') g.length = 2;
    return g;
  }
  // ASCII followed by ASCII (the common case) is a whole cluster.
  if (base < 0x80 && (pos + 1 >= text.size() || static_cast<unsigned char>(text[pos + 1]) < 0x80)) {
    g.width = 1;
    return g;
  }
  const bool base_pictographic = extended_pictographic(base);
  const int base_width = code_point_width(base);
  bool pictographic_run = base_pictographic;  // GB11: ExtPict Extend* (ZWJ)?
  bool after_zwj = false;
  bool joined_pictographs = false, modifier = false, vs16 = false, vs15 = false;
  int regional = prev == Gcb::RI ? 1 : 0;
  std::size_t at = pos + d.length;
  while (at < text.size()) {
    const Decoded n = decode_utf8(text, at);
    if (!n.valid) break;
    const Gcb next = gcb(n.code_point);
    bool join;
    if (prev == Gcb::RI && next == Gcb::RI) {
      join = regional % 2 == 1;  // GB12/13: pairs
    } else if (prev == Gcb::ZWJ && after_zwj && extended_pictographic(n.code_point)) {
      join = true;  // GB11
      joined_pictographs = true;
    } else {
      join = joins(prev, next);
    }
    if (!join) break;
    if (next == Gcb::RI) ++regional;
    if (n.code_point == 0xFE0F) vs16 = true;
    if (n.code_point == 0xFE0E) vs15 = true;
    if (emoji_modifier(n.code_point)) modifier = true;
    // Track GB11's left side: a pictograph, then Extend*, then ZWJ.
    if (extended_pictographic(n.code_point)) {
      pictographic_run = true;
      after_zwj = false;
    } else if (next == Gcb::ZWJ) {
      after_zwj = pictographic_run;
      pictographic_run = false;
    } else if (next != Gcb::Extend) {
      pictographic_run = after_zwj = false;
    }
    prev = next;
    at += n.length;
  }
  g.length = at - pos;
  if (regional == 2 || joined_pictographs || modifier || (vs16 && base_width > 0)) {
    g.width = 2;
  } else if (vs15 && base_pictographic) {
    g.width = 1;
  } else {
    g.width = std::min(base_width, 2);
  }
  return g;
}

int grapheme_width(std::string_view cluster) noexcept {
  return cluster.empty() ? 0 : next_grapheme(cluster, 0).width;
}

std::size_t display_width(std::string_view text) noexcept {
  std::size_t width = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const Grapheme g = next_grapheme(text, pos);
    width += static_cast<std::size_t>(g.width);
    pos += g.length;
  }
  return width;
}

WidthCut cut_to_width(std::string_view text, int max_width) noexcept {
  WidthCut cut;
  while (cut.bytes < text.size()) {
    const Grapheme g = next_grapheme(text, cut.bytes);
    if (cut.width + g.width > max_width) break;
    cut.width += g.width;
    cut.bytes += g.length;
  }
  return cut;
}

std::string truncate_to_width(std::string_view text, int max_width, std::string_view ellipsis) {
  if (max_width <= 0) return {};
  if (display_width(text) <= static_cast<std::size_t>(max_width)) return std::string(text);
  const int ellipsis_width = static_cast<int>(display_width(ellipsis));
  if (ellipsis_width > max_width)
    return std::string(text.substr(0, cut_to_width(text, max_width).bytes));
  std::string out(text.substr(0, cut_to_width(text, max_width - ellipsis_width).bytes));
  out += ellipsis;
  return out;
}

std::vector<WrappedLine> wrap_to_width(std::string_view text, int width) {
  if (width < 1) width = 1;
  std::vector<WrappedLine> lines;
  WrappedLine line;
  // The last place the line may break: the start of a run of spaces (the line ends there) and
  // the position after it (the next line starts there).
  std::size_t break_end = 0, break_next = 0;
  int break_width = 0, width_at_next = 0;
  bool have_break = false, in_spaces = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const Grapheme g = next_grapheme(text, pos);
    const bool newline = g.control && (text[pos] == '\n' || text[pos] == '\r');
    if (newline && (text[pos] == '\n' || g.length == 2)) {
      line.end = pos;
      lines.push_back(line);
      line = WrappedLine{pos + g.length, pos + g.length, 0};
      have_break = in_spaces = false;
      pos += g.length;
      continue;
    }
    if (g.length == 1 && text[pos] == ' ') {
      if (line.width + 1 > width) {  // the space itself does not fit: break here, drop the run
        line.end = pos;
        lines.push_back(line);
        while (pos < text.size() && text[pos] == ' ') ++pos;
        line = WrappedLine{pos, pos, 0};
        have_break = in_spaces = false;
        continue;
      }
      if (!in_spaces) {
        break_end = pos;
        break_width = line.width;
        in_spaces = true;
      }
      line.width += 1;
      pos += 1;
      break_next = pos;
      width_at_next = line.width;
      have_break = break_end > line.begin;
      continue;
    }
    in_spaces = false;
    if (line.width + g.width > width && have_break) {
      lines.push_back(WrappedLine{line.begin, break_end, break_width});
      line.begin = break_next;
      line.width -= width_at_next;
      have_break = false;
    }
    if (line.width + g.width > width && line.width > 0) {  // a word longer than the line
      line.end = pos;
      lines.push_back(line);
      line = WrappedLine{pos, pos, 0};
      have_break = false;
    }
    line.width += g.width;
    pos += g.length;
  }
  line.end = text.size();
  lines.push_back(line);
  return lines;
}

}  // namespace aui::tui
