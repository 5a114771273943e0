// The thread runtime against the conformance scenarios of sections C, D, E, F, G, H, K, N and P
// (spec §4–§8, §10, §11), driven deterministically.

#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/errors.hpp"
#include "aui/testing.hpp"
#include "support/runtime_driver.hpp"

namespace {

using namespace aui;
using namespace aui::testing;

class Runtime : public ::testing::Test {
 protected:
  void make(ChatModelAdapter adapter,
            const std::function<void(ThreadRuntimeOptions&)>& tweak = {}) {
    ThreadRuntimeOptions o;
    o.chat_model = std::move(adapter);
    o.dispatcher = d->dispatcher();
    o.executor = d->executor();
    o.on_error = [this](const std::string& m) { errors.push_back(m); };
    if (tweak) tweak(o);
    thread = std::make_unique<ThreadRuntime>(std::move(o));
  }
  // Plain[r1, r2, ...]: call k returns rk; the last one repeats.
  ChatModelAdapter plain(std::vector<ChatModelRunResult> results) {
    return [this, results](const ChatModelRunOptions& o) {
      calls.record(o);
      return results[std::min(calls.size(), results.size()) - 1];
    };
  }
  ThreadRuntime& t() { return *thread; }
  void settle() { d->settle(); }
  std::string branch() { return branch_string(*thread); }
  MessagePtr last() { return thread->messages().back(); }
  MessagePtr at(std::size_t i) { return thread->messages()[i]; }
  void TearDown() override { thread.reset(); }

  std::shared_ptr<Driver> d = std::make_shared<Driver>();
  CallLog calls;
  std::vector<std::string> errors;
  std::unique_ptr<ThreadRuntime> thread;
};

template <class F>
ErrorKind kind_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  ADD_FAILURE() << "expected an aui::Error";
  return ErrorKind::Unsupported;
}

// ---- C. Appending and running ----

TEST_F(Runtime, S031_MissingStatusBecomesCompleteUnknown) {
  make(plain({T("x")}));
  auto c = t().append(U("q"));
  settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_EQ(branch(), R"([u"q", a"x"·cu])");
}

TEST_F(Runtime, S032_StreamingResultsAreCumulative) {
  Gate g;
  make([&](const ChatModelRunOptions& o, RunResultSink& sink) {
    calls.record(o);
    sink.yield(T("Hel"));
    g.wait(*d);
    ChatModelRunResult r = T("Hello world");
    r.status = MessageStatus::complete(StatusReason::Stop);
    sink.yield(r);
  });
  auto c = t().append(U("s"));
  settle();
  EXPECT_EQ(branch(), R"([u"s", a"Hel"·run])");
  EXPECT_TRUE(t().is_running());
  EXPECT_FALSE(c.ready());
  g.release();
  settle();
  EXPECT_EQ(branch(), R"([u"s", a"Hello world"·cs])");
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_FALSE(t().is_running());
}

// ---- The stream's pace (ThreadRuntimeOptions::stream_update_interval) ----

TEST_F(Runtime, AFastStreamIsAppliedOncePerIntervalWithItsNewestUpdateAndItsEndAtOnce) {
  d->enable_timers();
  Gate g0, g1, g2;
  make(
      [&](const ChatModelRunOptions&, RunResultSink& sink) {
        sink.yield(T("a"));
        g0.wait(*d);
        sink.yield(T("ab"));
        sink.yield(T("abc"));
        g1.wait(*d);
        sink.yield(T("abcd"));
        g2.wait(*d);
        sink.yield(T("abcde"));
      },
      [&](ThreadRuntimeOptions& o) {
        o.stream_update_interval = std::chrono::milliseconds(16);
        o.clock = d->clock();
      });
  std::vector<std::string> shown;
  auto sub = t().subscribe([&] {
    if (t().messages().size() < 2) return;
    const std::string text(last()->text());
    if (shown.empty() || shown.back() != text) shown.push_back(text);
  });
  t().append(U("s"));
  settle();
  EXPECT_EQ(last()->text(), "a");  // the first update at once
  g0.release();
  settle();
  EXPECT_EQ(last()->text(), "a");  // two more within the interval wait for it
  EXPECT_EQ(d->pending_timers(), 1u);
  d->advance(std::chrono::milliseconds(15));
  settle();
  EXPECT_EQ(last()->text(), "a");
  d->advance(std::chrono::milliseconds(1));
  settle();
  EXPECT_EQ(last()->text(), "abc");           // only the newest of them
  d->advance(std::chrono::milliseconds(40));  // a pause longer than the interval
  settle();
  g1.release();
  settle();
  EXPECT_EQ(last()->text(), "abcd");  // an update after a pause is applied at once
  g2.release();
  settle();
  // The end of the reply does not wait for the interval (the clock has not moved).
  EXPECT_EQ(branch(), R"([u"s", a"abcde"·cu])");
  EXPECT_FALSE(t().is_running());
  EXPECT_EQ(shown, (std::vector<std::string>{"", "a", "abc", "abcd", "abcde"}));
}

// Results that wait for the stream's pace are folded into the newest one: what the newest leaves
// out comes from those before it, as if each had been applied in turn (spec §6.3 step 8, §6.4).
TEST_F(Runtime, AResultThatWaitsForThePaceKeepsWhatTheNewerOneLeavesOut) {
  d->enable_timers();
  Gate g0;
  make(
      [&](const ChatModelRunOptions&, RunResultSink& sink) {
        sink.yield(T("a"));
        g0.wait(*d);
        sink.yield(T("ab"));
        ChatModelRunResult length;
        length.status = MessageStatus::incomplete(StatusReason::Length);
        sink.yield(std::move(length));
        ChatModelRunResult state;
        state.metadata.emplace().unstable_state = Json{{"k", 1}};
        sink.yield(std::move(state));
        ChatModelRunResult custom;
        custom.metadata.emplace().custom = Json{{"model", "m"}};
        sink.yield(std::move(custom));
      },
      [&](ThreadRuntimeOptions& o) {
        o.stream_update_interval = std::chrono::milliseconds(16);
        o.clock = d->clock();
      });
  t().append(U("s"));
  settle();
  EXPECT_EQ(last()->text(), "a");
  g0.release();  // the rest arrives within one interval and the call ends
  settle();
  EXPECT_EQ(branch(), R"([u"s", a"ab"·i-length])");
  EXPECT_EQ(t().state(), (Json{{"k", 1}}));
  EXPECT_EQ(last()->metadata.custom.get(), (Json{{"model", "m"}}));
}

// Yields "a", waits at `gate`, yields "ab" and waits for the cancel.
ChatModelAdapter a_then_ab_until_cancelled(Gate& gate, Driver& d) {
  return [&gate, &d](const ChatModelRunOptions&, RunResultSink& sink) {
    sink.yield(T("a"));
    gate.wait(d);
    sink.yield(T("ab"));
    wait_for_abort(d, sink.stop_token());
  };
}

TEST_F(Runtime, ACancelDoesNotWaitForTheStreamsPace) {
  d->enable_timers();
  Gate g0;
  make(a_then_ab_until_cancelled(g0, *d), [&](ThreadRuntimeOptions& o) { o.clock = d->clock(); });
  t().append(U("s"));
  settle();
  g0.release();
  settle();
  EXPECT_EQ(last()->text(), "a");
  t().cancel_run();
  settle();
  EXPECT_TRUE(last()->status.is(StatusType::Incomplete, StatusReason::Cancelled));
  EXPECT_FALSE(t().is_running());
}

TEST_F(Runtime, AZeroIntervalAppliesEveryUpdateTheOwnerGetsTo) {
  d->enable_timers();
  Gate g0;
  make(a_then_ab_until_cancelled(g0, *d), [&](ThreadRuntimeOptions& o) {
    o.stream_update_interval = std::chrono::milliseconds(0);
    o.clock = d->clock();
  });
  t().append(U("s"));
  settle();
  g0.release();
  settle();
  EXPECT_EQ(last()->text(), "ab");
  EXPECT_EQ(d->pending_timers(), 0u);
  t().cancel_run();
  settle();
}

TEST_F(Runtime, S034_AdapterFailure) {
  make([&](const ChatModelRunOptions& o) -> ChatModelRunResult {
    calls.record(o);
    throw std::runtime_error("Model unavailable");
  });
  auto c = t().append(U("e"));
  settle();
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(failure_message(c), "Model unavailable");
  EXPECT_TRUE(last()->status.is(StatusType::Incomplete, StatusReason::Error));
  EXPECT_EQ(last()->status.error,
            Json::parse(R"({"code": "unknown", "message": "Model unavailable"})"));
  EXPECT_TRUE(last()->content.empty());
}

