// PocketSphinx dictation: a decoder per session on its own thread, fed from a WAV file or from a
// recorder process.

#include "aui/dictation/pocketsphinx_dictation_adapter.hpp"

#include <fcntl.h>
#include <pocketsphinx.h>
#include <signal.h>
#include <spawn.h>
#include <sphinxbase/err.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <system_error>
#include <thread>

#include "aui/support/errors.hpp"

extern char** environ;

namespace aui::dictation {

namespace {

std::uint32_t le(const std::string& b, std::size_t at, int bytes) {
  std::uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<std::size_t>(i)]);
  return v;
}

// One decoder; the library's logging goes nowhere (it would flood the terminal).
class Decoder {
 public:
  explicit Decoder(const PocketsphinxOptions& o) {
    static std::once_flag quiet;
    std::call_once(quiet, [] { err_set_logfp(nullptr); });
    for (const auto* path : {&o.hmm, &o.lm, &o.dict}) {
      if (access(path->c_str(), R_OK) != 0) {
        throw Error(ErrorKind::InvalidArgument,
                    "the speech model \"" + *path + "\" is missing (install pocketsphinx-en-us)");
      }
    }
    config_ = cmd_ln_init(nullptr, ps_args(), TRUE, "-hmm", o.hmm.c_str(), "-lm", o.lm.c_str(),
                          "-dict", o.dict.c_str(), "-logfn", "/dev/null", nullptr);
    if (!config_)
      throw Error(ErrorKind::InvalidArgument, "pocketsphinx rejected its configuration");
    ps_ = ps_init(config_);
    if (!ps_) {
      cmd_ln_free_r(config_);
      throw Error(ErrorKind::InvalidArgument, "pocketsphinx could not load the speech model");
    }
    ps_start_utt(ps_);
  }
  ~Decoder() {
    ps_free(ps_);
    cmd_ln_free_r(config_);
  }
  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;

  void feed(const std::int16_t* samples, std::size_t n) {
    ps_process_raw(ps_, samples, n, FALSE, FALSE);
  }
  bool in_speech() { return ps_get_in_speech(ps_) != 0; }
  std::string hypothesis() {
    const char* h = ps_get_hyp(ps_, nullptr);
    return h ? h : "";
  }
  std::string finish() {
    ps_end_utt(ps_);
    return hypothesis();
  }

 private:
  cmd_ln_t* config_ = nullptr;
  ps_decoder_t* ps_ = nullptr;
};

constexpr std::size_t kStep = 4000;  // a quarter of a second at 16 kHz

}  // namespace

Speech16k read_wav_16k(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(ErrorKind::InvalidArgument,
                "cannot read \"" + path + "\": " + std::strerror(errno));
  std::string b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (b.size() < 12 || b.compare(0, 4, "RIFF") != 0 || b.compare(8, 4, "WAVE") != 0) {
    throw Error(ErrorKind::InvalidArgument, "\"" + path + "\" is not a WAV file");
  }
  int channels = 0, rate = 0, bits = 0, format = 0;
  std::size_t data_at = 0, data_size = 0;
  for (std::size_t at = 12; at + 8 <= b.size();) {
    const std::string id = b.substr(at, 4);
    const std::size_t size = le(b, at + 4, 4);
    if (id == "fmt " && at + 8 + 16 <= b.size()) {
      format = static_cast<int>(le(b, at + 8, 2));
      channels = static_cast<int>(le(b, at + 10, 2));
      rate = static_cast<int>(le(b, at + 12, 4));
      bits = static_cast<int>(le(b, at + 22, 2));
    } else if (id == "data") {
      data_at = at + 8;
      data_size = std::min(size, b.size() - data_at);
      break;
    }
    at += 8 + size + (size & 1);
  }
  if ((format != 1 && format != 0xFFFE) || bits != 16 || channels < 1 || rate <= 0 ||
      data_at == 0) {
    throw Error(ErrorKind::InvalidArgument, "\"" + path + "\" is not a 16-bit PCM WAV file");
  }
  const std::size_t frames = data_size / (2 * static_cast<std::size_t>(channels));
  std::vector<double> mono(frames);
  for (std::size_t f = 0; f < frames; ++f) {
    double sum = 0;
    for (int c = 0; c < channels; ++c) {
      sum += static_cast<std::int16_t>(le(
          b, data_at + (f * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)) * 2,
          2));
    }
    mono[f] = sum / channels;
  }
  Speech16k out;
  if (frames == 0) return out;
  const double ratio = static_cast<double>(rate) / 16000.0;
  const auto n = static_cast<std::size_t>(static_cast<double>(frames) / ratio);
  out.samples.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double pos = static_cast<double>(i) * ratio;
    const auto k = static_cast<std::size_t>(pos);
    const double frac = pos - static_cast<double>(k);
    const double a = mono[k], c = k + 1 < frames ? mono[k + 1] : mono[k];
    out.samples.push_back(
        static_cast<std::int16_t>(std::clamp(a + (c - a) * frac, -32768.0, 32767.0)));
  }
  return out;
}

