#pragma once
// MessageRepository: the message tree of one thread (spec §3).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aui/model/json.hpp"
#include "aui/model/message.hpp"
#include "aui/model/message_like.hpp"
#include "aui/support/persistent_vector.hpp"

namespace aui {

/// The current branch, root first. A snapshot: O(1) to copy, safe to read on any thread.
using MessageList = PersistentVector<MessagePtr>;

/// One item of an exported repository (spec §3.9), and what a history adapter is given to keep
/// (spec §12.1).
struct ExportedMessageRepositoryItem {
  MessagePtr message{};
  std::optional<Id> parent_id{};  // nullopt = a root message
  std::optional<RunConfig> run_config{};
  /// The sourceId the message was made with (spec §2.8, §5.1, §5.2): the message it replaces —
  /// for an edit, the edited message (the new user message and the reply to it); for a
  /// regenerated reply, the reply it replaces — or nullopt. Informational: the runtime never
  /// reads it back. It is not part of assistant-ui's export format, so to_json leaves it out;
  /// history adapters receive it and the stores keep it.
  std::optional<Id> source_id{};
};

/// An exported repository (spec §3.9). `head_id` absent and null are both "not given".
struct ExportedMessageRepository {
  std::optional<Id> head_id{};
  std::vector<ExportedMessageRepositoryItem> messages{};
};

Json to_json(const ExportedMessageRepository& repo);
/// Strict parse; throws aui::Error(InvalidJson) naming the offending path.
ExportedMessageRepository repository_from_json(const Json& j);

/// fromArray (spec §3.9): a linear chain; ids generated unless given; status complete/unknown.
ExportedMessageRepository from_array(std::vector<ThreadMessageLike> messages);
/// fromBranchableArray: each item names its parent and must carry an id (else InvalidMessage).
struct BranchableItem {
  ThreadMessageLike message{};
  std::optional<Id> parent_id{};
};
ExportedMessageRepository from_branchable_array(std::vector<BranchableItem> items,
                                                std::optional<Id> head_id = std::nullopt);

/// Where a message sits in the tree.
struct MessageLocation {
  MessagePtr message{};
  std::optional<Id> parent_id{};
  std::size_t index = 0;  // its level: root messages are 0
};

/// A rooted forest of messages with a head (spec §3). Not thread-safe: it belongs to the thread
/// runtime's owner thread. Every walk is iterative, so very long branches are fine.
///
/// Costs: add under the head O(1) amortized; update of a message on the current branch
/// O(log n); switch_to_branch and reset_head cost the divergence between the old and new
/// branches, not the thread; messages() O(1).
class MessageRepository {
 public:
  MessageRepository();
  ~MessageRepository();
  MessageRepository(MessageRepository&&) noexcept;
  MessageRepository& operator=(MessageRepository&&) noexcept;

  /// The current branch, root → head. Same snapshot (same_as) until the branch changes.
  const MessageList& messages() const noexcept;
  /// Path root → id on any branch. Unknown id → HeadNotFound.
  MessageList messages_up_to(std::string_view id) const;
  std::optional<Id> head_id() const;
  /// Nearest ancestor-or-self of the head that is not optimistic (spec §3.8).
  std::optional<Id> canonical_head_id() const;
  bool contains(std::string_view id) const noexcept;
  std::size_t size() const noexcept;

  /// Unknown id → MessageNotFound.
  MessageLocation get(std::string_view id) const;
  /// nullptr when unknown.
  MessagePtr find(std::string_view id) const noexcept;
  /// The ordered children of id's parent (or the roots), including id. Unknown → MessageNotFound.
  std::vector<Id> get_branches(std::string_view id) const;
  /// 1-based position among its siblings and their count (spec §3.2 branch numbering).
  std::pair<std::size_t, std::size_t> branch_number(std::string_view id) const;
  /// The children of a message (or the roots for nullopt), in insertion order.
  std::vector<Id> children(const std::optional<Id>& id) const;

  /// Insert or update (spec §3.3). ParentNotFound, Cycle.
  void add_or_update(const std::optional<Id>& parent_id, MessagePtr message);
  /// Replaces the stored message that has the same id, in place (parent, position and children
  /// kept). Returns false, changing nothing, when no message has that id.
  bool replace(MessagePtr message);
  /// spec §3.4. BranchNotFound.
  void switch_to_branch(std::string_view id);
  /// spec §3.5: nullopt clears everything; otherwise deletes all descendants of id and makes it
  /// the head. BranchNotFound.
  void reset_head(const std::optional<Id>& id);
  /// spec §3.6 with the default replacement (the message's parent). MessageNotFound.
  void remove(std::string_view id);
  /// spec §3.6 with an explicit replacement (nullopt = the root). MessageNotFound.
  void remove(std::string_view id, const std::optional<Id>& replacement);
  /// Removes every message (same as reset_head(nullopt)).
  void clear();

  /// spec §3.9: depth-first pre-order, optimistic messages skipped, head = canonical head.
  ExportedMessageRepository export_repository() const;
  /// spec §3.9: add_or_update each item in order, then reset_head(head ?? last ?? null).
  /// Does not clear first. On failure the repository is left as it was before the call.
  void import_repository(const ExportedMessageRepository& data);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aui