TEST_F(Runtime, S035_WhatTheAdapterReceives) {
  make(plain({T("ok")}));
  AppendMessage m = U("q");
  m.run_config = RunConfig{Json{{"k", 1}}};
  t().append(m);
  settle();
  ASSERT_EQ(calls.size(), 1u);
  const auto call = calls.at(1);
  ASSERT_EQ(call.options.messages.size(), 1u);
  EXPECT_EQ(call.options.messages[0]->id, at(0)->id);
  EXPECT_EQ(call.options.run_config.custom, Json::parse(R"({"k": 1})"));
  EXPECT_EQ(call.options.parent_id, at(0)->id);
  EXPECT_EQ(call.options.assistant_message_id, at(1)->id);
  EXPECT_FALSE(call.options.thread_id.has_value());
  ASSERT_TRUE(call.message_at_call);
  EXPECT_EQ(call.message_at_call->status.type, StatusType::Running);
  EXPECT_TRUE(call.message_at_call->content.empty());
  EXPECT_TRUE(call.message_at_call->metadata.assistant_or_default().steps.empty());
}

TEST_F(Runtime, S037_TwoToolsWithTheSameNameAtEqualPriority) {
  make(plain({T("ok")}));
  t().append(U("u1"));
  settle();
  auto p1 = t().register_model_context_provider([] {
    ModelContext c;
    c.tools["a"] = Tool{"first", nullptr, "", std::nullopt, false};
    return c;
  });
  auto p2 = t().register_model_context_provider([] {
    ModelContext c;
    c.tools["a"] = Tool{"second", nullptr, "", std::nullopt, false};
    return c;
  });
  auto c = t().append(U("x"));
  settle();
  EXPECT_EQ(failure_kind(c), ErrorKind::DuplicateTool);
  EXPECT_EQ(t().messages().size(), 2u);
  EXPECT_EQ(calls.size(), 1u);
  auto run = t().start_run({at(0)->id, std::nullopt, {}});
  settle();
  EXPECT_EQ(failure_kind(run), ErrorKind::DuplicateTool);
  EXPECT_TRUE(last()->status.is(StatusType::Incomplete, StatusReason::Error));
  EXPECT_NE(last()->status.error->at("message").get<std::string>().find("\"a\""),
            std::string::npos);
  EXPECT_EQ(t().get_branches(last()->id).size(), 2u);
}

TEST_F(Runtime, S038_AppendingWithoutARun) {
  make(plain({T("never")}));
  AppendMessage m = U("typed");
  m.start_run = false;
  t().append(m);
  settle();
  EXPECT_EQ(calls.size(), 0u);
  EXPECT_EQ(branch(), R"([u"typed"])");
  EXPECT_EQ(t().repository().head_id(), at(0)->id);
}

TEST_F(Runtime, S040_AppendingUnderAnUnknownParent) {
  make(plain({T("x")}));
  int initialize = 0;
  auto sub = t().on(ThreadEvent::Initialize, [&] { ++initialize; });
  auto c = t().append(U("x", "nope"));
  settle();
  EXPECT_EQ(failure_kind(c), ErrorKind::ParentNotFound);
  EXPECT_EQ(calls.size(), 0u);
  EXPECT_TRUE(t().messages().empty());
  EXPECT_EQ(initialize, 1);
}

TEST_F(Runtime, S041_MetadataMergeAcrossYieldsAndRoundtrips) {
  make([&](const ChatModelRunOptions& o, RunResultSink& sink) {
    calls.record(o);
    if (calls.size() == 1) {
      auto call = TC("x", "c1");
      call.result = Json(1);
      ChatModelRunResult r = RA({call});
      r.metadata =
          RunResultMetadata{Json{{"v", 1}}, std::vector<Json>{"a1"}, std::nullopt, std::nullopt,
                            std::nullopt,   Json{{"k1", 1}}};
      sink.yield(r);
      r.metadata = RunResultMetadata{std::nullopt, std::vector<Json>{"a1", "a2"},
                                     std::nullopt, std::nullopt,
                                     std::nullopt, Json{{"k2", 2}}};
      sink.yield(r);
    } else {
      ChatModelRunResult r = T("t");
      r.metadata =
          RunResultMetadata{Json(0),      std::vector<Json>{"b1"}, std::nullopt, std::nullopt,
                            std::nullopt, Json{{"k3", 3}}};
      sink.yield(r);
    }
  });
  t().append(U("go"));
  settle();
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_EQ(branch(), R"([u"go", a[tc(x=1), "t"]·cu])");
  const auto& md = last()->metadata;
  EXPECT_EQ(md.assistant_or_default().unstable_annotations, (std::vector<Json>{"a1", "a2", "b1"}));
  EXPECT_EQ(md.custom, Json::parse(R"({"k2": 2, "k3": 3})"));
  EXPECT_EQ(md.assistant_or_default().unstable_state, Json(0));  // falsy values are kept
  EXPECT_TRUE(md.assistant_or_default().unstable_data.empty());
  EXPECT_TRUE(md.assistant_or_default().steps.empty());
}

TEST_F(Runtime, S043_InitialStateComesFromThePreviousAssistantMessage) {
  ChatModelRunResult first = T("a");
  first.metadata = RunResultMetadata{Json{{"s", 1}}, {}, {}, {}, {}, {}};
  make(plain({first, T("b")}));
  t().append(U("u1"));
  settle();
  t().append(U("u2"));
  settle();
  EXPECT_TRUE(
      calls.at(1).message_at_call->metadata.assistant_or_default().unstable_state.is_null());
  EXPECT_EQ(calls.at(2).message_at_call->metadata.assistant_or_default().unstable_state,
            Json::parse(R"({"s":1})"));
  EXPECT_EQ(last()->metadata.assistant_or_default().unstable_state, Json::parse(R"({"s":1})"));
  EXPECT_EQ(t().state(), Json::parse(R"({"s":1})"));
}

TEST_F(Runtime, S044_EventOrder) {
  std::vector<std::string> record;
  make([&](const ChatModelRunOptions& o) {
    calls.record(o);
    return T("x");
  });
  auto s1 = t().on(ThreadEvent::Initialize, [&] { record.push_back("initialize"); });
  auto s2 = t().on(ThreadEvent::RunStart, [&] { record.push_back("runStart"); });
  auto s3 = t().on(ThreadEvent::RunEnd, [&] {
    record.push_back("adapter" + std::to_string(calls.size()));
    record.push_back("runEnd");
  });
  t().append(U("a"));
  settle();
  t().append(U("b"));
  settle();
  EXPECT_EQ(record, (std::vector<std::string>{"initialize", "runStart", "adapter1", "runEnd",
                                              "runStart", "adapter2", "runEnd"}));
}

TEST_F(Runtime, S046_TheInitializeEventIsLatched) {
  make(plain({T("x")}));
  t().append(U("a"));
  settle();
  int late = 0;
  auto sub = t().on(ThreadEvent::Initialize, [&] { ++late; });
  EXPECT_EQ(late, 0);  // not synchronously
  settle();
  EXPECT_EQ(late, 1);  // once, on a later turn
  t().append(U("b"));
  settle();
  EXPECT_EQ(late, 1);
  int gone = 0;
  auto sub2 = t().on(ThreadEvent::Initialize, [&] { ++gone; });
  sub2.unsubscribe();
  settle();
  EXPECT_EQ(gone, 0);
}

TEST_F(Runtime, S047_IsRunningAndCanCancel) {
  make(
      [&](const ChatModelRunOptions& o, RunResultSink&) {
        calls.record(o);
        wait_for_abort(*d, o.stop_token);
      },
      [](ThreadRuntimeOptions& o) {
        ThreadMessageLike m = ThreadMessageLike::text(Role::Assistant, "Hello");
        m.status = MessageStatus::complete(StatusReason::Stop);
        o.initial_messages.push_back(m);
      });
  EXPECT_FALSE(t().composer().can_cancel());
  t().append(U("Run"));
  settle();
  EXPECT_TRUE(t().is_running());
  EXPECT_TRUE(t().composer().can_cancel());
  t().cancel_run();
  settle();
  EXPECT_FALSE(t().is_running());
  EXPECT_FALSE(t().composer().can_cancel());
  EXPECT_TRUE(last()->status.is(StatusType::Incomplete, StatusReason::Cancelled));
}

// ---- D. Cancellation ----

TEST_F(Runtime, S049_CancelAPlainAdapterThatIgnoresTheSignal) {
  Gate resolve;
  make([&](const ChatModelRunOptions& o) {
    calls.record(o);
    resolve.wait(*d);
    return T("hello");
  });
  auto c = t().append(U("hi"));
  settle();
  t().cancel_run();
  resolve.release();
  settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_EQ(branch(), R"([u"hi", a"hello"·ic])");
}

TEST_F(Runtime, S050_ATerminalStatusSurvivesACancelDuringTeardown) {
  Gate g;
  make([&](const ChatModelRunOptions& o, RunResultSink& sink) {
    calls.record(o);
    ChatModelRunResult r = T("done");
    r.status = MessageStatus::complete(StatusReason::Stop);
    sink.yield(r);
    g.wait(*d);
  });
  t().append(U("x"));
  settle();
  EXPECT_EQ(last()->status, MessageStatus::complete(StatusReason::Stop));
  t().cancel_run();
  g.release();
  settle();
  EXPECT_EQ(message_string(*last()), R"(a"done"·cs)");
}

