// The data model as an assistant-ui JSON document (spec §2, §3.9). to_json_text in
// message_json_text_writer.cpp writes the same JSON as text without building a document.

#include "aui/model/message_json.hpp"
#include "aui/tree/message_repository.hpp"
#include "model/message_json_internal.hpp"

namespace aui {

namespace {

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

}  // namespace aui
