// aui-chat's dictation: the composer's session, its words handed to the app when it ends, and
// its failures worded for a person.

#include "dictation_control.hpp"

#include <stdexcept>
#include <string>
#include <utility>

#include "user_errors.hpp"
#if AUI_CHAT_WITH_DICTATION
#include "aui/dictation/pocketsphinx_dictation_adapter.hpp"
#endif

namespace aui::chat {

namespace {

std::string trimmed(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\n");
  if (a == std::string::npos) return {};
  const auto b = s.find_last_not_of(" \t\n");
  return s.substr(a, b - a + 1);
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

// The composer reports a session's failure as "dictation failed: " and the adapter's reason.
constexpr const char* kFailed = "dictation failed: ";

}  // namespace

DictationControl::DictationControl(ThreadRuntime& thread, std::function<void()> on_change,
                                   std::function<void(const std::string&)> on_heard)
    : thread_(&thread), on_change_(std::move(on_change)), on_heard_(std::move(on_heard)) {
  subscribe();
}

DictationControl::~DictationControl() {
  // A recorder left running would keep the microphone open after the chat has gone.
  if (listening_) cancel();
}

void DictationControl::set_thread(ThreadRuntime& thread) {
  if (&thread == thread_) return;
  cancel();
  thread_ = &thread;
  subscribe();
}

void DictationControl::subscribe() {
  subscription_ = thread_->composer().subscribe([this] { on_composer_change(); });
}

bool DictationControl::available() const { return thread_->capabilities().dictation; }

std::optional<std::string> DictationControl::recording() const {
#if AUI_CHAT_WITH_DICTATION
  const auto* adapter = dynamic_cast<const dictation::PocketsphinxDictationAdapter*>(
      thread_->adapters().dictation.get());
  if (adapter) return adapter->options().wav_path;
#endif
  return std::nullopt;
}

void DictationControl::start() {
  if (listening_) return;
  if (!available()) {
#if AUI_CHAT_WITH_DICTATION
    throw std::runtime_error(
        "Dictation is off: start aui-chat with --dictation to speak into the microphone, or with "
        "--dictation-wav FILE to transcribe a recording.");
#else
    throw std::runtime_error(
        "This aui-chat was built without dictation (it needs CMU PocketSphinx).");
#endif
  }
  auto& composer = thread_->composer();
  // Empty, so that what the composer holds while the session is open is what was heard.
  composer.set_text("");
  try {
    composer.start_dictation();
  } catch (const std::exception& e) {
    throw std::runtime_error("Dictation could not start: " + user_error_text(e));
  }
  listening_ = true;
  if (on_change_) on_change_();
}

void DictationControl::stop() {
  if (!listening_) return;
  // The session reports its last words, then ends: on_composer_change hands them over.
  thread_->composer().stop_dictation().then([](std::exception_ptr) {});
}

void DictationControl::cancel() {
  if (!listening_) return;
  listening_ = false;  // first: the change the cancel causes hands nothing over
  auto& composer = thread_->composer();
  composer.cancel_dictation();
  composer.set_text("");
  if (on_change_) on_change_();
}

std::string DictationControl::heard_so_far() const {
  return listening_ ? trimmed(thread_->composer().text()) : std::string();
}

void DictationControl::on_composer_change() {
  if (!listening_) return;
  auto& composer = thread_->composer();
  if (composer.dictation()) {
    if (on_change_) on_change_();
    return;
  }
  // The session ended (stopped, the recording's end, or a failure the runtime reported).
  listening_ = false;
  const std::string heard = trimmed(composer.text());
  composer.set_text("");
  if (on_change_) on_change_();
  if (on_heard_) on_heard_(heard);
}

std::optional<std::string> dictation_failure_text(const std::string& message) {
  if (!starts_with(message, kFailed)) return std::nullopt;
  const std::string reason = trimmed(message.substr(std::char_traits<char>::length(kFailed)));
  if (starts_with(reason, "no microphone")) {
    std::string detail = reason.substr(std::char_traits<char>::length("no microphone"));
    if (starts_with(detail, ": ")) detail.erase(0, 2);
    // First what the user must know, then why: the status line cuts what does not fit.
    return "No microphone could be opened for dictation" +
           (detail.empty() ? std::string() : ": " + detail) +
           ". Try --dictation-wav FILE to transcribe a recording.";
  }
  if (starts_with(reason, "no recorder")) {
    return std::string("Dictation stopped: no program to record with is set up.");
  }
  if (reason.find("speech model") != std::string::npos &&
      reason.find("is missing") != std::string::npos) {
    return std::string(
        "Dictation needs PocketSphinx's English speech model: install the pocketsphinx-en-us "
        "package.");
  }
  if (reason.find("speech model") != std::string::npos ||
      reason.find("configuration") != std::string::npos) {
    return "Dictation could not load its speech model (" + reason + ").";
  }
  if (starts_with(reason, "cannot read ")) {
    return "Dictation could not read the recording " +
           reason.substr(std::char_traits<char>::length("cannot read ")) + ".";
  }
  if (reason.find("WAV file") != std::string::npos) {
    return "Dictation needs a 16-bit PCM WAV recording: " + reason + ".";
  }
  return "Dictation stopped: " + reason + ".";
}

std::string dictated_insertion(const std::string& before, const std::string& heard) {
  if (heard.empty() || before.empty()) return heard;
  const char last = before.back();
  return (last == ' ' || last == '\n' || last == '\t' ? "" : " ") + heard;
}

}  // namespace aui::chat