TEST_F(Runtime, S052_CancelBeforeADelayedToolCallResultArrives) {
  Gate resolve;
  make(
      [&](const ChatModelRunOptions& o) {
        calls.record(o);
        if (calls.size() == 1) {
          resolve.wait(*d);
          return RA({TC("lookup_weather", "c1")});
        }
        ChatModelRunResult r = T("unexpected continuation");
        r.status = MessageStatus::complete(StatusReason::Stop);
        return r;
      },
      [](ThreadRuntimeOptions& o) { o.human_tool_names = std::vector<std::string>{"send_email"}; });
  auto c = t().append(U("first"));
  settle();
  t().cancel_run();
  resolve.release();
  settle();
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(message_string(*last()), "a[tc(lookup_weather)]·ic");
  EXPECT_TRUE(c.succeeded_ok());
}

TEST_F(Runtime, S053_CancelWhilePausedOnAHumanTool) {
  make(plain({RA({TC("send_email", "c1")}), T("done")}), [](ThreadRuntimeOptions& o) {
    o.human_tool_names = std::vector<std::string>{"send_email"};
  });
  t().append(U("mail"));
  settle();
  EXPECT_EQ(last()->status, MessageStatus::requires_action());
  t().cancel_run();
  settle();
  EXPECT_EQ(last()->status, MessageStatus::requires_action());
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_FALSE(t().is_running());
  t().add_tool_result({last()->id, "c1", "send_email", Json{{"ok", true}}});
  settle();
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_EQ(branch(), R"([u"mail", a[tc(send_email={"ok":true}), "done"]·cu])");
}

TEST_F(Runtime, S055_CancelWithNothingRunning) {
  make(plain({T("x")}));
  t().append(U("u"));
  settle();
  int notified = 0;
  auto sub = t().subscribe([&] { ++notified; });
  const auto before = t().messages();
  t().cancel_run();
  settle();
  EXPECT_TRUE(before.same_as(t().messages()));
  EXPECT_EQ(notified, 0);
}

TEST_F(Runtime, S056_TheAdapterPropagatesTheAbort) {
  make([&](const ChatModelRunOptions& o, RunResultSink&) {
    calls.record(o);
    wait_for_abort(*d, o.stop_token);
    throw Cancelled();
  });
  auto c = t().append(U("x"));
  settle();
  t().cancel_run();
  settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_EQ(last()->status, MessageStatus::incomplete(StatusReason::Cancelled));
}

TEST_F(Runtime, S058_AReplacementRunStaysCancellableAfterTheSupersededRunSettles) {
  Gate g1, g2;
  make([&](const ChatModelRunOptions& o, RunResultSink&) {
    calls.record(o);
    (calls.size() == 1 ? g1 : g2).wait(*d);
  });
  auto first = t().append(U("first"));
  settle();
  auto second = t().append(U("second"));
  settle();
  EXPECT_TRUE(calls.at(1).options.stop_token.stop_requested());
  EXPECT_FALSE(calls.at(2).options.stop_token.stop_requested());
  g1.release();
  settle();
  EXPECT_TRUE(first.ready());
  t().cancel_run();
  EXPECT_TRUE(calls.at(2).options.stop_token.stop_requested());
  g2.release();
  settle();
  EXPECT_TRUE(second.succeeded_ok());
}

TEST_F(Runtime, S059_DetachCancelsTheRun) {
  make([&](const ChatModelRunOptions& o, RunResultSink& sink) {
    calls.record(o);
    sink.yield(T("p"));
    wait_for_abort(*d, o.stop_token);
  });
  auto c = t().append(U("hi"));
  settle();
  t().detach();
  settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_EQ(branch(), R"([u"hi", a"p"·ic])");
}

// ---- E. Supersession and concurrency ----

TEST_F(Runtime, S061_ASupersededToolCallResultNeitherContinuesNorAbortsTheReplacement) {
  Gate r1, r2;
  make(
      [&](const ChatModelRunOptions& o) {
        calls.record(o);
        if (calls.size() == 1) {
          r1.wait(*d);
          return RA({TC("lookup_weather", "c1")});
        }
        r2.wait(*d);
        return T("replacement");
      },
      [](ThreadRuntimeOptions& o) { o.human_tool_names = std::vector<std::string>{"send_email"}; });
  auto first = t().append(U("first"));
  settle();
  const Id x = last()->id;
  auto second = t().append(U("second", x));
  settle();
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_TRUE(calls.at(1).options.stop_token.stop_requested());
  EXPECT_FALSE(calls.at(2).options.stop_token.stop_requested());
  r1.release();
  settle();
  EXPECT_TRUE(first.ready());
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_FALSE(calls.at(2).options.stop_token.stop_requested());
  EXPECT_EQ(t().get_message_by_id(x)->message->status,
            MessageStatus::incomplete(StatusReason::Cancelled));
  r2.release();
  settle();
  EXPECT_TRUE(second.succeeded_ok());
}

TEST_F(Runtime, S062_ASupersededApprovalPauseBecomesCancelled) {
  Gate r1;
  make([&](const ChatModelRunOptions& o) {
    calls.record(o);
    if (calls.size() == 1) {
      r1.wait(*d);
      auto call = TC("deploy", "c1");
      call.approval = GATE("approval-1");
      return RA({call});
    }
    return T("replacement");
  });
  t().append(U("first"));
  settle();
  const Id x = last()->id;
  t().append(U("second", x));
  settle();
  r1.release();
  settle();
  EXPECT_EQ(t().get_message_by_id(x)->message->status,
            MessageStatus::incomplete(StatusReason::Cancelled));
}

TEST_F(Runtime, S064_SwitchingBranchesWhileARunIsInProgress) {
  Gate g;
  make([&](const ChatModelRunOptions& o, RunResultSink& sink) {
    calls.record(o);
    if (calls.size() == 1) {
      sink.yield(T("p1"));
      return;
    }
    sink.yield(T("p2"));
    g.wait(*d);
    sink.yield(T("final2"));
  });
  t().append(U("u1"));
  settle();
  const Id a1 = last()->id;
  EXPECT_EQ(branch(), R"([u"u1", a"p1"·cu])");
  t().reload(a1);
  settle();
  const Id a2 = last()->id;
  EXPECT_EQ(branch(), R"([u"u1", a"p2"·run])");
  t().switch_to_branch(a1);
  EXPECT_EQ(branch(), R"([u"u1", a"p1"·cu])");
  EXPECT_FALSE(t().is_running());
  EXPECT_FALSE(t().composer().can_cancel());
  g.release();
  settle();
  EXPECT_EQ(branch(), R"([u"u1", a"p1"·cu])");
  EXPECT_EQ(message_string(*t().get_message_by_id(a2)->message), R"(a"final2"·cu)");
}

class Suggestions final : public SuggestionAdapter {
 public:
  std::vector<ThreadSuggestion> generate(
      const MessageList&, std::stop_token,
      const std::function<void(std::vector<ThreadSuggestion>)>&) override {
    ++calls;
    return {{"follow up", "", ""}};
  }
  std::atomic<int> calls{0};
};

TEST_F(Runtime, S065_ASupersededRunDoesNotProduceSuggestions) {
  Gate g1, g2;
  auto suggestions = std::make_shared<Suggestions>();
  make(
      [&](const ChatModelRunOptions& o, RunResultSink& sink) {
        calls.record(o);
        (calls.size() == 1 ? g1 : g2).wait(*d);
        sink.yield(T("done"));
      },
      [&](ThreadRuntimeOptions& o) { o.adapters.suggestion = suggestions; });
  t().append(U("first"));
  settle();
  t().append(U("second"));
  settle();
  g1.release();
  settle();
  EXPECT_EQ(suggestions->calls.load(), 0);
  EXPECT_TRUE(t().suggestions().empty());
  g2.release();
  settle();
  EXPECT_EQ(suggestions->calls.load(), 1);
  ASSERT_EQ(t().suggestions().size(), 1u);
  EXPECT_EQ(t().suggestions()[0].prompt, "follow up");
}

TEST_F(Runtime, S205_TwoOverlappingRunsEmitInterleavedEvents) {
  Gate g1, g2;
  std::vector<std::string> events;
  make([&](const ChatModelRunOptions& o, RunResultSink&) {
    calls.record(o);
    (calls.size() == 1 ? g1 : g2).wait(*d);
  });
  auto s1 = t().on(ThreadEvent::RunStart, [&] { events.push_back("runStart"); });
  auto s2 = t().on(ThreadEvent::RunEnd, [&] { events.push_back("runEnd"); });
  t().append(U("a"));
  settle();
  t().append(U("b"));
  settle();
  g1.release();
  settle();
  g2.release();
  settle();
  EXPECT_EQ(events, (std::vector<std::string>{"runStart", "runStart", "runEnd", "runEnd"}));
}

// ---- F. Reload and branch navigation ----

