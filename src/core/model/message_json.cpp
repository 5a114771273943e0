// JSON in and out in assistant-ui's shape (spec §2, §3.9). Parsing is strict and names the path
// of the first offending field.

#include "aui/model/message_json.hpp"

#include <cstdio>

#include "aui/support/errors.hpp"
#include "aui/tree/message_repository.hpp"
#include "model/json_reader.hpp"
#include "support/json_scan.hpp"

namespace aui {

using detail::Reader;

// ---------------------------------------------------------------------------------------------
// Timestamps

std::string format_timestamp(Timestamp t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return buf;
}

Timestamp parse_timestamp(std::string_view s, const std::string& path) {
  auto fail = [&]() -> Timestamp {
    throw Error(ErrorKind::InvalidJson,
                path + ": expected an ISO-8601 UTC time, got \"" + std::string(s) + "\"");
  };
  std::size_t i = 0;
  auto digits = [&](std::size_t n) -> int {
    if (i + n > s.size()) fail();
    int v = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const char c = s[i + k];
      if (c < '0' || c > '9') fail();
      v = v * 10 + (c - '0');
    }
    i += n;
    return v;
  };
  auto expect = [&](char c) {
    if (i >= s.size() || s[i] != c) fail();
    ++i;
  };
  const int year = digits(4);
  expect('-');
  const int month = digits(2);
  expect('-');
  const int day = digits(2);
  if (i >= s.size() || (s[i] != 'T' && s[i] != 't' && s[i] != ' ')) fail();
  ++i;
  const int hour = digits(2);
  expect(':');
  const int minute = digits(2);
  expect(':');
  const int second = digits(2);
  int millis = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int scale = 100;
    std::size_t n = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (scale > 0) millis += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
      ++n;
    }
    if (n == 0) fail();
  }
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (s.substr(i) == "+00:00") {
    i += 6;
  } else {
    fail();
  }
  if (i != s.size()) fail();
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year{year},
                           std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) fail();
  return sys_days{ymd} + hours{hour} + minutes{minute} + seconds{second} + milliseconds{millis};
}

Json parse_json(std::string_view text, const std::string& what) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    throw Error(ErrorKind::InvalidJson, what + ": not valid JSON at byte " +
                                            std::to_string(e.byte) + " (" + e.what() + ")");
  } catch (const Json::exception& e) {
    // Well-formed but out of range (a number too large for a double): as invalid to us.
    throw Error(ErrorKind::InvalidJson, what + ": not valid JSON (" + e.what() + ")");
  }
}

// ---------------------------------------------------------------------------------------------
// Names

