// The store-independent parts of thread_store.hpp: arranging stored rows into a loadable history,
// marking an interrupted reply, and the Markdown export.
#include "aui/adapters/thread_store.hpp"

#include <gtest/gtest.h>

#include "aui/model/message_json.hpp"

namespace aui {
namespace {

MessagePtr msg(const std::string& id, Role role, const std::string& text) {
  auto m = std::make_shared<ThreadMessage>();
  m->id = id;
  m->role = role;
  m->content.push_back(TextPart{Text(text)});
  return m;
}

ExportedMessageRepositoryItem row(const std::string& id, std::optional<Id> parent,
                                  Role role = Role::User, const std::string& text = "x") {
  return {msg(id, role, text), std::move(parent), std::nullopt};
}

std::vector<std::string> ids(const ThreadHistoryLoadResult& r) {
  std::vector<std::string> out;
  for (const auto& i : r.messages) out.push_back(i.message->id);
  return out;
}

TEST(ArrangeHistory, ParentsComeFirstOrphansAreLeftOutHeadIsTheNewestLeaf) {
  // c2 (a grandchild) and b are written before their parents; z hangs under a missing message.
  auto r = arrange_history(
      {row("c2", "b"), row("b", "a"), row("z", "missing"), row("a", std::nullopt), row("c1", "b")});
  EXPECT_EQ(ids(r), (std::vector<std::string>{"a", "b", "c2", "c1"}));
  EXPECT_EQ(r.head_id, "c1") << "c1 is the last written leaf";
  EXPECT_TRUE(arrange_history({}).messages.empty());
  EXPECT_FALSE(arrange_history({}).head_id);
}

TEST(ArrangeHistory, TheLastWrittenParentLeadsToItsNewestChild) {
  // The last written row is a leaf: it is the head, whichever branch it is on ...
  auto r =
      arrange_history({row("u1", std::nullopt), row("a1", "u1"), row("a2", "u1"), row("u2", "a2")});
  EXPECT_EQ(r.head_id, "u2");
  // ... and a parent whose child was written before it still heads to the child.
  r = arrange_history({row("a", "u"), row("u", std::nullopt)});
  EXPECT_EQ(ids(r), (std::vector<std::string>{"u", "a"}));
  EXPECT_EQ(r.head_id, "a");
}

TEST(MarkInterrupted, OnlyARunningAssistantMessageChanges) {
  ThreadMessage m = *msg("a", Role::Assistant, "half a");
  m.status = MessageStatus::running();
  const auto out = mark_interrupted(m);
  EXPECT_TRUE(out.status.is(StatusType::Incomplete, StatusReason::Error));
  EXPECT_EQ(out.status.error->at("code"), "interrupted");
  EXPECT_EQ(out.text(), "half a");
  m.status = MessageStatus::complete();
  EXPECT_EQ(mark_interrupted(m), m);
}

TEST(ToMarkdown, TheBranchToTheHeadWithToolCallsFencedSafely) {
  auto call = std::make_shared<ThreadMessage>(*msg("a", Role::Assistant, "Let me check."));
  ToolCallPart tc;
  tc.tool_call_id = "c1";
  tc.tool_name = "run";
  tc.args = Json{{"cmd", "echo ```"}};
  tc.result = Json("```\nok");
  call->content.push_back(tc);
  call->status = MessageStatus::incomplete(StatusReason::Length);
  ExportedMessageRepository repo;
  repo.messages = {row("u", std::nullopt, Role::User, "Run it"),
                   {call, Id("u"), std::nullopt},
                   row("other", Id("u"), Role::Assistant, "not on the branch")};
  repo.head_id = "a";
  const std::string md = to_markdown(repo, "Tools");
  EXPECT_EQ(md.rfind("# Tools\n\n## User\n\nRun it\n\n## Assistant\n\nLet me check.\n\nTool call "
                     "`run`:\n\n````\n",
                     0),
            0u)
      << md;
  EXPECT_NE(md.find("Result:\n\n````\n```\nok\n````\n"), std::string::npos) << md;
  EXPECT_NE(md.find("*(incomplete: length)*"), std::string::npos) << md;
  EXPECT_EQ(md.find("not on the branch"), std::string::npos);
  EXPECT_EQ(md.back(), '\n');
  EXPECT_EQ(to_markdown({}, ""), "# Conversation\n");
}

// ---- search helpers ----

TEST(SearchWords, SplitAtWhiteSpaceAndCountCharacters) {
  EXPECT_EQ(search_words("  sourdo \t 你好\nx "),
            (std::vector<std::string>{"sourdo", "你好", "x"}));
  EXPECT_TRUE(search_words(" \t\r\n").empty());
  EXPECT_EQ(search_word_length("你好"), 2u);
  EXPECT_EQ(search_word_length("abc"), 3u);
  EXPECT_EQ(search_word_length("é"), 1u);
  EXPECT_EQ(substring_like_pattern("5%_a\\b"), "%5\\%\\_a\\\\b%");
}

TEST(SearchSnippet, MarksEveryMatchInAnyAsciiCaseAroundTheFirst) {
  EXPECT_EQ(search_snippet("How do I bake Sourdough bread?", {"sourdo"}),
            "How do I bake [Sourdo]ugh bread?");
  EXPECT_EQ(search_snippet("Bread,\n\n  bread  and BREAD", {"bread"}),
            "[Bread], [bread] and [BREAD]");
  EXPECT_EQ(search_snippet("你好世界", {"世界", "你"}), "[你]好[世界]");
  // The longest word that matches at a place is the one marked.
  EXPECT_EQ(search_snippet("sourdough", {"sour", "sourdough"}), "[sourdough]");
  // No match it can see (a wider case folding found it): the start of the text, unmarked.
  EXPECT_EQ(search_snippet("École", {"école"}), "École");
}

TEST(SearchSnippet, ALongTextIsCutAroundTheMatchAtWhiteSpaceAndWholeCharacters) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "word" + std::to_string(i) + " ";
  text += "the needle here ";
  for (int i = 0; i < 40; ++i) text += "词语 ";
  const std::string s = search_snippet(text, {"needle"}, 60);
  EXPECT_EQ(s.rfind("…", 0), 0u) << s;
  EXPECT_NE(s.find("the [needle] here"), std::string::npos) << s;
  EXPECT_EQ(s.substr(s.size() - std::string("…").size()), "…") << s;
  EXPECT_LE(s.size(), 60u + 2 * std::string("…").size() + 2) << s;
  // Starts after a space, not inside a word; ends on whole UTF-8 characters.
  EXPECT_EQ(s.substr(std::string("…").size(), 4), "word") << s;
  EXPECT_NE(s.find("词语…"), std::string::npos) << s;
  // A match at the very end of a long text.
  const std::string end = search_snippet(text + "tail", {"tail"}, 30);
  EXPECT_NE(end.find("[tail]"), std::string::npos) << end;
  EXPECT_EQ(end.find("…", 3), std::string::npos) << "nothing cut after it: " << end;
}

}  // namespace
}  // namespace aui
