// Normalising message-like input (spec §2.9) and the lenient parse of partial JSON.

#include "aui/model/message_like.hpp"

#include <algorithm>
#include <cctype>

#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"
#include "model/json_reader.hpp"
#include "model/message_json_internal.hpp"

namespace aui {

ThreadMessageLike ThreadMessageLike::text(Role role, std::string text) {
  ThreadMessageLike m;
  m.role = role;
  m.content.emplace_back(TextPart{Text(text)});
  return m;
}

ThreadMessageLike message_like_from_json(const Json& j, const std::string& path) {
  detail::Reader r(j, path, ErrorKind::InvalidMessage);
  ThreadMessageLike m;
  const std::string role = r.string("role");
  if (role == "user") {
    m.role = Role::User;
  } else if (role == "assistant") {
    m.role = Role::Assistant;
  } else if (role == "system") {
    m.role = Role::System;
  } else {
    r.fail("role", "unknown role \"" + role + "\"");
  }
  const Json& content = r.json("content");
  if (content.is_string()) {
    m.content.emplace_back(TextPart{Text(content.get<std::string>())});
  } else {
    // A part the role does not allow fails here, naming its path.
    r.each("content", [&](const detail::Reader& p) {
      m.content.push_back(detail::part_from(p, m.role, true));
    });
  }
  if (r.has("id")) m.id = r.string("id");
  if (r.has("createdAt"))
    m.created_at = parse_timestamp(r.string("createdAt"), r.path("createdAt"));
  if (r.has("status")) m.status = detail::status_from(r.object("status"));
  if (r.has("attachments")) {
    std::vector<Attachment> attachments;
    r.each("attachments", [&](const detail::Reader& a) {
      attachments.push_back(detail::attachment_from(a, true));
    });
    m.attachments = std::move(attachments);
  }
  if (r.has("metadata"))
    m.metadata = detail::metadata_from(r.object("metadata"), m.role, &m.has_steps);
  return m;
}

namespace {

bool blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

/// data:image/<subtype>[;params];base64,<payload> | https://... | blob:...
bool valid_image_url(std::string_view url) {
  if (starts_with_ci(url, "https://") || starts_with_ci(url, "blob:")) return true;
  if (!starts_with_ci(url, "data:")) return false;
  const auto comma = url.find(',');
  if (comma == std::string_view::npos) return false;
  const std::string_view header = url.substr(5, comma - 5);
  if (!starts_with_ci(header, "image/")) return false;
  // The last parameter must be base64.
  const auto semi = header.rfind(';');
  if (semi == std::string_view::npos) return false;
  std::string last(header.substr(semi + 1));
  std::transform(last.begin(), last.end(), last.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return last == "base64";
}

[[noreturn]] void invalid(const std::string& why) { throw Error(ErrorKind::InvalidMessage, why); }

// An empty custom map is kept as null: no allocation for the common case.
Json compact_custom(Json custom) {
  return custom.is_object() && !custom.empty() ? std::move(custom) : Json();
}

}  // namespace

ThreadMessage normalize_message(ThreadMessageLike like, const Id& fallback_id,
                                const MessageStatus& fallback_status) {
  if (like.attachments && !like.attachments->empty() && like.role != Role::User) {
    invalid("only user messages can have attachments");
  }
  if (like.status && like.role != Role::Assistant) invalid("only assistant messages have a status");
  if (like.has_steps && like.role != Role::Assistant)
    invalid("only assistant messages have metadata.steps");
  if (like.role != Role::Assistant && like.metadata.assistant &&
      !like.metadata.assistant->steps.empty()) {
    invalid("only assistant messages have metadata.steps");
  }
  for (const auto& part : like.content) {
    if (!part_allowed(like.role, part.type())) {
      invalid("a " + std::string(to_string(like.role)) + " message cannot hold a \"" +
              std::string(to_string(part.type())) + "\" part");
    }
  }
  if (like.role == Role::System && (like.content.size() != 1 || !like.content[0].is<TextPart>())) {
    invalid("a system message has exactly one text part");
  }

  ThreadMessage m;
  m.id = like.id ? *like.id : fallback_id;
  m.created_at = like.created_at ? *like.created_at : now_timestamp();
  m.role = like.role;

  if (like.role == Role::Assistant) {
    m.content.reserve(like.content.size());
    for (auto& part : like.content) {
      if (const auto* t = part.get_if<TextPart>()) {
        if (blank(t->text.view())) continue;
      } else if (const auto* r = part.get_if<ReasoningPart>()) {
        if (blank(r->text.view()) && (!r->unstable_summary || blank(*r->unstable_summary)))
          continue;
      } else if (const auto* img = part.get_if<ImagePart>()) {
        if (!valid_image_url(img->image)) continue;
      } else if (const auto* call = part.get_if<ToolCallPart>()) {
        const bool args_absent =
            call->args.is_null() || (call->args.empty() && !call->args_text.empty());
        if (call->tool_call_id.empty() || args_absent ||
            (call->args_text.empty() && !call->args.empty())) {
          auto& edit = part.edit<ToolCallPart>();
          if (edit.tool_call_id.empty()) edit.tool_call_id = "tool-" + generate_id();
          if (args_absent) {
            edit.args = parse_partial_json(edit.args_text.view());
            if (!edit.args.is_object()) edit.args = Json::object();
          } else if (edit.args_text.empty()) {
            edit.args_text = Text(edit.args.dump());
          }
        }
      }
      m.content.push_back(std::move(part));
    }
    m.status = like.status ? *like.status : fallback_status;
    m.metadata.custom = compact_custom(std::move(like.metadata.custom));
    m.metadata.is_optimistic = like.metadata.is_optimistic;
    m.metadata.submitted_feedback = like.metadata.submitted_feedback;
    m.metadata.assistant = std::move(like.metadata.assistant);
  } else {
    m.content = std::move(like.content);
    m.status = MessageStatus::complete();
    m.metadata.custom = compact_custom(std::move(like.metadata.custom));
    if (like.role == Role::User) {
      m.metadata.is_optimistic = like.metadata.is_optimistic;
      if (like.attachments) m.attachments = std::move(*like.attachments);
    }
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// parse_partial_json: one pass records, for every position where the text could be cut, what
// closes it; then one parse of the repaired prefix.

Json parse_partial_json(std::string_view text) {
  if (text.empty()) return Json::object();
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::exception&) {
  }
  // Walk once. `cut` is the longest prefix ending at a value boundary, `closers` what closes it.
  std::string stack;  // '{' or '['
  bool in_string = false;
  bool escape = false;
  bool expecting_key = false;  // inside an object, before a key
  std::size_t cut = 0;
  std::string cut_closers;
  auto closers = [&] {
    std::string c;
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) c += (*it == '{') ? '}' : ']';
    return c;
  };
  // A prefix may end after a complete value inside a container (then we drop a dangling ',').
  auto mark = [&](std::size_t end) {
    cut = end;
    cut_closers = closers();
  };
  std::size_t i = 0;
  std::size_t string_start = 0;
  bool string_is_key = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escape) {
        escape = false;
      } else if (c == '\\') {
        escape = true;
      } else if (c == '"') {
        in_string = false;
        if (!string_is_key) mark(i + 1);
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        string_start = i;
        string_is_key = !stack.empty() && stack.back() == '{' && expecting_key;
        break;
      case '{':
        stack.push_back('{');
        expecting_key = true;
        mark(i + 1);
        break;
      case '[':
        stack.push_back('[');
        expecting_key = false;
        mark(i + 1);
        break;
      case '}':
      case ']':
        if (!stack.empty()) stack.pop_back();
        expecting_key = false;
        mark(i + 1);
        break;
      case ',': expecting_key = !stack.empty() && stack.back() == '{'; break;
      case ':': expecting_key = false; break;
      default:
        // Numbers and keywords: a complete one ends where the next structural char starts.
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.') {
          std::size_t j = i;
          while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) ||
                                     text[j] == '-' || text[j] == '+' || text[j] == '.')) {
            ++j;
          }
          const std::string_view token = text.substr(i, j - i);
          const bool keyword_ok = token == "true" || token == "false" || token == "null";
          const bool number_ok =
              !keyword_ok && (std::isdigit(static_cast<unsigned char>(token.back())) != 0);
          if ((keyword_ok || number_ok) && j < text.size()) mark(j);
          i = j - 1;
        }
        break;
    }
  }
  // An unterminated string value can be closed as it is (minus a dangling escape).
  std::string candidate;
  if (in_string && !string_is_key) {
    std::string_view body = text.substr(0, i);
    if (escape) body.remove_suffix(1);
    // Do not cut inside a \uXXXX escape.
    const auto u = body.rfind("\\u");
    if (u != std::string_view::npos && u > string_start && body.size() - u < 6)
      body = body.substr(0, u);
    candidate = std::string(body) + "\"" + closers();
    try {
      Json j = Json::parse(candidate);
      return j.is_object() ? j : Json::object();
    } catch (const Json::exception&) {
    }
  }
  if (cut == 0) return Json::object();
  std::string prefix(text.substr(0, cut));
  // Drop a trailing comma or a key without a value left at the cut.
  candidate = prefix + cut_closers;
  try {
    Json j = Json::parse(candidate);
    return j.is_object() ? j : Json::object();
  } catch (const Json::exception&) {
  }
  // A value after "key": was cut: remove the dangling `"key":` or `,`.
  while (!prefix.empty()) {
    const auto pos = prefix.find_last_of(",{[");
    if (pos == std::string::npos) break;
    if (prefix[pos] == ',') {
      prefix.resize(pos);
    } else {
      prefix.resize(pos + 1);
    }
    std::string closing;
    std::string st;
    bool s_in = false;
    bool s_esc = false;
    for (char c : prefix) {
      if (s_in) {
        if (s_esc) {
          s_esc = false;
        } else if (c == '\\') {
          s_esc = true;
        } else if (c == '"') {
          s_in = false;
        }
        continue;
      }
      if (c == '"') s_in = true;
      if (c == '{' || c == '[') st.push_back(c);
      if ((c == '}' || c == ']') && !st.empty()) st.pop_back();
    }
    for (auto it = st.rbegin(); it != st.rend(); ++it) closing += (*it == '{') ? '}' : ']';
    try {
      Json j = Json::parse(prefix + closing);
      return j.is_object() ? j : Json::object();
    } catch (const Json::exception&) {
    }
    if (prefix[pos] != ',') break;
  }
  return Json::object();
}

}  // namespace aui
