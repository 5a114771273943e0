#pragma once
// Speech synthesis on eSpeak NG (aui::speech): the SpeechSynthesisAdapter of spec §13.2.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aui/adapters/speech_synthesis_adapter.hpp"

namespace aui::speech {

/// Mono 16-bit PCM audio.
struct PcmAudio {
  int sample_rate = 0;
  std::vector<std::int16_t> samples{};
  double seconds() const {
    return sample_rate ? static_cast<double>(samples.size()) / sample_rate : 0.0;
  }
};

struct EspeakOptions {
  /// An eSpeak NG voice name ("en", "en-us", "de", ...).
  std::string voice = "en-us";
  /// Words per minute (80–450).
  int rate_wpm = 175;
  /// When set, each utterance is written to this WAV file instead of being played.
  std::optional<std::string> wav_path{};
  /// The program that plays to the default output: it gets raw signed 16-bit mono samples on
  /// standard input. The default is sox's `play`. A player that is missing or exits with an
  /// error (no sound card) ends the utterance with reason Error; it never hangs the runtime.
  std::vector<std::string> player = {"play",   "-q", "-t", "raw", "-r", "{rate}", "-e",
                                     "signed", "-b", "16", "-c",  "1",  "-"};
};

/// Synthesises `text` into samples (blocking). `cancelled`, when given, is polled during the
/// synthesis and stops it early. Throws InvalidArgument when eSpeak NG cannot start or the voice
/// is unknown. eSpeak NG is process-global, so calls are serialised.
PcmAudio synthesize(const std::string& text, const EspeakOptions& options = {},
                    const std::atomic<bool>* cancelled = nullptr);

/// Writes `audio` as a WAV file (RIFF, PCM 16-bit mono). Throws InvalidArgument when it cannot.
void write_wav(const std::string& path, const PcmAudio& audio);

/// Speaks through eSpeak NG. Each utterance runs on its own thread: synthesis, then the WAV file
/// or the player. cancel() stops the synthesis or kills the player promptly.
class EspeakSpeechAdapter final : public SpeechSynthesisAdapter {
 public:
  explicit EspeakSpeechAdapter(EspeakOptions options = {});
  std::shared_ptr<Utterance> speak(const std::string& text) override;
  const EspeakOptions& options() const noexcept { return options_; }

 private:
  EspeakOptions options_;
};

}  // namespace aui::speech
