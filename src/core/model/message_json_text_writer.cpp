// to_json_text: the data model written as assistant-ui JSON text without building a document.
//
// The text is byte for byte what to_json(x).dump() gives (tests/core/model/message_json_text_
// writer_test.cpp compares them): compact, keys in the order nlohmann's std::map keeps them
// (byte order, so every object below writes its keys sorted by hand), strings escaped as nlohmann
// escapes them (the short escapes, other control characters as \u00xx, everything else as is),
// and the Json values the model holds (tool arguments, results, metadata) dumped by nlohmann.
// Building a document per message cost ~2 µs of allocation per message; this writes a 4,000
// message thread in well under a millisecond.

#include <charconv>
#include <cstdint>

#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"
#include "aui/tree/message_repository.hpp"
#include "model/message_json_internal.hpp"
#include "support/json_scan.hpp"

namespace aui {

namespace {

// A string that is not valid UTF-8; caught where the path of the message is known.
struct InvalidUtf8 {
  std::string detail;
};

[[noreturn]] void invalid_utf8(std::size_t index, unsigned char byte) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string detail = "byte 0x";
  detail += kHex[byte >> 4];
  detail += kHex[byte & 0xF];
  detail += " at index " + std::to_string(index) + " of a string";
  throw InvalidUtf8{std::move(detail)};
}

using json_scan::plain_run_end;
using json_scan::utf8_length;

// Appends `s` as a JSON string (quoted and escaped); throws InvalidUtf8.
void put_string(std::string& out, std::string_view sv) {
  const auto* s = reinterpret_cast<const unsigned char*>(sv.data());
  const std::size_t n = sv.size();
  out.push_back('"');
  std::size_t i = 0;
  for (;;) {
    const std::size_t start = i;
    i = plain_run_end(sv.data(), i, n);  // up to the next byte that needs a look
    out.append(sv.data() + start, i - start);
    if (i >= n) break;
    const unsigned char c = s[i];
    if (c >= 0x80) {
      const std::size_t len = utf8_length(s, i, n);
      if (len == 0) invalid_utf8(i, c);
      out.append(sv.data() + i, len);
      i += len;
      continue;
    }
    ++i;
    switch (c) {
      case '"': out.append("\\\"", 2); break;
      case '\\': out.append("\\\\", 2); break;
      case '\b': out.append("\\b", 2); break;
      case '\t': out.append("\\t", 2); break;
      case '\n': out.append("\\n", 2); break;
      case '\f': out.append("\\f", 2); break;
      case '\r': out.append("\\r", 2); break;
      default: {
        static const char* const kHex = "0123456789abcdef";  // nlohmann writes \u00xx lower case
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(esc, 6);
      }
    }
  }
  out.push_back('"');
}

// Appends a value the model holds as JSON, as nlohmann writes it.
void put_json(std::string& out, const Json& j) {
  if (j.is_null()) {
    out.append("null", 4);
  } else if (j.is_string()) {
    put_string(out, j.get_ref<const std::string&>());
  } else {
    try {
      out += j.dump();
    } catch (const Json::type_error& e) {
      throw InvalidUtf8{e.what()};
    }
  }
}

void put_int(std::string& out, std::int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<std::size_t>(r.ptr - buf));
}

void put_bool(std::string& out, bool v) { v ? out.append("true", 4) : out.append("false", 5); }

// One object being written: key() puts the comma between members. Keys are passed as written
// (quoted, with the colon), in byte order.
class Object {
 public:
  explicit Object(std::string& out) : out_(out) { out_.push_back('{'); }
  ~Object() = default;
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  std::string& key(std::string_view quoted_key_colon) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.append(quoted_key_colon);
    return out_;
  }
  void string(std::string_view k, std::string_view v) { put_string(key(k), v); }
  void string_if(std::string_view k, std::string_view v) {
    if (!v.empty()) string(k, v);
  }
  void json(std::string_view k, const Json& v) { put_json(key(k), v); }
  void json_if(std::string_view k, const Json& v) {
    if (!v.is_null()) json(k, v);
  }
  void close() { out_.push_back('}'); }

 private:
  std::string& out_;
  bool first_ = true;
};

void put_part_status(std::string& out, const PartStatus& s) {
  Object o(out);
  if (s.type == StatusType::Incomplete) o.string(R"("reason":)", to_string(s.reason));
  o.string(R"("type":)", to_string(s.type));
  o.close();
}

