#pragma once
// AppendMessage: what ThreadRuntime::append() takes (spec §2.8, §15), and Parent, where the new
// message hangs. Kept apart from the runtime so that the message queue, which holds
// AppendMessages, does not need the whole runtime.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aui/model/message.hpp"

namespace aui {

/// Who the new message hangs under: the tail of the current branch (the default), a new root,
/// or a given message.
class Parent {
 public:
  static Parent tail() { return Parent(Kind::Tail, {}); }
  static Parent root() { return Parent(Kind::Root, {}); }
  static Parent message(Id id) { return Parent(Kind::Message, std::move(id)); }
  Parent() : Parent(Kind::Tail, {}) {}
  Parent(Id id) : Parent(Kind::Message, std::move(id)) {}    // NOLINT
  Parent(const char* id) : Parent(Kind::Message, Id(id)) {}  // NOLINT
  Parent(std::optional<Id> id)                               // NOLINT
      : Parent(id ? Kind::Message : Kind::Root, id.value_or(Id())) {}
  enum class Kind { Tail, Root, Message };
  Kind kind() const noexcept { return kind_; }
  const Id& id() const noexcept { return id_; }

 private:
  Parent(Kind k, Id id) : kind_(k), id_(std::move(id)) {}
  Kind kind_;
  Id id_;
};

/// What append() takes (spec §2.8, §15).
struct AppendMessage {
  Role role = Role::User;
  Content content{};
  std::vector<Attachment> attachments{};  // user only
  Json custom{};                          // metadata.custom (an object or null)
  std::optional<Timestamp> created_at{};
  std::optional<MessageStatus> status{};  // assistant only
  Parent parent{};
  /// The message this one replaces (an edit's original), or nullopt; informational (spec §2.8).
  /// It reaches the history adapter with this message and, when it starts a run, the adapter
  /// (ChatModelRunOptions::source_id) and the history item of the reply.
  std::optional<Id> source_id{};
  std::optional<RunConfig> run_config{};
  std::optional<bool> start_run{};  // default: true for user messages
  /// With the message queue on: true → the steer lane, false → the queue lane, unset → steer
  /// only while a queued message's run is in flight (spec §9.3).
  std::optional<bool> steer{};

  /// A user message with one text part, under the tail.
  static AppendMessage user(std::string text);
};

}  // namespace aui
