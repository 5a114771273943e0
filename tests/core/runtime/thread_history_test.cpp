// The history contract (spec §12, §5.9, §5.17) against the scenarios of section I, driven
// deterministically: history calls run on the driver's workers like the model adapter's.

#include <gtest/gtest.h>

#include <mutex>

#include "aui/adapters/thread_history_adapter.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/errors.hpp"
#include "aui/testing.hpp"
#include "support/runtime_driver.hpp"

namespace {

using namespace aui;
using namespace aui::testing;

/// A history adapter that records every call. `hook` runs inside each call (before it is
/// recorded as ended) and may throw or park on a gate.
class RecordingHistory : public ThreadHistoryAdapter {
 public:
  struct Call {
    std::string kind;  // load, append, update, delete
    ExportedMessageRepositoryItem item;
  };
  bool with_update = false;
  bool with_delete = false;
  bool with_resume = false;
  std::function<ThreadHistoryLoadResult()> on_load = [] { return ThreadHistoryLoadResult{}; };
  std::function<void(const std::string&, const ExportedMessageRepositoryItem&)> hook;
  ChatModelAdapter resume_stream;

  ThreadHistoryLoadResult load() override {
    record("load", {});
    return on_load();
  }
  void append(const ExportedMessageRepositoryItem& item) override { call("append", item); }
  bool has_update() const override { return with_update; }
  void update(const ExportedMessageRepositoryItem& item) override { call("update", item); }
  bool has_delete() const override { return with_delete; }
  void remove(const std::vector<ExportedMessageRepositoryItem>& items) override {
    call("delete", items.at(0));
  }
  bool has_resume() const override { return with_resume; }
  ChatModelAdapter resume() override { return resume_stream; }

  std::vector<Call> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::vector<Call> calls(const std::string& kind, std::optional<Role> role = std::nullopt) const {
    std::vector<Call> out;
    for (auto& c : calls()) {
      if (c.kind == kind && (!role || (c.item.message && c.item.message->role == *role)))
        out.push_back(c);
    }
    return out;
  }
  std::vector<std::string> log() const {
    std::lock_guard lock(mutex_);
    return log_;
  }

 private:
  void call(const std::string& kind, const ExportedMessageRepositoryItem& item) {
    record(kind, item);
    if (hook) hook(kind, item);
  }
  void record(const std::string& kind, const ExportedMessageRepositoryItem& item) {
    std::lock_guard lock(mutex_);
    calls_.push_back({kind, item});
  }
  mutable std::mutex mutex_;
  std::vector<Call> calls_;
  std::vector<std::string> log_;

 public:
  void note(const std::string& entry) {
    std::lock_guard lock(mutex_);
    log_.push_back(entry);
  }
};

MessagePtr user_message(const std::string& id, const std::string& text) {
  auto m = std::make_shared<ThreadMessage>();
  m->id = id;
  m->role = Role::User;
  m->content.emplace_back(TextPart{Text(text)});
  m->status = MessageStatus::complete();
  return m;
}

class History : public ::testing::Test {
 protected:
  void make(ChatModelAdapter adapter,
            const std::function<void(ThreadRuntimeOptions&)>& tweak = {}) {
    ThreadRuntimeOptions o;
    o.chat_model = std::move(adapter);
    o.dispatcher = d->dispatcher();
    o.executor = d->executor();
    o.on_error = [this](const std::string& m) { errors.push_back(m); };
    o.adapters.history = history;
    if (tweak) tweak(o);
    thread = std::make_unique<ThreadRuntime>(std::move(o));
  }
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
  void TearDown() override { thread.reset(); }

