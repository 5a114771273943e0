#pragma once
// aui-chat's choice of backend: the --provider / --base-url / --model flags and the environment
// (OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL,
// ANTHROPIC_MODEL). Kept apart from chat_app.cpp, which only calls in here.

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/runtime/tool.hpp"

namespace aui::chat {

struct BackendOptions {
  std::string provider{};  // "" (choose by the environment), "openai", "anthropic", "demo"
  std::string base_url{};
  std::string model{};
  bool demo_tools = false;              // offer the demo toolkit to a real model too
  bool insecure = false;                // no TLS verification
  std::string system_prompt{};          // --system: sent before every conversation
  std::optional<double> temperature{};  // --temperature
  std::optional<int> max_tokens{};      // --max-tokens: the most a reply may hold
};

/// The help lines of the backend flags.
const char* backend_usage();

/// Reads the backend flag at argv[i] (advancing `i` past its value): 1 when it was one, 0 when
/// it is not a backend flag, -1 after printing a one-line error to `err`.
int parse_backend_arg(int argc, const char* const* argv, int& i, BackendOptions& options,
                      std::ostream& err);

/// Lists the models a server offers (GET /models), for /model. Blocks; throws on failure.
using ModelLister = std::function<std::vector<std::string>()>;

/// A backend with its banner line and the tools to register.
struct ChosenBackend {
  ChatModelAdapter adapter;
  /// aui-chat's first line: "aui-chat — " + description + " /help lists the commands."
  std::string banner;
  /// The backend in one or two sentences (provider, host, model, where the key comes from, TLS,
  /// demo tools), for any app to show.
  std::string description;
  Toolkit tools{};
  /// "openai" or "anthropic", and the model the adapter sends when no /model was chosen.
  std::string provider{};
  std::string model{};
  /// The server's model list (OpenAI-compatible servers), empty when the provider has none.
  ModelLister list_models{};
};

/// How choose_backend asks an OpenAI-compatible server for its models: the settings as built
/// from the options (base URL, key, TLS). Tests pass their own.
using ServerModelLister = std::function<std::vector<std::string>(
    const std::string& base_url, const std::string& api_key, bool verify_tls)>;
/// The real one: GET <base_url>/models, giving up after a few seconds.
std::vector<std::string> server_models(const std::string& base_url, const std::string& api_key,
                                       bool verify_tls);

/// Reads an environment variable ("" when unset); tests pass their own.
using EnvLookup = std::function<std::string(const char*)>;
std::string process_env(const char* name);

/// The real backend the options and the environment ask for, or nullopt for the offline demo:
/// --provider picks one; without it, --base-url or an OpenAI key or base URL in the environment
/// picks OpenAI-compatible, else an Anthropic key or base URL picks Anthropic, else the demo.
/// The banner names the provider, host and model and where the key came from — never the key.
/// With a base URL of its own and no model named (neither --model nor *_MODEL), an
/// OpenAI-compatible server is asked for its models and the first is used — a local server
/// (llama-server, Ollama) names the model it runs; when it cannot be asked, the banner says why
/// and which model is sent instead.
/// Throws std::invalid_argument when the build has no backends but one was asked for.
std::optional<ChosenBackend> choose_backend(const BackendOptions& options,
                                            const EnvLookup& env = process_env,
                                            const ServerModelLister& lister = server_models);

}  // namespace aui::chat
