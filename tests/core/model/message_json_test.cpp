// The data model in and out of JSON (spec §2, §3.9) and the normalisation of message-like input
// (spec §2.9, scenarios S-025..S-029), the derived part status (§2.5) and AssistantError (§2.10).

#include <gtest/gtest.h>

#include "aui/model/message_json.hpp"
#include "aui/model/message_like.hpp"
#include "aui/support/errors.hpp"
#include "aui/tree/message_repository.hpp"

namespace {

using aui::Json;

// An export as assistant-ui writes it: branches, a tool call with an approval and falsy results,
// reasoning, sources, a user attachment, optional keys present and absent.
const char* kExport = R"({
  "headId": "a3",
  "messages": [
    {"parentId": null, "message": {"id": "u1", "createdAt": "2026-03-01T12:00:00.000Z", "role": "user",
      "content": [{"type": "text", "text": "hi"}], "attachments": [
        {"id": "att1", "type": "document", "name": "notes.txt", "contentType": "text/plain",
         "content": [{"type": "text", "text": "<attachment name=notes.txt>x</attachment>"}],
         "status": {"type": "complete"}}],
      "metadata": {"custom": {"k": 1}}}},
    {"parentId": "u1", "message": {"id": "a1", "createdAt": "2026-03-01T12:00:01.123Z", "role": "assistant",
      "content": [{"type": "reasoning", "text": "thinking"}, {"type": "text", "text": "Hello"},
        {"type": "tool-call", "toolCallId": "c1", "toolName": "search", "args": {"q": "x"}, "argsText": "{\"q\":\"x\"}",
         "result": false},
        {"type": "tool-call", "toolCallId": "c2", "toolName": "deploy", "args": {}, "argsText": "{}",
         "result": null, "isError": true, "approval": {"id": "ap1", "approved": false, "reason": "no",
         "options": [{"id": "o1", "kind": "allow-once", "label": "Allow"}], "optionId": "o1"}},
        {"type": "tool-call", "toolCallId": "c3", "toolName": "calc", "args": {}, "argsText": "", "result": 0},
        {"type": "tool-call", "toolCallId": "c4", "toolName": "echo", "args": {}, "argsText": "", "result": ""},
        {"type": "tool-call", "toolCallId": "c5", "toolName": "wait", "args": {}, "argsText": ""},
        {"type": "source", "sourceType": "url", "id": "s1", "url": "https://example.com", "title": "Example"},
        {"type": "data", "name": "chart", "data": [1, 2]}],
      "status": {"type": "requires-action", "reason": "tool-calls"},
      "metadata": {"unstable_state": {"v": 1}, "unstable_annotations": [1], "unstable_data": [],
        "steps": [{"usage": {"inputTokens": 3, "outputTokens": 4}}], "custom": {},
        "submittedFeedback": {"type": "positive"}}}},
    {"parentId": "u1", "message": {"id": "a2", "createdAt": "2026-03-01T12:00:02.000Z", "role": "assistant",
      "content": [{"type": "text", "text": "Oops"}],
      "status": {"type": "incomplete", "reason": "error", "error": {"code": "unknown", "message": "boom"}},
      "metadata": {"unstable_state": null, "unstable_annotations": [], "unstable_data": [], "steps": [], "custom": {}}}},
    {"parentId": null, "message": {"id": "u1b", "createdAt": "2026-03-01T12:00:03.000Z", "role": "user",
      "content": [{"type": "text", "text": "hello"}], "attachments": [], "metadata": {"custom": {}}}},
    {"parentId": "u1b", "message": {"id": "a3", "createdAt": "2026-03-01T12:00:04.000Z", "role": "assistant",
      "content": [{"type": "text", "text": "Hi!"}], "status": {"type": "complete", "reason": "stop"},
      "metadata": {"unstable_state": null, "unstable_annotations": [], "unstable_data": [], "steps": [], "custom": {}}}}
  ]
})";