  std::shared_ptr<Driver> d = std::make_shared<Driver>();
  std::shared_ptr<RecordingHistory> history = std::make_shared<RecordingHistory>();
  CallLog calls;
  std::vector<std::string> errors;
  std::unique_ptr<ThreadRuntime> thread;
};

ThreadHistoryLoadResult one_user_message() {
  ThreadHistoryLoadResult r;
  r.head_id = "u1";
  r.messages.push_back({user_message("u1", "hello"), std::nullopt, std::nullopt});
  return r;
}

ChatModelRunResult gated(const std::vector<std::pair<std::string, std::string>>& calls_and_gates) {
  Content parts;
  for (const auto& [call_id, gate] : calls_and_gates) {
    ToolCallPart call = TC("send_email", call_id);
    call.approval = GATE(gate);
    parts.emplace_back(call);
  }
  return RA(std::move(parts));
}

AppendMessage no_run(const std::string& text) {
  AppendMessage m = U(text);
  m.start_run = false;
  return m;
}

ChatModelRunResult done(const std::string& text) {
  ChatModelRunResult r = T(text);
  r.status = MessageStatus::complete(StatusReason::Stop);
  return r;
}

// ---- S-115 ----
TEST_F(History, S115_LoadingHistory) {
  Gate g;
  history->on_load = [&] {
    g.wait(*d);
    return one_user_message();
  };
  make(plain({T("x")}));
  int initialized = 0;
  auto sub = t().on(ThreadEvent::Initialize, [&] { ++initialized; });
  std::vector<bool> loading_seen;
  auto watch = t().subscribe([&] { loading_seen.push_back(t().is_loading()); });
  EXPECT_TRUE(t().is_empty());
  auto loaded = t().load_history();
  settle();
  EXPECT_TRUE(t().is_loading());
  EXPECT_FALSE(t().is_empty());  // spec §4: not empty while loading
  EXPECT_FALSE(loaded.ready());
  g.release();
  settle();
  EXPECT_TRUE(loaded.succeeded_ok());
  EXPECT_FALSE(t().is_loading());
  EXPECT_FALSE(t().is_empty());
  EXPECT_EQ(branch(), R"([u"hello"])");
  EXPECT_EQ(initialized, 1);
  ASSERT_GE(loading_seen.size(), 2u);
  EXPECT_TRUE(loading_seen.front());
  EXPECT_FALSE(loading_seen.back());
  // Asking again returns the same completion; the adapter is not asked twice.
  auto again = t().load_history();
  settle();
  EXPECT_TRUE(again.succeeded_ok());
  EXPECT_EQ(history->calls("load").size(), 1u);
}

// ---- S-116 ----
TEST_F(History, S116_ResumingALiveRunOnLoad) {
  history->on_load = [] {
    auto r = one_user_message();
    r.unstable_resume = true;
    return r;
  };
  history->with_resume = true;
  int resumed = 0;
  std::size_t resumed_with = 0;
  history->resume_stream = [&](const ChatModelRunOptions& o) {
    ++resumed;
    resumed_with = o.messages.size();
    return T("resumed");
  };
  make(plain({T("model")}));
  t().load_history();
  settle();
  EXPECT_EQ(resumed, 1);
  EXPECT_EQ(resumed_with, 1u);
  EXPECT_EQ(calls.size(), 0u);
  EXPECT_EQ(branch(), R"([u"hello", a"resumed"·cu])");
}

// ---- S-118 ----
TEST_F(History, S118_AFailedUserWriteDoesNotAbandonTheRun) {
  history->hook = [](const std::string& kind, const ExportedMessageRepositoryItem& item) {
    if (kind == "append" && item.message->role == Role::User) throw std::runtime_error("disk full");
  };
  make(plain({T("hi there")}));
  auto c = t().append(U("hello"));
  settle();
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(history->calls("append").size(), 2u);
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(failure_message(c), "disk full");
  EXPECT_EQ(message_string(*last()), R"(a"hi there"·cu)");
}

// Spec §6.3 step 10, §12.4: a failed terminal write replaces the roundtrip's outcome, even a
// failed one (the message keeps the model's error; the caller learns what was not saved).
TEST_F(History, AFailedTerminalWriteReplacesTheRunsError) {
  history->hook = [](const std::string& kind, const ExportedMessageRepositoryItem& item) {
    if (kind == "append" && item.message->role == Role::Assistant)
      throw std::runtime_error("write failed");
  };
  make([](const ChatModelRunOptions&) -> ChatModelRunResult {
    throw std::runtime_error("model failed");
  });
  auto c = t().append(U("hello"));
  settle();
  ASSERT_EQ(history->calls("append", Role::Assistant).size(), 1u);
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(failure_message(c), "write failed");
  EXPECT_EQ(message_string(*last()), R"(a[]·ie)");
  EXPECT_EQ(last()->status.error->value("message", ""), "model failed");
}

// Spec §12.4: the terminal write carries the thread's last run config (§6.3 step 6), also for a
// superseded run that still owns its message when it ends.
TEST_F(History, TheTerminalWriteCarriesTheLastRunConfig) {
  Gate slow;
  make([&](const ChatModelRunOptions& o) {
    calls.record(o);
    if (calls.size() == 2) slow.wait(*d);
    return T("r" + std::to_string(calls.size()));
  });
  t().append(U("one"));
  settle();
  const Id first_reply = last()->id;
  AppendMessage two = U("two");
  two.run_config = RunConfig{Json{{"run", "A"}}};
  t().append(std::move(two));  // run A waits in the adapter
  settle();
  const Id second_reply = last()->id;
  t().reload(first_reply, RunConfig{Json{{"run", "B"}}});  // run B supersedes run A
  settle();
  slow.release();
  settle();
  std::optional<RunConfig> written;
  for (const auto& c : history->calls("append", Role::Assistant)) {
    if (c.item.message->id == second_reply) written = c.item.run_config;
  }
  ASSERT_TRUE(written.has_value());
  EXPECT_EQ(*written, (RunConfig{Json{{"run", "B"}}}));
}

// ---- Durable before the run starts (DESIGN, Persistence; ThreadRuntimeOptions::
// write_user_message_before_model) ----

// Holds the history's append of user messages at `gate`; `outcome` runs once it opens.
void hold_user_writes(RecordingHistory& history, Gate& gate, Driver& d,
                      std::function<void()> outcome = {}) {
  history.hook = [&gate, &d, outcome](const std::string& kind,
                                      const ExportedMessageRepositoryItem& item) {
    if (kind != "append" || item.message->role != Role::User) return;
    gate.wait(d);
    if (outcome) outcome();
  };
}

TEST_F(History, TheModelIsCalledOnlyAfterTheUserMessageIsStored) {
  Gate write;
  hold_user_writes(*history, write, *d);
  make(plain({T("hi there")}));
  auto c = t().append(U("hello"));
  settle();
  // The run has begun (spec §5.1 step 5: the reply shows as running) but the model waits.
  EXPECT_EQ(calls.size(), 0u);
  EXPECT_TRUE(t().is_running());
  EXPECT_EQ(branch(), R"([u"hello", a[]·run])");
  EXPECT_FALSE(c.ready());
  write.release();
  settle();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls.at(1).options.messages.size(), 1u);
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_EQ(branch(), R"([u"hello", a"hi there"·cu])");
  // The user message was the first write, the reply the second.
  auto appends = history->calls("append");
  ASSERT_EQ(appends.size(), 2u);
  EXPECT_EQ(appends[0].item.message->role, Role::User);
}

