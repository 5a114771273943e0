#pragma once
// aui-chat's capability commands: /attach, /speak, /stop, /good, /bad, /dictate, and the
// suggestions shown after a reply (/1, /2, /3 send one). Kept apart from chat_app.cpp, which calls
// in through a few hooks.

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "dictation_control.hpp"

namespace aui::chat {

/// What the command line says about the capabilities.
struct CapabilityOptions {
  /// Speak into this WAV file instead of the default output (each /speak overwrites it).
  std::string speech_wav{};
  /// Where /good and /bad are recorded (JSON lines). Default: $XDG_DATA_HOME/aui/feedback.jsonl
  /// or ~/.local/share/aui/feedback.jsonl.
  std::string feedback_file{};
  /// "model" (ask the chat model for follow-up questions after each reply) or "off".
  std::string suggestions = "model";
  /// --dictation: dictate by speaking into the default microphone (sox's `rec`, PocketSphinx).
  bool dictation = false;
  /// --dictation-wav FILE: dictate by transcribing this recording instead of the microphone.
  std::string dictation_wav{};
  /// Where failures that must not interrupt the chat (a follow-up generation that failed) are
  /// written, one line each. Default: $XDG_STATE_HOME/aui/aui-chat.log or
  /// ~/.local/state/aui/aui-chat.log.
  std::string log_file{};
};

/// Appends `line` with a UTC timestamp to `path` (its directory is created); a log that cannot
/// be written is skipped, it never disturbs the chat.
void append_log_line(const std::string& path, const std::string& line);

/// `inner`, except that a failed generation is written to `log` and answers no suggestions
/// instead of failing: the runtime would report it among the chat's lines. An aborted generation
/// still propagates (the runtime drops it quietly).
std::shared_ptr<SuggestionAdapter> quiet_suggestions(std::shared_ptr<SuggestionAdapter> inner,
                                                     std::function<void(const std::string&)> log);

/// Consumes a capability option at argv[i] (and its value, advancing i). Returns false when
/// argv[i] is not one; throws std::invalid_argument with a one-line message for a bad value.
bool parse_capability_arg(int argc, const char* const* argv, int& i, CapabilityOptions& options);

/// The --help lines of the capability options, each with a sentence.
const char* capability_usage();
/// The /help lines of the capability commands.
const char* capability_help();

/// The adapters aui-chat gives its thread: files and images, eSpeak NG speech, PocketSphinx
/// dictation (when the options ask for it), JSON-lines feedback, and follow-up questions from
/// `model` (the chat's own adapter; none after a reply that failed or was cancelled, and a failure
/// goes to the log file, not the transcript).
ThreadAdapters make_chat_adapters(const ChatModelAdapter& model, const CapabilityOptions& options);

/// The capability commands on one thread. Owner thread only.
class CapabilityCommands {
 public:
  CapabilityCommands(ThreadRuntime& thread, std::ostream& out);
  /// Acts on another thread from now on (the chat switched threads); a dictation is cancelled.
  void set_thread(ThreadRuntime& thread);
  /// How to print the input prompt after output that no command waits for (a dictation that
  /// ended by itself).
  void set_prompt(std::function<void()> prompt) { prompt_ = std::move(prompt); }

  /// Runs `cmd` if it is a capability command (the rest of the line in `args`) and returns
  /// true; false when it is not one. A mistake throws std::runtime_error with a one-line message.
  /// `prompt` prints the input prompt (called once, when the command is done: /dictate on a
  /// recording is done when the recording has been transcribed).
  /// `send` sends a message as if typed (used by /1, /2, ...).
  bool command(const std::string& cmd, const std::string& args, const std::function<void()>& prompt,
               const std::function<void(const std::string&)>& send);
  /// Sends `text` through the composer with the attachments added by /attach, if there are
  /// any; returns the send's completion, or nullopt (nothing done) when there are none.
  std::optional<Completion> send_with_attachments(const std::string& text);
  /// Called on every thread change: prints new suggestions once the reply has ended.
  void on_change(bool busy, const std::function<void()>& prompt);

 private:
  Id message_at(const std::string& number, bool assistant_default) const;
  std::string number_of(const Id& id) const;

  void dictate(const std::string& args, const std::function<void()>& done,
               const std::function<void(const std::string&)>& send);
  void on_heard(const std::string& heard);

  ThreadRuntime* thread_;
  std::ostream& out_;
  std::vector<ThreadSuggestion> shown_;  // the suggestions last printed
  DictationControl dictation_;
  std::string dictated_;                  // what the last /dictate heard, until sent
  std::function<void()> dictation_done_;  // ends the /dictate that waits for the session
  std::function<void()> prompt_;
};

}  // namespace aui::chat
