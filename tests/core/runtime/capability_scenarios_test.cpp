// The capability scenarios of sections J (suggestions) and M (speech and feedback), and the
// composer's dictation (spec §13.2–§13.5), driven deterministically with scripted adapters.

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "aui/runtime/thread_runtime.hpp"
#include "aui/support/errors.hpp"
#include "aui/testing.hpp"
#include "support/runtime_driver.hpp"

namespace {

using namespace aui;
using namespace aui::testing;

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

// An utterance whose status the test sets; records cancels.
class ScriptedUtterance final : public Utterance {
 public:
  explicit ScriptedUtterance(std::string spoken) : text(std::move(spoken)) {}
  UtteranceStatus status() const override {
    std::lock_guard lock(mutex_);
    return status_;
  }
  void cancel() override {
    ++cancels;
    set(UtteranceStatus::ended(UtteranceStatus::EndReason::Cancelled));
  }
  std::function<void()> subscribe(std::function<void()> on_change) override {
    std::lock_guard lock(mutex_);
    listener_ = std::move(on_change);
    return [this] {
      std::lock_guard inner(mutex_);
      listener_ = nullptr;
    };
  }
  void set(UtteranceStatus s) {
    std::function<void()> listener;
    {
      std::lock_guard lock(mutex_);
      if (status_.type == UtteranceStatus::Type::Ended) return;
      status_ = std::move(s);
      listener = listener_;
    }
    if (listener) listener();
  }
  const std::string text;
  std::atomic<int> cancels{0};

 private:
  mutable std::mutex mutex_;
  UtteranceStatus status_{};
  std::function<void()> listener_;
};

class ScriptedSpeech final : public SpeechSynthesisAdapter {
 public:
  std::shared_ptr<Utterance> speak(const std::string& text) override {
    utterances.push_back(std::make_shared<ScriptedUtterance>(text));
    return utterances.back();
  }
  std::vector<std::shared_ptr<ScriptedUtterance>> utterances;
};

class RecordingFeedback final : public FeedbackAdapter {
 public:
  void submit(const FeedbackSubmission& f) override { submissions.push_back(f); }
  std::vector<FeedbackSubmission> submissions;
};

class ScriptedSession final : public DictationSession {
 public:
  Status status() const override { return status_; }
  void stop() override {
    ++stops;
    status_ = Status::Ended;
    if (end_) end_(DictationResult{final_on_stop, true});
  }
  void cancel() override {
    ++cancels;
    status_ = Status::Ended;
  }
  void on_speech_start(std::function<void()> cb) override { start_ = std::move(cb); }
  void on_speech_end(std::function<void(const DictationResult&)> cb) override {
    end_ = std::move(cb);
  }
  void on_speech(std::function<void(const DictationResult&)> cb) override {
    speech_ = std::move(cb);
  }

  void start() {
    status_ = Status::Running;
    start_();
  }
  void speech(std::string transcript, bool is_final) {
    speech_(DictationResult{std::move(transcript), is_final});
  }

  std::string final_on_stop;
  int stops = 0;
  int cancels = 0;

 private:
  Status status_ = Status::Starting;
  std::function<void()> start_;
  std::function<void(const DictationResult&)> end_;
  std::function<void(const DictationResult&)> speech_;
};

class ScriptedDictation final : public DictationAdapter {
 public:
  std::shared_ptr<DictationSession> listen() override {
    sessions.push_back(std::make_shared<ScriptedSession>());
    return sessions.back();
  }
  bool disable_input_during_dictation() const override { return true; }
  std::vector<std::shared_ptr<ScriptedSession>> sessions;
};

// A suggestion adapter driven by a function.
class FnSuggestions final : public SuggestionAdapter {
 public:
  using Fn = std::function<std::vector<ThreadSuggestion>(std::stop_token)>;
  explicit FnSuggestions(Fn fn) : fn_(std::move(fn)) {}
  std::vector<ThreadSuggestion> generate(
      const MessageList&, std::stop_token stop,
      const std::function<void(std::vector<ThreadSuggestion>)>&) override {
    ++calls;
    return fn_(stop);
  }
  std::atomic<int> calls{0};

