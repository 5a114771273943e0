#pragma once
// Paths the user types: "~" and "~/..." mean the home directory, as in a shell.

#include <string>

namespace aui::chat {

/// `path` with a leading "~" or "~/" replaced by $HOME (unchanged when HOME is unset, or for
/// "~user" forms, which a shell would expand before aui-chat sees them).
std::string expand_user_path(const std::string& path);

/// Writes `text` to `path` (replacing it). Throws std::runtime_error with a sentence naming the
/// file and the system's reason ("cannot write /x/y.json: No such file or directory").
void write_text_file(const std::string& path, const std::string& text);

}  // namespace aui::chat
