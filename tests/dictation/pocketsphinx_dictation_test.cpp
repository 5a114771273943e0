// aui::dictation with real audio: eSpeak NG speaks a sentence into a WAV file and PocketSphinx
// must get most of its words back, alone and through the composer.

#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <sstream>

#include "aui/dictation/pocketsphinx_dictation_adapter.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "aui/speech/espeak_speech_adapter.hpp"
#include "aui/testing.hpp"
#include "support/runtime_driver.hpp"

namespace {

using namespace aui;
using namespace aui::testing;
namespace fs = std::filesystem;

// eSpeak's robotic voice is hard for PocketSphinx's model of human speech; this voice, pace and
// sentence are recognised well (many other sentences come back half right).
const std::string kSentence = "what is the weather like today";

speech::EspeakOptions clear_voice() {
  speech::EspeakOptions o;
  o.voice = "en-us+m1";
  o.rate_wpm = 150;
  return o;
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The share of the sentence's words found in the transcript.
double recall(const std::string& sentence, const std::string& transcript) {
  const auto said = words(sentence);
  const auto heard_list = words(transcript);
  std::multiset<std::string> heard(heard_list.begin(), heard_list.end());
  int found = 0;
  for (const auto& w : said) {
    if (auto it = heard.find(w); it != heard.end()) {
      ++found;
      heard.erase(it);
    }
  }
  return static_cast<double>(found) / static_cast<double>(said.size());
}

class Dictation : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("aui-dictation-" + generate_id());
    fs::create_directories(dir);
    wav = (dir / "said.wav").string();
    speech::write_wav(wav, speech::synthesize(kSentence, clear_voice()));
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
  std::string wav;
};

TEST_F(Dictation, AWavFileReadsAt16kHz) {
  const auto audio = dictation::read_wav_16k(wav);
  const auto original = speech::synthesize(kSentence, clear_voice());
  EXPECT_NEAR(static_cast<double>(audio.samples.size()) / 16000.0, original.seconds(), 0.01);
}

TEST_F(Dictation, SpokenWordsComeBack) {
  const auto text = dictation::transcribe(dictation::read_wav_16k(wav));
  RecordProperty("transcript", text);
  const double r = recall(kSentence, text);
  RecordProperty("recall", std::to_string(r));
  EXPECT_GE(r, 0.6) << "heard: \"" << text << "\"";
}

TEST_F(Dictation, MissingFilesAndModelsGiveClearErrors) {
  try {
    dictation::read_wav_16k((dir / "nope.wav").string());
    ADD_FAILURE();
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("cannot read"), std::string::npos) << e.what();
  }
  dictation::PocketsphinxOptions o;
  o.hmm = (dir / "no-model").string();
  try {
    dictation::transcribe({}, o);
    ADD_FAILURE();
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("is missing"), std::string::npos) << e.what();
  }
}

TEST_F(Dictation, CanListenOnlyWithSomethingToHear) {
  dictation::PocketsphinxOptions o;
  o.wav_path = wav;
  EXPECT_TRUE(dictation::PocketsphinxDictationAdapter(o).can_listen());
  o.wav_path = (dir / "nope.wav").string();
  EXPECT_FALSE(dictation::PocketsphinxDictationAdapter(o).can_listen()) << "no such WAV file";
  o.wav_path.reset();
  o.recorder = {"false"};  // found on PATH, like `rec`
  EXPECT_TRUE(dictation::PocketsphinxDictationAdapter(o).can_listen());
  o.recorder = {"aui-no-such-recorder", "-q"};
  EXPECT_FALSE(dictation::PocketsphinxDictationAdapter(o).can_listen()) << "no recorder";
  o.recorder = {(dir / "said.wav").string()};  // a path, but not a program
  EXPECT_FALSE(dictation::PocketsphinxDictationAdapter(o).can_listen());
  o.recorder = {"false"};
  o.hmm = (dir / "no-model").string();
  EXPECT_FALSE(dictation::PocketsphinxDictationAdapter(o).can_listen()) << "no model";
}

