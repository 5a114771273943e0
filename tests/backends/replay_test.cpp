// Every recorded provider stream in tests/fixtures/streams, served by a real HTTP server on
// 127.0.0.1 to the real adapters — as recorded, cut at random byte positions, with CRLF line
// endings, and in HTTP chunks — and the assembled message compared with expected.json.

#include <gtest/gtest.h>

#include <set>

#include "aui/backends/anthropic_adapter.hpp"
#include "aui/backends/openai_adapter.hpp"
#include "backend_test_support.hpp"

namespace aui {
namespace {

using namespace backend_test;
using namespace stream_fixtures;

void check(const StreamCase& c, const ChatModelRunResult& r) {
  const Json& e = c.expected;
  ASSERT_TRUE(r.content.has_value());
  ASSERT_TRUE(r.status.has_value());
  const Content& content = *r.content;
  if (e.value("protocol_error", false)) {
    EXPECT_TRUE(r.status->is(StatusType::Incomplete, StatusReason::Error));
    EXPECT_EQ(r.status->error->at("code"), "protocol_error");
    return;
  }
  EXPECT_EQ(answer_text_of(content), e["text"].get<std::string>());
  // A refusal reaches the message as a text part of its own (streamed, so the user sees it).
  EXPECT_EQ(refusal_of(content), expected_refusal(c.wire, e));
  EXPECT_EQ(code_points(reasoning_of(content)), e["reasoning_chars"].get<std::size_t>());
  const auto calls = tool_calls_of(content);
  ASSERT_EQ(calls.size(), e["tool_calls"].size());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    const Json& want = e["tool_calls"][i];
    EXPECT_EQ(calls[i]->tool_call_id, want["id"].get<std::string>());
    EXPECT_EQ(calls[i]->tool_name, want["name"].get<std::string>());
    EXPECT_EQ(calls[i]->args_text.view(), want["arguments_raw"].get<std::string>());
    if (want["arguments_valid_json"].get<bool>()) {
      EXPECT_EQ(calls[i]->args, want["arguments"]);
    }
  }
  const MessageStatus want = expected_status(c, e);
  EXPECT_EQ(r.status->type, want.type) << to_string(r.status->type);
  EXPECT_EQ(r.status->reason, want.reason) << to_string(r.status->reason);
  if (want.reason == StatusReason::Error) {
    EXPECT_TRUE(r.status->error->at("message").is_string());
    if (!e["errors"].empty()) {
      // The provider's own words reach the user.
      const Json& first = e["errors"][0];
      const std::string said = first.is_string()           ? first.get<std::string>()
                               : first.contains("message") ? first["message"].get<std::string>()
                               : first.contains("error") && first["error"].contains("message")
                                   ? first["error"]["message"].get<std::string>()
                                   : "";
      if (!said.empty()) {
        EXPECT_EQ(r.status->error->at("message"), said);
      }
    }
  }
  // The usage becomes the step of this call.
  ASSERT_TRUE(r.metadata.has_value());
  ASSERT_TRUE(r.metadata->steps.has_value());
  ASSERT_EQ(r.metadata->steps->size(), 1u);
  const auto& step = r.metadata->steps->front();
  if (e["usage"].is_object()) {
    ASSERT_TRUE(step.usage.has_value());
    const Json& u = e["usage"];
    EXPECT_EQ(step.usage->input_tokens, u.value("prompt_tokens", u.value("input_tokens", 0)));
    EXPECT_EQ(step.usage->output_tokens, u.value("completion_tokens", u.value("output_tokens", 0)));
    ASSERT_TRUE(r.metadata->custom.has_value());
    EXPECT_EQ((*r.metadata->custom)["usage"], u);
  } else {
    EXPECT_FALSE(step.usage.has_value());
  }
}

class Replay : public ::testing::TestWithParam<StreamCase> {};

TEST_P(Replay, ThroughARealServerAssemblesTheExpectedMessage) {
  const StreamCase& c = GetParam();
  const std::string original = read_file(kStreamsDir / c.file);
  ASSERT_FALSE(original.empty());
  const std::string crlf = replace_lf(original, "\r\n");
  struct Variant {
    std::string label;
    std::vector<std::string_view> slices;
    bool chunked = false;
  };
  const std::vector<Variant> variants = {
      {"as recorded", {original}},
      {"random cuts, seed 1", random_cuts(original, 1, 48)},
      {"random cuts, seed 2", random_cuts(original, 2, 7)},
      {"CRLF", random_cuts(crlf, 3, 64)},
      {"HTTP chunks", random_cuts(original, 4, 100), true},
  };
  HttpTestServer server([&](const HttpTestServer::Request& req, HttpTestServer::Connection& conn) {
    // The path starts with /v<variant>/.
    const std::size_t v =
        static_cast<std::size_t>(std::stoul(req.path.substr(2, req.path.find('/', 1) - 2)));
    if (variants[v].chunked) {
      serve_chunked(conn, variants[v].slices);
    } else {
      serve_slices(conn, variants[v].slices);
    }
  });
  for (std::size_t v = 0; v < variants.size(); ++v) {
    SCOPED_TRACE(c.file + " (" + variants[v].label + ")");
    RecordingSink sink;
    const std::string base = server.url("/v" + std::to_string(v));
    const ChatModelRunOptions options = user_says("hi");
    if (c.wire == "anthropic") {
      AnthropicSettings s;
      s.base_url = base;
      s.api_key = "sk-ant-test";
      make_anthropic_adapter(s).streaming()(options, sink);
    } else {
      OpenAISettings s;
      s.base_url = base;
      s.api_key = "sk-test";
      make_openai_adapter(s).streaming()(options, sink);
    }
    check(c, sink.last());
    // Every result is cumulative: the text only grows.
    std::string before;
    for (const auto& r : sink.results()) {
      if (!r.content) continue;
      const std::string now = text_of(*r.content);
      EXPECT_TRUE(now.starts_with(before)) << "not cumulative";
      before = now;
    }
  }
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), variants.size());
  for (const auto& req : requests) {
    EXPECT_EQ(req.method, "POST");
    EXPECT_TRUE(req.path.ends_with(c.wire == "anthropic" ? "/v1/messages" : "/chat/completions"))
        << req.path;
  }
}

INSTANTIATE_TEST_SUITE_P(Recorded, Replay, ::testing::ValuesIn(load_cases()), test_name);

TEST(ReplayCases, CoverEveryRecordedStream) { EXPECT_GE(load_cases().size(), 43u); }

}  // namespace
}  // namespace aui
