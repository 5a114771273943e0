#pragma once
// DictationAdapter (spec §13.3): speech to text into the composer.

#include <functional>
#include <memory>
#include <string>

namespace aui {

/// One recognised piece of speech. Interim results (is_final false) are replaced by the next
/// result; a final one is committed into the composer's text.
struct DictationResult {
  std::string transcript{};
  bool is_final = true;
  friend bool operator==(const DictationResult&, const DictationResult&) = default;
};

/// A listening session (spec §13.3 Session). Implementations are thread-safe; callbacks may come
/// from any thread (the composer moves them to its owner thread). Register the callbacks before
/// the session can produce events: listen() returns a session that has not called any yet, and
/// events are only delivered to callbacks registered at that time or later.
class DictationSession {
 public:
  virtual ~DictationSession() = default;
  enum class Status { Starting, Running, Ended };
  virtual Status status() const = 0;
  /// Asks the session to finish: it reports what it heard (a final on_speech) and then
  /// on_speech_end, and its status becomes Ended. Returns at once (the spec's stop() is async;
  /// its settling is on_speech_end).
  virtual void stop() = 0;
  /// Ends the session at once; no further events.
  virtual void cancel() = 0;
  virtual void on_speech_start(std::function<void()> cb) = 0;
  /// Called once when the session ends by itself or after stop(), with the final result.
  virtual void on_speech_end(std::function<void(const DictationResult&)> cb) = 0;
  virtual void on_speech(std::function<void(const DictationResult&)> cb) = 0;
  /// Why the session ended early (no microphone, no model, an unreadable file); empty when it
  /// did not fail. The composer reports it through the thread's error channel.
  virtual std::string error() const { return {}; }
};

class DictationAdapter {
 public:
  virtual ~DictationAdapter() = default;
  /// Starts listening. Throws when no session can start (no input, no model).
  virtual std::shared_ptr<DictationSession> listen() = 0;
  /// disableInputDuringDictation: the composer reports input as disabled while dictating.
  virtual bool disable_input_during_dictation() const { return false; }
};

}  // namespace aui
