// aui-chat's capability commands and adapters.

#include "capability_commands.hpp"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <stdexcept>
#include <utility>

#include "aui/adapters/model_suggestion_adapter.hpp"
#include "feedback_file.hpp"
#include "paths.hpp"
#include "terminal_text.hpp"
#include "user_errors.hpp"
#if AUI_CHAT_WITH_ATTACHMENTS
#include "aui/attachments/file_attachments.hpp"
#endif
#if AUI_CHAT_WITH_SPEECH
#include "aui/speech/espeak_speech_adapter.hpp"
#endif
#if AUI_CHAT_WITH_DICTATION
#include "aui/dictation/pocketsphinx_dictation_adapter.hpp"
#endif

namespace aui::chat {

namespace {

// Untrusted text (a file name, an error, a suggestion) on one line, cut at a character boundary.
std::string safe(const std::string& text, std::size_t max = 70) {
  return sanitize_terminal_text(one_line(text, max), true).text;
}

std::string trimmed(const std::string& s) {
  const auto a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return {};
  const auto b = s.find_last_not_of(" \t");
  return s.substr(a, b - a + 1);
}

std::string default_log_file() {
  return xdg_file("XDG_STATE_HOME", ".local/state", "aui-chat.log", "aui-chat.log");
}

class QuietSuggestions final : public SuggestionAdapter {
 public:
  QuietSuggestions(std::shared_ptr<SuggestionAdapter> inner,
                   std::function<void(const std::string&)> log)
      : inner_(std::move(inner)), log_(std::move(log)) {}
  std::vector<ThreadSuggestion> generate(
      const MessageList& messages, std::stop_token stop,
      const std::function<void(std::vector<ThreadSuggestion>)>& deliver) override {
    try {
      return inner_->generate(messages, stop, deliver);
    } catch (const std::exception& e) {
      if (stop.stop_requested()) throw;
      if (log_) log_(std::string("follow-up suggestions failed: ") + e.what());
      return {};
    }
  }

