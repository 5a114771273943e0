// to_json_text writes the JSON text of a message or an exported thread without building a
// document. Its output must be byte for byte what nlohmann's dump of to_json gives — for every
// part type and optional field, every status, metadata and attachments, and strings with quotes,
// control characters and Unicode — and where dump refuses a string that is not valid UTF-8, so
// must it (with an aui::Error instead of nlohmann's type_error).

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"
#include "aui/tree/message_repository.hpp"

namespace aui {
namespace {

// Strings that exercise the escaping: each special byte at every offset around the 8-byte words
// the writer scans, all control characters, DEL, and 2-, 3- and 4-byte UTF-8.
std::vector<std::string> tricky_strings() {
  std::vector<std::string> out = {
      "",
      "plain",
      "quote \" back \\ slash / solidus",
      "tab\tnl\ncr\rbs\bff\f",
      "\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF \xEF\xBB\xBF",
      "del \x7F and nul " + std::string(1, '\0') + " end",
  };
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls.push_back(static_cast<char>(c));
  out.push_back(controls);
  for (const std::string special :
       {"\"", "\\", "\x01", "\x1F", "\x7F", "\xC3\xA9", "\xF0\x9F\x98\x80"}) {
    for (std::size_t before = 0; before < 18; ++before)
      out.push_back(std::string(before, 'a') + special + std::string(before % 5, 'b'));
  }
  return out;
}

Timestamp at(const char* iso) { return parse_timestamp(iso); }

void expect_same_text(const ThreadMessage& m) {
  const std::string want = to_json(m).dump();
  EXPECT_EQ(to_json_text(m), want);
}

TEST(MessageJsonTextWriter, TextPartsWithEveryStringAndStatus) {
  const std::vector<std::optional<PartStatus>> statuses = {
      std::nullopt, PartStatus{StatusType::Running, StatusReason::None},
      PartStatus{StatusType::Complete, StatusReason::None},
      PartStatus{StatusType::Incomplete, StatusReason::Length}};
  for (const auto& s : tricky_strings()) {
    for (const Role role : {Role::User, Role::Assistant, Role::System}) {
      for (std::size_t v = 0; v < statuses.size() * 2; ++v) {
        ThreadMessage m;
        m.id = s;
        m.role = role;
        m.created_at = at("2026-03-01T12:00:00.123Z");
        TextPart p{Text(s)};
        p.status = statuses[v % statuses.size()];
        if (v >= statuses.size()) {
          p.parent_id = s.empty() ? std::string("p") : s;
          p.provider_metadata = Json{{"k", s}};
        }
        m.content.push_back(p);
        if (role != Role::System) m.content.push_back(TextPart{Text("second " + s)});
        expect_same_text(m);
      }
    }
  }
}

ToolCallPart tool_call(unsigned mask) {
  ToolCallPart p;
  p.tool_call_id = "call_1";
  p.tool_name = "search \"web\"";
  p.args =
      mask & 1 ? Json{{"q", "x\ny"}, {"n", 1.5}, {"list", {1, "two", nullptr}}} : Json::object();
  p.args_text = Text(mask & 1 ? R"({"q":"x\ny"})" : "");
  if (mask & (1u << 1)) p.result = mask & 1 ? Json(false) : Json(nullptr);
  if (mask & (1u << 2)) p.is_error = (mask & 1) != 0;
  if (mask & (1u << 3)) p.artifact = Json{{"a", 1}};
  if (mask & (1u << 4)) p.model_content = Json::array({Json{{"type", "text"}, {"text", "m"}}});
  if (mask & (1u << 5)) p.timing = Json{{"start", 1}, {"end", 2}};
  if (mask & (1u << 6)) p.mcp = Json{{"app", {{"resourceUri", "ui://x"}}}};
  if (mask & (1u << 7)) p.provider_metadata = Json{{"openai", {{"id", "x"}}}};
  if (mask & (1u << 8)) p.interrupt = Json{{"type", "human"}, {"payload", {{"q", 1}}}};
  if (mask & (1u << 9)) p.parent_id = std::string("parent");
  if (mask & (1u << 10)) p.messages = Json::array();
  if (mask & (1u << 11)) {
    Approval a;
    a.id = "ap1";
    if (mask & 1) a.approved = (mask & 2) != 0;
    if (mask & 2) a.reason = "because";
    if (mask & 4) a.is_automatic = (mask & 8) != 0;
    if (mask & 8) {
      ApprovalOption o1{"o1", "allow-once", "", "", std::nullopt, std::nullopt};
      ApprovalOption o2{"o2",
                        "reject-always",
                        "Never",
                        "Do not ask again",
                        std::vector<std::string>{"fs", "net"},
                        Json{{"title", "Sure?"}}};
      a.options = std::vector<ApprovalOption>{o1, o2};
    }
    if (mask & 16) a.option_id = "o2";
    if (mask & 32)
      a.resolution = mask & 64 ? ApprovalResolution::Cancelled : ApprovalResolution::Expired;
    p.approval = a;
  }
  return p;
}

TEST(MessageJsonTextWriter, ToolCallsWithEveryCombinationOfOptionalFields) {
  for (unsigned mask = 0; mask < (1u << 12); ++mask) {
    ThreadMessage m;
    m.id = "a";
    m.role = Role::Assistant;
    m.content.push_back(tool_call(mask));
    expect_same_text(m);
  }
}

TEST(MessageJsonTextWriter, EveryOtherPartType) {
  std::vector<ContentPart> parts;
  for (int v = 0; v < 2; ++v) {
    const bool all = v == 1;
    ReasoningPart r{Text("thinking \"hard\"")};
    if (all) {
      r.status = PartStatus{StatusType::Incomplete, StatusReason::Cancelled};
      r.unstable_summary = "sum";
      r.provider_metadata = Json{{"x", 1}};
      r.parent_id = std::string("p");
    }
    parts.emplace_back(r);
    SourcePart url;
    url.id = "s1";
    url.url = "https://example.com/?a=\"1\"";
    if (all) {
      url.title = "Example";
      url.provider_metadata = Json{{"x", 1}};
      url.parent_id = std::string("p");
    }
    parts.emplace_back(url);
    SourcePart doc;
    doc.source_type = SourceType::Document;
    doc.id = "d1";
    doc.media_type = "application/pdf";
    if (all) {
      doc.title = "T";
      doc.filename = "f.pdf";
      doc.provider_metadata = Json{{"x", 1}};
      doc.parent_id = std::string("p");
    }
    parts.emplace_back(doc);
    ImagePart img{"data:image/png;base64,AAAA", all ? "a.png" : "", {}};
    if (all) img.provider_metadata = Json{{"x", 1}};
    parts.emplace_back(img);
    FilePart file{"AAAA", "application/pdf", all ? "a.pdf" : "", all ? "url" : "", {}, {}};
    if (all) {
      file.provider_metadata = Json{{"x", 1}};
      file.parent_id = std::string("p");
    }
    parts.emplace_back(file);
    parts.emplace_back(DataPart{"chart", all ? Json{{"a", {1, nullptr, "\u00e9"}}} : Json()});
    GenerativeUIPart ui;
    ui.spec = all ? Json{{"root", {{"component", "Card"}}}} : Json();
    if (all) {
      ui.id = "g";
      ui.parent_id = std::string("p");
    }
    parts.emplace_back(ui);
  }
  for (const auto& part : parts) {
    EXPECT_EQ(to_json_text(ThreadMessage{"a", {}, Role::Assistant, {part}, {}, {}, {}}),
              to_json(ThreadMessage{"a", {}, Role::Assistant, {part}, {}, {}, {}}).dump());
  }
  // Audio is a user part.
  ThreadMessage user;
  user.content.push_back(AudioPart{"AAAA", "wav"});
  expect_same_text(user);
}

TEST(MessageJsonTextWriter, StatusesMetadataAndAttachments) {
  const std::vector<MessageStatus> statuses = {
      MessageStatus::running(), MessageStatus::requires_action(StatusReason::Interrupt),
      MessageStatus::complete(StatusReason::Stop),
      MessageStatus::incomplete(StatusReason::Error, Json{{"code", "x"}, {"message", "y\n"}}),
      MessageStatus::incomplete(StatusReason::Cancelled)};
  for (const Role role : {Role::User, Role::Assistant, Role::System}) {
    for (int v = 0; v < 8; ++v) {
      ThreadMessage m;
      m.id = "m";
      m.role = role;
      m.created_at = at("1999-12-31T23:59:59.999Z");
      m.content.push_back(TextPart{Text("x")});
      m.status = statuses[static_cast<std::size_t>(v) % statuses.size()];
      m.metadata.is_optimistic = v & 1;
      if (v & 2) m.metadata.custom = Json{{"k", 1}, {"nested", {{"z", "\t"}}}};
      if (v == 4) m.metadata.custom = Json(5);  // not an object: written as {}
      if (v & 4) {
        AssistantMetadata a;
        a.unstable_state = Json{{"s", 1}};
        a.unstable_annotations = {Json(1), Json("two")};
        a.unstable_data = {Json::object()};
        a.steps = {ThreadStep{}, ThreadStep{"m1", ThreadStep::Usage{3, -4}},
                   ThreadStep{"", ThreadStep::Usage{INT64_MAX, INT64_MIN}}};
        if (v & 1) a.timing = Json{{"firstToken", 12}};
        m.metadata.assistant = a;
        m.metadata.submitted_feedback = v & 2 ? FeedbackType::Positive : FeedbackType::Negative;
      }
      if (role == Role::User && (v & 2)) {
        Attachment plain;
        plain.id = "att1";
        plain.name = "notes.txt";
        Attachment full;
        full.id = "att2";
        full.type = "image";
        full.name = "a \"b\".png";
        full.content_type = "image/png";
        full.content.push_back(TextPart{Text("<attachment>")});
        full.content.push_back(ImagePart{"data:image/png;base64,AAAA", "a.png", {}});
        m.attachments.push_back(plain);
        m.attachments.push_back(full);
      }
      expect_same_text(m);
    }
  }
}

TEST(MessageJsonTextWriter, TimestampsOfAnyYear) {
  for (const char* iso : {"1970-01-01T00:00:00.000Z", "0000-01-01T00:00:00.001Z",
                          "9999-12-31T23:59:59.999Z", "2024-02-29T12:34:56.789Z"}) {
    EXPECT_EQ(format_timestamp(at(iso)), iso);
    ThreadMessage m;
    m.created_at = at(iso);
    expect_same_text(m);
  }
  using namespace std::chrono;
  const Timestamp late = sys_days{year{12345} / 6 / 7} + hours{8} + milliseconds{9};
  EXPECT_EQ(format_timestamp(late), "12345-06-07T08:00:00.009Z");
  const Timestamp early = sys_days{year{-1} / 1 / 1} + seconds{1};
  EXPECT_EQ(format_timestamp(early), "-001-01-01T00:00:01.000Z");
  ThreadMessage m;
  m.created_at = early;
  expect_same_text(m);
}

TEST(MessageJsonTextWriter, ARepositoryIsWhatItsDocumentDumps) {
  ExportedMessageRepository repo;
  EXPECT_EQ(to_json_text(repo), to_json(repo).dump());
  for (int i = 0; i < 6; ++i) {
    auto m = std::make_shared<ThreadMessage>();
    m->id = "m" + std::to_string(i);
    m->role = i % 2 ? Role::Assistant : Role::User;
    m->content.push_back(TextPart{Text("text " + std::to_string(i))});
    ExportedMessageRepositoryItem item{m, std::nullopt, std::nullopt};
    if (i > 0) item.parent_id = "m" + std::to_string(i - 1);
    if (i == 2) item.run_config = RunConfig{};
    if (i == 3) item.run_config = RunConfig{Json{{"temperature", 0.5}}};
    repo.messages.push_back(item);
  }
  EXPECT_EQ(to_json_text(repo), to_json(repo).dump());
  repo.head_id = "m5";
  EXPECT_EQ(to_json_text(repo), to_json(repo).dump());
}

// dump() refuses exactly the strings that are not valid UTF-8 (overlong forms, surrogates, code
// points past U+10FFFF, cut or stray continuation bytes); so does to_json_text, with an Error
// that says which message.
TEST(MessageJsonTextWriter, RefusesInvalidUtf8WhereDumpDoes) {
  const unsigned char alphabet[] = {'a',  '"',  0x01, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                                    0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x9F, 0xA0, 0x90};
  std::uint32_t seed = 12345;
  auto next = [&] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 16;
  };
  int refused = 0;
  int accepted = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    const std::size_t len = next() % 7;
    for (std::size_t i = 0; i < len; ++i)
      s.push_back(static_cast<char>(alphabet[next() % sizeof alphabet]));
    ThreadMessage m;
    m.id = "x";
    if (n % 3 == 0) {
      m.content.push_back(TextPart{Text(s)});
    } else if (n % 3 == 1) {
      m.id = s;
    } else {
      m.role = Role::Assistant;
      ToolCallPart call;
      call.args = Json{{"q", s}};
      m.content.push_back(call);
    }
    bool dump_refused = false;
    std::string want;
    try {
      want = to_json(m).dump();
    } catch (const Json::type_error&) {
      dump_refused = true;
    }
    if (dump_refused) {
      ++refused;
      try {
        to_json_text(m);
        ADD_FAILURE() << "accepted invalid UTF-8 at case " << n;
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidMessage);
        EXPECT_NE(std::string(e.what()).find("message: cannot be written as JSON"),
                  std::string::npos)
            << e.what();
      }
    } else {
      ++accepted;
      EXPECT_EQ(to_json_text(m), want) << "case " << n;
    }
  }
  // Both outcomes were exercised plenty.
  EXPECT_GT(refused, 1000);
  EXPECT_GT(accepted, 1000);
}

TEST(MessageJsonTextWriter, InvalidUtf8InARepositoryNamesTheItem) {
  ExportedMessageRepository repo;
  auto good = std::make_shared<ThreadMessage>();
  good->id = "ok";
  auto bad = std::make_shared<ThreadMessage>();
  bad->id = "bad";
  bad->content.push_back(TextPart{Text("caf\xE9")});
  repo.messages.push_back({good, std::nullopt, std::nullopt});
  repo.messages.push_back({bad, std::string("ok"), std::nullopt});
  try {
    to_json_text(repo);
    ADD_FAILURE() << "accepted invalid UTF-8";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::InvalidMessage);
    EXPECT_EQ(std::string(e.what()),
              "InvalidMessage: messages[1]: cannot be written as JSON because it holds text that "
              "is not valid "
              "UTF-8 (byte 0xE9 at index 3 of a string)");
  }
  EXPECT_THROW(to_json(repo).dump(), Json::type_error);
}

}  // namespace
}  // namespace aui