std::string transcribe(const Speech16k& audio, const PocketsphinxOptions& options) {
  Decoder decoder(options);
  decoder.feed(audio.samples.data(), audio.samples.size());
  return decoder.finish();
}

namespace {

class PocketsphinxSession final : public DictationSession,
                                  public std::enable_shared_from_this<PocketsphinxSession> {
 public:
  explicit PocketsphinxSession(PocketsphinxOptions options) : options_(std::move(options)) {}
  ~PocketsphinxSession() override {
    cancel();
    if (worker_.joinable()) worker_.join();
  }

  void start() {
    worker_ = std::thread([this] { run(); });
  }
  Status status() const override {
    std::lock_guard lock(mutex_);
    return status_;
  }
  void stop() override {
    stop_requested_ = true;
    kill_recorder();
    cv_.notify_all();
  }
  void cancel() override {
    cancelled_ = true;
    stop();
  }
  void on_speech_start(std::function<void()> cb) override { set(start_cb_, std::move(cb)); }
  void on_speech_end(std::function<void(const DictationResult&)> cb) override {
    set(end_cb_, std::move(cb));
  }
  void on_speech(std::function<void(const DictationResult&)> cb) override {
    set(speech_cb_, std::move(cb));
  }
  std::string error() const override {
    std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  template <class F>
  void set(F& slot, F cb) {
    {
      std::lock_guard lock(mutex_);
      slot = std::move(cb);
    }
    cv_.notify_all();
  }
  void kill_recorder() {
    std::lock_guard lock(mutex_);
    if (recorder_ > 0) kill(recorder_, SIGTERM);
  }
  void set_status(Status s) {
    std::lock_guard lock(mutex_);
    status_ = s;
  }
  void emit_start() {
    std::function<void()> cb;
    {
      std::lock_guard lock(mutex_);
      cb = start_cb_;
    }
    if (cb && !cancelled_) cb();
  }
  void emit_speech(const DictationResult& r) {
    std::function<void(const DictationResult&)> cb;
    {
      std::lock_guard lock(mutex_);
      cb = speech_cb_;
    }
    if (cb && !cancelled_) cb(r);
  }
  void emit_end() {
    set_status(Status::Ended);
    std::function<void(const DictationResult&)> cb;
    {
      std::lock_guard lock(mutex_);
      cb = end_cb_;
    }
    if (cb && !cancelled_) cb(DictationResult{"", true});
  }
  void fail(const std::string& message) {
    {
      std::lock_guard lock(mutex_);
      error_ = message;
    }
    emit_end();
  }

  // Feeds one step; reports the start of speech and changed interim transcripts.
  void step(Decoder& decoder, const std::int16_t* samples, std::size_t n, bool& started,
            std::string& shown) {
    decoder.feed(samples, n);
    if (!started) {
      started = true;
      set_status(Status::Running);
      emit_start();
    }
    const std::string hyp = decoder.hypothesis();
    if (hyp != shown) {
      shown = hyp;
      emit_speech(DictationResult{hyp, false});
    }
  }

  void run() {
    {
      // Wait until the callbacks are in place (or the session is given up).
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return (start_cb_ && speech_cb_ && end_cb_) || cancelled_; });
    }
    if (cancelled_) {
      set_status(Status::Ended);
      return;
    }
    try {
      Decoder decoder(options_);
      bool started = false;
      std::string shown;
      if (options_.wav_path) {
        const auto audio = read_wav_16k(*options_.wav_path);
        for (std::size_t at = 0; at < audio.samples.size() && !stop_requested_; at += kStep) {
          step(decoder, audio.samples.data() + at, std::min(kStep, audio.samples.size() - at),
               started, shown);
        }
      } else {
        std::string problem = record(decoder, started, shown);
        if (!problem.empty() && !stop_requested_) {
          fail(problem);
          return;
        }
      }
      const std::string final_text = decoder.finish();
      if (!final_text.empty()) emit_speech(DictationResult{final_text, true});
      emit_end();
    } catch (...) {
      // The sentence without the error kind's name: error() is shown to people.
      fail(describe_exception(std::current_exception()));
    }
  }