TEST_F(Runtime, S067_RegenerateCreatesASibling) {
  make(plain({T("one"), T("two")}));
  t().append(U("q"));
  settle();
  const Id a1 = last()->id;
  t().reload(a1);
  settle();
  EXPECT_EQ(calls.size(), 2u);
  ASSERT_EQ(calls.at(2).options.messages.size(), 1u);
  EXPECT_EQ(calls.at(2).options.messages[0]->text(), "q");
  EXPECT_EQ(branch(), R"([u"q", a"two"·cu])");
  const auto state = t().message_state(1);
  EXPECT_EQ(state->branch_number, 2u);
  EXPECT_EQ(state->branch_count, 2u);
  EXPECT_EQ(t().get_branches(last()->id), (std::vector<Id>{a1, last()->id}));
  t().switch_to_branch(a1);
  EXPECT_EQ(branch(), R"([u"q", a"one"·cu])");
  EXPECT_EQ(t().message_state(1)->branch_number, 1u);
}

TEST_F(Runtime, S068_OnlyAssistantMessagesCanBeReloaded) {
  make(plain({T("x")}));
  t().append(U("q"));
  settle();
  EXPECT_EQ(kind_of([&] { t().reload(at(0)->id); }), ErrorKind::NotAssistant);
  settle();
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(t().messages().size(), 2u);
}

TEST_F(Runtime, S070_TheRunConfigOfARegenerate) {
  make(plain({T("x")}));
  t().append(U("hi"));
  settle();
  t().composer().set_run_config(RunConfig{Json{{"m", "x"}}});
  t().reload(last()->id);
  settle();
  t().reload(last()->id, RunConfig{Json{{"m", "y"}}});
  settle();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_TRUE(calls.at(1).options.run_config.custom.is_null());
  EXPECT_EQ(calls.at(2).options.run_config.custom, Json::parse(R"({"m":"x"})"));
  EXPECT_EQ(calls.at(3).options.run_config.custom, Json::parse(R"({"m":"y"})"));
}

TEST_F(Runtime, S071_MessageLevelPreviousAndNext) {
  make(plain({T("x")}));
  t().append(U("u"));
  settle();
  t().reload(last()->id);
  settle();
  const Id shown = last()->id;
  EXPECT_EQ(t().message_state(1)->branch_number, 2u);
  t().switch_to_branch(shown, ThreadRuntime::BranchPosition::Previous);
  EXPECT_EQ(t().message_state(1)->branch_number, 1u);
  EXPECT_EQ(
      kind_of([&] { t().switch_to_branch(last()->id, ThreadRuntime::BranchPosition::Previous); }),
      ErrorKind::BranchNotFound);
  t().switch_to_branch(last()->id, ThreadRuntime::BranchPosition::Next);
  EXPECT_EQ(last()->id, shown);
  EXPECT_EQ(kind_of([&] { t().switch_to_branch(Id("nope")); }), ErrorKind::BranchNotFound);
}

// ---- G. Editing ----

// Answers "r<k>:" + the texts of the messages it received joined by "|".
ChatModelAdapter echo_adapter(CallLog& calls) {
  return [&calls](const ChatModelRunOptions& o) {
    calls.record(o);
    std::string text = "r" + std::to_string(calls.size()) + ":";
    bool first = true;
    for (const auto& m : o.messages) {
      text += (first ? "" : "|") + m->text();
      first = false;
    }
    return T(text);
  };
}

TEST_F(Runtime, S073_EditingAUserMessageInTheMiddle) {
  make(echo_adapter(calls));
  t().append(U("u1"));
  settle();
  t().append(U("u2"));
  settle();
  const Id u2 = at(2)->id;
  auto& edit = t().begin_edit(u2);
  edit.set_text("u2x");
  edit.send();
  settle();
  EXPECT_EQ(branch(), R"([u"u1", a"r1:u1"·cu, u"u2x", a"r3:u1|r1:u1|u2x"·cu])");
  EXPECT_EQ(t().message_state(2)->branch_number, 2u);
  EXPECT_EQ(calls.size(), 3u);
  EXPECT_EQ(t().edit_composer(u2), nullptr);
  t().switch_to_branch(u2);
  EXPECT_EQ(branch(), R"([u"u1", a"r1:u1"·cu, u"u2", a"r2:u1|r1:u1|u2"·cu])");
}

TEST_F(Runtime, S074_EditingTheFirstMessage) {
  make(echo_adapter(calls));
  t().append(U("u1"));
  settle();
  t().append(U("u2"));
  settle();
  auto& edit = t().begin_edit(at(0)->id);
  edit.set_text("u1-edited");
  edit.send();
  settle();
  ASSERT_EQ(t().messages().size(), 2u);
  EXPECT_EQ(at(0)->text(), "u1-edited");
  EXPECT_EQ(t().get_branches(at(0)->id).size(), 2u);
  EXPECT_EQ(t().message_state(0)->branch_number, 2u);
  ASSERT_EQ(calls.at(3).options.messages.size(), 1u);
  EXPECT_EQ(calls.at(3).options.messages[0]->text(), "u1-edited");
}

TEST_F(Runtime, S076_NonTextPartsOfAUserMessageBecomeAttachments) {
  make(plain({T("ok")}));
  AppendMessage m = U("old");
  m.content.push_back(FilePart{"blob", "application/pdf", "doc.pdf", "", nullptr, ""});
  m.start_run = false;
  t().append(m);
  settle();
  const Id id = at(0)->id;
  {
    auto& edit = t().begin_edit(id);
    ASSERT_EQ(edit.attachments().size(), 1u);
    EXPECT_EQ(edit.attachments()[0].type, "document");
    EXPECT_EQ(edit.attachments()[0].name, "doc.pdf");
    EXPECT_EQ(edit.attachments()[0].content_type, "application/pdf");
    EXPECT_EQ(edit.attachments()[0].status.type, AttachmentStatusType::Complete);
    edit.set_text("new text");
    edit.send();
  }
  settle();
  EXPECT_EQ(message_string(*at(0)), R"(u"new text")");
  ASSERT_EQ(at(0)->attachments.size(), 1u);
  EXPECT_EQ(at(0)->attachments[0].name, "doc.pdf");

  auto& again = t().begin_edit(id);
  const Id att = again.attachments()[0].id;
  again.remove_attachment(att);
  again.send();
  settle();
  EXPECT_TRUE(at(0)->attachments.empty());
  EXPECT_EQ(message_string(*at(0)), R"(u"old")");
}

TEST_F(Runtime, S077_EditingAnAssistantMessage) {
  make(plain({T("never")}));
  AppendMessage q = U("q");
  q.start_run = false;
  t().append(q);
  AppendMessage a;
  a.role = Role::Assistant;
  a.content = {TextPart{"old answer"}, ReasoningPart{"cot"}};
  a.status = MessageStatus::complete(StatusReason::Stop);
  t().append(a);
  settle();
  const Id old = last()->id;
  auto& edit = t().begin_edit(old);
  EXPECT_EQ(edit.text(), "old answer");
  EXPECT_EQ(edit.role(), Role::Assistant);
  EXPECT_TRUE(edit.attachments().empty());
  edit.set_text("new answer");
  edit.send();
  settle();
  EXPECT_EQ(calls.size(), 0u);
  EXPECT_EQ(branch(), R"([u"q", a["new answer", <reasoning>]·cu])");
  EXPECT_EQ(t().get_branches(last()->id), (std::vector<Id>{old, last()->id}));
}

TEST_F(Runtime, S079_CancellingAnEdit) {
  make(plain({T("x")}));
  t().append(U("m"));
  settle();
  const auto before = t().messages();
  auto& edit = t().begin_edit(at(0)->id);
  edit.set_text("changed");
  edit.cancel();
  settle();
  EXPECT_EQ(t().edit_composer(at(0)->id), nullptr);
  EXPECT_TRUE(before.same_as(t().messages()));
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(kind_of([&] {
              t().begin_edit(at(0)->id);
              t().begin_edit(at(0)->id);
            }),
            ErrorKind::EditInProgress);
}

TEST_F(Runtime, S080_EditingWhileARunIsInProgress) {
  make([&](const ChatModelRunOptions& o, RunResultSink& sink) {
    calls.record(o);
    if (calls.size() == 1) {
      sink.yield(T("p"));
      wait_for_abort(*d, o.stop_token);
      return;
    }
    sink.yield(T("e"));
  });
  t().append(U("u1"));
  settle();
  const Id old = last()->id;
  auto& edit = t().begin_edit(at(0)->id);
  edit.set_text("u1b");
  edit.send();
  settle();
  EXPECT_EQ(branch(), R"([u"u1b", a"e"·cu])");
  EXPECT_EQ(t().get_message_by_id(old)->message->status,
            MessageStatus::incomplete(StatusReason::Cancelled));
  EXPECT_EQ(calls.size(), 2u);
}

// ---- H. Tools, human tools, approval gates, maxSteps (the run-loop rules) ----

