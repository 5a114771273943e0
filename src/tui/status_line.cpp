#include "aui/tui/status_line.hpp"

#include <algorithm>
#include <cstdio>

#include "aui/tui/sanitize.hpp"
#include "aui/tui/text_width.hpp"

namespace aui::tui {

namespace {

// Untrusted text on one row: sanitized, newlines and tabs as spaces.
std::string one_line(std::string_view raw) {
  std::string t = sanitize(raw).text;
  std::replace(t.begin(), t.end(), '\n', ' ');
  std::replace(t.begin(), t.end(), '\t', ' ');
  return t;
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, s < 10 ? "%.1fs" : "%.0fs", s);
  return buf;
}

}  // namespace

void StatusLine::set_message(std::string text, std::chrono::steady_clock::time_point until) {
  message_ = std::move(text);
  message_until_ = until;
}

std::string StatusLine::format_elapsed(std::chrono::steady_clock::duration d) {
  long s = static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(d).count());
  if (s < 0) s = 0;
  char buf[32];
  if (s < 60) {
    std::snprintf(buf, sizeof buf, "%lds", s);
  } else if (s < 3600) {
    std::snprintf(buf, sizeof buf, "%ldm %02lds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ldh %02ldm", s / 3600, (s / 60) % 60);
  }
  return buf;
}

std::string StatusLine::format_count(std::uint64_t n) {
  char buf[32];
  if (n < 1000) {
    std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(n));
  } else if (n < 10000) {
    std::snprintf(buf, sizeof buf, "%.1fk", static_cast<double>(n) / 1000.0);
  } else if (n < 1000000) {
    std::snprintf(buf, sizeof buf, "%lluk", static_cast<unsigned long long>(n / 1000));
  } else {
    std::snprintf(buf, sizeof buf, "%.1fM", static_cast<double>(n) / 1e6);
  }
  return buf;
}

void StatusLine::draw(Canvas& canvas, std::chrono::steady_clock::time_point now) const {
  if (canvas.width() < 1 || canvas.height() < 1) return;
  const Style bar = Style{}.with(Attr::Reverse);
  canvas.fill(Rect{0, 0, canvas.width(), 1}, bar);
  // The right part: what changes while a reply runs. Each part has a rank; when the row is
  // narrow the lowest ranks go first so the left part (model, title) keeps some room.
  struct Part {
    int rank;
    std::string text;
  };
  std::vector<Part> parts;
  if (info_.running) {
    static constexpr const char* kSpinner[] = {"\u280B", "\u2819", "\u2839", "\u2838", "\u283C",
                                               "\u2834", "\u2826", "\u2827", "\u2807", "\u280F"};
    const auto elapsed = now - info_.run_started;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
    const auto frame = static_cast<std::size_t>(std::max<long long>(0, ms) / 100 % 10);
    parts.push_back({4, std::string(kSpinner[frame]) + " " + format_elapsed(elapsed)});
  }
  if (info_.input_tokens || info_.output_tokens) {
    std::string t;
    if (info_.input_tokens) t += "\u2191" + format_count(*info_.input_tokens);
    if (info_.output_tokens) {
      t += (t.empty() ? "" : " ") + ("\u2193" + format_count(*info_.output_tokens));
    }
    parts.push_back({2, t + " tok"});
  }
  if (info_.first_token_seconds) {
    parts.push_back({1, "first token " + seconds(*info_.first_token_seconds)});
  }
  if (info_.tokens_per_second) {
    char buf[32];
    std::snprintf(buf, sizeof buf, *info_.tokens_per_second < 10 ? "%.1f tok/s" : "%.0f tok/s",
                  *info_.tokens_per_second);
    parts.push_back({3, buf});
  }
  std::string left;
  if (!message_.empty() && now < message_until_) {
    left = one_line(message_);
  } else {
    left = one_line(info_.provider);
    if (!info_.model.empty()) left += (left.empty() ? "" : " \u00B7 ") + one_line(info_.model);
    if (!info_.thread_title.empty()) {
      left += (left.empty() ? "" : " \u2502 ") + one_line(info_.thread_title);
    }
  }
  const int want_left = std::min(static_cast<int>(display_width(left)), canvas.width() / 2);
  std::string right;
  int rw = 0;
  for (;;) {
    right.clear();
    for (const auto& p : parts) right += (right.empty() ? "" : " \u2502 ") + p.text;
    rw = static_cast<int>(display_width(right));
    if (parts.size() <= 1 || canvas.width() - rw - 3 >= want_left) break;
    auto lowest = std::min_element(parts.begin(), parts.end(),
                                   [](const Part& a, const Part& b) { return a.rank < b.rank; });
    parts.erase(lowest);
  }
  if (rw > canvas.width()) {
    right = truncate_to_width(right, canvas.width());
    rw = static_cast<int>(display_width(right));
  }
  const int room = canvas.width() - rw - (rw > 0 ? 2 : 0) - 1;
  if (room > 0) canvas.put(1, 0, truncate_to_width(left, room), bar);
  if (rw > 0) canvas.put(canvas.width() - rw - (rw < canvas.width() ? 1 : 0), 0, right, bar);
}

}  // namespace aui::tui
