#pragma once
// Making the text of a Markdown document safe to show (private to aui::tui).

#include <string>
#include <string_view>

namespace aui::tui {

/// Inline text: controls, escape sequences and bidi controls shown visibly; a newline or tab
/// becomes a space (inline text is rewrapped anyway).
std::string display_safe_line(std::string_view text);

/// Verbatim text (code, HTML blocks): as display_safe_line, but newlines and tabs are kept (the
/// layout expands tabs).
std::string display_safe_verbatim(std::string_view text);

/// A URL that passed is_safe_link() as it may be written into a terminal: every byte outside
/// printable ASCII %-encoded (an IRI becomes its URI).
std::string url_for_display(std::string_view url);

}  // namespace aui::tui
