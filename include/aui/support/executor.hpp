#pragma once
// Executor: where adapters run. Adapters may block (HTTP, SDKs), so they never run on the owner.

#include <functional>
#include <memory>

namespace aui {

/// Runs jobs on worker threads.
class Executor {
 public:
  virtual ~Executor() = default;
  /// Starts `job` on a worker. Thread-safe. A job may block for as long as it likes without
  /// delaying other jobs.
  virtual void execute(std::function<void()> job) = 0;
};

/// An elastic pool: an idle worker takes the job, or a new worker starts when none is idle;
/// workers idle for a while exit. Idle workers spin briefly before sleeping, so handing a job to
/// a worker that just finished costs well under a microsecond.
class WorkerPool : public Executor {
 public:
  WorkerPool();
  ~WorkerPool() override;  // waits for running jobs to finish
  void execute(std::function<void()> job) override;

  struct State;  // shared with the worker threads (an implementation detail)

 private:
  std::shared_ptr<State> state_;
};

/// The process-wide pool used when a runtime is given no executor.
std::shared_ptr<Executor> default_executor();

}  // namespace aui
