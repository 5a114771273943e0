// The apps' feedback file (feedback_file.hpp).

#include "feedback_file.hpp"

#include <cstdlib>

namespace aui::chat {

std::string default_feedback_file() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::string(xdg) + "/aui/feedback.jsonl";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.local/share/aui/feedback.jsonl";
  return "aui-feedback.jsonl";
}

std::shared_ptr<JsonLinesFeedbackAdapter> make_feedback_adapter(const std::string& path) {
  return std::make_shared<JsonLinesFeedbackAdapter>(path.empty() ? default_feedback_file() : path);
}

}  // namespace aui::chat
