#pragma once
// The in-memory screen components draw into: a grid of cells, each one grapheme cluster with its
// style. A Renderer turns the difference between two screens into terminal bytes.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aui/tui/style.hpp"

namespace aui::tui {

/// A position in cells.
struct Point {
  int x = 0;
  int y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};

/// A rectangle in cells.
struct Rect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  bool empty() const noexcept { return width <= 0 || height <= 0; }
  bool contains(int px, int py) const noexcept {
    return px >= x && py >= y && px < x + width && py < y + height;
  }
  friend bool operator==(const Rect&, const Rect&) = default;
};

/// One cell: a grapheme cluster one or two columns wide, or the right half of a wide one
/// (width 0, empty text). The text never holds a control character or an escape sequence: the
/// only way in is Canvas::put, which sanitizes.
struct Cell {
  std::string text = " ";
  std::uint8_t width = 1;  // 1 or 2; 0 for the continuation of a wide cell
  Style style;

  bool continuation() const noexcept { return width == 0; }
  friend bool operator==(const Cell&, const Cell&) = default;
};

class Canvas;

/// A grid of cells, all blank (a space in the default style) at first. Invariant: a width-2 cell
/// is always followed by its continuation in the same row, and a continuation always follows a
/// width-2 cell.
class Screen {
 public:
  Screen() : id_(next_id()) {}
  Screen(int width, int height);
  /// A copy has the same cells but is another screen (the renderer tells screens apart).
  Screen(const Screen& other);
  Screen& operator=(const Screen& other);
  Screen(Screen&&) noexcept = default;
  Screen& operator=(Screen&&) noexcept = default;

  int width() const noexcept { return width_; }
  int height() const noexcept { return height_; }
  /// Changes the size; every cell becomes blank.
  void resize(int width, int height);
  /// Makes every cell a blank in `style`.
  void clear(const Style& style = {});

  /// The cell at (x, y); both must be inside.
  const Cell& at(int x, int y) const { return cells_[static_cast<std::size_t>(y * width_ + x)]; }

  /// The whole screen to draw on.
  Canvas canvas();

  /// The text of row `y` (continuations skipped), with trailing blanks removed: for tests.
  std::string row_text(int y) const;
  /// Every row's text joined by newlines: for tests.
  std::string text() const;

  /// Which screen this is, and the version of row `y`: a row whose version did not change since
  /// a renderer last drew this screen has not changed (what lets the renderer skip it).
  std::uint64_t id() const noexcept { return id_; }
  std::uint64_t row_version(int y) const { return row_versions_[static_cast<std::size_t>(y)]; }

 private:
  friend class Canvas;
  friend class Renderer;
  Cell& cell(int x, int y) { return cells_[static_cast<std::size_t>(y * width_ + x)]; }
  // Writes a cluster of `width` columns at (x, y) keeping the wide-cell invariant: a wide cell
  // that the write cuts in half becomes a blank.
  void write(int x, int y, std::string_view text, int width, const Style& style);
  // The same for one printable ASCII character; the caller has touched the row.
  void write_narrow(int x, int y, char ascii, const Style& style);
  void touch(int y) { row_versions_[static_cast<std::size_t>(y)] = ++version_; }
  static std::uint64_t next_id() noexcept;

  int width_ = 0;
  int height_ = 0;
  std::vector<Cell> cells_;
  std::uint64_t id_;
  std::uint64_t version_ = 0;
  std::vector<std::uint64_t> row_versions_;
};

/// A rectangular region of a Screen that a component draws into without knowing where it is:
/// coordinates are relative to the region and everything is clipped to it. Copyable and cheap;
/// it must not outlive its screen.
class Canvas {
 public:
  Canvas(Screen& screen, Rect area);

  int width() const noexcept { return area_.width; }
  int height() const noexcept { return area_.height; }
  /// Where the region is on its screen (for mouse hit testing).
  Rect area() const noexcept { return area_; }

  /// The sub-region at (x, y) of this one (relative), clipped to it.
  Canvas sub(Rect r) const;
  Canvas sub(int x, int y, int width, int height) const { return sub(Rect{x, y, width, height}); }

  /// Writes `text` on row `y` from column `x` (either may be negative or past the edge: what is
  /// outside is clipped) and returns the column after the last cluster written (relative, so
  /// `x` + the columns the text took, as far as it fits). The text is untrusted: it is sanitized
  /// (sanitize.hpp) and the replacements are shown with Attr::Dim added; a tab advances to the
  /// next multiple of 8 columns from `x`, a newline is shown as ␤ (lay lines out before putting
  /// them). A wide cluster that would cross the right edge is not written. Zero-width clusters
  /// (a combining mark with no base, a zero-width space) are dropped.
  int put(int x, int y, std::string_view text, const Style& style = {});

  /// Writes one cluster (the first of `cluster`) at (x, y); returns its width, 0 when nothing was
  /// written.
  int put_cluster(int x, int y, std::string_view cluster, const Style& style = {});

  /// Fills the whole region, or a rectangle of it, with blanks in `style` (or a cluster of width
  /// 1).
  void fill(const Style& style = {}, std::string_view cluster = " ");
  void fill(Rect r, const Style& style = {}, std::string_view cluster = " ");

  /// Changes the style of the cells in `r` (their text stays): for selections and highlights.
  void restyle(Rect r, const Style& style);

  /// The cell at (x, y) of the region, which must be inside.
  const Cell& at(int x, int y) const { return screen_->at(area_.x + x, area_.y + y); }

 private:
  // Writes a cluster already known to be safe; returns the columns advanced.
  int write_cluster(int x, int y, std::string_view cluster, int width, const Style& style);

  Screen* screen_;
  Rect area_;  // in screen coordinates, inside the screen
};

}  // namespace aui::tui
