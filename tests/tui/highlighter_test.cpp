// Code highlighting on source-highlight's definitions: token kinds per line.

#include "aui/tui/highlighter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace aui::tui {
namespace {

std::string joined(const HighlightedLine& line) {
  std::string out;
  for (const auto& r : line) out += r.text;
  return out;
}

// The kind of the run holding exactly `text` on `line`, or nothing.
std::vector<TokenKind> kinds_of(const HighlightedLine& line, const std::string& text) {
  std::vector<TokenKind> out;
  for (const auto& r : line) {
    if (r.text == text) out.push_back(r.kind);
  }
  return out;
}

bool has(const HighlightedLine& line, TokenKind kind, const std::string& text) {
  for (const auto& r : line) {
    if (r.kind == kind && r.text.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(Highlighter, CppTokenKinds) {
  Highlighter h;
  const std::string code =
      "#include <vector>\n"
      "/* a comment\n"
      "   spanning lines */\n"
      "int main() {\n"
      "  return f(\"s\\n\") + 0x1F; // done\n"
      "}\n";
  const auto lines = h.highlight(code, "cpp");
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_TRUE(has(lines[0], TokenKind::Preprocessor, "#include"));
  EXPECT_TRUE(has(lines[0], TokenKind::String, "<vector>"));
  EXPECT_TRUE(has(lines[1], TokenKind::Comment, "/* a comment"));
  // The comment's state carries to the next line.
  EXPECT_TRUE(has(lines[2], TokenKind::Comment, "spanning lines */"));
  EXPECT_EQ(kinds_of(lines[3], "int"), std::vector<TokenKind>{TokenKind::Type});
  EXPECT_EQ(kinds_of(lines[3], "main"), std::vector<TokenKind>{TokenKind::Function});
  EXPECT_EQ(kinds_of(lines[4], "return"), std::vector<TokenKind>{TokenKind::Keyword});
  EXPECT_EQ(kinds_of(lines[4], "0x1F"), std::vector<TokenKind>{TokenKind::Number});
  EXPECT_TRUE(has(lines[4], TokenKind::String, "\"s"));
  EXPECT_TRUE(has(lines[4], TokenKind::Comment, "// done"));
  EXPECT_TRUE(has(lines[4], TokenKind::Symbol, "+"));
  // Nothing is lost or added: each line's runs give back the line.
  EXPECT_EQ(joined(lines[4]), "  return f(\"s\\n\") + 0x1F; // done");
}

TEST(Highlighter, PythonTokenKinds) {
  Highlighter h;
  const auto lines = h.highlight(
      "import os\n"
      "def area(r: float) -> float:\n"
      "    # the area\n"
      "    return 3.14 * r ** 2 if r else len('none')\n",
      "python");
  ASSERT_EQ(lines.size(), 4u);
  // python.lang calls import a preprocessor directive.
  EXPECT_EQ(kinds_of(lines[0], "import"), std::vector<TokenKind>{TokenKind::Preprocessor});
  EXPECT_EQ(kinds_of(lines[1], "def"), std::vector<TokenKind>{TokenKind::Keyword});
  EXPECT_EQ(kinds_of(lines[1], "area"), std::vector<TokenKind>{TokenKind::Function});
  EXPECT_TRUE(has(lines[2], TokenKind::Comment, "# the area"));
  EXPECT_EQ(kinds_of(lines[3], "return"), std::vector<TokenKind>{TokenKind::Keyword});
  EXPECT_EQ(kinds_of(lines[3], "3.14"), std::vector<TokenKind>{TokenKind::Number});
  EXPECT_TRUE(has(lines[3], TokenKind::String, "'none'"));
  EXPECT_EQ(kinds_of(lines[3], "len"), std::vector<TokenKind>{TokenKind::Function});
  for (std::size_t i = 0; i < lines.size(); ++i) EXPECT_FALSE(lines[i].empty());
}

TEST(Highlighter, InfoStringNamesMapToDefinitions) {
  Highlighter h;
  for (const auto& [name, file] : std::vector<std::pair<std::string, std::string>>{
           {"cpp", "cpp.lang"},
           {"c++", "cpp.lang"},
           {"C++", "cpp.lang"},
           {"py", "python.lang"},
           {"Python", "python.lang"},
           {"js", "javascript.lang"},
           {"ts", "javascript.lang"},
           {"rust", "rust.lang"},
           {"go", "go.lang"},
           {"sh", "sh.lang"},
           {"bash", "sh.lang"},
           {"json", "json.lang"},
           {"sql", "sql.lang"},
       }) {
    EXPECT_EQ(h.language_file(name), file) << name;
  }
  EXPECT_EQ(h.language_file("yaml"), "");  // source-highlight 3.1.9 has no YAML definition
  EXPECT_EQ(h.language_file("no-such-language"), "");
  EXPECT_EQ(h.language_file(""), "");
}

TEST(Highlighter, AGrowingTextIsHighlightedAsAFreshOne) {
  // A streamed code block comes back longer at every update; the highlighter goes on from where
  // it stopped. Each prefix must come out as a highlighter that never saw the shorter ones.
  const std::string code =
      "def f(x):\n"
      "    \"\"\"A docstring\n"
      "    over lines\"\"\"\n"
      "    s = 'a' + \"b\"  # comment\n"
      "    /* not C */ return x ** 2\n"
      "\n"
      "class C(object):\n"
      "    pass\n";
  Highlighter growing, fresh;
  std::vector<std::vector<HighlightedLine>> expected(code.size() + 1);
  for (std::size_t n = code.size() + 1; n-- > 0;) {
    // Longest first: a shorter text never extends a longer one, so nothing is reused here.
    expected[n] = fresh.highlight(std::string_view(code).substr(0, n), "python");
  }
  for (std::size_t n = 0; n <= code.size(); ++n) {
    ASSERT_EQ(growing.highlight(std::string_view(code).substr(0, n), "python"), expected[n])
        << "after " << n << " bytes";
  }
  // And a different text after it starts afresh.
  EXPECT_EQ(growing.highlight("x = \"s\"\ny = 2", "python"),
            fresh.highlight("x = \"s\"\ny = 2", "python"));
}

TEST(Highlighter, UnknownLanguageIsPlain) {
  Highlighter h;
  const auto lines = h.highlight("int x = 1;\n\nreturn x;", "klingon");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], (HighlightedLine{TokenRun{TokenKind::Normal, "int x = 1;"}}));
  EXPECT_TRUE(lines[1].empty());
  EXPECT_EQ(lines[2], (HighlightedLine{TokenRun{TokenKind::Normal, "return x;"}}));
  EXPECT_EQ(h.loaded_languages(), 0u);
}

TEST(Highlighter, DefinitionsAreLoadedOnce) {
  Highlighter h;
  h.highlight("int a;", "cpp");
  h.highlight("int b;", "c++");
  h.highlight("x = 1", "py");
  h.highlight("int c;", "cpp");
  EXPECT_EQ(h.loaded_languages(), 2u);
}

TEST(Highlighter, MissingDataDirectoryGivesPlainText) {
  Highlighter h("/nonexistent/source-highlight");
  EXPECT_EQ(h.language_file("cpp"), "");
  const auto lines = h.highlight("int x;", "cpp");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].at(0).kind, TokenKind::Normal);
}

TEST(Highlighter, ElementNamesFoldIntoKinds) {
  EXPECT_EQ(token_kind_for_element("keyword"), TokenKind::Keyword);
  EXPECT_EQ(token_kind_for_element("preproc"), TokenKind::Preprocessor);
  EXPECT_EQ(token_kind_for_element("cbracket"), TokenKind::Symbol);
  EXPECT_EQ(token_kind_for_element("classname"), TokenKind::Type);
  EXPECT_EQ(token_kind_for_element("specialchar"), TokenKind::String);
  EXPECT_EQ(token_kind_for_element("variable"), TokenKind::Normal);
  EXPECT_EQ(token_kind_for_element("normal"), TokenKind::Normal);
}

}  // namespace
}  // namespace aui::tui