// Forwards sessions, and lets the test wait (on a real event) until one has ended.
class Watched final : public DictationAdapter {
 public:
  explicit Watched(std::shared_ptr<DictationAdapter> inner) : inner_(std::move(inner)) {}
  std::shared_ptr<DictationSession> listen() override {
    auto s = inner_->listen();
    struct Session final : DictationSession {
      Session(std::shared_ptr<DictationSession> in, Watched& w) : inner(std::move(in)), watch(w) {}
      Status status() const override { return inner->status(); }
      void stop() override { inner->stop(); }
      void cancel() override { inner->cancel(); }
      void on_speech_start(std::function<void()> cb) override {
        inner->on_speech_start(std::move(cb));
      }
      void on_speech(std::function<void(const DictationResult&)> cb) override {
        inner->on_speech(std::move(cb));
      }
      void on_speech_end(std::function<void(const DictationResult&)> cb) override {
        inner->on_speech_end([this, cb = std::move(cb)](const DictationResult& r) {
          cb(r);
          std::lock_guard lock(watch.mutex);
          watch.ended = true;
          watch.cv.notify_all();
        });
      }
      std::string error() const override { return inner->error(); }
      std::shared_ptr<DictationSession> inner;
      Watched& watch;
    };
    return std::make_shared<Session>(std::move(s), *this);
  }
  void wait_for_end() {
    std::unique_lock lock(mutex);
    cv.wait(lock, [&] { return ended; });
    ended = false;
  }
  std::mutex mutex;
  std::condition_variable cv;
  bool ended = false;

 private:
  std::shared_ptr<DictationAdapter> inner_;
};

TEST_F(Dictation, TheComposerFillsWithWhatWasSaid) {
  auto d = std::make_shared<Driver>();
  dictation::PocketsphinxOptions o;
  o.wav_path = wav;
  auto adapter =
      std::make_shared<Watched>(std::make_shared<dictation::PocketsphinxDictationAdapter>(o));
  ThreadRuntimeOptions opts;
  opts.chat_model = [](const ChatModelRunOptions&) { return T("ok"); };
  opts.dispatcher = d->dispatcher();
  opts.executor = d->executor();
  opts.adapters.dictation = adapter;
  std::vector<std::string> errors;
  opts.on_error = [&](const std::string& m) { errors.push_back(m); };
  ThreadRuntime thread(std::move(opts));
  auto& c = thread.composer();
  c.set_text("Note:");
  std::vector<std::string> texts;
  auto sub = c.subscribe([&] { texts.push_back(c.text()); });
  c.start_dictation();
  adapter->wait_for_end();
  d->settle();
  EXPECT_FALSE(c.dictation().has_value());
  EXPECT_TRUE(errors.empty());
  ASSERT_EQ(c.text().rfind("Note: ", 0), 0u) << c.text();
  EXPECT_GE(recall(kSentence, c.text().substr(6)), 0.6) << c.text();
  EXPECT_GE(texts.size(), 3u);  // interim transcripts showed while it listened
}

TEST_F(Dictation, WithoutAMicrophoneTheSessionEndsWithAnError) {
  auto d = std::make_shared<Driver>();
  dictation::PocketsphinxOptions o;
  o.recorder = {"false"};  // a recorder that fails at once, like `rec` without an input device
  auto adapter =
      std::make_shared<Watched>(std::make_shared<dictation::PocketsphinxDictationAdapter>(o));
  ThreadRuntimeOptions opts;
  opts.chat_model = [](const ChatModelRunOptions&) { return T("ok"); };
  opts.dispatcher = d->dispatcher();
  opts.executor = d->executor();
  opts.adapters.dictation = adapter;
  std::vector<std::string> errors;
  opts.on_error = [&](const std::string& m) { errors.push_back(m); };
  ThreadRuntime thread(std::move(opts));
  thread.composer().start_dictation();
  adapter->wait_for_end();
  d->settle();
  EXPECT_FALSE(thread.composer().dictation().has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("no microphone"), std::string::npos) << errors[0];
}

// A session that cannot load its model ends with a reason a person can read: no error kind
// ("InvalidArgument: ") in front of it.
TEST_F(Dictation, AMissingModelEndsTheSessionWithAReadableReason) {
  auto d = std::make_shared<Driver>();
  dictation::PocketsphinxOptions o;
  o.wav_path = wav;
  o.hmm = (dir / "no-model").string();
  auto adapter =
      std::make_shared<Watched>(std::make_shared<dictation::PocketsphinxDictationAdapter>(o));
  ThreadRuntimeOptions opts;
  opts.chat_model = [](const ChatModelRunOptions&) { return T("ok"); };
  opts.dispatcher = d->dispatcher();
  opts.executor = d->executor();
  opts.adapters.dictation = adapter;
  std::vector<std::string> errors;
  opts.on_error = [&](const std::string& m) { errors.push_back(m); };
  ThreadRuntime thread(std::move(opts));
  thread.composer().start_dictation();
  adapter->wait_for_end();
  d->settle();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("dictation failed: the speech model \"", 0), 0u) << errors[0];
  EXPECT_NE(errors[0].find("is missing (install pocketsphinx-en-us)"), std::string::npos)
      << errors[0];
}

}  // namespace