  // Runs the recorder and decodes its output until stop(). Returns a problem or "".
  std::string record(Decoder& decoder, bool& started, std::string& shown) {
    std::vector<std::string> args = options_.recorder;
    if (args.empty()) return "no recorder configured";
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
      return std::string("cannot start the recorder: ") + std::strerror(errno);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    const int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull >= 0) {
      posix_spawn_file_actions_adddup2(&actions, devnull, STDIN_FILENO);
      posix_spawn_file_actions_adddup2(&actions, devnull, STDERR_FILENO);
    }
    pid_t pid = -1;
    const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (devnull >= 0) close(devnull);
    close(fds[1]);
    if (spawned != 0) {
      close(fds[0]);
      return "no microphone: cannot run \"" + args[0] + "\" (" + std::strerror(spawned) + ")";
    }
    {
      std::lock_guard lock(mutex_);
      recorder_ = pid;
    }
    if (stop_requested_) kill(pid, SIGTERM);
    std::vector<std::int16_t> buffer(kStep);
    std::size_t filled = 0;  // bytes
    for (;;) {
      auto* bytes = reinterpret_cast<char*>(buffer.data());
      const ssize_t n = read(fds[0], bytes + filled, buffer.size() * 2 - filled);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      filled += static_cast<std::size_t>(n);
      if (filled == buffer.size() * 2) {
        step(decoder, buffer.data(), buffer.size(), started, shown);
        filled = 0;
      }
    }
    if (filled >= 2) step(decoder, buffer.data(), filled / 2, started, shown);
    close(fds[0]);
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    {
      std::lock_guard lock(mutex_);
      recorder_ = -1;
    }
    if (stop_requested_) return {};
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) return {};
    return "no microphone: \"" + args[0] + "\" failed (exit status " +
           std::to_string(WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus)) +
           ")";
  }

  PocketsphinxOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  Status status_ = Status::Starting;
  std::string error_;
  std::function<void()> start_cb_;
  std::function<void(const DictationResult&)> speech_cb_;
  std::function<void(const DictationResult&)> end_cb_;
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> cancelled_{false};
  pid_t recorder_ = -1;
  std::thread worker_;
};

}  // namespace

PocketsphinxDictationAdapter::PocketsphinxDictationAdapter(PocketsphinxOptions options)
    : options_(std::move(options)) {}

std::shared_ptr<DictationSession> PocketsphinxDictationAdapter::listen() {
  auto session = std::make_shared<PocketsphinxSession>(options_);
  session->start();
  return session;
}

namespace {

bool is_file(const std::string& path, bool executable) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  return !executable || ::access(path.c_str(), X_OK) == 0;
}

// A program as posix_spawnp finds it: a name with a slash as it is, else on PATH.
bool program_found(const std::string& program) {
  if (program.find('/') != std::string::npos) return is_file(program, true);
  const char* path = std::getenv("PATH");
  const std::string dirs = path ? path : "";
  for (std::size_t start = 0; start <= dirs.size();) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string dir = end > start ? dirs.substr(start, end - start) : ".";
    if (is_file(dir + "/" + program, true)) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

bool PocketsphinxDictationAdapter::can_listen() const {
  for (const auto* model : {&options_.hmm, &options_.lm, &options_.dict}) {
    std::error_code ec;
    if (!std::filesystem::exists(*model, ec)) return false;
  }
  if (options_.wav_path) return is_file(*options_.wav_path, false);
  return !options_.recorder.empty() && program_found(options_.recorder.front());
}

}  // namespace aui::dictation
