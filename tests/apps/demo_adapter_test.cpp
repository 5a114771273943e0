// The offline demo adapter, driven directly through a fake sink.

#include "aui/demo_adapter.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <vector>

namespace {

class RecordingSink final : public aui::RunResultSink {
 public:
  explicit RecordingSink(std::stop_source& stop, std::size_t stop_after = 0) : stop_(stop), stop_after_(stop_after) {}
  void yield(aui::ChatModelRunResult r) override {
    results.push_back(std::move(r));
    if (stop_after_ && results.size() == stop_after_) stop_.request_stop();
  }
  std::stop_token stop_token() const override { return stop_.get_token(); }
  std::vector<aui::ChatModelRunResult> results;

 private:
  std::stop_source& stop_;
  std::size_t stop_after_;
};

aui::ChatModelRunOptions options_for(const std::string& user_text, std::stop_source& stop, const char* id = "abc") {
  aui::ChatModelRunOptions o;
  auto m = std::make_shared<aui::ThreadMessage>();
  m->id = "u1";
  m->role = aui::Role::User;
  m->content.emplace_back(aui::TextPart{aui::Text(user_text)});
  o.messages = o.messages.push_back(m);
  o.stop_token = stop.get_token();
  o.assistant_message_id = id;
  return o;
}

std::string final_text(const RecordingSink& sink) {
  return std::string(sink.results.back().content->front().as<aui::TextPart>().text.view());
}

TEST(DemoAdapter, EchoesTheUserAndSaysItIsADemo) {
  auto adapter = aui::make_demo_adapter({std::chrono::milliseconds(0), 4});
  std::stop_source stop;
  RecordingSink sink(stop);
  adapter.streaming()(options_for("what is a persistent vector", stop), sink);
  const auto text = final_text(sink);
  EXPECT_NE(text.find("demo"), std::string::npos);
  EXPECT_NE(text.find("what is a persistent vector"), std::string::npos);
  EXPECT_GT(sink.results.size(), 5u);  // it streamed
  EXPECT_EQ(sink.results.back().status, aui::MessageStatus::complete(aui::StatusReason::Stop));
  // Cumulative and cheap: the yields share one growing text, which moves only when it doubles.
  std::set<const char*> storages;
  for (const auto& r : sink.results) storages.insert(r.content->front().as<aui::TextPart>().text.data());
  EXPECT_LT(storages.size(), 10u) << "a copy per yield";
}

TEST(DemoAdapter, IsDeterministicPerBranchAndVariesOnRegenerate) {
  auto adapter = aui::make_demo_adapter({std::chrono::milliseconds(0), 64});
  std::stop_source stop;
  RecordingSink a(stop), b(stop), c(stop);
  adapter.streaming()(options_for("tell me something", stop, "id1"), a);
  adapter.streaming()(options_for("tell me something", stop, "id1"), b);
  adapter.streaming()(options_for("tell me something", stop, "id2"), c);
  EXPECT_EQ(final_text(a), final_text(b));
  EXPECT_NE(final_text(a), final_text(c));
}

TEST(DemoAdapter, CancelStopsItAtOnceEvenDuringAPause) {
  // A long pause between chunks: cancelling must not wait it out.
  auto adapter = aui::make_demo_adapter({std::chrono::milliseconds(3600 * 1000), 3});
  std::stop_source stop;
  RecordingSink sink(stop, 1);  // cancels right after the first chunk, before the pause
  adapter.streaming()(options_for("tell me a long story", stop), sink);  // returns: no hour-long wait
  EXPECT_EQ(sink.results.size(), 1u);
}

}  // namespace
