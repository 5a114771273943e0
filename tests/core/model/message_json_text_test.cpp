// message_from_json_text reads the common stored shape without building a JSON document and
// hands everything else to message_from_json. Whichever path a document takes, the outcome must
// be what message_from_json(parse_json(text)) gives: the same message, or the same error.

#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"
#include "aui/tree/message_repository.hpp"

namespace aui {
namespace {

using Outcome = std::variant<ThreadMessage, std::string>;  // the message, or the error's text

Outcome full_reader(const std::string& text) {
  try {
    return message_from_json(parse_json(text, "m"), "m");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidJson) << text;
    return std::string(e.what());
  }
}

Outcome text_reader(const std::string& text) {
  try {
    return message_from_json_text(text, "m");
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidJson) << text;
    return std::string(e.what());
  }
}

void expect_same(const std::string& text) {
  const Outcome want = full_reader(text);
  const Outcome got = text_reader(text);
  ASSERT_EQ(want.index(), got.index()) << text;
  if (want.index() == 0) {
    EXPECT_TRUE(std::get<0>(want) == std::get<0>(got)) << text;
    EXPECT_EQ(to_json(std::get<0>(want)), to_json(std::get<0>(got))) << text;
  } else {
    EXPECT_EQ(std::get<1>(want), std::get<1>(got)) << text;
  }
}

const std::string user =
    R"({"attachments":[],"content":[{"text":"Hello there","type":"text"}],"createdAt":"2026-05-28T20:26:40.000Z","id":"u1","metadata":{"custom":{}},"role":"user"})";
const std::string assistant =
    R"({"content":[{"text":"Hi","type":"text"}],"createdAt":"2026-05-28T20:26:41.000Z","id":"a1","metadata":{"custom":{},"steps":[],"unstable_annotations":[],"unstable_data":[],"unstable_state":null},"role":"assistant","status":{"reason":"stop","type":"complete"}})";

TEST(MessageJsonText, TheStoredShapeReadsAsTheFullReaderReadsIt) {
  expect_same(user);
  expect_same(assistant);
  const auto m = message_from_json_text(assistant);
  EXPECT_EQ(m.id, "a1");
  EXPECT_EQ(m.role, Role::Assistant);
  EXPECT_TRUE(m.status.is(StatusType::Complete, StatusReason::Stop));
  ASSERT_EQ(m.content.size(), 1u);
  EXPECT_EQ(m.content[0].get_if<TextPart>()->text.view(), "Hi");
}

TEST(MessageJsonText, WhatToJsonWritesReadsBackExactly) {
  ThreadMessage m;
  m.id = "x";
  m.role = Role::Assistant;
  m.created_at = parse_timestamp("2026-01-02T03:04:05.678Z");
  m.content.push_back(TextPart{Text("one \"quoted\" \\ line\nand \xC3\xA9\xF0\x9F\x98\x80")});
  m.content.push_back(TextPart{Text("")});
  for (const auto& status :
       {MessageStatus::running(), MessageStatus::complete(StatusReason::Stop),
        MessageStatus::complete(), MessageStatus::incomplete(StatusReason::Cancelled),
        MessageStatus::incomplete(StatusReason::Length),
        MessageStatus::requires_action(StatusReason::Interrupt),
        MessageStatus::incomplete(StatusReason::Error, Json{{"code", "x"}, {"message", "y"}})}) {
    m.status = status;
    for (bool optimistic : {false, true}) {
      m.metadata.is_optimistic = optimistic;
      const std::string text = to_json(m).dump();
      expect_same(text);
      EXPECT_TRUE(message_from_json_text(text) == m) << text;
    }
  }
  m.metadata.custom = Json{{"k", 1}};
  expect_same(to_json(m).dump());
  EXPECT_TRUE(message_from_json_text(to_json(m).dump()) == m);
  m.metadata.custom = nullptr;
  AssistantMetadata a;
  a.steps.push_back(ThreadStep{"s", ThreadStep::Usage{1, 2}});
  m.metadata.assistant = std::move(a);
  expect_same(to_json(m).dump());
  EXPECT_TRUE(message_from_json_text(to_json(m).dump()) == m);
}

