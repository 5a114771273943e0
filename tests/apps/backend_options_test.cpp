// aui-chat's backend flags and the choice between a real backend and the offline demo.

#include "backend_options.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "aui/local_runtime.hpp"
#include "chat_app.hpp"
#include "support/http_test_server.hpp"

namespace {

using aui::chat::BackendOptions;
using aui::chat::choose_backend;

aui::chat::EnvLookup fake_env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) {
    const auto it = vars.find(name);
    return it == vars.end() ? std::string() : it->second;
  };
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(BackendOptions, FlagsAreParsed) {
  const char* argv[] = {"aui-chat",   "--provider", "anthropic", "--base-url",
                        "http://h:1", "--model",    "m",         "--demo-tools"};
  aui::chat::ChatOptions options;
  std::ostringstream out, err;
  ASSERT_EQ(aui::chat::parse_args(8, argv, options, out, err), aui::chat::ParseOutcome::Run)
      << err.str();
  EXPECT_EQ(options.backend.provider, "anthropic");
  EXPECT_EQ(options.backend.base_url, "http://h:1");
  EXPECT_EQ(options.backend.model, "m");
  EXPECT_TRUE(options.backend.demo_tools);
}

TEST(BackendOptions, BadFlagsSayWhatIsWrong) {
  aui::chat::ChatOptions options;
  std::ostringstream out, err;
  const char* bogus[] = {"aui-chat", "--provider", "bogus"};
  EXPECT_EQ(aui::chat::parse_args(3, bogus, options, out, err), aui::chat::ParseOutcome::Fail);
  EXPECT_TRUE(contains(err.str(), "unknown provider bogus")) << err.str();
  const char* missing[] = {"aui-chat", "--base-url"};
  EXPECT_EQ(aui::chat::parse_args(2, missing, options, out, err), aui::chat::ParseOutcome::Fail);
  EXPECT_TRUE(contains(err.str(), "--base-url needs a URL")) << err.str();
}

TEST(BackendOptions, TheHelpListsTheBackendFlags) {
  aui::chat::ChatOptions options;
  std::ostringstream out, err;
  const char* help[] = {"aui-chat", "--help"};
  EXPECT_EQ(aui::chat::parse_args(2, help, options, out, err), aui::chat::ParseOutcome::Exit);
  EXPECT_TRUE(contains(out.str(), "--provider")) << out.str();
  EXPECT_TRUE(contains(out.str(), "OPENAI_API_KEY"));
}

TEST(BackendOptions, NothingConfiguredMeansTheDemo) {
  EXPECT_FALSE(choose_backend({}, fake_env({})).has_value());
}

TEST(BackendOptions, AnOpenAIKeyPicksOpenAIAndTheBannerNeverShowsTheKey) {
  const auto chosen = choose_backend(
      {}, fake_env({{"OPENAI_API_KEY", "sk-very-secret"}, {"OPENAI_MODEL", "gpt-x"}}));
  ASSERT_TRUE(chosen.has_value());
  EXPECT_TRUE(contains(chosen->banner, "OpenAI-compatible backend at api.openai.com, model gpt-x"))
      << chosen->banner;
  EXPECT_TRUE(contains(chosen->banner, "key from OPENAI_API_KEY"));
  EXPECT_FALSE(contains(chosen->banner, "sk-very-secret"));
  EXPECT_TRUE(chosen->tools.empty());
}

TEST(BackendOptions, AnAnthropicKeyPicksAnthropic) {
  const auto chosen = choose_backend({}, fake_env({{"ANTHROPIC_API_KEY", "sk-ant"}}));
  ASSERT_TRUE(chosen.has_value());
  EXPECT_TRUE(contains(chosen->banner, "Anthropic backend at api.anthropic.com")) << chosen->banner;
}

TEST(BackendOptions, ABaseUrlAloneIsALocalServerWithoutKey) {
  BackendOptions o;
  o.base_url = "http://localhost:8080/v1";
  o.model = "qwen";
  o.demo_tools = true;
  const auto chosen = choose_backend(o, fake_env({}));
  ASSERT_TRUE(chosen.has_value());
  EXPECT_TRUE(contains(chosen->banner, "at localhost:8080, model qwen (no API key)"))
      << chosen->banner;
  EXPECT_FALSE(chosen->tools.empty());
}

TEST(BackendOptions, ProviderDemoWinsOverTheEnvironment) {
  BackendOptions o;
  o.provider = "demo";
  EXPECT_FALSE(choose_backend(o, fake_env({{"OPENAI_API_KEY", "k"}})).has_value());
}

