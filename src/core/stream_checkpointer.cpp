#include "aui/stream_checkpointer.hpp"

#include <iostream>
#include <mutex>

#include "aui/errors.hpp"

namespace aui {

/// The single writer: at most one job on the executor at a time, so checkpoints are written in
/// the order they were taken; a checkpoint waiting behind a running write is replaced by a newer
/// one (only the newest state matters).
struct StreamCheckpointer::Writer : std::enable_shared_from_this<Writer> {
  std::shared_ptr<ThreadHistoryAdapter> history;
  std::shared_ptr<Executor> executor;
  std::function<void(const std::string&)> on_error;
  std::mutex mutex;
  std::optional<ExportedMessageRepositoryItem> pending;
  bool busy = false;

  void submit(ExportedMessageRepositoryItem item) {
    {
      std::lock_guard lock(mutex);
      pending = std::move(item);
      if (busy) return;  // the running job picks it up
      busy = true;
    }
    executor->execute([self = shared_from_this()] { self->drain(); });
  }

  void drain() {
    for (;;) {
      ExportedMessageRepositoryItem item;
      {
        std::lock_guard lock(mutex);
        if (!pending) {
          busy = false;
          return;
        }
        item = std::move(*pending);
        pending.reset();
      }
      try {
        history->update(item);
      } catch (const std::exception& e) {
        report(std::string("stream checkpoint of message ") + item.message->id + " failed: " + e.what());
      } catch (...) {
        report("stream checkpoint of message " + item.message->id + " failed");
      }
    }
  }

  void report(const std::string& message) const {
    if (on_error) {
      try {
        on_error(message);
      } catch (...) {
      }
    } else {
      std::cerr << "aui: " << message << '\n';
    }
  }
};

StreamCheckpointer::StreamCheckpointer(ThreadRuntime& runtime, std::shared_ptr<ThreadHistoryAdapter> history)
    : StreamCheckpointer(runtime, std::move(history), Options{}) {}

StreamCheckpointer::StreamCheckpointer(ThreadRuntime& runtime, std::shared_ptr<ThreadHistoryAdapter> history,
                                       Options options)
    : runtime_(runtime), options_(std::move(options)), writer_(std::make_shared<Writer>()) {
  if (!history) throw Error(ErrorKind::InvalidArgument, "StreamCheckpointer: no history adapter");
  if (!history->has_update()) {
    throw Error(ErrorKind::InvalidArgument,
                "StreamCheckpointer: the history adapter has no update(), so it cannot rewrite a streaming reply");
  }
  if (!options_.clock) options_.clock = [] { return std::chrono::steady_clock::now(); };
  writer_->history = std::move(history);
  writer_->executor = options_.executor ? options_.executor
                      : runtime_.options().executor ? runtime_.options().executor
                                                    : default_executor();
  writer_->on_error = options_.on_error;
  subscription_ = runtime_.subscribe([this] { poll(); });
}

StreamCheckpointer::~StreamCheckpointer() = default;

void StreamCheckpointer::poll() {
  const MessageList& branch = runtime_.messages();
  if (branch.empty()) return;
  const MessagePtr& last = branch.back();
  if (!last || last->role != Role::Assistant || !last->status.is(StatusType::Running)) return;
  if (last->content.empty()) return;  // nothing streamed yet: nothing a crash could lose
  if (last == last_written_) return;  // unchanged since the last checkpoint
  const auto now = options_.clock();
  if (last_write_ && now - *last_write_ < options_.interval) return;
  const auto location = runtime_.get_message_by_id(last->id);
  if (!location) return;
  last_write_ = now;
  last_written_ = last;
  ++issued_;
  writer_->submit(ExportedMessageRepositoryItem{last, location->parent_id, std::nullopt});
}

}  // namespace aui
