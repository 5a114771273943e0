// aui-chat's dictation (dictation_control.hpp, /dictate): a scripted dictation adapter stands in
// for the microphone, so each test says exactly what is "heard" and when the session ends. The
// real recogniser is exercised by tests/dictation and by the full-screen tmux test.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "aui/demo/demo_adapter.hpp"
#include "aui/local_runtime.hpp"
#include "chat_app.hpp"
#include "dictation_control.hpp"

namespace {

using std::chrono::milliseconds;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A session the test drives: say() is an interim result; stop() turns the last one into the
// final result, as PocketSphinx's session does; fail() ends it with an error.
class ScriptedSession final : public aui::DictationSession {
 public:
  Status status() const override {
    std::lock_guard lock(mutex_);
    return status_;
  }
  void stop() override { end({}); }
  void cancel() override {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    status_ = Status::Ended;
  }
  void on_speech_start(std::function<void()> cb) override { start_cb_ = std::move(cb); }
  void on_speech_end(std::function<void(const aui::DictationResult&)> cb) override {
    end_cb_ = std::move(cb);
  }
  void on_speech(std::function<void(const aui::DictationResult&)> cb) override {
    speech_cb_ = std::move(cb);
  }
  std::string error() const override {
    std::lock_guard lock(mutex_);
    return error_;
  }

  void say(const std::string& words) {
    last_ = words;
    if (start_cb_) start_cb_();
    speech_cb_(aui::DictationResult{words, false});
  }
  void fail(const std::string& reason) { end(reason); }
  bool cancelled() const {
    std::lock_guard lock(mutex_);
    return cancelled_;
  }

 private:
  void end(const std::string& error) {
    {
      std::lock_guard lock(mutex_);
      if (status_ == Status::Ended) return;
      status_ = Status::Ended;
      error_ = error;
    }
    end_cb_(aui::DictationResult{error.empty() ? last_ : std::string(), true});
  }

  mutable std::mutex mutex_;
  Status status_ = Status::Starting;
  bool cancelled_ = false;
  std::string error_;
  std::string last_;
  std::function<void()> start_cb_;
  std::function<void(const aui::DictationResult&)> end_cb_;
  std::function<void(const aui::DictationResult&)> speech_cb_;
};

class ScriptedDictation final : public aui::DictationAdapter {
 public:
  std::shared_ptr<aui::DictationSession> listen() override {
    last = std::make_shared<ScriptedSession>();
    ++sessions;
    return last;
  }
  std::shared_ptr<ScriptedSession> last;
  int sessions = 0;
};

struct Runtime {
  explicit Runtime(bool with_dictation) : rt(options(with_dictation, adapter)) {}
  static aui::ThreadRuntimeOptions options(bool with_dictation,
                                           const std::shared_ptr<ScriptedDictation>& adapter) {
    aui::ThreadRuntimeOptions o;
    o.chat_model = aui::make_demo_adapter({milliseconds(0), 50});
    if (with_dictation) o.adapters.dictation = adapter;
    o.on_error = [](const std::string&) {};
    return o;
  }
  void settle(const std::function<bool()>& done) { rt.event_loop()->run_until(done); }