TEST_F(History, AFailedUserWriteStillCallsTheModelOnceItReturned) {
  Gate write;
  hold_user_writes(*history, write, *d, [] { throw std::runtime_error("disk full"); });
  make(plain({T("hi there")}));
  auto c = t().append(U("hello"));
  settle();
  EXPECT_EQ(calls.size(), 0u);
  write.release();
  settle();
  EXPECT_EQ(calls.size(), 1u);  // spec §12.4: a failed user write does not abandon the run
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(failure_message(c), "disk full");
  EXPECT_EQ(message_string(*last()), R"(a"hi there"·cu)");
}

TEST_F(History, ARunCancelledWhileItsUserMessageIsWrittenNeverCallsTheModel) {
  Gate write;
  hold_user_writes(*history, write, *d);
  make(plain({T("hi there")}));
  auto c = t().append(U("hello"));
  settle();
  t().cancel_run();
  write.release();
  settle();
  EXPECT_EQ(calls.size(), 0u);
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_EQ(branch(), R"([u"hello", a[]·ic])");
  EXPECT_EQ(history->calls("append").size(), 2u);  // the user message and the cancelled reply
}

TEST_F(History, WithoutTheWaitTheModelIsCalledBesideTheWrite) {
  Gate write;
  hold_user_writes(*history, write, *d);
  make(plain({T("hi there")}),
       [](ThreadRuntimeOptions& o) { o.write_user_message_before_model = false; });
  auto c = t().append(U("hello"));
  settle();
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(message_string(*last()), R"(a"hi there"·cu)");
  EXPECT_FALSE(c.ready());  // append still waits for the write (spec §5.1 step 5)
  write.release();
  settle();
  EXPECT_TRUE(c.succeeded_ok());
}