 private:
  std::shared_ptr<SuggestionAdapter> inner_;
  std::function<void(const std::string&)> log_;
};

}  // namespace

void append_log_line(const std::string& path, const std::string& line) {
  std::error_code ec;
  const std::filesystem::path p(path);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  std::ofstream out(p, std::ios::app);
  if (!out) return;
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  out << stamp << ' ' << line << '\n';
}

std::shared_ptr<SuggestionAdapter> quiet_suggestions(std::shared_ptr<SuggestionAdapter> inner,
                                                     std::function<void(const std::string&)> log) {
  return std::make_shared<QuietSuggestions>(std::move(inner), std::move(log));
}

bool parse_capability_arg(int argc, const char* const* argv, int& i, CapabilityOptions& options) {
  const std::string arg = argv[i];
  auto value = [&]() -> std::string {
    if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
    return argv[++i];
  };
  if (arg == "--speech-wav") {
    options.speech_wav = expand_user_path(value());
  } else if (arg == "--feedback-file") {
    options.feedback_file = expand_user_path(value());
  } else if (arg == "--dictation" || arg == "--dictation-wav") {
#if AUI_CHAT_WITH_DICTATION
    if (arg == "--dictation") {
      options.dictation = true;
    } else {
      options.dictation_wav = expand_user_path(value());
    }
#else
    throw std::invalid_argument(arg +
                                ": this aui-chat was built without dictation (it needs CMU "
                                "PocketSphinx)");
#endif
  } else if (arg == "--suggestions") {
    options.suggestions = value();
    if (options.suggestions != "model" && options.suggestions != "off") {
      throw std::invalid_argument("--suggestions takes model or off");
    }
  } else {
    return false;
  }
  return true;
}

const char* capability_usage() {
  return "  --speech-wav FILE      speak into FILE (a WAV file, overwritten each time) instead of "
         "the\n"
         "                         speakers\n"
         "  --feedback-file FILE   record /good and /bad in FILE (JSON lines; default:\n"
         "                         $XDG_DATA_HOME/aui/feedback.jsonl)\n"
         "  --suggestions model|off  after each reply, ask the model for follow-up questions "
         "(model, the\n"
         "                         default) or not (off)\n"
         "  --dictation            dictate by speaking into the microphone (sox's rec, offline\n"
         "                         PocketSphinx): Ctrl-R in the full-screen chat, /dictate in "
         "lines\n"
         "  --dictation-wav FILE   dictate from a recording instead: FILE (a 16-bit WAV file) is\n"
         "                         transcribed into the editor, for tests or without a "
         "microphone\n";
}

const char* capability_help() {
  return "  /attach PATH           attach a text/code file or an image to your next message\n"
         "  /speak [N]             read message N (default: the last reply) aloud; /stop stops it\n"
         "  /good [N] [comment], /bad [N] [comment]\n"
         "                         rate reply N (default: the last), with an optional comment\n"
         "  /1, /2, /3             send the suggestion with that number (listed after a reply)\n"
         "  /dictate               start or stop dictation (--dictation, --dictation-wav); the\n"
         "                         words heard are shown, /dictate send sends them\n";
}

ThreadAdapters make_chat_adapters(const ChatModelAdapter& model, const CapabilityOptions& options) {
  ThreadAdapters a;
#if AUI_CHAT_WITH_ATTACHMENTS
  a.attachments = attachments::make_default_attachment_adapter();
#endif
#if AUI_CHAT_WITH_SPEECH
  speech::EspeakOptions speech_options;
  if (!options.speech_wav.empty()) speech_options.wav_path = options.speech_wav;
  a.speech = std::make_shared<speech::EspeakSpeechAdapter>(speech_options);
#endif
#if AUI_CHAT_WITH_DICTATION
  if (options.dictation || !options.dictation_wav.empty()) {
    dictation::PocketsphinxOptions dictation_options;
    if (!options.dictation_wav.empty()) dictation_options.wav_path = options.dictation_wav;
    a.dictation = std::make_shared<dictation::PocketsphinxDictationAdapter>(dictation_options);
  }
#endif
  a.feedback = make_feedback_adapter(options.feedback_file);
  if (options.suggestions == "model" && model) {
    const std::string log = options.log_file.empty() ? default_log_file() : options.log_file;
    a.suggestion =
        quiet_suggestions(std::make_shared<ModelSuggestionAdapter>(model),
                          [log](const std::string& line) { append_log_line(log, line); });
  }
  return a;
}

CapabilityCommands::CapabilityCommands(ThreadRuntime& thread, std::ostream& out)
    : thread_(&thread),
      out_(out),
      dictation_(
          thread, [] {}, [this](const std::string& heard) { on_heard(heard); }) {}

void CapabilityCommands::set_thread(ThreadRuntime& thread) {
  thread_ = &thread;
  shown_.clear();
  dictation_.set_thread(thread);
  dictated_.clear();
  if (auto done = std::exchange(dictation_done_, {})) done();
}

Id CapabilityCommands::message_at(const std::string& number, bool assistant_default) const {
  const auto& messages = thread_->messages();
  if (number.empty()) {
    for (std::size_t i = messages.size(); i-- > 0;) {
      if (!assistant_default || messages[i]->role == Role::Assistant) return messages[i]->id;
    }
    throw std::runtime_error("there is no reply yet");
  }
  char* end = nullptr;
  const long n = std::strtol(number.c_str(), &end, 10);
  if (*end != '\0' || n < 1 || static_cast<std::size_t>(n) > messages.size()) {
    throw std::runtime_error(messages.empty()
                                 ? "there are no messages yet"
                                 : "no message " + number + " (1 to " +
                                       std::to_string(messages.size()) + ", see /history)");
  }
  return messages[static_cast<std::size_t>(n - 1)]->id;
}

std::string CapabilityCommands::number_of(const Id& id) const {
  const auto& messages = thread_->messages();
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (messages[i]->id == id) return std::to_string(i + 1);
  }
  return "?";
}

