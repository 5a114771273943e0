#pragma once
// ThreadHistoryAdapter: where a thread's messages are kept (spec §12).

#include <optional>
#include <vector>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/tree/message_repository.hpp"

namespace aui {

/// What load() returns (spec §12.1). `head_id` absent = the last item is the head.
struct ThreadHistoryLoadResult {
  std::optional<Id> head_id{};
  std::vector<ExportedMessageRepositoryItem> messages{};
  /// unstable_resume: the last turn is still live; the runtime reconnects through resume().
  bool unstable_resume = false;
};

/// Keeps one thread's messages. Every call runs on a worker thread of the runtime's executor and
/// may block (a database, a network); an exception fails that call. Calls for one message id
/// arrive in the order the runtime issued them, one at a time (spec §12.4).
class ThreadHistoryAdapter {
 public:
  virtual ~ThreadHistoryAdapter() = default;

  /// The thread's stored messages (parents before children) and head.
  virtual ThreadHistoryLoadResult load() = 0;
  /// Stores a new message.
  virtual void append(const ExportedMessageRepositoryItem& item) = 0;

  /// Whether update() is implemented; without it the runtime appends a message once, at the end
  /// of its run, and never shows the adapter a paused message (spec §12.4).
  virtual bool has_update() const { return false; }
  /// Rewrites a stored message by id (an upsert).
  virtual void update(const ExportedMessageRepositoryItem& item);

  /// Whether remove() is implemented; without it deleting a message is unsupported (spec §5.9).
  virtual bool has_delete() const { return false; }
  /// Deletes the messages (`delete` in the spec).
  virtual void remove(const std::vector<ExportedMessageRepositoryItem>& items);

  /// Whether resume() is implemented (spec §12.3).
  virtual bool has_resume() const { return false; }
  /// Reconnects to a live run after load() said unstable_resume: a run function whose results
  /// fill a new assistant message under the loaded head.
  virtual ChatModelAdapter resume();
};

}  // namespace aui
