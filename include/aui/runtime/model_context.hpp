#pragma once
// ModelContext (spec §7.2): what the app tells the model beyond the messages — system prompt,
// tools, call settings, config — merged from any number of providers.

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "aui/model/json.hpp"
#include "aui/runtime/tool.hpp"

namespace aui {

struct CallSettings {
  std::optional<int> max_tokens{};
  std::optional<double> temperature{};
  std::optional<double> top_p{};
  std::optional<double> presence_penalty{};
  std::optional<double> frequency_penalty{};
  std::optional<std::int64_t> seed{};
  std::map<std::string, std::optional<std::string>> headers{};
  friend bool operator==(const CallSettings&, const CallSettings&) = default;
};

struct ModelConfig {
  std::optional<std::string> api_key{};
  std::optional<std::string> base_url{};
  std::optional<std::string> model_name{};
  std::optional<std::string> reasoning_effort{};
  friend bool operator==(const ModelConfig&, const ModelConfig&) = default;
};

struct ModelContext {
  std::optional<double> priority{};
  std::string system{};
  std::map<std::string, Tool> tools{};
  CallSettings call_settings{};
  ModelConfig config{};
  /// Merged into metadata.custom of outgoing user messages; never given to the adapter.
  Json composer_metadata{};
  friend bool operator==(const ModelContext&, const ModelContext&) = default;
};

/// Merges provider contexts by the rules of spec §7.2: priority descending (absent = 0), system
/// prompts joined by a blank line, tools by name (higher priority's fields win; equal priority
/// and no `overwrite` → aui::Error(DuplicateTool)), settings and config key-wise where a
/// lower-priority provider's key overrides a higher one's. Providers of equal priority keep
/// their order.
ModelContext merge_model_contexts(const std::vector<ModelContext>& contexts);

}  // namespace aui