// ---- S-119 ----
TEST_F(History, S119_AFailedWriteWithoutARun) {
  history->hook = [](const std::string&, const ExportedMessageRepositoryItem&) {
    throw std::runtime_error("read-only database");
  };
  make(plain({T("x")}));
  auto c = t().append(no_run("hello"));
  settle();
  ASSERT_TRUE(c.failed());
  EXPECT_EQ(failure_message(c), "read-only database");
  EXPECT_EQ(calls.size(), 0u);
  EXPECT_EQ(branch(), R"([u"hello"])");
}

// ---- S-120 / S-121: a pause, then approval ----
TEST_F(History, S120_WithUpdateThePauseIsAppendedAndTheEndUpdated) {
  history->with_update = true;
  make(plain({gated({{"call-1", "a1"}}), done("sent")}));
  t().append(U("mail bob"));
  settle();
  auto appends = history->calls("append", Role::Assistant);
  ASSERT_EQ(appends.size(), 1u);
  EXPECT_EQ(appends[0].item.message->status.type, StatusType::RequiresAction);
  EXPECT_TRUE(history->calls("update").empty());
  t().respond_to_tool_approval({"a1", true});
  settle();
  EXPECT_EQ(history->calls("append", Role::Assistant).size(), 1u);
  auto updates = history->calls("update");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].item.message->id, appends[0].item.message->id);
  EXPECT_EQ(message_string(*updates[0].item.message), message_string(*last()));
  EXPECT_EQ(last()->status.type, StatusType::Complete);
}

TEST_F(History, S121_AppendOnlyHistoryNeverSeesThePause) {
  make(plain({gated({{"call-1", "a1"}}), done("sent")}));
  t().append(U("mail bob"));
  settle();
  EXPECT_TRUE(history->calls("append", Role::Assistant).empty());
  t().respond_to_tool_approval({"a1", true});
  settle();
  auto appends = history->calls("append", Role::Assistant);
  ASSERT_EQ(appends.size(), 1u);
  EXPECT_EQ(appends[0].item.message->status.type, StatusType::Complete);
  EXPECT_TRUE(history->calls("update").empty());
}

// ---- S-122 ----
TEST_F(History, S122_ARestoredPausedMessageIsRewrittenNotDuplicated) {
  history->with_update = true;
  history->on_load = [] {
    auto m = std::make_shared<ThreadMessage>();
    m->id = "restored";
    m->role = Role::Assistant;
    ToolCallPart call = TC("send_email", "call-send_email");
    call.approval = GATE("a1");
    m->content.emplace_back(call);
    m->status = MessageStatus::requires_action(StatusReason::ToolCalls);
    ThreadHistoryLoadResult r;
    r.head_id = "restored";
    r.messages.push_back({m, std::nullopt, std::nullopt});
    return r;
  };
  make(plain({done("sent")}));
  t().load_history();
  settle();
  t().respond_to_tool_approval({"a1", true});
  settle();
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_TRUE(history->calls("append").empty());
  auto updates = history->calls("update");
  ASSERT_FALSE(updates.empty());
  EXPECT_EQ(updates.back().item.message->id, "restored");
  EXPECT_EQ(updates.back().item.message->status.type, StatusType::Complete);
}

