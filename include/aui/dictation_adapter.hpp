#pragma once
// DictationAdapter (spec §13.3): speech to text into the composer.

#include <functional>
#include <memory>
#include <string>

namespace aui {

struct DictationResult {
  std::string transcript{};
  bool is_final = true;
};

/// A listening session. Callbacks may come from any thread; the runtime moves them to its owner.
class DictationSession {
 public:
  virtual ~DictationSession() = default;
  enum class Status { Starting, Running, Ended };
  virtual Status status() const = 0;
  virtual void stop() = 0;
  virtual void cancel() = 0;
  virtual void on_speech_start(std::function<void()> cb) = 0;
  virtual void on_speech_end(std::function<void(const DictationResult&)> cb) = 0;
  virtual void on_speech(std::function<void(const DictationResult&)> cb) = 0;
};

class DictationAdapter {
 public:
  virtual ~DictationAdapter() = default;
  virtual std::shared_ptr<DictationSession> listen() = 0;
  virtual bool disable_input_during_dictation() const { return false; }
};

}  // namespace aui