TEST(MessageJsonText, DocumentsOnTheEdgeOfTheCommonShapeGiveTheSameOutcome) {
  const std::string cases[] = {
      // whitespace, key order, keys the reader ignores, a missing status
      " { \"role\" : \"user\", \"id\":\"u\", \"content\":[ ], "
      "\"createdAt\":\"2026-01-01T00:00:00Z\" } \n",
      R"({"id":"u","role":"user","content":[{"type":"text","text":"a","extra":[1,{"b":null}]}],"createdAt":"2026-01-01T00:00:00Z","other":{"x":[true,false,1.5e3]}})",
      R"({"id":"a","role":"assistant","content":[],"createdAt":"2026-01-01T00:00:00Z"})",
      R"({"id":"a","role":"assistant","content":[],"createdAt":"2026-01-01T00:00:00Z","status":{"type":"running","reason":"whatever"}})",
      R"({"id":"s","role":"system","content":[{"type":"text","text":"be brief"}],"createdAt":"2026-01-01T00:00:00Z"})",
      R"({"id":"a","role":"assistant","content":[],"createdAt":"2026-01-01T00:00:00Z","metadata":{"unstable_state":{"k":1}}})",
      R"({"id":"u","role":"user","content":[],"createdAt":"2026-01-01T00:00:00Z","metadata":{"steps":[{}],"custom":null}})",
      R"({"id":"u","role":"user","content":[],"createdAt":"2026-01-01T00:00:00Z","metadata":{"isOptimistic":true}})",
      R"({"id":"u","role":"user","content":[{"type":"text","text":"a","parentId":"p","status":{"type":"running"}}],"createdAt":"2026-01-01T00:00:00Z"})",
      R"({"id":"\u0075\ud83d\ude00","role":"user","content":[{"type":"text","text":"\u00e9\t"}],"createdAt":"2026-01-01T00:00:00.5Z"})",
      // repeated keys: the full reader keeps the last
      R"({"id":"u","id":"v","role":"user","content":[],"createdAt":"2026-01-01T00:00:00Z"})",
      R"({"id":"u","role":"user","content":[{"type":"text","text":"a","text":"b"}],"createdAt":"2026-01-01T00:00:00Z"})",
      // errors: each must read as the full reader reports it
      R"({"id":"u","role":"user","content":[],"createdAt":"yesterday"})",
      R"({"id":"u","role":"robot","content":[],"createdAt":"2026-01-01T00:00:00Z"})",
      R"({"id":"u","role":"user","content":[],"createdAt":"2026-01-01T00:00:00Z","status":{"type":"complete","reason":"stop"}})",
      R"({"id":"a","role":"assistant","content":[],"createdAt":"2026-01-01T00:00:00Z","status":{"type":"complete","reason":"length"}})",
      R"({"id":"a","role":"assistant","content":[],"createdAt":"2026-01-01T00:00:00Z","status":{"type":"incomplete"}})",
      R"({"id":"s","role":"system","content":[],"createdAt":"2026-01-01T00:00:00Z"})",
      R"({"id":"a","role":"assistant","content":[],"createdAt":"2026-01-01T00:00:00Z","attachments":[{"name":"x"}]})",
      R"({"id":"u","role":"user","content":[{"type":"widget"}],"createdAt":"2026-01-01T00:00:00Z"})",
      R"({"id":"u","role":"user","content":[{"type":"text"}],"createdAt":"2026-01-01T00:00:00Z"})",
      R"({"id":7,"role":"user","content":[],"createdAt":"2026-01-01T00:00:00Z"})",
      R"({"role":"user","content":[],"createdAt":"2026-01-01T00:00:00Z"})",
      R"({"id":"u","role":"user","content":{},"createdAt":"2026-01-01T00:00:00Z"})",
      R"({"id":"u","role":"user","content":[],"createdAt":"2026-01-01T00:00:00Z","metadata":{"custom":[]}})",
      R"({"id":"u","role":"user","content":[],"createdAt":"2026-01-01T00:00:00Z"} trailing)",
      "{\"id\":\"u\xFF\",\"role\":\"user\",\"content\":[],\"createdAt\":\"2026-01-01T00:00:00Z\"}",
      R"({"id":"u","role":"user","content":[],"createdAt":"2026-01-01T00:00:00Z")",
      R"([])",
      "",
  };
  for (const auto& text : cases) expect_same(text);
}

// repository_from_json_text against repository_from_json(parse_json(text)): the same items (the
// same messages, parents and run configs, in order) and head, or the same error.
using RepoOutcome = std::variant<ExportedMessageRepository, std::string>;

RepoOutcome full_repository_reader(const std::string& text) {
  try {
    return repository_from_json(parse_json(text));
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidJson) << text;
    return std::string(e.what());
  }
}

RepoOutcome text_repository_reader(const std::string& text) {
  try {
    return repository_from_json_text(text);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidJson) << text;
    return std::string(e.what());
  }
}

void expect_same_repository(const std::string& text) {
  const RepoOutcome want = full_repository_reader(text);
  const RepoOutcome got = text_repository_reader(text);
  ASSERT_EQ(want.index(), got.index()) << text << "\n"
                                       << (got.index() ? std::get<1>(got) : std::get<1>(want));
  if (want.index() == 1) {
    EXPECT_EQ(std::get<1>(want), std::get<1>(got)) << text;
    return;
  }
  const auto& a = std::get<0>(want);
  const auto& b = std::get<0>(got);
  EXPECT_EQ(a.head_id, b.head_id) << text;
  ASSERT_EQ(a.messages.size(), b.messages.size()) << text;
  for (std::size_t i = 0; i < a.messages.size(); ++i) {
    EXPECT_TRUE(*a.messages[i].message == *b.messages[i].message) << text << " item " << i;
    EXPECT_EQ(a.messages[i].parent_id, b.messages[i].parent_id) << text << " item " << i;
    EXPECT_EQ(a.messages[i].run_config, b.messages[i].run_config) << text << " item " << i;
  }
  EXPECT_EQ(to_json_text(a), to_json_text(b)) << text;
}

