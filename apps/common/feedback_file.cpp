// The apps' feedback file (feedback_file.hpp).

#include "feedback_file.hpp"

#include "paths.hpp"

namespace aui::chat {

std::string default_feedback_file() {
  return xdg_file("XDG_DATA_HOME", ".local/share", "feedback.jsonl", "aui-feedback.jsonl");
}

std::shared_ptr<JsonLinesFeedbackAdapter> make_feedback_adapter(const std::string& path) {
  return std::make_shared<JsonLinesFeedbackAdapter>(path.empty() ? default_feedback_file() : path);
}

}  // namespace aui::chat
