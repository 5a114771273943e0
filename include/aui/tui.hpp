#pragma once
// aui::tui (target aui::tui): the terminal layer a full-screen chat is drawn with. See docs/tui.md.
//
//  * Screen, Canvas     — cells that components draw into (screen.hpp), styles (style.hpp)
//  * text width         — grapheme clusters, display width, cutting and wrapping (text_width.hpp)
//  * sanitize           — the one rule for untrusted text on a terminal (sanitize.hpp)
//  * Renderer           — the diff renderer (renderer.hpp), what the terminal can show
//                         (terminal_caps.hpp)
//  * Terminal           — raw mode, alternate screen, restored on every exit path (terminal.hpp)
//  * InputDecoder       — bytes to keys, text, pastes, mouse and focus (input.hpp)
//  * UiLoop             — the UI thread's loop and the runtime's Dispatcher (event_loop.hpp)
//  * TranscriptView     — a thread's transcript (transcript_view.hpp, transcript_layout.hpp,
//                         height_index.hpp)
//  * components         — Editor and QueuedList (editor.hpp), ChoiceDialog, approval and
//                         confirmation dialogs, HumanToolForm (dialogs.hpp), StatusLine
//                         (status_line.hpp), SuggestionChips (suggestion_chips.hpp), ThreadSidebar
//                         (thread_sidebar.hpp), CommandPalette and HelpOverlay
//                         (command_palette.hpp)

#include "aui/tui/command_palette.hpp"    // IWYU pragma: export
#include "aui/tui/dialogs.hpp"            // IWYU pragma: export
#include "aui/tui/editor.hpp"             // IWYU pragma: export
#include "aui/tui/event_loop.hpp"         // IWYU pragma: export
#include "aui/tui/height_index.hpp"       // IWYU pragma: export
#include "aui/tui/input.hpp"              // IWYU pragma: export
#include "aui/tui/renderer.hpp"           // IWYU pragma: export
#include "aui/tui/sanitize.hpp"           // IWYU pragma: export
#include "aui/tui/screen.hpp"             // IWYU pragma: export
#include "aui/tui/status_line.hpp"        // IWYU pragma: export
#include "aui/tui/style.hpp"              // IWYU pragma: export
#include "aui/tui/suggestion_chips.hpp"   // IWYU pragma: export
#include "aui/tui/terminal.hpp"           // IWYU pragma: export
#include "aui/tui/terminal_caps.hpp"      // IWYU pragma: export
#include "aui/tui/text_width.hpp"         // IWYU pragma: export
#include "aui/tui/thread_sidebar.hpp"     // IWYU pragma: export
#include "aui/tui/transcript_layout.hpp"  // IWYU pragma: export
#include "aui/tui/transcript_view.hpp"    // IWYU pragma: export
