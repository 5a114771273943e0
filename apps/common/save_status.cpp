#include "save_status.hpp"

#include <exception>
#include <utility>
#include <vector>

#include "aui/support/errors.hpp"

namespace aui::chat {

std::string storage_error_text(const std::string& what) {
  for (const char* prefix : {"Storage: ", "ThreadNotFound: "}) {
    const std::string p = prefix;
    if (what.rfind(p, 0) == 0) return what.substr(p.size());
  }
  return what;
}

namespace {

std::string describe_current() {
  try {
    throw;
  } catch (const std::exception& e) {
    return storage_error_text(e.what());
  } catch (...) {
    return "unknown error";
  }
}

/// The history adapter of one thread, watched. Writes that failed are kept (the newest version
/// of each message, in the order they were first written) and written again, first, with the
/// thread's next write: a checkpoint, the reply's end or the next message retries them all.
class WatchedHistory final : public ThreadHistoryAdapter {
 public:
  WatchedHistory(std::shared_ptr<ThreadHistoryAdapter> inner, std::string thread,
                 std::weak_ptr<SaveStatus> status)
      : inner_(std::move(inner)), thread_(std::move(thread)), status_(std::move(status)) {}

  ThreadHistoryLoadResult load() override {
    try {
      return inner_->load();
    } catch (...) {
      report(SaveStatus::Event::LoadFailed, describe_current());
      throw;
    }
  }
  void append(const ExportedMessageRepositoryItem& item) override { write(item, false); }
  bool has_update() const override { return inner_->has_update(); }
  void update(const ExportedMessageRepositoryItem& item) override { write(item, true); }
  bool has_delete() const override { return inner_->has_delete(); }
  void remove(const std::vector<ExportedMessageRepositoryItem>& items) override {
    std::lock_guard lock(mutex_);
    try {
      inner_->remove(items);
    } catch (...) {
      failed_ = true;
      report(SaveStatus::Event::Unsaved, describe_current());
      throw;
    }
    // A removed message that never got saved need not be written any more.
    for (const auto& item : items) {
      if (!item.message) continue;
      std::erase_if(pending_,
                    [&](const Pending& p) { return p.item.message->id == item.message->id; });
    }
  }
  bool has_resume() const override { return inner_->has_resume(); }
  ChatModelAdapter resume() override { return inner_->resume(); }

 private:
  struct Pending {
    ExportedMessageRepositoryItem item;
    bool update;
  };

  void write(const ExportedMessageRepositoryItem& item, bool update) {
    std::lock_guard lock(mutex_);
    try {
      while (!pending_.empty()) {
        put(pending_.front().item, pending_.front().update);
        pending_.erase(pending_.begin());
      }
      put(item, update);
    } catch (...) {
      keep(item, update);
      failed_ = true;
      report(SaveStatus::Event::Unsaved, describe_current());
      throw;
    }
    if (failed_) {
      failed_ = false;
      report(SaveStatus::Event::SavedAgain, {});
    }
  }

  void put(const ExportedMessageRepositoryItem& item, bool update) {
    if (update) {
      inner_->update(item);
    } else {
      inner_->append(item);
    }
  }

  void keep(const ExportedMessageRepositoryItem& item, bool update) {
    if (!item.message) return;
    for (auto& p : pending_) {
      if (p.item.message->id == item.message->id) {
        p.item = item;  // the newer version; an append that failed stays an append
        return;
      }
    }
    pending_.push_back({item, update});
  }

  void report(SaveStatus::Event event, std::string detail) {
    if (auto status = status_.lock()) status->report(event, thread_, std::move(detail));
  }

  std::shared_ptr<ThreadHistoryAdapter> inner_;
  std::string thread_;
  std::weak_ptr<SaveStatus> status_;
  std::mutex mutex_;
  std::vector<Pending> pending_;
  bool failed_ = false;
};

}  // namespace

void SaveStatus::set_post(Post post) {
  std::lock_guard lock(mutex_);
  post_ = std::move(post);
}

std::shared_ptr<ThreadHistoryAdapter> SaveStatus::watch(
    std::shared_ptr<ThreadHistoryAdapter> history, std::string thread) {
  return std::make_shared<WatchedHistory>(std::move(history), std::move(thread), weak_from_this());
}

void SaveStatus::report(Event event, std::string thread, std::string detail) {
  Post post;
  {
    std::lock_guard lock(mutex_);
    post = post_;
  }
  if (!post) return;
  post([weak = weak_from_this(), event, thread = std::move(thread), detail = std::move(detail)] {
    if (auto self = weak.lock()) self->apply(event, thread, detail);
  });
}

void SaveStatus::apply(Event event, const std::string& thread, const std::string& detail) {
  if (event == Event::Unsaved) {
    auto [it, inserted] = unsaved_.try_emplace(thread, detail);
    if (!inserted && it->second == detail) return;  // said already (each checkpoint fails too)
    it->second = detail;
  } else if (event == Event::SavedAgain) {
    if (unsaved_.erase(thread) == 0) return;
  }
  if (listener_) listener_(event, thread, detail);
}

std::optional<std::string> SaveStatus::unsaved(const std::string& thread) const {
  auto it = unsaved_.find(thread);
  if (it == unsaved_.end()) return std::nullopt;
  return it->second;
}

std::string SaveStatus::describe(Event event, const std::string& detail) {
  switch (event) {
    case Event::Unsaved:
      return "(not saved: " + detail +
             ". This conversation is kept in memory only; saving is tried again with each new "
             "message. /threads marks the threads that are not saved.)";
    case Event::SavedAgain:
      return "(saved again: the messages that could not be saved before are stored now)";
    case Event::LoadFailed:
      return "(the saved messages of this thread cannot be read: " + detail + ")";
    case Event::ListFailed: return "(a change to the thread list was not saved: " + detail + ")";
  }
  return detail;
}

}  // namespace aui::chat
