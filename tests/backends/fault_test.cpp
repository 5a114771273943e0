// The error paths of the backends, each against a real server on 127.0.0.1 that misbehaves in
// one way: every one ends the reply incomplete/error with a message a user understands, keeps
// what arrived, retries only what may be retried, and never shows the API key.

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

#include "aui/backends/anthropic_adapter.hpp"
#include "aui/backends/openai_adapter.hpp"
#include "aui/local_runtime.hpp"
#include "aui/model/message_json.hpp"
#include "backend_test_support.hpp"

namespace aui {
namespace {

using namespace backend_test;
using namespace std::chrono_literals;

constexpr const char* kKey = "sk-secret-0123456789";

OpenAISettings fast_settings(const HttpTestServer& server) {
  OpenAISettings s;
  s.base_url = server.url("/v1");
  s.api_key = kKey;
  s.model = "test-model";
  s.http.retry_base_delay = 1ms;
  s.http.max_retry_delay = 5ms;
  s.http.max_retries = 2;
  return s;
}

ChatModelRunResult run_openai(const OpenAISettings& s, const std::string& text = "hi") {
  RecordingSink sink;
  make_openai_adapter(s).streaming()(user_says(text), sink);
  return sink.last();
}

const Json& error_of(const ChatModelRunResult& r) {
  static const Json none;
  if (!r.status || !r.status->is(StatusType::Incomplete, StatusReason::Error)) {
    ADD_FAILURE() << "not incomplete/error";
    return none;
  }
  return r.status->error;
}

std::string message_of(const ChatModelRunResult& r) {
  const Json& e = error_of(r);
  return e.contains("message") ? e["message"].get<std::string>() : "";
}

void expect_no_key(const ChatModelRunResult& r) {
  if (r.status) {
    EXPECT_EQ(r.status->error->dump().find(kKey), std::string::npos) << r.status->error->dump();
  }
}

TEST(Faults, CutMidStreamKeepsTheTextAndSaysTheStreamEnded) {
  const std::string body = openai_text_stream({"Hello", ", wor"}, /*finish=*/false);
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    serve_slices(c, {body});
  });
  const auto r = run_openai(fast_settings(server));
  EXPECT_EQ(text_of(*r.content), "Hello, wor");
  EXPECT_EQ(error_of(r)["code"], "incomplete_stream");
  EXPECT_EQ(server.requests().size(), 1u) << "nothing is retried once content has arrived";
}

TEST(Faults, CutInsideAUtf8CharacterKeepsOnlyWholeEvents) {
  std::string body = openai_text_stream({"Grüße ", "aus Köln"}, false);
  const std::string more =
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\xE2\x82";  // half of "€"
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    serve_slices(c, {body, more});
  });
  const auto r = run_openai(fast_settings(server));
  EXPECT_EQ(text_of(*r.content), "Grüße aus Köln");
  EXPECT_TRUE(r.status->is(StatusType::Incomplete, StatusReason::Error));
}

TEST(Faults, GarbageIsAnErrorNotAnAnswer) {
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    serve_slices(c, {"\x01\x02garbage\xff\xfe<html>not events</html>\n", "data: {not json\n\n"});
  });
  const auto r = run_openai(fast_settings(server));
  EXPECT_TRUE(r.content->empty() || text_of(*r.content).empty());
  EXPECT_EQ(error_of(r)["code"], "invalid_json");
}

TEST(Faults, ASlowDripOfSingleBytesAssemblesTheSameMessage) {
  const std::string body = openai_text_stream({"dr", "ip ", "drop ✓"});
  std::vector<std::string_view> bytes;
  for (std::size_t i = 0; i < body.size(); ++i)
    bytes.push_back(std::string_view(body).substr(i, 1));
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    serve_slices(c, bytes);
  });
  const auto r = run_openai(fast_settings(server));
  EXPECT_EQ(text_of(*r.content), "drip drop ✓");
  EXPECT_TRUE(r.status->is(StatusType::Complete, StatusReason::Stop));
}

