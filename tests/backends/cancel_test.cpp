// Cancelling stops the transfer at once, even while the server sends nothing at all: the adapter
// waits in curl_multi_poll and the stop token wakes it (no once-a-second progress callback).
//
// Each test waits (without sleeping) until the server holds the request, then cancels and
// checks that the adapter returned with aui::Cancelled and that the server saw the connection
// close. The elapsed time is printed; the bound asserted is a generous 2 s so that a loaded
// machine cannot fail the test, while the figure itself is typically well under a millisecond.

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <iostream>
#include <thread>

#include "aui/backends/anthropic_adapter.hpp"
#include "aui/backends/openai_adapter.hpp"
#include "aui/support/errors.hpp"
#include "backend_test_support.hpp"

namespace aui {
namespace {

using namespace backend_test;
using namespace std::chrono_literals;

enum class Silence { BeforeHeaders, AfterHeaders, AfterSomeText };

struct CancelOutcome {
  bool cancelled = false;
  std::chrono::microseconds elapsed{};
  bool server_saw_close = false;
  ChatModelRunResult last;
};

CancelOutcome cancel_while_silent(Silence when, bool anthropic = false) {
  std::promise<void> holding;
  std::promise<bool> saw_close;
  auto saw_close_future = saw_close.get_future();
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    if (when != Silence::BeforeHeaders) c.write(sse_head());
    if (when == Silence::AfterSomeText) c.write(openai_text_stream({"So far"}, false));
    holding.set_value();
    saw_close.set_value(c.wait_for_client_close(30s));  // sends nothing more, ever
  });
  std::stop_source stop;
  RecordingSink sink(stop.get_token());
  CancelOutcome out;
  std::promise<std::chrono::steady_clock::time_point> returned;
  std::thread worker([&] {
    const ChatModelRunOptions options = user_says("hi", stop.get_token());
    try {
      if (anthropic) {
        AnthropicSettings s;
        s.base_url = server.url();
        make_anthropic_adapter(s).streaming()(options, sink);
      } else {
        OpenAISettings s;
        s.base_url = server.url("/v1");
        make_openai_adapter(s).streaming()(options, sink);
      }
    } catch (const Cancelled&) {
      out.cancelled = true;
    }
    returned.set_value(std::chrono::steady_clock::now());
  });
  holding.get_future().wait();
  if (when == Silence::AfterSomeText) {
    // Wait until the text has reached the sink (no sleep: poll what was yielded).
    while (sink.results().empty()) std::this_thread::yield();
  }
  const auto asked = std::chrono::steady_clock::now();
  stop.request_stop();
  const auto at = returned.get_future().get();
  worker.join();
  out.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(at - asked);
  out.server_saw_close = saw_close_future.get();
  out.last = sink.last();
  return out;
}

void report(const char* what, const CancelOutcome& o) {
  std::cout << "[ cancel ] " << what << ": adapter returned " << o.elapsed.count()
            << " us after the cancel\n";
  ::testing::Test::RecordProperty(std::string("cancel_us_") + what,
                                  std::to_string(o.elapsed.count()));
}

TEST(Cancel, WhileWaitingForTheResponseHeaders) {
  const auto o = cancel_while_silent(Silence::BeforeHeaders);
  report("before_headers", o);
  EXPECT_TRUE(o.cancelled);
  EXPECT_TRUE(o.server_saw_close);
  EXPECT_LT(o.elapsed, 2s);
}

TEST(Cancel, WhileTheStreamIsOpenButSilent) {
  const auto o = cancel_while_silent(Silence::AfterHeaders);
  report("silent_stream", o);
  EXPECT_TRUE(o.cancelled);
  EXPECT_TRUE(o.server_saw_close);
  EXPECT_LT(o.elapsed, 2s);
}

TEST(Cancel, AfterSomeTextKeepsWhatWasYielded) {
  const auto o = cancel_while_silent(Silence::AfterSomeText);
  report("after_text", o);
  EXPECT_TRUE(o.cancelled);
  EXPECT_TRUE(o.server_saw_close);
  EXPECT_LT(o.elapsed, 2s);
  ASSERT_TRUE(o.last.content.has_value());
  EXPECT_EQ(text_of(*o.last.content), "So far");
}

TEST(Cancel, TheAnthropicAdapterToo) {
  const auto o = cancel_while_silent(Silence::AfterHeaders, /*anthropic=*/true);
  report("anthropic", o);
  EXPECT_TRUE(o.cancelled);
  EXPECT_TRUE(o.server_saw_close);
  EXPECT_LT(o.elapsed, 2s);
}

