#include "runtime/history_writer.hpp"

#include <utility>

namespace aui::detail {

HistoryWriter::HistoryWriter(std::shared_ptr<Executor> executor,
                             std::shared_ptr<Dispatcher> dispatcher)
    : state_(std::make_shared<State>()) {
  state_->executor = std::move(executor);
  state_->dispatcher = std::move(dispatcher);
}

Completion HistoryWriter::submit(std::shared_ptr<ThreadHistoryAdapter> adapter,
                                 std::function<void(ThreadHistoryAdapter&)> call) {
  return enqueue(Job{std::move(adapter), std::move(call), {}, {}});
}

Completion HistoryWriter::submit_coalescing(const std::string& key,
                                            std::shared_ptr<ThreadHistoryAdapter> adapter,
                                            std::function<void(ThreadHistoryAdapter&)> call) {
  Completion done;
  {
    std::lock_guard lock(state_->mutex);
    for (auto& job : state_->jobs) {
      if (!job.key.empty() && job.key == key) {
        job.adapter = std::move(adapter);
        job.call = std::move(call);
        job.completions.push_back(done);
        return done;
      }
    }
  }
  return enqueue(Job{std::move(adapter), std::move(call), {done}, key});
}

Completion HistoryWriter::enqueue(Job job) {
  if (job.completions.empty()) job.completions.emplace_back();
  Completion done = job.completions.front();
  bool start = false;
  {
    std::lock_guard lock(state_->mutex);
    state_->jobs.push_back(std::move(job));
    if (!state_->draining) {
      state_->draining = true;
      start = true;
    }
  }
  if (start) {
    auto state = state_;
    state->executor->execute([state] { drain(state); });
  }
  return done;
}

void HistoryWriter::drain(const std::shared_ptr<State>& state) {
  for (;;) {
    Job job;
    {
      std::lock_guard lock(state->mutex);
      if (state->jobs.empty()) {
        state->draining = false;
        return;
      }
      job = std::move(state->jobs.front());
      state->jobs.pop_front();
    }
    std::exception_ptr failure;
    try {
      job.call(*job.adapter);
    } catch (...) {
      failure = std::current_exception();
    }
    // The failure moves to the owner, so the exception is freed on the thread that reads it.
    state->dispatcher->post(
        [completions = std::move(job.completions), failure = std::move(failure)] {
          for (const auto& c : completions) {
            if (failure) {
              c.reject(failure);
            } else {
              c.resolve();
            }
          }
        });
  }
}

}  // namespace aui::detail