  std::shared_ptr<ScriptedDictation> adapter = std::make_shared<ScriptedDictation>();
  aui::LocalRuntime rt;
};

TEST(DictationControl, WithoutAnAdapterStartSaysWhichOptionTurnsItOn) {
  Runtime s(false);
  aui::chat::DictationControl control(s.rt.thread(), nullptr, nullptr);
  EXPECT_FALSE(control.available());
  try {
    control.start();
    ADD_FAILURE() << "started without an adapter";
  } catch (const std::runtime_error& e) {
    const std::string text = e.what();
#if AUI_CHAT_WITH_DICTATION
    EXPECT_TRUE(contains(text, "start aui-chat with --dictation")) << text;
#else
    EXPECT_TRUE(contains(text, "built without dictation")) << text;
#endif
  }
  EXPECT_FALSE(control.listening());
}

TEST(DictationControl, InterimWordsShowAndTheFinalOnesAreHandedOverOnce) {
  Runtime s(true);
  std::vector<std::string> heard;
  int changes = 0;
  aui::chat::DictationControl control(
      s.rt.thread(), [&] { ++changes; }, [&](const std::string& h) { heard.push_back(h); });
  s.rt.thread().composer().set_text("a draft the chat does not show");
  control.start();
  EXPECT_TRUE(control.listening());
  s.adapter->last->say("what is");
  s.settle([&] { return control.heard_so_far() == "what is"; });
  s.adapter->last->say("what is the weather");
  s.settle([&] { return control.heard_so_far() == "what is the weather"; });
  EXPECT_TRUE(heard.empty());
  control.stop();
  s.settle([&] { return !heard.empty(); });
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0], "what is the weather");
  EXPECT_FALSE(control.listening());
  EXPECT_EQ(control.heard_so_far(), "");
  // The composer is left empty: the words live where the app put them.
  EXPECT_EQ(s.rt.thread().composer().text(), "");
  EXPECT_FALSE(s.rt.thread().composer().dictation().has_value());
  EXPECT_GE(changes, 3);
}

TEST(DictationControl, CancelAndAThreadSwitchHandNothingOver) {
  Runtime s(true);
  aui::ThreadRuntimeOptions other_options;  // another thread, to switch to (outlives `control`)
  other_options.chat_model = aui::make_demo_adapter({milliseconds(0), 50});
  aui::LocalRuntime other(std::move(other_options));
  std::vector<std::string> heard;
  aui::chat::DictationControl control(s.rt.thread(), nullptr,
                                      [&](const std::string& h) { heard.push_back(h); });
  control.start();
  s.adapter->last->say("lost words");
  s.settle([&] { return control.heard_so_far() == "lost words"; });
  control.cancel();
  EXPECT_TRUE(s.adapter->last->cancelled());
  EXPECT_FALSE(control.listening());
  EXPECT_EQ(s.rt.thread().composer().text(), "");

  control.start();
  EXPECT_EQ(s.adapter->sessions, 2);
  control.set_thread(other.thread());
  EXPECT_TRUE(s.adapter->last->cancelled());
  EXPECT_FALSE(control.listening());
  s.settle([] { return true; });
  EXPECT_TRUE(heard.empty());
}

TEST(DictationControl, AFailedSessionHandsOverNothingAndIsWordedForAPerson) {
  Runtime s(true);
  std::vector<std::string> heard, errors;
  aui::ThreadRuntimeOptions o = Runtime::options(true, s.adapter);
  o.on_error = [&](const std::string& m) { errors.push_back(m); };
  aui::LocalRuntime rt(std::move(o));
  aui::chat::DictationControl control(rt.thread(), nullptr,
                                      [&](const std::string& h) { heard.push_back(h); });
  control.start();
  s.adapter->last->fail("no microphone: \"rec\" failed (exit status 1)");
  rt.event_loop()->run_until([&] { return !heard.empty(); });
  EXPECT_EQ(heard, std::vector<std::string>{""});
  ASSERT_EQ(errors.size(), 1u);
  const auto sentence = aui::chat::dictation_failure_text(errors[0]);
  ASSERT_TRUE(sentence.has_value()) << errors[0];
  EXPECT_EQ(*sentence,
            "No microphone could be opened for dictation: \"rec\" failed (exit status 1). Try "
            "--dictation-wav FILE to transcribe a recording.");
}

TEST(DictationText, FailuresBecomeSentencesAndOtherErrorsAreLeftAlone) {
  using aui::chat::dictation_failure_text;
  EXPECT_EQ(dictation_failure_text("the reply failed: timeout"), std::nullopt);
  EXPECT_EQ(
      dictation_failure_text("dictation failed: the speech model \"/x/en-us\" is missing (install "
                             "pocketsphinx-en-us)"),
      "Dictation needs PocketSphinx's English speech model: install the "
      "pocketsphinx-en-us package.");
  EXPECT_EQ(dictation_failure_text(
                "dictation failed: cannot read \"/tmp/said.wav\": No such file or directory"),
            "Dictation could not read the recording \"/tmp/said.wav\": No such file or directory.");
  EXPECT_EQ(dictation_failure_text("dictation failed: \"/tmp/a.wav\" is not a WAV file"),
            "Dictation needs a 16-bit PCM WAV recording: \"/tmp/a.wav\" is not a WAV file.");
  EXPECT_EQ(dictation_failure_text("dictation failed: no microphone: cannot run \"rec\" (No "
                                   "such file or directory)"),
            "No microphone could be opened for dictation: cannot run \"rec\" (No such file or "
            "directory). Try --dictation-wav FILE to transcribe a recording.");
  EXPECT_EQ(dictation_failure_text("dictation failed: something odd"),
            "Dictation stopped: something odd.");
}

