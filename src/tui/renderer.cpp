// The diff renderer.

#include "aui/tui/renderer.hpp"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>

namespace aui::tui {

// --- sinks ------------------------------------------------------------------------------------

void FdSink::write(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd_, POLLOUT, 0};
      ::poll(&p, 1, 100);
    } else {
      return;
    }
  }
}

// --- helpers ----------------------------------------------------------------------------------

namespace {

constexpr std::size_t kMaxThrough = 24;  // longest unchanged run considered for writing through
constexpr std::size_t kMaxLinkBytes = 2048;

void append_number(std::string& out, int n) {
  char buf[12];
  int len = 0;
  do {
    buf[len++] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n > 0);
  while (len > 0) out.push_back(buf[--len]);
}

std::size_t digits(int n) {
  std::size_t d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

// "\x1b[nC" and friends: n = 1 is written without the number.
std::size_t relative_cost(int n) { return n == 1 ? 3 : 3 + digits(n); }

void append_relative(std::string& out, int n, char final) {
  out += "\x1b[";
  if (n != 1) append_number(out, n);
  out.push_back(final);
}

std::size_t cup_cost(int x, int y) {
  if (x == 0) return y == 0 ? 3 : 3 + digits(y + 1);
  return 4 + digits(y + 1) + digits(x + 1);
}

void append_cup(std::string& out, int x, int y) {
  out += "\x1b[";
  if (x == 0 && y == 0) {
    out.push_back('H');
    return;
  }
  append_number(out, y + 1);
  if (x != 0) {
    out.push_back(';');
    append_number(out, x + 1);
  }
  out.push_back('H');
}

bool blank_default(const Cell& c) {
  return c.width == 1 && c.text == " " && c.style.fg.is_default() && c.style.bg.is_default() &&
         c.style.attrs == Attr::None && c.style.link.empty();
}

void append_color(std::string& params, Color c, bool background) {
  if (!params.empty()) params.push_back(';');
  switch (c.kind()) {
    case Color::Kind::Default: params += background ? "49" : "39"; break;
    case Color::Kind::Basic: {
      const int i = c.index();
      append_number(params, (i < 8 ? (background ? 40 : 30) : (background ? 100 : 90)) + i % 8);
      break;
    }
    case Color::Kind::Indexed:
      params += background ? "48;5;" : "38;5;";
      append_number(params, c.index());
      break;
    case Color::Kind::Rgb:
      params += background ? "48;2;" : "38;2;";
      append_number(params, c.red());
      params.push_back(';');
      append_number(params, c.green());
      params.push_back(';');
      append_number(params, c.blue());
      break;
  }
}

void append_code(std::string& params, int code) {
  if (!params.empty()) params.push_back(';');
  append_number(params, code);
}

struct AttrCode {
  Attr attr;
  int on;
  int off;
};
constexpr AttrCode kAttrCodes[] = {
    {Attr::Bold, 1, 22},      {Attr::Dim, 2, 22},     {Attr::Italic, 3, 23},
    {Attr::Underline, 4, 24}, {Attr::Reverse, 7, 27}, {Attr::Strikethrough, 9, 29},
};

// The SGR parameters that set `to` from scratch (after a reset).
std::string sgr_from_reset(const Style& to) {
  std::string p = "0";
  for (const AttrCode& a : kAttrCodes) {
    if (has(to.attrs, a.attr)) append_code(p, a.on);
  }
  if (!to.fg.is_default()) append_color(p, to.fg, false);
  if (!to.bg.is_default()) append_color(p, to.bg, true);
  return p;
}

// The SGR parameters that change `from` into `to` without a reset.
std::string sgr_incremental(const Style& from, const Style& to) {
  std::string p;
  const Attr removed = from.attrs & ~to.attrs;
  Attr added = to.attrs & ~from.attrs;
  bool intensity_off = false;
  for (const AttrCode& a : kAttrCodes) {
    if (!has(removed, a.attr) || a.attr == Attr::None) continue;
    if (a.off == 22) {
      if (intensity_off) continue;
      intensity_off = true;
    }
    append_code(p, a.off);
  }
  if (intensity_off) added |= to.attrs & (Attr::Bold | Attr::Dim);  // 22 ended both
  for (const AttrCode& a : kAttrCodes) {
    if (has(added, a.attr) && a.attr != Attr::None) append_code(p, a.on);
  }
  if (from.fg != to.fg) append_color(p, to.fg, false);
  if (from.bg != to.bg) append_color(p, to.bg, true);
  return p;
}

void append_link(std::string& out, const Link& link) {
  out += "\x1b]8;;";
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char ch : link.url()) {
    const auto b = static_cast<unsigned char>(ch);
    if (b > 0x20 && b < 0x7F) {
      out.push_back(ch);
    } else {  // controls (ESC, BEL end the sequence), spaces and non-ASCII: percent-encoded
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    }
  }
  out += "\x1b\\";
}

}  // namespace

