#pragma once
// The Markdown document model of the terminal view: what a reply's Markdown means, before it is
// laid out for a width. Parsed with md4c (CommonMark plus the GitHub extensions: tables,
// strikethrough, task lists, autolinks).
//
// Model output is untrusted, and the model is built so that nothing in it can act on the
// terminal or the machine: every text has its control characters made visible, HTML is kept as
// text and never interpreted, links keep their target only when it is an http, https or mailto
// URL, and images keep only their alt text and URL (nothing is ever loaded).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aui::tui {

/// What one run of inline content is.
enum class InlineKind : std::uint8_t {
  Text,         ///< ordinary text (entities decoded)
  Code,         ///< inline code (`code`): shown verbatim
  SoftBreak,    ///< a line end inside a paragraph: a space when the paragraph is rewrapped
  HardBreak,    ///< a forced line break (two trailing spaces or a backslash)
  ImageSource,  ///< the URL of the image whose alt text precedes it: shown, never loaded
};

/// Emphasis that applies to an inline run; runs nest, so these combine.
enum InlineFlag : std::uint8_t {
  kEmphasis = 1 << 0,
  kStrong = 1 << 1,
  kStrikethrough = 1 << 2,
  kLink = 1 << 3,      ///< part of a link's text; `url` holds the (safe) target
  kImageAlt = 1 << 4,  ///< part of an image's alt text
};

/// One run of inline content with uniform emphasis. A paragraph is a flat sequence of runs: the
/// nesting of emphasis, strong and links is folded into each run's flags, which is all a
/// terminal can show.
struct InlineRun {
  InlineKind kind = InlineKind::Text;
  std::uint8_t flags = 0;  ///< InlineFlag bits
  std::string text;        ///< display-safe text (controls made visible)
  std::string url;         ///< for kLink runs and ImageSource: an http(s)/mailto URL, display-safe

  friend bool operator==(const InlineRun&, const InlineRun&) = default;
};

using Inlines = std::vector<InlineRun>;

/// The column alignment of a table.
enum class Align : std::uint8_t { Default, Left, Center, Right };

/// A task list item's box.
enum class TaskState : std::uint8_t { None, Open, Done };

/// What a block is.
enum class BlockKind : std::uint8_t {
  Paragraph,      ///< `inlines`
  Heading,        ///< `level` 1–6, `inlines`
  Quote,          ///< `children`: the quoted blocks (quotes nest)
  List,           ///< `ordered`, `start`, `tight`, `items`
  Code,           ///< `info`, `language`, `text`, `fenced`
  Table,          ///< `aligns`, `rows` (row 0 is the header)
  ThematicBreak,  ///< a horizontal rule
  Html,           ///< `text`: raw HTML shown as text, never interpreted
};

struct Block;

/// One item of a list: its task box (GitHub task lists) and its blocks. The content of a tight
/// item is a paragraph like any other.
struct ListItem {
  TaskState task = TaskState::None;
  std::vector<Block> blocks;

  friend bool operator==(const ListItem&, const ListItem&);
};

/// One block of a document. Which fields mean something depends on `kind` (see BlockKind); the
/// others stay empty.
struct Block {
  BlockKind kind = BlockKind::Paragraph;
  Inlines inlines;              ///< Paragraph, Heading
  int level = 0;                ///< Heading: 1–6
  std::vector<Block> children;  ///< Quote
  bool ordered = false;         ///< List: numbered or bulleted
  unsigned start = 1;           ///< List: the first number of an ordered list
  bool tight = true;            ///< List: items without blank lines between them
  char bullet = '-';            ///< List: the bullet character of the source
  std::vector<ListItem> items;  ///< List
  std::string info;      ///< Code: the info string after the fence (display-safe), e.g. "cpp {x}"
  std::string language;  ///< Code: its first word, e.g. "cpp"
  std::string text;      ///< Code, Html: the verbatim text (display-safe), without a final newline
  bool fenced = false;   ///< Code: fenced (``` or ~~~) rather than indented
  std::vector<Align> aligns;               ///< Table: one per column
  std::vector<std::vector<Inlines>> rows;  ///< Table: rows of cells; row 0 is the header

  friend bool operator==(const Block&, const Block&) = default;
};

inline bool operator==(const ListItem& a, const ListItem& b) {
  return a.task == b.task && a.blocks == b.blocks;
}

/// A parsed document: its top-level blocks in order.
struct MarkdownDocument {
  std::vector<Block> blocks;

  friend bool operator==(const MarkdownDocument&, const MarkdownDocument&) = default;
};

/// Parses Markdown (CommonMark with GitHub tables, strikethrough, task lists and autolinks).
/// Never fails: any text is some document. Entities are decoded (numeric ones and the common
/// named ones; an unknown name stays as written). A NUL becomes U+FFFD.
MarkdownDocument parse_markdown(std::string_view markdown);

/// Whether `url` may be shown as a link: an http, https or mailto URL (scheme case-insensitive).
/// Any other scheme — javascript:, data:, file:, a relative path — makes the link plain text.
bool is_safe_link(std::string_view url);

}  // namespace aui::tui
