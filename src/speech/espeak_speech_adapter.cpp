// eSpeak NG speech synthesis: samples through the synchronous callback API (no audio device
// needed), then a WAV file or a player process.

#include "aui/speech/espeak_speech_adapter.hpp"

#include <espeak-ng/speak_lib.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>

#include "aui/support/errors.hpp"

extern char** environ;

namespace aui::speech {

namespace {

// eSpeak NG keeps its state in globals: one synthesis at a time in the whole process.
std::mutex& espeak_mutex() {
  static std::mutex m;
  return m;
}

struct SynthTarget {
  std::vector<std::int16_t>* samples;
  const std::atomic<bool>* cancelled;
};

int on_samples(short* wav, int count, espeak_EVENT* events) {
  auto* target = events ? static_cast<SynthTarget*>(events->user_data) : nullptr;
  if (!target) return 0;
  if (target->cancelled && target->cancelled->load()) return 1;  // abort the synthesis
  if (wav && count > 0) target->samples->insert(target->samples->end(), wav, wav + count);
  return 0;
}

int initialise_locked() {
  static int rate = 0;
  if (rate > 0) return rate;
  rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, 0);
  if (rate <= 0) {
    rate = 0;
    throw Error(ErrorKind::InvalidArgument,
                "eSpeak NG could not start (is espeak-ng-data installed?)");
  }
  espeak_SetSynthCallback(on_samples);
  return rate;
}

void put_le(std::string& out, std::uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

}  // namespace

PcmAudio synthesize(const std::string& text, const EspeakOptions& options,
                    const std::atomic<bool>* cancelled) {
  std::lock_guard lock(espeak_mutex());
  PcmAudio audio;
  audio.sample_rate = initialise_locked();
  if (espeak_SetVoiceByName(options.voice.c_str()) != EE_OK) {
    throw Error(ErrorKind::InvalidArgument, "eSpeak NG has no voice \"" + options.voice + "\"");
  }
  espeak_SetParameter(espeakRATE, options.rate_wpm, 0);
  SynthTarget target{&audio.samples, cancelled};
  const auto status = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                   espeakCHARS_UTF8, nullptr, &target);
  if (status != EE_OK)
    throw Error(ErrorKind::InvalidArgument, "eSpeak NG could not synthesise the text");
  espeak_Synchronize();
  return audio;
}

void write_wav(const std::string& path, const PcmAudio& audio) {
  const auto data_bytes = static_cast<std::uint32_t>(audio.samples.size() * 2);
  std::string header = "RIFF";
  put_le(header, 36 + data_bytes, 4);
  header += "WAVEfmt ";
  put_le(header, 16, 4);  // fmt chunk size
  put_le(header, 1, 2);   // PCM
  put_le(header, 1, 2);   // mono
  put_le(header, static_cast<std::uint32_t>(audio.sample_rate), 4);
  put_le(header, static_cast<std::uint32_t>(audio.sample_rate) * 2, 4);  // byte rate
  put_le(header, 2, 2);                                                  // block align
  put_le(header, 16, 2);                                                 // bits per sample
  header += "data";
  put_le(header, data_bytes, 4);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    throw Error(ErrorKind::InvalidArgument,
                "cannot write \"" + path + "\": " + std::strerror(errno));
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  std::string body;
  body.reserve(data_bytes);
  for (auto s : audio.samples) put_le(body, static_cast<std::uint16_t>(s), 2);
  out.write(body.data(), static_cast<std::streamsize>(body.size()));
  if (!out.flush()) throw Error(ErrorKind::InvalidArgument, "cannot write \"" + path + "\"");
}

namespace {

// The shared state of one utterance: the worker thread and the owner both hold it.
struct UtteranceState {
  std::mutex mutex;
  UtteranceStatus status{};
  std::uint64_t next_listener = 0;
  std::vector<std::pair<std::uint64_t, std::function<void()>>> listeners;
  std::atomic<bool> cancelled{false};
  pid_t player = -1;  // under mutex