TEST(Faults, AServerThatFallsSilentHitsTheIdleTimeoutAndKeepsTheText) {
  const std::string body = openai_text_stream({"thinking..."}, false);
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    c.write(sse_head());
    c.write(body);
    c.wait_for_client_close(30s);  // never ends by itself
  });
  auto s = fast_settings(server);
  s.http.idle_timeout = 200ms;
  const auto r = run_openai(s);
  EXPECT_EQ(text_of(*r.content), "thinking...");
  EXPECT_EQ(error_of(r)["code"], "idle_timeout");
  EXPECT_NE(message_of(r).find("sent nothing for 200 ms"), std::string::npos) << message_of(r);
}

TEST(Faults, Http500IsRetriedThenReportedWithTheProvidersMessage) {
  HttpTestServer server([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{
        500, "application/json", R"({"error":{"message":"model crashed","type":"server_error"}})"};
  });
  const auto r = run_openai(fast_settings(server));
  EXPECT_EQ(server.requests().size(), 3u);  // 1 + max_retries
  EXPECT_EQ(error_of(r)["code"], "server_error");
  EXPECT_EQ(error_of(r)["status"], 500);
  EXPECT_NE(message_of(r).find("HTTP 500"), std::string::npos);
  EXPECT_NE(message_of(r).find("model crashed"), std::string::npos);
  EXPECT_NE(message_of(r).find("127.0.0.1"), std::string::npos);
}

TEST(Faults, Http429WithRetryAfterIsRetriedUntilItSucceeds) {
  std::atomic<int> calls{0};
  const std::string body = openai_text_stream({"finally"});
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    if (calls++ < 2) {
      c.write(
          "HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nRetry-After: 0\r\n"
          "Connection: close\r\n\r\n{\"error\":{\"message\":\"slow down\"}}");
      c.close();
      return;
    }
    serve_slices(c, {body});
  });
  const auto r = run_openai(fast_settings(server));
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(text_of(*r.content), "finally");
  EXPECT_TRUE(r.status->is(StatusType::Complete, StatusReason::Stop));
}

TEST(Faults, Http429ForeverEndsAsRateLimited) {
  HttpTestServer server([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{429,
                                    "application/json",
                                    R"({"error":{"message":"quota exceeded"}})",
                                    {{"Retry-After", "3600"}}};
  });
  auto s = fast_settings(server);
  const auto started = std::chrono::steady_clock::now();
  const auto r = run_openai(s);
  // Retry-After said an hour; max_retry_delay caps each wait.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(error_of(r)["code"], "rate_limited");
  EXPECT_NE(message_of(r).find("quota exceeded"), std::string::npos);
  EXPECT_NE(message_of(r).find("tried 3 times"), std::string::npos) << message_of(r);
}

TEST(Faults, Http401IsNotRetriedAndNeverShowsTheKey) {
  HttpTestServer server([](const HttpTestServer::Request& req) {
    // A careless server that echoes the key it was given.
    const std::string auth = req.headers.at("authorization");
    return HttpTestServer::Response{
        401, "application/json",
        Json{{"error", {{"message", "Incorrect API key provided: " + auth.substr(7)}}}}.dump()};
  });
  const auto r = run_openai(fast_settings(server));
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(error_of(r)["code"], "unauthorized");
  EXPECT_NE(message_of(r).find("Check the API key"), std::string::npos);
  EXPECT_NE(message_of(r).find("[redacted]"), std::string::npos);
  expect_no_key(r);
}

TEST(Faults, ConnectionRefusedSaysSo) {
  std::string url;
  {
    HttpTestServer gone([](const HttpTestServer::Request&) { return HttpTestServer::Response{}; });
    url = gone.url("/v1");
  }
  OpenAISettings s;
  s.base_url = url;
  s.api_key = kKey;
  const auto r = run_openai(s);
  EXPECT_EQ(error_of(r)["code"], "connection_refused");
  EXPECT_NE(message_of(r).find("Is the server running"), std::string::npos) << message_of(r);
}

TEST(Faults, AnUnknownHostIsADnsError) {
  OpenAISettings s;
  s.base_url = "http://no-such-host.invalid/v1";  // .invalid never resolves (RFC 6761)
  s.http.connect_timeout = 20s;
  const auto r = run_openai(s);
  EXPECT_EQ(error_of(r)["code"], "dns");
  EXPECT_NE(message_of(r).find("no-such-host.invalid"), std::string::npos);
}

