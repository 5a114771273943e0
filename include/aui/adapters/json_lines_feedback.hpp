#pragma once
// JsonLinesFeedbackAdapter: records feedback (spec §13.4) as one JSON object per line in a file,
// and tells the host through a callback. The stand-in until a store gives feedback a table.

#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "aui/adapters/feedback_adapter.hpp"

namespace aui {

/// One recorded piece of feedback, as written to the file:
/// {"time":"2026-…Z","threadId":…|null,"messageId":"…","role":"assistant","type":"positive",
///  "comment":…|null,"text":"the message's text"}
struct FeedbackRecord {
  Timestamp time{};
  std::optional<std::string> thread_id{};
  Id message_id{};
  Role role = Role::Assistant;
  FeedbackType type = FeedbackType::Positive;
  std::optional<std::string> comment{};
  std::string text{};
};

/// The JSON line of a record (no trailing newline).
std::string feedback_record_json(const FeedbackRecord& record);

/// Appends each submission to `path` (created if missing, with its directory), flushed before
/// submit returns, then calls `on_feedback` (if given). A file that cannot be opened or written
/// makes submit throw InvalidArgument naming the path, so submit_feedback fails and the message
/// is not marked. Safe to share between threads: writes are serialised.
class JsonLinesFeedbackAdapter final : public FeedbackAdapter {
 public:
  explicit JsonLinesFeedbackAdapter(std::string path,
                                    std::function<void(const FeedbackRecord&)> on_feedback = {});
  void submit(const FeedbackSubmission& feedback) override;
  const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
  std::function<void(const FeedbackRecord&)> on_feedback_;
  std::mutex mutex_;
};

}  // namespace aui
