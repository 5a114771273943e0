#include "aui/tui/transcript_view.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "aui/tui/text_width.hpp"

namespace aui::tui {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);
// Past this many cached layouts of messages off the branch, the cache starts over (the current
// branch's layouts stay with their entries).
// Layouts kept: the cache (by message object, across syncs and thread switches) and the entries'
// own (the messages laid out most recently). The heights stay exact in the height index when a
// layout goes, so what is dropped costs only a new layout when it scrolls into view again; the
// bounds keep the view's memory a small part of the runtime's however far the user scrolls.
constexpr std::size_t kCacheLimit = 128;
constexpr std::size_t kLaidOutLimit = 128;

const char* const kSpinner[] = {"\u280b", "\u2819", "\u2839", "\u2838", "\u283c",
                                "\u2834", "\u2826", "\u2827", "\u2807", "\u280f"};

}  // namespace

// One a message of the branch, so kept small: the layouts are apart (few messages have one).
struct TranscriptView::Entry {
  MessagePtr message;
  std::uint32_t flags = 0;  // the flags its layout was made with
};

struct TranscriptView::Cached {
  MessagePtr message;  // keeps the key's object alive
  int width = 0;
  std::uint32_t flags = 0;
  std::shared_ptr<const MessageLayout> layout;
};

struct TranscriptView::Hit {
  Rect rect;  // screen coordinates
  std::size_t message = 0;
  LayoutHitKind kind = LayoutHitKind::None;
  std::size_t part = 0;
  std::string option_id;
  int branch = 0;  // -1 previous, +1 next (the header's picker)
};

TranscriptView::TranscriptView(TranscriptViewOptions options) : options_(std::move(options)) {}
TranscriptView::~TranscriptView() = default;

std::chrono::steady_clock::time_point TranscriptView::now() const {
  return options_.clock ? options_.clock() : std::chrono::steady_clock::now();
}

std::uint32_t TranscriptView::ui_flags(const Id& id) const {
  auto it = ui_flags_.find(id);
  return it == ui_flags_.end() ? 0 : it->second;
}

void TranscriptView::set_thread(const ThreadRuntime* thread) {
  thread_ = thread;
  entries_.clear();
  laid_out_.clear();
  layouts_.clear();
  index_.assign({});
  messages_ = MessageList{};
  follow_bottom_ = true;
  new_below_ = false;
  anchor_ = 0;
  anchor_offset_ = 0;
  focus_.reset();
  focus_id_.clear();
  hits_.clear();
  sync();
}

std::int64_t TranscriptView::estimate_height(const ThreadMessage& message, int width) const {
  // A guess good enough for a scroll bar: the text's bytes over the body width, a few rows per
  // other part, the header and the blank line after.
  const int body = std::max(1, width - options_.layout.indent);
  std::int64_t rows = 2;
  for (const ContentPart& p : message.content) {
    if (const auto* t = p.get_if<TextPart>()) {
      rows += 1 + static_cast<std::int64_t>(t->text.size()) / body;
    } else if (p.is<ToolCallPart>()) {
      rows += 5;
    } else {
      rows += 1;
    }
  }
  rows += static_cast<std::int64_t>(message.attachments.size());
  return rows;
}

