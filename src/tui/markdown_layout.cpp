// Markdown document → styled lines for a width.

#include "aui/tui/markdown_layout.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <limits>
#include <utility>

#include "aui/tui/text_width.hpp"

namespace aui::tui {

std::string StyledLine::text() const {
  std::string out;
  for (const auto& s : spans) out += s.text;
  return out;
}

int StyledLine::width() const {
  std::size_t w = 0;
  for (const auto& s : spans) w += display_width(s.text);
  return static_cast<int>(w);
}

void StyledLine::append(std::string_view text, const Style& style) {
  if (text.empty()) return;
  if (!spans.empty() && spans.back().style == style) {
    spans.back().text += text;
  } else {
    spans.push_back(StyledSpan{std::string(text), style});
  }
}

int put_line(Canvas& canvas, int x, int y, const StyledLine& line) {
  for (const auto& span : line.spans) x = canvas.put(x, y, span.text, span.style);
  return x;
}

namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

// One grapheme cluster (or a space, or a forced line end) of text to be wrapped, with its style.
struct Piece {
  std::string_view text;
  int width = 0;
  std::uint32_t style = 0;  // index into Pieces::styles
  bool space = false;
  bool wide = false;     // a wide (CJK) character: a line may break before and after it
  bool newline = false;  // a hard break
};

// Text to be wrapped, cut into pieces. Texts made here (link targets, expanded tabs) are kept
// in `owned` so the pieces can point into them.
struct Pieces {
  std::vector<Piece> items;
  std::vector<Style> styles;
  std::deque<std::string> owned;

  std::uint32_t style_index(const Style& style) {
    for (std::size_t i = 0; i < styles.size(); ++i) {
      if (styles[i] == style) return static_cast<std::uint32_t>(i);
    }
    styles.push_back(style);
    return static_cast<std::uint32_t>(styles.size() - 1);
  }

  void add_text(std::string_view text, const Style& style) {
    const std::uint32_t s = style_index(style);
    for (const Grapheme& g : graphemes(text)) {
      Piece p;
      p.text = text.substr(g.offset, g.length);
      p.width = g.width;
      p.style = s;
      p.space = p.text == " ";  // a no-break space is not a break
      p.wide = g.width == 2;
      items.push_back(p);
    }
  }

  void add_owned(std::string text, const Style& style) {
    owned.push_back(std::move(text));
    add_text(owned.back(), style);
  }

  void add_space(const Style& style) {
    Piece p;
    p.text = " ";
    p.width = 1;
    p.style = style_index(style);
    p.space = true;
    items.push_back(p);
  }

  void add_newline() {
    Piece p;
    p.newline = true;
    items.push_back(p);
  }

  void emit(std::size_t begin, std::size_t end, std::vector<StyledLine>& out) const {
    StyledLine& line = out.emplace_back();
    for (std::size_t i = begin; i < end; ++i) line.append(items[i].text, styles[items[i].style]);
  }

  // Greedy wrapping at spaces and around wide characters; a piece run longer than the line is
  // cut where it overflows. Spaces at a break are dropped. Always at least one line.
  void wrap(int width, std::vector<StyledLine>& out) const {
    const std::size_t n = items.size();
    std::size_t i = 0;
    for (;;) {
      std::size_t j = i, end = n, next = n, brk_end = kNone, brk_next = kNone;
      int w = 0;
      bool wrapped = false, hard = false;
      while (j < n) {
        const Piece& p = items[j];
        if (p.newline) {
          end = j;
          next = j + 1;
          hard = true;
          break;
        }
        if (p.space) {
          brk_end = j;
          brk_next = j + 1;
          if (w + p.width > width) {
            end = j;
            next = j + 1;
            wrapped = true;
            break;
          }
          w += p.width;
          ++j;
          continue;
        }
        if (p.wide && j > i) {
          brk_end = j;
          brk_next = j;
        }
        if (w + p.width > width) {
          wrapped = true;
          if (brk_end != kNone && brk_end > i) {
            end = brk_end;
            next = brk_next;
          } else if (j == i) {
            end = next = j + 1;  // one piece wider than the line (a wide character in 1 column)
          } else {
            end = next = j;
          }
          break;
        }
        w += p.width;
        ++j;
        if (p.wide) {
          brk_end = j;
          brk_next = j;
        }
      }
      std::size_t trimmed = end;
      while (trimmed > i && items[trimmed - 1].space) --trimmed;
      emit(i, trimmed, out);
      i = next;
      if (hard) continue;
      if (!wrapped) break;
      while (i < n && items[i].space) ++i;
      if (i == n) break;
    }
  }
};

// The text of a link as shown, to compare with its target: an autolink shows its target.
bool shows_its_target(const std::string& text, const std::string& url) {
  if (text == url) return true;
  constexpr std::string_view mailto = "mailto:";
  if (url.compare(0, mailto.size(), mailto) == 0 && text == url.substr(mailto.size())) return true;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.compare(0, scheme.size(), scheme) == 0 && text == url.substr(scheme.size()))
      return true;
  }
  return false;
}

