// aui-chat's backend flags and choice.

#include "backend_options.hpp"

#include <cstdlib>
#include <ostream>
#include <stdexcept>

#include "aui/demo/demo_tools.hpp"
#ifdef AUI_CHAT_HAS_BACKENDS
#include "aui/backends/anthropic_adapter.hpp"
#include "aui/backends/openai_adapter.hpp"
#endif

namespace aui::chat {

const char* backend_usage() {
  return "  --provider P           openai (any OpenAI-compatible server), anthropic, or demo\n"
         "                         (default: openai if OPENAI_API_KEY or OPENAI_BASE_URL is set,\n"
         "                         else anthropic if ANTHROPIC_API_KEY is set, else demo)\n"
         "  --base-url URL         the server, e.g. http://localhost:8080/v1 (llama-server),\n"
         "                         http://localhost:11434/v1 (Ollama); overrides *_BASE_URL\n"
         "  --model NAME           the model; overrides OPENAI_MODEL / ANTHROPIC_MODEL\n"
         "  --demo-tools           offer the demo tools (weather, time, calculate, ...) to the "
         "model\n"
         "  --insecure             do not verify TLS certificates (a local server you trust)\n"
         "  The API key comes only from OPENAI_API_KEY or ANTHROPIC_API_KEY, never a flag.\n";
}

int parse_backend_arg(int argc, const char* const* argv, int& i, BackendOptions& options,
                      std::ostream& err) {
  const std::string arg = argv[i];
  const auto value = [&](const char* what) -> const char* {
    if (i + 1 >= argc || argv[i + 1][0] == '\0') {
      err << "aui-chat: " << arg << " needs " << what << '\n';
      return nullptr;
    }
    return argv[++i];
  };
  if (arg == "--provider") {
    const char* v = value("openai, anthropic or demo");
    if (!v) return -1;
    const std::string p = v;
    if (p != "openai" && p != "anthropic" && p != "demo") {
      err << "aui-chat: unknown provider " << p << " (openai, anthropic or demo)\n";
      return -1;
    }
    options.provider = p;
    return 1;
  }
  if (arg == "--base-url") {
    const char* v = value("a URL");
    if (!v) return -1;
    options.base_url = v;
    return 1;
  }
  if (arg == "--model") {
    const char* v = value("a model name");
    if (!v) return -1;
    options.model = v;
    return 1;
  }
  if (arg == "--demo-tools") {
    options.demo_tools = true;
    return 1;
  }
  if (arg == "--insecure") {
    options.insecure = true;
    return 1;
  }
  return 0;
}

std::string process_env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

std::optional<ChosenBackend> choose_backend(const BackendOptions& options, const EnvLookup& env) {
  std::string provider = options.provider;
  if (provider.empty()) {
    if (!options.base_url.empty() || !env("OPENAI_API_KEY").empty() ||
        !env("OPENAI_BASE_URL").empty()) {
      provider = "openai";
    } else if (!env("ANTHROPIC_API_KEY").empty() || !env("ANTHROPIC_BASE_URL").empty()) {
      provider = "anthropic";
    } else {
      provider = "demo";
    }
  }
  if (provider == "demo") return std::nullopt;
#ifndef AUI_CHAT_HAS_BACKENDS
  throw std::invalid_argument(
      "this aui-chat was built without backends (AUI_BUILD_BACKENDS=OFF); use --provider demo");
#else
  const char* prefix = provider == "openai" ? "OPENAI" : "ANTHROPIC";
  const auto var = [&](const char* suffix) {
    return env((std::string(prefix) + "_" + suffix).c_str());
  };
  const std::string key = var("API_KEY");
  std::string base_url = options.base_url.empty() ? var("BASE_URL") : options.base_url;
  std::string model = options.model.empty() ? var("MODEL") : options.model;
  const std::string key_note =
      key.empty() ? "no API key" : std::string("key from ") + prefix + "_API_KEY";
  ChosenBackend chosen;
  if (provider == "openai") {
    OpenAISettings s;
    if (!base_url.empty()) s.base_url = base_url;
    if (!model.empty()) s.model = model;
    s.api_key = key;
    s.http.verify_tls = !options.insecure;
    chosen.banner = "aui-chat — OpenAI-compatible backend at " + url_host(s.base_url) + ", model " +
                    s.model + " (" + key_note + ").";
    chosen.adapter = make_openai_adapter(std::move(s));
  } else {
    AnthropicSettings s;
    if (!base_url.empty()) s.base_url = base_url;
    if (!model.empty()) s.model = model;
    s.api_key = key;
    s.http.verify_tls = !options.insecure;
    chosen.banner = "aui-chat — Anthropic backend at " + url_host(s.base_url) + ", model " +
                    s.model + " (" + key_note + ").";
    chosen.adapter = make_anthropic_adapter(std::move(s));
  }
  if (options.insecure) chosen.banner += " TLS verification is OFF.";
  if (options.demo_tools) {
    chosen.tools = make_demo_toolkit();
    chosen.banner += " Demo tools on.";
  }
  chosen.banner += " /help lists the commands.";
  return chosen;
#endif
}

}  // namespace aui::chat
