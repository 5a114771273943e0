#pragma once
// SpeechSynthesisAdapter (spec §13.2): speaks text.

#include <functional>
#include <memory>
#include <string>

namespace aui {

struct UtteranceStatus {
  enum class Type { Starting, Running, Ended } type = Type::Starting;
  enum class EndReason { Finished, Cancelled, Error } reason = EndReason::Finished;
  std::string error{};
  friend bool operator==(const UtteranceStatus&, const UtteranceStatus&) = default;
};

/// One utterance being spoken. Its callbacks may be called from any thread; the runtime moves
/// them to its owner thread.
class Utterance {
 public:
  virtual ~Utterance() = default;
  virtual UtteranceStatus status() const = 0;
  virtual void cancel() = 0;
  /// Calls `on_change` whenever the status changes. Returns a function that unsubscribes.
  virtual std::function<void()> subscribe(std::function<void()> on_change) = 0;
};

class SpeechSynthesisAdapter {
 public:
  virtual ~SpeechSynthesisAdapter() = default;
  virtual std::shared_ptr<Utterance> speak(const std::string& text) = 0;
};

}  // namespace aui
