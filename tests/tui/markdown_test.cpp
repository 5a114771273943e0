// The Markdown document model: what md4c's parse becomes, and that nothing hostile survives it.

#include "aui/tui/markdown.hpp"

#include <gtest/gtest.h>

#include <string>

namespace aui::tui {
namespace {

// The text of a paragraph's runs, breaks as "\n" (soft) and "⏎" (hard).
std::string plain(const Inlines& runs) {
  std::string out;
  for (const auto& r : runs) {
    if (r.kind == InlineKind::SoftBreak) {
      out += "\n";
    } else if (r.kind == InlineKind::HardBreak) {
      out += "\u23ce";
    } else {
      out += r.text;
    }
  }
  return out;
}

const InlineRun* find_run(const Inlines& runs, const std::string& text) {
  for (const auto& r : runs) {
    if (r.text == text) return &r;
  }
  return nullptr;
}

TEST(MarkdownModel, ParagraphsAndHeadings) {
  const MarkdownDocument doc =
      parse_markdown("# Title\n\nfirst line\nsecond line  \nthird\n\n### Small\n");
  ASSERT_EQ(doc.blocks.size(), 3u);
  EXPECT_EQ(doc.blocks[0].kind, BlockKind::Heading);
  EXPECT_EQ(doc.blocks[0].level, 1);
  EXPECT_EQ(plain(doc.blocks[0].inlines), "Title");
  EXPECT_EQ(doc.blocks[1].kind, BlockKind::Paragraph);
  EXPECT_EQ(plain(doc.blocks[1].inlines), "first line\nsecond line\u23cethird");
  EXPECT_EQ(doc.blocks[2].level, 3);
}

TEST(MarkdownModel, InlineEmphasisNestsIntoFlags) {
  const MarkdownDocument doc = parse_markdown("a *em **both*** ~~del~~ `co  de`");
  ASSERT_EQ(doc.blocks.size(), 1u);
  const Inlines& runs = doc.blocks[0].inlines;
  const InlineRun* em = find_run(runs, "em ");
  ASSERT_NE(em, nullptr);
  EXPECT_EQ(em->flags, kEmphasis);
  const InlineRun* both = find_run(runs, "both");
  ASSERT_NE(both, nullptr);
  EXPECT_EQ(both->flags, kEmphasis | kStrong);
  const InlineRun* del = find_run(runs, "del");
  ASSERT_NE(del, nullptr);
  EXPECT_EQ(del->flags, kStrikethrough);
  const InlineRun* code = find_run(runs, "co  de");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->kind, InlineKind::Code);
}

TEST(MarkdownModel, OnlyHttpHttpsAndMailtoAreLinks) {
  const MarkdownDocument doc = parse_markdown(
      "[web](https://example.com/a?b=1&amp;c) [mail](mailto:me@example.com) "
      "[js](javascript:alert(1)) [data](data:text/html,x) [file](file:///etc/passwd) "
      "[rel](../x) <http://auto.example> www.example.org");
  const Inlines& runs = doc.blocks.at(0).inlines;
  const InlineRun* web = find_run(runs, "web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->flags, kLink);
  EXPECT_EQ(web->url, "https://example.com/a?b=1&c");  // entity decoded in the target
  EXPECT_EQ(find_run(runs, "mail")->url, "mailto:me@example.com");
  for (const char* text : {"js", "data", "file", "rel"}) {
    SCOPED_TRACE(text);
    // The text stays, as plain text: no link flag, no target.
    bool seen = false;
    for (const auto& r : runs) {
      if (r.text.find(text) != std::string::npos) {
        seen = true;
        EXPECT_EQ(r.flags & kLink, 0);
        EXPECT_TRUE(r.url.empty());
      }
    }
    EXPECT_TRUE(seen);
  }
  EXPECT_NE(find_run(runs, "http://auto.example"), nullptr);
  EXPECT_EQ(find_run(runs, "http://auto.example")->url, "http://auto.example");
  EXPECT_EQ(find_run(runs, "www.example.org")->url, "http://www.example.org");
}

TEST(MarkdownModel, IsSafeLink) {
  EXPECT_TRUE(is_safe_link("https://x.org/p"));
  EXPECT_TRUE(is_safe_link("HTTP://X.ORG"));
  EXPECT_TRUE(is_safe_link("mailto:a@b.c"));
  EXPECT_FALSE(is_safe_link("javascript:alert(1)"));
  EXPECT_FALSE(is_safe_link(" https://x.org"));
  EXPECT_FALSE(is_safe_link("https://"));
  EXPECT_FALSE(is_safe_link("https://x.org/\x1b]8;;evil\x07"));
  EXPECT_FALSE(is_safe_link("https://x.org/a b"));
  EXPECT_FALSE(is_safe_link("https://x.org/\x7f"));
}

TEST(MarkdownModel, LinkTargetsWithControlsAreNotLinks) {
  // A target written with entities or escapes that decode to a control would end an OSC 8
  // sequence: such a link is plain text, and its text shows the control visibly.
  const MarkdownDocument doc = parse_markdown(
      "[a&#27;b](<https://x.org/&#27;]8;;https://evil/&#7;>) [c](https://x.org/&#155;)");
  for (const auto& r : doc.blocks.at(0).inlines) {
    EXPECT_EQ(r.text.find('\x1b'), std::string::npos);
    EXPECT_EQ(r.url.find('\x1b'), std::string::npos);
    EXPECT_EQ(r.url.find('\x07'), std::string::npos);
    for (char c : r.url) EXPECT_TRUE(static_cast<unsigned char>(c) > 0x20 && c != 0x7f) << r.url;
  }
  bool shown = false;
  for (const auto& r : doc.blocks[0].inlines) {
    if (r.text.find("a\u241bb") != std::string::npos) {
      shown = true;
      EXPECT_EQ(r.flags & kLink, 0);
    }
  }
  EXPECT_TRUE(shown);
  // U+009B (a C1 CSI) inside an otherwise good URL: %-encoded, never raw.
  const InlineRun* c = find_run(doc.blocks[0].inlines, "c");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->url, "https://x.org/%C2%9B");
}

TEST(MarkdownModel, ImagesKeepAltTextAndSourceNeverAnythingElse) {
  const MarkdownDocument doc =
      parse_markdown("see ![a *cat*](https://img.example/cat.png \"t\") and ![](javascript:x)");
  const Inlines& runs = doc.blocks.at(0).inlines;
  const InlineRun* alt = find_run(runs, "a ");
  ASSERT_NE(alt, nullptr);
  EXPECT_EQ(alt->flags, kImageAlt);
  EXPECT_EQ(find_run(runs, "cat")->flags, kImageAlt | kEmphasis);
  const InlineRun* src = find_run(runs, "https://img.example/cat.png");
  ASSERT_NE(src, nullptr);
  EXPECT_EQ(src->kind, InlineKind::ImageSource);
  EXPECT_EQ(src->url, "https://img.example/cat.png");
  const InlineRun* bad = find_run(runs, "javascript:x");
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->kind, InlineKind::ImageSource);
  EXPECT_TRUE(bad->url.empty());  // shown as text, not a link
}

