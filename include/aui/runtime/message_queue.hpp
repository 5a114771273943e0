#pragma once
// The message queue (spec §9): with it on, a message sent while a reply is being produced waits
// its turn instead of superseding the run; queued messages go out one per run.

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aui/model/message.hpp"
#include "aui/runtime/append_message.hpp"
#include "aui/support/errors.hpp"
#include "aui/support/owner_thread.hpp"
#include "aui/support/subscription.hpp"

namespace aui {

/// Steer items go out before queue items (spec §9.2). In LocalRuntime steering never interrupts
/// the running turn: it only means "next".
enum class QueueLane { Steer, Queue };

/// A waiting message as a view shows it: its text (`prompt`, text parts joined by a blank line)
/// and its parts (the message's text and file parts, then its attachments' non-text parts, images
/// as file parts of type image/*).
struct QueueItem {
  Id id{};
  QueueLane lane = QueueLane::Queue;
  std::string prompt{};
  Content parts{};
};

/// Where move() puts an item. Build one with the named constructors, which say what they do:
/// `QueueMove::to_front()`, `to_end()`, `after(id)`, `before(id)`, `between(a, b)`, and
/// `.in(QueueLane::Steer)` to change lanes (alone: appended to that lane, or kept in place when it
/// is the item's lane). The fields are the spec's shape (§9.7) for code that mirrors it:
/// `insert_after` = null → the front; `insert_before` = null → the end; both → they must be
/// neighbours in the destination lane.
struct QueueMove {
  std::optional<QueueLane> lane{};
  std::optional<std::optional<Id>> insert_after{};
  std::optional<std::optional<Id>> insert_before{};

  /// To the front of the destination lane.
  static QueueMove to_front() { return {.insert_after = std::optional<Id>()}; }
  /// To the end of the destination lane.
  static QueueMove to_end() { return {.insert_before = std::optional<Id>()}; }
  /// Right after the item `anchor`.
  static QueueMove after(Id anchor) {
    return {.insert_after = std::optional<Id>(std::move(anchor))};
  }
  /// Right before the item `anchor`.
  static QueueMove before(Id anchor) {
    return {.insert_before = std::optional<Id>(std::move(anchor))};
  }
  /// Between two neighbours `first` and `second` (NotAdjacent when they are not).
  static QueueMove between(Id first, Id second) {
    return {.insert_after = std::optional<Id>(std::move(first)),
            .insert_before = std::optional<Id>(std::move(second))};
  }
  /// To `destination` with no anchor: appended there, or unchanged when it is the item's lane.
  static QueueMove to_lane(QueueLane destination) { return {.lane = destination}; }
  /// The same move, into the lane `destination`.
  QueueMove in(QueueLane destination) const {
    QueueMove moved = *this;
    moved.lane = destination;
    return moved;
  }
};

/// The two lanes and their items. Owned by a ThreadRuntime; owner thread only (checked in debug
/// and sanitizer builds, see OwnerThread); the runtime decides when to dispatch
/// (ThreadRuntime::queue()).
class MessageQueue {
 public:
  MessageQueue();
  ~MessageQueue();
  MessageQueue(const MessageQueue&) = delete;
  MessageQueue& operator=(const MessageQueue&) = delete;

  /// Steer items, then queue items.
  std::vector<QueueItem> items() const;
  std::size_t size() const noexcept;
  bool empty() const noexcept { return size() == 0; }

  /// Drops an item; an unknown id is a no-op.
  void remove(const Id& id);
  /// Replaces an item's message, keeping its id and place. UnknownQueueItem.
  void edit(const Id& id, AppendMessage message);
  /// Moves an item (spec §9.7). UnknownQueueItem, UnknownAnchor, SelfAnchor, NotAdjacent.
  /// The runtime dispatches afterwards if it is idle.
  void move(const Id& id, const QueueMove& where);
  /// Called after every change of the lanes. A throwing subscriber is isolated.
  [[nodiscard]] Subscription subscribe(std::function<void()> on_change);

  // ---- for the runtime ----
  Id add(AppendMessage message, QueueLane lane);
  /// Takes the next message to send (the steer lane's first, else the queue lane's).
  std::optional<AppendMessage> take_next();
  void clear();
  /// The item's stored message (for tests and views), or nullptr.
  const AppendMessage* message(const Id& id) const;
  /// Called after move() so the runtime can dispatch.
  std::function<void()> on_moved;
  /// Where a throwing subscriber is reported (an Error of kind ListenerFailed); standard error
  /// when empty.
  ErrorHandler on_error;

 private:
  struct Entry;
  std::deque<Entry>& lane(QueueLane l);
  void changed();

  std::unique_ptr<std::deque<Entry>> steer_;
  std::unique_ptr<std::deque<Entry>> queue_;
  std::vector<std::pair<std::uint64_t, std::shared_ptr<std::function<void()>>>> listeners_;
  std::uint64_t next_listener_ = 0;
  OwnerThread owner_;
  Lifetime lifetime_;  // ends with the queue: a late unsubscribe does nothing
};

/// The view of a message as a queue item (spec §9.2), without id and lane.
QueueItem project_queue_item(const AppendMessage& message);

}  // namespace aui
