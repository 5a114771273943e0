#pragma once
// Offline dictation on CMU PocketSphinx (aui::dictation): the DictationAdapter of spec §13.3,
// listening to a WAV file or to the microphone.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "aui/adapters/dictation_adapter.hpp"

namespace aui::dictation {

struct PocketsphinxOptions {
  /// The acoustic model, language model and dictionary (Debian's pocketsphinx-en-us).
  std::string hmm = "/usr/share/pocketsphinx/model/en-us/en-us";
  std::string lm = "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";
  std::string dict = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict";
  /// When set, sessions transcribe this WAV file (16-bit PCM, any rate, mono or stereo) instead of
  /// the microphone, and end by themselves at its end.
  std::optional<std::string> wav_path{};
  /// The program that records from the default input: it writes raw signed 16-bit mono samples
  /// at 16 kHz to standard output. The default is sox's `rec`. A recorder that is missing or
  /// fails (no microphone) ends the session with error() set.
  std::vector<std::string> recorder = {"rec",    "-q", "-t", "raw", "-r", "16000", "-e",
                                       "signed", "-b", "16", "-c",  "1",  "-"};
};

/// Mono 16-bit samples at 16 kHz, what the recogniser takes.
struct Speech16k {
  std::vector<std::int16_t> samples{};
};

/// Reads a 16-bit PCM WAV file and converts it to mono 16 kHz (channels averaged, linear
/// resampling). Throws InvalidArgument naming the file when it is missing or not such a WAV.
Speech16k read_wav_16k(const std::string& path);

/// Transcribes 16 kHz samples in one go (blocking). Throws InvalidArgument when the model cannot
/// be loaded.
std::string transcribe(const Speech16k& audio, const PocketsphinxOptions& options = {});

/// Each listen() opens a session on its own thread: it loads the model, then decodes the file or
/// the recorder's output in quarter-second steps, reporting interim transcripts (is_final false)
/// as they change. stop() (or the end of the file) reports the final transcript, then
/// on_speech_end. Decoding starts once all three callbacks are registered (the composer does so
/// right after listen()), so no event is lost.
class PocketsphinxDictationAdapter final : public DictationAdapter {
 public:
  explicit PocketsphinxDictationAdapter(PocketsphinxOptions options = {});
  std::shared_ptr<DictationSession> listen() override;
  const PocketsphinxOptions& options() const noexcept { return options_; }
  /// Whether a session has something to hear: the model's files exist, and the WAV file exists
  /// or (without one) the recorder program is found (a path, or a name on PATH). When false,
  /// every session would end at once with an error: a UI offers no microphone then. It cannot
  /// tell whether a microphone is plugged in.
  bool can_listen() const;

 private:
  PocketsphinxOptions options_;
};

}  // namespace aui::dictation
