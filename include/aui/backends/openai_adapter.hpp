#pragma once
// The OpenAI Chat Completions adapter: OpenAI itself and the servers that speak its protocol
// (llama.cpp's llama-server, Ollama's /v1, vLLM, LM Studio, OpenRouter, Groq, DeepSeek, ...).
//
//     auto settings = aui::openai_settings_from_environment();   // OPENAI_API_KEY, ...
//     aui::LocalRuntime rt(aui::make_openai_adapter(settings));

#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/backends/http_stream.hpp"
#include "aui/model/json.hpp"

namespace aui {

/// Where and how to reach an OpenAI-compatible server. The run's ModelContext config (api_key,
/// base_url, model_name, reasoning_effort) overrides these per run when set.
struct OpenAISettings {
  /// Up to and including the version path; "/chat/completions" is appended.
  std::string base_url = "https://api.openai.com/v1";
  /// Sent as "Authorization: Bearer <key>"; empty sends no Authorization header (local servers).
  /// Never logged, never in an error message, never stored on a message.
  std::string api_key{};
  std::string model = "gpt-4o-mini";
  /// More request headers (e.g. OpenRouter's HTTP-Referer).
  std::map<std::string, std::string> headers{};
  /// Asks for a usage chunk (stream_options.include_usage). A few old servers reject it.
  bool include_usage = true;
  /// Sends the limit as max_completion_tokens (OpenAI's newer models want it) instead of
  /// max_tokens (what most compatible servers read).
  bool use_max_completion_tokens = false;
  /// The server sends the whole text so far in every delta instead of the new piece (some
  /// OpenAI-compatible gateways do): strip what was already received.
  bool cumulative_content = false;
  /// Sends an assistant message's reasoning back as `reasoning_content` (DeepSeek's thinking mode
  /// with tools requires it; others reject or ignore it).
  bool send_reasoning = false;
  /// Members merged last into the request body, for server-specific knobs (e.g. llama.cpp's
  /// chat_template_kwargs). A null member removes the key.
  Json extra_body{};
  /// Timeouts, retries, TLS and the response cap (max_response_bytes, 64 MiB by default).
  HttpSettings http{};
};

/// Settings from the environment: OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL (each left at
/// its default when unset or empty).
OpenAISettings openai_settings_from_environment();

/// The JSON body the adapter would POST for this call, `stream: true` included: the branch's
/// messages (text, images, files as text, tool calls and their results, reasoning if asked for)
/// after the context's system prompt, then the assistant message being built (its earlier
/// roundtrips: tool calls and their results), the tools of the context that are not disabled,
/// and the call settings. Exposed so it can be tested and inspected; it holds no secret.
Json build_openai_request(const ChatModelRunOptions& options, const OpenAISettings& settings);

/// The streaming adapter. Each call POSTs one request and streams the answer into the message
/// as it arrives. finish_reason becomes the status; the usage becomes a step of the message's
/// metadata (steps[].usage) and metadata.custom.usage. When the model calls tools that have an
/// execute function, they run and the call ends requires-action/tool-calls: the runtime then
/// calls again, and the results go back to the model — all in one assistant message; human tools
/// and approval gates pause as the runtime says (spec §7).
///
/// Failures (connection, DNS, TLS, HTTP status with the provider's message, timeouts, a
/// truncated or broken stream) end the message incomplete/error with {code, message}, keeping the
/// content received so far; the call itself then returns normally. Cancelling ends the transfer
/// at once and throws aui::Cancelled.
ChatModelAdapter make_openai_adapter(OpenAISettings settings);

/// The ids of the models the server offers (GET <base_url>/models: OpenAI's `data[].id`, plus
/// the `models[].model`/`name` some local servers list instead), in the server's order, without
/// duplicates. A local server (llama.cpp, Ollama, vLLM, LM Studio) lists the model it runs.
/// Throws HttpError as the adapter's requests fail (the key is never in a message), and
/// HttpError("invalid_json") when the answer holds no model list.
std::vector<std::string> list_openai_models(const OpenAISettings& settings,
                                            std::stop_token stop = {});

}  // namespace aui
