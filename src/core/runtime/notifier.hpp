#pragma once
// Notifier: the one mechanism by which the thread runtime and the thread list deliver their
// change notifications — only when the outermost operation has finished (issue 15, item 5), so
// a subscriber never sees a half-done change and may call any operation of the object from
// inside a notification.
//
// Every way into the object — a public call, a result arriving through the dispatcher, a callback
// from an object it holds — opens an Operation. A change queues its notification: post() for one
// of its own (each is delivered), changed() for the coalesced "something changed" (one per round
// however many changes it covers). When the outermost Operation closes, the queue is delivered in
// rounds: a round delivers what was queued before it started, in order. An operation a
// subscriber calls during a round runs at once (the change that was announced is complete) and
// its own notifications form the next round: they are never delivered nested inside the current
// one, and nothing is delivered twice at the same time. A notification queued while no operation
// is under way (and none is being delivered) is delivered at once.
//
// A subscriber may destroy the object that holds the notifier: the delivery then stops at once
// and touches nothing of it.
//
// Owner thread only, like the object that holds it.

#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace aui::detail {

class Notifier {
 public:
  using Note = std::function<void()>;

  /// Marks one operation in progress; notifications wait for the outermost one to close.
  class Operation {
   public:
    explicit Operation(Notifier& n) noexcept : n_(n) { n_.enter(); }
    ~Operation() {
      // Nothing of the owner is touched after deliver(): a subscriber may destroy it.
      if (n_.leave()) n_.deliver();
    }
    Operation(const Operation&) = delete;
    Operation& operator=(const Operation&) = delete;

   private:
    Notifier& n_;
  };

  /// `deliver_changed` is what changed() delivers (e.g. emitting the subscribers).
  explicit Notifier(Note deliver_changed = {}) : deliver_changed_(std::move(deliver_changed)) {}
  ~Notifier() { *alive_ = false; }
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  /// Queues the coalesced change notification: one per round however many changes it covers.
  void changed() {
    if (changed_queued_) return;
    changed_queued_ = true;
    queue_.emplace_back();  // an empty note stands for deliver_changed
    deliver_if_idle();
  }

  /// Queues a notification of its own (e.g. one that carries a value), delivered in order with
  /// the others. A note must not throw (catch and report inside it).
  void post(Note note) {
    queue_.push_back(std::move(note));
    deliver_if_idle();
  }

  /// The two halves of an Operation, for an owner that must do something around the delivery
  /// (e.g. keep itself alive): leave() is true when the caller must now call deliver().
  void enter() noexcept { ++depth_; }
  bool leave() noexcept { return --depth_ == 0 && !delivering_ && !queue_.empty(); }

  /// Delivers what is queued, in rounds, until nothing is (see above). Does nothing when a
  /// delivery is already under way further up the stack: that one goes on with what was added.
  void deliver() {
    if (delivering_) return;
    delivering_ = true;
    const std::shared_ptr<bool> alive = alive_;  // a note may destroy the notifier
    // Cleared however the round ends (a note is not supposed to throw, but one must not leave the
    // notifier refusing to deliver for ever) — unless the notifier is gone.
    struct Delivering {
      Notifier& owner;
      const std::shared_ptr<bool>& alive;
      ~Delivering() {
        if (*alive) owner.delivering_ = false;
      }
    } delivering{*this, alive};
    while (!queue_.empty()) {
      std::vector<Note> round;
      round.swap(queue_);
      changed_queued_ = false;  // a change made during this round is announced in the next
      for (auto& note : round) {
        if (note) {
          note();
        } else if (deliver_changed_) {
          deliver_changed_();
        }
        if (!*alive) return;
      }
      // Keep the buffer for the next operation: most operations queue a note or two, and an
      // allocation per operation shows in a switch that costs ~100 ns.
      round.clear();
      if (queue_.empty()) queue_.swap(round);
    }
  }

 private:
  void deliver_if_idle() {
    if (depth_ == 0 && !delivering_) deliver();
  }

  Note deliver_changed_;
  std::vector<Note> queue_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  bool changed_queued_ = false;
  int depth_ = 0;
  bool delivering_ = false;
};

}  // namespace aui::detail
