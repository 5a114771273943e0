#pragma once
// The run channel: how a roundtrip's adapter, running on a worker, hands its results to the
// owner thread. The newest streamed result waits in a one-slot mailbox (results are cumulative,
// so an older one that was never applied is simply replaced) and at most one drain task is
// posted to the dispatcher at a time: however fast the adapter yields, the owner never has a
// backlog.

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/model/message.hpp"
#include "aui/support/dispatcher.hpp"

namespace aui::detail {

/// Thrown by RunResultSink::yield once the owner stopped consuming the stream. It unwinds the
/// adapter; the roundtrip then ends like a stream that finished.
struct StreamClosed {};

/// A cancellation or a closed stream: the roundtrip ends as cancelled, not failed.
bool is_abort_kind(const std::exception_ptr& e);

/// The message being built, as the adapter's get_message() sees it from its worker thread.
struct LiveMessage {
  std::mutex mutex;
  MessagePtr message;
  MessagePtr get() {
    std::lock_guard lock(mutex);
    return message;
  }
  void set(MessagePtr m) {
    std::lock_guard lock(mutex);
    message = std::move(m);
  }
};

/// Worker → owner handoff of one roundtrip's results. The newest streamed result waits in a
/// one-slot mailbox: a newer one replaces it (results are cumulative), so the worker never
/// blocks on the owner and the owner never sees a backlog. At most one drain task is queued.
struct Channel {
  std::atomic<ChatModelRunResult*> slot{nullptr};
  std::atomic<bool> posted{false};  // a drain task is queued or running
  std::atomic<bool> closed{false};  // the owner stopped consuming
  std::mutex mutex;                 // guards the end of the call
  bool done = false;
  std::exception_ptr failure;
  std::optional<ChatModelRunResult> plain;  // a plain result is applied even after an abort
  std::stop_token stop;
  std::shared_ptr<Dispatcher> dispatcher;
  std::function<void()> drain;        // applies what arrived, at the stream's pace
  std::function<void()> drain_due;    // the same, when the paced wait is over
  std::atomic<bool> ended{false};     // the call returned: what is left is applied at once
  std::atomic<bool> yielding{false};  // a yield() is under way (checked builds: one producer)

  ~Channel() { delete slot.load(std::memory_order_acquire); }

  void schedule() {
    // A plain load first: while a drain is queued (the common case in a fast stream) the flag's
    // cache line stays shared instead of bouncing between the worker and the owner.
    if (posted.load(std::memory_order_acquire)) return;
    if (!posted.exchange(true, std::memory_order_acq_rel)) dispatcher->post(drain);
  }
  std::unique_ptr<ChatModelRunResult> take() {
    return std::unique_ptr<ChatModelRunResult>(slot.exchange(nullptr, std::memory_order_acq_rel));
  }
};

/// The sink a streaming adapter yields into: it fills the channel's slot.
class ChannelSink final : public RunResultSink {
 public:
  explicit ChannelSink(std::shared_ptr<Channel> channel) : channel_(std::move(channel)) {}
  void yield(ChatModelRunResult result) override;
  std::stop_token stop_token() const override { return channel_->stop; }

 private:
  std::shared_ptr<Channel> channel_;
};

/// Runs `adapter` on the calling (worker) thread, feeding the channel, and posts the final
/// drain when the call returns. `waited_for_history`: the call waited for the user message's
/// history write, and a run stopped meanwhile ends cancelled without calling the model.
void run_adapter(const std::shared_ptr<Channel>& channel, const ChatModelAdapter& adapter,
                 const ChatModelRunOptions& options, bool waited_for_history = false);

}  // namespace aui::detail