std::string repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// Cuts a line to `width` columns (only a layout at an absurdly small width needs it).
void clip(StyledLine& line, int width) {
  if (line.width() <= width) return;
  StyledLine cut;
  int left = width;
  for (const auto& span : line.spans) {
    const WidthCut c = cut_to_width(span.text, left);
    cut.append(std::string_view(span.text).substr(0, c.bytes), span.style);
    left -= c.width;
    if (c.bytes < span.text.size()) break;
  }
  line = std::move(cut);
}

void prefix_lines(std::vector<StyledLine>& lines, std::size_t from, const StyledLine& first,
                  const StyledLine& rest) {
  for (std::size_t i = from; i < lines.size(); ++i) {
    StyledLine line = i == from ? first : rest;
    for (auto& span : lines[i].spans) line.append(span.text, span.style);
    lines[i] = std::move(line);
  }
}

}  // namespace

struct MarkdownRenderer::Context {
  Style base;     // the style text starts from (quotes lay theirs over it)
  int depth = 0;  // list nesting
};

MarkdownRenderer::MarkdownRenderer(Theme theme, std::shared_ptr<Highlighter> highlighter,
                                   MarkdownOptions options)
    : theme_(std::move(theme)),
      highlighter_(highlighter ? std::move(highlighter) : std::make_shared<Highlighter>()),
      options_(options) {}

MarkdownRenderer::~MarkdownRenderer() = default;

std::vector<StyledLine> MarkdownRenderer::render(std::string_view markdown, int width) {
  return layout(parse_markdown(markdown), width);
}

std::vector<StyledLine> MarkdownRenderer::layout(const MarkdownDocument& document, int width) {
  std::vector<StyledLine> out;
  layout_blocks(document.blocks, width, out);
  return out;
}

void MarkdownRenderer::layout_blocks(const std::vector<Block>& bs, int width,
                                     std::vector<StyledLine>& out) {
  width = std::max(width, 1);
  const std::size_t from = out.size();
  blocks(bs, true, width, Context{theme_.text, 0}, out);
  for (std::size_t i = from; i < out.size(); ++i) clip(out[i], width);
}

void MarkdownRenderer::layout_block(const Block& b, int width, std::vector<StyledLine>& out) {
  width = std::max(width, 1);
  const std::size_t from = out.size();
  block(b, width, Context{theme_.text, 0}, out);
  for (std::size_t i = from; i < out.size(); ++i) clip(out[i], width);
}

void MarkdownRenderer::blocks(const std::vector<Block>& bs, bool separate, int width,
                              const Context& ctx, std::vector<StyledLine>& out) {
  for (std::size_t i = 0; i < bs.size(); ++i) {
    if (i > 0 && separate) out.emplace_back();
    block(bs[i], width, ctx, out);
  }
}

