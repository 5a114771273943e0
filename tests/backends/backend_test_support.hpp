#pragma once
// Helpers of the backend tests: a sink that records what an adapter yields, options for one
// call, and ways to serve a body as server-sent events (the recorded streams and the ways to cut
// them are support/stream_fixtures.hpp's, shared with the decoder tests).

#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <sstream>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/model/message_like.hpp"
#include "support/http_test_server.hpp"
#include "support/stream_fixtures.hpp"

namespace aui::backend_test {

using aui::testing::HttpTestServer;

inline const std::filesystem::path kStreamsDir = stream_fixtures::streams_dir();
using stream_fixtures::random_cuts;
using stream_fixtures::read_file;
using stream_fixtures::reasoning_of;
using stream_fixtures::tool_calls_of;

/// Records every result an adapter yields; the last one is the answer.
class RecordingSink : public RunResultSink {
 public:
  explicit RecordingSink(std::stop_token stop = {}) : stop_(std::move(stop)) {}
  void yield(ChatModelRunResult result) override {
    std::lock_guard lock(mutex_);
    results_.push_back(std::move(result));
  }
  std::stop_token stop_token() const override { return stop_; }
  std::vector<ChatModelRunResult> results() const {
    std::lock_guard lock(mutex_);
    return results_;
  }
  ChatModelRunResult last() const {
    std::lock_guard lock(mutex_);
    return results_.empty() ? ChatModelRunResult{} : results_.back();
  }

 private:
  std::stop_token stop_;
  mutable std::mutex mutex_;
  std::vector<ChatModelRunResult> results_;
};

/// Options for one call whose branch is one user message.
inline ChatModelRunOptions user_says(const std::string& text, std::stop_token stop = {}) {
  ChatModelRunOptions o;
  auto m = std::make_shared<ThreadMessage>();
  m->id = "u1";
  m->role = Role::User;
  m->content.emplace_back(TextPart{Text(text)});
  o.messages = o.messages.push_back(m);
  o.stop_token = std::move(stop);
  o.assistant_message_id = "a1";
  return o;
}

inline std::string sse_head(int status = 200, std::string_view extra = "") {
  return "HTTP/1.1 " + std::to_string(status) + " OK\r\nContent-Type: text/event-stream\r\n" +
         std::string(extra) + "Connection: close\r\n\r\n";
}

/// Writes `body` as the response, in the given slices, then closes.
inline void serve_slices(HttpTestServer::Connection& c,
                         const std::vector<std::string_view>& slices) {
  c.write(sse_head());
  for (auto s : slices) {
    if (!c.write(s)) return;
  }
  c.close();
}

/// The same, with chunked transfer encoding (one HTTP chunk per slice).
inline void serve_chunked(HttpTestServer::Connection& c,
                          const std::vector<std::string_view>& slices) {
  c.write(
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: "
      "chunked\r\nConnection: close\r\n\r\n");
  for (auto s : slices) {
    if (s.empty()) continue;
    std::ostringstream size;
    size << std::hex << s.size();
    if (!c.write(size.str() + "\r\n") || !c.write(s) || !c.write("\r\n")) return;
  }
  c.write("0\r\n\r\n");
  c.close();
}

inline std::string text_of(const Content& content) {
  std::string out;
  for (const auto& part : content) {
    if (const auto* t = part.get_if<TextPart>()) out.append(t->text.view());
  }
  return out;
}

/// An OpenAI stream that says `pieces` as text and stops.
inline std::string openai_text_stream(const std::vector<std::string>& pieces, bool finish = true) {
  std::string out;
  for (const auto& p : pieces) {
    out +=
        "data: " + Json{{"choices", {{{"index", 0}, {"delta", {{"content", p}}}}}}}.dump() + "\n\n";
  }
  if (finish) {
    out += "data: " +
           Json{{"choices", {{{"index", 0}, {"delta", Json::object()}, {"finish_reason", "stop"}}}},
                {"usage", {{"prompt_tokens", 5}, {"completion_tokens", 7}}}}
               .dump() +
           "\n\n";
    out += "data: [DONE]\n\n";
  }
  return out;
}

}  // namespace aui::backend_test