void put_status(std::string& out, const MessageStatus& s) {
  Object o(out);
  o.json_if(R"("error":)", s.error);
  if (s.type != StatusType::Running) o.string(R"("reason":)", to_string(s.reason));
  o.string(R"("type":)", to_string(s.type));
  o.close();
}

void put_approval(std::string& out, const Approval& a) {
  Object o(out);
  if (a.approved) put_bool(o.key(R"("approved":)"), *a.approved);
  o.string(R"("id":)", a.id);
  if (a.is_automatic) put_bool(o.key(R"("isAutomatic":)"), *a.is_automatic);
  if (a.option_id) o.string(R"("optionId":)", *a.option_id);
  if (a.options) {
    std::string& arr = o.key(R"("options":)");
    arr.push_back('[');
    bool first = true;
    for (const auto& opt : *a.options) {
      if (!first) arr.push_back(',');
      first = false;
      Object oo(arr);
      if (opt.confirm) oo.json(R"("confirm":)", *opt.confirm);
      oo.string_if(R"("description":)", opt.description);
      if (opt.grants) {
        std::string& g = oo.key(R"("grants":)");
        g.push_back('[');
        for (std::size_t i = 0; i < opt.grants->size(); ++i) {
          if (i) g.push_back(',');
          put_string(g, (*opt.grants)[i]);
        }
        g.push_back(']');
      }
      oo.string(R"("id":)", opt.id);
      oo.string(R"("kind":)", opt.kind);
      oo.string_if(R"("label":)", opt.label);
      oo.close();
    }
    arr.push_back(']');
  }
  if (a.reason) o.string(R"("reason":)", *a.reason);
  if (a.resolution) {
    o.string(R"("resolution":)",
             *a.resolution == ApprovalResolution::Cancelled ? "cancelled" : "expired");
  }
  o.close();
}

void put_part(std::string& out, const ContentPart& part) {
  part.visit([&](const auto& p) {
    using T = std::decay_t<decltype(p)>;
    Object o(out);
    if constexpr (std::is_same_v<T, TextPart>) {
      o.string_if(R"("parentId":)", p.parent_id.get());
      o.json_if(R"("providerMetadata":)", p.provider_metadata);
      if (p.status) put_part_status(o.key(R"("status":)"), *p.status);
      o.string(R"("text":)", p.text.view());
      o.string(R"("type":)", "text");
    } else if constexpr (std::is_same_v<T, ReasoningPart>) {
      o.string_if(R"("parentId":)", p.parent_id.get());
      o.json_if(R"("providerMetadata":)", p.provider_metadata);
      if (p.status) put_part_status(o.key(R"("status":)"), *p.status);
      o.string(R"("text":)", p.text.view());
      o.string(R"("type":)", "reasoning");
      if (p.unstable_summary) o.string(R"("unstable_summary":)", *p.unstable_summary);
    } else if constexpr (std::is_same_v<T, ToolCallPart>) {
      if (p.approval) put_approval(o.key(R"("approval":)"), *p.approval);
      o.json(R"("args":)", p.args);
      o.string(R"("argsText":)", p.args_text.view());
      if (p.artifact) o.json(R"("artifact":)", *p.artifact);
      o.json_if(R"("interrupt":)", p.interrupt);
      if (p.is_error) put_bool(o.key(R"("isError":)"), *p.is_error);
      o.json_if(R"("mcp":)", p.mcp);
      o.json_if(R"("messages":)", p.messages);
      o.json_if(R"("modelContent":)", p.model_content);
      o.string_if(R"("parentId":)", p.parent_id.get());
      o.json_if(R"("providerMetadata":)", p.provider_metadata);
      if (p.result) o.json(R"("result":)", *p.result);
      if (p.timing) o.json(R"("timing":)", *p.timing);
      o.string(R"("toolCallId":)", p.tool_call_id);
      o.string(R"("toolName":)", p.tool_name);
      o.string(R"("type":)", "tool-call");
    } else if constexpr (std::is_same_v<T, SourcePart>) {
      const bool url = p.source_type == SourceType::Url;
      if (!url) o.string_if(R"("filename":)", p.filename);
      o.string(R"("id":)", p.id);
      if (!url) o.string(R"("mediaType":)", p.media_type);
      o.string_if(R"("parentId":)", p.parent_id.get());
      o.json_if(R"("providerMetadata":)", p.provider_metadata);
      o.string(R"("sourceType":)", url ? "url" : "document");
      if (url) {
        if (p.title) o.string(R"("title":)", *p.title);
      } else {
        o.string(R"("title":)", p.title ? std::string_view(*p.title) : std::string_view());
      }
      o.string(R"("type":)", "source");
      if (url) o.string(R"("url":)", p.url);
    } else if constexpr (std::is_same_v<T, ImagePart>) {
      o.string_if(R"("filename":)", p.filename);
      o.string(R"("image":)", p.image);
      o.json_if(R"("providerMetadata":)", p.provider_metadata);
      o.string(R"("type":)", "image");
    } else if constexpr (std::is_same_v<T, FilePart>) {
      o.string(R"("data":)", p.data);
      o.string_if(R"("filename":)", p.filename);
      o.string(R"("mimeType":)", p.mime_type);
      o.string_if(R"("parentId":)", p.parent_id.get());
      o.json_if(R"("providerMetadata":)", p.provider_metadata);
      o.string_if(R"("sourceType":)", p.source_type);
      o.string(R"("type":)", "file");
    } else if constexpr (std::is_same_v<T, AudioPart>) {
      {
        Object audio(o.key(R"("audio":)"));
        audio.string(R"("data":)", p.data);
        audio.string(R"("format":)", p.format);
        audio.close();
      }
      o.string(R"("type":)", "audio");
    } else if constexpr (std::is_same_v<T, DataPart>) {
      o.json(R"("data":)", p.data);
      o.string(R"("name":)", p.name);
      o.string(R"("type":)", "data");
    } else {
      o.string_if(R"("id":)", p.id);
      o.string_if(R"("parentId":)", p.parent_id.get());
      o.json(R"("spec":)", p.spec);
      o.string(R"("type":)", "generative-ui");
    }
    o.close();
  });
}