// A listener on 127.0.0.1 that answers every connection with plain text at once: what a TLS
// client meets when it talks to a plain HTTP port.
class PlainTextListener {
 public:
  PlainTextListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 4);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      const char reply[] = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\nthis is not TLS\n";
      [[maybe_unused]] const auto n = ::write(c, reply, sizeof reply - 1);
      ::shutdown(c, SHUT_RDWR);
      ::close(c);
    });
  }
  ~PlainTextListener() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

TEST(Faults, TlsToAPlainHttpServerIsATlsError) {
  PlainTextListener plain;
  OpenAISettings s;
  s.base_url = "https://127.0.0.1:" + std::to_string(plain.port()) + "/v1";
  s.http.connect_timeout = 20s;
  const auto r = run_openai(s);
  EXPECT_EQ(error_of(r)["code"], "tls");
  EXPECT_NE(message_of(r).find("(TLS)"), std::string::npos) << message_of(r);
}

TEST(Faults, AServerThatNeverAcceptsHitsTheConnectTimeout) {
  // A listener whose accept queue is full: the kernel drops every further SYN, so a connect
  // neither succeeds nor fails — it waits, as for a host that has vanished.
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listener, 0), 0);
  socklen_t len = sizeof addr;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    const int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    [[maybe_unused]] const int rc = ::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers.push_back(c);
  }
  OpenAISettings s;
  s.base_url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/v1";
  s.http.connect_timeout = 300ms;
  const auto r = run_openai(s);
  EXPECT_EQ(error_of(r)["code"], "connect_timeout");
  EXPECT_NE(message_of(r).find("Timed out connecting to 127.0.0.1"), std::string::npos)
      << message_of(r);
  for (int c : fillers) ::close(c);
  ::close(listener);
}

TEST(Faults, AnOversizedResponseIsCutOff) {
  std::vector<std::string> pieces(200, std::string(100, 'x'));
  const std::string body = openai_text_stream(pieces);
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    serve_slices(c, random_cuts(body, 9, 512));
  });
  auto s = fast_settings(server);
  s.http.max_response_bytes = 4096;
  const auto r = run_openai(s);
  EXPECT_EQ(error_of(r)["code"], "too_large");
  EXPECT_LE(text_of(*r.content).size(), 4096u);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(Faults, AnErrorObjectMidStreamKeepsTheTextAndShowsTheProvidersMessage) {
  std::string body = openai_text_stream({"Partial "}, false);
  body += "data: {\"error\":{\"message\":\"upstream overloaded\",\"code\":502}}\n\n";
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    serve_slices(c, {body});
  });
  const auto r = run_openai(fast_settings(server));
  EXPECT_EQ(text_of(*r.content), "Partial ");
  EXPECT_EQ(message_of(r), "upstream overloaded");
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(Faults, LlamaCppsNonStandardErrorLineIsSurfaced) {
  std::string body = openai_text_stream({"So "}, false);
  body +=
      "error: {\"code\":400,\"message\":\"the request exceeds the available context "
      "size\",\"type\":\"exceed_context_size_error\"}\n\n";
  body += "data: [DONE]\n\n";
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    serve_slices(c, {body});
  });
  const auto r = run_openai(fast_settings(server));
  EXPECT_EQ(text_of(*r.content), "So ");
  EXPECT_EQ(message_of(r), "the request exceeds the available context size");
}

TEST(Faults, AJsonAnswerInsteadOfAStreamIsExplained) {
  HttpTestServer server([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{200, "application/json",
                                    R"({"error":"model 'x' not found, try pulling it first"})"};
  });
  const auto r = run_openai(fast_settings(server));
  EXPECT_EQ(error_of(r)["code"], "provider_error");
  EXPECT_NE(message_of(r).find("try pulling it first"), std::string::npos);
}

