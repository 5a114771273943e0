// aui-chat's backend flags and choice.

#include "backend_options.hpp"

#include <cerrno>
#include <chrono>
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
         "  --system TEXT          a system prompt sent before every conversation (/system "
         "changes it)\n"
         "  --temperature X        sampling temperature (0 to 2; the server's default when not "
         "given)\n"
         "  --max-tokens N         the most tokens a reply may hold\n"
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
  if (arg == "--system") {
    if (i + 1 >= argc) {
      err << "aui-chat: --system needs the text of the system prompt\n";
      return -1;
    }
    options.system_prompt = argv[++i];
    return 1;
  }
  if (arg == "--temperature") {
    const char* v = value("a number from 0 to 2");
    if (!v) return -1;
    char* end = nullptr;
    errno = 0;
    const double t = std::strtod(v, &end);
    if (errno != 0 || *end != '\0' || !(t >= 0.0 && t <= 2.0)) {
      err << "aui-chat: --temperature needs a number from 0 to 2, not " << v << '\n';
      return -1;
    }
    options.temperature = t;
    return 1;
  }
  if (arg == "--max-tokens") {
    const char* v = value("a number of tokens");
    if (!v) return -1;
    char* end = nullptr;
    errno = 0;
    const long n = std::strtol(v, &end, 10);
    if (errno != 0 || *end != '\0' || n < 1 || n > 10'000'000) {
      err << "aui-chat: --max-tokens needs a positive number of tokens, not " << v << '\n';
      return -1;
    }
    options.max_tokens = static_cast<int>(n);
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

std::vector<std::string> server_models(const std::string& base_url, const std::string& api_key,
                                       bool verify_tls) {
#ifdef AUI_CHAT_HAS_BACKENDS
  OpenAISettings s;
  s.base_url = base_url;
  s.api_key = api_key;
  s.http.verify_tls = verify_tls;
  // Asked at start-up and by /model: a server that does not answer must not hold the chat.
  s.http.connect_timeout = std::chrono::seconds(3);
  s.http.idle_timeout = std::chrono::seconds(5);
  s.http.max_retries = 0;
  s.http.max_response_bytes = 4 * 1024 * 1024;
  return list_openai_models(s);
#else
  (void)base_url;
  (void)api_key;
  (void)verify_tls;
  throw std::invalid_argument("this aui-chat was built without backends");
#endif
}

std::optional<ChosenBackend> choose_backend(const BackendOptions& options, const EnvLookup& env,
                                            const ServerModelLister& lister) {
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
    s.api_key = key;
    s.http.verify_tls = !options.insecure;
    std::string model_note;
    if (!model.empty()) {
      s.model = model;
    } else if (!base_url.empty() && lister) {
      // A server of the user's own: the model it runs, not OpenAI's default name.
      try {
        const auto models = lister(s.base_url, key, s.http.verify_tls);
        if (!models.empty()) {
          s.model = models.front();
          model_note = models.size() == 1
                           ? " (the server's model)"
                           : " (the server's first of " + std::to_string(models.size()) +
                                 "; /model lists them)";
        } else {
          model_note = " (the server lists no models; name one with --model)";
        }
      } catch (const std::exception& e) {
        model_note = std::string(" (the server's models could not be listed: ") + e.what() +
                     " Name one with --model)";
      }
    }
    chosen.description = "OpenAI-compatible backend at " + url_host(s.base_url) + ", model " +
                         s.model + model_note + " (" + key_note + ").";
    chosen.provider = "openai";
    chosen.model = s.model;
    if (lister) {
      chosen.list_models = [lister, url = s.base_url, key, tls = s.http.verify_tls] {
        return lister(url, key, tls);
      };
    }
    chosen.adapter = make_openai_adapter(std::move(s));
  } else {
    AnthropicSettings s;
    if (!base_url.empty()) s.base_url = base_url;
    if (!model.empty()) s.model = model;
    s.api_key = key;
    s.http.verify_tls = !options.insecure;
    chosen.description = "Anthropic backend at " + url_host(s.base_url) + ", model " + s.model +
                         " (" + key_note + ").";
    chosen.provider = "anthropic";
    chosen.model = s.model;
    chosen.adapter = make_anthropic_adapter(std::move(s));
  }
  if (options.insecure) chosen.description += " TLS verification is OFF.";
  if (options.demo_tools) {
    chosen.tools = make_demo_toolkit();
    chosen.description += " Demo tools on.";
  }
  chosen.banner = "aui-chat — " + chosen.description + " /help lists the commands.";
  return chosen;
#endif
}

}  // namespace aui::chat
