// The run channel and its mailbox (see run_channel.hpp): the worker side of a roundtrip.

#include "runtime/run_channel.hpp"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <utility>

#include "aui/support/errors.hpp"
#include "aui/support/owner_thread.hpp"

namespace aui::detail {

bool is_abort_kind(const std::exception_ptr& e) {
  if (!e) return false;
  try {
    std::rethrow_exception(e);
  } catch (const Cancelled&) {
    return true;
  } catch (const StreamClosed&) {
    return true;
  } catch (...) {
    return false;
  }
}

namespace {

// Gives `newer` the fields it leaves out from `older`, so that applying `newer` alone does what
// applying both in order would (spec §6.4).
void keep_what_is_absent(ChatModelRunResult& newer, ChatModelRunResult&& older) {
  if (!newer.content) newer.content = std::move(older.content);
  if (!newer.status) newer.status = std::move(older.status);
  if (!older.metadata) return;
  if (!newer.metadata) {
    newer.metadata = std::move(older.metadata);
    return;
  }
  RunResultMetadata& to = *newer.metadata;
  RunResultMetadata& from = *older.metadata;
  if (!to.unstable_state) to.unstable_state = std::move(from.unstable_state);
  if (!to.unstable_annotations) to.unstable_annotations = std::move(from.unstable_annotations);
  if (!to.unstable_data) to.unstable_data = std::move(from.unstable_data);
  if (!to.steps) to.steps = std::move(from.steps);
  if (!to.timing) to.timing = std::move(from.timing);
  if (!to.custom) to.custom = std::move(from.custom);
}

// The sink's one-producer rule (RunResultSink): two yields that overlap would both fill the
// one-slot mailbox, and one result would be lost. Checked builds stop at once and say so.
class OneProducer {
 public:
  explicit OneProducer(std::atomic<bool>& flag) : flag_(flag) {
    if (flag_.exchange(true, std::memory_order_acq_rel)) {
      std::fprintf(stderr,
                   "aui: RunResultSink::yield was called from two threads at once; a run's sink "
                   "has one producer (see RunResultSink)\n");
      std::abort();
    }
  }
  ~OneProducer() { flag_.store(false, std::memory_order_release); }
  OneProducer(const OneProducer&) = delete;
  OneProducer& operator=(const OneProducer&) = delete;

 private:
  std::atomic<bool>& flag_;
};

}  // namespace

void ChannelSink::yield(ChatModelRunResult result) {
  std::optional<OneProducer> one_producer;
  if (owner_checks_enabled()) one_producer.emplace(channel_->yielding);
  if (channel_->closed.load(std::memory_order_acquire) || channel_->stop.stop_requested()) {
    throw StreamClosed{};
  }
  // The previous result, if the owner has not taken it yet, is superseded: this one takes its
  // place, keeping what it leaves out (spec §6.4: an absent field leaves the message's as it
  // is, so dropping the older result would lose, say, text followed by a status-only result).
  // Its box is reused (a fast stream allocates nothing here). Only this thread fills the
  // slot, so it is still empty when the box goes back in.
  ChatModelRunResult* box = channel_->slot.exchange(nullptr, std::memory_order_acq_rel);
  if (box) {
    keep_what_is_absent(result, std::move(*box));
  } else {
    box = new ChatModelRunResult();
  }
  *box = std::move(result);
  channel_->slot.store(box, std::memory_order_release);
  channel_->schedule();
}

void run_adapter(const std::shared_ptr<Channel>& channel, const ChatModelAdapter& adapter,
                 const ChatModelRunOptions& options, bool waited_for_history) {
  std::exception_ptr failure;
  std::optional<ChatModelRunResult> plain;
  try {
    // A run stopped while its user message was being written never calls the model.
    if (waited_for_history && options.stop_token.stop_requested()) throw Cancelled();
    switch (adapter.form()) {
      case ChatModelAdapter::Form::Plain: plain = adapter.plain()(options); break;
      case ChatModelAdapter::Form::Streaming: {
        ChannelSink sink(channel);
        adapter.streaming()(options, sink);
        break;
      }
      case ChatModelAdapter::Form::Coroutine: {
        ChannelSink sink(channel);
        auto stream = adapter.coroutine()(options);
        while (auto result = stream.next()) sink.yield(std::move(*result));
        break;
      }
    }
  } catch (const StreamClosed&) {
    // The owner stopped consuming; this is a normal end of the stream.
  } catch (...) {
    failure = std::current_exception();
  }
  {
    std::lock_guard lock(channel->mutex);
    channel->plain = std::move(plain);
    channel->done = true;
    channel->failure = failure;
  }
  // Always a fresh drain: one that is queued may be waiting for the stream's pace, and the
  // end of a reply is applied at once. A drain that finds the roundtrip finished does nothing.
  channel->ended.store(true, std::memory_order_release);
  channel->posted.store(true, std::memory_order_release);
  channel->dispatcher->post(channel->drain);
}

}  // namespace aui::detail
