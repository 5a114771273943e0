#pragma once
// What the user sets for a session — the model, the system prompt, temperature and reply length
// — as the model context every run of every thread carries (aui-chat's /model and /system,
// aui-desktop's settings dialog change it).

#include <optional>
#include <string>

#include "aui/runtime/model_context.hpp"
#include "backend_options.hpp"

namespace aui::chat {

struct SessionSettings {
  /// The model sent with every run; empty: the backend's own choice.
  std::string model{};
  std::string system_prompt{};
  std::optional<double> temperature{};
  std::optional<int> max_tokens{};

  /// The settings from the command line.
  static SessionSettings from(const BackendOptions& options);
  /// The model context that carries them (no tools).
  ModelContext context() const;
};

}  // namespace aui::chat