TEST_F(Runtime, S082_LegacyModeAnyUnresolvedToolCallPauses) {
  make(plain({RA({TC("myTool", "tc1")})}));
  t().append(U("t"));
  settle();
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(last()->status, MessageStatus::requires_action());
  EXPECT_FALSE(t().is_running());
}

TEST_F(Runtime, S085_S086_AddToolResultResumesWithAnyResultEvenFalsy) {
  for (const Json& result :
       {Json{{"approved", true}}, Json(false), Json(0), Json(""), Json(nullptr)}) {
    calls.clear();
    make(plain({RA({TC("send_email", "call-send_email")}), T("done")}),
         [](ThreadRuntimeOptions& o) {
           o.human_tool_names = std::vector<std::string>{"send_email"};
         });
    t().append(U("send an email"));
    settle();
    EXPECT_EQ(part_status(*last(), 0).type, StatusType::RequiresAction);
    t().add_tool_result({last()->id, "call-send_email", "send_email", result});
    settle();
    ASSERT_EQ(calls.size(), 2u) << result.dump();
    EXPECT_EQ(calls.at(2).options.messages.size(), 1u);
    const auto& seen = calls.at(2).message_at_call->content[0].as<ToolCallPart>();
    EXPECT_EQ(seen.result, result);
    EXPECT_EQ(last()->content.size(), 2u);
    EXPECT_TRUE(last()->content[0].is<ToolCallPart>());
    EXPECT_TRUE(last()->content[1].is<TextPart>());
    EXPECT_EQ(last()->status, MessageStatus::complete());
  }
}

TEST_F(Runtime, S088_ResultOnANonAssistantOrUnknownMessage) {
  make(plain({RA({TC("send_email", "c1")})}));
  t().append(U("x"));
  settle();
  EXPECT_EQ(kind_of([&] {
              t().add_tool_result({at(0)->id, "c1", "send_email", Json(1)});
            }),
            ErrorKind::NotAssistant);
  EXPECT_EQ(kind_of([&] {
              t().add_tool_result({"nope", "c1", "send_email", Json(1)});
            }),
            ErrorKind::MessageNotFound);
  EXPECT_EQ(kind_of([&] {
              t().add_tool_result({last()->id, "zz", "send_email", Json(1)});
            }),
            ErrorKind::ToolCallNotFound);
}

TEST_F(Runtime, S089_TwoHumanCallsTheFirstResultOnlyRecords) {
  make(
      plain({RA({TC("send_email", "call-1"), TC("send_email", "call-2")}), T("done")}),
      [](ThreadRuntimeOptions& o) { o.human_tool_names = std::vector<std::string>{"send_email"}; });
  t().append(U("x"));
  settle();
  t().add_tool_result({"", "call-1", "send_email", Json(1)});
  settle();
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(last()->status, MessageStatus::requires_action());
  t().add_tool_result({"", "call-2", "send_email", Json(2)});
  settle();
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_EQ(last()->status, MessageStatus::complete());
}

TEST_F(Runtime, S091_AResultAddedToAnOlderPausedMessageErasesLaterMessages) {
  make(plain({RA({TC("send_email", "c1")}), T("r2"), T("r3")}), [](ThreadRuntimeOptions& o) {
    o.human_tool_names = std::vector<std::string>{"send_email"};
  });
  t().append(U("u1"));
  settle();
  const Id a1 = last()->id;
  t().append(U("u2"));
  settle();
  const Id u2 = at(2)->id;
  t().add_tool_result({a1, "c1", "send_email", Json{{"ok", true}}});
  settle();
  EXPECT_EQ(calls.size(), 3u);
  EXPECT_EQ(branch(), R"([u"u1", a[tc(send_email={"ok":true}), "r3"]·cu])");
  EXPECT_FALSE(t().get_message_by_id(u2).has_value());
}

TEST_F(Runtime, S092_RequiresActionWithoutToolCallsContinues) {
  ChatModelRunResult empty;
  empty.content = Content{};
  empty.status = MessageStatus::requires_action();
  make(plain({empty, T("end")}));
  t().append(U("hi"));
  settle();
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_EQ(branch(), R"([u"hi", a"end"·cu])");
}

ToolCallPart gated(const std::string& name, const std::string& id, const std::string& gate) {
  auto c = TC(name, id);
  c.approval = GATE(gate);
  return c;
}

TEST_F(Runtime, S094_S097_S098_ApprovalGates) {
  make(
      plain({RA({gated("deploy", "c-d", "a1"), gated("send_invoice", "c-i", "a2")}), T("done")}),
      [](ThreadRuntimeOptions& o) { o.human_tool_names = std::vector<std::string>{"send_email"}; });
  t().append(U("go"));
  settle();
  t().respond_to_tool_approval({"a1", true});
  settle();
  EXPECT_EQ(calls.size(), 1u);  // the second gate still waits
  EXPECT_EQ(kind_of([&] {
              t().respond_to_tool_approval({"a1", true});
            }),
            ErrorKind::ApprovalAlreadyDecided);
  t().respond_to_tool_approval({"a2", false});
  settle();
  EXPECT_EQ(calls.size(), 2u);
  const auto& seen = calls.at(2).message_at_call->content;
  EXPECT_EQ(seen[0].as<ToolCallPart>().approval->approved, true);
  EXPECT_FALSE(seen[0].as<ToolCallPart>().result.has_value());
  const auto& denied = seen[1].as<ToolCallPart>();
  EXPECT_EQ(denied.result, Json::parse(R"({"error": "Tool approval denied"})"));
  EXPECT_EQ(denied.is_error, true);
  EXPECT_FALSE(denied.approval->reason.has_value());
  EXPECT_EQ(last()->status, MessageStatus::complete());
  EXPECT_EQ(kind_of([&] {
              t().respond_to_tool_approval({"nope", true});
            }),
            ErrorKind::ApprovalNotFound);
}

TEST_F(Runtime, S101_ATerminatedGateDoesNotPause) {
  auto call = TC("deploy", "c");
  Approval expired = GATE("a1");
  expired.resolution = ApprovalResolution::Expired;
  call.approval = expired;
  make(plain({RA({call}), T("done")}));
  t().append(U("deploy"));
  settle();
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_EQ(last()->status, MessageStatus::complete());
}

TEST_F(Runtime, S106_MaxStepsStopsAResume) {
  ChatModelRunResult r = RA({TC("myTool", "tc1")});
  r.metadata = RunResultMetadata{};
  r.metadata->steps = std::vector<ThreadStep>{ThreadStep{"", ThreadStep::Usage{1, 1}}};
  make(plain({r}), [](ThreadRuntimeOptions& o) { o.max_steps = 1; });
  t().append(U("go"));
  settle();
  t().add_tool_result({"", "tc1", "myTool", Json("result")});
  settle();
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(message_string(*last()), R"(a[tc(myTool="result")]·it)");
}

TEST_F(Runtime, S107_MaxStepsDefault2WithReportedSteps) {
  make(
      [&](const ChatModelRunOptions& o) {
        calls.record(o);
        ChatModelRunResult r = RA({TC("auto", "c" + std::to_string(calls.size()))});
        r.metadata = RunResultMetadata{};
        r.metadata->steps = std::vector<ThreadStep>{ThreadStep{}};
        return r;
      },
      [](ThreadRuntimeOptions& o) { o.human_tool_names = std::vector<std::string>{"h"}; });
  t().append(U("hi"));
  settle();
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_EQ(message_string(*last()), "a[tc(auto), tc(auto)]·it");
  EXPECT_EQ(last()->metadata.assistant_or_default().steps.size(), 2u);
}

TEST_F(Runtime, S109_InterruptsAreNeverResumed) {
  auto call = TC("ask", "c1");
  call.interrupt = Json::parse(R"({"type": "human", "payload": {"q": 1}})");
  ChatModelRunResult r;
  r.content = Content{call};
  r.status = MessageStatus::requires_action(StatusReason::Interrupt);
  make(plain({r}),
       [](ThreadRuntimeOptions& o) { o.human_tool_names = std::vector<std::string>{"ask"}; });
  t().append(U("hi"));
  settle();
  t().add_tool_result({"", "c1", "ask", Json("yes")});
  settle();
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(message_string(*last()), R"(a[tc(ask="yes")]·ri)");
}

TEST_F(Runtime, S110_LateStreamOutputIsDroppedOnceAToolResultReplacedTheMessage) {
  Gate g;
  make(
      [&](const ChatModelRunOptions& o, RunResultSink& sink) {
        calls.record(o);
        sink.yield(RA(
            {TC("send_email", "call-send_email"), gated("deploy", "call-deploy", "approval-1")}));
        g.wait(*d);
        sink.yield(T("stale"));
      },
      [](ThreadRuntimeOptions& o) { o.human_tool_names = std::vector<std::string>{"send_email"}; });
  auto c = t().append(U("go"));
  settle();
  t().add_tool_result({"", "call-send_email", "send_email", Json("sent")});
  g.release();
  settle();
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(last()->status, MessageStatus::requires_action());
  EXPECT_EQ(last()->content[0].as<ToolCallPart>().result, Json("sent"));
  EXPECT_TRUE(last()->content[1].as<ToolCallPart>().approval->pending());
  EXPECT_EQ(last()->text(), "");
  EXPECT_TRUE(c.ready());
}

