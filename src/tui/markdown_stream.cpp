// A growing Markdown text: complete blocks are laid out once, the unfinished end at every update.

#include "aui/tui/markdown_stream.hpp"

#include <algorithm>
#include <cctype>

namespace aui::tui {

namespace {

constexpr std::size_t kFingerprint = 64;  // bytes before the complete part's end, compared

// Columns of leading indentation (a tab counts as reaching the next multiple of 4).
std::size_t indentation(std::string_view line, std::size_t* bytes = nullptr) {
  std::size_t col = 0, i = 0;
  for (; i < line.size(); ++i) {
    if (line[i] == ' ') {
      ++col;
    } else if (line[i] == '\t') {
      col += 4 - col % 4;
    } else {
      break;
    }
  }
  if (bytes != nullptr) *bytes = i;
  return col;
}

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

struct Fence {
  char ch = 0;
  std::size_t length = 0;
  std::size_t indent = 0;
};

// A fence opening line (``` or ~~~): its character, length and indentation. CommonMark allows 3
// columns of indentation; md4c 0.4.8 also opens a fence on a line indented more that follows a
// paragraph line, so after a non-empty line any indentation counts.
bool opens_fence(std::string_view line, bool after_text, Fence& fence) {
  std::size_t i = 0;
  const std::size_t indent = indentation(line, &i);
  if (indent > 3 && !after_text) return false;
  if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return false;
  const char ch = line[i];
  std::size_t n = 0;
  while (i + n < line.size() && line[i + n] == ch) ++n;
  if (n < 3) return false;
  if (ch == '`' && line.find('`', i + n) != std::string_view::npos) return false;  // inline code
  fence = Fence{ch, n, indent};
  return true;
}

bool closes_fence(std::string_view line, const Fence& fence) {
  std::size_t i = 0;
  if (indentation(line, &i) > std::max<std::size_t>(3, fence.indent)) return false;
  std::size_t n = 0;
  while (i + n < line.size() && line[i + n] == fence.ch) ++n;
  return n >= fence.length && is_blank(line.substr(i + n));
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

bool contains_nocase(std::string_view s, std::string_view needle) {
  for (std::size_t i = 0; i + needle.size() <= s.size(); ++i) {
    if (starts_with_nocase(s.substr(i), needle)) return true;
  }
  return false;
}

// The HTML blocks that may hold empty lines (CommonMark's kinds 1–5), by their end marker;
// empty when the line starts none. At any indentation: md4c 0.4.8 starts one even on a line
// indented 4 columns that continues a paragraph, and a false start only delays a boundary.
std::string_view html_block_end(std::string_view line) {
  std::size_t i = 0;
  indentation(line, &i);
  const std::string_view s = line.substr(i);
  for (std::string_view tag : {"script", "pre", "style", "textarea"}) {
    if (starts_with_nocase(s, "<") && starts_with_nocase(s.substr(1), tag)) {
      const std::size_t after = 1 + tag.size();
      if (after == s.size() || s[after] == ' ' || s[after] == '\t' || s[after] == '>') {
        if (tag == "script") return "</script>";
        if (tag == "pre") return "</pre>";
        if (tag == "style") return "</style>";
        return "</textarea>";
      }
    }
  }
  if (s.substr(0, 4) == "<!--") return "-->";
  if (s.substr(0, 2) == "<?") return "?>";
  if (s.substr(0, 9) == "<![CDATA[") return "]]>";
  if (s.size() >= 3 && s.substr(0, 2) == "<!" && s[2] >= 'A' && s[2] <= 'Z') return ">";
  return {};
}

// A list item marker at the start of the line: "-", "+", "*" or up to 9 digits and "." or ")",
// followed by a space, a tab or the end of the line.
bool starts_list_item(std::string_view line) {
  std::size_t i = 0;
  if (!line.empty() && (line[0] == '-' || line[0] == '+' || line[0] == '*')) {
    i = 1;
  } else {
    while (i < line.size() && i < 9 && line[i] >= '0' && line[i] <= '9') ++i;
    if (i == 0 || i >= line.size() || (line[i] != '.' && line[i] != ')')) return false;
    ++i;
  }
  return i == line.size() || line[i] == ' ' || line[i] == '\t' || line[i] == '\r';
}

// A line that may be a link reference definition, "[label]: …", possibly inside quotes or list
// items. Cast wide: a false alarm only costs parsing the whole text.
bool may_define_reference(std::string_view line) {
  for (;;) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '>')) ++i;
    line = line.substr(i);
    if (!starts_list_item(line)) break;
    std::size_t j = 0;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    line = line.substr(j);
  }
  return !line.empty() && line[0] == '[' && line.find("]:") != std::string_view::npos;
}

}  // namespace

MarkdownStream::MarkdownStream(MarkdownRenderer& renderer, int width)
    : renderer_(renderer), width_(std::max(width, 1)) {}

void MarkdownStream::reset() {
  chunks_.clear();
  committed_lines_.clear();
  committed_blocks_ = false;
  committed_end_ = 0;
  committed_tail_.clear();
  seen_ = 0;
  whole_ = false;
  tail_doc_ = MarkdownDocument{};
  tail_lines_.clear();
  separator_ = false;
  last_parsed_ = 0;
}