void TranscriptView::sync() {
  if (!thread_) {
    entries_.clear();
    index_.assign({});
    return;
  }
  const MessageList& list = thread_->messages();
  const std::size_t n_old = entries_.size();
  const std::size_t n_new = list.size();
  // The first message whose object changed: everything before it keeps its layout and height.
  std::size_t first = 0;
  {
    auto it = list.begin();
    const std::size_t common = std::min(n_old, n_new);
    while (first < common && it->get() == entries_[first].message.get()) {
      ++first;
      ++it;
    }
  }
  // A later message may have changed alone (feedback on an old reply): re-index from the first
  // change, which is also right for a branch switch (a changed suffix) and a stream (the last).
  if (first == n_old && n_old == n_new) return;
  messages_ = list;
  if (!follow_bottom_ && (n_new > n_old || first > last_visible_)) new_below_ = true;
  for (std::size_t k = first; k < n_old; ++k) layouts_.erase(k);
  entries_.resize(first);
  index_.truncate(first);
  const auto t = now();
  for (std::size_t i = first; i < n_new; ++i) {
    Entry e;
    e.message = list[i];
    e.flags = ui_flags(e.message->id);
    std::int64_t h = 0;
    auto c = cache_.find(e.message.get());
    if (c != cache_.end() && c->second.width == width_ && c->second.flags == e.flags) {
      layouts_[i] = c->second.layout;
      laid_out_.push_back(i);
      h = 2 + static_cast<std::int64_t>(c->second.layout->lines.size());
    } else {
      h = estimate_height(*e.message, width_);
    }
    if (e.message->role == Role::Assistant && e.message->status.type == StatusType::Running) {
      // The time of the last arrival: the elapsed time shows how long the backend is silent.
      running_since_[e.message->id] = t;
    }
    entries_.push_back(std::move(e));
    index_.push_back(h);
  }
  if (running_since_.size() > 64) {
    for (auto it = running_since_.begin(); it != running_since_.end();) {
      it = it->first == (n_new ? list[n_new - 1]->id : Id()) ? std::next(it)
                                                             : running_since_.erase(it);
    }
  }
  if (focus_) {
    if (*focus_ >= n_new || entries_[*focus_].message->id != focus_id_) {
      focus_.reset();
      for (std::size_t i = 0; i < n_new; ++i) {
        if (entries_[i].message->id == focus_id_) focus_ = i;
      }
    }
  }
  if (!follow_bottom_ && anchor_ >= n_new) {
    follow_bottom_ = true;
    new_below_ = false;
  }
}

void TranscriptView::relayout_all(int width) {
  width_ = width;
  laid_out_.clear();
  layouts_.clear();
  std::vector<std::int64_t> heights;
  heights.reserve(entries_.size());
  for (Entry& e : entries_) {
    heights.push_back(estimate_height(*e.message, width_));
  }
  index_.assign(std::move(heights));
}

const MessageLayout& TranscriptView::layout_of(std::size_t i) {
  Entry& e = entries_[i];
  const std::uint32_t flags = ui_flags(e.message->id);
  auto& layout = layouts_[i];
  if (layout && e.flags == flags) return *layout;
  e.flags = flags;
  auto c = cache_.find(e.message.get());
  if (c != cache_.end() && c->second.width == width_ && c->second.flags == flags) {
    layout = c->second.layout;
  } else {
    const int body = std::max(1, width_ - options_.layout.indent);
    layout = std::make_shared<const MessageLayout>(
        layout_message(*e.message, body, flags, options_.layout));
    if (cache_.size() >= kCacheLimit) cache_.clear();
    cache_[e.message.get()] = Cached{e.message, width_, flags, layout};
  }
  laid_out_.push_back(i);
  index_.set(i, 2 + static_cast<std::int64_t>(layout->lines.size()));
  return *layout;
}

std::int64_t TranscriptView::height_of(std::size_t i) {
  layout_of(i);
  return index_.height(i);
}

std::size_t TranscriptView::laid_out_count() const noexcept { return layouts_.size(); }

std::int64_t TranscriptView::top_row() const {
  if (follow_bottom_) return std::max<std::int64_t>(0, index_.total() - height_);
  return index_.row_of(anchor_) + anchor_offset_;
}

void TranscriptView::anchor_from_row(std::int64_t row) {
  anchor_ = index_.item_at(row);
  anchor_offset_ = std::max<std::int64_t>(0, row - index_.row_of(anchor_));
}