void put_content(std::string& out, const Content& content) {
  out.push_back('[');
  bool first = true;
  for (const auto& part : content) {
    if (!first) out.push_back(',');
    first = false;
    // The common part — text and nothing else — in two appends around its text, rather than a
    // key and a comma at a time (what most of a long export is made of).
    const auto* t = part.get_if<TextPart>();
    if (t && t->parent_id.get().empty() && t->provider_metadata.get().is_null() && !t->status) {
      out.append(R"({"text":)");
      put_string(out, t->text.view());
      out.append(R"(,"type":"text"})");
      continue;
    }
    put_part(out, part);
  }
  out.push_back(']');
}

void put_attachment(std::string& out, const Attachment& a) {
  Object o(out);
  put_content(o.key(R"("content":)"), a.content);
  o.string_if(R"("contentType":)", a.content_type);
  o.string(R"("id":)", a.id);
  o.string(R"("name":)", a.name);
  o.key(R"("status":)").append(R"({"type":"complete"})");
  o.string(R"("type":)", a.type);
  o.close();
}

void put_json_list(std::string& out, const std::vector<Json>& list) {
  out.push_back('[');
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out.push_back(',');
    put_json(out, list[i]);
  }
  out.push_back(']');
}

void put_metadata(std::string& out, const ThreadMessage& m) {
  const Json& custom = m.metadata.custom;
  // The common metadata, nothing but defaults, in one append.
  if (!custom.is_object() && !m.metadata.is_optimistic) {
    if (m.role != Role::Assistant) {
      out.append(R"({"custom":{}})");
      return;
    }
    const auto& a = m.metadata.assistant_or_default();
    if (a.steps.empty() && !m.metadata.submitted_feedback && !a.timing &&
        a.unstable_annotations.empty() && a.unstable_data.empty() && a.unstable_state.is_null()) {
      out.append(R"({"custom":{},"steps":[],"unstable_annotations":[],"unstable_data":[],)"
                 R"("unstable_state":null})");
      return;
    }
  }
  Object o(out);
  if (custom.is_object()) {
    o.json(R"("custom":)", custom);
  } else {
    o.key(R"("custom":)").append("{}", 2);
  }
  if (m.metadata.is_optimistic && m.role != Role::System) o.key(R"("isOptimistic":)") += "true";
  if (m.role == Role::Assistant) {
    const auto& a = m.metadata.assistant_or_default();
    std::string& steps = o.key(R"("steps":)");
    steps.push_back('[');
    for (std::size_t i = 0; i < a.steps.size(); ++i) {
      if (i) steps.push_back(',');
      const auto& s = a.steps[i];
      Object so(steps);
      so.string_if(R"("messageId":)", s.message_id);
      if (s.usage) {
        std::string& u = so.key(R"("usage":{"inputTokens":)");
        put_int(u, s.usage->input_tokens);
        u.append(R"(,"outputTokens":)");
        put_int(u, s.usage->output_tokens);
        u.push_back('}');
      }
      so.close();
    }
    steps.push_back(']');
    if (m.metadata.submitted_feedback) {
      o.key(R"("submittedFeedback":)")
          .append(*m.metadata.submitted_feedback == FeedbackType::Positive
                      ? R"({"type":"positive"})"
                      : R"({"type":"negative"})");
    }
    if (a.timing) o.json(R"("timing":)", *a.timing);
    put_json_list(o.key(R"("unstable_annotations":)"), a.unstable_annotations);
    put_json_list(o.key(R"("unstable_data":)"), a.unstable_data);
    put_json(o.key(R"("unstable_state":)"), a.unstable_state);
  }
  o.close();
}