void MarkdownRenderer::block(const Block& b, int width, const Context& ctx,
                             std::vector<StyledLine>& out) {
  switch (b.kind) {
    case BlockKind::Paragraph: inlines(b.inlines, width, ctx.base, out); break;
    case BlockKind::Heading: {
      const std::size_t level = static_cast<std::size_t>(std::clamp(b.level, 1, 6)) - 1;
      inlines(b.inlines, width, overlay(ctx.base, theme_.headings[level]), out);
      break;
    }
    case BlockKind::Quote: {
      const std::size_t from = out.size();
      Context inner = ctx;
      inner.base = overlay(ctx.base, theme_.quote_text);
      blocks(b.children, true, std::max(width - 2, 1), inner, out);
      if (out.size() == from) out.emplace_back();
      StyledLine bar;
      bar.append("\u2502 ", theme_.quote_bar);
      prefix_lines(out, from, bar, bar);
      for (std::size_t i = from; i < out.size(); ++i) {
        // An empty quoted line keeps no trailing space.
        if (out[i].spans.size() == 1 && out[i].spans[0].text == "\u2502 ")
          out[i].spans[0].text = "\u2502";
      }
      break;
    }
    case BlockKind::List: list(b, width, ctx, out); break;
    case BlockKind::Code: code(b, width, out); break;
    case BlockKind::Table: table(b, width, ctx, out); break;
    case BlockKind::ThematicBreak: {
      StyledLine line;
      line.append(repeat("\u2500", width), theme_.rule);
      out.push_back(std::move(line));
      break;
    }
    case BlockKind::Html: {
      // Shown as the text it is, wrapped like prose: HTML from a model is never interpreted.
      std::size_t pos = 0;
      const std::string& text = b.text;
      do {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        Pieces pieces;
        int col = 0;
        const std::string_view line(text.data() + pos, end - pos);
        for (const Grapheme& g : graphemes(line)) {
          if (line[g.offset] == '\t') {
            const int n = options_.tab_width - col % options_.tab_width;
            for (int k = 0; k < n; ++k) pieces.add_space(overlay(ctx.base, theme_.html));
            col += n;
          } else {
            pieces.add_text(line.substr(g.offset, g.length), overlay(ctx.base, theme_.html));
            col += g.width;
          }
        }
        pieces.wrap(width, out);
        pos = end + 1;
      } while (pos <= text.size());
      break;
    }
  }
}

void MarkdownRenderer::inlines(const Inlines& runs, int width, const Style& base,
                               std::vector<StyledLine>& out) {
  Pieces pieces;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const InlineRun& run = runs[i];
    Style style = base;
    if ((run.flags & kEmphasis) != 0) style = overlay(style, theme_.emphasis);
    if ((run.flags & kStrong) != 0) style = overlay(style, theme_.strong);
    if ((run.flags & kStrikethrough) != 0) style = overlay(style, theme_.strikethrough);
    if ((run.flags & kImageAlt) != 0) style = overlay(style, theme_.image);
    if (run.kind == InlineKind::Code) style = overlay(style, theme_.inline_code);
    if ((run.flags & kLink) != 0) style = overlay(style, theme_.link).with_link(Link(run.url));
    switch (run.kind) {
      case InlineKind::SoftBreak: pieces.add_space(style); break;
      case InlineKind::HardBreak: pieces.add_newline(); break;
      case InlineKind::ImageSource: {
        Style target = overlay(base, theme_.link_target);
        if (!run.url.empty()) target = target.with_link(Link(run.url));
        const bool has_alt = i > 0 && (runs[i - 1].flags & kImageAlt) != 0;
        if (has_alt) pieces.add_space(target);
        pieces.add_owned("(image: " + run.text + ")", target);
        break;
      }
      case InlineKind::Text:
      case InlineKind::Code: pieces.add_text(run.text, style); break;
    }
    // After the last run of a link, its target — unless the text says it already.
    const bool link_ends =
        (run.flags & kLink) != 0 &&
        (i + 1 == runs.size() || (runs[i + 1].flags & kLink) == 0 || runs[i + 1].url != run.url);
    if (link_ends && options_.show_link_targets) {
      std::string text;
      for (std::size_t k = i + 1; k-- > 0;) {
        if ((runs[k].flags & kLink) == 0 || runs[k].url != run.url) break;
        text.insert(0, runs[k].text);
      }
      if (!shows_its_target(text, run.url)) {
        const Style target = overlay(base, theme_.link_target).with_link(Link(run.url));
        pieces.add_space(target);
        pieces.add_owned("(" + run.url + ")", target);
      }
    }
  }
  pieces.wrap(width, out);
}