// A captive portal or a wrong base URL answers 200 with a web page: the user learns that, with
// the page's title (one line, no controls), not that "the stream ended".
TEST(Faults, AWebPageInsteadOfAStreamIsExplainedWithItsTitle) {
  HttpTestServer server([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{
        200, "text/html; charset=utf-8",
        "<!DOCTYPE html><html><head><TITLE>\n  Hotel Wi-Fi &amp; Co \x1b[31m\u2013 Sign in\n"
        "</TITLE></head><body>Please accept the terms.</body></html>"};
  });
  const auto r = run_openai(fast_settings(server));
  EXPECT_EQ(error_of(r)["code"], "not_streaming");
  const std::string m = message_of(r);
  EXPECT_NE(m.find("answered with a web page (\"Hotel Wi-Fi & Co [31m\u2013 Sign in\")"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("Check the base URL"), std::string::npos) << m;
  EXPECT_EQ(m.find("ended before"), std::string::npos) << m;
  EXPECT_EQ(m.find('\x1b'), std::string::npos) << m;
  expect_no_key(r);
}

TEST(Faults, AWebPageWithoutTitleAndOtherTypesAreNotStreamsEither) {
  HttpTestServer page([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{200, "text/html", std::string(200000, 'x')};
  });
  const std::string m = message_of(run_openai(fast_settings(page)));
  EXPECT_NE(m.find("answered with a web page, not an event stream"), std::string::npos) << m;
  HttpTestServer binary([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{200, "application/octet-stream", "\x01\x02garbage"};
  });
  const std::string b = message_of(run_openai(fast_settings(binary)));
  EXPECT_NE(b.find("answered with application/octet-stream, not an event stream"),
            std::string::npos)
      << b;
  HttpTestServer text([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{200, "text/plain", "Welcome to nginx!\n"};
  });
  const std::string t = message_of(run_openai(fast_settings(text)));
  EXPECT_NE(t.find("answered with text/plain, not an event stream"), std::string::npos) << t;
}

// A few servers label their event stream text/plain: its first line shows it is one.
TEST(Faults, AnEventStreamLabelledTextPlainStillWorks) {
  const std::string body = openai_text_stream({"Hello", ", world"});
  HttpTestServer server([&](const HttpTestServer::Request&) {
    return HttpTestServer::Response{200, "text/plain; charset=utf-8", body};
  });
  const auto r = run_openai(fast_settings(server));
  ASSERT_TRUE(r.status.has_value());
  EXPECT_TRUE(r.status->is(StatusType::Complete, StatusReason::Stop)) << r.status->error->dump();
  EXPECT_EQ(text_of(*r.content), "Hello, world");
}

// A proxy's HTML error page: its title, not its markup, in the message.
TEST(Faults, AnHtmlErrorPageIsReportedByItsTitle) {
  HttpTestServer server([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{
        401, "text/html",
        "<html><head><title>401 Authorization Required</title></head><body><center><h1>401 "
        "Authorization Required</h1></center><hr><center>nginx</center></body></html>"};
  });
  const std::string m = message_of(run_openai(fast_settings(server)));
  EXPECT_NE(m.find("HTTP 401 Unauthorized): 401 Authorization Required. Check the API key."),
            std::string::npos)
      << m;
  EXPECT_EQ(m.find("<center>"), std::string::npos) << m;
}

// A server that ignores stream:true and sends the whole answer: decoded like a stream, and a
// refusal in it shows as the reply (not an empty message).
TEST(Faults, AWholeJsonAnswerIsDecodedRefusalIncluded) {
  HttpTestServer server([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{
        200, "application/json",
        R"({"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":)"
        R"({"role":"assistant","content":null,"refusal":"I'm sorry, I can't help with that."},)"
        R"("finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":8}})"};
  });
  const auto r = run_openai(fast_settings(server));
  ASSERT_TRUE(r.status.has_value());
  EXPECT_TRUE(r.status->is(StatusType::Incomplete, StatusReason::ContentFilter));
  EXPECT_EQ(text_of(*r.content), "I'm sorry, I can't help with that.");
  HttpTestServer plain([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{
        200, "application/json",
        R"({"choices":[{"index":0,"message":{"role":"assistant","content":"Hello."},)"
        R"("finish_reason":"stop"}]})"};
  });
  const auto p = run_openai(fast_settings(plain));
  EXPECT_TRUE(p.status->is(StatusType::Complete, StatusReason::Stop));
  EXPECT_EQ(text_of(*p.content), "Hello.");
}

TEST(Faults, AWholeAnthropicRefusalKeepsTheExplanation) {
  HttpTestServer server([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{
        200, "application/json",
        R"({"id":"msg_1","type":"message","role":"assistant","content":[],)"
        R"("stop_reason":"refusal","stop_details":{"type":"refusal","category":"cyber",)"
        R"("explanation":"Blocked under the Usage Policy."},)"
        R"("usage":{"input_tokens":3,"output_tokens":1}})"};
  });
  AnthropicSettings s;
  s.base_url = server.url();
  s.api_key = kKey;
  RecordingSink sink;
  make_anthropic_adapter(s).streaming()(user_says("hi"), sink);
  const auto r = sink.last();
  ASSERT_TRUE(r.status.has_value());
  EXPECT_TRUE(r.status->is(StatusType::Incomplete, StatusReason::ContentFilter));
  EXPECT_EQ(text_of(*r.content), "Blocked under the Usage Policy.");
}

TEST(Faults, CumulativeContentServersAreHandledByTheQuirkFlag) {
  const std::string body = openai_text_stream({"He", "Hello", "Hello, world"});
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    serve_slices(c, {body});
  });
  auto s = fast_settings(server);
  s.cumulative_content = true;
  EXPECT_EQ(text_of(*run_openai(s).content), "Hello, world");
  s.cumulative_content = false;
  EXPECT_EQ(text_of(*run_openai(s).content), "HeHelloHello, world");
}

