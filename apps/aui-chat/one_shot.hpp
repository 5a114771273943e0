#pragma once
// aui-chat as a pipe tool: one question (from the command line, with piped stdin as context),
// one reply on stdout, an exit status that says how it ended.
//
//     aui-chat "what is a monad?"
//     git diff | aui-chat -p "review this" > review.md
//     aui-chat --json "hi" | jq .content

#include <iosfwd>
#include <string>

#include "aui/adapters/chat_model_adapter.hpp"
#include "aui/runtime/thread_runtime.hpp"
#include "aui/runtime/tool.hpp"
#include "session_settings.hpp"

namespace aui::chat {

/// What the one-shot question is.
struct OneShot {
  /// The question (the words after the flags, or -p TEXT). Empty: no one-shot.
  std::string question{};
  /// Piped standard input, sent after the question as its context. May be empty.
  std::string context{};
  /// --json: print the final message in assistant-ui's JSON shape instead of its text.
  bool json = false;
  /// Standard output is a terminal: text is shown safely (no escape sequence passes).
  bool out_is_terminal = false;
};

/// How a one-shot ended, as the process's exit status.
enum class OneShotExit : int {
  Complete = 0,
  Failed = 1,        // the reply ended with an error (its message is on stderr)
  NeedsAPerson = 3,  // a tool call waits for an approval or an answer nobody can give here
  Cancelled = 130,   // Ctrl-C (128 + SIGINT, as shells report it)
};

/// The message a one-shot sends: the question, then the piped context after a blank line.
std::string one_shot_message(const OneShot& shot);

/// Runs the one-shot on `thread` (owned by the caller's runtime, whose loop `run_until` drives
/// until the reply ends): the reply's text streams to `out` as it arrives (or, with json, the
/// final message at the end); tool activity, failures and why it stopped go to `err` as
/// sentences. Owner thread only.
OneShotExit run_one_shot(ThreadRuntime& thread, const OneShot& shot, std::ostream& out,
                         std::ostream& err,
                         const std::function<void(const std::function<bool()>&)>& run_until);

}  // namespace aui::chat
