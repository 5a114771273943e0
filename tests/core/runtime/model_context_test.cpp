// ModelContext (spec §7.2): merge rules, and providers coming and going while the thread runs.

#include <gtest/gtest.h>

#include "aui/runtime/model_context.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/errors.hpp"
#include "aui/testing.hpp"
#include "support/runtime_driver.hpp"

namespace {

using namespace aui;
using namespace aui::testing;

TEST(ModelContextMerge, PrioritySystemPromptsToolsAndSettings) {
  ModelContext low;
  low.system = "low";
  low.tools["search"] =
      Tool{.description = "low search", .parameters = Json{{"type", "object"}}, .type = "backend"};
  low.call_settings.temperature = 0.1;
  low.call_settings.max_tokens = 100;
  low.config.model_name = "low-model";
  ModelContext high;
  high.priority = 5;
  high.system = "high";
  high.tools["search"] = Tool{.description = "high search"};
  high.call_settings.temperature = 0.9;
  high.config.model_name = "high-model";
  high.config.base_url = "http://high";
  ModelContext middle;
  middle.priority = 1;
  middle.call_settings.headers["x-a"] = "1";

  const ModelContext merged = merge_model_contexts({low, high, middle});
  EXPECT_EQ(merged.system, "high\n\nlow");  // priority order, a blank line between
  EXPECT_EQ(merged.priority, 5);
  const Tool& search = merged.tools.at("search");
  EXPECT_EQ(search.description, "high search");  // the higher priority's field wins
  EXPECT_EQ(search.parameters,
            Json::parse(R"({"type": "object"})"));  // what it leaves unset comes from below
  EXPECT_EQ(search.type, "backend");
  // Settings and config merge key-wise in priority order: a lower provider's key overrides
  // (upstream behaviour, spec §7.2).
  EXPECT_EQ(merged.call_settings.temperature, 0.1);
  EXPECT_EQ(merged.call_settings.max_tokens, 100);
  EXPECT_EQ(merged.call_settings.headers.at("x-a"), "1");
  EXPECT_EQ(merged.config.model_name, "low-model");
  EXPECT_EQ(merged.config.base_url, "http://high");
}

TEST(ModelContextMerge, EqualPriorityDuplicatesFailUnlessOverwrite) {
  ModelContext a;
  a.tools["t"] = Tool{.description = "a"};
  ModelContext b;
  b.tools["t"] = Tool{.description = "b"};
  try {
    merge_model_contexts({a, b});
    ADD_FAILURE() << "expected DuplicateTool";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::DuplicateTool);
    EXPECT_NE(std::string(e.what()).find("\"t\""), std::string::npos);
  }
  b.tools["t"].overwrite = true;
  const auto merged = merge_model_contexts({a, b});
  EXPECT_EQ(merged.tools.at("t").description, "b");
  EXPECT_FALSE(merged.tools.at("t").overwrite);  // stripped
  // The very same tool twice is no duplicate.
  EXPECT_NO_THROW(merge_model_contexts({a, a}));
}

class Providers : public ::testing::Test {
 protected:
  void SetUp() override {
    ThreadRuntimeOptions o;
    o.chat_model = [this](const ChatModelRunOptions& opts) {
      calls.record(opts);
      return T("ok");
    };
    o.dispatcher = d->dispatcher();
    o.executor = d->executor();
    thread = std::make_unique<ThreadRuntime>(std::move(o));
  }
  std::shared_ptr<Driver> d = std::make_shared<Driver>();
  CallLog calls;
  std::unique_ptr<ThreadRuntime> thread;
};

TEST_F(Providers, AddedAndRemovedWhileTheThreadLivesChangeWhatTheAdapterGets) {
  int updates = 0;
  auto events = thread->on(ThreadEvent::ModelContextUpdate, [&] { ++updates; });
  std::string prompt = "Be brief.";
  auto system = thread->register_model_context_provider([&] {
    ModelContext c;
    c.system = prompt;
    c.composer_metadata = Json{{"m", 1}};
    return c;
  });
  EXPECT_EQ(updates, 1);
  thread->append(U("one"));
  d->settle();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls.at(1).options.context.system, "Be brief.");
  // Composer metadata never reaches the adapter; it lands on the user message.
  EXPECT_TRUE(calls.at(1).options.context.composer_metadata.is_null());
  EXPECT_EQ(calls.at(1).options.messages.back()->metadata.custom, Json::parse(R"({"m": 1})"));

  // A provider's answer changes: the next roundtrip sees it.
  prompt = "Be thorough.";
  thread->notify_model_context_changed();
  EXPECT_EQ(updates, 2);
  auto tools = thread->register_tools({{"clock", Tool{.description = "time"}}});
  thread->append(U("two"));
  d->settle();
  EXPECT_EQ(calls.at(2).options.context.system, "Be thorough.");
  EXPECT_EQ(calls.at(2).options.context.tools.count("clock"), 1u);

  tools.unsubscribe();
  system.unsubscribe();
  EXPECT_EQ(updates, 5);
  thread->append(U("three"));
  d->settle();
  EXPECT_TRUE(calls.at(3).options.context.system.empty());
  EXPECT_TRUE(calls.at(3).options.context.tools.empty());
}

}  // namespace
