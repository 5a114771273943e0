#pragma once
// Rendering a reply's Markdown while it streams, at a cost per update that does not grow with
// the reply.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "aui/tui/markdown.hpp"
#include "aui/tui/markdown_layout.hpp"

namespace aui::tui {

/// The laid-out lines of a growing Markdown text. Each update re-parses and re-lays out only the
/// unfinished end of the text: the blocks before the last top-level block boundary are complete
/// (nothing that follows can change them) and their lines are kept.
///
/// A boundary is the start of a line that begins a new top-level block for certain: the line is
/// complete (its newline has arrived), follows an empty line, starts in column 0, does not start
/// a list item (`- b` after `- a` and an empty line continues the same list), and is not inside
/// a fenced code block or an HTML block that spans empty lines (`<pre>`, `<!--`, …). Lines
/// indented, or in a fence, never end a block early, so a list or fence spanning empty lines stays
/// whole. A link reference definition (`[x]: https://…`) can change any earlier paragraph: once
/// one appears, every update parses the whole text (rare in replies, and correct).
///
/// After every update the lines are exactly those of MarkdownRenderer::render() on the same
/// text and width. An unclosed fence renders as a code block so far; a table whose delimiter row
/// has not arrived yet is a paragraph until it has.
class MarkdownStream {
 public:
  /// `renderer` must outlive the stream (UI thread only, like the renderer).
  MarkdownStream(MarkdownRenderer& renderer, int width);

  /// The whole text so far. A streamed reply only grows: the text should extend the previous one.
  /// When it does not (it is shorter, or the end of the part already complete differs), the
  /// stream starts over, so a replaced text is still rendered right.
  void update(std::string_view text);
  /// Lays out again for another width (no parsing).
  void set_width(int width);
  /// Forgets everything (an empty text).
  void reset();

  int width() const { return width_; }
  std::size_t line_count() const;
  /// Line `i` (< line_count()).
  const StyledLine& line(std::size_t i) const;
  /// How many leading lines no later update can change (the complete blocks').
  std::size_t stable_line_count() const { return committed_lines_.size(); }
  /// A copy of all lines.
  std::vector<StyledLine> lines() const;

  /// Bytes parsed by the last update (to test and measure that the cost stays flat).
  std::size_t last_parsed_bytes() const { return last_parsed_; }
  /// Bytes of the text that are complete blocks.
  std::size_t complete_bytes() const { return committed_end_; }

 private:
  void commit(MarkdownDocument chunk);
  void relayout_tail();
  std::size_t find_boundary(std::string_view text, std::size_t from);

  MarkdownRenderer& renderer_;
  int width_;
  std::vector<MarkdownDocument> chunks_;  // the complete part, chunk by chunk (for set_width)
  std::vector<StyledLine> committed_lines_;
  bool committed_blocks_ = false;  // the complete part has at least one block
  std::size_t committed_end_ = 0;  // bytes of the text that are complete blocks
  std::string committed_tail_;     // the last bytes of that part, to notice a replaced text
  std::size_t seen_ = 0;           // length of the last text
  bool whole_ = false;             // a reference definition was seen: parse the whole text
  MarkdownDocument tail_doc_;
  std::vector<StyledLine> tail_lines_;
  bool separator_ = false;  // an empty line between the complete part and the tail
  std::size_t last_parsed_ = 0;
};

}  // namespace aui::tui
