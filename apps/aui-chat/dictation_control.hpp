#pragma once
// Dictation for aui-chat, shared by both modes: a session on the thread composer's dictation API
// (spec §13.3) whose words are handed over when it ends, to be put where the user types (the
// full-screen editor) or kept until the user sends them (the line mode's /dictate).
//
// The composer's own text is used only while a session is open: it starts empty, so what it holds
// is exactly what was heard. What the user types meanwhile stays in the app's editor and is never
// re-based into the transcript (typing between two interim results would otherwise repeat them).

#include <functional>
#include <optional>
#include <string>

#include "aui/runtime/thread_runtime.hpp"

namespace aui::chat {

/// One dictation at a time on the thread shown. Owner thread only.
class DictationControl {
 public:
  /// `on_change` runs after every change of the session (started, an interim result, ended).
  /// `on_heard` runs once per session when it ends, with what was heard ("" when nothing was).
  DictationControl(ThreadRuntime& thread, std::function<void()> on_change,
                   std::function<void(const std::string&)> on_heard);
  ~DictationControl();
  DictationControl(const DictationControl&) = delete;
  DictationControl& operator=(const DictationControl&) = delete;

  /// Follows another thread (the chat switched); an open session is cancelled, its words lost.
  void set_thread(ThreadRuntime& thread);

  /// Whether this chat can dictate at all (a dictation adapter was given to its threads).
  bool available() const;
  /// The recording transcribed instead of the microphone (--dictation-wav), or nullopt.
  std::optional<std::string> recording() const;
  /// Starts listening. Throws std::runtime_error with a sentence for a person when dictation is
  /// not available or cannot start.
  void start();
  /// Asks the session to finish; its last words arrive through on_heard.
  void stop();
  /// Ends the session at once; nothing is handed over.
  void cancel();
  /// A session is open (starting or listening).
  bool listening() const noexcept { return listening_; }
  /// What has been heard so far in the open session, the interim part included ("" when none).
  std::string heard_so_far() const;

 private:
  void subscribe();
  void on_composer_change();

  ThreadRuntime* thread_;
  std::function<void()> on_change_;
  std::function<void(const std::string&)> on_heard_;
  Subscription subscription_;
  bool listening_ = false;
};

/// The sentence to show for a runtime error, when it is a dictation failure (no microphone, no
/// speech model, an unreadable recording); nullopt for any other error.
std::optional<std::string> dictation_failure_text(const std::string& message);

/// What to insert for dictated words after the text `before` (what precedes the cursor): the
/// words, with a space first unless `before` is empty or ends with white space.
std::string dictated_insertion(const std::string& before, const std::string& heard);

}  // namespace aui::chat
