// Screen and Canvas.

#include "aui/tui/screen.hpp"

#include <algorithm>
#include <atomic>

#include "aui/tui/sanitize.hpp"
#include "aui/tui/text_width.hpp"

namespace aui::tui {

namespace {

// A cluster longer than this (a base under dozens of stacked marks) keeps only its first code
// points up to this many bytes: the look is the same, the memory bounded.
constexpr std::size_t kMaxClusterBytes = 32;

std::string_view bounded_cluster(std::string_view cluster) {
  if (cluster.size() <= kMaxClusterBytes) return cluster;
  std::size_t end = 0;
  while (end < cluster.size()) {
    const Decoded d = decode_utf8(cluster, end);
    if (end + d.length > kMaxClusterBytes) break;
    end += d.length;
  }
  return cluster.substr(0, end);
}

Rect intersect(Rect a, Rect b) {
  const int x0 = std::max(a.x, b.x), y0 = std::max(a.y, b.y);
  const int x1 = std::min(a.x + a.width, b.x + b.width),
            y1 = std::min(a.y + a.height, b.y + b.height);
  return Rect{x0, y0, std::max(0, x1 - x0), std::max(0, y1 - y0)};
}

constexpr std::string_view kNewlineMarker = "\u2424";  // ␤

}  // namespace

// --- Screen -----------------------------------------------------------------------------------

std::uint64_t Screen::next_id() noexcept {
  static std::atomic<std::uint64_t> counter{0};
  return ++counter;
}

Screen::Screen(int width, int height) : id_(next_id()) { resize(width, height); }

Screen::Screen(const Screen& other)
    : width_(other.width_),
      height_(other.height_),
      cells_(other.cells_),
      id_(next_id()),
      version_(other.version_),
      row_versions_(other.row_versions_) {}

Screen& Screen::operator=(const Screen& other) {
  if (this != &other) {
    width_ = other.width_;
    height_ = other.height_;
    cells_ = other.cells_;
    id_ = next_id();
    version_ = other.version_;
    row_versions_ = other.row_versions_;
  }
  return *this;
}

void Screen::resize(int width, int height) {
  width_ = std::max(0, width);
  height_ = std::max(0, height);
  cells_.assign(static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_), Cell{});
  row_versions_.assign(static_cast<std::size_t>(height_), 0);
  for (int y = 0; y < height_; ++y) touch(y);
}

void Screen::clear(const Style& style) {
  for (Cell& c : cells_) {
    c.text.assign(" ");
    c.width = 1;
    c.style = style;
  }
  for (int y = 0; y < height_; ++y) touch(y);
}

Canvas Screen::canvas() { return Canvas(*this, Rect{0, 0, width_, height_}); }

