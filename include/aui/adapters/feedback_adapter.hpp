#pragma once
// FeedbackAdapter (spec §13.4): records thumbs up / down on messages.

#include <optional>
#include <string>

#include "aui/model/message.hpp"

namespace aui {

/// What submitFeedback hands the adapter (spec §5.14): the message as it is when the feedback is
/// given, the verdict, and (Δ0.3.20) an optional comment. thread_id is the thread's id when the
/// runtime has one (ThreadRuntimeOptions::thread_id).
struct FeedbackSubmission {
  MessagePtr message{};
  FeedbackType type = FeedbackType::Positive;
  std::optional<std::string> comment{};
  std::optional<std::string> thread_id{};
};

/// Receives feedback. Called on the owner thread; synchronous and fire-and-forget, so it must not
/// block for long. A throw fails submit_feedback() before the message is marked.
class FeedbackAdapter {
 public:
  virtual ~FeedbackAdapter() = default;
  virtual void submit(const FeedbackSubmission& feedback) = 0;
};

}  // namespace aui
