// Markdown laid out for a terminal width: each block kind at 80 and 40 columns, compared as text;
// the styles of key cells; wide characters; hostile content.

#include "aui/tui/markdown_layout.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aui/tui/screen.hpp"
#include "aui/tui/text_width.hpp"

namespace aui::tui {
namespace {

class MarkdownLayout : public ::testing::Test {
 protected:
  // The lines as text, one per line, each checked to fit the width.
  std::string render(const std::string& markdown, int width) {
    const std::vector<StyledLine> lines = renderer.render(markdown, width);
    std::string out;
    for (const auto& line : lines) {
      EXPECT_LE(line.width(), width) << line.text();
      out += line.text();
      out += '\n';
    }
    return out;
  }

  // The lines drawn on a screen, to look at cells and their styles.
  Screen draw(const std::string& markdown, int width, int height) {
    Screen screen(width, height);
    Canvas canvas = screen.canvas();
    const auto lines = renderer.render(markdown, width);
    for (std::size_t i = 0; i < lines.size() && static_cast<int>(i) < height; ++i) {
      put_line(canvas, 0, static_cast<int>(i), lines[i]);
    }
    return screen;
  }

  // The cell where `needle` starts on the screen (for style checks).
  static const Cell& cell_of(const Screen& screen, const std::string& needle, int nth = 0) {
    for (int y = 0; y < screen.height(); ++y) {
      const std::string row = screen.row_text(y);
      std::size_t at = row.find(needle);
      while (at != std::string::npos) {
        if (nth-- == 0) {
          const int column = static_cast<int>(display_width(row.substr(0, at)));
          // Columns: wide cells take two, continuation cells are skipped by row_text.
          int x = 0;
          for (int c = 0; c < column;) {
            c += std::max<int>(screen.at(x, y).width, 1);
            x += std::max<int>(screen.at(x, y).width, 1);
          }
          return screen.at(x, y);
        }
        at = row.find(needle, at + 1);
      }
    }
    ADD_FAILURE() << "not on the screen: " << needle;
    static const Cell none;
    return none;
  }