TEST(MarkdownModel, Entities) {
  const MarkdownDocument doc =
      parse_markdown("&amp; &lt;&gt; &copy; &#65;&#x42; &#0; &#1114112; &bogus; &mdash;");
  EXPECT_EQ(plain(doc.blocks.at(0).inlines), "& <> \u00a9 AB \uFFFD \uFFFD &bogus; \u2014");
}

TEST(MarkdownModel, ListsNestedOrderedAndTasks) {
  const MarkdownDocument doc = parse_markdown(
      "- one\n- two\n  - inner\n\n"
      "7. seven\n8. eight\n\n"
      "- [ ] open\n- [x] done\n\n"
      "* loose a\n\n* loose b\n");
  ASSERT_EQ(doc.blocks.size(), 4u);
  const Block& bullets = doc.blocks[0];
  EXPECT_EQ(bullets.kind, BlockKind::List);
  EXPECT_FALSE(bullets.ordered);
  EXPECT_TRUE(bullets.tight);
  ASSERT_EQ(bullets.items.size(), 2u);
  // A tight item's text is a paragraph like any other.
  ASSERT_EQ(bullets.items[0].blocks.size(), 1u);
  EXPECT_EQ(bullets.items[0].blocks[0].kind, BlockKind::Paragraph);
  EXPECT_EQ(plain(bullets.items[0].blocks[0].inlines), "one");
  ASSERT_EQ(bullets.items[1].blocks.size(), 2u);
  EXPECT_EQ(bullets.items[1].blocks[1].kind, BlockKind::List);
  EXPECT_EQ(plain(bullets.items[1].blocks[1].items.at(0).blocks.at(0).inlines), "inner");

  const Block& numbers = doc.blocks[1];
  EXPECT_TRUE(numbers.ordered);
  EXPECT_EQ(numbers.start, 7u);

  const Block& tasks = doc.blocks[2];
  EXPECT_EQ(tasks.items.at(0).task, TaskState::Open);
  EXPECT_EQ(tasks.items.at(1).task, TaskState::Done);
  EXPECT_EQ(plain(tasks.items[1].blocks.at(0).inlines), "done");

  EXPECT_FALSE(doc.blocks[3].tight);
  EXPECT_EQ(doc.blocks[3].bullet, '*');
}

