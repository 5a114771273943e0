// The adapters core ships for the capabilities without outside dependencies: feedback as JSON
// lines, static suggestions and model-written follow-up questions, each through a real thread.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "aui/adapters/json_lines_feedback.hpp"
#include "aui/adapters/model_suggestion_adapter.hpp"
#include "aui/adapters/static_suggestion_adapter.hpp"
#include "aui/model/json.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/errors.hpp"
#include "aui/testing.hpp"
#include "support/runtime_driver.hpp"

namespace {

using namespace aui;
using namespace aui::testing;
namespace fs = std::filesystem;

class Adapters : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("aui-caps-" + generate_id());
    fs::create_directories(dir);
  }
  void TearDown() override {
    thread.reset();
    fs::remove_all(dir);
  }
  void make(ChatModelAdapter adapter, ThreadAdapters adapters,
            std::optional<std::string> thread_id = {}) {
    ThreadRuntimeOptions o;
    o.chat_model = std::move(adapter);
    o.dispatcher = d->dispatcher();
    o.executor = d->executor();
    o.adapters = std::move(adapters);
    o.thread_id = std::move(thread_id);
    o.on_error = [this](const std::string& m) { errors.push_back(m); };
    thread = std::make_unique<ThreadRuntime>(std::move(o));
  }
  std::vector<Json> read_lines(const fs::path& p) {
    std::vector<Json> out;
    std::ifstream in(p);
    std::string line;
    while (std::getline(in, line)) out.push_back(Json::parse(line));
    return out;
  }

  fs::path dir;
  std::shared_ptr<Driver> d = std::make_shared<Driver>();
  std::vector<std::string> errors;
  std::unique_ptr<ThreadRuntime> thread;
};

// ---- feedback ----

TEST_F(Adapters, FeedbackIsWrittenAsJsonLinesAndReported) {
  const auto path = dir / "sub" / "feedback.jsonl";
  std::vector<FeedbackRecord> seen;
  auto feedback = std::make_shared<JsonLinesFeedbackAdapter>(
      path.string(), [&](const FeedbackRecord& r) { seen.push_back(r); });
  make([](const ChatModelRunOptions&) { return T("Paris."); },
       ThreadAdapters{nullptr, nullptr, nullptr, feedback, nullptr}, "t-1");
  thread->append(U("Capital of France?"));
  d->settle();
  const auto before = now_timestamp();
  thread->submit_feedback(thread->messages()[1]->id, FeedbackType::Positive);
  thread->submit_feedback(thread->messages()[1]->id, FeedbackType::Negative, "too short");
  thread->submit_feedback(thread->messages()[0]->id, FeedbackType::Negative);
  const auto lines = read_lines(path);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["messageId"], thread->messages()[1]->id);
  EXPECT_EQ(lines[0]["threadId"], "t-1");
  EXPECT_EQ(lines[0]["type"], "positive");
  EXPECT_EQ(lines[0]["role"], "assistant");
  EXPECT_EQ(lines[0]["text"], "Paris.");
  EXPECT_TRUE(lines[0]["comment"].is_null());
  EXPECT_EQ(lines[1]["type"], "negative");
  EXPECT_EQ(lines[1]["comment"], "too short");
  EXPECT_EQ(lines[2]["role"], "user");
  EXPECT_EQ(lines[2]["text"], "Capital of France?");
  const std::string time = lines[0]["time"];
  EXPECT_EQ(time.size(), 24u) << time;  // 2026-12-04T14:00:00.000Z
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_GE(seen[0].time, before);
  EXPECT_EQ(seen[1].comment, "too short");
  EXPECT_EQ(thread->messages()[1]->metadata.submitted_feedback, FeedbackType::Negative);
}