std::string error_message(const std::function<void()>& f, aui::ErrorKind expected) {
  try {
    f();
  } catch (const aui::Error& e) {
    EXPECT_EQ(e.kind(), expected) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "expected an aui::Error";
  return {};
}

TEST(MessageJson, AnAssistantUiExportRoundTripsUnchanged) {
  const Json original = Json::parse(kExport);
  const auto repo = aui::repository_from_json(original);
  ASSERT_EQ(repo.messages.size(), 5u);
  EXPECT_EQ(aui::to_json(repo), original);
}

TEST(MessageJson, FalsyResultsStayDistinctFromAbsent) {
  const auto repo = aui::repository_from_json(Json::parse(kExport));
  const auto& a1 = *repo.messages[1].message;
  auto call = [&](std::size_t i) { return a1.content[i].as<aui::ToolCallPart>(); };
  EXPECT_EQ(call(2).result, Json(false));
  EXPECT_TRUE(call(3).result.has_value());
  EXPECT_TRUE(call(3).result->is_null());
  EXPECT_EQ(call(4).result, Json(0));
  EXPECT_EQ(call(5).result, Json(""));
  EXPECT_FALSE(call(6).result.has_value());
  EXPECT_FALSE(call(6).resolved());
  EXPECT_EQ(call(3).approval->approved, false);
  EXPECT_EQ(call(3).approval->option_id, "o1");
  EXPECT_FALSE(call(3).approval->pending());
}

TEST(MessageJson, CreatedAtKeepsMilliseconds) {
  const auto repo = aui::repository_from_json(Json::parse(kExport));
  EXPECT_EQ(aui::format_timestamp(repo.messages[1].message->created_at),
            "2026-03-01T12:00:01.123Z");
  EXPECT_EQ(aui::parse_timestamp("2026-03-01T12:00:01Z"),
            aui::parse_timestamp("2026-03-01T12:00:01.000Z"));
  EXPECT_EQ(aui::parse_timestamp("2026-03-01T12:00:01.123456+00:00"),
            aui::parse_timestamp("2026-03-01T12:00:01.123Z"));
  error_message([] { aui::parse_timestamp("yesterday"); }, aui::ErrorKind::InvalidJson);
  error_message([] { aui::parse_timestamp("2026-13-01T12:00:00Z"); }, aui::ErrorKind::InvalidJson);
}

TEST(MessageJson, ErrorsNameTheOffendingPath) {
  Json bad = Json::parse(kExport);
  bad["messages"][1]["message"]["content"][2]["toolCallId"] = 5;
  auto what = error_message([&] { aui::repository_from_json(bad); }, aui::ErrorKind::InvalidJson);
  EXPECT_NE(what.find("messages[1].message.content[2].toolCallId"), std::string::npos) << what;

  bad = Json::parse(kExport);
  bad["messages"][3]["message"]["content"][0]["type"] = "widget";
  what = error_message([&] { aui::repository_from_json(bad); }, aui::ErrorKind::InvalidJson);
  EXPECT_NE(what.find("messages[3].message.content[0].type"), std::string::npos) << what;
  EXPECT_NE(what.find("widget"), std::string::npos) << what;

  bad = Json::parse(kExport);
  bad["messages"][2]["message"]["status"]["reason"] = "stop";  // stop is not an incomplete reason
  what = error_message([&] { aui::repository_from_json(bad); }, aui::ErrorKind::InvalidJson);
  EXPECT_NE(what.find("messages[2].message.status.reason"), std::string::npos) << what;

  bad = Json::parse(kExport);
  bad["messages"][0]["message"].erase("createdAt");
  what = error_message([&] { aui::repository_from_json(bad); }, aui::ErrorKind::InvalidJson);
  EXPECT_NE(what.find("messages[0].message.createdAt"), std::string::npos) << what;

  what = error_message([] { aui::repository_from_json(Json::parse(R"({"messages": 3})")); },
                       aui::ErrorKind::InvalidJson);
  EXPECT_NE(what.find("messages"), std::string::npos) << what;
}

TEST(MessageJson, MalformedTextIsAClearError) {
  auto what = error_message([] { aui::parse_json(R"({"messages": [}")", "thread.json"); },
                            aui::ErrorKind::InvalidJson);
  EXPECT_NE(what.find("thread.json"), std::string::npos);
  EXPECT_NE(what.find("byte"), std::string::npos);
}

TEST(MessageJson, EveryPartTypeRoundTrips) {
  const char* parts = R"([
    {"type": "text", "text": "t", "status": {"type": "incomplete", "reason": "length"}, "parentId": "p"},
    {"type": "reasoning", "text": "r", "unstable_summary": "s", "providerMetadata": {"x": {"y": 1}}},
    {"type": "source", "sourceType": "document", "id": "d", "title": "T", "mediaType": "application/pdf", "filename": "f.pdf"},
    {"type": "image", "image": "https://example.com/a.png", "filename": "a.png"},
    {"type": "file", "data": "AAAA", "mimeType": "application/pdf", "filename": "a.pdf", "sourceType": "url"},
    {"type": "data", "name": "n", "data": {"a": [1, null]}},
    {"type": "generative-ui", "spec": {"root": {"component": "Card", "props": {"t": 1}}}, "id": "g"},
    {"type": "tool-call", "toolCallId": "c", "toolName": "n", "args": {"a": 1}, "argsText": "{\"a\":1}",
     "result": {"ok": true}, "artifact": {"x": 1}, "modelContent": [{"type": "text", "text": "m"}],
     "timing": {"start": 1}, "mcp": {"app": {"resourceUri": "ui://x"}}, "interrupt": {"type": "human", "payload": {"q": 1}},
     "messages": [], "parentId": "p2"}
  ])";
  for (const auto& j : Json::parse(parts)) {
    const auto part = aui::part_from_json(j, aui::Role::Assistant);
    EXPECT_EQ(aui::to_json(part), j) << j.dump();
  }
  const Json audio =
      Json::parse(R"({"type": "audio", "audio": {"data": "AAAA", "format": "wav"}})");
  EXPECT_EQ(aui::to_json(aui::part_from_json(audio, aui::Role::User)), audio);
  error_message([&] { aui::part_from_json(audio, aui::Role::Assistant); },
                aui::ErrorKind::InvalidJson);
}