TEST(DictationText, DictatedWordsAreSeparatedFromTheTextBefore) {
  using aui::chat::dictated_insertion;
  EXPECT_EQ(dictated_insertion("", "hello"), "hello");
  EXPECT_EQ(dictated_insertion("Note:", "hello"), " hello");
  EXPECT_EQ(dictated_insertion("Note: ", "hello"), "hello");
  EXPECT_EQ(dictated_insertion("line\n", "hello"), "hello");
  EXPECT_EQ(dictated_insertion("Note:", ""), "");
}

// The line mode: /dictate starts and stops, the words are shown, /dictate send sends them.
struct LineChat {
  explicit LineChat(bool with_dictation)
      : setup(with_dictation), app(setup.rt.thread(), out, [] {}) {}
  std::string line(const std::string& text, const std::function<bool()>& done) {
    out.str("");
    app.on_line(text);
    setup.settle(done);
    return out.str();
  }
  Runtime setup;
  std::ostringstream out;
  aui::chat::ChatApp app;
};

TEST(DictateCommand, StartStopAndSendFromTheLineMode) {
  LineChat chat(true);
  const auto started = chat.line("/dictate", [] { return true; });
  EXPECT_TRUE(contains(started, "listening to the microphone: speak, then type /dictate to stop"))
      << started;
  chat.setup.adapter->last->say("tell me a story");
  const auto stopped = chat.line("/dictate", [&] { return contains(chat.out.str(), "heard:"); });
  EXPECT_TRUE(contains(stopped,
                       "heard: tell me a story\n  (/dictate send sends it; /dictate adds "
                       "more)"))
      << stopped;
  // Nothing was sent yet.
  EXPECT_TRUE(chat.setup.rt.thread().messages().empty());
  const auto sent = chat.line("/dictate send", [&] {
    const auto& m = chat.setup.rt.thread().messages();
    return m.size() == 2 && !chat.setup.rt.thread().is_running();
  });
  EXPECT_EQ(chat.setup.rt.thread().messages()[0]->text(), "tell me a story");
  const auto again = chat.line("/dictate send", [] { return true; });
  EXPECT_TRUE(contains(again, "error: nothing has been dictated yet")) << again;
}

TEST(DictateCommand, LinesAfterAStopWaitForTheWords) {
  LineChat chat(true);
  chat.line("/dictate", [] { return true; });
  chat.setup.adapter->last->say("hello there");
  // Typed together (or piped): the send runs once the stopped session has handed its words over.
  chat.out.str("");
  chat.app.on_line("/dictate");
  chat.app.on_line("/dictate send");
  chat.setup.settle([&] {
    const auto& m = chat.setup.rt.thread().messages();
    return m.size() == 2 && !chat.setup.rt.thread().is_running();
  });
  EXPECT_EQ(chat.setup.rt.thread().messages()[0]->text(), "hello there");
  EXPECT_FALSE(contains(chat.out.str(), "error:")) << chat.out.str();
}

TEST(DictateCommand, WithoutAnAdapterItSaysHowToTurnItOn) {
  LineChat chat(false);
  const auto out = chat.line("/dictate", [] { return true; });
#if AUI_CHAT_WITH_DICTATION
  EXPECT_TRUE(contains(out, "error: Dictation is off: start aui-chat with --dictation")) << out;
#else
  EXPECT_TRUE(contains(out, "built without dictation")) << out;
#endif
  const auto usage = chat.line("/dictate louder", [] { return true; });
  EXPECT_TRUE(contains(usage, "/dictate starts or stops listening")) << usage;
}

}  // namespace
