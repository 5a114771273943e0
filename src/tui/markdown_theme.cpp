#include "aui/tui/markdown_theme.hpp"

namespace aui::tui {

Style overlay(Style base, const Style& top) {
  if (!top.fg.is_default()) base.fg = top.fg;
  if (!top.bg.is_default()) base.bg = top.bg;
  base.attrs |= top.attrs;
  if (!top.link.empty()) base.link = top.link;
  return base;
}

Theme Theme::standard() {
  Theme t;
  const Style plain;
  t.headings[0] = plain.with_fg(colors::magenta).with(Attr::Bold).with(Attr::Underline);
  t.headings[1] = plain.with_fg(colors::magenta).with(Attr::Bold);
  for (std::size_t i = 2; i < t.headings.size(); ++i) t.headings[i] = plain.with(Attr::Bold);
  t.emphasis = plain.with(Attr::Italic);
  t.strong = plain.with(Attr::Bold);
  t.strikethrough = plain.with(Attr::Strikethrough);
  t.inline_code = plain.with_fg(colors::cyan);
  t.link = plain.with_fg(colors::blue).with(Attr::Underline);
  t.link_target = plain.with(Attr::Dim);
  t.image = plain.with(Attr::Italic);
  t.quote_bar = plain.with(Attr::Dim);
  t.quote_text = plain.with(Attr::Italic);
  t.list_marker = plain.with(Attr::Bold);
  t.task_open = plain.with(Attr::Bold);
  t.task_done = plain.with_fg(colors::green).with(Attr::Bold);
  t.code_frame = plain.with(Attr::Dim);
  t.code_label = plain.with_fg(colors::cyan);
  t.code_wrap = plain.with(Attr::Dim);
  t.tokens[static_cast<std::size_t>(TokenKind::Normal)] = plain;
  t.tokens[static_cast<std::size_t>(TokenKind::Keyword)] = plain.with_fg(colors::magenta);
  t.tokens[static_cast<std::size_t>(TokenKind::Type)] = plain.with_fg(colors::green);
  t.tokens[static_cast<std::size_t>(TokenKind::String)] = plain.with_fg(colors::red);
  t.tokens[static_cast<std::size_t>(TokenKind::Comment)] = plain.with(Attr::Dim).with(Attr::Italic);
  t.tokens[static_cast<std::size_t>(TokenKind::Number)] = plain.with_fg(colors::cyan);
  t.tokens[static_cast<std::size_t>(TokenKind::Preprocessor)] = plain.with_fg(colors::blue);
  t.tokens[static_cast<std::size_t>(TokenKind::Function)] = plain.with(Attr::Bold);
  t.tokens[static_cast<std::size_t>(TokenKind::Symbol)] = plain;
  t.table_border = plain.with(Attr::Dim);
  t.table_header = plain.with(Attr::Bold);
  t.rule = plain.with(Attr::Dim);
  t.html = plain.with(Attr::Dim);
  return t;
}

}  // namespace aui::tui
