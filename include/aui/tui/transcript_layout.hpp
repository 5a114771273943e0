#pragma once
// The layout of one message's body for a transcript: its parts as styled lines at a width (text,
// reasoning collapsed or open, tool calls as cards, approval choices, sources, attachments). The
// header line (role, status, branch picker) is drawn by the view, as it changes with the clock
// and the branch without the message changing.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aui/model/message.hpp"
#include "aui/tui/style.hpp"

namespace aui::tui {

/// Something a click on a span does.
enum class LayoutHitKind : std::uint8_t {
  None,
  ToggleReasoning,
  ToggleResults,
  ApproveOnce,
  ApproveAlways,
  Deny,
  Option,  ///< an approval option: `option_id`
  Answer,  ///< a human tool call waiting for an answer
};

/// A piece of a line in one style. The text is untrusted content or the view's own: the Canvas
/// sanitizes it when it is drawn.
struct LayoutSpan {
  std::string text;
  Style style;
  std::uint16_t hit = 0;  ///< 1 + an index into MessageLayout::hits, 0 for none
  friend bool operator==(const LayoutSpan&, const LayoutSpan&) = default;
};

/// One row of a message's body.
struct LayoutLine {
  std::vector<LayoutSpan> spans;
  /// Appends a span (joined to the last one when the style and hit are the same).
  void append(std::string_view text, const Style& style = {}, std::uint16_t hit = 0);
  /// The text without styles (for tests and copying).
  std::string text() const;
  friend bool operator==(const LayoutLine&, const LayoutLine&) = default;
};

/// A clickable place of a layout: what it does and for which part.
struct LayoutHit {
  LayoutHitKind kind = LayoutHitKind::None;
  std::size_t part = 0;  ///< the content part (a tool call for approvals and answers)
  std::string option_id;
};

/// The body of one message at one width.
struct MessageLayout {
  std::vector<LayoutLine> lines;
  std::vector<LayoutHit> hits;
};

/// A text part to lay out, as the layout gives it to LayoutOptions::text_layout.
struct TextLayoutRequest {
  const ThreadMessage& message;
  std::size_t part = 0;    ///< the index of the text part in message.content
  std::string_view text;   ///< its text (untrusted)
  int width = 1;           ///< columns available (≥ 1)
  bool streaming = false;  ///< the message is still running: the text may grow
};

/// Lays a text part out into lines no wider than the request's width (e.g. as Markdown).
using TextLayoutHook =
    std::function<void(const TextLayoutRequest&, const Style& text, std::vector<LayoutLine>& out)>;

/// The styles and limits of the layout.
struct LayoutOptions {
  Style text{};
  Style dim = Style{}.with(Attr::Dim);
  Style card = Style{}.with_fg(colors::bright_black);
  Style tool_name = Style{}.with(Attr::Bold);
  Style error = Style{}.with_fg(colors::red);
  Style ok = Style{}.with_fg(colors::green);
  Style warn = Style{}.with_fg(colors::yellow);
  Style choice = Style{}.with_fg(colors::cyan).with(Attr::Bold);
  Style link = Style{}.with_fg(colors::blue).with(Attr::Underline);
  /// A tool result longer than this many lines is cut to it until expanded.
  int result_lines = 4;
  /// Columns of the body's left margin.
  int indent = 2;
  /// How text parts are laid out; empty: layout_text() (plain text wrapped by display width).
  TextLayoutHook text_layout{};
  /// How a tool call's name is shown on its card (e.g. "search · server docs" for an MCP tool);
  /// empty: the name itself. The result is untrusted like the name.
  std::function<std::string(const std::string& tool_name)> tool_label{};
  /// Whether a tool is a human tool (ThreadRuntimeOptions::human_tool_names): its call with no
  /// result, in a reply waiting for action, waits for the user's answer. Calls with an interrupt
  /// wait for an answer without it.
  std::function<bool(const std::string& tool_name)> is_human_tool{};
};

/// Which collapsible blocks of a message are open.
enum LayoutFlag : std::uint32_t {
  kReasoningOpen = 1u << 0,
  kResultsOpen = 1u << 1,
};

/// Lays out `text` (a message's text part) at `width` columns, appending to `out`: plain text
/// wrapped by display width (LayoutOptions::text_layout is where Markdown plugs in).
void layout_text(std::string_view text, int width, const Style& style,
                 std::vector<LayoutLine>& out);

/// Lays out the body of `message` at `width` columns (≥ 1) with the open blocks in `flags`.
MessageLayout layout_message(const ThreadMessage& message, int width, std::uint32_t flags,
                             const LayoutOptions& options = {});

/// A tool call of a message that waits for the user: an approval, or a human tool's answer.
struct WaitingToolCall {
  std::size_t part = 0;  ///< its index in the message's content
  std::string tool_call_id;
  std::string tool_name;     ///< untrusted
  std::string arguments;     ///< pretty-printed (untrusted)
  std::string approval_id;   ///< empty for a human tool's answer
  bool has_options = false;  ///< the approval offers the gate's own options (answered on the card)
};

/// Whether `call` of `message` waits for the user's answer: it has no result and no approval, and
/// it has an interrupt, or it is a human tool's (`is_human_tool`) and the reply waits for action.
bool waits_for_answer(const ThreadMessage& message, const ToolCallPart& call,
                      const std::function<bool(const std::string&)>& is_human_tool = {});

/// The first tool call of `message` that waits for the user (a pending approval, or a call that
/// waits_for_answer), if any: what a program opens its approval dialog or answer form for.
std::optional<WaitingToolCall> first_waiting_call(
    const ThreadMessage& message,
    const std::function<bool(const std::string&)>& is_human_tool = {});

/// `json` as indented JSON (two spaces), for tool arguments and results; a string is shown as
/// itself.
std::string pretty_json(const Json& json);

}  // namespace aui::tui