TEST(MessageJson, SystemMessagesHaveExactlyOneTextPart) {
  Json sys = Json::parse(R"({"id": "s", "createdAt": "2026-03-01T12:00:00.000Z", "role": "system",
    "content": [{"type": "text", "text": "be brief"}], "metadata": {"custom": {}}})");
  EXPECT_EQ(aui::to_json(aui::message_from_json(sys)), sys);
  sys["content"].push_back(Json{{"type", "text"}, {"text", "x"}});
  error_message([&] { aui::message_from_json(sys); }, aui::ErrorKind::InvalidJson);
}

// ---- normalisation (spec §2.9) ----

aui::ThreadMessage normalize_json(const char* text) {
  return aui::normalize_message(aui::message_like_from_json(Json::parse(text)), "fallback",
                                aui::MessageStatus::complete());
}

TEST(Normalize, S025_EmptyAssistantTextAndReasoningAreDropped) {
  auto m = normalize_json(
      R"({"role": "assistant", "status": {"type": "complete", "reason": "stop"}, "content": [
    {"type": "text", "text": "  "}, {"type": "text", "text": "ok"}, {"type": "reasoning", "text": ""},
    {"type": "reasoning", "text": "", "unstable_summary": "s"}]})");
  ASSERT_EQ(m.content.size(), 2u);
  EXPECT_EQ(m.content[0].as<aui::TextPart>().text, "ok");
  EXPECT_EQ(m.content[1].as<aui::ReasoningPart>().unstable_summary, "s");
  auto u = normalize_json(R"({"role": "user", "content": [{"type": "text", "text": ""}]})");
  ASSERT_EQ(u.content.size(), 1u);  // user parts are not filtered
}

TEST(Normalize, S026_DataPartsAndUnknownTypes) {
  auto u = normalize_json(R"({"role": "user", "content": [{"type": "data-foo", "data": 1}],
    "attachments": [{"id": "a", "name": "n", "content": [{"type": "data-bar", "data": 2}]}]})");
  EXPECT_EQ(u.content[0].as<aui::DataPart>().name, "foo");
  EXPECT_EQ(u.content[0].as<aui::DataPart>().data, Json(1));
  EXPECT_EQ(u.attachments[0].content[0].as<aui::DataPart>().name, "bar");
  auto a = normalize_json(R"({"role": "assistant", "content": [{"type": "data-foo", "data": 1}]})");
  EXPECT_EQ(a.content[0].as<aui::DataPart>().name, "foo");
  error_message([] { normalize_json(R"({"role": "assistant", "content": [{"type": "widget"}]})"); },
                aui::ErrorKind::InvalidMessage);
}

