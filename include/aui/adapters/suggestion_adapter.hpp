#pragma once
// SuggestionAdapter (spec §13.5): follow-up prompts offered after a run.

#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "aui/tree/message_repository.hpp"

namespace aui {

struct ThreadSuggestion {
  std::string prompt{};
  std::string title{};
  std::string label{};
  friend bool operator==(const ThreadSuggestion&, const ThreadSuggestion&) = default;
};

/// Runs on a worker thread and may block. Report lists through `deliver` (each replaces the
/// previous) or return them; lists delivered after `stop` fired are dropped. Throw to fail.
class SuggestionAdapter {
 public:
  virtual ~SuggestionAdapter() = default;
  virtual std::vector<ThreadSuggestion> generate(
      const MessageList& messages, std::stop_token stop,
      const std::function<void(std::vector<ThreadSuggestion>)>& deliver) = 0;
};

}  // namespace aui
