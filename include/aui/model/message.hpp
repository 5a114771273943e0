#pragma once
// The data model (spec §2): ThreadMessage, its content parts, statuses, metadata and attachments.
// JSON in and out is in message_json.hpp; normalising message-like input in message_like.hpp.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "aui/model/json.hpp"
#include "aui/model/text.hpp"
#include "aui/support/boxed.hpp"
#include "aui/support/compact_vector.hpp"
#include "aui/support/small_vector.hpp"
#include "aui/support/sparse.hpp"

namespace aui {

/// Message, tool call, attachment and thread ids: opaque strings compared by equality.
using Id = std::string;

/// A wall-clock timestamp with millisecond precision. Serialised as ISO-8601 UTC with
/// milliseconds, e.g. "2026-03-01T12:00:00.000Z".
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

/// The current time, truncated to milliseconds.
Timestamp now_timestamp();

/// A fresh id: 7 characters drawn uniformly from [0-9A-Za-z] (spec §2.1).
Id generate_id();

enum class Role : std::uint8_t { User, Assistant, System };

// ---------------------------------------------------------------------------------------------
// Statuses (spec §2.4, §2.3)

enum class StatusType : std::uint8_t { Running, RequiresAction, Complete, Incomplete };

/// Every reason the spec names. Which reasons go with which StatusType is fixed by the spec:
/// RequiresAction: ToolCalls | Interrupt; Complete: Stop | Unknown; Incomplete: Cancelled |
/// ToolCalls | Length | ContentFilter | Other | Error. Running has None.
enum class StatusReason : std::uint8_t {
  None,
  ToolCalls,
  Interrupt,
  Stop,
  Unknown,
  Cancelled,
  Length,
  ContentFilter,
  Other,
  Error,
};

/// The status of an assistant message.
struct MessageStatus {
  StatusType type = StatusType::Complete;
  StatusReason reason = StatusReason::Unknown;
  /// incomplete/error only: the AssistantError `{code, message, ...}` (spec §2.10). Null = absent.
  Sparse<Json> error{};

  static MessageStatus running() { return {StatusType::Running, StatusReason::None, {}}; }
  static MessageStatus requires_action(StatusReason r = StatusReason::ToolCalls) {
    return {StatusType::RequiresAction, r, {}};
  }
  static MessageStatus complete(StatusReason r = StatusReason::Unknown) {
    return {StatusType::Complete, r, {}};
  }
  static MessageStatus incomplete(StatusReason r, Json error = {}) {
    return {StatusType::Incomplete, r, std::move(error)};
  }

  bool is(StatusType t) const noexcept { return type == t; }
  bool is(StatusType t, StatusReason r) const noexcept { return type == t && reason == r; }
  friend bool operator==(const MessageStatus&, const MessageStatus&) = default;
};

/// The streaming status a content part may carry (spec §2.3 PartStreamStatus).
struct PartStatus {
  StatusType type = StatusType::Complete;  // Running, Complete or Incomplete
  StatusReason reason = StatusReason::None;
  friend bool operator==(const PartStatus&, const PartStatus&) = default;
};

std::string_view to_string(Role role) noexcept;
std::string_view to_string(StatusType type) noexcept;
std::string_view to_string(StatusReason reason) noexcept;  // "tool-calls", "content-filter", ...

// ---------------------------------------------------------------------------------------------
// Content parts (spec §2.3). Optional string fields are empty when absent; optional object
// fields are null when absent; std::optional is used where null is itself a meaningful value.

struct TextPart {
  Text text{};
  std::optional<PartStatus> status{};
  Sparse<Json> provider_metadata{};  // object or null
  Sparse<std::string> parent_id{};   // empty = absent
  friend bool operator==(const TextPart&, const TextPart&) = default;
};

struct ReasoningPart {
  Text text{};
  std::optional<PartStatus> status{};
  std::optional<std::string> unstable_summary{};
  Sparse<Json> provider_metadata{};
  Sparse<std::string> parent_id{};  // empty = absent
  friend bool operator==(const ReasoningPart&, const ReasoningPart&) = default;
};

struct ApprovalOption {
  std::string id{};
  /// "allow-once" | "allow-always" | "reject-once" | "reject-always" | a custom string.
  std::string kind{};
  std::string label{};
  std::string description{};
  std::optional<std::vector<std::string>> grants{};
  std::optional<Json> confirm{};  // bool or { title?, description? }
  friend bool operator==(const ApprovalOption&, const ApprovalOption&) = default;
};

enum class ApprovalResolution : std::uint8_t { Cancelled, Expired };

/// An approval gate on a tool call (spec §2.3, §7.5).
struct Approval {
  std::string id{};
  std::optional<bool> approved{};  // absent = not yet decided
  std::optional<std::string> reason{};
  std::optional<bool> is_automatic{};
  std::optional<std::vector<ApprovalOption>> options{};
  std::optional<std::string> option_id{};
  std::optional<ApprovalResolution> resolution{};

