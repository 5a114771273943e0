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

}  // namespace
}  // namespace aui