// ---- S-124 ----
TEST_F(History, S124_APartialDecisionIsPersisted) {
  history->with_update = true;
  make(plain({gated({{"call-1", "a1"}, {"call-2", "a2"}}), done("sent")}));
  t().append(U("mail two"));
  settle();
  t().respond_to_tool_approval({"a1", true});
  settle();
  EXPECT_EQ(calls.size(), 1u);
  auto updates = history->calls("update");
  ASSERT_FALSE(updates.empty());
  const auto* call = updates.back().item.message->content.at(0).get_if<ToolCallPart>();
  ASSERT_TRUE(call && call->approval);
  EXPECT_EQ(call->tool_call_id, "call-1");
  EXPECT_EQ(call->approval->approved, std::optional<bool>(true));
}

// ---- S-125 ----
TEST_F(History, S125_APartialToolResultIsPersisted) {
  history->with_update = true;
  make(
      plain({RA({TC("send_email", "call-1"), TC("send_email", "call-2")}), done("sent")}),
      [](ThreadRuntimeOptions& o) { o.human_tool_names = std::vector<std::string>{"send_email"}; });
  t().append(U("mail two"));
  settle();
  t().add_tool_result({last()->id, "call-1", "send_email", Json{{"ok", true}}});
  settle();
  EXPECT_EQ(calls.size(), 1u);
  auto updates = history->calls("update");
  ASSERT_FALSE(updates.empty());
  const auto* call = updates.back().item.message->content.at(0).get_if<ToolCallPart>();
  ASSERT_TRUE(call && call->result);
  EXPECT_EQ(*call->result, (Json{{"ok", true}}));
  // Re-adding a result to a resolved call writes nothing.
  const auto before = history->calls().size();
  t().add_tool_result({last()->id, "call-1", "send_email", Json{{"ok", false}}});
  settle();
  EXPECT_EQ(history->calls().size(), before);
}

// ---- S-127 ----
TEST_F(History, S127_AResumedRunThatPausesAgain) {
  history->with_update = true;
  make(plain({gated({{"call-1", "a1"}}), gated({{"call-2", "a2"}}), done("done")}));
  t().append(U("go"));
  settle();
  t().respond_to_tool_approval({"a1", true});
  settle();
  EXPECT_EQ(last()->status.type, StatusType::RequiresAction);
  t().respond_to_tool_approval({"a2", true});
  settle();
  EXPECT_EQ(calls.size(), 3u);
  auto appends = history->calls("append", Role::Assistant);
  ASSERT_EQ(appends.size(), 1u);
  EXPECT_EQ(appends[0].item.message->status.type, StatusType::RequiresAction);
  auto updates = history->calls("update");
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[0].item.message->id, appends[0].item.message->id);
  EXPECT_EQ(updates[1].item.message->id, appends[0].item.message->id);
  EXPECT_EQ(updates[1].item.message->status.type, StatusType::Complete);
}

// ---- S-128 ----
TEST_F(History, S128_MaxStepsReachedOnAResumeIsWritten) {
  history->with_update = true;
  ChatModelRunResult r = gated({{"call-1", "a1"}});
  r.metadata = RunResultMetadata{};
  r.metadata->steps = std::vector<ThreadStep>{ThreadStep{}};
  make(plain({r}), [](ThreadRuntimeOptions& o) { o.max_steps = 1; });
  t().append(U("go"));
  settle();
  t().respond_to_tool_approval({"a1", true});
  settle();
  EXPECT_EQ(calls.size(), 1u);
  EXPECT_EQ(last()->status.type, StatusType::Incomplete);
  EXPECT_EQ(history->calls("append", Role::Assistant).size(), 1u);
  auto updates = history->calls("update");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].item.message->status.type, StatusType::Incomplete);
}

// ---- S-130 ----
TEST_F(History, S130_WritesOfOneMessageAreOrdered) {
  history->with_update = true;
  Gate g;
  history->hook = [&](const std::string& kind, const ExportedMessageRepositoryItem& item) {
    if (kind != "update") return;
    const bool partial = item.message->status.type == StatusType::RequiresAction;
    history->note(partial ? "partial:start" : "terminal:start");
    if (partial) g.wait(*d);
    history->note(partial ? "partial:end" : "terminal:end");
  };
  make(plain({gated({{"call-1", "a1"}, {"call-2", "a2"}}), done("sent")}));
  t().append(U("mail two"));
  settle();
  t().respond_to_tool_approval({"a1", true});
  t().respond_to_tool_approval({"a2", true});
  settle();
  EXPECT_EQ(history->log(), std::vector<std::string>{"partial:start"});
  g.release();
  settle();
  EXPECT_EQ(history->log(), (std::vector<std::string>{"partial:start", "partial:end",
                                                      "terminal:start", "terminal:end"}));
}

