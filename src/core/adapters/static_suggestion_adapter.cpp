// Fixed suggestions.

#include "aui/adapters/static_suggestion_adapter.hpp"

namespace aui {

StaticSuggestionAdapter::StaticSuggestionAdapter(std::vector<ThreadSuggestion> suggestions)
    : suggestions_(std::move(suggestions)) {}

std::vector<ThreadSuggestion> StaticSuggestionAdapter::generate(
    const MessageList&, std::stop_token,
    const std::function<void(std::vector<ThreadSuggestion>)>&) {
  return suggestions_;
}

}  // namespace aui