TEST_F(Runtime, S112_OptionFormApprovalResponses) {
  auto call = TC("deploy", "c");
  Approval gate = GATE("a1");
  gate.options =
      std::vector<ApprovalOption>{{"o1", "allow-always", "", "", std::nullopt, std::nullopt},
                                  {"o2", "_custom", "", "", std::nullopt, std::nullopt}};
  call.approval = gate;
  make(plain({RA({call}), T("done")}));
  t().append(U("go"));
  settle();
  EXPECT_EQ(kind_of([&] {
              t().respond_to_tool_approval({"a1", std::nullopt, "o2"});
            }),
            ErrorKind::InvalidArgument);
  EXPECT_EQ(kind_of([&] {
              t().respond_to_tool_approval({"a1", std::nullopt, "zz"});
            }),
            ErrorKind::InvalidArgument);
  t().respond_to_tool_approval({"a1", std::nullopt, "o1"});
  settle();
  EXPECT_EQ(calls.size(), 2u);
  const auto& decided = calls.at(2).message_at_call->content[0].as<ToolCallPart>().approval;
  EXPECT_EQ(decided->approved, true);
  EXPECT_EQ(decided->option_id, "o1");
  EXPECT_EQ(kind_of([&] { t().respond_to_tool_approval({"a1", true}); }), ErrorKind::NotPaused);
}

TEST_F(Runtime, S113_StreamingContinuationAppendsAfterTheToolCall) {
  make(
      [&](const ChatModelRunOptions& o, RunResultSink& sink) {
        calls.record(o);
        if (calls.size() == 1) {
          sink.yield(T("Hel"));
          sink.yield(T("Hello"));
          ChatModelRunResult r = RA({TextPart{"Hello"}, TC("auto", "t1")});
          r.metadata = RunResultMetadata{};
          r.metadata->steps = std::vector<ThreadStep>{ThreadStep{"s1", std::nullopt}};
          sink.yield(r);
          return;
        }
        ChatModelRunResult r = T("Done");
        r.metadata = RunResultMetadata{};
        r.metadata->steps = std::vector<ThreadStep>{ThreadStep{"s2", std::nullopt}};
        sink.yield(r);
      },
      [](ThreadRuntimeOptions& o) { o.human_tool_names = std::vector<std::string>{"ask"}; });
  t().append(U("hi"));
  settle();
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_EQ(branch(), R"([u"hi", a["Hello", tc(auto), "Done"]·cu])");
  const auto& steps = last()->metadata.assistant_or_default().steps;
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].message_id, "s1");
  EXPECT_EQ(steps[1].message_id, "s2");
}

// ---- K. Composer ----

TEST_F(Runtime, S140_SendingText) {
  make(plain({T("ok")}));
  int sent = 0;
  auto sub = t().composer().on_send([&] { ++sent; });
  t().composer().set_text("hi");
  t().composer().set_quote(Quote{"q", "m"});
  t().composer().send();
  EXPECT_EQ(t().composer().text(), "");
  EXPECT_FALSE(t().composer().quote().has_value());
  settle();
  EXPECT_EQ(branch(), R"([u"hi", a"ok"·cu])");
  EXPECT_EQ(at(0)->metadata.custom, Json::parse(R"({"quote": {"text": "q", "messageId": "m"}})"));
  EXPECT_EQ(sent, 1);
}

TEST_F(Runtime, S142_UnchangedSettersDoNotNotify) {
  make(plain({T("ok")}));
  int n = 0;
  auto sub = t().composer().subscribe([&] { ++n; });
  t().composer().set_text("x");
  t().composer().set_text("x");
  t().composer().set_role(Role::User);
  t().composer().set_run_config(RunConfig{});
  t().composer().set_quote(std::nullopt);
  EXPECT_EQ(n, 1);
}

class UploadingAdapter final : public AttachmentAdapter {
 public:
  explicit UploadingAdapter(std::string accept, Gate* gate = nullptr, Driver* d = nullptr,
                            bool fail = false)
      : accept_(std::move(accept)), gate_(gate), d_(d), fail_(fail) {}
  std::string accept() const override { return accept_; }
  Attachment add(const HostFile& file, const std::function<void(const Attachment&)>&) override {
    Attachment a;
    a.id = "att-" + file.name;
    a.name = file.name;
    a.content_type = file.content_type;
    a.status = AttachmentStatus{AttachmentStatusType::RequiresAction, "composer-send", 0, ""};
    return a;
  }
  Attachment send(const Attachment& pending) override {
    if (gate_) gate_->wait(*d_);
    if (fail_) throw std::runtime_error("upload failed");
    Attachment done = pending;
    done.status = AttachmentStatus{};
    return done;
  }
  void remove(const Attachment&) override {}

 private:
  std::string accept_;
  Gate* gate_;
  Driver* d_;
  bool fail_;
};

TEST_F(Runtime, S143_APendingAttachmentIsUploadedOnSend) {
  make(plain({T("ok")}), [](ThreadRuntimeOptions& o) {
    o.adapters.attachments = std::make_shared<UploadingAdapter>("*");
  });
  auto& c = t().composer();
  c.set_text("hello");
  auto added = c.add_attachment(HostFile{"", "f.txt", "text/plain", "x"});
  settle();
  ASSERT_TRUE(added.succeeded_ok());
  ASSERT_EQ(c.attachments().size(), 1u);
  EXPECT_EQ(c.attachments()[0].status.type, AttachmentStatusType::RequiresAction);
  c.send();
  settle();
  EXPECT_TRUE(c.is_empty());
  EXPECT_TRUE(c.attachments().empty());
  EXPECT_EQ(message_string(*at(0)), R"(u"hello")");
  ASSERT_EQ(at(0)->attachments.size(), 1u);
  EXPECT_EQ(at(0)->attachments[0].status.type, AttachmentStatusType::Complete);
}

TEST_F(Runtime, S145_S146_AFailedUploadRestoresTheDraftAndASecondSendIsIgnored) {
  Gate upload;
  make(plain({T("ok")}), [&](ThreadRuntimeOptions& o) {
    o.adapters.attachments = std::make_shared<UploadingAdapter>("*", &upload, d.get(), true);
  });
  auto& c = t().composer();
  c.set_text("hello");
  c.add_attachment(HostFile{"", "f.txt", "text/plain", "x"});
  settle();
  auto sent = c.send();
  settle();
  EXPECT_FALSE(c.can_send());
  EXPECT_TRUE(c.send().succeeded_ok());  // ignored while uploading
  upload.release();
  settle();
  EXPECT_TRUE(sent.failed());
  EXPECT_EQ(c.text(), "hello");  // restored
  EXPECT_EQ(c.attachments().size(), 1u);
  EXPECT_TRUE(t().messages().empty());
}

// Spec §8.3 step 5: the draft comes back after a failed upload only if no reset happened since.
TEST_F(Runtime, AFailedUploadAfterAResetDoesNotRestoreTheDraft) {
  Gate upload;
  make(plain({T("ok")}), [&](ThreadRuntimeOptions& o) {
    o.adapters.attachments = std::make_shared<UploadingAdapter>("*", &upload, d.get(), true);
  });
  auto& c = t().composer();
  c.set_text("hello");
  c.add_attachment(HostFile{"", "f.txt", "text/plain", "x"});
  settle();
  auto sent = c.send();
  settle();
  c.reset();
  upload.release();
  settle();
  EXPECT_EQ(c.text(), "");
  EXPECT_TRUE(c.is_empty());
  EXPECT_TRUE(t().messages().empty());
}

TEST_F(Runtime, S148_AttachmentAddErrors) {
  make(plain({T("ok")}));
  std::vector<std::string> reasons;
  auto sub = t().composer().on_attachment_add_error(
      [&](const AttachmentAddError& e) { reasons.push_back(e.reason); });
  int added = 0;
  auto sub2 = t().composer().on_attachment_add([&](const Attachment&) { ++added; });
  auto no_adapter = t().composer().add_attachment(HostFile{"", "notes.txt", "text/plain", "x"});
  EXPECT_EQ(failure_kind(no_adapter), ErrorKind::AttachmentsUnsupported);
  auto ready = t().composer().add_attachment(
      CreateAttachment{std::nullopt, std::nullopt, "n", "", {TextPart{"x"}}});
  EXPECT_TRUE(ready.succeeded_ok());
  ASSERT_EQ(t().composer().attachments().size(), 1u);
  EXPECT_EQ(t().composer().attachments()[0].type, "document");
  EXPECT_EQ(t().composer().attachments()[0].id.size(), 7u);
  EXPECT_EQ(added, 1);
  EXPECT_FALSE(t().composer().is_empty());
  t().set_adapters(ThreadAdapters{std::make_shared<UploadingAdapter>("image/*"), {}, {}, {}, {}});
  auto rejected = t().composer().add_attachment(HostFile{"", "notes.txt", "text/plain", "x"});
  EXPECT_EQ(failure_kind(rejected), ErrorKind::NotAccepted);
  EXPECT_EQ(reasons, (std::vector<std::string>{"no-adapter", "not-accepted"}));
  EXPECT_TRUE(attachment_accepted("image/*", "a.png", "image/png"));
  EXPECT_TRUE(attachment_accepted(".TXT, .md", "notes.txt", ""));
  EXPECT_TRUE(attachment_accepted("text/plain", "x", "text/plain; charset=utf-8"));
  EXPECT_FALSE(attachment_accepted("image/*", "a.txt", "text/plain"));
}