std::string Screen::row_text(int y) const {
  std::string out;
  for (int x = 0; x < width_; ++x) {
    const Cell& c = at(x, y);
    if (!c.continuation()) out += c.text;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string Screen::text() const {
  std::string out;
  for (int y = 0; y < height_; ++y) {
    if (y > 0) out.push_back('\n');
    out += row_text(y);
  }
  return out;
}

void Screen::write_narrow(int x, int y, char ascii, const Style& style) {
  Cell& c = cell(x, y);
  if (c.width != 1) {  // half of a wide cell: the general path keeps the other half consistent
    write(x, y, std::string_view(&ascii, 1), 1, style);
    return;
  }
  if (c.text.size() != 1 || c.text[0] != ascii) c.text.assign(1, ascii);
  if (!(c.style == style)) c.style = style;
}

void Screen::write(int x, int y, std::string_view text, int width, const Style& style) {
  touch(y);
  Cell& c = cell(x, y);
  if (c.width == 0 && x > 0) {  // the right half of a wide cell: its left half is cut off
    Cell& head = cell(x - 1, y);
    head.text.assign(" ");
    head.width = 1;
  }
  if (c.width == 2 && width == 1) {  // a wide cell replaced by a narrow one: its right half
    Cell& tail = cell(x + 1, y);
    tail.text.assign(" ");
    tail.width = 1;
  }
  if (width == 2) {
    Cell& next = cell(x + 1, y);
    if (next.width == 2) {  // the next wide cell loses its left half
      Cell& after = cell(x + 2, y);
      after.text.assign(" ");
      after.width = 1;
    }
    next.text.clear();
    next.width = 0;
    next.style = style;
  }
  c.text.assign(text);
  c.width = static_cast<std::uint8_t>(width);
  c.style = style;
}

// --- Canvas -----------------------------------------------------------------------------------

Canvas::Canvas(Screen& screen, Rect area)
    : screen_(&screen), area_(intersect(area, Rect{0, 0, screen.width(), screen.height()})) {}

Canvas Canvas::sub(Rect r) const {
  Canvas c = *this;
  const Rect wanted{area_.x + r.x, area_.y + r.y, r.width, r.height};
  c.area_ = intersect(wanted, area_);
  if (c.area_.empty()) c.area_ = Rect{area_.x, area_.y, 0, 0};
  return c;
}

int Canvas::write_cluster(int x, int y, std::string_view cluster, int width, const Style& style) {
  if (x >= 0 && y >= 0 && y < area_.height && x + width <= area_.width) {
    screen_->write(area_.x + x, area_.y + y, bounded_cluster(cluster), width, style);
  }
  return width;
}

int Canvas::put(int x, int y, std::string_view text, const Style& style) {
  int col = x;
  std::string scratch;
  Style marker_style;
  bool have_marker_style = false;
  // Writes the clusters of safe text; false when one did not fit before the right edge.
  const auto put_safe = [&](std::string_view safe, const Style& s) {
    for (std::size_t pos = 0; pos < safe.size();) {
      // ASCII not followed by a combining character (the common case) is a cluster of its own.
      if (static_cast<unsigned char>(safe[pos]) < 0x80 &&
          (pos + 1 == safe.size() || static_cast<unsigned char>(safe[pos + 1]) < 0x80)) {
        if (col + 1 > area_.width) return false;
        write_cluster(col, y, safe.substr(pos, 1), 1, s);
        ++col;
        ++pos;
        continue;
      }
      const Grapheme g = next_grapheme(safe, pos);
      if (g.width > 0) {
        if (col + g.width > area_.width) return false;
        write_cluster(col, y, safe.substr(pos, g.length), g.width, s);
        col += g.width;
      }
      pos += g.length;
    }
    return true;
  };
  const auto markers = [&]() -> const Style& {
    if (!have_marker_style) {
      marker_style = style.with(Attr::Dim);
      have_marker_style = true;
    }
    return marker_style;
  };
  const bool row_visible = y >= 0 && y < area_.height;
  if (row_visible) screen_->touch(area_.y + y);
  for (std::size_t pos = 0; pos < text.size();) {
    // Printable ASCII not followed by a combining character (most text): one cell each, written
    // without the sanitizer's and the cluster scanner's general paths.
    if (row_visible) {
      const auto b = static_cast<unsigned char>(text[pos]);
      if (b >= 0x20 && b < 0x7F &&
          (pos + 1 == text.size() || static_cast<unsigned char>(text[pos + 1]) < 0x80)) {
        if (col + 1 > area_.width) break;
        if (col >= 0) screen_->write_narrow(area_.x + col, area_.y + y, text[pos], style);
        ++col;
        ++pos;
        continue;
      }
    }
    const SanitizeStep step = sanitize_step(text, pos, true, scratch);
    bool fits = true;
    switch (step.kind) {
      case SanitizeStep::Kind::Safe: fits = put_safe(text.substr(pos, step.length), style); break;
      case SanitizeStep::Kind::Tab: {
        const int stop = x + ((col - x) / 8 + 1) * 8;
        while (col < stop && col < area_.width) col += write_cluster(col, y, " ", 1, style);
        fits = col >= stop;
        break;
      }
      case SanitizeStep::Kind::Newline: fits = put_safe(kNewlineMarker, markers()); break;
      case SanitizeStep::Kind::Replaced: fits = put_safe(step.replacement, markers()); break;
      case SanitizeStep::Kind::Incomplete: break;  // not with final = true
    }
    if (!fits) break;
    pos += step.length;
  }
  return col;
}

int Canvas::put_cluster(int x, int y, std::string_view cluster, const Style& style) {
  if (cluster.empty()) return 0;
  const Grapheme g = next_grapheme(cluster, 0);
  const std::string_view first = cluster.substr(0, g.length);
  if (g.width == 0 || !g.valid || !is_terminal_safe(first, false)) {
    return put(x, y, first, style) - x;  // shown as its replacement
  }
  if (x < 0 || x + g.width > area_.width) return 0;
  return write_cluster(x, y, first, g.width, style);
}

void Canvas::fill(const Style& style, std::string_view cluster) {
  fill(Rect{0, 0, area_.width, area_.height}, style, cluster);
}

void Canvas::fill(Rect r, const Style& style, std::string_view cluster) {
  if (cluster.empty() || !is_terminal_safe(cluster, false) || grapheme_width(cluster) != 1 ||
      next_grapheme(cluster, 0).length != cluster.size()) {
    cluster = " ";
  }
  const Rect clip = intersect(r, Rect{0, 0, area_.width, area_.height});
  for (int y = clip.y; y < clip.y + clip.height; ++y) {
    for (int x = clip.x; x < clip.x + clip.width; ++x) write_cluster(x, y, cluster, 1, style);
  }
}

void Canvas::restyle(Rect r, const Style& style) {
  const Rect clip = intersect(r, Rect{0, 0, area_.width, area_.height});
  for (int y = clip.y; y < clip.y + clip.height; ++y) {
    const int sy = area_.y + y;
    int x0 = area_.x + clip.x, x1 = area_.x + clip.x + clip.width;  // [x0, x1)
    // Keep a wide cell whole: its halves share one style.
    if (x0 > 0 && screen_->cell(x0, sy).continuation()) --x0;
    if (x1 < screen_->width() && screen_->cell(x1, sy).continuation()) ++x1;
    for (int x = x0; x < x1; ++x) screen_->cell(x, sy).style = style;
    screen_->touch(sy);
  }
}

}  // namespace aui::tui
