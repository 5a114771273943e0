// message_from_json_text and repository_from_json_text: stored messages and exported threads
// read straight from their JSON text when they have the common shape, without building a
// document; anything else goes to the document reader (message_json_reader.cpp), so the outcome
// — the result, or the error and its path — is always what the document reader gives.

#include "aui/model/message_json.hpp"
#include "aui/support/errors.hpp"
#include "aui/tree/message_repository.hpp"
#include "model/message_json_internal.hpp"
#include "support/json_scan.hpp"

namespace aui {

using detail::reason_fits;
using detail::reason_from;
using detail::role_from;
using detail::status_type_from;

namespace {

// What both fast readers share: the scanner, objects read key by key, keys read once, strings
// read as views of the text.
class TextReader {
 protected:
  explicit TextReader(json_scan::JsonScanner& s) : s_(s) {}

  // Reads `{ "key": value, ... }`, calling on_key(key) with the scanner at each value; on_key
  // returns false to give up.
  template <class F>
  bool object(F&& on_key) {
    if (!s_.eat('{')) return false;
    if (s_.eat('}')) return true;
    std::string_view key;
    do {
      if (!s_.string(key, key_buf_) || !s_.eat(':') || !on_key(key)) return false;
    } while (s_.eat(','));
    return s_.eat('}');
  }

  // Marks `bit` seen; false when it was seen already (a repeated key, which the fast readers
  // leave to the document reader: it keeps the last).
  static bool once(unsigned& seen, unsigned bit) {
    if (seen & bit) return false;
    seen |= bit;
    return true;
  }

  // A string value, viewed (valid until the next value read).
  bool string(std::string_view& out) { return s_.string(out, value_buf_); }

  json_scan::JsonScanner& s_;

 private:
  std::string key_buf_;    // a key with escapes, unescaped
  std::string value_buf_;  // a value with escapes, unescaped
};

// The fast reader of message_from_json_text. It reads the shape to_json writes for a message of
// text parts with no custom or assistant metadata and no attachments — nearly every stored
// message — and says "no" (nullopt) to anything else, valid or not, for message_from_json to
// read. For the documents it accepts it builds exactly what message_from_json builds: keys the
// full reader ignores are skipped, and a repeated key it reads is left to the full reader
// (which keeps the last), as is every value that is not the plain form.
class PlainMessageReader : TextReader {
 public:
  explicit PlainMessageReader(json_scan::JsonScanner& s) : TextReader(s) {}

  /// Reads one message object at the scanner's position; nullopt when it is not the plain form
  /// (the scanner is then somewhere inside it).
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
    std::string_view type;
    Text text;
    const bool ok = object([&](std::string_view key) {
      if (key == "type") return once(seen, 1) && string(type) && type == "text";
      if (key == "text") {
        // Made a Text at once: a later string value may reuse the buffer the view points into.
        std::string_view view;
        if (!once(seen, 2) || !string(view)) return false;
        text = Text(view);
        return true;
      }
      if (key == "status" || key == "providerMetadata" || key == "parentId") return false;
      return s_.skip_value();
    });
    if (!ok || seen != 3) return false;
    content.push_back(TextPart{std::move(text)});
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
      std::string_view value;
      if (key == "type") {
        if (!once(seen, 1) || !string(value)) return false;
        type.assign(value);
        return true;
      }
      if (key == "reason") {
        if (!once(seen, 2) || !string(value)) return false;
        reason.emplace(value);
        return true;
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
      std::string_view value;
      if (key == "role") {
        if (!once(seen, kRole) || !string(value)) return false;
        m.role = role_from(value, no_path, ErrorKind::InvalidJson);
        return true;
      }
      if (key == "createdAt") {
        if (!once(seen, kCreatedAt) || !string(value)) return false;
        m.created_at = parse_timestamp(value, no_path);
        return true;
      }
      if (key == "content") return once(seen, kContent) && content(m.content);
      if (key == "status") return once(seen, kStatus) && status(status_type, status_reason);
      if (key == "attachments") return once(seen, kAttachments) && empty_array();
      if (key == "metadata") return once(seen, kMetadata) && metadata(seen, optimistic);
      return s_.skip_value();
    });
    if (!ok) return std::nullopt;
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
};

// The fast reader of repository_from_json_text. It reads the outer shape — {"headId": ...,
// "messages": [{"message": ..., "parentId": ..., "runConfig": ...}, ...]} — from the text, each
// message with PlainMessageReader or, when that says no, with the document reader from a
// document of just that message (and a runConfig other than {} the same way). It says no
// (nullopt) to an outer shape it does not read, as PlainMessageReader does; an Error from the
// document reader also goes back to the caller, which then reads the whole text as a document:
// that reader checks the fields in its own order, so its first error is the one to report.
class RepositoryReader : TextReader {
 public:
  RepositoryReader(std::string_view text, json_scan::JsonScanner& s)
      : TextReader(s), text_(text), plain_(s) {}

