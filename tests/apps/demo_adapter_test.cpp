// The offline demo adapter, driven directly through a fake sink.

#include "aui/demo/demo_adapter.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace {

using std::chrono::milliseconds;

class RecordingSink final : public aui::RunResultSink {
 public:
  explicit RecordingSink(std::stop_source& stop, std::size_t stop_after = 0)
      : stop_(stop), stop_after_(stop_after) {}
  void yield(aui::ChatModelRunResult r) override {
    results.push_back(std::move(r));
    if (stop_after_ && results.size() == stop_after_) stop_.request_stop();
    if (on_yield) on_yield();
  }
  std::stop_token stop_token() const override { return stop_.get_token(); }
  std::vector<aui::ChatModelRunResult> results;
  std::function<void()> on_yield;

 private:
  std::stop_source& stop_;
  std::size_t stop_after_;
};

aui::ChatModelRunOptions options_for(const std::string& user_text, std::stop_source& stop) {
  aui::ChatModelRunOptions o;
  auto m = std::make_shared<aui::ThreadMessage>();
  m->id = "u1";
  m->role = aui::Role::User;
  m->content.emplace_back(aui::TextPart{aui::Text(user_text)});
  o.messages = o.messages.push_back(m);
  o.stop_token = stop.get_token();
  o.assistant_message_id = "a1";
  return o;
}

std::string text_of(const aui::ChatModelRunResult& r) {
  return std::string(r.content->front().as<aui::TextPart>().text.view());
}