void MarkdownRenderer::list(const Block& b, int width, const Context& ctx,
                            std::vector<StyledLine>& out) {
  static constexpr std::string_view kBullets[] = {"\u2022", "\u25e6", "\u25aa"};
  // Numbers are right-aligned on their dot: "9." and "10." line up.
  int number_width = 1;
  if (b.ordered) {
    number_width =
        static_cast<int>(
            std::to_string(b.start + (b.items.empty() ? 0 : b.items.size() - 1)).size()) +
        1;
  }
  Context inner = ctx;
  inner.depth = ctx.depth + 1;
  for (std::size_t k = 0; k < b.items.size(); ++k) {
    const ListItem& item = b.items[k];
    if (k > 0 && !b.tight) out.emplace_back();
    StyledLine marker;
    if (b.ordered) {
      std::string number = std::to_string(b.start + k) + ".";
      marker.append(std::string(static_cast<std::size_t>(number_width) - number.size(), ' '),
                    ctx.base);
      marker.append(number, overlay(ctx.base, theme_.list_marker));
    } else {
      marker.append(kBullets[static_cast<std::size_t>(ctx.depth) % 3],
                    overlay(ctx.base, theme_.list_marker));
    }
    marker.append(" ", ctx.base);
    if (item.task == TaskState::Open) marker.append("[ ] ", overlay(ctx.base, theme_.task_open));
    if (item.task == TaskState::Done) marker.append("[x] ", overlay(ctx.base, theme_.task_done));
    const int indent = marker.width();
    StyledLine hanging;
    hanging.append(std::string(static_cast<std::size_t>(indent), ' '), ctx.base);
    const std::size_t from = out.size();
    blocks(item.blocks, !b.tight, std::max(width - indent, 1), inner, out);
    if (out.size() == from) out.emplace_back();
    prefix_lines(out, from, marker, hanging);
    for (std::size_t i = from + 1; i < out.size(); ++i) {
      // Lines left empty between an item's blocks carry no indentation.
      if (out[i].spans.size() == 1 && out[i].spans[0].text == hanging.spans[0].text)
        out[i].spans.clear();
    }
  }
}

void MarkdownRenderer::code(const Block& b, int width, std::vector<StyledLine>& out) {
  StyledLine top;
  top.append("\u256d\u2500", theme_.code_frame);
  if (!b.language.empty()) {
    top.append(" ", theme_.code_frame);
    top.append(b.language, theme_.code_label);
  }
  out.push_back(std::move(top));

  const int inner = std::max(width - 2, 1);
  for (const HighlightedLine& line : highlighter_->highlight(b.text, b.language)) {
    // Tabs to spaces first (their width depends on the column), then cut into rows of `inner`
    // columns; the rows after the first start with the wrap mark instead of the gutter.
    Pieces pieces;
    int col = 0;
    for (const TokenRun& run : line) {
      const Style& style = theme_.token(run.kind);
      const std::string_view text = run.text;
      for (const Grapheme& g : graphemes(text)) {
        if (text[g.offset] == '\t') {
          const int n = options_.tab_width - col % options_.tab_width;
          pieces.add_owned(std::string(static_cast<std::size_t>(n), ' '), style);
          col += n;
        } else {
          pieces.add_text(text.substr(g.offset, g.length), style);
          col += g.width;
        }
      }
    }
    std::size_t i = 0;
    bool first = true;
    do {
      StyledLine row;
      if (first) {
        row.append("\u2502 ", theme_.code_frame);
      } else {
        row.append("\u21b3 ", theme_.code_wrap);
      }
      int w = 0;
      while (i < pieces.items.size() && (w + pieces.items[i].width <= inner || w == 0)) {
        w += pieces.items[i].width;
        row.append(pieces.items[i].text, pieces.styles[pieces.items[i].style]);
        ++i;
      }
      if (row.spans.size() == 1)
        row.spans[0].text = first ? "\u2502" : "\u21b3";  // no trailing space
      out.push_back(std::move(row));
      first = false;
    } while (i < pieces.items.size());
  }
  StyledLine bottom;
  bottom.append("\u2570\u2500", theme_.code_frame);
  out.push_back(std::move(bottom));
}

