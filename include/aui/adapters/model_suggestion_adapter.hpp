#pragma once
// ModelSuggestionAdapter: follow-up questions written by the chat model itself (spec §13.5
// reference helper).

#include <cstddef>
#include <string>
#include <vector>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/adapters/suggestion_adapter.hpp"

namespace aui {

struct ModelSuggestionOptions {
  /// How many suggestions to keep.
  std::size_t count = 3;
  /// How many of the last messages go into the prompt (messages without text are skipped).
  std::size_t max_messages = 10;
};

/// The prompt the model gets: the last `max_messages` messages with text as `role: text` lines,
/// then the request for `count` short follow-up questions, one per line.
std::string follow_up_prompt(const MessageList& messages, const ModelSuggestionOptions& options);

/// The suggestions in a model's answer: one per line, list markers ("1.", "-", "*") and
/// surrounding quotes removed, blank lines dropped, at most `count`.
std::vector<ThreadSuggestion> parse_follow_ups(const std::string& answer, std::size_t count);

/// After a run, asks the chat model adapter (any of its forms; it runs on the suggestion worker)
/// for follow-up questions. The adapter gets one user message holding follow_up_prompt(), no
/// tools, and the generation's stop token; a failure or a cancel propagates (the runtime then
/// shows no suggestions). When the last message is an assistant reply that ended incomplete
/// (an error such as a rejected key, a cancel, a cut-off), the model is not asked at all and
/// the answer is no suggestions: nothing to follow up on, and no second request to a server
/// that just failed.
class ModelSuggestionAdapter final : public SuggestionAdapter {
 public:
  explicit ModelSuggestionAdapter(ChatModelAdapter model, ModelSuggestionOptions options = {});
  std::vector<ThreadSuggestion> generate(
      const MessageList& messages, std::stop_token stop,
      const std::function<void(std::vector<ThreadSuggestion>)>& deliver) override;

 private:
  ChatModelAdapter model_;
  ModelSuggestionOptions options_;
};

}  // namespace aui