TEST(Cancel, DuringTheBackoffBeforeARetry) {
  std::promise<void> answered;
  HttpTestServer server([&](const HttpTestServer::Request&) {
    answered.set_value();
    return HttpTestServer::Response{429, "application/json", "{}", {{"Retry-After", "3600"}}};
  });
  OpenAISettings s;
  s.base_url = server.url("/v1");
  s.http.max_retry_delay = std::chrono::hours(1);
  std::stop_source stop;
  RecordingSink sink(stop.get_token());
  bool cancelled = false;
  std::thread worker([&] {
    try {
      make_openai_adapter(s).streaming()(user_says("hi", stop.get_token()), sink);
    } catch (const Cancelled&) {
      cancelled = true;
    }
  });
  answered.get_future().wait();
  const auto asked = std::chrono::steady_clock::now();
  stop.request_stop();
  worker.join();
  EXPECT_TRUE(cancelled);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 2s);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(Cancel, AlreadyCancelledSendsNothingUseful) {
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    c.wait_for_client_close(30s);
  });
  std::stop_source stop;
  stop.request_stop();
  OpenAISettings s;
  s.base_url = server.url("/v1");
  RecordingSink sink(stop.get_token());
  EXPECT_THROW(make_openai_adapter(s).streaming()(user_says("hi", stop.get_token()), sink),
               Cancelled);
}

// While data pours in, a cancel is seen at the next slice of the body, not only when the
// transfer next waits: once stop is requested, no further slice reaches on_body. The server has
// more data waiting in the socket when the stop comes (it wrote 32 KiB before the first slice
// was let through), so a transport that only checked between waits would hand on more slices.
TEST(Cancel, NoSliceIsHandedOnOnceStopIsRequested) {
  std::promise<void> written;
  auto written_future = written.get_future();
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    c.write(sse_head());
    const std::string piece = openai_text_stream({std::string(4000, 'x')}, false);
    for (std::size_t sent = 0; sent < 32 * 1024; sent += piece.size()) c.write(piece);
    written.set_value();
    while (c.write(piece)) {
    }
  });
  std::stop_source stop;
  int slices = 0;
  int after_stop = 0;
  HttpRequest request;
  request.url = server.url("/v1/chat/completions");
  request.body = "{}";
  EXPECT_THROW(post_streaming(request, HttpSettings{}, stop.get_token(),
                              [&](std::string_view) {
                                if (stop.stop_requested()) ++after_stop;
                                if (++slices == 1) {
                                  written_future.wait();
                                  stop.request_stop();
                                }
                              }),
               Cancelled);
  EXPECT_EQ(slices, 1);
  EXPECT_EQ(after_stop, 0);
}

// The figure for a cancel while the server sends as fast as it can (printed, like the others):
// the bound asserted is the same generous 2 s.
TEST(Cancel, WhileDataPoursIn) {
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    c.write(sse_head());
    const std::string piece = openai_text_stream({std::string(4000, 'x')}, false);
    while (c.write(piece)) {
    }
  });
  std::stop_source stop;
  RecordingSink sink(stop.get_token());
  std::atomic<std::size_t> yields{0};
  bool cancelled = false;
  std::promise<std::chrono::steady_clock::time_point> returned;
  OpenAISettings s;
  s.base_url = server.url("/v1");
  std::thread worker([&] {
    struct Counting final : RunResultSink {
      RunResultSink* inner;
      std::atomic<std::size_t>* count;
      void yield(ChatModelRunResult r) override {
        ++*count;
        inner->yield(std::move(r));
      }
      std::stop_token stop_token() const override { return inner->stop_token(); }
    } counting;
    counting.inner = &sink;
    counting.count = &yields;
    try {
      make_openai_adapter(s).streaming()(user_says("hi", stop.get_token()), counting);
    } catch (const Cancelled&) {
      cancelled = true;
    }
    returned.set_value(std::chrono::steady_clock::now());
  });
  // Some megabytes in: the accumulated text is large, every slice costs its full price.
  while (yields.load() < 1000) std::this_thread::yield();
  const auto asked = std::chrono::steady_clock::now();
  stop.request_stop();
  const auto at = returned.get_future().get();
  worker.join();
  CancelOutcome o;
  o.cancelled = cancelled;
  o.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(at - asked);
  report("data_pouring_in", o);
  EXPECT_TRUE(o.cancelled);
  EXPECT_LT(o.elapsed, 2s);
}

}  // namespace
}  // namespace aui