void MarkdownRenderer::table(const Block& b, int width, const Context& ctx,
                             std::vector<StyledLine>& out) {
  const std::size_t cols = b.aligns.size();
  if (cols == 0) return;
  const Style header = overlay(ctx.base, theme_.table_header);
  constexpr int kUnbounded = std::numeric_limits<int>::max() / 4;

  // Each column's natural width (its widest cell on one line) and least width (2 when it holds
  // a wide character, which cannot be split).
  std::vector<int> natural(cols, 1), least(cols, 1);
  for (std::size_t r = 0; r < b.rows.size(); ++r) {
    for (std::size_t c = 0; c < cols && c < b.rows[r].size(); ++c) {
      std::vector<StyledLine> lines;
      inlines(b.rows[r][c], kUnbounded, r == 0 ? header : ctx.base, lines);
      for (const auto& line : lines) {
        natural[c] = std::max(natural[c], line.width());
        for (const auto& span : line.spans) {
          for (const Grapheme& g : graphemes(span.text)) least[c] = std::max(least[c], g.width);
        }
      }
    }
  }
  // "│ a │ b │": three columns of border and padding per column, plus one.
  const int avail = width - 3 * static_cast<int>(cols) - 1;
  std::vector<int> widths = natural;
  int total = 0;
  for (int w : natural) total += w;
  if (total > avail) {
    // Shrink the widest columns first: the largest cap that fits, then the columns at the cap
    // share what is left.
    auto sum_at = [&](int cap) {
      int s = 0;
      for (std::size_t c = 0; c < cols; ++c)
        s += std::clamp(cap, least[c], std::max(least[c], natural[c]));
      return s;
    };
    int lo = 0, hi = *std::max_element(natural.begin(), natural.end());
    while (lo < hi) {
      const int mid = (lo + hi + 1) / 2;
      if (sum_at(mid) <= avail) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    int used = 0;
    for (std::size_t c = 0; c < cols; ++c) {
      widths[c] = std::clamp(lo, least[c], std::max(least[c], natural[c]));
      used += widths[c];
    }
    for (std::size_t c = 0; c < cols && used < avail; ++c) {
      if (widths[c] < natural[c]) {
        ++widths[c];
        ++used;
      }
    }
  }

  auto border = [&](std::string_view left, std::string_view mid, std::string_view right) {
    std::string s(left);
    for (std::size_t c = 0; c < cols; ++c) {
      if (c > 0) s += mid;
      s += repeat("\u2500", widths[c] + 2);
    }
    s += right;
    StyledLine line;
    line.append(s, theme_.table_border);
    out.push_back(std::move(line));
  };

  border("\u250c", "\u252c", "\u2510");
  for (std::size_t r = 0; r < b.rows.size(); ++r) {
    const Style& base = r == 0 ? header : ctx.base;
    std::vector<std::vector<StyledLine>> cells(cols);
    std::size_t height = 1;
    for (std::size_t c = 0; c < cols; ++c) {
      if (c < b.rows[r].size()) inlines(b.rows[r][c], widths[c], base, cells[c]);
      height = std::max(height, cells[c].size());
    }
    for (std::size_t h = 0; h < height; ++h) {
      StyledLine line;
      line.append("\u2502", theme_.table_border);
      for (std::size_t c = 0; c < cols; ++c) {
        const StyledLine empty;
        const StyledLine& cell = h < cells[c].size() ? cells[c][h] : empty;
        const int pad = std::max(widths[c] - cell.width(), 0);
        int before = 0;
        if (b.aligns[c] == Align::Right) before = pad;
        if (b.aligns[c] == Align::Center) before = pad / 2;
        line.append(std::string(static_cast<std::size_t>(before) + 1, ' '), ctx.base);
        for (const auto& span : cell.spans) line.append(span.text, span.style);
        line.append(std::string(static_cast<std::size_t>(pad - before) + 1, ' '), ctx.base);
        line.append("\u2502", theme_.table_border);
      }
      out.push_back(std::move(line));
    }
    if (r == 0) border("\u251c", "\u253c", "\u2524");
  }
  border("\u2514", "\u2534", "\u2518");
}

}  // namespace aui::tui