 private:
  Fn fn_;
};

class Capability : public ::testing::Test {
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
  ChatModelAdapter ok() {
    return [](const ChatModelRunOptions&) { return T("ok"); };
  }
  ThreadRuntime& t() { return *thread; }
  void settle() { d->settle(); }
  MessagePtr at(std::size_t i) { return thread->messages()[i]; }
  void TearDown() override { thread.reset(); }

  std::shared_ptr<Driver> d = std::make_shared<Driver>();
  std::vector<std::string> errors;
  std::unique_ptr<ThreadRuntime> thread;
};

// ---- J. Suggestions ----

TEST_F(Capability, S136_AFailingGenerator) {
  auto s = std::make_shared<FnSuggestions>([](std::stop_token) -> std::vector<ThreadSuggestion> {
    throw std::runtime_error("no ideas");
  });
  make(ok(), [&](ThreadRuntimeOptions& o) { o.adapters.suggestion = s; });
  auto c = t().append(U("hi"));
  settle();
  EXPECT_TRUE(c.succeeded_ok());
  EXPECT_EQ(branch_string(t()), R"([u"hi", a"ok"·cu])");
  EXPECT_TRUE(t().suggestions().empty());
  EXPECT_EQ(s->calls.load(), 1);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("no ideas"), std::string::npos);
}

TEST_F(Capability, S136_AFailureAfterADeliveredListLeavesNone) {
  class DeliverThenFail final : public SuggestionAdapter {
   public:
    std::vector<ThreadSuggestion> generate(
        const MessageList&, std::stop_token,
        const std::function<void(std::vector<ThreadSuggestion>)>& deliver) override {
      deliver({{"early", "", ""}});
      throw std::runtime_error("then broke");
    }
  };
  make(ok(), [&](ThreadRuntimeOptions& o) {
    o.adapters.suggestion = std::make_shared<DeliverThenFail>();
  });
  t().append(U("hi"));
  settle();
  EXPECT_TRUE(t().suggestions().empty());
}

TEST_F(Capability, S137_CancelRunAbortsAPendingGeneration) {
  std::atomic<bool> aborted{false};
  auto s =
      std::make_shared<FnSuggestions>([&](std::stop_token stop) -> std::vector<ThreadSuggestion> {
        wait_for_abort(*d, stop);
        aborted = true;
        return {{"stale", "", ""}};
      });
  make(ok(), [&](ThreadRuntimeOptions& o) { o.adapters.suggestion = s; });
  t().append(U("hi"));
  settle();
  EXPECT_EQ(s->calls.load(), 1);
  t().cancel_run();
  settle();
  EXPECT_TRUE(aborted.load());
  EXPECT_TRUE(t().suggestions().empty());
}

TEST_F(Capability, S139_ACancelledRunStillProducesSuggestions) {
  auto s = std::make_shared<FnSuggestions>([](std::stop_token) {
    return std::vector<ThreadSuggestion>{{"s", "", ""}};
  });
  make(
      [&](const ChatModelRunOptions& o, RunResultSink&) {
        wait_for_abort(*d, o.stop_token);
        throw Cancelled();
      },
      [&](ThreadRuntimeOptions& o) { o.adapters.suggestion = s; });
  t().append(U("hi"));
  settle();
  t().cancel_run();
  settle();
  EXPECT_EQ(branch_string(t()), R"([u"hi", a[]·ic])");
  EXPECT_EQ(s->calls.load(), 1);
  ASSERT_EQ(t().suggestions().size(), 1u);
  EXPECT_EQ(t().suggestions()[0].prompt, "s");
  t().cancel_run();
  settle();
  ASSERT_EQ(t().suggestions().size(), 1u);
  EXPECT_EQ(t().suggestions()[0].prompt, "s");
}