// --- Renderer ---------------------------------------------------------------------------------

Renderer::Renderer(TerminalCaps caps) : caps_(caps) {}

const Style& Renderer::effective(const Style& style) const {
  if (last_style_valid_ && style == last_style_in_) return last_style_out_;
  Style e;
  e.fg = downsample(style.fg, caps_.colors);
  e.bg = downsample(style.bg, caps_.colors);
  Attr attrs = style.attrs;
  const auto drop = [&](bool supported, Attr a) {
    if (!supported) attrs = attrs & ~a;
  };
  drop(caps_.bold, Attr::Bold);
  drop(caps_.dim, Attr::Dim);
  drop(caps_.italic, Attr::Italic);
  drop(caps_.underline, Attr::Underline);
  drop(caps_.reverse, Attr::Reverse);
  drop(caps_.strikethrough, Attr::Strikethrough);
  e.attrs = attrs;
  if (caps_.hyperlinks && style.link.url().size() <= kMaxLinkBytes) e.link = style.link;
  last_style_in_ = style;
  last_style_out_ = std::move(e);
  last_style_valid_ = true;
  return last_style_out_;
}

void Renderer::set_style(const Style& style) {
  const Style& e = effective(style);
  if (!pen_known_ || pen_.fg != e.fg || pen_.bg != e.bg || pen_.attrs != e.attrs) {
    std::string params = sgr_from_reset(e);
    if (pen_known_) {
      std::string incremental = sgr_incremental(pen_, e);
      if (incremental.size() < params.size()) params = std::move(incremental);
    }
    out_ += "\x1b[";
    out_ += params;
    out_.push_back('m');
    pen_.fg = e.fg;
    pen_.bg = e.bg;
    pen_.attrs = e.attrs;
    pen_known_ = true;
  }
  if (e.link != link_) {
    append_link(out_, e.link);
    link_ = e.link;
  }
}

void Renderer::write_cell(const Cell& cell, int screen_width) {
  set_style(cell.style);
  out_ += cell.text;
  cx_ += cell.width;
  ++stats_.cells_written;
  // After the last column a terminal defers the wrap: where the cursor is now depends on it.
  if (cx_ >= screen_width) cx_ = -1;
}

Renderer::Horizontal Renderer::plan_horizontal(int from, int to, int y, const Screen& next,
                                               std::size_t& cost) const {
  if (from == to) {
    cost = 0;
    return Horizontal::None;
  }
  Horizontal best = Horizontal::Return;  // CR, then forward
  cost = 1 + (to > 0 ? relative_cost(to) : 0);
  if (from < 0) return best;
  if (to > from) {
    if (relative_cost(to - from) < cost) {
      cost = relative_cost(to - from);
      best = Horizontal::Forward;
    }
    // Writing the unchanged cells again, when they are few and in the current pen.
    if (static_cast<std::size_t>(to - from) <= kMaxThrough && !next.at(from, y).continuation() &&
        (to >= next.width() || !next.at(to, y).continuation())) {
      std::size_t bytes = 0;
      bool ok = true;
      for (int x = from; x < to && ok;) {
        const Cell& c = next.at(x, y);
        const Style& e = effective(c.style);
        ok = pen_known_ && e.fg == pen_.fg && e.bg == pen_.bg && e.attrs == pen_.attrs &&
             e.link == link_ && front_.at(x, y) == c;
        bytes += c.text.size();
        x += std::max<int>(1, c.width);
      }
      if (ok && bytes < cost) {
        cost = bytes;
        best = Horizontal::Through;
      }
    }
  } else {
    const int n = from - to;
    const std::size_t back = n <= 3 ? static_cast<std::size_t>(n) : relative_cost(n);
    if (back < cost) {
      cost = back;
      best = Horizontal::Back;
    }
  }
  return best;
}

void Renderer::emit_horizontal(Horizontal how, int from, int to, int y, const Screen& next) {
  switch (how) {
    case Horizontal::None: break;
    case Horizontal::Forward: append_relative(out_, to - from, 'C'); break;
    case Horizontal::Back:
      if (from - to <= 3) {
        out_.append(static_cast<std::size_t>(from - to), '\b');
      } else {
        append_relative(out_, from - to, 'D');
      }
      break;
    case Horizontal::Return:
      out_.push_back('\r');
      if (to > 0) append_relative(out_, to, 'C');
      break;
    case Horizontal::Through:
      for (int x = from; x < to;) {
        const Cell& c = next.at(x, y);
        out_ += c.text;
        x += std::max<int>(1, c.width);
      }
      break;
  }
  cx_ = to;
}