// Spec §2.2, §2.9: each role takes the parts its table allows; the error names the part.
TEST(Normalize, EachRoleTakesThePartsItAllows) {
  auto u = normalize_json(
      R"({"role": "user", "content": [{"type": "audio", "audio": {"data": "AAAA", "format": "wav"}}]})");
  ASSERT_EQ(u.content.size(), 1u);
  EXPECT_EQ(u.content[0].as<aui::AudioPart>().format, "wav");
  const std::string e = error_message(
      [] {
        normalize_json(
            R"({"role": "assistant", "content": [{"type": "text", "text": "a"}, {"type": "audio", "audio": {"data": "AAAA", "format": "wav"}}]})");
      },
      aui::ErrorKind::InvalidMessage);
  EXPECT_NE(e.find("content[1]"), std::string::npos) << e;
  error_message(
      [] {
        normalize_json(
            R"({"role": "system", "content": [{"type": "image", "image": "https://x/a.png"}]})");
      },
      aui::ErrorKind::InvalidMessage);
}

TEST(Normalize, S028_ToolCallDefaults) {
  auto m = normalize_json(R"({"role": "assistant", "content": [
    {"type": "tool-call", "toolName": "x"},
    {"type": "tool-call", "toolName": "y", "argsText": "{\"a\":1}"},
    {"type": "tool-call", "toolName": "z", "args": {"b": 2}}]})");
  ASSERT_EQ(m.content.size(), 3u);
  for (const auto& part : m.content)
    EXPECT_EQ(part.as<aui::ToolCallPart>().tool_call_id.rfind("tool-", 0), 0u);
  const auto& x = m.content[0].as<aui::ToolCallPart>();
  EXPECT_EQ(x.args, Json::object());
  EXPECT_EQ(x.args_text, "");
  const auto& y = m.content[1].as<aui::ToolCallPart>();
  EXPECT_EQ(y.args, Json::parse(R"({"a":1})"));
  EXPECT_EQ(y.args_text, R"({"a":1})");
  const auto& z = m.content[2].as<aui::ToolCallPart>();
  EXPECT_EQ(z.args, Json::parse(R"({"b":2})"));
  EXPECT_EQ(z.args_text, R"({"b":2})");
}

TEST(Normalize, S029_ImagePartsAreValidated) {
  for (const char* kept :
       {"data:image/png;base64,AAAA", "DATA:IMAGE/PNG;base64,AAAA",
        "data:image/png;charset=utf-8;base64,AAAA", "https://example.com/a.png", "blob:abc"}) {
    aui::ThreadMessageLike like;
    like.role = aui::Role::Assistant;
    like.content.emplace_back(aui::ImagePart{kept});
    EXPECT_EQ(aui::normalize_message(like, "f", aui::MessageStatus::complete()).content.size(), 1u)
        << kept;
  }
  for (const char* dropped :
       {"", "data:text/plain;base64,AAAA", "data:image/png,rawpayload", "not-an-image"}) {
    aui::ThreadMessageLike like;
    like.role = aui::Role::Assistant;
    like.content.emplace_back(aui::ImagePart{dropped});
    EXPECT_TRUE(aui::normalize_message(like, "f", aui::MessageStatus::complete()).content.empty())
        << dropped;
  }
}

TEST(Normalize, ValidationFailures) {
  using K = aui::ErrorKind;
  error_message(
      [] {
        normalize_json(
            R"({"role": "assistant", "content": "x", "attachments": [{"id": "a", "name": "n", "content": []}]})");
      },
      K::InvalidMessage);
  error_message(
      [] { normalize_json(R"({"role": "user", "content": "x", "status": {"type": "running"}})"); },
      K::InvalidMessage);
  error_message(
      [] { normalize_json(R"({"role": "user", "content": "x", "metadata": {"steps": []}})"); },
      K::InvalidMessage);
  error_message([] { normalize_json(R"({"role": "system", "content": []})"); }, K::InvalidMessage);
  error_message(
      [] {
        normalize_json(R"({"role": "user", "content": [{"type": "reasoning", "text": "r"}]})");
      },
      K::InvalidMessage);
}

