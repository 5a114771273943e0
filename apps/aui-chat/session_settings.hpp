#pragma once
// What the user sets for a session — the model, the system prompt, temperature and reply length
// — from the command line and with /model and /system. Every thread's runs carry it, through a
// model context provider each thread registers.

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "aui/runtime/model_context.hpp"
#include "aui/support/owner_thread.hpp"
#include "backend_options.hpp"
#include "session_context.hpp"

namespace aui::chat {

/// /model and /system. Owner thread only; /model's listing runs on a thread of its own and
/// prints through `post` (which must run the task on the owner thread).
class SessionCommands {
 public:
  SessionCommands(SessionSettings& settings, std::ostream& out, std::string current_model,
                  ModelLister list_models, std::function<void(std::function<void()>)> post);

  /// True when `cmd` is one of these commands.
  static bool handles(const std::string& cmd);
  /// Runs it; `done` is called once it has finished printing (at once, or after the listing).
  /// A mistake throws std::runtime_error with a one-line message.
  void run(const std::string& cmd, const std::string& args, const std::function<void()>& done);
  /// The /help lines.
  static const char* help();

 private:
  void show_models(std::vector<std::string> models, const std::string& failure);

  SessionSettings& settings_;
  std::ostream& out_;
  std::string backend_model_;  // what the backend sends when no /model was chosen
  ModelLister list_models_;
  std::function<void(std::function<void()>)> post_;
  Lifetime lifetime_;
};

}  // namespace aui::chat