  /// Pending iff neither decided nor terminated.
  bool pending() const noexcept { return !approved && !resolution; }
  friend bool operator==(const Approval&, const Approval&) = default;
};

/// A tool call the model made, with its result once resolved.
struct ToolCallPart {
  std::string tool_call_id{};
  std::string tool_name{};
  Json args = Json::object();  // may be a partial parse while streaming
  Text args_text{};            // the raw argument text as the model produced it
  /// Absent means unresolved; a JSON null, false, 0 or "" is a result (spec §2.3).
  std::optional<Json> result{};
  std::optional<bool> is_error{};
  std::optional<Json> artifact{};
  Json model_content{};  // list or null
  std::optional<Json> timing{};
  Json mcp{};                        // object or null
  Sparse<Json> provider_metadata{};  // object or null
  Json interrupt{};                  // { type: "human", payload } or null
  Boxed<Approval> approval{};
  Sparse<std::string> parent_id{};  // empty = absent
  Json messages{};                  // nested conversation (list of ThreadMessage JSON) or null

  bool resolved() const noexcept { return result.has_value(); }
  friend bool operator==(const ToolCallPart&, const ToolCallPart&) = default;
};

enum class SourceType : std::uint8_t { Url, Document };

struct SourcePart {
  SourceType source_type = SourceType::Url;
  std::string id{};
  std::string url{};                   // url sources
  std::optional<std::string> title{};  // required for document sources
  std::string media_type{};            // document sources
  std::string filename{};
  Sparse<Json> provider_metadata{};
  Sparse<std::string> parent_id{};  // empty = absent
  friend bool operator==(const SourcePart&, const SourcePart&) = default;
};

struct ImagePart {
  std::string image{};  // data: URL or https:// / blob: URL
  std::string filename{};
  Sparse<Json> provider_metadata{};
  friend bool operator==(const ImagePart&, const ImagePart&) = default;
};

struct FilePart {
  std::string data{};
  std::string mime_type{};
  std::string filename{};
  std::string source_type{};  // "" | "url" | "id"
  Sparse<Json> provider_metadata{};
  Sparse<std::string> parent_id{};  // empty = absent
  friend bool operator==(const FilePart&, const FilePart&) = default;
};

/// Deprecated upstream; user messages only.
struct AudioPart {
  std::string data{};
  std::string format{};  // "mp3" | "wav"
  friend bool operator==(const AudioPart&, const AudioPart&) = default;
};

struct DataPart {
  std::string name{};
  Json data{};
  friend bool operator==(const DataPart&, const DataPart&) = default;
};

/// Generative UI is rendered by web front ends; aui stores and round-trips it.
struct GenerativeUIPart {
  Json spec{};  // { root: UINode | [UINode] }
  std::string id{};
  Sparse<std::string> parent_id{};  // empty = absent
  friend bool operator==(const GenerativeUIPart&, const GenerativeUIPart&) = default;
};

enum class PartType : std::uint8_t {
  Text,
  Reasoning,
  ToolCall,
  Source,
  Image,
  File,
  Audio,
  Data,
  GenerativeUI,
};

/// The JSON discriminator of a part type: "text", "tool-call", "generative-ui", ...
std::string_view to_string(PartType type) noexcept;

/// Whether a message of `role` may hold a part of `type` (spec §2.2).
bool part_allowed(Role role, PartType type) noexcept;

/// One content part: any of the part structs above. Copies are cheap: a text part is held
/// inline, every other kind is shared until modified.
///
///     ContentPart p = TextPart{"hello"};
///     if (const auto* call = p.get_if<ToolCallPart>()) { ... }
///     p.edit<TextPart>().text += "!";
class ContentPart {
 public:
  ContentPart() : v_(TextPart{}) {}
  ContentPart(TextPart p) : v_(std::move(p)) {}                                   // NOLINT
  ContentPart(ReasoningPart p) : v_(Boxed<ReasoningPart>(std::move(p))) {}        // NOLINT
  ContentPart(ToolCallPart p) : v_(Boxed<ToolCallPart>(std::move(p))) {}          // NOLINT
  ContentPart(SourcePart p) : v_(Boxed<SourcePart>(std::move(p))) {}              // NOLINT
  ContentPart(ImagePart p) : v_(Boxed<ImagePart>(std::move(p))) {}                // NOLINT
  ContentPart(FilePart p) : v_(Boxed<FilePart>(std::move(p))) {}                  // NOLINT
  ContentPart(AudioPart p) : v_(Boxed<AudioPart>(std::move(p))) {}                // NOLINT
  ContentPart(DataPart p) : v_(Boxed<DataPart>(std::move(p))) {}                  // NOLINT
  ContentPart(GenerativeUIPart p) : v_(Boxed<GenerativeUIPart>(std::move(p))) {}  // NOLINT

