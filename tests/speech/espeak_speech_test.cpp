// aui::speech: real speech from eSpeak NG, written to WAV files and measured with sox; the
// player path with players that fail or hang; and speak/stop through a thread runtime.

#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "audio_probe.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "aui/speech/espeak_speech_adapter.hpp"
#include "aui/testing.hpp"
#include "support/runtime_driver.hpp"

namespace {

using namespace aui;
using namespace aui::testing;
namespace fs = std::filesystem;

// Blocks until an utterance has ended (a real event from its thread, not a timer).
UtteranceStatus wait_for_end(Utterance& u) {
  std::mutex m;
  std::condition_variable cv;
  auto unsubscribe = u.subscribe([&] {
    std::lock_guard lock(m);
    cv.notify_all();
  });
  std::unique_lock lock(m);
  cv.wait(lock, [&] { return u.status().type == UtteranceStatus::Type::Ended; });
  lock.unlock();
  unsubscribe();
  return u.status();
}

class Speech : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("aui-speech-" + generate_id());
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string wav(const std::string& name) { return (dir / name).string(); }
  std::string speak_to_wav(const std::string& text, const std::string& name) {
    speech::EspeakOptions o;
    o.wav_path = wav(name);
    speech::EspeakSpeechAdapter adapter(o);
    auto u = adapter.speak(text);
    const auto end = wait_for_end(*u);
    EXPECT_EQ(end, UtteranceStatus::ended(UtteranceStatus::EndReason::Finished)) << end.error;
    return *o.wav_path;
  }
  fs::path dir;
};

TEST_F(Speech, SynthesisGivesAudible22kHzSamples) {
  const auto audio = speech::synthesize("Hello world");
  EXPECT_EQ(audio.sample_rate, 22050);
  EXPECT_GT(audio.seconds(), 0.4);
  EXPECT_LT(audio.seconds(), 3.0);
  int loud = 0;
  for (auto s : audio.samples) loud += (s > 1000 || s < -1000) ? 1 : 0;
  EXPECT_GT(loud, 1000);
}

TEST_F(Speech, AWavFileThatIsNotSilentAndGrowsWithTheText) {
  const auto short_wav = speak_to_wav("Hello.", "short.wav");
  const auto long_wav = speak_to_wav(
      "Hello. This sentence is a good deal longer than the first one, so it takes much more time "
      "to say.",
      "long.wav");
  const double short_s = wav_seconds(short_wav), long_s = wav_seconds(long_wav);
  RecordProperty("short_seconds", std::to_string(short_s));
  RecordProperty("long_seconds", std::to_string(long_s));
  EXPECT_GT(short_s, 0.3);
  EXPECT_GT(long_s, 3 * short_s) << short_s << " s vs " << long_s << " s";
  EXPECT_GT(wav_rms(short_wav), 0.02);
  EXPECT_GT(wav_rms(long_wav), 0.02);
}

TEST_F(Speech, AnUnknownVoiceEndsWithAnError) {
  speech::EspeakOptions o;
  o.voice = "no-such-voice";
  o.wav_path = wav("x.wav");
  speech::EspeakSpeechAdapter adapter(o);
  const auto end = wait_for_end(*adapter.speak("hi"));
  EXPECT_EQ(end.reason, UtteranceStatus::EndReason::Error);
  EXPECT_NE(end.error.find("no-such-voice"), std::string::npos) << end.error;
}

TEST_F(Speech, WithoutAWorkingOutputTheUtteranceEndsWithAnError) {
  speech::EspeakOptions missing;
  missing.player = {"aui-no-such-audio-player"};
  const auto a = wait_for_end(*speech::EspeakSpeechAdapter(missing).speak("hello"));
  EXPECT_EQ(a.reason, UtteranceStatus::EndReason::Error);
  EXPECT_NE(a.error.find("cannot run"), std::string::npos) << a.error;
  speech::EspeakOptions failing;
  failing.player = {"false"};  // a player that fails at once, like `play` without a sound card
  const auto b = wait_for_end(*speech::EspeakSpeechAdapter(failing).speak("hello"));
  EXPECT_EQ(b.reason, UtteranceStatus::EndReason::Error);
  EXPECT_NE(b.error.find("exit status 1"), std::string::npos) << b.error;
}

TEST_F(Speech, CancelStopsAPlayerThatNeverFinishes) {
  speech::EspeakOptions o;
  o.player = {"sleep", "600"};  // never reads: the pipe fills up and the writer blocks
  speech::EspeakSpeechAdapter adapter(o);
  auto u = adapter.speak(
      "This is a long sentence that makes far more audio than a pipe can hold at once.");
  // Wait until the audio goes to the player, then cancel.
  {
    std::mutex m;
    std::condition_variable cv;
    auto unsubscribe = u->subscribe([&] {
      std::lock_guard lock(m);
      cv.notify_all();
    });
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return u->status().type != UtteranceStatus::Type::Starting; });
    lock.unlock();
    unsubscribe();
  }
  u->cancel();
  EXPECT_EQ(u->status().reason, UtteranceStatus::EndReason::Cancelled);
  u.reset();  // joins the utterance's thread: returns only once the player is gone
}

TEST_F(Speech, ThreadSpeaksAMessageIntoAWav) {
  auto d = std::make_shared<Driver>();
  speech::EspeakOptions o;
  o.wav_path = wav("reply.wav");
  // Forwards to eSpeak and remembers the utterance, so the test can wait for its end.
  struct Recording final : SpeechSynthesisAdapter {
    explicit Recording(speech::EspeakOptions opt) : inner(std::move(opt)) {}
    std::shared_ptr<Utterance> speak(const std::string& text) override {
      return last = inner.speak(text);
    }
    speech::EspeakSpeechAdapter inner;
    std::shared_ptr<Utterance> last;
  };
  auto adapter = std::make_shared<Recording>(o);
  ThreadRuntimeOptions opts;
  opts.chat_model = [](const ChatModelRunOptions&) { return T("The weather is sunny today."); };
  opts.dispatcher = d->dispatcher();
  opts.executor = d->executor();
  opts.adapters.speech = adapter;
  ThreadRuntime thread(std::move(opts));
  thread.append(U("weather?"));
  d->settle();
  thread.speak(thread.messages()[1]->id);
  ASSERT_TRUE(thread.speech().has_value());
  EXPECT_EQ(thread.speech()->message_id, thread.messages()[1]->id);
  wait_for_end(*adapter->last);
  d->settle();
  EXPECT_FALSE(thread.speech().has_value());
  EXPECT_GT(wav_seconds(*o.wav_path), 1.0);
  EXPECT_GT(wav_rms(*o.wav_path), 0.02);
}

}  // namespace
