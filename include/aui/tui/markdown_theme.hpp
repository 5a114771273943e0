#pragma once
// How Markdown looks in the terminal: a Style for each semantic kind (heading, emphasis, code,
// link, token kinds, …).

#include <array>

#include "aui/tui/highlighter.hpp"
#include "aui/tui/style.hpp"

namespace aui::tui {

/// Styles for rendered Markdown. "Overlay" styles are laid over the text they apply to: their
/// colours replace the text's when set (not default), their attributes add to it, their link
/// (if any) replaces it. The others are used as they are.
struct Theme {
  Style text;                     ///< body text
  std::array<Style, 6> headings;  ///< heading levels 1–6
  Style emphasis;                 ///< overlay: *emphasis*
  Style strong;                   ///< overlay: **strong**
  Style strikethrough;            ///< overlay: ~~strikethrough~~
  Style inline_code;              ///< overlay: `code`
  Style link;                     ///< overlay: a link's text (the hyperlink is added to it)
  Style link_target;              ///< the " (url)" shown after a link's text, and image URLs
  Style image;                    ///< overlay: an image's alt text
  Style quote_bar;                ///< the bar left of quoted text
  Style quote_text;               ///< overlay: quoted text
  Style list_marker;              ///< bullets and numbers
  Style task_open;                ///< a task's "[ ]"
  Style task_done;                ///< a task's "[x]"
  Style code_frame;               ///< the frame and gutter of a code block
  Style code_label;               ///< a code block's language
  Style code_wrap;                ///< the mark at the start of a wrapped code line
  std::array<Style, 9> tokens;    ///< code, by TokenKind
  Style table_border;             ///< table lines
  Style table_header;             ///< overlay: header cells
  Style rule;                     ///< a thematic break
  Style html;                     ///< an HTML block's text (shown, never interpreted)

  const Style& token(TokenKind kind) const { return tokens[static_cast<std::size_t>(kind)]; }

  /// The default theme: only the terminal's default colours, the 8 normal basic colours and
  /// attributes — no bright colours (bright yellow or white vanish on a light background), no
  /// backgrounds (black or white ones vanish on one or the other) — so it reads on dark and
  /// light terminals, with 16 colours and under NO_COLOR (attributes alone still tell kinds apart).
  static Theme standard();
};

/// `top` laid over `base` (see Theme).
Style overlay(Style base, const Style& top);

}  // namespace aui::tui
