#pragma once
// The Anthropic Messages adapter, on the native SSE events of `POST /v1/messages`.
//
//     auto settings = aui::anthropic_settings_from_environment();   // ANTHROPIC_API_KEY, ...
//     aui::LocalRuntime rt(aui::make_anthropic_adapter(settings));

#include <map>
#include <string>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/backends/http_stream.hpp"
#include "aui/model/json.hpp"

namespace aui {

/// Where and how to reach the Messages API. The run's ModelContext config (api_key, base_url,
/// model_name, reasoning_effort) overrides these per run when set.
struct AnthropicSettings {
  /// Without the version path, like the official SDKs' ANTHROPIC_BASE_URL: "/v1/messages" is
  /// appended.
  std::string base_url = "https://api.anthropic.com";
  /// Sent as "x-api-key". Never logged, never in an error message, never stored on a message.
  std::string api_key{};
  std::string model = "claude-sonnet-4-5";
  std::string anthropic_version = "2023-06-01";
  /// The Messages API requires a limit; the context's call_settings.max_tokens wins.
  int max_tokens = 4096;
  /// Extended thinking with this budget of tokens (0: off). A reasoning_effort in the context
  /// ("low", "medium", "high") picks 1024, 4096 or 16384 instead.
  int thinking_budget = 0;
  /// More request headers (e.g. "anthropic-beta").
  std::map<std::string, std::string> headers{};
  /// Members merged last into the request body; a null member removes the key.
  Json extra_body{};
  /// Timeouts, retries, TLS and the response cap (max_response_bytes, 64 MiB by default).
  HttpSettings http{};
};

/// Settings from the environment: ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, ANTHROPIC_MODEL (each
/// left at its default when unset or empty).
AnthropicSettings anthropic_settings_from_environment();

/// The JSON body the adapter would POST for this call: the system prompt (the context's, then
/// the branch's system messages), the messages as content blocks (text, images, thinking with
/// its signature, tool_use, and tool_result blocks in the user turn that follows), the tools
/// that are not disabled, and the call settings. It holds no secret.
Json build_anthropic_request(const ChatModelRunOptions& options, const AnthropicSettings& settings);

/// The streaming adapter; behaves like make_openai_adapter (status from stop_reason, usage in
/// metadata, tools run and sent back within one assistant message, failures as incomplete/error
/// keeping what arrived, cancel at once). Thinking keeps its signature in the reasoning part's
/// provider_metadata, so it can be sent back with tool results as the API requires.
ChatModelAdapter make_anthropic_adapter(AnthropicSettings settings);

}  // namespace aui