TEST(Normalize, DefaultsOfIdsTimeAndMetadata) {
  auto m = normalize_json(R"({"role": "assistant", "content": "hello"})");
  EXPECT_EQ(m.id, "fallback");
  EXPECT_EQ(m.status, aui::MessageStatus::complete());
  EXPECT_EQ(m.content[0].as<aui::TextPart>().text, "hello");
  EXPECT_TRUE(m.metadata.assistant_or_default().steps.empty());
  EXPECT_FALSE(m.metadata.is_optimistic);
  const Json out = aui::to_json(m);
  EXPECT_EQ(out["metadata"]["custom"], Json::object());
  EXPECT_EQ(out["metadata"]["unstable_annotations"], Json::array());
  EXPECT_FALSE(out["metadata"].contains("isOptimistic"));
  auto kept = normalize_json(
      R"({"role": "user", "id": "mine", "content": "x", "createdAt": "2026-01-02T03:04:05.006Z"})");
  EXPECT_EQ(kept.id, "mine");
  EXPECT_EQ(aui::format_timestamp(kept.created_at), "2026-01-02T03:04:05.006Z");
}

// nlohmann reports a number beyond a double's range as out_of_range, not as a parse error; found
// by the stored-message fuzzer. It is invalid JSON to every reader, never an escaping exception.
TEST(MessageJson, ANumberTooLargeForADoubleIsInvalidJson) {
  error_message([] { aui::parse_json("[1e999]"); }, aui::ErrorKind::InvalidJson);
  error_message(
      [] {
        aui::message_from_json_text(
            R"({"id":"u","role":"user","createdAt":"2026-03-01T12:00:00.000Z",)"
            R"("content":[{"type":"text","text":"hi"}],"attachments":[6e6666]})");
      },
      aui::ErrorKind::InvalidJson);
  Json partial;
  EXPECT_NO_THROW(partial = aui::parse_partial_json(R"({"n": 2, "m": 1e999})"));
  EXPECT_TRUE(partial.is_object());
}

