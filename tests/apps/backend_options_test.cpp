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

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(BackendOptions, FlagsAreParsed) {
  const char* argv[] = {"aui-chat", "--provider", "anthropic", "--base-url", "http://h:1", "--model", "m", "--demo-tools"};
  aui::chat::ChatOptions options;
  std::ostringstream out, err;
  ASSERT_EQ(aui::chat::parse_args(8, argv, options, out, err), aui::chat::ParseOutcome::Run) << err.str();
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
  const auto chosen = choose_backend({}, fake_env({{"OPENAI_API_KEY", "sk-very-secret"}, {"OPENAI_MODEL", "gpt-x"}}));
  ASSERT_TRUE(chosen.has_value());
  EXPECT_TRUE(contains(chosen->banner, "OpenAI-compatible backend at api.openai.com, model gpt-x")) << chosen->banner;
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
  EXPECT_TRUE(contains(chosen->banner, "at localhost:8080, model qwen (no API key)")) << chosen->banner;
  EXPECT_FALSE(chosen->tools.empty());
}

TEST(BackendOptions, ProviderDemoWinsOverTheEnvironment) {
  BackendOptions o;
  o.provider = "demo";
  EXPECT_FALSE(choose_backend(o, fake_env({{"OPENAI_API_KEY", "k"}})).has_value());
}

TEST(BackendOptions, TheChosenBackendTalksToTheServer) {
  aui::testing::HttpTestServer server([](const aui::testing::HttpTestServer::Request&,
                                         aui::testing::HttpTestServer::Connection& c) {
    c.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi from the server\"},\"finish_reason\":\"stop\"}]}\n\n"
            "data: [DONE]\n\n");
    c.close();
  });
  BackendOptions o;
  o.base_url = server.url("/v1");
  auto chosen = choose_backend(o, fake_env({}));
  ASSERT_TRUE(chosen.has_value());
  aui::LocalRuntime rt(std::move(chosen->adapter));
  rt.wait(rt.thread().append("hello"));
  EXPECT_EQ(rt.thread().messages().back()->text(), "hi from the server");
}

}  // namespace