TEST_F(Runtime, S149_RemovingAnUnknownAttachment) {
  make(plain({T("ok")}));
  EXPECT_EQ(failure_kind(t().composer().remove_attachment("nope")), ErrorKind::AttachmentNotFound);
}

TEST_F(Runtime, S151_ComposerCancelCancelsTheRun) {
  make([&](const ChatModelRunOptions& o, RunResultSink&) {
    calls.record(o);
    wait_for_abort(*d, o.stop_token);
  });
  t().append(U("x"));
  settle();
  t().composer().cancel();
  settle();
  EXPECT_EQ(last()->status, MessageStatus::incomplete(StatusReason::Cancelled));
}

TEST_F(Runtime, S152_ResetRestoresTheInitialComposerState) {
  make(plain({T("ok")}));
  auto& c = t().composer();
  c.set_text("t");
  c.set_quote(Quote{"q", "m"});
  c.set_role(Role::Assistant);
  c.set_run_config(RunConfig{Json{{"a", 1}}});
  int n = 0;
  auto sub = c.subscribe([&] { ++n; });
  c.reset();
  EXPECT_EQ(c.text(), "");
  EXPECT_FALSE(c.quote().has_value());
  EXPECT_EQ(c.role(), Role::User);
  EXPECT_EQ(c.run_config(), RunConfig{});
  EXPECT_TRUE(c.attachments().empty());
  EXPECT_EQ(n, 1);
  c.reset();
  EXPECT_EQ(n, 1);
}

// ---- N. Capabilities ----

class Speech final : public SpeechSynthesisAdapter {
 public:
  std::shared_ptr<Utterance> speak(const std::string&) override { return nullptr; }
};
class Dictation final : public DictationAdapter {
 public:
  std::shared_ptr<DictationSession> listen() override { return nullptr; }
};
class Feedback final : public FeedbackAdapter {
 public:
  void submit(const FeedbackSubmission& f) override { types.push_back(f.type); }
  std::vector<FeedbackType> types;
};

TEST_F(Runtime, S172_DefaultsAndAdapterDrivenFlags) {
  make(plain({T("ok")}));
  Capabilities expected;
  EXPECT_EQ(t().capabilities(), expected);
  EXPECT_TRUE(expected.switch_to_branch && expected.switch_branch_during_run && expected.edit &&
              expected.reload && expected.cancel && expected.unstable_copy);
  EXPECT_FALSE(expected.refetch_thread || expected.remove || expected.speech ||
               expected.dictation || expected.voice || expected.attachments || expected.feedback ||
               expected.queue);
  int n = 0;
  auto sub = t().subscribe([&] { ++n; });
  t().set_adapters(ThreadAdapters{std::make_shared<UploadingAdapter>("*"),
                                  std::make_shared<Speech>(), std::make_shared<Dictation>(),
                                  std::make_shared<Feedback>(), nullptr});
  EXPECT_TRUE(t().capabilities().speech && t().capabilities().dictation &&
              t().capabilities().attachments && t().capabilities().feedback);
  EXPECT_EQ(n, 1);
  t().set_adapters({});
  EXPECT_EQ(t().capabilities(), expected);
  EXPECT_EQ(n, 2);
}

TEST_F(Runtime, FeedbackMarksAssistantMessagesOnly) {
  auto feedback = std::make_shared<Feedback>();
  make(plain({T("ok")}));
  t().append(U("q"));
  settle();
  EXPECT_EQ(kind_of([&] { t().submit_feedback(last()->id, FeedbackType::Positive); }),
            ErrorKind::AdapterMissing);
  t().set_adapters(ThreadAdapters{nullptr, nullptr, nullptr, feedback, nullptr});
  t().submit_feedback(last()->id, FeedbackType::Positive);
  t().submit_feedback(at(0)->id, FeedbackType::Negative);
  EXPECT_EQ(feedback->types.size(), 2u);
  EXPECT_EQ(last()->metadata.submitted_feedback, FeedbackType::Positive);
  EXPECT_FALSE(at(0)->metadata.submitted_feedback.has_value());
}

TEST_F(Runtime, FeedbackDuringAStreamDoesNotStrandTheRun) {
  // The upstream quirk the spec says not to replicate: a metadata-only write must not take the
  // message from the run that is still writing it.
  Gate g;
  auto feedback = std::make_shared<Feedback>();
  make(
      [&](const ChatModelRunOptions& o, RunResultSink& sink) {
        calls.record(o);
        sink.yield(T("part"));
        g.wait(*d);
        sink.yield(T("part and the rest"));
      },
      [&](ThreadRuntimeOptions& o) { o.adapters.feedback = feedback; });
  t().append(U("q"));
  settle();
  t().submit_feedback(last()->id, FeedbackType::Positive);
  g.release();
  settle();
  EXPECT_EQ(message_string(*last()), R"(a"part and the rest"·cu)");
  EXPECT_EQ(last()->metadata.submitted_feedback, FeedbackType::Positive);
}

// ---- P. Run control odds and ends ----

TEST_F(Runtime, S083_AListedHumanToolPauses) {
  make(plain({RA({TC("send_email", "call-send_email")}), T("done")}), [](ThreadRuntimeOptions& o) {
    o.human_tool_names = std::vector<std::string>{"send_email"};
  });
  t().append(U("send an email"));
  settle();
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(last()->status, MessageStatus::requires_action());
  EXPECT_EQ(part_status(*last(), 0),
            (PartStatus{StatusType::RequiresAction, StatusReason::ToolCalls}));
  EXPECT_FALSE(t().is_running());
  EXPECT_FALSE(t().is_run_in_progress());
}

TEST_F(Runtime, S095_ApprovingWithAnOptionId) {
  make(
      plain({RA({gated("send_email", "call-send_email", "a1")}), T("done")}),
      [](ThreadRuntimeOptions& o) { o.human_tool_names = std::vector<std::string>{"send_email"}; });
  t().append(U("x"));
  settle();
  ToolApprovalResponse r{"a1", true};
  r.option_id = "always";
  t().respond_to_tool_approval(r);
  settle();
  ASSERT_EQ(calls.size(), 2u);
  const auto& gate = *calls.at(2).message_at_call->content[0].as<ToolCallPart>().approval;
  EXPECT_EQ(gate.id, "a1");
  EXPECT_EQ(gate.approved, true);
  EXPECT_EQ(gate.option_id, "always");
  EXPECT_FALSE(calls.at(2).message_at_call->content[0].as<ToolCallPart>().result.has_value());
}

TEST_F(Runtime, S100_UnknownApprovalAndResumeToolCall) {
  make(plain({RA({TC("send_email", "call-send_email")}), T("done")}), [](ThreadRuntimeOptions& o) {
    o.human_tool_names = std::vector<std::string>{"send_email"};
  });
  t().append(U("x"));
  settle();
  EXPECT_EQ(kind_of([&] {
              t().respond_to_tool_approval({"nope", true});
            }),
            ErrorKind::ApprovalNotFound);
  EXPECT_EQ(kind_of([&] { t().resume_tool_call(); }), ErrorKind::Unsupported);
  EXPECT_EQ(last()->status, MessageStatus::requires_action());  // nothing changed
}

TEST_F(Runtime, S103_AResultOnAGatedCallResumes) {
  make(plain({RA({gated("deploy", "call-deploy", "a1")}), T("done")}));
  t().append(U("deploy"));
  settle();
  EXPECT_EQ(calls.size(), 1u);
  t().add_tool_result({"", "call-deploy", "deploy", Json("done manually")});
  settle();
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_EQ(last()->status, MessageStatus::complete());
  EXPECT_EQ(last()->content[0].as<ToolCallPart>().result, Json("done manually"));
}

TEST_F(Runtime, S104_AMultiStepTurnAfterAnApproval) {
  make(
      plain({RA({gated("deploy", "c1", "a1")}), RA({TC("lookup_weather", "c2")}), T("done")}),
      [](ThreadRuntimeOptions& o) { o.human_tool_names = std::vector<std::string>{"send_email"}; });
  t().append(U("deploy"));
  settle();
  t().respond_to_tool_approval({"a1", true});
  settle();
  EXPECT_EQ(calls.size(), 3u);
  EXPECT_EQ(last()->status, MessageStatus::complete());
}

