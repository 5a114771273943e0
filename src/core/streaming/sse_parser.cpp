#include "aui/streaming/sse_parser.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

namespace aui {

namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

SseParser::SseParser(Handler on_event) : on_event_(std::move(on_event)) {}

void SseParser::feed(std::string_view bytes) {
  if (at_start_) {
    // Hold back the first bytes until we know whether they are a byte order mark; they may
    // arrive one at a time.
    const std::size_t take = std::min(bytes.size(), kByteOrderMark.size() - line_.size());
    line_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (line_.size() < kByteOrderMark.size() && kByteOrderMark.starts_with(line_)) return;
    at_start_ = false;
    std::string head = std::move(line_);
    line_.clear();
    std::string_view rest = head;
    if (rest.starts_with(kByteOrderMark)) rest.remove_prefix(kByteOrderMark.size());
    feed_lines(rest);
  }
  feed_lines(bytes);
}

void SseParser::feed_lines(std::string_view bytes) {
  std::size_t pos = 0;
  const std::size_t size = bytes.size();
  // A CR that ended the previous slice and an LF that opens this one are one line ending.
  if (last_was_cr_ && size > 0) {
    last_was_cr_ = false;
    if (bytes[0] == '\n') pos = 1;
  }
  while (pos < size) {
    const std::size_t end = bytes.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) {
      // An unfinished line: keep it for the next slice. Only this tail is ever copied.
      line_.append(bytes.substr(pos));
      return;
    }
    const std::string_view piece = bytes.substr(pos, end - pos);
    if (line_.empty()) {
      process_line(piece);
    } else {
      line_.append(piece);
      const std::string line = std::move(line_);
      line_.clear();
      process_line(line);
    }
    pos = end + 1;
    if (bytes[end] == '\r') {
      if (pos < size) {
        if (bytes[pos] == '\n') ++pos;
      } else {
        last_was_cr_ = true;
      }
    }
  }
}

void SseParser::finish() {
  if (at_start_) {
    at_start_ = false;
    std::string head = std::move(line_);
    line_.clear();
    feed_lines(head);
  }
  last_was_cr_ = false;
  if (!line_.empty()) {
    const std::string line = std::move(line_);
    line_.clear();
    process_line(line);
  }
  dispatch();
}

void SseParser::process_line(std::string_view line) {
  if (line.empty()) {
    dispatch();
    return;
  }
  if (line.front() == ':') {
    ++comments_;
    return;
  }
  std::string_view field = line;
  std::string_view value;
  if (const std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    field = line.substr(0, colon);
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    pending_.data.append(value);
    pending_.data.push_back('\n');
    has_data_ = true;
  } else if (field == "event") {
    pending_.event.assign(value);
  } else if (field == "id") {
    // The standard ignores an id containing NUL (it could not be sent back in a header).
    if (value.find('\0') == std::string_view::npos) pending_.id.assign(value);
  } else if (field == "retry") {
    long retry = 0;
    if (all_digits(value)) {
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), retry);
      if (ec == std::errc() && ptr == value.data() + value.size()) pending_.retry = retry;
    }
  } else if (on_unknown_field_) {
    on_unknown_field_(field, value);
  }
  // Any other field is ignored, as the standard says.
}

void SseParser::dispatch() {
  if (!has_data_) {
    // Nothing to deliver; the event type and retry of this block are dropped, the id is kept.
    pending_.event.clear();
    pending_.retry.reset();
    return;
  }
  has_data_ = false;
  pending_.data.pop_back();  // the "\n" after the last data line
  SseEvent event = std::move(pending_);
  pending_ = SseEvent{};
  pending_.id = event.id;
  ++events_;
  on_event_(event);
}

}  // namespace aui
