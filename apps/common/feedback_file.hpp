#pragma once
// Where the apps record the user's feedback on replies (thumbs up/down, /good and /bad): one JSON
// object per line (aui's JsonLinesFeedbackAdapter). Shared by aui-chat and aui-desktop, so both
// write to the same file by default.

#include <memory>
#include <string>

#include "aui/adapters/json_lines_feedback.hpp"

namespace aui::chat {

/// $XDG_DATA_HOME/aui/feedback.jsonl, else ~/.local/share/aui/feedback.jsonl, else
/// aui-feedback.jsonl in the working directory.
std::string default_feedback_file();

/// The feedback adapter writing to `path` ("" = default_feedback_file()). The file and its
/// directory are made on the first feedback; a file that cannot be written makes that feedback
/// fail with a sentence naming it.
std::shared_ptr<JsonLinesFeedbackAdapter> make_feedback_adapter(const std::string& path);

}  // namespace aui::chat