std::string repo_of(const std::vector<std::string>& items, const std::string& head = "null") {
  std::string out = R"({"headId":)" + head + R"(,"messages":[)";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "]}";
}

TEST(MessageJsonText, AnExportedThreadReadsAsTheDocumentReaderReadsIt) {
  const std::string tool =
      R"({"content":[{"args":{"q":1},"argsText":"{\"q\":1}","toolCallId":"c","toolName":"t","type":"tool-call"}],"createdAt":"2026-05-28T20:26:42.000Z","id":"a2","metadata":{"custom":{},"steps":[],"unstable_annotations":[],"unstable_data":[],"unstable_state":null},"role":"assistant","status":{"type":"requires-action","reason":"tool-calls"}})";
  const std::string cases[] = {
      repo_of({}),
      repo_of({R"({"message":)" + user + R"(,"parentId":null})"}),
      // plain messages, one the document reader reads (a tool call), run configs
      repo_of({R"({"message":)" + user + R"(,"parentId":null,"runConfig":{}})",
               R"({"message":)" + assistant + R"(,"parentId":"u1","runConfig":{"custom":{"t":1}}})",
               R"({"parentId":"a1","message":)" + tool + "}"},
              R"("a2")"),
      // whitespace, unknown keys, no headId, key order
      " {\"messages\" : [ {\"x\":[1,2], \"message\" : " + user + " } ] , \"v\":1 } ",
      // errors, each as the document reader reports it
      repo_of({R"({"message":)" + user + R"(,"parentId":7})"}),
      repo_of({R"({"parentId":null})"}),
      repo_of({R"({"message":)" + user + R"(,"runConfig":{"custom":5}})"}),
      repo_of(
          {R"({"message":{"id":"u","role":"robot","content":[],"createdAt":"2026-01-01T00:00:00Z"}})"}),
      repo_of(
          {R"({"message":)" + user + "}",
           R"({"message":{"id":"a","role":"assistant","content":[{"type":"widget"}],"createdAt":"2026-01-01T00:00:00Z"}})"}),
      // an error in a message and a bad headId after it: the document reader reports the headId
      R"({"messages":[{"message":{"id":7}}],"headId":5})",
      repo_of({R"({"message":)" + user + "}"}, "5"),
      R"({"headId":null})",
      R"({"messages":{}})",
      R"({"messages":[1]})",
      // repeated keys: the document reader keeps the last
      R"({"headId":"a","headId":null,"messages":[]})",
      R"({"messages":[],"messages":[{"message":)" + user + "}]}",
      repo_of({R"({"message":)" + assistant + R"(,"message":)" + user + "}"}),
      repo_of({R"({"message":)" + user + R"(,"parentId":"x","parentId":null})"}),
      // not JSON, or not all of it
      repo_of({R"({"message":)" + user + "}"}) + " x",
      R"({"messages":[{"message":{"id":"u","n":1e999}}]})",
      R"({"messages":[)",
      "[]",
      "",
  };
  for (const auto& text : cases) expect_same_repository(text);
}

TEST(MessageJsonText, AWrittenThreadReadsBackExactly) {
  ExportedMessageRepository repo;
  for (int i = 0; i < 50; ++i) {
    auto m = std::make_shared<ThreadMessage>();
    m->id = "m" + std::to_string(i);
    m->role = i % 2 ? Role::Assistant : Role::User;
    m->created_at = parse_timestamp("2026-05-28T20:26:40.000Z") + std::chrono::seconds(i);
    m->content.push_back(TextPart{Text("line \"" + std::to_string(i) + "\"\n\xC3\xA9")});
    if (i % 2 && i % 7 == 3) m->content.push_back(ReasoningPart{Text("why")});  // the document path
    if (i % 2) m->status = MessageStatus::complete(StatusReason::Stop);
    ExportedMessageRepositoryItem item{m, std::nullopt, std::nullopt};
    if (i) item.parent_id = "m" + std::to_string(i - 1);
    if (i % 5 == 1) item.run_config = RunConfig{};
    repo.messages.push_back(item);
  }
  repo.head_id = "m49";
  const std::string text = to_json_text(repo);
  expect_same_repository(text);
  const auto back = repository_from_json_text(text);
  EXPECT_EQ(to_json_text(back), text);
  ASSERT_EQ(back.messages.size(), 50u);
  EXPECT_TRUE(*back.messages[7].message == *repo.messages[7].message);
}

}  // namespace
}  // namespace aui