namespace {

StatusType status_type_from(std::string_view s, const std::string& path, ErrorKind kind) {
  if (s == "running") return StatusType::Running;
  if (s == "requires-action") return StatusType::RequiresAction;
  if (s == "complete") return StatusType::Complete;
  if (s == "incomplete") return StatusType::Incomplete;
  throw Error(kind, path + ": unknown status type \"" + std::string(s) + "\"");
}

StatusReason reason_from(std::string_view s, const std::string& path, ErrorKind kind) {
  if (s == "tool-calls") return StatusReason::ToolCalls;
  if (s == "interrupt") return StatusReason::Interrupt;
  if (s == "stop") return StatusReason::Stop;
  if (s == "unknown") return StatusReason::Unknown;
  if (s == "cancelled") return StatusReason::Cancelled;
  if (s == "length") return StatusReason::Length;
  if (s == "content-filter") return StatusReason::ContentFilter;
  if (s == "other") return StatusReason::Other;
  if (s == "error") return StatusReason::Error;
  throw Error(kind, path + ": unknown status reason \"" + std::string(s) + "\"");
}

bool reason_fits(StatusType type, StatusReason reason) {
  switch (type) {
    case StatusType::Running: return reason == StatusReason::None;
    case StatusType::RequiresAction:
      return reason == StatusReason::ToolCalls || reason == StatusReason::Interrupt;
    case StatusType::Complete:
      return reason == StatusReason::Stop || reason == StatusReason::Unknown;
    case StatusType::Incomplete:
      return reason == StatusReason::Cancelled || reason == StatusReason::ToolCalls ||
             reason == StatusReason::Length || reason == StatusReason::ContentFilter ||
             reason == StatusReason::Other || reason == StatusReason::Error;
  }
  return false;
}

Role role_from(std::string_view s, const std::string& path, ErrorKind kind) {
  if (s == "user") return Role::User;
  if (s == "assistant") return Role::Assistant;
  if (s == "system") return Role::System;
  throw Error(kind, path + ": unknown role \"" + std::string(s) + "\"");
}

void put_if(Json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}
void put_if(Json& j, const char* key, const Json& value) {
  if (!value.is_null()) j[key] = value;
}
template <class T>
void put_if(Json& j, const char* key, const Sparse<T>& value) {
  put_if(j, key, value.get());
}

Json part_status_json(const PartStatus& s) {
  Json j{{"type", to_string(s.type)}};
  if (s.type == StatusType::Incomplete) j["reason"] = to_string(s.reason);
  return j;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Out

Json to_json(const MessageStatus& s) {
  Json j{{"type", to_string(s.type)}};
  if (s.type != StatusType::Running) j["reason"] = to_string(s.reason);
  put_if(j, "error", s.error);
  return j;
}

namespace {

Json approval_json(const Approval& a) {
  Json j{{"id", a.id}};
  if (a.approved) j["approved"] = *a.approved;
  if (a.reason) j["reason"] = *a.reason;
  if (a.is_automatic) j["isAutomatic"] = *a.is_automatic;
  if (a.options) {
    Json options = Json::array();
    for (const auto& o : *a.options) {
      Json oj{{"id", o.id}, {"kind", o.kind}};
      put_if(oj, "label", o.label);
      put_if(oj, "description", o.description);
      if (o.grants) oj["grants"] = *o.grants;
      if (o.confirm) oj["confirm"] = *o.confirm;
      options.push_back(std::move(oj));
    }
    j["options"] = std::move(options);
  }
  if (a.option_id) j["optionId"] = *a.option_id;
  if (a.resolution)
    j["resolution"] = *a.resolution == ApprovalResolution::Cancelled ? "cancelled" : "expired";
  return j;
}

}  // namespace

Json to_json(const ContentPart& part) {
  return part.visit([](const auto& p) -> Json {
    using T = std::decay_t<decltype(p)>;
    Json j;
    if constexpr (std::is_same_v<T, TextPart>) {
      j = Json{{"type", "text"}, {"text", p.text.view()}};
      if (p.status) j["status"] = part_status_json(*p.status);
      put_if(j, "providerMetadata", p.provider_metadata);
      put_if(j, "parentId", p.parent_id);
    } else if constexpr (std::is_same_v<T, ReasoningPart>) {
      j = Json{{"type", "reasoning"}, {"text", p.text.view()}};
      if (p.status) j["status"] = part_status_json(*p.status);
      if (p.unstable_summary) j["unstable_summary"] = *p.unstable_summary;
      put_if(j, "providerMetadata", p.provider_metadata);
      put_if(j, "parentId", p.parent_id);
    } else if constexpr (std::is_same_v<T, ToolCallPart>) {
      j = Json{{"type", "tool-call"},
               {"toolCallId", p.tool_call_id},
               {"toolName", p.tool_name},
               {"args", p.args},
               {"argsText", p.args_text.view()}};
      if (p.result) j["result"] = *p.result;
      if (p.is_error) j["isError"] = *p.is_error;
      if (p.artifact) j["artifact"] = *p.artifact;
      put_if(j, "modelContent", p.model_content);
      if (p.timing) j["timing"] = *p.timing;
      put_if(j, "mcp", p.mcp);
      put_if(j, "providerMetadata", p.provider_metadata);
      put_if(j, "interrupt", p.interrupt);
      if (p.approval) j["approval"] = approval_json(*p.approval);
      put_if(j, "parentId", p.parent_id);
      put_if(j, "messages", p.messages);
    } else if constexpr (std::is_same_v<T, SourcePart>) {
      j = Json{{"type", "source"}, {"id", p.id}};
      if (p.source_type == SourceType::Url) {
        j["sourceType"] = "url";
        j["url"] = p.url;
        if (p.title) j["title"] = *p.title;
      } else {
        j["sourceType"] = "document";
        j["title"] = p.title.value_or("");
        j["mediaType"] = p.media_type;
        put_if(j, "filename", p.filename);
      }
      put_if(j, "providerMetadata", p.provider_metadata);
      put_if(j, "parentId", p.parent_id);
    } else if constexpr (std::is_same_v<T, ImagePart>) {
      j = Json{{"type", "image"}, {"image", p.image}};
      put_if(j, "filename", p.filename);
      put_if(j, "providerMetadata", p.provider_metadata);
    } else if constexpr (std::is_same_v<T, FilePart>) {
      j = Json{{"type", "file"}, {"data", p.data}, {"mimeType", p.mime_type}};
      put_if(j, "filename", p.filename);
      put_if(j, "sourceType", p.source_type);
      put_if(j, "providerMetadata", p.provider_metadata);
      put_if(j, "parentId", p.parent_id);
    } else if constexpr (std::is_same_v<T, AudioPart>) {
      j = Json{{"type", "audio"}, {"audio", {{"data", p.data}, {"format", p.format}}}};
    } else if constexpr (std::is_same_v<T, DataPart>) {
      j = Json{{"type", "data"}, {"name", p.name}, {"data", p.data}};
    } else {
      j = Json{{"type", "generative-ui"}, {"spec", p.spec}};
      put_if(j, "id", p.id);
      put_if(j, "parentId", p.parent_id);
    }
    return j;
  });
}

Json to_json(const Attachment& a) {
  Json content = Json::array();
  for (const auto& part : a.content) content.push_back(to_json(part));
  Json j{{"id", a.id},
         {"type", a.type},
         {"name", a.name},
         {"content", std::move(content)},
         {"status", {{"type", "complete"}}}};
  put_if(j, "contentType", a.content_type);
  return j;
}

Json to_json(const RunConfig& config) {
  Json j = Json::object();
  if (!config.custom.is_null()) j["custom"] = config.custom;
  return j;
}

Json to_json(const ThreadMessage& m) {
  Json content = Json::array();
  for (const auto& part : m.content) content.push_back(to_json(part));
  Json j{{"id", m.id},
         {"createdAt", format_timestamp(m.created_at)},
         {"role", to_string(m.role)},
         {"content", std::move(content)}};
  Json metadata{
      {"custom", m.metadata.custom->is_object() ? m.metadata.custom.get() : Json::object()}};
  if (m.role == Role::Assistant) {
    const auto& a = m.metadata.assistant_or_default();
    metadata["unstable_state"] = a.unstable_state;
    metadata["unstable_annotations"] = a.unstable_annotations;
    metadata["unstable_data"] = a.unstable_data;
    Json steps = Json::array();
    for (const auto& s : a.steps) {
      Json sj = Json::object();
      put_if(sj, "messageId", s.message_id);
      if (s.usage)
        sj["usage"] = {{"inputTokens", s.usage->input_tokens},
                       {"outputTokens", s.usage->output_tokens}};
      steps.push_back(std::move(sj));
    }
    metadata["steps"] = std::move(steps);
    if (a.timing) metadata["timing"] = *a.timing;
    if (m.metadata.submitted_feedback) {
      metadata["submittedFeedback"] = {
          {"type",
           *m.metadata.submitted_feedback == FeedbackType::Positive ? "positive" : "negative"}};
    }
    j["status"] = to_json(m.status);
  }
  if (m.metadata.is_optimistic && m.role != Role::System) metadata["isOptimistic"] = true;
  j["metadata"] = std::move(metadata);
  if (m.role == Role::User) {
    Json attachments = Json::array();
    for (const auto& a : m.attachments) attachments.push_back(to_json(a));
    j["attachments"] = std::move(attachments);
  }
  return j;
}

Json to_json(const ExportedMessageRepository& repo) {
  Json messages = Json::array();
  for (const auto& item : repo.messages) {
    Json ij{{"message", to_json(*item.message)},
            {"parentId", item.parent_id ? Json(*item.parent_id) : Json(nullptr)}};
    if (item.run_config) ij["runConfig"] = to_json(*item.run_config);
    messages.push_back(std::move(ij));
  }
  Json j{{"messages", std::move(messages)}};
  j["headId"] = repo.head_id ? Json(*repo.head_id) : Json(nullptr);
  return j;
}

// ---------------------------------------------------------------------------------------------
// In

namespace detail {

PartStatus part_status_from(const Reader& r) {
  PartStatus s;
  s.type = status_type_from(r.string("type"), r.path("type"), r.kind());
  if (s.type == StatusType::Incomplete) {
    s.reason = r.has("reason") ? reason_from(r.string("reason"), r.path("reason"), r.kind())
                               : StatusReason::Other;
  }
  return s;
}

Approval approval_from(const Reader& r) {
  Approval a;
  a.id = r.string("id");
  if (r.has("approved")) a.approved = r.boolean("approved");
  if (r.has("reason")) a.reason = r.string("reason");
  if (r.has("isAutomatic")) a.is_automatic = r.boolean("isAutomatic");
  if (r.has("options")) {
    std::vector<ApprovalOption> options;
    r.each("options", [&](const Reader& o) {
      ApprovalOption opt;
      opt.id = o.string("id");
      opt.kind = o.string("kind");
      opt.label = o.string_or("label", "");
      opt.description = o.string_or("description", "");
      if (o.has("grants")) {
        std::vector<std::string> grants;
        o.each("grants", [&](const Reader& g) { grants.push_back(g.as_string()); });
        opt.grants = std::move(grants);
      }
      if (o.has("confirm")) opt.confirm = o.json("confirm");
      options.push_back(std::move(opt));
    });
    a.options = std::move(options);
  }
  if (r.has("optionId")) a.option_id = r.string("optionId");
  if (r.has("resolution")) {
    const std::string res = r.string("resolution");
    if (res == "cancelled") {
      a.resolution = ApprovalResolution::Cancelled;
    } else if (res == "expired") {
      a.resolution = ApprovalResolution::Expired;
    } else {
      r.fail("resolution", "expected \"cancelled\" or \"expired\"");
    }
  }
  return a;
}

ContentPart part_from(const Reader& r, Role role, bool lenient) {
  std::string type = r.string("type");
  if (type.rfind("data-", 0) == 0) {
    // data-<name> parts (spec §2.9) become data parts.
    return DataPart{type.substr(5), r.json_or("data", nullptr)};
  }
  PartType pt;
  if (type == "text") {
    pt = PartType::Text;
  } else if (type == "reasoning") {
    pt = PartType::Reasoning;
  } else if (type == "tool-call") {
    pt = PartType::ToolCall;
  } else if (type == "source") {
    pt = PartType::Source;
  } else if (type == "image") {
    pt = PartType::Image;
  } else if (type == "file") {
    pt = PartType::File;
  } else if (type == "audio") {
    pt = PartType::Audio;
  } else if (type == "data") {
    pt = PartType::Data;
  } else if (type == "generative-ui") {
    pt = PartType::GenerativeUI;
  } else {
    r.fail("type", "unknown part type \"" + type + "\"");
  }
  if (!part_allowed(role, pt)) {
    r.fail("type",
           "a " + std::string(to_string(role)) + " message cannot hold a \"" + type + "\" part");
  }
  switch (pt) {
    case PartType::Text: {
      TextPart p;
      p.text = Text(r.string("text"));
      if (r.has("status")) p.status = part_status_from(r.object("status"));
      p.provider_metadata = r.json_or("providerMetadata", nullptr);
      p.parent_id = r.string_or("parentId", "");
      return p;
    }
    case PartType::Reasoning: {
      ReasoningPart p;
      p.text = Text(lenient ? r.string_or("text", "") : r.string("text"));
      if (r.has("status")) p.status = part_status_from(r.object("status"));
      if (r.has("unstable_summary")) p.unstable_summary = r.string("unstable_summary");
      p.provider_metadata = r.json_or("providerMetadata", nullptr);
      p.parent_id = r.string_or("parentId", "");
      return p;
    }
    case PartType::ToolCall: {
      ToolCallPart p;
      p.tool_call_id = lenient ? r.string_or("toolCallId", "") : r.string("toolCallId");
      p.tool_name = r.string("toolName");
      const bool has_args = r.has("args");
      if (has_args) {
        p.args = r.json("args");
        if (!p.args.is_object()) r.fail("args", "expected an object");
      }
      p.args_text = Text(r.string_or("argsText", ""));
      if (lenient && !has_args) p.args = nullptr;  // "absent": normalisation parses argsText
      if (r.has("result")) p.result = r.json("result");
      if (r.has("isError")) p.is_error = r.boolean("isError");
      if (r.has("artifact")) p.artifact = r.json("artifact");
      p.model_content = r.json_or("modelContent", nullptr);
      if (r.has("timing")) p.timing = r.json("timing");
      p.mcp = r.json_or("mcp", nullptr);
      p.provider_metadata = r.json_or("providerMetadata", nullptr);
      p.interrupt = r.json_or("interrupt", nullptr);
      if (r.has("approval")) p.approval = approval_from(r.object("approval"));
      p.parent_id = r.string_or("parentId", "");
      p.messages = r.json_or("messages", nullptr);
      return p;
    }
    case PartType::Source: {
      SourcePart p;
      const std::string st = r.string_or("sourceType", "url");
      p.id = r.string_or("id", "");
      if (st == "url") {
        p.source_type = SourceType::Url;
        p.url = r.string("url");
        if (r.has("title")) p.title = r.string("title");
      } else if (st == "document") {
        p.source_type = SourceType::Document;
        p.title = r.string("title");
        p.media_type = r.string("mediaType");
        p.filename = r.string_or("filename", "");
      } else {
        r.fail("sourceType", "expected \"url\" or \"document\"");
      }
      p.provider_metadata = r.json_or("providerMetadata", nullptr);
      p.parent_id = r.string_or("parentId", "");
      return p;
    }
    case PartType::Image: {
      ImagePart p;
      p.image = lenient ? (r.has("image") && r.json("image").is_string() ? r.string("image") : "")
                        : r.string("image");
      p.filename = r.string_or("filename", "");
      p.provider_metadata = r.json_or("providerMetadata", nullptr);
      return p;
    }
    case PartType::File: {
      FilePart p;
      p.data = r.string("data");
      p.mime_type = r.string("mimeType");
      p.filename = r.string_or("filename", "");
      p.source_type = r.string_or("sourceType", "");
      p.provider_metadata = r.json_or("providerMetadata", nullptr);
      p.parent_id = r.string_or("parentId", "");
      return p;
    }
    case PartType::Audio: {
      AudioPart p;
      Reader audio = r.object("audio");
      p.data = audio.string("data");
      p.format = audio.string("format");
      return p;
    }
    case PartType::Data: return DataPart{r.string("name"), r.json_or("data", nullptr)};
    case PartType::GenerativeUI: {
      GenerativeUIPart p;
      p.spec = r.json("spec");
      p.id = r.string_or("id", "");
      p.parent_id = r.string_or("parentId", "");
      return p;
    }
  }
  r.fail("type", "unknown part type");
}

MessageStatus status_from(const Reader& r) {
  MessageStatus s;
  s.type = status_type_from(r.string("type"), r.path("type"), r.kind());
  if (s.type == StatusType::Running) {
    s.reason = StatusReason::None;
  } else {
    s.reason = reason_from(r.string("reason"), r.path("reason"), r.kind());
    if (!reason_fits(s.type, s.reason)) {
      r.fail("reason", "\"" + std::string(to_string(s.reason)) +
                           "\" is not a reason for status \"" + std::string(to_string(s.type)) +
                           "\"");
    }
  }
  s.error = r.json_or("error", nullptr);
  return s;
}

Attachment attachment_from(const Reader& r, bool lenient) {
  Attachment a;
  a.id = lenient ? r.string_or("id", "") : r.string("id");
  a.type = r.string_or("type", "document");
  a.name = r.string("name");
  a.content_type = r.string_or("contentType", "");
  if (r.has("content")) {
    r.each("content",
           [&](const Reader& p) { a.content.push_back(part_from(p, Role::User, lenient)); });
  }
  a.status = AttachmentStatus{};
  return a;
}

MessageMetadata metadata_from(const Reader& r, Role role, bool* has_steps) {
  MessageMetadata md;
  Json custom = r.json_or("custom", nullptr);
  if (!custom.is_null() && !custom.is_object()) r.fail("custom", "expected an object");
  if (custom.is_object() && !custom.empty()) md.custom = std::move(custom);
  if (r.has("isOptimistic")) md.is_optimistic = r.boolean("isOptimistic");
  if (has_steps) *has_steps = r.has("steps");
  if (role != Role::Assistant) return md;
  AssistantMetadata a;
  a.unstable_state = r.json_or("unstable_state", nullptr);
  if (r.has("unstable_annotations"))
    r.each("unstable_annotations",
           [&](const Reader& x) { a.unstable_annotations.push_back(x.value()); });
  if (r.has("unstable_data"))
    r.each("unstable_data", [&](const Reader& x) { a.unstable_data.push_back(x.value()); });
  if (r.has("steps")) {
    r.each("steps", [&](const Reader& x) {
      ThreadStep step;
      step.message_id = x.string_or("messageId", "");
      if (x.has("usage")) {
        Reader u = x.object("usage");
        step.usage = ThreadStep::Usage{u.integer("inputTokens"), u.integer("outputTokens")};
      }
      a.steps.push_back(std::move(step));
    });
  }
  if (r.has("timing")) a.timing = r.json("timing");
  if (r.has("submittedFeedback")) {
    const std::string t = r.object("submittedFeedback").string("type");
    if (t == "positive") {
      md.submitted_feedback = FeedbackType::Positive;
    } else if (t == "negative") {
      md.submitted_feedback = FeedbackType::Negative;
    } else {
      r.fail("submittedFeedback", "expected type \"positive\" or \"negative\"");
    }
  }
  if (!(a == AssistantMetadata{})) md.assistant = std::move(a);
  return md;
}

}  // namespace detail

ThreadMessage message_from_json(const Json& j, const std::string& path) {
  Reader r(j, path, ErrorKind::InvalidJson);
  ThreadMessage m;
  m.id = r.string("id");
  m.role = role_from(r.string("role"), r.path("role"), ErrorKind::InvalidJson);
  m.created_at = parse_timestamp(r.string("createdAt"), r.path("createdAt"));
  r.each("content",
         [&](const Reader& p) { m.content.push_back(detail::part_from(p, m.role, false)); });
  if (m.role == Role::Assistant) {
    m.status =
        r.has("status") ? detail::status_from(r.object("status")) : MessageStatus::complete();
  } else if (r.has("status")) {
    r.fail("status", "only assistant messages have a status");
  }
  if (r.has("attachments")) {
    if (m.role != Role::User && !r.json("attachments").empty()) {
      r.fail("attachments", "only user messages have attachments");
    }
    r.each("attachments",
           [&](const Reader& a) { m.attachments.push_back(detail::attachment_from(a, false)); });
  }
  if (r.has("metadata")) m.metadata = detail::metadata_from(r.object("metadata"), m.role, nullptr);
  if (m.role == Role::System && (m.content.size() != 1 || !m.content[0].is<TextPart>())) {
    r.fail("content", "a system message has exactly one text part");
  }
  return m;
}

namespace {

// The fast reader of message_from_json_text. It reads the shape to_json writes for a message of
// text parts with no custom or assistant metadata and no attachments — nearly every stored
// message — and says "no" (nullopt) to anything else, valid or not, for message_from_json to
// read. For the documents it accepts it builds exactly what message_from_json builds: keys the
// full reader ignores are skipped, and a repeated key it reads is left to the full reader
// (which keeps the last), as is every value that is not the plain form.
class PlainMessageReader {
 public:
  explicit PlainMessageReader(std::string_view text) : s_(text) {}

  std::optional<ThreadMessage> read() {
    try {
      return read_message();
    } catch (const Error&) {
      return std::nullopt;  // e.g. a malformed time: the full reader reports it with its path
    }
  }

 private:
  enum Seen : unsigned {
    kId = 1u << 0,
    kRole = 1u << 1,
    kCreatedAt = 1u << 2,
    kContent = 1u << 3,
    kStatus = 1u << 4,
    kAttachments = 1u << 5,
    kMetadata = 1u << 6,
    // metadata
    kCustom = 1u << 7,
    kOptimistic = 1u << 8,
    kState = 1u << 9,
    kAnnotations = 1u << 10,
    kData = 1u << 11,
    kSteps = 1u << 12,
  };

  // Marks `bit` seen; false when it was seen already (a repeated key).
  bool once(unsigned& seen, unsigned bit) {
    if (seen & bit) return false;
    seen |= bit;
    return true;
  }

  // Reads `{ "key": value, ... }`, calling on_key(key) with the scanner at each value; on_key
  // returns false to give up.
  template <class F>
  bool object(F&& on_key) {
    if (!s_.eat('{')) return false;
    if (s_.eat('}')) return true;
    do {
      if (!s_.string(key_) || !s_.eat(':') || !on_key(std::string_view(key_))) return false;
    } while (s_.eat(','));
    return s_.eat('}');
  }

  bool empty_array() { return s_.eat('[') && s_.eat(']'); }
  bool empty_object() { return s_.eat('{') && s_.eat('}'); }

  bool boolean(bool& out) {
    if (s_.peek('t')) {
      out = true;
      return s_.skip_value();
    }
    if (s_.peek('f')) {
      out = false;
      return s_.skip_value();
    }
    return false;
  }

  // {"type": "text", "text": "..."} with nothing else the full reader would read.
  bool text_part(Content& content) {
    unsigned seen = 0;
    bool has_text = false;
    const bool ok = object([&](std::string_view key) {
      if (key == "type") {
        return once(seen, 1) && s_.string(value_) && value_ == "text";
      }
      if (key == "text") {
        has_text = once(seen, 2) && s_.string(text_);
        return has_text;
      }
      if (key == "status" || key == "providerMetadata" || key == "parentId") return false;
      return s_.skip_value();
    });
    if (!ok || seen != 3) return false;
    content.push_back(TextPart{Text(text_)});
    return true;
  }

  bool content(Content& out) {
    if (!s_.eat('[')) return false;
    if (s_.eat(']')) return true;
    do {
      if (!text_part(out)) return false;
    } while (s_.eat(','));
    return s_.eat(']');
  }

  // {"type": ..., "reason": ...} without an error.
  bool status(std::string& type, std::optional<std::string>& reason) {
    unsigned seen = 0;
    const bool ok = object([&](std::string_view key) {
      if (key == "type") return once(seen, 1) && s_.string(type);
      if (key == "reason") {
        if (!once(seen, 2)) return false;
        reason.emplace();
        return s_.string(*reason);
      }
      if (key == "error") return false;
      return s_.skip_value();
    });
    return ok && (seen & 1);
  }

  // The metadata to_json writes for a message without custom or assistant metadata: custom {},
  // and for an assistant null state and empty lists.
  bool metadata(unsigned& seen, bool& optimistic) {
    return object([&](std::string_view key) {
      if (key == "custom") return once(seen, kCustom) && empty_object();
      if (key == "isOptimistic") return once(seen, kOptimistic) && boolean(optimistic);
      if (key == "unstable_state") return once(seen, kState) && s_.null();
      if (key == "unstable_annotations") return once(seen, kAnnotations) && empty_array();
      if (key == "unstable_data") return once(seen, kData) && empty_array();
      if (key == "steps") return once(seen, kSteps) && empty_array();
      if (key == "timing" || key == "submittedFeedback") return false;
      return s_.skip_value();
    });
  }

  std::optional<ThreadMessage> read_message() {
    static const std::string no_path;
    ThreadMessage m;
    unsigned seen = 0;
    bool optimistic = false;
    std::string status_type;
    std::optional<std::string> status_reason;
    const bool ok = object([&](std::string_view key) {
      if (key == "id") return once(seen, kId) && s_.string(m.id);
      if (key == "role") {
        if (!once(seen, kRole) || !s_.string(value_)) return false;
        m.role = role_from(value_, no_path, ErrorKind::InvalidJson);
        return true;
      }
      if (key == "createdAt") {
        if (!once(seen, kCreatedAt) || !s_.string(value_)) return false;
        m.created_at = parse_timestamp(value_, no_path);
        return true;
      }
      if (key == "content") return once(seen, kContent) && content(m.content);
      if (key == "status") return once(seen, kStatus) && status(status_type, status_reason);
      if (key == "attachments") return once(seen, kAttachments) && empty_array();
      if (key == "metadata") return once(seen, kMetadata) && metadata(seen, optimistic);
      return s_.skip_value();
    });
    if (!ok || !s_.at_end()) return std::nullopt;
    const unsigned required = kId | kRole | kCreatedAt | kContent;
    if ((seen & required) != required) return std::nullopt;
    if (m.role == Role::Assistant) {
      if (seen & kStatus) {
        MessageStatus st;
        st.type = status_type_from(status_type, no_path, ErrorKind::InvalidJson);
        if (st.type == StatusType::Running) {
          st.reason = StatusReason::None;
        } else {
          if (!status_reason) return std::nullopt;
          st.reason = reason_from(*status_reason, no_path, ErrorKind::InvalidJson);
          if (!reason_fits(st.type, st.reason)) return std::nullopt;
        }
        m.status = std::move(st);
      } else {
        m.status = MessageStatus::complete();
      }
    } else if (seen & kStatus) {
      return std::nullopt;
    }
    m.metadata.is_optimistic = optimistic;
    if (m.role == Role::System && m.content.size() != 1) return std::nullopt;
    return m;
  }

  json_scan::JsonScanner s_;
  std::string key_;
  std::string value_;
  std::string text_;
};

}  // namespace

ThreadMessage message_from_json_text(std::string_view text, const std::string& path) {
  if (auto m = PlainMessageReader(text).read()) return std::move(*m);
  return message_from_json(parse_json(text, path), path);
}

ContentPart part_from_json(const Json& j, Role role, const std::string& path) {
  return detail::part_from(Reader(j, path, ErrorKind::InvalidJson), role, false);
}

MessageStatus status_from_json(const Json& j, const std::string& path) {
  return detail::status_from(Reader(j, path, ErrorKind::InvalidJson));
}

Attachment attachment_from_json(const Json& j, const std::string& path) {
  return detail::attachment_from(Reader(j, path, ErrorKind::InvalidJson), false);
}

RunConfig run_config_from_json(const Json& j, const std::string& path) {
  Reader r(j, path, ErrorKind::InvalidJson);
  RunConfig c;
  c.custom = r.json_or("custom", nullptr);
  if (!c.custom.is_null() && !c.custom.is_object()) r.fail("custom", "expected an object");
  return c;
}

ExportedMessageRepository repository_from_json(const Json& j) {
  Reader r(j, "", ErrorKind::InvalidJson);
  ExportedMessageRepository repo;
  if (r.has("headId") && !r.json("headId").is_null()) repo.head_id = r.string("headId");
  r.each("messages", [&](const Reader& item) {
    ExportedMessageRepositoryItem out;
    out.message = std::make_shared<const ThreadMessage>(
        message_from_json(item.json("message"), item.path("message")));
    if (item.has("parentId") && !item.json("parentId").is_null())
      out.parent_id = item.string("parentId");
    if (item.has("runConfig"))
      out.run_config = run_config_from_json(item.json("runConfig"), item.path("runConfig"));
    repo.messages.push_back(std::move(out));
  });
  return repo;
}

}  // namespace aui