  PartType type() const noexcept { return static_cast<PartType>(v_.index()); }

  template <class T>
  bool is() const noexcept {
    return std::holds_alternative<Slot<T>>(v_);
  }
  /// The part as T, or nullptr when it holds another kind.
  template <class T>
  const T* get_if() const noexcept {
    if constexpr (std::is_same_v<T, TextPart>) {
      return std::get_if<TextPart>(&v_);
    } else {
      const auto* b = std::get_if<Boxed<T>>(&v_);
      return b ? b->get() : nullptr;
    }
  }
  /// The part as T; throws std::bad_variant_access when it holds another kind.
  template <class T>
  const T& as() const {
    const T* p = get_if<T>();
    if (!p) throw std::bad_variant_access();
    return *p;
  }
  /// Mutable access (unshares the storage); throws std::bad_variant_access on another kind.
  template <class T>
  T& edit() {
    if constexpr (std::is_same_v<T, TextPart>) {
      return std::get<TextPart>(v_);
    } else {
      return std::get<Boxed<T>>(v_).edit();
    }
  }

  /// Calls f with the part as its own type (const T&).
  template <class F>
  decltype(auto) visit(F&& f) const {
    return std::visit(
        [&](const auto& slot) -> decltype(auto) {
          if constexpr (std::is_same_v<std::decay_t<decltype(slot)>, TextPart>) {
            return f(slot);
          } else {
            return f(*slot);
          }
        },
        v_);
  }

  friend bool operator==(const ContentPart&, const ContentPart&) = default;