// Runs the adapter to the end without pauses and returns the final text.
std::string reply(const aui::ChatModelAdapter& adapter, const std::string& user_text) {
  std::stop_source stop;
  RecordingSink sink(stop);
  adapter.streaming()(options_for(user_text, stop), sink);
  EXPECT_FALSE(sink.results.empty());
  return sink.results.empty() ? std::string() : text_of(sink.results.back());
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(DemoAdapter, EchoesTheUserAndSaysItIsADemo) {
  auto adapter = aui::make_demo_adapter({milliseconds(0), 4});
  ASSERT_EQ(adapter.form(), aui::ChatModelAdapter::Form::Streaming);
  std::stop_source stop;
  RecordingSink sink(stop);
  adapter.streaming()(options_for("what is a persistent vector", stop), sink);
  const auto text = text_of(sink.results.back());
  EXPECT_TRUE(contains(text, "offline demo")) << text;
  EXPECT_TRUE(contains(text, "what is a persistent vector")) << text;
  EXPECT_GT(sink.results.size(), 5u);  // it streamed
  EXPECT_EQ(sink.results.back().status, aui::MessageStatus::complete(aui::StatusReason::Stop));
  // Cumulative: every result extends the one before by at most a chunk (whole UTF-8 characters).
  for (std::size_t i = 1; i < sink.results.size(); ++i) {
    const auto before = text_of(sink.results[i - 1]);
    const auto now = text_of(sink.results[i]);
    ASSERT_EQ(now.compare(0, before.size(), before), 0) << "result " << i << " is not cumulative";
    ASSERT_LE(now.size() - before.size(), 4u + 3u);
  }
  // Cheap: the yields share one growing text, which moves only when it outgrows its storage.
  std::set<const char*> storages;
  for (const auto& r : sink.results)
    storages.insert(r.content->front().as<aui::TextPart>().text.data());
  EXPECT_LT(storages.size(), 10u) << "a copy per yield";
}

TEST(DemoAdapter, MatchesWholeWordsOnly) {
  // "something" contains "hi", "belongings" contains "long": neither is a greeting or a story.
  auto adapter = aui::make_demo_adapter({milliseconds(0), 64});
  const auto a = reply(adapter, "tell me something about my belongings");
  EXPECT_TRUE(contains(a, "\"tell me something about my belongings\"")) << a;
  EXPECT_FALSE(contains(a, "Once upon a time")) << a;
  EXPECT_FALSE(contains(a, "Hello!") || contains(a, "Hi there!") || contains(a, "Hey!")) << a;
}

TEST(DemoAdapter, AnswersGreetingsHelpAndLongRequests) {
  auto adapter = aui::make_demo_adapter({milliseconds(0), 64});
  const auto greeting = reply(adapter, "Hi, how are you?");
  EXPECT_TRUE(contains(greeting, "Hello!") || contains(greeting, "Hi there!") ||
              contains(greeting, "Hey!"))
      << greeting;
  EXPECT_TRUE(contains(greeting, "Hi, how are you?")) << greeting;

  const auto help = reply(adapter, "help");
  for (const char* what : {"/regen", "/edit", "/branch", "Ctrl-C"})
    EXPECT_TRUE(contains(help, what)) << what;

  const auto story = reply(adapter, "Tell me a LONG story!");
  EXPECT_GT(story.size(), 1500u);
  EXPECT_TRUE(contains(story, "\n\n## ")) << "a Markdown heading";
  EXPECT_TRUE(contains(story, "The end.")) << story;
}

TEST(DemoAdapter, IsDeterministicAndEveryNextReplyDiffers) {
  // Two fresh adapters given the same calls answer the same; within one adapter, the next reply
  // to the same branch (a regenerate) reads differently — for every kind of reply.
  auto first = aui::make_demo_adapter({milliseconds(0), 64});
  auto second = aui::make_demo_adapter({milliseconds(0), 64});
  for (const char* input : {"tell me something", "hello", "help", "a long story please"}) {
    const auto a = reply(first, input);
    const auto b = reply(first, input);
    EXPECT_NE(a, b) << input;
    EXPECT_EQ(reply(second, input), a) << input;
    EXPECT_EQ(reply(second, input), b) << input;
  }
}

TEST(DemoAdapter, CancelStopsItBetweenChunks) {
  auto adapter = aui::make_demo_adapter({milliseconds(0), 3});
  std::stop_source stop;
  RecordingSink sink(stop, 5);  // cancels from inside the fifth yield
  adapter.streaming()(options_for("tell me a long story", stop), sink);
  EXPECT_EQ(sink.results.size(), 5u) << "kept streaming after the cancel";
  EXPECT_FALSE(sink.results.back().status.has_value())
      << "a cancelled reply does not claim to be complete";
}

TEST(DemoAdapter, CancelDoesNotWaitOutThePause) {
  // An hour between chunks; the stop comes with the first chunk, before its pause.
  auto adapter = aui::make_demo_adapter({milliseconds(3600 * 1000), 3});
  std::stop_source stop;
  RecordingSink sink(stop, 1);
  adapter.streaming()(options_for("tell me a long story", stop),
                      sink);  // returns: no hour-long wait
  EXPECT_EQ(sink.results.size(), 1u);
}

TEST(DemoAdapter, CancelWakesAPauseInProgress) {
  // The stop is requested from another thread while the adapter is (or is about to be) inside
  // its hour-long pause; it must return at once. With sleep_for this test would hang.
  auto adapter = aui::make_demo_adapter({milliseconds(3600 * 1000), 3});
  std::stop_source stop;
  RecordingSink sink(stop);
  std::mutex mutex;
  std::condition_variable cv;
  bool yielded = false;
  sink.on_yield = [&] {
    std::lock_guard lock(mutex);
    yielded = true;
    cv.notify_all();
  };
  const auto options = options_for("tell me a long story", stop);
  std::thread worker([&] { adapter.streaming()(options, sink); });
  {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return yielded; });
  }
  stop.request_stop();
  worker.join();
  EXPECT_EQ(sink.results.size(), 1u);
}

}  // namespace

// ---- the demo's toolkit ----

#include "aui/demo/demo_tools.hpp"
#include "aui/runtime/tool_execution.hpp"