  std::optional<ExportedMessageRepository> read() {
    ExportedMessageRepository repo;
    unsigned seen = 0;
    const bool ok = object([&](std::string_view key) {
      if (key == "headId") return once(seen, 1) && optional_string(repo.head_id);
      if (key == "messages") return once(seen, 2) && messages(repo.messages);
      return s_.skip_value();
    });
    if (!ok || !(seen & 2) || !s_.at_end()) return std::nullopt;
    return repo;
  }

 private:
  // null, or a string.
  bool optional_string(std::optional<std::string>& out) {
    if (s_.null()) return true;
    std::string_view value;
    if (!string(value)) return false;
    out.emplace(value);
    return true;
  }

  bool messages(std::vector<ExportedMessageRepositoryItem>& out) {
    if (!s_.eat('[')) return false;
    if (s_.eat(']')) return true;
    do {
      const std::size_t index = out.size();
      if (!item(index, out.emplace_back())) return false;
    } while (s_.eat(','));
    return s_.eat(']');
  }

  bool item(std::size_t index, ExportedMessageRepositoryItem& item) {
    unsigned seen = 0;
    const bool ok = object([&](std::string_view key) {
      if (key == "message") return once(seen, 1) && message(index, item);
      if (key == "parentId") return once(seen, 2) && optional_string(item.parent_id);
      if (key == "runConfig") return once(seen, 4) && run_config(index, item);
      return s_.skip_value();
    });
    return ok && (seen & 1);
  }

  bool message(std::size_t index, ExportedMessageRepositoryItem& item) {
    const auto plain = [&] {
      auto m = plain_.read();
      if (m) item.message = std::make_shared<const ThreadMessage>(std::move(*m));
      return m.has_value();
    };
    const auto other = [&](const Json& j, const std::string& path) {
      item.message = std::make_shared<const ThreadMessage>(message_from_json(j, path));
    };
    return value(index, "message", plain, other);
  }

  bool run_config(std::size_t index, ExportedMessageRepositoryItem& item) {
    const auto empty = [&] {
      if (!s_.eat('{') || !s_.eat('}')) return false;
      item.run_config = RunConfig{};
      return true;
    };
    const auto other = [&](const Json& j, const std::string& path) {
      item.run_config = run_config_from_json(j, path);
    };
    return value(index, "runConfig", empty, other);
  }

  // The value of `field` of messages[index]: read by `fast` (false: not the form it reads), or
  // else handed to `slow` as a document of just that value, with its path for errors.
  template <class Fast, class Slow>
  bool value(std::size_t index, const char* field, const Fast& fast, const Slow& slow) {
    s_.skip_ws();
    const std::size_t start = s_.pos();
    if (fast()) return true;
    s_.seek(start);
    if (!s_.skip_value()) return false;
    const std::string path = "messages[" + std::to_string(index) + "]." + field;
    slow(parse_json(text_.substr(start, s_.pos() - start), path), path);
    return true;
  }

  std::string_view text_;
  PlainMessageReader plain_;
};

}  // namespace

ThreadMessage message_from_json_text(std::string_view text, const std::string& path) {
  json_scan::JsonScanner s(text);
  auto m = PlainMessageReader(s).read();
  if (m && s.at_end()) return std::move(*m);
  return message_from_json(parse_json(text, path), path);
}

ExportedMessageRepository repository_from_json_text(std::string_view text) {
  try {
    json_scan::JsonScanner s(text);
    if (auto repo = RepositoryReader(text, s).read()) return std::move(*repo);
  } catch (const Error&) {
    // The document reader below reports it, or the error it meets first.
  }
  return repository_from_json(parse_json(text));
}

}  // namespace aui