 private:
  template <class T>
  using Slot = std::conditional_t<std::is_same_v<T, TextPart>, TextPart, Boxed<T>>;
  // The order matches PartType.
  std::variant<TextPart, Boxed<ReasoningPart>, Boxed<ToolCallPart>, Boxed<SourcePart>,
               Boxed<ImagePart>, Boxed<FilePart>, Boxed<AudioPart>, Boxed<DataPart>,
               Boxed<GenerativeUIPart>>
      v_;
};

/// A message's content parts; the first one is held inside the message.
using Content = SmallVector<ContentPart>;

// ---------------------------------------------------------------------------------------------
// Attachments (spec §2.7)

/// A file chosen by the user: a path on disk and/or its bytes (the native counterpart of the
/// browser's File object). Not serialised.
struct HostFile {
  std::string path{};
  std::string name{};
  std::string content_type{};
  std::string bytes{};
  friend bool operator==(const HostFile&, const HostFile&) = default;
};

enum class AttachmentStatusType : std::uint8_t { Running, RequiresAction, Incomplete, Complete };

struct AttachmentStatus {
  AttachmentStatusType type = AttachmentStatusType::Complete;
  /// "uploading" (running), "composer-send" (requires-action), "error" | "upload-paused"
  /// (incomplete); empty for complete.
  std::string reason{};
  double progress = 0;    // running only
  std::string message{};  // incomplete only
  friend bool operator==(const AttachmentStatus&, const AttachmentStatus&) = default;
};

/// An attachment in any state. Only complete ones (status Complete, content set) are stored on
/// messages.
struct Attachment {
  Id id{};
  std::string type = "document";  // "image" | "document" | "file" | custom
  std::string name{};
  std::string content_type{};
  std::optional<HostFile> file{};
  Content content{};  // user parts: text, image, file, data, audio
  AttachmentStatus status{};
  friend bool operator==(const Attachment&, const Attachment&) = default;
};

// ---------------------------------------------------------------------------------------------
// Metadata (spec §2.6)

enum class FeedbackType : std::uint8_t { Positive, Negative };

struct ThreadStep {
  std::string message_id{};  // empty = absent
  struct Usage {
    std::int64_t input_tokens = 0;
    std::int64_t output_tokens = 0;
    friend bool operator==(const Usage&, const Usage&) = default;
  };
  std::optional<Usage> usage{};
  friend bool operator==(const ThreadStep&, const ThreadStep&) = default;
};

/// The metadata lists an assistant message accumulates over a run.
struct AssistantMetadata {
  Json unstable_state{};                     // default null
  std::vector<Json> unstable_annotations{};  // default []
  std::vector<Json> unstable_data{};         // default []
  std::vector<ThreadStep> steps{};           // default []; drives maxSteps
  std::optional<Json> timing{};              // MessageTiming object when present
  friend bool operator==(const AssistantMetadata&, const AssistantMetadata&) = default;
};

struct MessageMetadata {
  /// map<string, json>: an object, or null for the empty map (so a message without custom
  /// metadata costs no allocation). JSON output always writes an object.
  Sparse<Json> custom{};
  bool is_optimistic = false;
  std::optional<FeedbackType> submitted_feedback{};  // assistant only
  /// Assistant messages only; empty (all defaults) for the others and for fresh replies.
  Boxed<AssistantMetadata> assistant{};

  /// The assistant lists, or an empty default when none were set.
  const AssistantMetadata& assistant_or_default() const;
  friend bool operator==(const MessageMetadata&, const MessageMetadata&) = default;
};

// ---------------------------------------------------------------------------------------------
// ThreadMessage (spec §2.2)

/// One message of a thread. Messages are immutable once stored: the runtime replaces a message
/// by a new object, so a MessagePtr a view holds stays valid and unchanged, and an unchanged
/// message keeps its identity between snapshots.
struct ThreadMessage {
  Id id{};
  Timestamp created_at{};
  Role role = Role::User;
  Content content{};
  MessageMetadata metadata{};
  MessageStatus status{};                   // meaningful for assistant messages only
  CompactVector<Attachment> attachments{};  // user messages only; complete attachments

  /// The text parts joined by "\n\n" (what copy and speak use).
  std::string text() const;
  friend bool operator==(const ThreadMessage&, const ThreadMessage&) = default;
};

using MessagePtr = std::shared_ptr<const ThreadMessage>;

/// The derived status of part `index` of `message`, for renderers (spec §2.5).
PartStatus part_status(const ThreadMessage& message, std::size_t index);

/// RunConfig (spec §2.8): opaque to the runtime; forwarded to the adapter. `custom` is an object
/// or null (absent).
struct RunConfig {
  Json custom{};
  friend bool operator==(const RunConfig&, const RunConfig&) = default;
};

/// AssistantError (spec §2.10): the conversion of a failure into what is stored on the message.
Json to_assistant_error(const std::exception_ptr& error);

}  // namespace aui