TEST_F(Capability, ANewRunClearsSuggestions) {
  auto s = std::make_shared<FnSuggestions>([](std::stop_token) {
    return std::vector<ThreadSuggestion>{{"next?", "", ""}};
  });
  Gate g;
  int call = 0;
  make(
      [&](const ChatModelRunOptions&, RunResultSink& sink) {
        if (++call == 2) g.wait(*d);
        sink.yield(T("ok"));
      },
      [&](ThreadRuntimeOptions& o) { o.adapters.suggestion = s; });
  t().append(U("one"));
  settle();
  ASSERT_EQ(t().suggestions().size(), 1u);
  t().append(U(t().suggestions()[0].prompt));
  settle();
  EXPECT_TRUE(t().suggestions().empty());  // cleared when the run started
  g.release();
  settle();
  EXPECT_EQ(t().suggestions().size(), 1u);
  EXPECT_EQ(s->calls.load(), 2);
}

// ---- M. Speech and feedback ----

TEST_F(Capability, S167_SpeakingNeedsAnAdapter) {
  make(ok());
  t().append(U("hi"));
  settle();
  EXPECT_EQ(kind_of([&] { t().speak(at(1)->id); }), ErrorKind::AdapterMissing);
  t().set_adapters(
      ThreadAdapters{nullptr, std::make_shared<ScriptedSpeech>(), nullptr, nullptr, nullptr});
  EXPECT_EQ(kind_of([&] { t().speak("nope"); }), ErrorKind::MessageNotFound);
}

TEST_F(Capability, S169_SpeakingAnotherMessageStopsTheFirst) {
  auto speech = std::make_shared<ScriptedSpeech>();
  make(ok(), [&](ThreadRuntimeOptions& o) { o.adapters.speech = speech; });
  t().append(U("hi"));
  settle();
  const Id a = at(1)->id, u = at(0)->id;
  t().speak(a);
  ASSERT_TRUE(t().speech().has_value());
  EXPECT_EQ(t().speech()->message_id, a);
  EXPECT_EQ(speech->utterances[0]->text, "ok");
  speech->utterances[0]->set(UtteranceStatus::running());
  settle();
  EXPECT_EQ(t().speech()->status.type, UtteranceStatus::Type::Running);
  t().speak(u);
  EXPECT_EQ(speech->utterances[0]->cancels.load(), 1);
  settle();  // the first utterance's cancel does not clear the second's state
  ASSERT_TRUE(t().speech().has_value());
  EXPECT_EQ(t().speech()->message_id, u);
  EXPECT_EQ(speech->utterances[1]->text, "hi");
  speech->utterances[1]->set(UtteranceStatus::ended(UtteranceStatus::EndReason::Finished));
  settle();
  EXPECT_FALSE(t().speech().has_value());  // ended: speech cleared
}

TEST_F(Capability, S170_Stopping) {
  auto speech = std::make_shared<ScriptedSpeech>();
  make(ok(), [&](ThreadRuntimeOptions& o) { o.adapters.speech = speech; });
  t().append(U("hi"));
  settle();
  EXPECT_EQ(kind_of([&] { t().stop_speaking(); }), ErrorKind::NotSpeaking);
  t().speak(at(1)->id);
  EXPECT_EQ(kind_of([&] { t().stop_speaking(at(0)->id); }),
            ErrorKind::NotSpeaking);  // a different message
  int n = 0;
  auto sub = t().subscribe([&] { ++n; });
  t().stop_speaking();
  EXPECT_EQ(speech->utterances[0]->cancels.load(), 1);
  EXPECT_FALSE(t().speech().has_value());
  EXPECT_GE(n, 1);
  settle();
  EXPECT_FALSE(t().speech().has_value());
}

TEST_F(Capability, AnUtteranceThatFailsEndsTheSpeechAndReportsTheError) {
  auto speech = std::make_shared<ScriptedSpeech>();
  make(ok(), [&](ThreadRuntimeOptions& o) { o.adapters.speech = speech; });
  t().append(U("hi"));
  settle();
  t().speak(at(1)->id);
  speech->utterances[0]->set(
      UtteranceStatus::ended(UtteranceStatus::EndReason::Error, "no audio device"));
  settle();
  EXPECT_FALSE(t().speech().has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("no audio device"), std::string::npos);
}

