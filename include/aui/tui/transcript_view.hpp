#pragma once
// TranscriptView: a thread's current branch as a scrollable transcript — a header per message
// (role, status, branch picker), its text, reasoning (collapsed), attachments, sources and tool
// calls as cards, approval choices. Virtualised: only the messages on screen are laid out; a
// HeightIndex of per-message heights (estimated until laid out) places everything else.
//
// The view never calls the runtime to change anything: the actions a user takes on a message
// (copy, edit, regenerate, branch, feedback, speak, approve) are reported as ViewActions for the
// program to carry out.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "aui/runtime/thread_runtime.hpp"
#include "aui/tui/height_index.hpp"
#include "aui/tui/input.hpp"
#include "aui/tui/screen.hpp"
#include "aui/tui/transcript_layout.hpp"

namespace aui::tui {

/// What a user asked to do with a message.
enum class ViewActionKind : std::uint8_t {
  Copy,              ///< copy the message's text (the program writes OSC 52 or a file)
  Edit,              ///< open the message's text in the editor (submitting makes a branch)
  Regenerate,        ///< reload an assistant message as a new sibling
  PreviousBranch,    ///< show the previous sibling
  NextBranch,        ///< show the next sibling
  FeedbackPositive,  ///< thumbs up (assistant messages)
  FeedbackNegative,  ///< thumbs down (assistant messages)
  Speak,             ///< read the message aloud (or stop, when it is being read)
  ApproveOnce,       ///< allow a pending tool call once (`tool_call_id`, `approval_id`)
  ApproveAlways,     ///< allow it and later calls of the same tool
  Deny,              ///< deny it (the program may ask for a reason)
  ChooseOption,      ///< pick the gate's option `option_id`
  Answer,            ///< answer a human tool call (`tool_call_id`): the program opens a prompt
  Delete,            ///< delete the message (where the runtime's history allows it)
};

/// An action on a message, for the program to map onto the runtime.
struct ViewAction {
  ViewActionKind kind = ViewActionKind::Copy;
  Id message_id;
  std::string tool_call_id;  ///< approval and answer actions
  std::string approval_id;   ///< approval actions
  std::string option_id;     ///< ChooseOption
  friend bool operator==(const ViewAction&, const ViewAction&) = default;
};

/// Options of a TranscriptView.
struct TranscriptViewOptions {
  /// The clock of spinners and elapsed times (a test passes a fake one).
  std::function<std::chrono::steady_clock::time_point()> clock;
  /// Where actions go.
  std::function<void(const ViewAction&)> on_action;
  /// Layout choices (styles, collapsed tool results).
  LayoutOptions layout;
};

/// The transcript of one ThreadRuntime. UI thread only (it reads the runtime, which belongs to its
/// owner thread). The runtime must outlive the view or be replaced with set_thread() first.
class TranscriptView {
 public:
  explicit TranscriptView(TranscriptViewOptions options = {});
  ~TranscriptView();
  TranscriptView(const TranscriptView&) = delete;
  TranscriptView& operator=(const TranscriptView&) = delete;

  /// Shows `thread` (or nothing): a thread switch. The view follows the bottom again, focus is
  /// cleared, and layouts of messages seen before are kept for when they come back.
  void set_thread(const ThreadRuntime* thread);
  /// Reads the thread's messages again: only messages whose object changed are laid out again
  /// (when shown), and only the heights from the first changed message on are re-indexed. Called
  /// by draw(); call it directly to learn about changes without drawing.
  void sync();

  /// Draws the visible rows into `canvas` (its size is the viewport).
  void draw(Canvas& canvas);

  /// Handles a key: scrolling (PgUp, PgDn, Home, End), focus (Up, Down, Esc) and the focused
  /// message's actions (c copy, e edit, r regenerate, ← → or [ ] branches, + − feedback,
  /// s speak, x delete, t reasoning, o tool results, a/A/d approval, 1–9 an approval option, Enter
  /// answer). Returns whether the view used it.
  bool handle_key(const KeyEvent& key);
  /// Handles typed text as keys (the decoder reports plain letters as text).
  bool handle_text(const std::string& text);
  /// Handles a mouse event at screen coordinates: the wheel scrolls, a click focuses a message or
  /// takes the action under it (the branch picker's arrows, a collapsed block, an approval
  /// choice). Uses the last draw()'s canvas area.
  bool handle_mouse(const MouseEvent& mouse);

  /// Scrolls by `rows` (negative: up).
  void scroll_by(std::int64_t rows);
  /// Scrolls to the top / to the bottom (and follows it).
  void scroll_to_top();
  void scroll_to_bottom();
  /// Whether the view follows the bottom (new content scrolls into view).
  bool at_bottom() const noexcept { return follow_bottom_; }
  /// Whether content arrived below the view since the user scrolled up ("new below ↓" shows).
  bool new_below() const noexcept { return new_below_; }

  /// The focused message's index on the branch, if any.
  std::optional<std::size_t> focused() const noexcept;
  /// Focuses message `index` (scrolling it into view) or nothing.
  void focus(std::optional<std::size_t> index);

  /// The first row of the viewport in the whole transcript, and the transcript's height in rows
  /// (estimated for the messages not laid out yet): for a scroll bar.
  std::int64_t top_row() const;
  std::int64_t total_rows() const noexcept { return index_.total(); }
  /// How many messages have a layout now (a test checks that drawing is virtualised).
  std::size_t laid_out_count() const noexcept;

 private:
  struct Entry;
  struct Hit;
  struct Cached;

  void relayout_all(int width);
  std::int64_t estimate_height(const ThreadMessage& message, int width) const;
  const MessageLayout& layout_of(std::size_t index);
  std::int64_t height_of(std::size_t index);
  void anchor_from_row(std::int64_t row);
  void trim_layouts(std::size_t first, std::size_t last);
  void ensure_visible(std::size_t index);
  void emit(ViewActionKind kind, std::size_t index, std::string tool_call_id = {},
            std::string approval_id = {}, std::string option_id = {});
  bool act_on_focused(char32_t ch);
  void draw_header(Canvas& canvas, int y, std::size_t index);
  std::chrono::steady_clock::time_point now() const;
  std::uint32_t ui_flags(const Id& id) const;

  TranscriptViewOptions options_;
  const ThreadRuntime* thread_ = nullptr;
  MessageList messages_;
  std::vector<Entry> entries_;
  HeightIndex index_;
  std::unordered_map<const ThreadMessage*, Cached> cache_;
  std::unordered_map<std::size_t, std::shared_ptr<const MessageLayout>> layouts_;  // by entry
  std::deque<std::size_t> laid_out_;  // entries given a layout, oldest first (may repeat)
  std::unordered_map<Id, std::uint32_t> ui_flags_;  // per message: reasoning open, results open
  std::unordered_map<Id, std::chrono::steady_clock::time_point> running_since_;
  int width_ = 0;
  int height_ = 0;
  Rect area_{};
  bool follow_bottom_ = true;
  bool new_below_ = false;
  std::size_t anchor_ = 0;          // the message at the top of the view when not following
  std::int64_t anchor_offset_ = 0;  // rows of it above the view
  std::size_t last_visible_ = 0;    // the last message drawn
  std::optional<std::size_t> focus_;
  Id focus_id_;
  std::vector<Hit> hits_;  // clickable places of the last frame
};

}  // namespace aui::tui