TEST(MarkdownModel, QuotesNest) {
  const MarkdownDocument doc = parse_markdown("> outer\n>\n> > inner\n");
  ASSERT_EQ(doc.blocks.size(), 1u);
  const Block& q = doc.blocks[0];
  EXPECT_EQ(q.kind, BlockKind::Quote);
  ASSERT_EQ(q.children.size(), 2u);
  EXPECT_EQ(q.children[0].kind, BlockKind::Paragraph);
  EXPECT_EQ(q.children[1].kind, BlockKind::Quote);
  EXPECT_EQ(plain(q.children[1].children.at(0).inlines), "inner");
}

TEST(MarkdownModel, CodeBlocks) {
  const MarkdownDocument doc = parse_markdown(
      "```c++ {.numbered}\nint x;\n\n  y();\n```\n\n    indented\n\n~~~\nunclosed\n");
  ASSERT_EQ(doc.blocks.size(), 3u);
  const Block& fenced = doc.blocks[0];
  EXPECT_EQ(fenced.kind, BlockKind::Code);
  EXPECT_TRUE(fenced.fenced);
  EXPECT_EQ(fenced.info, "c++ {.numbered}");
  EXPECT_EQ(fenced.language, "c++");
  EXPECT_EQ(fenced.text, "int x;\n\n  y();");
  EXPECT_FALSE(doc.blocks[1].fenced);
  EXPECT_EQ(doc.blocks[1].text, "indented");
  // An unclosed fence runs to the end: a code block so far.
  EXPECT_EQ(doc.blocks[2].kind, BlockKind::Code);
  EXPECT_EQ(doc.blocks[2].text, "unclosed");
}