bool CapabilityCommands::command(const std::string& cmd, const std::string& raw_args,
                                 const std::function<void()>& prompt,
                                 const std::function<void(const std::string&)>& send) {
  const std::string args = trimmed(raw_args);
  if (cmd == "/attach") {
    if (args.empty()) throw std::runtime_error("usage: /attach PATH");
    if (!thread_->capabilities().attachments)
      throw std::runtime_error("attachments are not available in this build");
#if AUI_CHAT_WITH_ATTACHMENTS
    const auto file = attachments::host_file_from_path(expand_user_path(args));
    const std::string name = file.name;
    thread_->composer().add_attachment(file).then([this, name, prompt](std::exception_ptr error) {
      if (error) {
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          out_ << "error: " << safe(user_error_text(e), 300) << '\n';
        }
      } else {
        out_ << "attached " << safe(name) << " (" << thread_->composer().attachments().size()
             << " waiting; they go with your next message)\n";
      }
      prompt();
    });
#endif
    return true;
  }
  if (cmd == "/speak") {
    const Id id = message_at(args, true);
    thread_->speak(id);
    out_ << "speaking message " << number_of(id) << " (/stop to stop)\n";
    prompt();
    return true;
  }
  if (cmd == "/stop") {
    thread_->stop_speaking();
    out_ << "stopped speaking\n";
    prompt();
    return true;
  }
  if (cmd == "/good" || cmd == "/bad") {
    // /good [N] [comment]: a leading number picks the message, the rest is the comment.
    std::string number;
    std::string comment = args;
    if (const auto end = args.find_first_of(" \t");
        !args.empty() && args.find_first_not_of("0123456789") != 0) {
      number = args.substr(0, end);
      comment = end == std::string::npos ? std::string() : trimmed(args.substr(end));
    }
    const Id id = message_at(number, true);
    for (const auto& m : thread_->messages()) {
      if (m->id == id && m->role != Role::Assistant) {
        throw std::runtime_error("message " + number_of(id) +
                                 " is not a reply; feedback is for the assistant's replies");
      }
    }
    const auto type = cmd == "/good" ? FeedbackType::Positive : FeedbackType::Negative;
    thread_->submit_feedback(id, type,
                             comment.empty() ? std::nullopt : std::optional<std::string>(comment));
    out_ << "recorded " << (type == FeedbackType::Positive ? "positive" : "negative")
         << " feedback on message " << number_of(id)
         << (comment.empty() ? "" : ", with your comment") << '\n';
    prompt();
    return true;
  }
  if (cmd == "/dictate") {
    dictate(args, prompt, send);
    return true;
  }
  if (cmd.size() >= 2 && cmd[0] == '/' &&
      cmd.find_first_not_of("0123456789", 1) == std::string::npos) {
    const auto& list = shown_;
    const long n = std::strtol(cmd.c_str() + 1, nullptr, 10);
    if (list.empty()) throw std::runtime_error("there are no suggestions right now");
    if (n < 1 || static_cast<std::size_t>(n) > list.size()) {
      throw std::runtime_error("no suggestion " + cmd.substr(1) + " (/1 to /" +
                               std::to_string(list.size()) + ")");
    }
    const std::string text = list[static_cast<std::size_t>(n - 1)].prompt;
    out_ << safe(text, 300) << '\n';
    send(text);
    return true;
  }
  return false;
}

// /dictate starts or stops listening; /dictate send sends what was heard. From the microphone
// the command is done at once (the user types /dictate again to stop); from a recording it is
// done when the recording has been transcribed, so lines typed or piped after it wait for it.
void CapabilityCommands::dictate(const std::string& args, const std::function<void()>& done,
                                 const std::function<void(const std::string&)>& send) {
  if (args == "send") {
    if (dictation_.listening())
      throw std::runtime_error("dictation is still listening; /dictate stops it first");
    if (dictated_.empty())
      throw std::runtime_error("nothing has been dictated yet; /dictate starts listening");
    const std::string text = std::exchange(dictated_, {});
    out_ << safe(text, 300) << '\n';
    send(text);
    done();
    return;
  }
  if (!args.empty()) {
    throw std::runtime_error(
        "/dictate starts or stops listening, and /dictate send sends what it heard");
  }
  if (dictation_.listening()) {
    dictation_done_ = done;  // once the last words are in
    dictation_.stop();
    return;
  }
  dictation_.start();  // a sentence for the user when it cannot
  if (const auto file = dictation_.recording()) {
    out_ << "transcribing " << safe(*file) << "…\n";
    dictation_done_ = done;
  } else {
    out_ << "listening to the microphone: speak, then type /dictate to stop\n";
    done();
  }
}

void CapabilityCommands::on_heard(const std::string& heard) {
  if (heard.empty()) {
    out_ << "nothing was heard\n";
  } else {
    dictated_ += dictated_insertion(dictated_, heard);
    out_ << "heard: " << safe(dictated_, 300)
         << "\n  (/dictate send sends it; /dictate adds more)\n";
  }
  if (auto done = std::exchange(dictation_done_, {})) {
    done();
  } else if (prompt_) {
    prompt_();
  }
}

std::optional<Completion> CapabilityCommands::send_with_attachments(const std::string& text) {
  auto& composer = thread_->composer();
  if (composer.attachments().empty()) return std::nullopt;
  const auto count = composer.attachments().size();
  composer.set_text(text);
  Completion sent = composer.send();
  sent.then([this](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      out_ << "error: sending the attachments failed: " << safe(user_error_text(e), 300) << '\n';
    }
  });
  out_ << "  (with " << count << (count == 1 ? " attachment" : " attachments") << ")\n";
  return sent;
}

void CapabilityCommands::on_change(bool busy, const std::function<void()>& prompt) {
  const auto& now = thread_->suggestions();
  if (now.empty()) {
    shown_.clear();
    return;
  }
  if (busy || now == shown_) return;
  shown_ = now;
  out_ << "\nsuggestions:";
  for (std::size_t i = 0; i < now.size(); ++i)
    out_ << "\n  /" << (i + 1) << "  " << safe(now[i].prompt);
  out_ << '\n';
  prompt();
}

}  // namespace aui::chat