TEST(Faults, AnthropicOverloadedEventMidStream) {
  const std::string body =
      "event: message_start\ndata: "
      "{\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"usage\":{\"input_tokens\":3}}}\n\n"
      "event: content_block_start\ndata: "
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":"
      "\"\"}}\n\n"
      "event: content_block_delta\ndata: "
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
      "\"Hi \"}}\n\n"
      "event: error\ndata: "
      "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"
      "\n\n";
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    serve_slices(c, {body});
  });
  AnthropicSettings s;
  s.base_url = server.url();
  s.api_key = kKey;
  RecordingSink sink;
  make_anthropic_adapter(s).streaming()(user_says("hi"), sink);
  const auto r = sink.last();
  EXPECT_EQ(text_of(*r.content), "Hi ");
  EXPECT_EQ(message_of(r), "Overloaded");
  EXPECT_EQ(error_of(r)["code"], "overloaded_error");
  const auto req = server.requests().at(0);
  EXPECT_EQ(req.headers.at("x-api-key"), kKey);
  EXPECT_EQ(req.headers.at("anthropic-version"), "2023-06-01");
}

TEST(Faults, TheUserMessageIsNeverLostAndTheKeyNeverStored) {
  HttpTestServer server([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{503, "text/plain", "maintenance"};
  });
  auto s = fast_settings(server);
  s.http.max_retries = 0;
  LocalRuntime rt(make_openai_adapter(s));
  auto& thread = rt.thread();
  rt.wait(thread.append("please remember me"));
  ASSERT_EQ(thread.messages().size(), 2u);
  EXPECT_EQ(thread.messages()[0]->text(), "please remember me");
  const auto& status = thread.messages()[1]->status;
  EXPECT_TRUE(status.is(StatusType::Incomplete, StatusReason::Error));
  EXPECT_NE(status.error->at("message").get<std::string>().find("maintenance"), std::string::npos);
  // The thread as exported (what a store keeps) has no trace of the key.
  EXPECT_EQ(to_json(thread.export_repository()).dump().find(kKey), std::string::npos);
  // And the runtime is still usable: the next message gets its own reply.
  rt.wait(thread.append("again"));
  EXPECT_EQ(thread.messages().size(), 4u);
}

TEST(Faults, TheKeyTravelsOnlyInTheAuthorizationHeader) {
  const std::string body = openai_text_stream({"ok"});
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    serve_slices(c, {body});
  });
  run_openai(fast_settings(server));
  const auto req = server.requests().at(0);
  EXPECT_EQ(req.headers.at("authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(req.body.find(kKey), std::string::npos);
  EXPECT_EQ(req.path, "/v1/chat/completions");
}

}  // namespace
}  // namespace aui