TEST(MarkdownModel, Tables) {
  const MarkdownDocument doc =
      parse_markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | **2** | 3 |\n| only |\n");
  ASSERT_EQ(doc.blocks.size(), 1u);
  const Block& t = doc.blocks[0];
  EXPECT_EQ(t.kind, BlockKind::Table);
  EXPECT_EQ(t.aligns, (std::vector<Align>{Align::Left, Align::Center, Align::Right}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(plain(t.rows[0][1]), "b");
  EXPECT_EQ(t.rows[1][1].at(0).flags, kStrong);
  EXPECT_EQ(plain(t.rows[2][0]), "only");
}

TEST(MarkdownModel, HtmlIsTextNeverInterpreted) {
  const MarkdownDocument doc = parse_markdown(
      "<div onclick=\"x()\">\n<script>alert(1)</script>\n</div>\n\ninline <b>bold</b>");
  ASSERT_EQ(doc.blocks.size(), 2u);
  EXPECT_EQ(doc.blocks[0].kind, BlockKind::Html);
  EXPECT_EQ(doc.blocks[0].text, "<div onclick=\"x()\">\n<script>alert(1)</script>\n</div>");
  EXPECT_EQ(plain(doc.blocks[1].inlines), "inline <b>bold</b>");
  EXPECT_EQ(doc.blocks[1].inlines.at(0).flags, 0);
}

TEST(MarkdownModel, ThematicBreak) {
  const MarkdownDocument doc = parse_markdown("a\n\n---\n\nb");
  ASSERT_EQ(doc.blocks.size(), 3u);
  EXPECT_EQ(doc.blocks[1].kind, BlockKind::ThematicBreak);
}

TEST(MarkdownModel, NoControlCharacterSurvives) {
  const std::string hostile =
      "title \x1b]0;pwned\x07 \x1b[2J\x1b[H text \x9b"
      "31m \u202e evil \u2066\n\n"
      "```sh\necho \x1b[31mred\x1b[0m\x1b]52;c;SGVsbG8=\x07\n```\n\n"
      "| \x1b[1mx | y |\n|---|---|\n| \x07 | \x1bP1$r\x1b\\ |\n\n"
      "<pre>\x1b[?1049h</pre>\n\n"
      "- item \x1b[A\x1b[2K\n";
  const MarkdownDocument doc = parse_markdown(hostile);
  // Every text the model holds, however deep.
  std::vector<std::string> texts;
  auto walk = [&](auto&& self, const std::vector<Block>& blocks) -> void {
    for (const auto& b : blocks) {
      for (const auto& r : b.inlines) texts.push_back(r.text + r.url);
      texts.push_back(b.text + b.info + b.language);
      for (const auto& row : b.rows) {
        for (const auto& cell : row) {
          for (const auto& r : cell) texts.push_back(r.text + r.url);
        }
      }
      self(self, b.children);
      for (const auto& item : b.items) self(self, item.blocks);
    }
  };
  walk(walk, doc.blocks);
  ASSERT_GT(texts.size(), 5u);
  for (const std::string& t : texts) {
    for (std::size_t i = 0; i < t.size(); ++i) {
      const auto c = static_cast<unsigned char>(t[i]);
      EXPECT_FALSE(c < 0x20 && c != '\n') << "control 0x" << std::hex << int(c) << " in " << t;
      EXPECT_NE(c, 0x7f) << t;
      // C1 controls are U+0080–U+009F: C2 80–C2 9F in UTF-8.
      if (c == 0xC2 && i + 1 < t.size()) {
        EXPECT_FALSE(static_cast<unsigned char>(t[i + 1]) < 0xA0) << t;
      }
    }
    EXPECT_EQ(t.find("\u202e"), std::string::npos) << t;
    EXPECT_EQ(t.find("\u2066"), std::string::npos) << t;
  }
  // Shown, not dropped: the reader sees that something was there.
  EXPECT_NE(doc.blocks.at(1).text.find("\u241b[31mred"), std::string::npos) << doc.blocks[1].text;
}

TEST(MarkdownModel, NulBecomesReplacementCharacter) {
  const std::string text("a\0b", 3);
  EXPECT_EQ(plain(parse_markdown(text).blocks.at(0).inlines), "a\uFFFDb");
}

// md4c 0.4.8 quirks the model guards against.
TEST(MarkdownModel, TextCutInsideALinkDestinationIsReadOnlyToItsEnd) {
  // The parser once read past the end here (the byte after was ')'); the model passes it a
  // copy of its own, so a slice of a larger buffer parses like the same text alone.
  const std::string buffer = "a [link](https://x) tail";
  const std::string_view cut = std::string_view(buffer).substr(0, 18);  // "a [link](https://x"
  EXPECT_EQ(parse_markdown(cut), parse_markdown(std::string(cut)));
}

TEST(MarkdownModel, AnUnbalancedSpanEndsWithItsBlock) {
  // md4c enters an emphasis around this autolink and never leaves it: the next paragraph
  // must not come out emphasised.
  const MarkdownDocument doc = parse_markdown("*http://a.c*/\n\nnext");
  ASSERT_EQ(doc.blocks.size(), 2u);
  EXPECT_EQ(doc.blocks[1].inlines.at(0).text, "next");
  EXPECT_EQ(doc.blocks[1].inlines.at(0).flags, 0);
}

}  // namespace
}  // namespace aui::tui