  MarkdownRenderer renderer;
  const Theme theme = Theme::standard();
};

const char kParagraph[] =
    "Markdown in a terminal: *emphasis*, **strong**, ~~struck~~ and `inline code`, with a "
    "[link](https://example.com/docs) that shows where it goes.";

TEST_F(MarkdownLayout, ParagraphWrapsAtSpaces) {
  EXPECT_EQ(render(kParagraph, 80),
            "Markdown in a terminal: emphasis, strong, struck and inline code, with a link\n"
            "(https://example.com/docs) that shows where it goes.\n");
  EXPECT_EQ(render(kParagraph, 40),
            "Markdown in a terminal: emphasis,\n"
            "strong, struck and inline code, with a\n"
            "link (https://example.com/docs) that\n"
            "shows where it goes.\n");
}

TEST_F(MarkdownLayout, LongWordsAreCutAndCjkBreaksAnywhere) {
  EXPECT_EQ(render("aaaaaaaaaabbbbbbbbbbcccccccccc dd", 12),
            "aaaaaaaaaabb\nbbbbbbbbcccc\ncccccc dd\n");
  // Wide characters take two columns and a line may break between any two of them.
  EXPECT_EQ(render("中文的句子没有空格也要换行 ok", 10), "中文的句子\n没有空格也\n要换行 ok\n");
  // Never half a wide character at the edge of an odd width.
  EXPECT_EQ(render("中文中文", 5), "中文\n中文\n");
}

TEST_F(MarkdownLayout, HardBreaksAndSoftBreaks) {
  EXPECT_EQ(render("one\ntwo  \nthree\\\nfour", 80), "one two\nthree\nfour\n");
}

TEST_F(MarkdownLayout, Headings) {
  EXPECT_EQ(render("# Title\n\n## Section\n\n### Sub\n\ntext", 80),
            "Title\n\nSection\n\nSub\n\ntext\n");
  const Screen s = draw("# Title\n\n## Section\n\n### Sub", 40, 6);
  EXPECT_EQ(cell_of(s, "Title").style, theme.headings[0]);
  EXPECT_EQ(cell_of(s, "Section").style, theme.headings[1]);
  EXPECT_EQ(cell_of(s, "Sub").style, theme.headings[2]);
  EXPECT_TRUE(has(cell_of(s, "Title").style.attrs, Attr::Bold));
}

TEST_F(MarkdownLayout, InlineStyles) {
  const Screen s = draw(kParagraph, 80, 3);
  EXPECT_EQ(cell_of(s, "Markdown").style, theme.text);
  EXPECT_TRUE(has(cell_of(s, "emphasis").style.attrs, Attr::Italic));
  EXPECT_TRUE(has(cell_of(s, "strong").style.attrs, Attr::Bold));
  EXPECT_TRUE(has(cell_of(s, "struck").style.attrs, Attr::Strikethrough));
  EXPECT_EQ(cell_of(s, "inline").style.fg, theme.inline_code.fg);
  const Style link = cell_of(s, "link").style;
  EXPECT_EQ(link.link.url(), "https://example.com/docs");
  EXPECT_TRUE(has(link.attrs, Attr::Underline));
  EXPECT_EQ(link.fg, theme.link.fg);
  // The target after the text is a hyperlink too, in its own (quieter) style.
  const Style target = cell_of(s, "(https").style;
  EXPECT_EQ(target.link.url(), "https://example.com/docs");
  EXPECT_TRUE(has(target.attrs, Attr::Dim));
}

TEST_F(MarkdownLayout, LinkTargetsAreShownOnlyWhenTheTextDiffers) {
  EXPECT_EQ(
      render("<https://a.org/x> www.b.org mailto:me@c.org [d](https://d.org) [x](javascript:y)",
             80),
      "https://a.org/x www.b.org mailto:me@c.org d (https://d.org) x\n");
  MarkdownRenderer quiet(Theme::standard(), nullptr, MarkdownOptions{.show_link_targets = false});
  EXPECT_EQ(quiet.render("[d](https://d.org)", 80).at(0).text(), "d");
  EXPECT_EQ(quiet.render("[d](https://d.org)", 80).at(0).spans.at(0).style.link.url(),
            "https://d.org");
}

TEST_F(MarkdownLayout, Images) {
  EXPECT_EQ(render("![a diagram](https://x.org/d.png) and ![](https://x.org/e.png)", 80),
            "a diagram (image: https://x.org/d.png) and (image: https://x.org/e.png)\n");
}

const char kLists[] =
    "- first item\n"
    "- second item, long enough that it has to wrap under its own text\n"
    "  - nested\n"
    "    1. deeper\n"
    "- [ ] a task\n"
    "- [x] a done task\n"
    "\n"
    "8. eight\n"
    "9. nine\n"
    "10. ten\n";

TEST_F(MarkdownLayout, ListsAt80) {
  EXPECT_EQ(render(kLists, 80),
            "\u2022 first item\n"
            "\u2022 second item, long enough that it has to wrap under its own text\n"
            "  \u25e6 nested\n"
            "    1. deeper\n"
            "\u2022 [ ] a task\n"
            "\u2022 [x] a done task\n"
            "\n"
            " 8. eight\n"
            " 9. nine\n"
            "10. ten\n");
}

TEST_F(MarkdownLayout, ListsAt40HangUnderTheirText) {
  EXPECT_EQ(render(kLists, 40),
            "\u2022 first item\n"
            "\u2022 second item, long enough that it has\n"
            "  to wrap under its own text\n"
            "  \u25e6 nested\n"
            "    1. deeper\n"
            "\u2022 [ ] a task\n"
            "\u2022 [x] a done task\n"
            "\n"
            " 8. eight\n"
            " 9. nine\n"
            "10. ten\n");
  const Screen s = draw(kLists, 40, 12);
  EXPECT_EQ(cell_of(s, "\u2022").style, theme.list_marker);
  EXPECT_EQ(cell_of(s, "[x]").style, theme.task_done);
  EXPECT_EQ(cell_of(s, "[ ]").style, theme.task_open);
}

TEST_F(MarkdownLayout, LooseListsKeepTheirEmptyLines) {
  EXPECT_EQ(render("- one\n\n- two\n\n  more of two\n", 40),
            "\u2022 one\n\n\u2022 two\n\n  more of two\n");
}

TEST_F(MarkdownLayout, Quotes) {
  const char quote[] =
      "> A quoted paragraph that is long enough to wrap at forty.\n>\n> > nested\n";
  EXPECT_EQ(render(quote, 80),
            "\u2502 A quoted paragraph that is long enough to wrap at forty.\n"
            "\u2502\n"
            "\u2502 \u2502 nested\n");
  EXPECT_EQ(render(quote, 40),
            "\u2502 A quoted paragraph that is long enough\n"
            "\u2502 to wrap at forty.\n"
            "\u2502\n"
            "\u2502 \u2502 nested\n");
  const Screen s = draw(quote, 40, 4);
  EXPECT_EQ(cell_of(s, "\u2502").style, theme.quote_bar);
  EXPECT_TRUE(has(cell_of(s, "quoted").style.attrs, Attr::Italic));
}

const char kCode[] =
    "```cpp\n"
    "#include <cstdio>\n"
    "int main() {\n"
    "\tstd::printf(\"%d\\n\", 42);  // a comment long enough to be wrapped at forty\n"
    "}\n"
    "```\n";

TEST_F(MarkdownLayout, CodeBlockAt80) {
  EXPECT_EQ(
      render(kCode, 80),
      "\u256d\u2500 cpp\n"
      "\u2502 #include <cstdio>\n"
      "\u2502 int main() {\n"
      "\u2502     std::printf(\"%d\\n\", 42);  // a comment long enough to be wrapped at forty\n"
      "\u2502 }\n"
      "\u2570\u2500\n");
}

TEST_F(MarkdownLayout, CodeBlockAt40WrapsWithAMark) {
  EXPECT_EQ(render(kCode, 40),
            "\u256d\u2500 cpp\n"
            "\u2502 #include <cstdio>\n"
            "\u2502 int main() {\n"
            "\u2502     std::printf(\"%d\\n\", 42);  // a com\n"
            "\u21b3 ment long enough to be wrapped at fort\n"
            "\u21b3 y\n"
            "\u2502 }\n"
            "\u2570\u2500\n");
  const Screen s = draw(kCode, 40, 8);
  EXPECT_EQ(cell_of(s, "cpp").style, theme.code_label);
  EXPECT_EQ(cell_of(s, "#include").style, theme.token(TokenKind::Preprocessor));
  EXPECT_EQ(cell_of(s, "int").style, theme.token(TokenKind::Type));
  EXPECT_EQ(cell_of(s, "42").style, theme.token(TokenKind::Number));
  EXPECT_EQ(cell_of(s, "\"%d").style, theme.token(TokenKind::String));
  EXPECT_EQ(cell_of(s, "// a com").style, theme.token(TokenKind::Comment));
  EXPECT_EQ(cell_of(s, "ment long").style, theme.token(TokenKind::Comment));
  EXPECT_EQ(cell_of(s, "\u21b3").style, theme.code_wrap);
}

TEST_F(MarkdownLayout, CodeWithoutLanguageAndEmptyCode) {
  EXPECT_EQ(render("```\nplain\n\n  text\n```\n\n```\n```", 40),
            "\u256d\u2500\n\u2502 plain\n\u2502\n\u2502   "
            "text\n\u2570\u2500\n\n\u256d\u2500\n\u2570\u2500\n");
}

const char kTable[] =
    "| Name | Count | Notes |\n"
    "|:-----|------:|:-----:|\n"
    "| apples | 3 | red or green, crisp and sweet |\n"
    "| 梨 | 12 | 中文的说明 |\n";

std::string repeated(const char* s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// A table rule: `left`, then each column's run of ─ (its width plus the two spaces), separated by
// `mid`, then `right`.
std::string rule(const char* left, const char* mid, const char* right, std::vector<int> columns) {
  std::string out = left;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += mid;
    out += repeated("\u2500", columns[i] + 2);
  }
  return out + right + "\n";
}

TEST_F(MarkdownLayout, TableAt80) {
  const std::vector<int> widths{6, 5, 29};
  EXPECT_EQ(render(kTable, 80),
            rule("\u250c", "\u252c", "\u2510", widths) +
                "\u2502 Name   \u2502 Count \u2502             Notes             \u2502\n" +
                rule("\u251c", "\u253c", "\u2524", widths) +
                "\u2502 apples \u2502     3 \u2502 red or green, crisp and sweet \u2502\n"
                "\u2502 梨     \u2502    12 \u2502          中文的说明           \u2502\n" +
                rule("\u2514", "\u2534", "\u2518", widths));
}

TEST_F(MarkdownLayout, TableShrinksToFitAndWrapsCells) {
  // The widest column gives way first; cells wrap inside their column, aligned as declared.
  const std::vector<int> widths{6, 5, 9};
  EXPECT_EQ(render(kTable, 30), rule("\u250c", "\u252c", "\u2510", widths) +
                                    "\u2502 Name   \u2502 Count \u2502   Notes   \u2502\n" +
                                    rule("\u251c", "\u253c", "\u2524", widths) +
                                    "\u2502 apples \u2502     3 \u2502  red or   \u2502\n"
                                    "\u2502        \u2502       \u2502  green,   \u2502\n"
                                    "\u2502        \u2502       \u2502 crisp and \u2502\n"
                                    "\u2502        \u2502       \u2502   sweet   \u2502\n"
                                    "\u2502 梨     \u2502    12 \u2502 中文的说  \u2502\n"
                                    "\u2502        \u2502       \u2502    明     \u2502\n" +
                                    rule("\u2514", "\u2534", "\u2518", widths));
  const Screen s = draw(kTable, 30, 10);
  EXPECT_TRUE(has(cell_of(s, "Name").style.attrs, Attr::Bold));
  EXPECT_EQ(cell_of(s, "\u250c").style, theme.table_border);
  EXPECT_EQ(cell_of(s, "apples").style, theme.text);
  // The wide characters sit whole in their cells, the border after them in its column.
  EXPECT_EQ(cell_of(s, "梨").width, 2);
}

TEST_F(MarkdownLayout, HeadingTableRuleAndImageAt40) {
  const std::vector<int> widths{6, 5, 19};
  EXPECT_EQ(render(std::string("# A heading that is long enough to wrap at forty columns\n\n") +
                       kTable + "\n---\n\n![chart](https://x.org/c.png)\n",
                   40),
            "A heading that is long enough to wrap at\n"
            "forty columns\n"
            "\n" +
                rule("\u250c", "\u252c", "\u2510", widths) +
                "\u2502 Name   \u2502 Count \u2502        Notes        \u2502\n" +
                rule("\u251c", "\u253c", "\u2524", widths) +
                "\u2502 apples \u2502     3 \u2502 red or green, crisp \u2502\n"
                "\u2502        \u2502       \u2502      and sweet      \u2502\n"
                "\u2502 梨     \u2502    12 \u2502     中文的说明      \u2502\n" +
                rule("\u2514", "\u2534", "\u2518", widths) + "\n" + repeated("\u2500", 40) +
                "\n\nchart (image: https://x.org/c.png)\n");
}

TEST_F(MarkdownLayout, TableColumnsOfWideCharactersNeverSplitOne) {
  // At the narrowest, a column holding wide characters keeps two columns for them.
  const std::string out = render("| 中文 | b |\n|---|---|\n| 字 | c |\n", 11);
  for (std::size_t start = 0, end; (end = out.find('\n', start)) != std::string::npos;
       start = end + 1) {
    EXPECT_LE(display_width(out.substr(start, end - start)), 11u) << out;
  }
  EXPECT_NE(out.find("\u2502 中  \u2502 b \u2502"), std::string::npos) << out;
  EXPECT_NE(out.find("\u2502 文  \u2502   \u2502"), std::string::npos) << out;
}

TEST_F(MarkdownLayout, RuleAndHtml) {
  EXPECT_EQ(render("above\n\n---\n\n<div class=\"x\">\n  <b>kept as text</b>\n</div>\n", 20),
            "above\n\n\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500"
            "\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\n\n"
            "<div class=\"x\">\n  <b>kept as\ntext</b>\n</div>\n");
  const Screen s = draw("<div>x</div>", 20, 1);
  EXPECT_EQ(cell_of(s, "<div>").style, theme.html);
}

TEST_F(MarkdownLayout, NoLineIsWiderThanTheWidthEvenWhenTiny) {
  const std::string doc = std::string(kParagraph) + "\n\n" + kLists + "\n" + kCode + "\n" + kTable +
                          "\n> > > deep quote\n\n---\n";
  for (int width = 1; width <= 24; ++width) {
    for (const auto& line : renderer.render(doc, width)) {
      EXPECT_LE(line.width(), width) << "width " << width << ": " << line.text();
    }
  }
}

TEST_F(MarkdownLayout, HostileContentIsShownNeverObeyed) {
  const std::string hostile =
      "Hi \x1b]0;owned\x07 there \x1b[2J\x1b[H\n\n"
      "```sh\nprintf '\x1b]52;c;cGF3bmVk\x07' \x1b[31m\n```\n\n"
      "[click](https://ok.example/\x1b]8;;https://evil/\x07) [js](javascript:alert(1))\n\n"
      "| \x1b[1mcell | \u202eevil |\n|---|---|\n| a | b |\n";
  Screen screen(60, 20);
  Canvas canvas = screen.canvas();
  const auto lines = renderer.render(hostile, 60);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    for (const auto& span : lines[i].spans) {
      for (char c : span.text) {
        const auto b = static_cast<unsigned char>(c);
        EXPECT_FALSE(b < 0x20 || b == 0x7f) << "raw control in: " << span.text;
      }
      EXPECT_EQ(span.text.find("\u202e"), std::string::npos);
      for (char c : span.style.link.url()) {
        const auto b = static_cast<unsigned char>(c);
        EXPECT_TRUE(b > 0x20 && b < 0x7f) << span.style.link.url();
      }
    }
    put_line(canvas, 0, static_cast<int>(i), lines[i]);
  }
  const std::string text = screen.text();
  EXPECT_NE(text.find("\u241b]0;owned\u2407"), std::string::npos) << text;  // visible
  EXPECT_NE(text.find("\u241b]52;c;cGF3bmVk"), std::string::npos) << text;
  EXPECT_NE(text.find("\u27e8U+202E\u27e9evil"), std::string::npos) << text;
  // Neither link became a hyperlink: one had a control in its target, one a javascript: scheme.
  for (int y = 0; y < screen.height(); ++y) {
    for (int x = 0; x < screen.width(); ++x) EXPECT_TRUE(screen.at(x, y).style.link.empty());
  }
}

TEST_F(MarkdownLayout, BlocksJoinWithOneEmptyLine) {
  MarkdownDocument doc = parse_markdown("a\n\n- b\n\n```\nc\n```\n\n> d");
  std::vector<StyledLine> by_block;
  for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
    if (i > 0) by_block.emplace_back();
    renderer.layout_block(doc.blocks[i], 30, by_block);
  }
  EXPECT_EQ(by_block, renderer.layout(doc, 30));
}

}  // namespace
}  // namespace aui::tui
