#pragma once
// The status line: provider and model, thread title, whether a reply runs (a spinner and the
// elapsed time), token usage, time to first token and tokens per second, and a transient message.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "aui/tui/screen.hpp"

namespace aui::tui {

/// What the status line shows; the program fills it from the runtime's state.
struct StatusInfo {
  std::string provider;      // "openai", "demo"
  std::string model;         // untrusted (a server names it)
  std::string thread_title;  // untrusted
  bool running = false;
  std::chrono::steady_clock::time_point run_started{};  // when the running reply started
  std::optional<std::uint64_t> input_tokens;            // when the backend reports usage
  std::optional<std::uint64_t> output_tokens;
  std::optional<double> first_token_seconds;  // time to first token of the last/current reply
  std::optional<double> tokens_per_second;    // of the last/current reply
};

/// A one-row status line. Time comes from the caller (draw's `now`), so tests need no clock; a
/// program redraws it about ten times a second while a reply runs, for the spinner.
class StatusLine {
 public:
  void set_info(StatusInfo info) { info_ = std::move(info); }
  const StatusInfo& info() const noexcept { return info_; }
  /// Shows `text` (untrusted, one line) in place of the thread title until `until`.
  void set_message(std::string text, std::chrono::steady_clock::time_point until);

  /// Draws on the canvas's first row: on the left "provider · model │ title" (or the message),
  /// on the right "⠹ 12s │ ↑1.2k ↓340 tok │ first token 0.8s │ 42 tok/s"; the left part is cut
  /// first when the row is narrow.
  void draw(Canvas& canvas, std::chrono::steady_clock::time_point now) const;

  /// "12s", "3m 05s", "1h 02m": how an elapsed time is shown.
  static std::string format_elapsed(std::chrono::steady_clock::duration d);
  /// "950", "1.2k", "34k", "1.5M": how a token count is shown.
  static std::string format_count(std::uint64_t n);

 private:
  StatusInfo info_;
  std::string message_;
  std::chrono::steady_clock::time_point message_until_{};
};

}  // namespace aui::tui
