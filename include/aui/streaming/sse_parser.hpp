#pragma once
// SseParser: the byte-level decoder of text/event-stream (the WHATWG server-sent events rules).

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace aui {

struct SseEvent {
  std::string event{};  // empty = "message"
  std::string data{};   // data lines joined by "\n"
  std::string id{};     // the last event id seen so far: it carries over to later events
  std::optional<long> retry{};
};

/// Feed it bytes as they arrive, in slices of any size; it calls `on_event` for each complete
/// event. Lines end in LF, CRLF or CR (also split across feeds); a line starting with ':' is a
/// comment (counted); one space after "field:" is stripped; unknown fields are ignored; a blank
/// line dispatches; an event with no data lines is not dispatched. finish() flushes a last
/// event that lacks its closing blank line; a byte order mark opening the stream is skipped.
/// Each call costs the size of the new bytes only.
class SseParser {
 public:
  using Handler = std::function<void(const SseEvent&)>;
  /// Sees a line whose field the standard does not know, with its value (one leading space
  /// stripped), e.g. the non-standard `error: {...}` line older llama.cpp servers send.
  using FieldHandler = std::function<void(std::string_view field, std::string_view value)>;
  explicit SseParser(Handler on_event);
  /// Without one, unknown fields are ignored, as the standard says.
  void on_unknown_field(FieldHandler handler) { on_unknown_field_ = std::move(handler); }
  void feed(std::string_view bytes);
  /// End of stream: dispatches a pending event, if any.
  void finish();
  std::size_t comment_count() const noexcept { return comments_; }
  std::size_t event_count() const noexcept { return events_; }

 private:
  void feed_lines(std::string_view bytes);
  void process_line(std::string_view line);
  void dispatch();
  Handler on_event_;
  FieldHandler on_unknown_field_;
  std::string line_;
  bool last_was_cr_ = false;
  bool at_start_ = true;  // a byte order mark may still be ahead
  bool has_data_ = false;
  SseEvent pending_;
  std::size_t comments_ = 0;
  std::size_t events_ = 0;
};

}  // namespace aui