namespace {

TEST(DemoTools, ArithmeticFollowsTheUsualRules) {
  EXPECT_DOUBLE_EQ(aui::evaluate_arithmetic("2+3*4"), 14);
  EXPECT_DOUBLE_EQ(aui::evaluate_arithmetic("(2+3)*4"), 20);
  EXPECT_DOUBLE_EQ(aui::evaluate_arithmetic("2^3^2"), 512);  // right-associative
  EXPECT_DOUBLE_EQ(aui::evaluate_arithmetic("-2^2"), 4);
  EXPECT_DOUBLE_EQ(aui::evaluate_arithmetic(" 7 % 4 - 1.5 "), 1.5);
  EXPECT_DOUBLE_EQ(aui::evaluate_arithmetic("10/4"), 2.5);
}

TEST(DemoTools, BadArithmeticSaysWhatIsWrong) {
  auto message = [](const char* e) {
    try {
      aui::evaluate_arithmetic(e);
    } catch (const std::invalid_argument& x) {
      return std::string(x.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message("1/0"), "division by zero");
  EXPECT_EQ(message("2+"), "the expression ends too early at position 3 of \"2+\"");
  EXPECT_EQ(message("(1+2"), "missing \")\" at position 5 of \"(1+2\"");
  EXPECT_EQ(message("2 $ 3"), "unexpected \"$\" at position 3 of \"2 $ 3\"");
  EXPECT_EQ(message("1.2.3"), "\"1.2.3\" is not a number at position 6 of \"1.2.3\"");
  EXPECT_EQ(message("10^999"), "the result is too large");
  EXPECT_EQ(message(std::string(500, '(').c_str()),
            "too deeply nested at position 201 of \"" + std::string(500, '(') + "\"");
}

TEST(DemoTools, TheToolkitRunsThroughExecuteToolCalls) {
  aui::ChatModelRunOptions o;
  o.context.tools = aui::make_demo_toolkit();
  auto call = [](const char* name, aui::Json args) {
    aui::ToolCallPart c;
    c.tool_name = name;
    c.tool_call_id = std::string("c-") + name;
    c.args = std::move(args);
    return c;
  };
  aui::Content out = aui::execute_tool_calls(
      o, {call("get_weather", {{"city", "Oslo"}}), call("calculate", {{"expression", "6*7"}}),
          call("calculate", {{"expression", 42}}), call("send_email", {{"to", "a@b.c"}}),
          call("deploy", {{"service", "web"}, {"environment", "production"}}),
          call("get_time", aui::Json::object())});
  const auto& weather = out[0].as<aui::ToolCallPart>();
  EXPECT_EQ((*weather.result)["city"], "Oslo");
  // Made up, but the same city always gets the same weather.
  aui::Content again = aui::execute_tool_calls(o, {call("get_weather", {{"city", "Oslo"}})});
  EXPECT_EQ(again[0].as<aui::ToolCallPart>().result, weather.result);
  EXPECT_EQ((*out[1].as<aui::ToolCallPart>().result)["value"], 42.0);
  EXPECT_EQ(out[2].as<aui::ToolCallPart>().is_error, true);
  EXPECT_FALSE(
      out[3].as<aui::ToolCallPart>().result.has_value());  // a human tool: a person answers
  const auto& deploy = out[4].as<aui::ToolCallPart>();
  EXPECT_FALSE(deploy.result.has_value());
  ASSERT_TRUE(deploy.approval.has_value());  // it needs approval first
  EXPECT_TRUE(deploy.approval->pending());
  EXPECT_TRUE((*out[5].as<aui::ToolCallPart>().result).contains("utc"));
  EXPECT_EQ(aui::human_tool_names(o.context.tools), std::vector<std::string>{"send_email"});
}

TEST(DemoTools, TheDemoCallsOnlyToolsTheAppRegistered) {
  std::stop_source stop;
  auto o = options_for("what is the weather in Oslo?", stop);
  RecordingSink bare(stop);
  aui::make_demo_adapter({milliseconds(0), 50}).streaming()(o, bare);
  EXPECT_EQ(bare.results.back().status, aui::MessageStatus::complete(aui::StatusReason::Stop));
  EXPECT_EQ(bare.results.back().content->size(), 1u);

  o.context.tools = aui::make_demo_toolkit();
  RecordingSink with_tools(stop);
  aui::make_demo_adapter({milliseconds(0), 50}).streaming()(o, with_tools);
  const auto& last = with_tools.results.back();
  EXPECT_EQ(last.status, aui::MessageStatus::requires_action(aui::StatusReason::ToolCalls));
  ASSERT_EQ(last.content->size(), 2u);
  const auto& c = last.content->at(1).as<aui::ToolCallPart>();
  EXPECT_EQ(c.tool_name, "get_weather");
  EXPECT_EQ(c.args, aui::Json::parse(R"({"city": "Oslo"})"));
  EXPECT_EQ(c.args_text.view(), R"({"city":"Oslo"})");
  EXPECT_TRUE(c.result.has_value());
  ASSERT_TRUE(last.metadata && last.metadata->steps);
  EXPECT_EQ(last.metadata->steps->size(), 1u);
  // "a story in 2-3 paragraphs" is not arithmetic.
  auto story = options_for("tell me a story in 2-3 paragraphs", stop);
  story.context.tools = aui::make_demo_toolkit();
  RecordingSink story_sink(stop);
  aui::make_demo_adapter({milliseconds(0), 50}).streaming()(story, story_sink);
  EXPECT_EQ(story_sink.results.back().content->size(), 1u);
}

}  // namespace
