#pragma once
// HistoryWriter: the calls a thread makes to its history adapter, one at a time, in the order they
// were issued (spec §12.4: writes of one message land in issue order). Internal to core.

#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "aui/adapters/thread_history_adapter.hpp"
#include "aui/support/completion.hpp"
#include "aui/support/dispatcher.hpp"
#include "aui/support/executor.hpp"

namespace aui::detail {

/// A FIFO of history calls run on the executor. The queue outlives the runtime that fed it: calls
/// already issued still reach the adapter after the thread is gone, so a write is never lost to
/// teardown. Completions settle on the owner thread through the dispatcher.
class HistoryWriter {
 public:
  HistoryWriter(std::shared_ptr<Executor> executor, std::shared_ptr<Dispatcher> dispatcher);

  /// Queues `call` against `adapter`; the completion settles (on the owner) with its outcome.
  Completion submit(std::shared_ptr<ThreadHistoryAdapter> adapter,
                    std::function<void(ThreadHistoryAdapter&)> call);

  /// Like submit(), but a call still waiting in the queue under the same `key` is replaced by this
  /// one instead of queuing another (checkpoints of a streaming message coalesce). The replaced
  /// call's completion settles with this one's outcome.
  Completion submit_coalescing(const std::string& key,
                               std::shared_ptr<ThreadHistoryAdapter> adapter,
                               std::function<void(ThreadHistoryAdapter&)> call);

 private:
  struct Job {
    std::shared_ptr<ThreadHistoryAdapter> adapter;
    std::function<void(ThreadHistoryAdapter&)> call;
    std::vector<Completion> completions;
    std::string key;  // empty: never coalesced
  };
  struct State {
    std::mutex mutex;
    std::deque<Job> jobs;
    bool draining = false;
    std::shared_ptr<Executor> executor;
    std::shared_ptr<Dispatcher> dispatcher;
  };
  static void drain(const std::shared_ptr<State>& state);
  Completion enqueue(Job job);

  std::shared_ptr<State> state_;
};

}  // namespace aui::detail