TEST(PartialJson, ClosesWhatWasCut) {
  // A number at the very end may still grow ("2" of "25"), so it is left out until it ends.
  EXPECT_EQ(aui::parse_partial_json(R"({"a": 1, "b": [1, 2)"),
            Json::parse(R"({"a": 1, "b": [1]})"));
  EXPECT_EQ(aui::parse_partial_json(R"({"a": 1, "b": [1, 2,)"),
            Json::parse(R"({"a": 1, "b": [1, 2]})"));
  EXPECT_EQ(aui::parse_partial_json(R"({"city": "Edinb)"), Json::parse(R"({"city": "Edinb"})"));
  EXPECT_EQ(aui::parse_partial_json(R"({"a": 1, "b)"), Json::parse(R"({"a": 1})"));
  EXPECT_EQ(aui::parse_partial_json(R"({"a": 1, "b":)"), Json::parse(R"({"a": 1})"));
  EXPECT_EQ(aui::parse_partial_json(R"({"a": tr)"), Json::object());
  EXPECT_EQ(aui::parse_partial_json(""), Json::object());
  EXPECT_EQ(aui::parse_partial_json("garbage"), Json::object());
  EXPECT_EQ(aui::parse_partial_json(R"({"a": {"b": "c\)"), Json::parse(R"({"a": {"b": "c"}})"));
}

// ---- derived part status (spec §2.5) and AssistantError (spec §2.10) ----

TEST(PartStatus, Rules) {
  aui::ThreadMessage m;
  m.role = aui::Role::Assistant;
  m.content = {aui::ReasoningPart{"r"}, aui::TextPart{"t"}};
  m.status = aui::MessageStatus::running();
  EXPECT_EQ(aui::part_status(m, 0).type, aui::StatusType::Complete);
  EXPECT_EQ(aui::part_status(m, 1).type, aui::StatusType::Running);
  m.status = aui::MessageStatus::incomplete(aui::StatusReason::Cancelled);
  EXPECT_EQ(aui::part_status(m, 1),
            (aui::PartStatus{aui::StatusType::Incomplete, aui::StatusReason::Cancelled}));
  aui::ToolCallPart call;
  call.tool_call_id = "c";
  m.content.push_back(call);
  m.status = aui::MessageStatus::requires_action();
  EXPECT_EQ(aui::part_status(m, 2).type, aui::StatusType::RequiresAction);
  EXPECT_EQ(aui::part_status(m, 1).type, aui::StatusType::Complete);
  m.content[2].edit<aui::ToolCallPart>().result = Json(nullptr);
  EXPECT_EQ(aui::part_status(m, 2).type, aui::StatusType::Complete);
  aui::ThreadMessage u;
  u.role = aui::Role::User;
  u.content = {aui::TextPart{"x"}};
  EXPECT_EQ(aui::part_status(u, 0).type, aui::StatusType::Complete);
}

// Rule 5 carries the message's reason to the last part; rule 3 drops a complete reason only
// from a part's own status.
TEST(PartStatus, LastPartKeepsTheMessageReason) {
  aui::ThreadMessage m;
  m.role = aui::Role::Assistant;
  m.content = {aui::ReasoningPart{"r"}, aui::TextPart{"t"}};
  m.status = aui::MessageStatus::complete(aui::StatusReason::Stop);
  EXPECT_EQ(aui::part_status(m, 1),
            (aui::PartStatus{aui::StatusType::Complete, aui::StatusReason::Stop}));
  EXPECT_EQ(aui::part_status(m, 0),
            (aui::PartStatus{aui::StatusType::Complete, aui::StatusReason::None}));
  m.status = aui::MessageStatus::complete(aui::StatusReason::Unknown);
  EXPECT_EQ(aui::part_status(m, 1),
            (aui::PartStatus{aui::StatusType::Complete, aui::StatusReason::Unknown}));
  m.content.clear();
  m.status = aui::MessageStatus::complete(aui::StatusReason::Stop);
  EXPECT_EQ(aui::part_status(m, 0),
            (aui::PartStatus{aui::StatusType::Complete, aui::StatusReason::Stop}));
  // A part's own complete status drops its reason while the message runs.
  aui::TextPart own{"t"};
  own.status = aui::PartStatus{aui::StatusType::Complete, aui::StatusReason::Stop};
  m.content = {own};
  m.status = aui::MessageStatus::running();
  EXPECT_EQ(aui::part_status(m, 0),
            (aui::PartStatus{aui::StatusType::Complete, aui::StatusReason::None}));
}

TEST(AssistantError, Conversion) {
  EXPECT_EQ(
      aui::to_assistant_error(std::make_exception_ptr(std::runtime_error("Model unavailable"))),
      Json::parse(R"({"code": "unknown", "message": "Model unavailable"})"));
  EXPECT_EQ(aui::to_assistant_error(std::make_exception_ptr(std::string("s"))),
            Json::parse(R"({"code": "unknown", "message": "s"})"));
  EXPECT_EQ(aui::to_assistant_error(
                std::make_exception_ptr(Json{{"code", "rate"}, {"message", "slow down"}})),
            Json::parse(R"({"code": "rate", "message": "slow down"})"));
  EXPECT_EQ(aui::to_assistant_error(std::make_exception_ptr(42))["code"], "unknown");
  // Optional fields are kept when valid; an invalid one makes the value an unknown error.
  const Json full =
      Json::parse(R"({"code": "rate", "message": "m", "severity": "warning", "display": "toast"})");
  EXPECT_EQ(aui::to_assistant_error(std::make_exception_ptr(full)), full);
  for (const char* bad : {R"({"code": "rate", "message": "m", "severity": "fatal"})",
                          R"({"code": "rate", "message": "m", "display": 5})"}) {
    const Json converted = aui::to_assistant_error(std::make_exception_ptr(Json::parse(bad)));
    EXPECT_EQ(converted["code"], "unknown") << bad;
    EXPECT_NE(converted["message"].get<std::string>().find("rate"), std::string::npos) << converted;
  }
}

}  // namespace