void TranscriptView::scroll_by(std::int64_t rows) {
  if (entries_.empty()) return;
  const std::int64_t bottom = std::max<std::int64_t>(0, index_.total() - height_);
  const std::int64_t target = std::clamp<std::int64_t>(top_row() + rows, 0, bottom);
  if (rows > 0 && target >= bottom) {
    scroll_to_bottom();
    return;
  }
  follow_bottom_ = false;
  anchor_from_row(target);
}

void TranscriptView::scroll_to_top() {
  if (entries_.empty()) return;
  follow_bottom_ = false;
  anchor_ = 0;
  anchor_offset_ = 0;
}

void TranscriptView::scroll_to_bottom() {
  follow_bottom_ = true;
  new_below_ = false;
}

std::optional<std::size_t> TranscriptView::focused() const noexcept { return focus_; }

void TranscriptView::focus(std::optional<std::size_t> index) {
  if (index && *index >= entries_.size()) index.reset();
  focus_ = index;
  focus_id_ = index ? entries_[*index].message->id : Id();
  if (index) ensure_visible(*index);
}

void TranscriptView::ensure_visible(std::size_t i) {
  if (height_ <= 0) return;
  const std::int64_t top = top_row();
  const std::int64_t start = index_.row_of(i);
  const std::int64_t h = height_of(i);
  if (start < top) {
    follow_bottom_ = false;
    anchor_ = i;
    anchor_offset_ = 0;
  } else if (start + std::min<std::int64_t>(h, height_) > top + height_) {
    // Below: bring its end (or its start, when it is taller than the view) to the bottom.
    if (i + 1 == entries_.size()) {
      scroll_to_bottom();
      return;
    }
    const std::int64_t row = h >= height_ ? start : start + h - height_;
    follow_bottom_ = false;
    anchor_from_row(row);
  }
}

void TranscriptView::emit(ViewActionKind kind, std::size_t index, std::string tool_call_id,
                          std::string approval_id, std::string option_id) {
  if (!options_.on_action || index >= entries_.size()) return;
  options_.on_action(ViewAction{kind, entries_[index].message->id, std::move(tool_call_id),
                                std::move(approval_id), std::move(option_id)});
}

void TranscriptView::draw_header(Canvas& canvas, int y, std::size_t i) {
  const ThreadMessage& m = *entries_[i].message;
  const bool focused = focus_ && *focus_ == i;
  const LayoutOptions& o = options_.layout;
  Style role_style = Style{}.with(Attr::Bold);
  std::string role;
  switch (m.role) {
    case Role::User:
      role = "You";
      role_style = role_style.with_fg(colors::cyan);
      break;
    case Role::Assistant:
      role = "Assistant";
      role_style = role_style.with_fg(colors::magenta);
      break;
    case Role::System:
      role = "System";
      role_style = role_style.with_fg(colors::yellow);
      break;
  }
  if (focused) role_style = role_style.with(Attr::Reverse);
  int x = canvas.put(0, y, focused ? "\u25b6 " : "  ", role_style);
  x = canvas.put(x, y, role, role_style);
  std::string status;
  Style status_style = o.dim;
  if (m.role == Role::Assistant) {
    switch (m.status.type) {
      case StatusType::Running: {
        auto it = running_since_.find(m.id);
        const auto since = it == running_since_.end() ? now() : it->second;
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(now() - since).count();
        status = kSpinner[(ms / 100) % 10];
        if (ms >= 1000) status += " " + std::to_string(ms / 1000) + "s";
        status_style = o.warn;
        break;
      }
      case StatusType::RequiresAction:
        status = "waiting for you";
        status_style = o.warn;
        break;
      case StatusType::Complete: break;
      case StatusType::Incomplete:
        status_style = o.error;
        switch (m.status.reason) {
          case StatusReason::Cancelled:
            status = "cancelled";
            status_style = o.warn;
            break;
          case StatusReason::Error: status = "error"; break;
          case StatusReason::Length:
            status = "cut off at the length limit";
            status_style = o.warn;
            break;
          case StatusReason::ContentFilter: status = "stopped by the content filter"; break;
          default: status = "incomplete"; break;
        }
        break;
    }
    if (m.metadata.submitted_feedback) {
      if (!status.empty()) status += " \u00b7 ";
      status +=
          *m.metadata.submitted_feedback == FeedbackType::Positive ? "rated good" : "rated bad";
    }
  }
  if (!status.empty()) {
    x = canvas.put(x, y, " \u00b7 ", o.dim);
    canvas.put(x, y, status, status_style);
  }
  // The branch picker, right-aligned: ‹ 2/3 ›
  if (thread_) {
    if (auto st = thread_->message_state(static_cast<long>(i)); st && st->branch_count > 1) {
      const std::string mid =
          " " + std::to_string(st->branch_number) + "/" + std::to_string(st->branch_count) + " ";
      const int w = 2 + static_cast<int>(mid.size());
      int px = canvas.width() - w;
      if (px > x + 1) {
        const Style arrow = o.choice;
        canvas.put(px, y, "\u2039", arrow);
        hits_.push_back(Hit{Rect{canvas.area().x + px, canvas.area().y + y, 1, 1},
                            i,
                            LayoutHitKind::None,
                            0,
                            {},
                            -1});
        canvas.put(px + 1, y, mid, o.dim);
        canvas.put(px + w - 1, y, "\u203a", arrow);
        hits_.push_back(Hit{Rect{canvas.area().x + px + w - 1, canvas.area().y + y, 1, 1},
                            i,
                            LayoutHitKind::None,
                            0,
                            {},
                            +1});
      }
    }
  }
}

