// The session's settings as a model context (session_context.hpp).

#include "session_context.hpp"

namespace aui::chat {

SessionSettings SessionSettings::from(const BackendOptions& options) {
  SessionSettings s;
  s.system_prompt = options.system_prompt;
  s.temperature = options.temperature;
  s.max_tokens = options.max_tokens;
  return s;
}

ModelContext SessionSettings::context() const {
  ModelContext c;
  c.system = system_prompt;
  if (!model.empty()) c.config.model_name = model;
  c.call_settings.temperature = temperature;
  c.call_settings.max_tokens = max_tokens;
  return c;
}

}  // namespace aui::chat
