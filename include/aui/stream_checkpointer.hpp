#pragma once
// StreamCheckpointer: writes a reply while it streams, so a crash loses at most the last
// checkpoint instead of the whole reply.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "aui/executor.hpp"
#include "aui/subscription.hpp"
#include "aui/thread_history_adapter.hpp"
#include "aui/thread_runtime.hpp"

namespace aui {

/// Watches a thread runtime and, while the last message of its branch is a `running` assistant
/// message, writes it through the history adapter's update() at most once per interval. The
/// runtime itself writes a reply only when its roundtrip ends (spec §12.4); the checkpoints fill
/// the gap. After a crash the store's recovery (ThreadStore::recover_interrupted) turns the last
/// checkpoint into an incomplete message.
///
/// Owner thread only (construct, poll and destroy it there). Writes never run on the owner: they
/// go to the executor one at a time, in order, and a checkpoint that is still waiting when a newer
/// one comes is replaced by it. The history adapter must have update() and must not let a
/// `running` item replace a settled message (ThreadStore guarantees both), because a checkpoint
/// may land after the runtime's own final write.
class StreamCheckpointer {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  struct Options {
    /// The least time between two checkpoints.
    std::chrono::milliseconds interval{250};
    /// The time source; steady_clock::now when empty (tests inject a manual clock).
    Clock clock{};
    /// Where writes run; the runtime's executor (or default_executor()) when null.
    std::shared_ptr<Executor> executor{};
    /// Receives failed writes (called on the writing worker). Default: standard error.
    std::function<void(const std::string&)> on_error{};
  };

  /// Subscribes to `runtime`, which must outlive this object. InvalidArgument when `history` is
  /// null or has no update().
  StreamCheckpointer(ThreadRuntime& runtime, std::shared_ptr<ThreadHistoryAdapter> history,
                     Options options);
  StreamCheckpointer(ThreadRuntime& runtime, std::shared_ptr<ThreadHistoryAdapter> history);
  /// Unsubscribes. Writes already handed to the executor still run.
  ~StreamCheckpointer();
  StreamCheckpointer(const StreamCheckpointer&) = delete;
  StreamCheckpointer& operator=(const StreamCheckpointer&) = delete;

  /// Looks at the runtime now (the subscription calls this on every change).
  void poll();
  /// How many checkpoints were handed to the writer so far.
  std::size_t checkpoints() const noexcept { return issued_; }

 private:
  struct Writer;
  ThreadRuntime& runtime_;
  Options options_;
  std::shared_ptr<Writer> writer_;
  std::optional<std::chrono::steady_clock::time_point> last_write_{};
  MessagePtr last_written_{};
  std::size_t issued_ = 0;
  Subscription subscription_;
};

}  // namespace aui
