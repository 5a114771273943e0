#pragma once
// Paths the user types: "~" and "~/..." mean the home directory, as in a shell.

#include <string>
#include <string_view>
#include <vector>

namespace aui::chat {

/// `path` with a leading "~" or "~/" replaced by $HOME (unchanged when HOME is unset, or for
/// "~user" forms, which a shell would expand before aui-chat sees them).
std::string expand_user_path(const std::string& path);

/// Where aui keeps its file `name` in an XDG base directory: "$VARIABLE/aui/NAME" when the
/// environment variable `variable` (e.g. "XDG_DATA_HOME") is set, else
/// "$HOME/HOME_DEFAULT/aui/NAME" (e.g. ".local/share"), else `fallback` (no home: the working
/// directory).
std::string xdg_file(const char* variable, const char* home_default, const std::string& name,
                     const std::string& fallback);

/// Writes `text` to `path` (replacing it). Throws std::runtime_error with a sentence naming the
/// file and the system's reason ("cannot write /x/y.json: No such file or directory").
void write_text_file(const std::string& path, const std::string& text);

/// What Tab completes a typed path to.
struct PathCompletion {
  /// The typed path made as long as the matches allow (unchanged when nothing matches); a single
  /// directory match ends in "/". The "~" the user typed stays as typed.
  std::string completed;
  /// The names that match when there are several (directories end in "/"), sorted; empty when
  /// one or none matched.
  std::vector<std::string> candidates;
  /// How many names matched.
  std::size_t matches = 0;
};

/// Completes `typed` against the files of its directory (the working directory when it names
/// none), as a shell's Tab does. Hidden files match only a name that starts with ".". A directory
/// that cannot be read completes nothing.
PathCompletion complete_path(std::string_view typed);

}  // namespace aui::chat