// ---- S-131 ----
TEST_F(History, S131_AHistoryAdapterThatArrivesLate) {
  history->on_load = [] {
    ThreadHistoryLoadResult r;
    r.messages.push_back({user_message("restored", "from disk"), std::nullopt, std::nullopt});
    return r;
  };
  make(plain({T("x")}), [](ThreadRuntimeOptions& o) { o.adapters.history = nullptr; });
  EXPECT_TRUE(t().load_history().succeeded_ok());
  ThreadAdapters adapters;
  adapters.history = history;
  t().set_adapters(adapters);
  settle();
  EXPECT_EQ(history->calls("load").size(), 1u);
  EXPECT_EQ(branch(), R"([u"from disk"])");
}

TEST_F(History, S131_ALateAdapterDoesNotLoadOverTypedMessages) {
  make(plain({T("x")}), [](ThreadRuntimeOptions& o) { o.adapters.history = nullptr; });
  t().load_history();
  t().append(no_run("typed"));
  settle();
  ThreadAdapters adapters;
  adapters.history = history;
  t().set_adapters(adapters);
  settle();
  EXPECT_TRUE(history->calls("load").empty());
  EXPECT_EQ(branch(), R"([u"typed"])");
}

// ---- S-133 ----
TEST_F(History, S133_DeletingAMessageThroughHistory) {
  history->with_delete = true;
  make(plain({T("hey")}));
  EXPECT_TRUE(t().capabilities().remove);
  t().append(U("hi"));
  settle();
  const Id user_id = t().messages()[0]->id;
  const MessagePtr reply = last();
  auto c = t().delete_message(reply->id);
  settle();
  EXPECT_TRUE(c.succeeded_ok());
  auto deletes = history->calls("delete");
  ASSERT_EQ(deletes.size(), 1u);
  EXPECT_EQ(deletes[0].item.parent_id, std::optional<Id>(user_id));
  EXPECT_EQ(deletes[0].item.message, reply);
  EXPECT_EQ(branch(), R"([u"hi"])");
  auto missing = t().delete_message("nope");
  settle();
  EXPECT_EQ(failure_kind(missing), ErrorKind::MessageNotFound);
}

TEST_F(History, S133_AFailedDeleteKeepsTheMessage) {
  history->with_delete = true;
  history->hook = [](const std::string& kind, const ExportedMessageRepositoryItem&) {
    if (kind == "delete") throw std::runtime_error("locked");
  };
  make(plain({T("hey")}));
  t().append(U("hi"));
  settle();
  auto c = t().delete_message(last()->id);
  settle();
  EXPECT_EQ(failure_message(c), "locked");
  EXPECT_EQ(branch(), R"([u"hi", a"hey"·cu])");
}

TEST_F(History, S133_WithoutDeleteItIsUnsupported) {
  make(plain({T("hey")}));
  EXPECT_FALSE(t().capabilities().remove);
  t().append(U("hi"));
  settle();
  auto c = t().delete_message(last()->id);
  EXPECT_EQ(failure_kind(c), ErrorKind::DeleteUnsupported);
  EXPECT_EQ(t().messages().size(), 2u);
}

// ---- S-134 ----
TEST_F(History, S134_AnEmptyLoadClearsWhatWasTypedMeanwhile) {
  Gate g;
  history->on_load = [&] {
    g.wait(*d);
    return ThreadHistoryLoadResult{};
  };
  make(plain({T("x")}));
  t().load_history();
  t().append(no_run("typed"));
  settle();
  EXPECT_EQ(branch(), R"([u"typed"])");
  g.release();
  settle();
  EXPECT_TRUE(t().messages().empty());
  EXPECT_FALSE(t().is_loading());
}

