#pragma once
// SpeechSynthesisAdapter (spec §13.2): speaks text.

#include <functional>
#include <memory>
#include <string>

namespace aui {

/// Where an utterance is: starting, running, or ended with a reason (and an error message when
/// the reason is Error).
struct UtteranceStatus {
  enum class Type { Starting, Running, Ended } type = Type::Starting;
  enum class EndReason { Finished, Cancelled, Error } reason = EndReason::Finished;
  std::string error{};
  friend bool operator==(const UtteranceStatus&, const UtteranceStatus&) = default;

  static UtteranceStatus running() { return {Type::Running, EndReason::Finished, {}}; }
  static UtteranceStatus ended(EndReason reason, std::string error = {}) {
    return {Type::Ended, reason, std::move(error)};
  }
};

/// One utterance being spoken (spec §13.2 Utterance). Implementations are thread-safe: status()
/// and cancel() may be called from any thread, and the subscribed callbacks may be called from
/// any thread (the runtime moves them to its owner thread).
class Utterance {
 public:
  virtual ~Utterance() = default;
  virtual UtteranceStatus status() const = 0;
  /// Stops speaking; the status ends with reason Cancelled unless it had already ended.
  virtual void cancel() = 0;
  /// Calls `on_change` whenever the status changes. Returns a function that unsubscribes; after
  /// it returns no new call starts (one already under way may finish).
  virtual std::function<void()> subscribe(std::function<void()> on_change) = 0;
};

/// Turns text into speech. speak() must not block for the length of the speech: it starts the
/// utterance and returns it. A failure to speak (no audio device, say) ends the utterance with
/// reason Error rather than throwing.
class SpeechSynthesisAdapter {
 public:
  virtual ~SpeechSynthesisAdapter() = default;
  virtual std::shared_ptr<Utterance> speak(const std::string& text) = 0;
};

}  // namespace aui