TEST_F(Runtime, S197_AToolThatThrowsInsideTheAdapter) {
  make([&](const ChatModelRunOptions& o) -> ChatModelRunResult {
    calls.record(o);
    throw std::runtime_error("tool boom");
  });
  auto c = t().append(U("go"));
  settle();
  EXPECT_EQ(failure_message(c), "tool boom");
  EXPECT_EQ(last()->status.error->at("message"), "tool boom");
  EXPECT_EQ(calls.size(), 1u);

  calls.clear();
  auto caught = TC("calc", "c1");
  caught.result = Json("Error: tool boom");
  caught.is_error = true;
  make(plain({RA({caught}), T("sorry")}));
  t().append(U("go"));
  settle();
  EXPECT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls.at(2).message_at_call->content[0].as<ToolCallPart>().is_error, true);
  EXPECT_EQ(branch(), R"([u"go", a[tc(calc="Error: tool boom"), "sorry"]·cu])");
}

TEST_F(Runtime, S199_ResumeRunRequiresAStream) {
  make(plain({T("x")}));
  int events = 0;
  auto sub = t().on(ThreadEvent::RunStart, [&] { ++events; });
  EXPECT_EQ(kind_of([&] {
              t().resume_run({std::nullopt, std::nullopt, {}}, ChatModelAdapter{});
            }),
            ErrorKind::StreamRequired);
  EXPECT_TRUE(t().messages().empty());
  EXPECT_EQ(events, 0);
}

TEST_F(Runtime, S200_ResumeRunUnderAParentThatAlreadyHasAnAnswer) {
  make(plain({T("first")}));
  t().append(U("q"));
  settle();
  const Id a1 = last()->id;
  int stream_calls = 0;
  std::size_t stream_messages = 0;
  t().resume_run({at(0)->id, std::nullopt, {}},
                 [&](const ChatModelRunOptions& o, RunResultSink& sink) {
                   ++stream_calls;
                   stream_messages = o.messages.size();
                   sink.yield(T("again"));
                 });
  settle();
  EXPECT_EQ(branch(), R"([u"q", a"again"·cu])");
  EXPECT_EQ(t().message_state(1)->branch_number, 2u);
  EXPECT_EQ(t().get_branches(a1).front(), a1);
  EXPECT_EQ(stream_calls, 1);
  EXPECT_EQ(stream_messages, 1u);
  EXPECT_EQ(calls.size(), 1u);
}

TEST_F(Runtime, S202_ThreadExportImportKeepsBranches) {
  make(echo_adapter(calls));
  t().append(U("u1"));
  settle();
  const Id u1 = at(0)->id;
  const Id a1 = last()->id;
  t().reload(a1);
  settle();
  auto& edit = t().begin_edit(u1);
  edit.set_text("u1'");
  edit.send();
  settle();
  const auto x = t().export_repository();

  CallLog other;
  ThreadRuntimeOptions o;
  o.chat_model = echo_adapter(other);
  o.dispatcher = d->dispatcher();
  o.executor = d->executor();
  ThreadRuntime fresh(std::move(o));
  int initialized = 0;
  auto sub = fresh.on(ThreadEvent::Initialize, [&] { ++initialized; });
  fresh.import_repository(x);
  EXPECT_EQ(branch_string(fresh), branch());
  EXPECT_EQ(fresh.message_state(0)->branch_number, 2u);
  EXPECT_EQ(initialized, 1);
  for (const auto& m : t().messages()) EXPECT_EQ(*fresh.get_message_by_id(m->id)->message, *m);
  fresh.switch_to_branch(u1);
  EXPECT_EQ(fresh.messages().back()->id, a1);  // off the head path, the first child is selected
  fresh.import_repository(x);
  EXPECT_EQ(fresh.repository().size(), x.messages.size());
}

TEST_F(Runtime, S203_ResetWithInitialMessages) {
  make(plain({T("x")}));
  t().append(U("old"));
  settle();
  t().reset({ThreadMessageLike::text(Role::User, "hi"),
             ThreadMessageLike::text(Role::Assistant, "hello")});
  EXPECT_EQ(branch(), R"([u"hi", a"hello"·cu])");
  EXPECT_EQ(t().get_branches(at(0)->id).size(), 1u);
  EXPECT_EQ(calls.size(), 1u);
  t().reset();
  EXPECT_TRUE(t().messages().empty());
}

// ---- rules of the spec that no scenario names ----

TEST_F(Runtime, ImportWhileRunningDropsTheLateResult) {
  Gate g;
  make([&](const ChatModelRunOptions& o) {
    calls.record(o);
    g.wait(*d);
    return T("late");
  });
  auto c = t().append(U("q"));
  settle();
  t().reset({ThreadMessageLike::text(Role::User, "other")});
  g.release();
  settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_EQ(branch(), R"([u"other"])");
}

TEST_F(Runtime, ASupersededPlainRunWhoseMessageWasReplacedDropsItsResult) {
  Gate g;
  make(
      [&](const ChatModelRunOptions& o) {
        calls.record(o);
        if (calls.size() == 1) {
          g.wait(*d);
          return T("late");
        }
        return T("new");
      },
      [](ThreadRuntimeOptions& o) { o.human_tool_names = std::vector<std::string>{}; });
  t().append(U("q"));
  settle();
  const Id a = last()->id;
  t().reload(a);  // supersedes
  settle();
  t().switch_to_branch(a);
  // Another writer replaces the old message meanwhile.
  t().set_adapters(
      ThreadAdapters{nullptr, nullptr, nullptr, std::make_shared<Feedback>(), nullptr});
  g.release();
  settle();
  const auto old = t().get_message_by_id(a)->message;
  EXPECT_EQ(old->text(), "late");  // owned: the late plain result lands on its own message
  EXPECT_EQ(old->status, MessageStatus::incomplete(StatusReason::Cancelled));
}

TEST_F(Runtime, ListenersAndSubscribersAreIsolated) {
  make(plain({T("ok")}));
  auto s1 = t().on(ThreadEvent::RunEnd, [] { throw std::runtime_error("listener boom"); });
  auto s2 = t().subscribe([] { throw std::runtime_error("subscriber boom"); });
  int after = 0;
  auto s3 = t().subscribe([&] { ++after; });
  auto c = t().append(U("q"));
  settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_GT(after, 0);
  EXPECT_FALSE(errors.empty());
}

TEST_F(Runtime, TheCoroutineFormStreams) {
  make([&](const ChatModelRunOptions& o) -> Generator<ChatModelRunResult> {
    calls.record(o);
    Text text;
    for (const char* w : {"one ", "two ", "three"}) {
      text += w;
      co_yield ChatModelRunResult::text(text);
    }
  });
  t().append(U("count"));
  settle();
  EXPECT_EQ(branch(), R"([u"count", a"one two three"·cu])");
}

TEST_F(Runtime, YieldingAGrowingTextDoesNotCopyIt) {
  const char* storage = nullptr;
  make([&](const ChatModelRunOptions& o, RunResultSink& sink) {
    calls.record(o);
    Text text;
    for (int i = 0; i < 20000; ++i) {
      text += "0123456789";
      sink.yield(ChatModelRunResult::text(text));
    }
    storage = text.data();
  });
  t().append(U("go"));
  settle();
  const auto& stored = last()->content[0].as<TextPart>().text;
  EXPECT_EQ(stored.size(), 200000u);
  EXPECT_EQ(stored.data(), storage);  // the message holds the adapter's own storage: no copy
}

TEST_F(Runtime, AppendDuringARunAttachesUnderTheRunningMessage) {
  make([&](const ChatModelRunOptions& o, RunResultSink& sink) {
    calls.record(o);
    if (calls.size() == 1) {
      sink.yield(T("partial"));
      wait_for_abort(*d, o.stop_token);
      return;
    }
    sink.yield(T("second answer"));
  });
  t().append(U("u1"));
  settle();
  t().append(U("u2"));
  settle();
  EXPECT_EQ(branch(), R"([u"u1", a"partial"·ic, u"u2", a"second answer"·cu])");
}

TEST_F(Runtime, MessageStateAndIndexing) {
  make(plain({T("ok")}));
  t().append(U("q"));
  settle();
  EXPECT_EQ(kind_of([&] { t().message_state(-1); }), ErrorKind::InvalidArgument);
  EXPECT_FALSE(t().message_state(5).has_value());
  const auto s = t().message_state(1);
  EXPECT_TRUE(s->is_last);
  EXPECT_EQ(s->parent_id, at(0)->id);
  EXPECT_EQ(s->index, 1u);
  EXPECT_FALSE(t().get_message_by_id("nope").has_value());
  EXPECT_EQ(kind_of([&] { t().resume_tool_call(); }), ErrorKind::Unsupported);
  EXPECT_EQ(failure_kind(t().delete_message(at(0)->id)), ErrorKind::DeleteUnsupported);
}

}  // namespace
