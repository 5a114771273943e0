#pragma once
// StaticSuggestionAdapter: the same follow-up prompts after every run (spec §13.5).

#include <vector>

#include "aui/adapters/suggestion_adapter.hpp"

namespace aui {

/// Offers a fixed list of suggestions after each run.
class StaticSuggestionAdapter final : public SuggestionAdapter {
 public:
  explicit StaticSuggestionAdapter(std::vector<ThreadSuggestion> suggestions);
  std::vector<ThreadSuggestion> generate(
      const MessageList& messages, std::stop_token stop,
      const std::function<void(std::vector<ThreadSuggestion>)>& deliver) override;

 private:
  std::vector<ThreadSuggestion> suggestions_;
};

}  // namespace aui