void TranscriptView::draw(Canvas& canvas) {
  area_ = canvas.area();
  height_ = canvas.height();
  if (canvas.width() != width_) relayout_all(canvas.width());
  sync();
  hits_.clear();
  canvas.fill();
  const std::size_t n = entries_.size();
  if (n == 0 || height_ <= 0) return;
  const std::int64_t h_view = height_;

  std::size_t start = 0;
  std::int64_t offset = 0;
  if (!follow_bottom_) {
    start = std::min(anchor_, n - 1);
    offset = std::clamp<std::int64_t>(anchor_offset_, 0, height_of(start) - 1);
    // Scrolled down to the end: follow the bottom again.
    std::int64_t rows = height_of(start) - offset;
    std::size_t j = start + 1;
    while (rows < h_view && j < n) rows += height_of(j++);
    if (rows <= h_view && j == n) {
      follow_bottom_ = true;
      new_below_ = false;
    }
    anchor_ = start;
    anchor_offset_ = offset;
  }
  if (follow_bottom_) {
    std::size_t i = n;
    std::int64_t rows = 0;
    while (i > 0 && rows < h_view) rows += height_of(--i);
    start = i;
    offset = std::max<std::int64_t>(0, rows - h_view);
  }

  const int indent = options_.layout.indent;
  std::int64_t y = -offset;
  std::size_t i = start;
  for (; i < n && y < h_view; ++i) {
    const MessageLayout& layout = layout_of(i);
    const bool focused = focus_ && *focus_ == i;
    if (y >= 0) draw_header(canvas, static_cast<int>(y), i);
    for (std::size_t k = 0; k < layout.lines.size(); ++k) {
      const std::int64_t row = y + 1 + static_cast<std::int64_t>(k);
      if (row < 0) continue;
      if (row >= h_view) break;
      const int ry = static_cast<int>(row);
      if (focused) canvas.put(0, ry, "\u258e", options_.layout.choice);
      int x = indent;
      for (const LayoutSpan& span : layout.lines[k].spans) {
        const int end = canvas.put(x, ry, span.text, span.style);
        if (span.hit) {
          const LayoutHit& h = layout.hits[span.hit - 1];
          hits_.push_back(
              Hit{Rect{area_.x + x, area_.y + ry, end - x, 1}, i, h.kind, h.part, h.option_id, 0});
        }
        x = end;
      }
    }
    y += index_.height(i);
  }
  last_visible_ = i == 0 ? 0 : i - 1;
  trim_layouts(start, last_visible_);
  if (new_below_ && !follow_bottom_) {
    const std::string marker = " new below \u2193 ";
    const int w = static_cast<int>(display_width(marker));
    canvas.put(std::max(0, canvas.width() - w - 1), canvas.height() - 1, marker,
               Style{}.with(Attr::Reverse).with(Attr::Bold));
  }
}

