#pragma once
// The diff renderer: from the screen the terminal shows to the next one, in as few bytes as it
// can (only changed cells, short cursor moves, SGR only where the style changes).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aui/tui/screen.hpp"
#include "aui/tui/terminal_caps.hpp"

namespace aui::tui {

/// Where the renderer's bytes go.
class ByteSink {
 public:
  virtual ~ByteSink() = default;
  /// Takes a whole frame's bytes at once (a terminal shows no half frame when written in one go).
  virtual void write(std::string_view bytes) = 0;
};

/// A sink that keeps the bytes: for tests and benchmarks.
class StringSink : public ByteSink {
 public:
  void write(std::string_view bytes) override { bytes_.append(bytes); }
  const std::string& bytes() const noexcept { return bytes_; }
  std::string take() { return std::exchange(bytes_, std::string()); }

 private:
  std::string bytes_;
};

/// A sink writing to a file descriptor (the terminal): all of it, retrying on EINTR and waiting
/// out EAGAIN. Errors are ignored: a terminal that went away ends the program elsewhere.
class FdSink : public ByteSink {
 public:
  explicit FdSink(int fd) : fd_(fd) {}
  void write(std::string_view bytes) override;

 private:
  int fd_;
};

/// Counters of the last frame.
struct FrameStats {
  std::size_t bytes = 0;          // written to the sink
  std::size_t cells_written = 0;  // cells whose text was sent
  bool full = false;              // a full repaint
};

/// Turns screens into terminal bytes. It remembers what the terminal shows (the last screen it
/// rendered) and sends only the difference. Not thread-safe: the UI thread owns it.
class Renderer {
 public:
  explicit Renderer(TerminalCaps caps = {});

  /// Sends to `sink`, in one write, what makes the terminal show `next` with the cursor at
  /// `cursor` (shown) or hidden (nullopt). The first frame, the first after invalidate() and the
  /// first after a size change clear the screen and paint it whole; every other frame writes only
  /// the cells that changed and never clears. Wide characters are always written whole.
  void render(const Screen& next, ByteSink& sink, std::optional<Point> cursor = std::nullopt);

  /// Forgets what the terminal shows: the next frame is a full repaint (after a resize, a resume
  /// from suspension, or anything else that wrote to the terminal).
  void invalidate() noexcept { valid_ = false; }

  const TerminalCaps& caps() const noexcept { return caps_; }
  const FrameStats& last_frame() const noexcept { return stats_; }

 private:
  enum class Horizontal : unsigned char { None, Forward, Back, Return, Through };
  void move_to(int x, int y, const Screen& next);
  // The cheapest way from column `from` (-1: unknown) to `to` on row `y`, and its cost in bytes.
  Horizontal plan_horizontal(int from, int to, int y, const Screen& next, std::size_t& cost) const;
  void emit_horizontal(Horizontal how, int from, int to, int y, const Screen& next);
  void set_style(const Style& style);
  void write_cell(const Cell& cell, int screen_width);
  const Style& effective(const Style& style) const;

  TerminalCaps caps_;
  Screen front_;  // what the terminal shows
  // The screen drawn last and the versions of its rows then: rows it has not changed since are
  // skipped without comparing their cells.
  std::uint64_t drawn_id_ = 0;
  std::vector<std::uint64_t> drawn_versions_;
  bool valid_ = false;  // front_ is known to be on the terminal
  std::string out_;     // the frame being built
  // Terminal state while building a frame: cursor (x = -1 when its column is unknown, e.g. after
  // writing the last column, where terminals defer the wrap), pen and link.
  int cx_ = -1, cy_ = -1;
  Style pen_;
  bool pen_known_ = false;
  Link link_;
  int cursor_visible_ = -1;  // -1 unknown, 0 hidden, 1 shown
  // The last style turned into its effective form (colours downsampled, unsupported attributes
  // dropped): most cells repeat their neighbour's style.
  mutable Style last_style_in_, last_style_out_;
  mutable bool last_style_valid_ = false;
  FrameStats stats_;
};

}  // namespace aui::tui