void Renderer::move_to(int x, int y, const Screen& next) {
  if (cy_ == y && cx_ == x) return;
  // Candidates: an absolute move; a vertical move then a horizontal one; CR LF down to the row
  // then a horizontal move from its start.
  std::size_t best = cup_cost(x, y);
  int plan = 0;
  Horizontal h_plan = Horizontal::None, h_after_newlines = Horizontal::None;
  if (cy_ >= 0) {
    const int dy = y - cy_;
    const std::size_t vertical = dy == 0 ? 0 : relative_cost(dy > 0 ? dy : -dy);
    std::size_t h = 0;
    const Horizontal how = plan_horizontal(cx_, x, y, next, h);
    // Writing through is only planned on the row the cursor is on.
    if (!(how == Horizontal::Through && dy != 0) && vertical + h < best) {
      best = vertical + h;
      plan = 1;
      h_plan = how;
    }
    if (dy > 0 && dy <= 4) {
      std::size_t h2 = 0;
      const Horizontal how2 = plan_horizontal(0, x, y, next, h2);
      if (2 * static_cast<std::size_t>(dy) + h2 < best) {
        best = 2 * static_cast<std::size_t>(dy) + h2;
        plan = 2;
        h_after_newlines = how2;
      }
    }
  }
  if (plan == 0) {
    append_cup(out_, x, y);
  } else if (plan == 1) {
    const int dy = y - cy_;
    if (dy > 0) append_relative(out_, dy, 'B');
    if (dy < 0) append_relative(out_, -dy, 'A');
    emit_horizontal(h_plan, cx_, x, y, next);
  } else {
    for (int k = cy_; k < y; ++k) out_ += "\r\n";
    emit_horizontal(h_after_newlines, 0, x, y, next);
  }
  cx_ = x;
  cy_ = y;
}

void Renderer::render(const Screen& next, ByteSink& sink, std::optional<Point> cursor) {
  out_.clear();
  stats_ = FrameStats{};
  const int w = next.width(), h = next.height();
  if (cursor && !Rect{0, 0, w, h}.contains(cursor->x, cursor->y)) cursor.reset();

  if (!valid_ || front_.width() != w || front_.height() != h) {
    stats_.full = true;
    if (!link_.empty()) {
      append_link(out_, Link());
      link_ = Link();
    }
    if (cursor_visible_ != 0) {
      out_ += "\x1b[?25l";
      cursor_visible_ = 0;
    }
    out_ += "\x1b[0m\x1b[H\x1b[2J";
    pen_ = Style{};
    pen_known_ = true;
    cx_ = cy_ = 0;
    front_.resize(w, h);  // blank: what the clear left
    valid_ = true;
    drawn_id_ = 0;
  }
  const bool same_screen = drawn_id_ == next.id();
  drawn_versions_.resize(static_cast<std::size_t>(h));

  bool hid_cursor = false;
  for (int y = 0; y < h; ++y) {
    const std::uint64_t version = next.row_version(y);
    if (same_screen && drawn_versions_[static_cast<std::size_t>(y)] == version) continue;
    drawn_versions_[static_cast<std::size_t>(y)] = version;
    int blank_from = w;  // the row is blank in the default style from here on (computed lazily)
    bool blank_known = false;
    for (int x = 0; x < w;) {
      const Cell& n = next.at(x, y);
      Cell& f = front_.cell(x, y);
      if (n == f) {
        ++x;
        continue;
      }
      if (n.continuation()) {  // its head was written (or only the style of the half differs)
        f = n;
        ++x;
        continue;
      }
      if (!hid_cursor && cursor_visible_ == 1) {
        out_ += "\x1b[?25l";  // no cursor flickering through the drawing
        cursor_visible_ = 0;
        hid_cursor = true;
      }
      if (!blank_known) {
        blank_from = w;
        while (blank_from > 0 && blank_default(next.at(blank_from - 1, y))) --blank_from;
        blank_known = true;
      }
      if (x >= blank_from && w - x >= 4) {
        // The rest of the row is blank: erase it (EL) if enough of it changed.
        int changed = 0;
        for (int k = x; k < w && changed < 3; ++k)
          changed += front_.at(k, y) == next.at(k, y) ? 0 : 1;
        if (changed >= 3) {
          move_to(x, y, next);
          set_style(Style{});
          out_ += "\x1b[K";
          for (int k = x; k < w; ++k) front_.cell(k, y) = next.at(k, y);
          break;
        }
      }
      move_to(x, y, next);
      write_cell(n, w);
      f = n;
      if (n.width == 2 && x + 1 < w) front_.cell(x + 1, y) = next.at(x + 1, y);
      x += std::max<int>(1, n.width);
    }
  }

  if (!link_.empty()) {
    append_link(out_, Link());
    link_ = Link();
  }
  if (cursor) {
    move_to(cursor->x, cursor->y, next);
    if (cursor_visible_ != 1) {
      out_ += "\x1b[?25h";
      cursor_visible_ = 1;
    }
  } else if (cursor_visible_ != 0) {
    out_ += "\x1b[?25l";
    cursor_visible_ = 0;
  }
  drawn_id_ = next.id();
  stats_.bytes = out_.size();
  if (!out_.empty()) sink.write(out_);
}

}  // namespace aui::tui
