// The quick start's REST adapter, through a real aui::LocalRuntime, against a real HTTP server.

#include "rest_adapter.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <optional>

#include "aui/local_runtime.hpp"
#include "support/http_test_server.hpp"

namespace {

using aui::testing::HttpTestServer;

TEST(RestAdapter, PostsTheBranchAndReturnsTheReply) {
  HttpTestServer server([](const HttpTestServer::Request& req) {
    const auto body = aui::Json::parse(req.body);
    const std::string last = body["messages"].back()["content"];
    return HttpTestServer::Response{200, "application/json",
                                    aui::Json{{"text", "you said " + last}}.dump()};
  });
  aui::LocalRuntime rt(make_rest_adapter(server.url("/chat")));
  auto& thread = rt.thread();
  rt.wait(thread.append("hello"));
  rt.wait(thread.append("again"));
  ASSERT_EQ(thread.messages().size(), 4u);
  EXPECT_EQ(thread.messages()[1]->text(), "you said hello");
  EXPECT_EQ(thread.messages()[3]->text(), "you said again");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_EQ(requests[1].path, "/chat");
  EXPECT_EQ(requests[1].headers.at("content-type"), "application/json");
  EXPECT_EQ(aui::Json::parse(requests[1].body), aui::Json::parse(R"({"messages": [
    {"role": "user", "content": "hello"}, {"role": "assistant", "content": "you said hello"},
    {"role": "user", "content": "again"}]})"));
}

TEST(RestAdapter, AServerErrorEndsTheReplyAsAnErrorAndKeepsTheUserMessage) {
  HttpTestServer server([](const HttpTestServer::Request&) {
    return HttpTestServer::Response{500, "application/json", R"({"error": "down"})"};
  });
  aui::LocalRuntime rt(make_rest_adapter(server.url("/chat")));
  auto& thread = rt.thread();
  auto done = thread.append("hello");
  rt.event_loop()->run_until(done);
  EXPECT_TRUE(done.failed());
  ASSERT_EQ(thread.messages().size(), 2u);
  EXPECT_EQ(thread.messages()[0]->text(), "hello");
  const auto& status = thread.messages()[1]->status;
  EXPECT_TRUE(status.is(aui::StatusType::Incomplete, aui::StatusReason::Error));
  EXPECT_NE(status.error->at("message").get<std::string>().find("HTTP 500"), std::string::npos);
}

TEST(RestAdapter, AConnectionRefusedIsAReadableError) {
  std::string url;
  {
    HttpTestServer gone([](const HttpTestServer::Request&) { return HttpTestServer::Response{}; });
    url = gone.url();
  }
  aui::LocalRuntime rt(make_rest_adapter(url));
  auto done = rt.thread().append("hello");
  rt.event_loop()->run_until(done);
  const auto& status = rt.thread().messages().back()->status;
  EXPECT_TRUE(status.is(aui::StatusType::Incomplete, aui::StatusReason::Error));
  EXPECT_NE(status.error->at("message").get<std::string>().find("request failed"),
            std::string::npos);
}

TEST(RestAdapter, AReplyWithoutTextIsAReadableError) {
  for (const char* body : {R"({"answer": "hi"})", "not json at all"}) {
    HttpTestServer server([&](const HttpTestServer::Request&) {
      return HttpTestServer::Response{200, "application/json", body};
    });
    aui::LocalRuntime rt(make_rest_adapter(server.url("/chat")));
    rt.event_loop()->run_until(rt.thread().append("hello"));
    const auto& status = rt.thread().messages().back()->status;
    EXPECT_TRUE(status.is(aui::StatusType::Incomplete, aui::StatusReason::Error)) << body;
    EXPECT_NE(status.error->at("message").get<std::string>().find("the server's reply"),
              std::string::npos)
        << status.error->dump();
  }
}

TEST(RestAdapter, CancelAbortsTheRequestInFlight) {
  // The server sends headers and then nothing: the request hangs until the adapter gives up.
  std::mutex mutex;
  std::condition_variable cv;
  bool received = false;
  std::optional<bool> client_closed;
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& conn) {
    conn.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
    {
      std::lock_guard lock(mutex);
      received = true;
    }
    cv.notify_all();
    // A bound so a broken adapter fails the test instead of hanging it; not a timing assertion.
    const bool closed = conn.wait_for_client_close(std::chrono::seconds(30));
    std::lock_guard lock(mutex);
    client_closed = closed;
    cv.notify_all();
  });
  aui::LocalRuntime rt(make_rest_adapter(server.url("/chat")));
  auto& thread = rt.thread();
  auto done = thread.append("hello");
  {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return received; });
  }
  thread.cancel_run();
  rt.event_loop()->run_until(done);
  EXPECT_FALSE(done.failed());
  EXPECT_TRUE(thread.messages().back()->status.is(aui::StatusType::Incomplete,
                                                  aui::StatusReason::Cancelled));
  std::unique_lock lock(mutex);
  cv.wait(lock, [&] { return client_closed.has_value(); });
  EXPECT_TRUE(*client_closed) << "the adapter kept the request open after the cancel";
}

}  // namespace
