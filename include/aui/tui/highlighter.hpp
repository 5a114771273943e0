#pragma once
// Code highlighting for the terminal view, on GNU source-highlight's language definitions: a code
// block's text → per-line runs of tokens, each with a kind that a Theme turns into a Style.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace aui::tui {

/// What a piece of code is, as far as colouring goes. source-highlight's language definitions
/// name ~80 elements; they fold into these (see docs/tui.md).
enum class TokenKind : std::uint8_t {
  Normal,
  Keyword,
  Type,
  String,
  Comment,
  Number,
  Preprocessor,
  Function,
  Symbol,
};

/// A run of code of one kind.
struct TokenRun {
  TokenKind kind = TokenKind::Normal;
  std::string text;

  friend bool operator==(const TokenRun&, const TokenRun&) = default;
};

/// One line of code as token runs (no newline; an empty line has no runs).
using HighlightedLine = std::vector<TokenRun>;

/// Highlights code by language, the language named by a Markdown info string ("cpp", "c++",
/// "py", "python", "js", "ts", "rust", "go", "sh", "bash", "json", "sql", …: source-highlight's
/// lang.map plus a few names models use that it lacks). An unknown language, or a definition
/// that fails to load, gives plain text (every run Normal).
///
/// A loaded language definition is kept for the highlighter's lifetime (loading one takes
/// milliseconds; highlighting a line microseconds). Not thread-safe: source-highlight's objects
/// have no locking, so one Highlighter belongs to the UI thread and is used only there.
class Highlighter {
 public:
  /// `data_dir`: where source-highlight's lang.map and .lang files are; empty means the
  /// library's own setting (SOURCE_HIGHLIGHT_DATADIR, its configuration file, or
  /// /usr/share/source-highlight).
  explicit Highlighter(std::string data_dir = {});
  ~Highlighter();
  Highlighter(const Highlighter&) = delete;
  Highlighter& operator=(const Highlighter&) = delete;

  /// The .lang file for a language name (the first word of an info string, any case), or an
  /// empty string when source-highlight has none.
  std::string language_file(std::string_view language);

  /// Whether `language` is one this highlighter colours.
  bool knows(std::string_view language) { return !language_file(language).empty(); }

  /// `code` split into lines ('\n' ends a line; a final newline adds no empty line) and
  /// highlighted as `language`. State carries from line to line (a comment or string spanning
  /// lines is coloured throughout). The runs of each line joined give back the line exactly.
  std::vector<HighlightedLine> highlight(std::string_view code, std::string_view language);

  /// How many language definitions are loaded (for tests of the cache).
  std::size_t loaded_languages() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The token kind of a source-highlight element name ("keyword", "preproc", "cbracket", …);
/// Normal for names without a kind of their own.
TokenKind token_kind_for_element(std::string_view element);

}  // namespace aui::tui