// Drops the layouts of the messages laid out longest ago beyond the bound, never those on screen
// (between `first` and `last`): the frame just drawn holds references to them.
void TranscriptView::trim_layouts(std::size_t first, std::size_t last) {
  std::size_t kept = 0;  // on-screen indices moved to the back, so the loop ends
  while (laid_out_.size() > kLaidOutLimit + kept) {
    const std::size_t i = laid_out_.front();
    laid_out_.pop_front();
    if (i >= first && i <= last) {
      laid_out_.push_back(i);
      ++kept;
    } else {
      layouts_.erase(i);
    }
  }
}

bool TranscriptView::act_on_focused(char32_t ch) {
  if (!focus_ || *focus_ >= entries_.size()) return false;
  const std::size_t i = *focus_;
  const ThreadMessage& m = *entries_[i].message;
  const bool assistant = m.role == Role::Assistant;
  auto toggle = [&](std::uint32_t flag) {
    ui_flags_[m.id] ^= flag;
    return true;
  };
  // The first pending approval (or human call) of the message.
  auto pending_call = [&](bool human) -> const ToolCallPart* {
    for (const ContentPart& p : m.content) {
      const auto* call = p.get_if<ToolCallPart>();
      if (!call) continue;
      if (!human && call->approval && call->approval->pending()) return call;
      if (human && waits_for_answer(m, *call, options_.layout.is_human_tool)) return call;
    }
    return nullptr;
  };
  switch (ch) {
    case 'c': emit(ViewActionKind::Copy, i); return true;
    case 'e': emit(ViewActionKind::Edit, i); return true;
    case 'r':
      if (!assistant) return false;
      emit(ViewActionKind::Regenerate, i);
      return true;
    case '[':
    case ']': {
      auto st = thread_ ? thread_->message_state(static_cast<long>(i)) : std::nullopt;
      if (!st || st->branch_count < 2) return true;
      if (ch == '[' && st->branch_number > 1) emit(ViewActionKind::PreviousBranch, i);
      if (ch == ']' && st->branch_number < st->branch_count) emit(ViewActionKind::NextBranch, i);
      return true;
    }
    case '+':
    case '-':
      if (!assistant) return false;
      emit(ch == '+' ? ViewActionKind::FeedbackPositive : ViewActionKind::FeedbackNegative, i);
      return true;
    case 's': emit(ViewActionKind::Speak, i); return true;
    case 'x': emit(ViewActionKind::Delete, i); return true;
    case 't': return toggle(kReasoningOpen);
    case 'o': return toggle(kResultsOpen);
    case 'a':
    case 'A':
    case 'd': {
      const ToolCallPart* call = pending_call(false);
      if (!call) return false;
      const ViewActionKind kind = ch == 'a'   ? ViewActionKind::ApproveOnce
                                  : ch == 'A' ? ViewActionKind::ApproveAlways
                                              : ViewActionKind::Deny;
      emit(kind, i, call->tool_call_id, call->approval->id);
      return true;
    }
    case '\r': {
      const ToolCallPart* call = pending_call(true);
      if (!call) return false;
      emit(ViewActionKind::Answer, i, call->tool_call_id);
      return true;
    }
    default: break;
  }
  if (ch >= '1' && ch <= '9') {
    const ToolCallPart* call = pending_call(false);
    if (!call || !call->approval->options) return false;
    const std::size_t k = static_cast<std::size_t>(ch - '1');
    if (k >= call->approval->options->size()) return false;
    emit(ViewActionKind::ChooseOption, i, call->tool_call_id, call->approval->id,
         (*call->approval->options)[k].id);
    return true;
  }
  return false;
}

