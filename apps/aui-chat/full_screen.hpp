#pragma once
// aui-chat --full-screen: the chat on aui::tui's components — the transcript on top, the editor
// below it, a status line at the bottom — with the UI loop as the runtime's dispatcher (the UI
// thread is the runtime's owner thread; workers never draw).

#include "chat_app.hpp"

namespace aui::chat {

/// Runs the full-screen chat on the terminal (stdin/stdout) until the user quits, then restores
/// the terminal. Returns the exit status (1 when the terminal cannot be used, with the reason on
/// stderr). SIGINT should be blocked: in raw mode Ctrl-C arrives as a key.
int run_full_screen(const ChatOptions& options, ChosenAdapter chosen);

}  // namespace aui::chat
