// A streamed reply's Markdown: after every update the same lines as a fresh render of the text so
// far, while only the unfinished end is parsed again.

#include "aui/tui/markdown_stream.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace aui::tui {
namespace {

// A reply as models write them: every block kind, lists and fences spanning empty lines, a
// fence holding Markdown-looking lines, wide characters, a table.
const char kReply[] =
    "# Setting up the build\n"
    "\n"
    "Here is how to build the project on **Debian 12**. You need `cmake` and a compiler; the "
    "[docs](https://example.com/build) say more.\n"
    "\n"
    "1. Install the tools:\n"
    "\n"
    "   ```sh\n"
    "   sudo apt-get install cmake g++\n"
    "   ```\n"
    "\n"
    "2. Configure and build:\n"
    "   - `cmake --preset default`\n"
    "   - `cmake --build build/default`\n"
    "\n"
    "3. Run the tests.\n"
    "\n"
    "```python\n"
    "def main():\n"
    "    # a comment\n"
    "\n"
    "    print(\"hello\")\n"
    "\n"
    "# not a heading: still code\n"
    "- not a list either\n"
    "```\n"
    "\n"
    "> **Note** the first build takes a while.\n"
    "> Later ones use the cache.\n"
    "\n"
    "| Step | Time | 说明 |\n"
    "|:-----|-----:|:----:|\n"
    "| configure | 2 s | 配置 |\n"
    "| build | 95 s | 编译全部目标 |\n"
    "\n"
    "- [x] configure\n"
    "- [ ] build\n"
    "\n"
    "  with a second paragraph in the item\n"
    "\n"
    "---\n"
    "\n"
    "<details>\n"
    "<summary>More</summary>\n"
    "</details>\n"
    "\n"
    "That's all: 中文的段落也要正确地换行，不管多长都一样。Done.\n";

class MarkdownStreamTest : public ::testing::Test {
 protected:
  MarkdownRenderer renderer;
};

TEST_F(MarkdownStreamTest, EverySliceOf200EqualsAFreshRender) {
  const std::string reply = kReply;
  for (int width : {80, 40}) {
    SCOPED_TRACE(width);
    MarkdownStream stream(renderer, width);
    const std::size_t slices = 200;
    std::size_t committed_before = 0;
    bool committed_grew = false;
    for (std::size_t i = 1; i <= slices; ++i) {
      const std::size_t end = reply.size() * i / slices;
      const std::string_view prefix = std::string_view(reply).substr(0, end);
      stream.update(prefix);
      ASSERT_EQ(stream.lines(), renderer.render(prefix, width)) << "after " << end << " bytes:\n"
                                                                << prefix;
      EXPECT_GE(stream.complete_bytes(), committed_before);
      committed_grew |= stream.complete_bytes() > committed_before;
      committed_before = stream.complete_bytes();
    }
    EXPECT_TRUE(committed_grew);
    EXPECT_EQ(stream.lines(), renderer.render(reply, width));
  }
}

TEST_F(MarkdownStreamTest, EveryByteOfTheReplyEqualsAFreshRender) {
  const std::string reply = kReply;
  MarkdownStream stream(renderer, 60);
  for (std::size_t end = 0; end <= reply.size(); ++end) {
    const std::string_view prefix = std::string_view(reply).substr(0, end);
    stream.update(prefix);
    ASSERT_EQ(stream.lines(), renderer.render(prefix, 60)) << "after " << end << " bytes";
  }
}

TEST_F(MarkdownStreamTest, CompleteBlocksAreKeptAndNotParsedAgain) {
  MarkdownStream stream(renderer, 40);
  std::string text = "First paragraph.\n\nSecond paragraph,\nstill growing";
  stream.update(text);
  // The first paragraph is complete: a later block has started (its first line is whole).
  EXPECT_EQ(stream.complete_bytes(), std::string("First paragraph.\n\n").size());
  EXPECT_EQ(stream.stable_line_count(), 1u);
  text += " and growing";
  stream.update(text);
  EXPECT_EQ(stream.last_parsed_bytes(), text.size() - stream.complete_bytes());
}

TEST_F(MarkdownStreamTest, ListsAndFencesSpanningEmptyLinesStayWhole) {
  MarkdownStream stream(renderer, 40);
  stream.update("- one\n\n- two\n\n```\ncode\n\nmore code\n");
  // "- two" continues the list, and "more code" is inside the unclosed fence: nothing after
  // the first block may be complete.
  EXPECT_EQ(stream.complete_bytes(), std::string("- one\n\n- two\n\n").size());
  stream.update("- one\n\n- two\n\n```\ncode\n\nmore code\n```\n\nafter\n");
  EXPECT_EQ(stream.complete_bytes(),
            std::string("- one\n\n- two\n\n```\ncode\n\nmore code\n```\n\n").size());
}

TEST_F(MarkdownStreamTest, UnclosedFenceAndHalfTableRenderSanely) {
  MarkdownStream stream(renderer, 40);
  stream.update("Intro.\n\n```py\nx = 1\ny = ");
  const auto lines = stream.lines();
  ASSERT_GE(lines.size(), 5u);
  EXPECT_EQ(lines[2].text(), "\u256d\u2500 py");
  EXPECT_EQ(lines[4].text(), "\u2502 y = ");  // code keeps its spaces
  EXPECT_EQ(lines.back().text(), "\u2570\u2500");

  stream.update("| a | b |\n| -");  // a shorter text: the stream starts over
  EXPECT_EQ(stream.lines(), renderer.render("| a | b |\n| -", 40));
  stream.update("| a | b |\n|---|---|\n| 1 |");
  EXPECT_EQ(stream.lines(), renderer.render("| a | b |\n|---|---|\n| 1 |", 40));
  EXPECT_EQ(stream.lines().at(0).text().substr(0, 3), "\u250c");
}

TEST_F(MarkdownStreamTest, AReplacedTextStartsOver) {
  MarkdownStream stream(renderer, 40);
  stream.update("Old first block.\n\nOld second block.\n\nOld third");
  ASSERT_GT(stream.complete_bytes(), 0u);
  // Same length so far but different complete blocks (a regenerated reply).
  const std::string replaced = "New first block.\n\nNew second block.\n\nNew third, longer";
  stream.update(replaced);
  EXPECT_EQ(stream.lines(), renderer.render(replaced, 40));
  stream.update("Short");
  EXPECT_EQ(stream.lines(), renderer.render("Short", 40));
}

TEST_F(MarkdownStreamTest, AReferenceDefinitionChangesEarlierBlocks) {
  MarkdownStream stream(renderer, 40);
  std::string text = "See [the docs][d] for more.\n\nAnother paragraph.\n\n";
  stream.update(text);
  text += "[d]: https://example.com/docs\n";
  stream.update(text);
  EXPECT_EQ(stream.lines(), renderer.render(text, 40));
  EXPECT_EQ(
      stream.lines().at(0).spans.size() > 1 ? stream.lines()[0].spans[1].style.link.url() : "",
      "https://example.com/docs");
  text += "\nMore after it.\n";
  stream.update(text);
  EXPECT_EQ(stream.lines(), renderer.render(text, 40));
}

TEST_F(MarkdownStreamTest, SetWidthLaysOutAgain) {
  MarkdownStream stream(renderer, 80);
  stream.update(kReply);
  stream.set_width(33);
  EXPECT_EQ(stream.lines(), renderer.render(kReply, 33));
  stream.set_width(80);
  EXPECT_EQ(stream.lines(), renderer.render(kReply, 80));
}

TEST_F(MarkdownStreamTest, CostPerSliceDoesNotGrowWithTheReply) {
  // A long reply of many paragraphs, lists and code blocks: the bytes parsed per update stay
  // about the size of the last block, not of the reply.
  std::string reply;
  for (int i = 0; i < 300; ++i) {
    reply += "Paragraph " + std::to_string(i) + " explains a step in a few words.\n\n";
    reply += "- item a\n- item b\n\n```cpp\nint x" + std::to_string(i) + " = 0;\n```\n\n";
  }
  MarkdownStream stream(renderer, 80);
  std::size_t most = 0;
  for (std::size_t end = 64; end <= reply.size(); end += 64) {
    stream.update(std::string_view(reply).substr(0, end));
    if (end > reply.size() / 2) most = std::max(most, stream.last_parsed_bytes());
  }
  EXPECT_LT(most, 600u) << "of " << reply.size();
  stream.update(reply);
  EXPECT_EQ(stream.lines(), renderer.render(reply, 80));
}

}  // namespace
}  // namespace aui::tui
