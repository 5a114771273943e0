#pragma once
// MarkdownTextLayout: the transcript's text layout hook (LayoutOptions::text_layout) that shows an
// assistant's text as rendered Markdown — and, while a reply streams, re-parses only its
// unfinished last block (one MarkdownStream per streaming text part).

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "aui/tui/markdown_layout.hpp"
#include "aui/tui/markdown_stream.hpp"
#include "aui/tui/transcript_layout.hpp"

namespace aui::tui {

/// Lays out text parts for a TranscriptView: assistant text as Markdown (headings, lists, code
/// highlighted, tables, links), user and system text as plain wrapped text (what a person typed
/// is shown as typed). UI thread only (it owns a MarkdownRenderer, which owns a Highlighter).
///
/// A part of a running message is laid out through a MarkdownStream kept for it, so each update
/// of a streaming reply costs the unfinished last block, not the whole reply; the stream is
/// dropped when the message is no longer running. Its lines are exactly those of a full render.
class MarkdownTextLayout {
 public:
  /// `renderer`: shared with other users on the same thread; null makes one of its own.
  explicit MarkdownTextLayout(std::shared_ptr<MarkdownRenderer> renderer = nullptr);
  ~MarkdownTextLayout();
  MarkdownTextLayout(const MarkdownTextLayout&) = delete;
  MarkdownTextLayout& operator=(const MarkdownTextLayout&) = delete;

  /// Appends the lines of `request`'s text to `out` (`text` is the plain text's style).
  void layout(const TextLayoutRequest& request, const Style& text, std::vector<LayoutLine>& out);
  /// A hook calling layout() on this object, for LayoutOptions::text_layout (this object must
  /// outlive the view using it).
  TextLayoutHook hook();

  /// How many streaming parts are followed now (for tests: streams end with their run).
  std::size_t stream_count() const noexcept { return streams_.size(); }
  /// Bytes md4c parsed for the last streamed update (for tests: flat while a reply grows).
  std::size_t last_parsed_bytes() const noexcept { return last_parsed_; }

 private:
  std::shared_ptr<MarkdownRenderer> renderer_;
  // Per (message id, part index): the stream of a running message's text part.
  std::map<std::pair<std::string, std::size_t>, std::unique_ptr<MarkdownStream>> streams_;
  std::size_t last_parsed_ = 0;
};

/// Converts laid-out Markdown lines to transcript lines (same text and styles, no click targets).
void append_styled_lines(const std::vector<StyledLine>& lines, std::vector<LayoutLine>& out);

}  // namespace aui::tui
