#pragma once
// Private: splitting a byte stream into bounded lines, and turning received text into messages.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "aui/model/json.hpp"

namespace aui::mcp::detail {

/// Splits bytes into lines (LF, a CR before it dropped). A line longer than `max_bytes` is not
/// kept: only its first and last KiB are, and `on_oversized` gets them with the full size.
class LineSplitter {
 public:
  using LineHandler = std::function<void(std::string_view line)>;
  using OversizedHandler =
      std::function<void(std::string_view head, std::string_view tail, std::size_t size)>;
  LineSplitter(std::size_t max_bytes, LineHandler on_line, OversizedHandler on_oversized);
  void feed(std::string_view bytes);
  /// End of input: a last line without its newline is delivered.
  void finish();

 private:
  void append_discarded(std::string_view part);
  void end_line();
  std::size_t max_;
  LineHandler on_line_;
  OversizedHandler on_oversized_;
  std::string line_;
  bool discarding_ = false;
  std::string head_;
  std::string tail_;
  std::size_t discarded_ = 0;
};

/// The request id a cut-off message most likely answers: the value after a top-level-looking
/// `"id":` in its head or tail (serialisers put the id first or last). nullopt when none.
std::optional<Json> find_id_hint(std::string_view head, std::string_view tail);

/// The messages one received text holds: a JSON value, or (from servers older than 2025-06-18)
/// an array of them. `on_bad` gets a sentence for the log when it is not JSON.
void parse_messages(std::string_view text, const std::function<void(Json)>& on_message,
                    const std::function<void(const std::string&)>& on_bad);

/// `text` cut to `max` bytes (at a UTF-8 boundary) with "…" when cut; control characters shown
/// as spaces. For log lines that quote what a server sent.
std::string excerpt(std::string_view text, std::size_t max = 200);

/// "1.5 MB", "16 MiB"-style sizes for messages.
std::string describe_size(std::size_t bytes);

}  // namespace aui::mcp::detail