std::size_t MarkdownStream::find_boundary(std::string_view text, std::size_t from) {
  std::size_t boundary = from;
  Fence fence;
  bool in_fence = false;
  std::string_view html_end;  // the end marker of an open HTML block that spans empty lines
  bool after_blank = false;
  std::size_t pos = from;
  while (pos < text.size()) {
    const std::size_t eol = text.find('\n', pos);
    const bool complete = eol != std::string_view::npos;
    const std::string_view line = text.substr(pos, (complete ? eol : text.size()) - pos);
    if (!complete) {
      // The unfinished last line decides nothing, except that a reference definition in it
      // already changes how md4c reads the text before it.
      if (!in_fence && html_end.empty() && may_define_reference(line)) whole_ = true;
      break;
    }
    if (in_fence) {
      if (closes_fence(line, fence)) in_fence = false;
      after_blank = false;
    } else if (!html_end.empty()) {
      if (contains_nocase(line, html_end)) html_end = {};
      after_blank = false;
    } else {
      const bool blank = is_blank(line);
      if (!blank) {
        if (after_blank && pos > from && line[0] != ' ' && line[0] != '\t' &&
            !starts_list_item(line)) {
          boundary = pos;
        }
        if (may_define_reference(line)) whole_ = true;
        if (opens_fence(line, !after_blank && pos > from, fence)) {
          in_fence = true;
        } else {
          html_end = html_block_end(line);
          // An HTML block whose end marker is on its first line ends there.
          if (!html_end.empty() && contains_nocase(line.substr(1), html_end)) html_end = {};
        }
      }
      after_blank = blank;
    }
    pos = eol + 1;
  }
  return boundary;
}

void MarkdownStream::commit(MarkdownDocument chunk) {
  if (!chunk.blocks.empty()) {
    if (committed_blocks_) committed_lines_.emplace_back();
    renderer_.layout_blocks(chunk.blocks, width_, committed_lines_);
    committed_blocks_ = true;
  }
  chunks_.push_back(std::move(chunk));
}

void MarkdownStream::update(std::string_view text) {
  // A text that does not extend the last one (a regenerated or replaced reply) starts over.
  const std::size_t fp = std::min(committed_end_, kFingerprint);
  if (text.size() < seen_ ||
      (committed_end_ > 0 && text.substr(committed_end_ - fp, fp) != committed_tail_)) {
    reset();
  }
  seen_ = text.size();
  last_parsed_ = 0;
  std::size_t boundary = committed_end_;
  if (!whole_) {
    boundary = find_boundary(text, committed_end_);
    if (whole_) {
      // A reference definition can change blocks already complete: from now on the whole text.
      chunks_.clear();
      committed_lines_.clear();
      committed_blocks_ = false;
      committed_end_ = 0;
      committed_tail_.clear();
      boundary = 0;
    }
  }
  const std::string_view tail = text.substr(committed_end_);
  MarkdownDocument whole = parse_markdown(tail);
  last_parsed_ += text.size() - committed_end_;
  if (boundary > committed_end_) {
    // The line scan proposes; md4c decides. The split stands only if the two parts parse into
    // exactly the blocks of the whole, so a construct the scan misjudges (or an md4c quirk)
    // costs a later commit, never a wrong line.
    const std::size_t split = boundary - committed_end_;
    MarkdownDocument head = parse_markdown(tail.substr(0, split));
    MarkdownDocument rest = parse_markdown(tail.substr(split));
    last_parsed_ += tail.size();
    const bool same =
        head.blocks.size() + rest.blocks.size() == whole.blocks.size() &&
        std::equal(head.blocks.begin(), head.blocks.end(), whole.blocks.begin()) &&
        std::equal(rest.blocks.begin(), rest.blocks.end(),
                   whole.blocks.begin() + static_cast<std::ptrdiff_t>(head.blocks.size()));
    if (same) {
      commit(std::move(head));
      committed_end_ = boundary;
      const std::size_t n = std::min(committed_end_, kFingerprint);
      committed_tail_.assign(text.substr(committed_end_ - n, n));
      whole = std::move(rest);
    }
  }
  tail_doc_ = std::move(whole);
  relayout_tail();
}

void MarkdownStream::relayout_tail() {
  tail_lines_.clear();
  renderer_.layout_blocks(tail_doc_.blocks, width_, tail_lines_);
  separator_ = committed_blocks_ && !tail_doc_.blocks.empty();
}

void MarkdownStream::set_width(int width) {
  width = std::max(width, 1);
  if (width == width_) return;
  width_ = width;
  committed_lines_.clear();
  bool any = false;
  for (const MarkdownDocument& doc : chunks_) {
    if (doc.blocks.empty()) continue;
    if (any) committed_lines_.emplace_back();
    renderer_.layout_blocks(doc.blocks, width_, committed_lines_);
    any = true;
  }
  relayout_tail();
}

std::size_t MarkdownStream::line_count() const {
  return committed_lines_.size() + (separator_ ? 1 : 0) + tail_lines_.size();
}

const StyledLine& MarkdownStream::line(std::size_t i) const {
  static const StyledLine kEmpty;
  if (i < committed_lines_.size()) return committed_lines_[i];
  i -= committed_lines_.size();
  if (separator_) {
    if (i == 0) return kEmpty;
    --i;
  }
  return tail_lines_[i];
}

std::vector<StyledLine> MarkdownStream::lines() const {
  std::vector<StyledLine> out;
  out.reserve(line_count());
  for (std::size_t i = 0; i < line_count(); ++i) out.push_back(line(i));
  return out;
}

}  // namespace aui::tui
