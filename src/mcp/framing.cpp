// Bounded line splitting and message parsing (framing.hpp).

#include "framing.hpp"

#include <cctype>
#include <cstdio>

namespace aui::mcp::detail {

namespace {
constexpr std::size_t kKeep = 1024;
}

LineSplitter::LineSplitter(std::size_t max_bytes, LineHandler on_line,
                           OversizedHandler on_oversized)
    : max_(max_bytes), on_line_(std::move(on_line)), on_oversized_(std::move(on_oversized)) {}

void LineSplitter::append_discarded(std::string_view part) {
  discarded_ += part.size();
  if (part.size() >= kKeep) {
    tail_.assign(part.substr(part.size() - kKeep));
  } else {
    tail_.append(part);
    if (tail_.size() > kKeep) tail_.erase(0, tail_.size() - kKeep);
  }
}

void LineSplitter::end_line() {
  if (discarding_) {
    on_oversized_(head_, tail_, discarded_);
    discarding_ = false;
    head_.clear();
    tail_.clear();
    discarded_ = 0;
    return;
  }
  std::string_view line = line_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  on_line_(line);
  line_.clear();
}

void LineSplitter::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto nl = bytes.find('\n');
    const std::string_view part = bytes.substr(0, nl);
    if (discarding_) {
      append_discarded(part);
    } else if (line_.size() + part.size() > max_) {
      // Too long: keep only what identifies it, and drop the rest as it comes.
      discarding_ = true;
      discarded_ = line_.size();
      head_ = line_.substr(0, kKeep);
      if (head_.size() < kKeep) head_.append(part.substr(0, kKeep - head_.size()));
      tail_ = line_.size() > kKeep ? line_.substr(line_.size() - kKeep) : line_;
      line_.clear();
      line_.shrink_to_fit();
      append_discarded(part);
    } else {
      line_.append(part);
    }
    if (nl == std::string_view::npos) return;
    end_line();
    bytes.remove_prefix(nl + 1);
  }
}

void LineSplitter::finish() {
  if (discarding_ || !line_.empty()) end_line();
}

std::optional<Json> find_id_hint(std::string_view head, std::string_view tail) {
  // The value after `"id"`, optional blanks and a colon at `at`, if it is a number or a string.
  auto parse_at = [](std::string_view text, std::size_t at) -> std::optional<Json> {
    std::size_t i = at + 4;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i >= text.size() || text[i] != ':') return std::nullopt;
    ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::size_t j = i;
    if (j < text.size() && text[j] == '"') {
      const auto end = text.find('"', j + 1);
      if (end == std::string_view::npos) return std::nullopt;
      return Json(std::string(text.substr(j + 1, end - j - 1)));
    }
    while (j < text.size() && (std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == '-'))
      ++j;
    if (j == i) return std::nullopt;
    try {
      return Json(std::stoll(std::string(text.substr(i, j - i))));
    } catch (...) {
      return std::nullopt;
    }
  };
  for (auto at = tail.rfind("\"id\""); at != std::string_view::npos;
       at = at == 0 ? std::string_view::npos : tail.rfind("\"id\"", at - 1)) {
    if (auto id = parse_at(tail, at)) return id;
  }
  for (auto at = head.find("\"id\""); at != std::string_view::npos;
       at = head.find("\"id\"", at + 1)) {
    if (auto id = parse_at(head, at)) return id;
  }
  return std::nullopt;
}

void parse_messages(std::string_view text, const std::function<void(Json)>& on_message,
                    const std::function<void(const std::string&)>& on_bad) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return;  // blank lines are no messages
  Json value;
  try {
    value = Json::parse(text);
  } catch (const Json::exception&) {
    on_bad("ignored a line that is not JSON: " + excerpt(text));
    return;
  }
  if (value.is_array()) {
    for (auto& m : value) on_message(std::move(m));
  } else {
    on_message(std::move(value));
  }
}

std::string excerpt(std::string_view text, std::size_t max) {
  bool cut = false;
  if (text.size() > max) {
    std::size_t n = max;
    // Do not split a UTF-8 sequence.
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    text = text.substr(0, n);
    cut = true;
  }
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  if (cut) out += "…";
  return out;
}

std::string describe_size(std::size_t bytes) {
  char buf[32];
  if (bytes >= (std::size_t{1} << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  } else if (bytes >= 1000) {
    std::snprintf(buf, sizeof buf, "%.1f kB", static_cast<double>(bytes) / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%zu bytes", bytes);
  }
  return buf;
}

}  // namespace aui::mcp::detail
