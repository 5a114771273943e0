#include "aui/tui/markdown_transcript.hpp"

#include <utility>

namespace aui::tui {

namespace {
// A reply is rarely followed by more than one stream at once (one per running thread shown);
// past this many, streams of messages that stopped without a final layout are forgotten.
constexpr std::size_t kMaxStreams = 16;
}  // namespace

MarkdownTextLayout::MarkdownTextLayout(std::shared_ptr<MarkdownRenderer> renderer)
    : renderer_(renderer ? std::move(renderer) : std::make_shared<MarkdownRenderer>()) {}

MarkdownTextLayout::~MarkdownTextLayout() = default;

namespace {
void append_line(const StyledLine& line, std::vector<LayoutLine>& out) {
  LayoutLine l;
  for (const StyledSpan& span : line.spans) l.append(span.text, span.style);
  out.push_back(std::move(l));
}
}  // namespace

void append_styled_lines(const std::vector<StyledLine>& lines, std::vector<LayoutLine>& out) {
  for (const StyledLine& line : lines) append_line(line, out);
}

void MarkdownTextLayout::layout(const TextLayoutRequest& request, const Style& text,
                                std::vector<LayoutLine>& out) {
  if (request.message.role != Role::Assistant) {
    layout_text(request.text, request.width, text, out);
    return;
  }
  const auto key = std::make_pair(std::string(request.message.id), request.part);
  auto it = streams_.find(key);
  if (request.streaming) {
    if (it == streams_.end()) {
      if (streams_.size() >= kMaxStreams) streams_.clear();
      it = streams_.emplace(key, std::make_unique<MarkdownStream>(*renderer_, request.width)).first;
    } else if (it->second->width() != request.width) {
      it->second->set_width(request.width);
    }
    MarkdownStream& stream = *it->second;
    stream.update(request.text);
    last_parsed_ = stream.last_parsed_bytes();
    for (std::size_t i = 0; i < stream.line_count(); ++i) append_line(stream.line(i), out);
    return;
  }
  if (it != streams_.end()) {
    // The final text of a reply that streamed: the stream has most of it laid out already.
    MarkdownStream& stream = *it->second;
    if (stream.width() != request.width) stream.set_width(request.width);
    stream.update(request.text);
    last_parsed_ = stream.last_parsed_bytes();
    append_styled_lines(stream.lines(), out);
    streams_.erase(it);
    return;
  }
  append_styled_lines(renderer_->render(request.text, request.width), out);
}

TextLayoutHook MarkdownTextLayout::hook() {
  return [this](const TextLayoutRequest& request, const Style& text, std::vector<LayoutLine>& out) {
    layout(request, text, out);
  };
}

}  // namespace aui::tui
