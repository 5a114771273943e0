// list_openai_models against a real server on 127.0.0.1: the shapes servers answer GET /models
// with, and the failures a user meets (a wrong key, a web page, a server that is not there).

#include <gtest/gtest.h>

#include "aui/backends/openai_adapter.hpp"
#include "backend_test_support.hpp"

namespace aui {
namespace {

using namespace backend_test;
using namespace std::chrono_literals;

constexpr const char* kKey = "sk-secret-models-42";

OpenAISettings settings_for(const HttpTestServer& server) {
  OpenAISettings s;
  s.base_url = server.url("/v1/");  // a trailing slash must not double
  s.api_key = kKey;
  s.http.retry_base_delay = 1ms;
  s.http.max_retry_delay = 2ms;
  s.http.max_retries = 1;
  return s;
}

TEST(ListModels, ReadsOpenAIsListAndSendsTheKey) {
  HttpTestServer server([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{
        200, "application/json",
        R"({"object":"list","data":[{"id":"gpt-4o","object":"model"},{"id":"o3-mini"}]})"};
  });
  EXPECT_EQ(list_openai_models(settings_for(server)),
            (std::vector<std::string>{"gpt-4o", "o3-mini"}));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].path, "/v1/models");
  EXPECT_EQ(requests[0].headers.at("authorization"), std::string("Bearer ") + kKey);
}

TEST(ListModels, ReadsTheLocalServersShapesWithoutDuplicates) {
  // llama-server lists its model twice: under "models" (with "model"/"name") and under "data".
  HttpTestServer server([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{
        200, "application/json",
        R"({"models":[{"name":"qwen2.5-7b.gguf","model":"qwen2.5-7b.gguf"}],)"
        R"("object":"list","data":[{"id":"qwen2.5-7b.gguf","owned_by":"llamacpp"}]})"};
  });
  EXPECT_EQ(list_openai_models(settings_for(server)),
            (std::vector<std::string>{"qwen2.5-7b.gguf"}));
}

TEST(ListModels, AnEmptyListIsEmpty) {
  HttpTestServer server([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{200, "application/json", R"({"object":"list","data":[]})"};
  });
  EXPECT_TRUE(list_openai_models(settings_for(server)).empty());
}

TEST(ListModels, AWrongKeyIsReportedWithoutTheKey) {
  HttpTestServer server([](const HttpTestServer::Request&) {
    const Json body{{"error", {{"message", "Incorrect API key provided: " + std::string(kKey)}}}};
    return HttpTestServer::Response{401, "application/json", body.dump()};
  });
  try {
    list_openai_models(settings_for(server));
    FAIL() << "no error";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.http_status(), 401);
    EXPECT_EQ(std::string(e.what()).find(kKey), std::string::npos) << e.what();
  }
}

TEST(ListModels, AWebPageSaysSoWithItsTitle) {
  HttpTestServer server([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{200, "text/html; charset=utf-8",
                                    "<html><head><title>Hotel Wi-Fi login</title></head></html>"};
  });
  try {
    list_openai_models(settings_for(server));
    FAIL() << "no error";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.code(), "invalid_json");
    EXPECT_NE(std::string(e.what()).find("web page"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("Hotel Wi-Fi login"), std::string::npos) << e.what();
  }
}

TEST(ListModels, JsonWithoutAListIsAnError) {
  HttpTestServer server([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{200, "application/json", R"({"hello":"world"})"};
  });
  try {
    list_openai_models(settings_for(server));
    FAIL() << "no error";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.code(), "invalid_json");
  }
}

TEST(ListModels, NoServerIsAConnectionError) {
  OpenAISettings s;
  {
    HttpTestServer gone([](const HttpTestServer::Request&) { return HttpTestServer::Response{}; });
    s = settings_for(gone);
  }  // the port is closed now
  try {
    list_openai_models(s);
    FAIL() << "no error";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.code(), "connection_refused") << e.what();
  }
}

}  // namespace
}  // namespace aui