TEST(BackendOptions, TheChosenBackendTalksToTheServerWithTheServersOwnModel) {
  aui::testing::HttpTestServer server([](const aui::testing::HttpTestServer::Request& r,
                                         aui::testing::HttpTestServer::Connection& c) {
    if (r.method == "GET") {
      const std::string body = R"({"object":"list","data":[{"id":"local-llama.gguf"}]})";
      c.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
              std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
      c.close();
      return;
    }
    c.write(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi from the "
        "server\"},\"finish_reason\":\"stop\"}]}\n\n"
        "data: [DONE]\n\n");
    c.close();
  });
  BackendOptions o;
  o.base_url = server.url("/v1");
  auto chosen = choose_backend(o, fake_env({}));
  ASSERT_TRUE(chosen.has_value());
  EXPECT_EQ(chosen->model, "local-llama.gguf");
  EXPECT_TRUE(contains(chosen->banner, "model local-llama.gguf (the server's model)"))
      << chosen->banner;
  aui::LocalRuntime rt(std::move(chosen->adapter));
  rt.wait(rt.thread().append("hello"));
  EXPECT_EQ(rt.thread().messages().back()->text(), "hi from the server");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/v1/models");
  EXPECT_EQ(aui::Json::parse(requests[1].body)["model"], "local-llama.gguf")
      << "the model the server runs is sent, not gpt-4o-mini";
}

TEST(BackendOptions, ANamedModelIsNotLookedUp) {
  int asked = 0;
  const aui::chat::ServerModelLister lister = [&](const std::string&, const std::string&, bool) {
    ++asked;
    return std::vector<std::string>{"other"};
  };
  BackendOptions o;
  o.base_url = "http://localhost:8080/v1";
  o.model = "mine";
  auto chosen = choose_backend(o, fake_env({}), lister);
  ASSERT_TRUE(chosen.has_value());
  EXPECT_EQ(chosen->model, "mine");
  EXPECT_EQ(asked, 0);
  chosen = choose_backend(
      {}, fake_env({{"OPENAI_BASE_URL", "http://h:1/v1"}, {"OPENAI_MODEL", "env-model"}}), lister);
  EXPECT_EQ(chosen->model, "env-model");
  EXPECT_EQ(asked, 0);
  // OpenAI's own server without a model: its default, no lookup.
  chosen = choose_backend({}, fake_env({{"OPENAI_API_KEY", "k"}}), lister);
  EXPECT_EQ(chosen->model, "gpt-4o-mini");
  EXPECT_EQ(asked, 0);
  // /model can still list them.
  ASSERT_TRUE(chosen->list_models);
  EXPECT_EQ(chosen->list_models(), std::vector<std::string>{"other"});
}

TEST(BackendOptions, AServerThatCannotListItsModelsIsSaidInTheBanner) {
  BackendOptions o;
  o.base_url = "http://localhost:8080/v1";
  const auto chosen =
      choose_backend(o, fake_env({}),
                     [](const std::string&, const std::string&, bool) -> std::vector<std::string> {
                       throw std::runtime_error("localhost:8080 refused the connection.");
                     });
  ASSERT_TRUE(chosen.has_value());
  EXPECT_EQ(chosen->model, "gpt-4o-mini");
  EXPECT_TRUE(
      contains(chosen->banner, "could not be listed: localhost:8080 refused the connection."))
      << chosen->banner;
  EXPECT_TRUE(contains(chosen->banner, "--model")) << chosen->banner;
}

TEST(BackendOptions, SessionFlagsAreParsedAndCheckedAndListedInTheHelp) {
  const char* argv[] = {"aui-chat", "--system",     "Be brief.", "--temperature",
                        "0.3",      "--max-tokens", "512"};
  aui::chat::ChatOptions options;
  std::ostringstream out, err;
  ASSERT_EQ(aui::chat::parse_args(7, argv, options, out, err), aui::chat::ParseOutcome::Run)
      << err.str();
  EXPECT_EQ(options.backend.system_prompt, "Be brief.");
  EXPECT_EQ(options.backend.temperature, 0.3);
  EXPECT_EQ(options.backend.max_tokens, 512);
  const char* hot[] = {"aui-chat", "--temperature", "7"};
  EXPECT_EQ(aui::chat::parse_args(3, hot, options, out, err), aui::chat::ParseOutcome::Fail);
  EXPECT_TRUE(contains(err.str(), "--temperature needs a number from 0 to 2, not 7")) << err.str();
  const char* none[] = {"aui-chat", "--max-tokens", "0"};
  EXPECT_EQ(aui::chat::parse_args(3, none, options, out, err), aui::chat::ParseOutcome::Fail);
  const char* help[] = {"aui-chat", "--help"};
  EXPECT_EQ(aui::chat::parse_args(2, help, options, out, err), aui::chat::ParseOutcome::Exit);
  for (const char* flag : {"--system", "--temperature", "--max-tokens"})
    EXPECT_TRUE(contains(out.str(), flag)) << flag;
}

}  // namespace
