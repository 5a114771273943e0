#pragma once
// FeedbackAdapter (spec §13.4): records thumbs up / down on messages.

#include "aui/message.hpp"

namespace aui {

class FeedbackAdapter {
 public:
  virtual ~FeedbackAdapter() = default;
  /// Called on the owner thread; must not block.
  virtual void submit(const ThreadMessage& message, FeedbackType type) = 0;
};

}  // namespace aui