TEST_F(Adapters, AnUnwritableFeedbackFileFailsTheSubmissionAndMarksNothing) {
  fs::create_directories(dir / "is-a-dir");
  auto feedback = std::make_shared<JsonLinesFeedbackAdapter>((dir / "is-a-dir").string());
  make([](const ChatModelRunOptions&) { return T("ok"); },
       ThreadAdapters{nullptr, nullptr, nullptr, feedback, nullptr});
  thread->append(U("q"));
  d->settle();
  try {
    thread->submit_feedback(thread->messages()[1]->id, FeedbackType::Positive);
    ADD_FAILURE() << "expected a failure";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot record feedback"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(thread->messages()[1]->metadata.submitted_feedback.has_value());
  thread->append(U("still works"));
  d->settle();
  EXPECT_EQ(thread->messages().size(), 4u);
}

// ---- suggestions ----

TEST_F(Adapters, StaticSuggestionsAfterEveryRun) {
  auto s = std::make_shared<StaticSuggestionAdapter>(
      std::vector<ThreadSuggestion>{{"Tell me more", "More", "details"}, {"Thanks", "", ""}});
  make([](const ChatModelRunOptions&) { return T("ok"); },
       ThreadAdapters{nullptr, nullptr, nullptr, nullptr, s});
  EXPECT_TRUE(thread->suggestions().empty());
  thread->append(U("q"));
  d->settle();
  ASSERT_EQ(thread->suggestions().size(), 2u);
  EXPECT_EQ(thread->suggestions()[0], (ThreadSuggestion{"Tell me more", "More", "details"}));
}

TEST_F(Adapters, FollowUpPromptAndParsing) {
  auto m = [](Role r, std::string text) {
    auto msg = std::make_shared<ThreadMessage>();
    msg->id = generate_id();
    msg->role = r;
    if (!text.empty()) msg->content.emplace_back(TextPart{Text(text)});
    return MessagePtr(msg);
  };
  MessageList list;
  list = list.push_back(m(Role::User, "old"));
  list = list.push_back(m(Role::User, "What is C++?"));
  list = list.push_back(m(Role::Assistant, ""));  // no text: skipped
  list = list.push_back(m(Role::Assistant, "A language."));
  const auto prompt = follow_up_prompt(list, ModelSuggestionOptions{3, 2});
  EXPECT_EQ(prompt,
            "Here is a conversation:\n\nuser: What is C++?\nassistant: A language.\n\nSuggest 3 "
            "short follow-up "
            "questions the user might ask next. Answer with the questions only, one per line, "
            "without numbering.");
  const auto parsed =
      parse_follow_ups("1. Who made it?\n\n2) When?\n- \"Is it fast?\"\n* extra\n", 3);
  ASSERT_EQ(parsed.size(), 3u);
  EXPECT_EQ(parsed[0].prompt, "Who made it?");
  EXPECT_EQ(parsed[1].prompt, "When?");
  EXPECT_EQ(parsed[2].prompt, "Is it fast?");
}

TEST_F(Adapters, TheChatModelWritesFollowUpsAfterARun) {
  // One streaming adapter serves both the chat and the follow-ups, as in aui-chat.
  std::atomic<int> follow_up_calls{0};
  ChatModelAdapter model = [&](const ChatModelRunOptions& o, RunResultSink& sink) {
    const std::string last = o.messages[o.messages.size() - 1]->text();
    if (last.rfind("Here is a conversation:", 0) == 0) {
      ++follow_up_calls;
      EXPECT_NE(last.find("user: Tell me about Rust"), std::string::npos);
      sink.yield(T("1. Is Rust fast?"));
      sink.yield(T("1. Is Rust fast?\n2. Who uses Rust?\n3. How do I start?\n4. One too many?"));
      return;
    }
    sink.yield(T("Rust is a language."));
  };
  make(model, ThreadAdapters{nullptr, nullptr, nullptr, nullptr,
                             std::make_shared<ModelSuggestionAdapter>(model)});
  thread->append(U("Tell me about Rust"));
  d->settle();
  EXPECT_EQ(follow_up_calls.load(), 1);
  ASSERT_EQ(thread->suggestions().size(), 3u);
  EXPECT_EQ(thread->suggestions()[0].prompt, "Is Rust fast?");
  EXPECT_EQ(thread->suggestions()[2].prompt, "How do I start?");
  EXPECT_TRUE(errors.empty());
  // Sending a suggestion starts a run, which clears the list until its own follow-ups arrive.
  thread->append(U(thread->suggestions()[1].prompt));
  EXPECT_TRUE(thread->suggestions().empty());
  d->settle();
  EXPECT_EQ(thread->suggestions().size(), 3u);
  EXPECT_EQ(follow_up_calls.load(), 2);
}

TEST_F(Adapters, AFailingModelLeavesNoSuggestions) {
  int call = 0;
  ChatModelAdapter model = [&](const ChatModelRunOptions&) -> ChatModelRunResult {
    if (++call == 2) throw std::runtime_error("rate limited");
    return T("ok");
  };
  make(model, ThreadAdapters{nullptr, nullptr, nullptr, nullptr,
                             std::make_shared<ModelSuggestionAdapter>(model)});
  auto c = thread->append(U("q"));
  d->settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_TRUE(thread->suggestions().empty());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("rate limited"), std::string::npos);
}

TEST_F(Adapters, AnAbortedModelGenerationIsDroppedQuietly) {
  std::atomic<int> follow_up_calls{0};
  ChatModelAdapter model = [&](const ChatModelRunOptions& o, RunResultSink& sink) {
    if (o.messages[0]->text().rfind("Here is a conversation:", 0) == 0) {
      ++follow_up_calls;
      wait_for_abort(*d, o.stop_token);
      sink.yield(T("stale?"));  // throws: the generation was aborted
      return;
    }
    sink.yield(T("ok"));
  };
  make(model, ThreadAdapters{nullptr, nullptr, nullptr, nullptr,
                             std::make_shared<ModelSuggestionAdapter>(model)});
  thread->append(U("q"));
  d->settle();
  EXPECT_EQ(follow_up_calls.load(), 1);
  thread->cancel_run();  // aborts the pending generation
  d->settle();
  EXPECT_TRUE(thread->suggestions().empty());
  EXPECT_TRUE(errors.empty());
}

// A reply that failed (a rejected key, say) or was cut off gets no follow-ups: the model is not
// asked again, so the key is not sent a second time and nothing fails mid-chat.
TEST_F(Adapters, NoFollowUpsAfterAFailedOrCancelledReply) {
  std::atomic<int> follow_up_calls{0};
  StatusReason ending = StatusReason::Error;
  ChatModelAdapter model = [&](const ChatModelRunOptions& o, RunResultSink& sink) {
    if (o.messages[0]->text().rfind("Here is a conversation:", 0) == 0) {
      ++follow_up_calls;
      sink.yield(T("Why?"));
      return;
    }
    ChatModelRunResult r = T("partial");
    r.status = MessageStatus::incomplete(
        ending, ending == StatusReason::Error
                    ? Json{{"code", "unauthorized"}, {"message", "Check the API key."}}
                    : Json());
    sink.yield(std::move(r));
  };
  make(model, ThreadAdapters{nullptr, nullptr, nullptr, nullptr,
                             std::make_shared<ModelSuggestionAdapter>(model)});
  thread->append(U("q"));
  d->settle();
  EXPECT_EQ(follow_up_calls.load(), 0);
  EXPECT_TRUE(thread->suggestions().empty());
  EXPECT_TRUE(errors.empty());
  ending = StatusReason::Cancelled;
  thread->append(U("again"));
  d->settle();
  EXPECT_EQ(follow_up_calls.load(), 0);
  EXPECT_TRUE(errors.empty());
}

}  // namespace
