#pragma once
// Laying out a Markdown document for a terminal width: the document → lines of styled text, each
// at most the width in display columns.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aui/tui/highlighter.hpp"
#include "aui/tui/markdown.hpp"
#include "aui/tui/markdown_theme.hpp"
#include "aui/tui/screen.hpp"
#include "aui/tui/style.hpp"

namespace aui::tui {

/// A piece of a line in one style.
struct StyledSpan {
  std::string text;
  Style style;

  friend bool operator==(const StyledSpan&, const StyledSpan&) = default;
};

/// One line of laid-out text. Its text is display-safe (no controls) and holds no newline.
struct StyledLine {
  std::vector<StyledSpan> spans;

  /// The text without styles.
  std::string text() const;
  /// Its width in display columns.
  int width() const;
  /// Appends text in a style (joined to the last span when the style is the same).
  void append(std::string_view text, const Style& style);

  friend bool operator==(const StyledLine&, const StyledLine&) = default;
};

/// Draws `line` on row `y` of `canvas` from column `x` (clipped to the canvas); returns the
/// column after it.
int put_line(Canvas& canvas, int x, int y, const StyledLine& line);

/// Choices of layout besides the theme.
struct MarkdownOptions {
  /// Show a link's target after its text, " (https://…)", unless the text is the target itself.
  /// On by default: the text of a link is the model's and need not say where it goes, and many
  /// terminals (or tmux) do not show OSC 8 hyperlinks.
  bool show_link_targets = true;
  /// Columns between tab stops in code blocks.
  int tab_width = 4;
};

/// Lays out Markdown documents. The layout of a document is the layouts of its top-level blocks
/// joined by one empty line, so a document laid out block by block (MarkdownStream) gives the
/// same lines as laid out at once.
///
/// Choices (docs/tui.md): paragraphs wrap at spaces (and anywhere between wide CJK characters;
/// a word longer than a line is cut); lists indent their items with a hanging indent under the
/// marker; quotes get a bar; code blocks get a frame with the language, are highlighted, and
/// their long lines are wrapped with a mark (nothing is hidden, and nothing scrolls sideways in
/// a transcript); tables get column widths from their content, shrunk to fit, cells wrapped.
///
/// Uses a Highlighter: UI thread only.
class MarkdownRenderer {
 public:
  /// `highlighter`: shared with other renderers of the same thread; null makes one of its own.
  explicit MarkdownRenderer(Theme theme = Theme::standard(),
                            std::shared_ptr<Highlighter> highlighter = nullptr,
                            MarkdownOptions options = {});
  ~MarkdownRenderer();

  /// Parses and lays out `markdown` for `width` columns (≥ 1).
  std::vector<StyledLine> render(std::string_view markdown, int width);
  /// Lays out a parsed document.
  std::vector<StyledLine> layout(const MarkdownDocument& document, int width);
  /// Appends the lines of one block (no separating empty line).
  void layout_block(const Block& block, int width, std::vector<StyledLine>& out);
  /// Appends `blocks` as a document does: one empty line between blocks, none around them.
  void layout_blocks(const std::vector<Block>& blocks, int width, std::vector<StyledLine>& out);

  const Theme& theme() const { return theme_; }
  Highlighter& highlighter() { return *highlighter_; }

 private:
  struct Context;
  void block(const Block& b, int width, const Context& ctx, std::vector<StyledLine>& out);
  void blocks(const std::vector<Block>& bs, bool separate, int width, const Context& ctx,
              std::vector<StyledLine>& out);
  void inlines(const Inlines& runs, int width, const Style& base, std::vector<StyledLine>& out);
  void code(const Block& b, int width, std::vector<StyledLine>& out);
  void table(const Block& b, int width, const Context& ctx, std::vector<StyledLine>& out);
  void list(const Block& b, int width, const Context& ctx, std::vector<StyledLine>& out);

  Theme theme_;
  std::shared_ptr<Highlighter> highlighter_;
  MarkdownOptions options_;
};

}  // namespace aui::tui