TEST_F(Capability, FeedbackCarriesTheMessageTheThreadAndTheComment) {
  auto feedback = std::make_shared<RecordingFeedback>();
  make(ok(), [&](ThreadRuntimeOptions& o) {
    o.adapters.feedback = feedback;
    o.thread_id = "thread-7";
  });
  t().append(U("hi"));
  settle();
  t().submit_feedback(at(1)->id, FeedbackType::Negative, "wrong");
  ASSERT_EQ(feedback->submissions.size(), 1u);
  EXPECT_EQ(feedback->submissions[0].message->id, at(1)->id);
  EXPECT_EQ(feedback->submissions[0].type, FeedbackType::Negative);
  EXPECT_EQ(feedback->submissions[0].comment, "wrong");
  EXPECT_EQ(feedback->submissions[0].thread_id, "thread-7");
  EXPECT_EQ(at(1)->metadata.submitted_feedback, FeedbackType::Negative);
  EXPECT_EQ(kind_of([&] { t().submit_feedback("nope", FeedbackType::Positive); }),
            ErrorKind::MessageNotFound);
}

// ---- Dictation in the composer (spec §13.3) ----

TEST_F(Capability, DictationNeedsAnAdapter) {
  make(ok());
  EXPECT_EQ(kind_of([&] { t().composer().start_dictation(); }), ErrorKind::AdapterMissing);
  EXPECT_FALSE(t().composer().dictation().has_value());
}

TEST_F(Capability, DictationAddsInterimAndFinalTranscriptsAfterTheBase) {
  auto dictation = std::make_shared<ScriptedDictation>();
  make(ok(), [&](ThreadRuntimeOptions& o) { o.adapters.dictation = dictation; });
  auto& c = t().composer();
  c.set_text("Note:");
  c.start_dictation();
  ASSERT_TRUE(c.dictation().has_value());
  EXPECT_EQ(c.dictation()->status, DictationSession::Status::Starting);
  EXPECT_TRUE(c.dictation()->input_disabled);
  auto s = dictation->sessions[0];
  s->start();
  settle();
  EXPECT_EQ(c.dictation()->status, DictationSession::Status::Running);
  s->speech("hello", false);
  settle();
  EXPECT_EQ(c.text(), "Note: hello");
  EXPECT_EQ(c.dictation()->transcript, "hello");
  s->speech("hello world", true);
  settle();
  EXPECT_EQ(c.text(), "Note: hello world");
  EXPECT_FALSE(c.dictation()->transcript.has_value());
  s->speech("again", false);
  settle();
  EXPECT_EQ(c.text(), "Note: hello world again");
  // Typing re-bases: the interim words stay as typed text, later ones follow.
  c.set_text("typed ");
  s->speech("more", true);
  settle();
  EXPECT_EQ(c.text(), "typed more");
  s->final_on_stop = "end";
  auto stopped = c.stop_dictation();
  EXPECT_FALSE(stopped.ready());
  settle();
  EXPECT_TRUE(stopped.succeeded_ok());
  EXPECT_EQ(c.text(), "typed more end");
  EXPECT_FALSE(c.dictation().has_value());
  EXPECT_EQ(s->stops, 1);
}

TEST_F(Capability, ANewDictationReplacesTheOldAndIgnoresItsEvents) {
  auto dictation = std::make_shared<ScriptedDictation>();
  make(ok(), [&](ThreadRuntimeOptions& o) { o.adapters.dictation = dictation; });
  auto& c = t().composer();
  c.start_dictation();
  auto first = dictation->sessions[0];
  c.start_dictation();
  EXPECT_EQ(first->cancels, 1);
  first->speech("stale", true);
  dictation->sessions[1]->speech("fresh", true);
  settle();
  EXPECT_EQ(c.text(), "fresh");
}

TEST_F(Capability, SendingCancelsDictation) {
  auto dictation = std::make_shared<ScriptedDictation>();
  make(ok(), [&](ThreadRuntimeOptions& o) { o.adapters.dictation = dictation; });
  auto& c = t().composer();
  c.start_dictation();
  auto s = dictation->sessions[0];
  s->speech("what time is it", false);
  settle();
  c.send();
  EXPECT_EQ(s->cancels, 1);
  EXPECT_FALSE(c.dictation().has_value());
  s->speech("late words", true);
  settle();
  EXPECT_EQ(branch_string(t()), R"([u"what time is it", a"ok"·cu])");
  EXPECT_EQ(c.text(), "");
}

}  // namespace