  void set(UtteranceStatus s) {
    std::vector<std::function<void()>> to_call;
    {
      std::lock_guard lock(mutex);
      if (status.type == UtteranceStatus::Type::Ended || status == s) return;
      status = std::move(s);
      for (auto& [id, f] : listeners) to_call.push_back(f);
    }
    for (auto& f : to_call) f();
  }
};

// Plays samples through the player program; returns an error message or "".
std::string play(UtteranceState& state, const PcmAudio& audio,
                 const std::vector<std::string>& command) {
  std::vector<std::string> args;
  for (const auto& a : command)
    args.push_back(a == "{rate}" ? std::to_string(audio.sample_rate) : a);
  if (args.empty()) return "no audio player configured";
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0)
    return std::string("cannot start the player: ") + std::strerror(errno);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[0], STDIN_FILENO);
  const int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (devnull >= 0) {
    posix_spawn_file_actions_adddup2(&actions, devnull, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, devnull, STDERR_FILENO);
  }
  pid_t pid = -1;
  const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (devnull >= 0) close(devnull);
  close(pipe_fds[0]);
  if (spawned != 0) {
    close(pipe_fds[1]);
    return "no audio output: cannot run \"" + args[0] + "\" (" + std::strerror(spawned) + ")";
  }
  {
    std::lock_guard lock(state.mutex);
    state.player = pid;
  }
  if (state.cancelled.load()) kill(pid, SIGTERM);
  // A player that dies (no sound card) closes its end: the write then fails with EPIPE. SIGPIPE
  // is blocked on this thread meanwhile so it cannot kill the host, and a pending one is dropped.
  sigset_t pipe_signal, old_mask;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, &old_mask);
  const char* data = reinterpret_cast<const char*>(audio.samples.data());
  std::size_t left = audio.samples.size() * sizeof(std::int16_t);
  while (left > 0 && !state.cancelled.load()) {
    const ssize_t n = write(pipe_fds[1], data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  struct timespec zero {};
  while (sigtimedwait(&pipe_signal, nullptr, &zero) > 0) {
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  close(pipe_fds[1]);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  {
    std::lock_guard lock(state.mutex);
    state.player = -1;
  }
  if (state.cancelled.load()) return {};
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) return {};
  return "no audio output: \"" + args[0] + "\" failed (exit status " +
         std::to_string(WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus)) + ")";
}

class EspeakUtterance final : public Utterance {
 public:
  EspeakUtterance(std::string text, EspeakOptions options)
      : state_(std::make_shared<UtteranceState>()) {
    worker_ = std::thread([state = state_, text = std::move(text), options = std::move(options)] {
      try {
        PcmAudio audio = synthesize(text, options, &state->cancelled);
        if (state->cancelled.load()) {
          state->set(UtteranceStatus::ended(UtteranceStatus::EndReason::Cancelled));
          return;
        }
        state->set(UtteranceStatus::running());
        std::string error;
        if (options.wav_path) {
          write_wav(*options.wav_path, audio);
        } else {
          error = play(*state, audio, options.player);
        }
        if (state->cancelled.load()) {
          state->set(UtteranceStatus::ended(UtteranceStatus::EndReason::Cancelled));
        } else if (!error.empty()) {
          state->set(UtteranceStatus::ended(UtteranceStatus::EndReason::Error, error));
        } else {
          state->set(UtteranceStatus::ended(UtteranceStatus::EndReason::Finished));
        }
      } catch (const std::exception& e) {
        state->set(UtteranceStatus::ended(UtteranceStatus::EndReason::Error, e.what()));
      }
    });
  }
  ~EspeakUtterance() override {
    cancel();
    if (worker_.joinable()) worker_.join();
  }
  UtteranceStatus status() const override {
    std::lock_guard lock(state_->mutex);
    return state_->status;
  }
  void cancel() override {
    state_->cancelled.store(true);
    {
      std::lock_guard lock(state_->mutex);
      if (state_->player > 0) kill(state_->player, SIGTERM);
    }
    state_->set(UtteranceStatus::ended(UtteranceStatus::EndReason::Cancelled));
  }
  std::function<void()> subscribe(std::function<void()> on_change) override {
    std::lock_guard lock(state_->mutex);
    const auto id = ++state_->next_listener;
    state_->listeners.emplace_back(id, std::move(on_change));
    std::weak_ptr<UtteranceState> weak = state_;
    return [weak, id] {
      if (auto s = weak.lock()) {
        std::lock_guard inner(s->mutex);
        std::erase_if(s->listeners, [id](const auto& l) { return l.first == id; });
      }
    };
  }

 private:
  std::shared_ptr<UtteranceState> state_;
  std::thread worker_;
};

}  // namespace

EspeakSpeechAdapter::EspeakSpeechAdapter(EspeakOptions options) : options_(std::move(options)) {}

std::shared_ptr<Utterance> EspeakSpeechAdapter::speak(const std::string& text) {
  return std::make_shared<EspeakUtterance>(text, options_);
}

}  // namespace aui::speech