void put_message(std::string& out, const ThreadMessage& m) {
  Object o(out);
  if (m.role == Role::User && m.attachments.empty()) {
    put_content(o.key(R"("attachments":[],"content":)"), m.content);  // two keys in one append
  } else {
    if (m.role == Role::User) {
      std::string& list = o.key(R"("attachments":)");
      list.push_back('[');
      bool first = true;
      for (const auto& a : m.attachments) {
        if (!first) list.push_back(',');
        first = false;
        put_attachment(list, a);
      }
      list.push_back(']');
    }
    put_content(o.key(R"("content":)"), m.content);
  }
  std::string& at = o.key(R"("createdAt":")");
  detail::append_timestamp(at, m.created_at);
  at.push_back('"');
  o.string(R"("id":)", m.id);
  put_metadata(o.key(R"("metadata":)"), m);
  o.string(R"("role":)", to_string(m.role));
  if (m.role == Role::Assistant) put_status(o.key(R"("status":)"), m.status);
  o.close();
}

// Puts the message; a string that is not valid UTF-8 becomes an Error naming `path`.
void put_message_at(std::string& out, const ThreadMessage& m, const std::string& path) {
  try {
    put_message(out, m);
  } catch (const InvalidUtf8& e) {
    throw Error(ErrorKind::InvalidMessage, path +
                                               ": cannot be written as JSON because it holds "
                                               "text that is not valid UTF-8 (" +
                                               e.detail + ")");
  }
}

// About how long the message's JSON is: what the first reserve() of a long export needs.
std::size_t size_hint(const ThreadMessage& m) {
  std::size_t n = 160 + m.id.size();
  if (m.role == Role::Assistant) n += 110;
  for (const auto& part : m.content) {
    n += 40;
    if (const auto* t = part.get_if<TextPart>()) n += t->text.size() + t->text.size() / 8;
  }
  return n;
}

}  // namespace

std::string to_json_text(const ThreadMessage& message) {
  std::string out;
  out.reserve(size_hint(message));
  put_message_at(out, message, "message");
  return out;
}

std::string to_json_text(const ExportedMessageRepository& repo) {
  std::size_t hint = 64;
  for (const auto& item : repo.messages) hint += size_hint(*item.message) + 40;
  std::string out;
  out.reserve(hint);
  Object o(out);
  if (repo.head_id) {
    try {
      o.string(R"("headId":)", *repo.head_id);
    } catch (const InvalidUtf8& e) {
      throw Error(
          ErrorKind::InvalidMessage,
          "headId: cannot be written as JSON because it is not valid UTF-8 (" + e.detail + ")");
    }
  } else {
    o.key(R"("headId":)").append("null", 4);
  }
  std::string& list = o.key(R"("messages":)");
  list.push_back('[');
  std::string path;
  for (std::size_t i = 0; i < repo.messages.size(); ++i) {
    const auto& item = repo.messages[i];
    if (i) list.push_back(',');
    list.append(R"({"message":)");
    try {
      put_message(list, *item.message);
      list.append(R"(,"parentId":)");
      if (item.parent_id) {
        put_string(list, *item.parent_id);
      } else {
        list.append("null", 4);
      }
      if (item.run_config) {
        list.append(R"(,"runConfig":)");
        const Json& custom = item.run_config->custom;
        if (custom.is_null()) {
          list.append("{}", 2);
        } else {
          list.append(R"({"custom":)");
          put_json(list, custom);
          list.push_back('}');
        }
      }
    } catch (const InvalidUtf8& e) {
      throw Error(ErrorKind::InvalidMessage,
                  "messages[" + std::to_string(i) +
                      "]: cannot be written as JSON because it holds text that is not valid "
                      "UTF-8 (" +
                      e.detail + ")");
    }
    list.push_back('}');
  }
  list.push_back(']');
  o.close();
  return out;
}

}  // namespace aui
