// Memory on a big streamed reply: the peak stays near the size of the text held. Growing the
// text by copying would hold the old and the new copy at once (up to 3× with doubling); the
// adapter path must not keep full copies of the body beside the accumulated text either.
//
// Measured as the process's peak resident memory (VmHWM, reset through /proc/self/clear_refs
// before the stream), so what the kernel counts is what is asserted. Skipped under the
// sanitizers, whose shadow memory and quarantine are not the program's.

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <string>

#include "aui/backends/openai_adapter.hpp"
#include "backend_test_support.hpp"

namespace aui {
namespace {

using namespace backend_test;

// A /proc/self/status field in KiB, -1 when absent.
long status_kib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

// Keeps only the newest result, as the runtime does.
class LastResultSink final : public RunResultSink {
 public:
  void yield(ChatModelRunResult result) override { last = std::move(result); }
  std::stop_token stop_token() const override { return {}; }
  ChatModelRunResult last;
};

TEST(Memory, ABigStreamedReplyPeaksNearTheSizeOfItsText) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "resident memory under a sanitizer is not the program's";
#endif
  constexpr std::size_t kText = std::size_t{32} << 20;
  constexpr std::size_t kPiece = 4000;
  const std::string piece = openai_text_stream({std::string(kPiece, 'x')}, false);
  HttpTestServer server([&](const HttpTestServer::Request&, HttpTestServer::Connection& c) {
    c.write(sse_head());
    for (std::size_t sent = 0; sent < kText; sent += kPiece) {
      if (!c.write(piece)) return;
    }
    c.write(openai_text_stream({}, true));
    c.close();
  });
  OpenAISettings s;
  s.base_url = server.url("/v1");
  s.http.max_response_bytes = std::size_t{128} << 20;

  {
    std::ofstream reset("/proc/self/clear_refs");
    reset << "5";  // the peak resident size starts again from the current one
    if (!reset) GTEST_SKIP() << "cannot reset the peak resident size here";
  }
  const long before = status_kib("VmRSS");
  ASSERT_GT(before, 0);
  LastResultSink sink;
  make_openai_adapter(s).streaming()(user_says("hi"), sink);
  const long peak = status_kib("VmHWM");

  ASSERT_TRUE(sink.last.content.has_value());
  const std::size_t text = text_of(*sink.last.content).size();
  ASSERT_GE(text, kText);
  const double ratio = static_cast<double>(peak - before) * 1024 / static_cast<double>(text);
  std::cout << "[ memory ] " << (text >> 20) << " MiB streamed: peak " << ((peak - before) >> 10)
            << " MiB above the start (" << ratio << "x the text)\n";
  EXPECT_LE(ratio, 1.5);
}

}  // namespace
}  // namespace aui
