// Reading the data model from a JSON document (spec §2, §3.9): strict, all-or-nothing, and
// every error names the path of the offending field. message_json_text_reader.cpp reads the
// common stored shape straight from text and hands everything else to this reader.

#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"
#include "aui/tree/message_repository.hpp"
#include "model/json_reader.hpp"
#include "model/message_json_internal.hpp"

namespace aui {

using detail::Reader;
using detail::role_from;

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