// ---- rules around the scenarios ----
TEST_F(History, AFailedLoadLeavesTheThreadEmptyAndUsable) {
  history->on_load = []() -> ThreadHistoryLoadResult { throw std::runtime_error("no such table"); };
  make(plain({T("still here")}));
  auto loaded = t().load_history();
  settle();
  EXPECT_EQ(failure_message(loaded), "no such table");
  EXPECT_FALSE(t().is_loading());
  // The caller of load_history() has the failure; on_error does not get it twice (errors.hpp).
  EXPECT_TRUE(errors.empty());
  t().append(U("hi"));
  settle();
  EXPECT_EQ(branch(), R"([u"hi", a"still here"·cu])");
}

TEST_F(History, AMessageIsWrittenWithItsParentAndRunConfig) {
  make(plain({T("a1")}));
  AppendMessage m = U("hi");
  m.run_config = RunConfig{};
  m.run_config->custom = Json{{"temperature", 0.5}};
  t().append(std::move(m));
  settle();
  auto appends = history->calls("append");
  ASSERT_EQ(appends.size(), 2u);
  EXPECT_EQ(appends[0].item.parent_id, std::nullopt);
  ASSERT_TRUE(appends[0].item.run_config);
  EXPECT_EQ(appends[0].item.run_config->custom, (Json{{"temperature", 0.5}}));
  EXPECT_EQ(appends[1].item.parent_id, std::optional<Id>(appends[0].item.message->id));
  EXPECT_EQ(appends[1].item.message->status.type, StatusType::Complete);
}

TEST_F(History, AStreamingReplyIsCheckpointedAtMostOncePerInterval) {
  history->with_update = true;
  auto now = std::chrono::steady_clock::time_point{};
  std::vector<std::unique_ptr<Gate>> gates;
  for (int i = 0; i < 4; ++i) gates.push_back(std::make_unique<Gate>());
  make(
      [&](const ChatModelRunOptions&, RunResultSink& sink) {
        std::string text;
        for (int i = 0; i < 4; ++i) {
          text += "chunk" + std::to_string(i) + " ";
          sink.yield(T(text));
          gates[i]->wait(*d);
        }
      },
      [&](ThreadRuntimeOptions& o) {
        o.history_checkpoint_interval = std::chrono::milliseconds(250);
        o.clock = [&] { return now; };
      });
  t().append(U("stream"));
  settle();  // chunk0 applied at t=0: the first checkpoint
  auto checkpoints = [&] { return history->calls("update"); };
  ASSERT_EQ(checkpoints().size(), 1u);
  EXPECT_EQ(checkpoints()[0].item.message->status.type, StatusType::Running);
  now += std::chrono::milliseconds(100);
  gates[0]->release();
  settle();  // chunk1 at 100 ms: too soon
  EXPECT_EQ(checkpoints().size(), 1u);
  now += std::chrono::milliseconds(200);
  gates[1]->release();
  settle();  // chunk2 at 300 ms: due
  ASSERT_EQ(checkpoints().size(), 2u);
  EXPECT_EQ(checkpoints()[1].item.message->text(), "chunk0 chunk1 chunk2 ");
  gates[2]->release();
  gates[3]->release();
  settle();
  // The end is written once as the message's first append; checkpoints were updates.
  auto appends = history->calls("append", Role::Assistant);
  ASSERT_EQ(appends.size(), 1u);
  EXPECT_EQ(appends[0].item.message->status.type, StatusType::Complete);
}

TEST_F(History, WritesIssuedBeforeTheThreadIsDestroyedStillLand) {
  Gate g;
  history->hook = [&](const std::string& kind, const ExportedMessageRepositoryItem&) {
    if (kind == "append") g.wait(*d);
  };
  make(plain({T("x")}));
  t().append(no_run("keep me"));
  settle();
  thread.reset();
  g.release();
  settle();
  auto appends = history->calls("append");
  ASSERT_EQ(appends.size(), 1u);
  EXPECT_EQ(appends[0].item.message->text(), "keep me");
}

}  // namespace