bool TranscriptView::handle_key(const KeyEvent& key) {
  const std::int64_t page = std::max(1, height_ - 1);
  switch (key.key) {
    case Key::PageUp: scroll_by(-page); return true;
    case Key::PageDown: scroll_by(page); return true;
    case Key::Home: scroll_to_top(); return true;
    case Key::End:
      focus(std::nullopt);
      scroll_to_bottom();
      return true;
    case Key::Up:
      if (entries_.empty()) return false;
      focus(focus_ ? (*focus_ > 0 ? *focus_ - 1 : 0) : entries_.size() - 1);
      return true;
    case Key::Down:
      if (!focus_) return false;
      if (*focus_ + 1 < entries_.size()) {
        focus(*focus_ + 1);
      } else {
        focus(std::nullopt);
        scroll_to_bottom();
      }
      return true;
    case Key::Escape:
      if (!focus_) return false;
      focus(std::nullopt);
      return true;
    case Key::Left: return focus_ && act_on_focused('[');
    case Key::Right: return focus_ && act_on_focused(']');
    case Key::Enter: return act_on_focused('\r');
    default: return false;
  }
}

bool TranscriptView::handle_text(const std::string& text) {
  if (text.size() != 1) return false;
  return act_on_focused(static_cast<unsigned char>(text[0]));
}

bool TranscriptView::handle_mouse(const MouseEvent& mouse) {
  if (!area_.contains(mouse.x, mouse.y)) return false;
  if (mouse.button == MouseButton::WheelUp) {
    scroll_by(-3);
    return true;
  }
  if (mouse.button == MouseButton::WheelDown) {
    scroll_by(3);
    return true;
  }
  if (mouse.button != MouseButton::Left || mouse.action != MouseAction::Press) return false;
  for (const Hit& h : hits_) {
    if (!h.rect.contains(mouse.x, mouse.y) || h.message >= entries_.size()) continue;
    const ThreadMessage& m = *entries_[h.message].message;
    focus_ = h.message;
    focus_id_ = m.id;
    if (h.branch != 0) {
      emit(h.branch < 0 ? ViewActionKind::PreviousBranch : ViewActionKind::NextBranch, h.message);
      return true;
    }
    const ToolCallPart* call =
        h.part < m.content.size() ? m.content[h.part].get_if<ToolCallPart>() : nullptr;
    const std::string call_id = call ? call->tool_call_id : std::string();
    const std::string approval_id = call && call->approval ? call->approval->id : std::string();
    switch (h.kind) {
      case LayoutHitKind::ToggleReasoning: ui_flags_[m.id] ^= kReasoningOpen; break;
      case LayoutHitKind::ToggleResults: ui_flags_[m.id] ^= kResultsOpen; break;
      case LayoutHitKind::ApproveOnce:
        emit(ViewActionKind::ApproveOnce, h.message, call_id, approval_id);
        break;
      case LayoutHitKind::ApproveAlways:
        emit(ViewActionKind::ApproveAlways, h.message, call_id, approval_id);
        break;
      case LayoutHitKind::Deny: emit(ViewActionKind::Deny, h.message, call_id, approval_id); break;
      case LayoutHitKind::Option:
        emit(ViewActionKind::ChooseOption, h.message, call_id, approval_id, h.option_id);
        break;
      case LayoutHitKind::Answer: emit(ViewActionKind::Answer, h.message, call_id); break;
      case LayoutHitKind::None: break;
    }
    return true;
  }
  // A click elsewhere focuses the message under it.
  const std::int64_t row = top_row() + (mouse.y - area_.y);
  if (!entries_.empty() && row < index_.total()) {
    const std::size_t i = index_.item_at(row);
    focus_ = i;
    focus_id_ = entries_[i].message->id;
  }
  return true;
}

}  // namespace aui::tui
