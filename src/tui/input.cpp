// Decoding terminal input.

#include "aui/tui/input.hpp"

#include <algorithm>

#include "aui/tui/text_width.hpp"

namespace aui::tui {

namespace {

constexpr std::string_view kPasteEnd = "\x1b[201~";
constexpr std::size_t kMaxCsi = 64;  // a longer "sequence" is garbage and is dropped

Mod modifiers_from_param(int param) {
  if (param < 2) return Mod::None;
  const int bits = param - 1;
  Mod m = Mod::None;
  if (bits & 1) m = m | Mod::Shift;
  if (bits & (2 | 8)) m = m | Mod::Alt;  // Alt, or Meta, which terminals use for Alt too
  if (bits & 4) m = m | Mod::Ctrl;
  return m;
}

// The key a C0 control byte (or DEL) stands for.
KeyEvent control_key(unsigned char c) {
  switch (c) {
    case '\r': return {Key::Enter, Mod::None, 0};
    case '\t': return {Key::Tab, Mod::None, 0};
    case 0x7F: return {Key::Backspace, Mod::None, 0};
    case 0x08: return {Key::Backspace, Mod::Ctrl, 0};  // ^H: Ctrl-Backspace in most terminals
    case 0x00: return {Key::Char, Mod::Ctrl, U' '};
    default: break;
  }
  if (c >= 0x01 && c <= 0x1A) return {Key::Char, Mod::Ctrl, static_cast<char32_t>('a' + c - 1)};
  static constexpr char32_t kRest[] = {U'\\', U']', U'^', U'_'};  // 0x1C–0x1F
  if (c >= 0x1C && c <= 0x1F) return {Key::Char, Mod::Ctrl, kRest[c - 0x1C]};
  return {Key::Escape, Mod::None, 0};
}

// A character key with modifiers: upper-case letters become lower case with Shift.
KeyEvent char_key(char32_t cp, Mod mods) {
  if (cp >= 'A' && cp <= 'Z') return {Key::Char, mods | Mod::Shift, cp - 'A' + 'a'};
  return {Key::Char, mods, cp};
}

// The key of a Unicode code in the kitty / modifyOtherKeys reports.
std::optional<KeyEvent> code_key(int code, Mod mods) {
  switch (code) {
    case 13: return KeyEvent{Key::Enter, mods, 0};
    case 9: return KeyEvent{Key::Tab, mods, 0};
    case 27: return KeyEvent{Key::Escape, mods, 0};
    case 127:
    case 8: return KeyEvent{Key::Backspace, mods, 0};
    default: break;
  }
  if (code < 0x20 || code > 0x10FFFF) return std::nullopt;
  return char_key(static_cast<char32_t>(code), mods);
}

void push_key(std::vector<InputEvent>& out, KeyEvent k) { out.emplace_back(k); }

}  // namespace

InputDecoder::InputDecoder(InputOptions options) : options_(options) {}

void InputDecoder::emit_text(std::string_view text, std::vector<InputEvent>& out) {
  if (text.empty()) return;
  if (!out.empty()) {
    if (auto* t = std::get_if<TextEvent>(&out.back())) {
      t->text.append(text);
      return;
    }
  }
  out.emplace_back(TextEvent{std::string(text)});
}

void InputDecoder::take_paste(std::vector<InputEvent>& out) {
  const std::size_t from =
      paste_scanned_ > kPasteEnd.size() ? paste_scanned_ - kPasteEnd.size() : 0;
  const std::size_t end = paste_.find(kPasteEnd, from);
  if (end == std::string::npos) {
    // Past the limit, keep only a tail long enough to hold a split end marker.
    if (paste_.size() > options_.max_paste_bytes + kPasteEnd.size()) {
      paste_.erase(options_.max_paste_bytes,
                   paste_.size() - options_.max_paste_bytes - kPasteEnd.size());
    }
    paste_scanned_ = paste_.size();
    return;
  }
  std::string rest = paste_.substr(end + kPasteEnd.size());
  paste_.resize(std::min(end, options_.max_paste_bytes));
  // Terminals send Enter as CR inside a paste: newlines are LF.
  std::string text;
  text.reserve(paste_.size());
  for (std::size_t i = 0; i < paste_.size(); ++i) {
    if (paste_[i] == '\r') {
      text.push_back('\n');
      if (i + 1 < paste_.size() && paste_[i + 1] == '\n') ++i;
    } else {
      text.push_back(paste_[i]);
    }
  }
  out.emplace_back(PasteEvent{std::move(text)});
  paste_.clear();
  paste_scanned_ = 0;
  in_paste_ = false;
  buf_.insert(0, rest);
}

void InputDecoder::feed(std::string_view bytes, Clock::time_point now,
                        std::vector<InputEvent>& out) {
  if (in_paste_) {
    paste_.append(bytes);
    take_paste(out);
    if (in_paste_) return;
  } else {
    buf_.append(bytes);
  }
  std::size_t pos = 0;
  bool progressed = false;
  while (pos < buf_.size()) {
    const std::size_t used = decode_one(pos, out);
    if (used == 0) break;
    pos += used;
    progressed = true;
    if (in_paste_) {  // the start marker: the rest of the input is the paste
      paste_.assign(buf_, pos, std::string::npos);
      buf_.clear();
      pos = 0;
      take_paste(out);
      if (in_paste_) {
        waiting_since_.reset();
        return;
      }
    }
  }
  buf_.erase(0, pos);
  if (buf_.empty()) {
    waiting_since_.reset();
  } else if (progressed || !waiting_since_) {
    waiting_since_ = now;
  }
}

std::optional<InputDecoder::Clock::time_point> InputDecoder::pending_deadline() const {
  if (buf_.empty() || in_paste_ || !waiting_since_) return std::nullopt;
  return *waiting_since_ + options_.escape_timeout;
}

void InputDecoder::flush_pending(Clock::time_point now, std::vector<InputEvent>& out) {
  const auto deadline = pending_deadline();
  if (!deadline || now < *deadline) return;
  std::string rest;
  if (buf_[0] == '\x1b') {
    push_key(out, KeyEvent{Key::Escape, Mod::None, 0});
    rest = buf_.substr(1);
  } else {
    emit_text("\uFFFD", out);  // the start of a UTF-8 character whose rest never came
    rest = buf_.substr(1);
  }
  buf_.clear();
  waiting_since_.reset();
  feed(rest, now, out);
}

std::size_t InputDecoder::decode_one(std::size_t pos, std::vector<InputEvent>& out) {
  const auto c = static_cast<unsigned char>(buf_[pos]);
  if (c == 0x1B) return decode_escape(pos, out);
  if (c < 0x20 || c == 0x7F) {
    if (c == '\n') {
      push_key(out, KeyEvent{Key::Char, Mod::Ctrl, U'j'});  // Ctrl-J (LF): Enter is CR
    } else {
      push_key(out, control_key(c));
    }
    return 1;
  }
  // A run of text.
  std::size_t i = pos;
  std::string replaced;
  bool any_invalid = false;
  while (i < buf_.size()) {
    const auto b = static_cast<unsigned char>(buf_[i]);
    if (b < 0x80) {
      if (b < 0x20 || b == 0x7F) break;
      ++i;
      continue;
    }
    const Decoded d = decode_utf8(buf_, i);
    if (!d.valid) {
      // A character cut at the end of what arrived: wait for its rest.
      const std::size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
      if (i + d.length >= buf_.size() && need > d.length) break;
      any_invalid = true;
    } else if (d.code_point >= 0x80 && d.code_point <= 0x9F) {
      any_invalid = true;  // a C1 control is no text
    }
    i += d.length;
  }
  if (i == pos) return 0;  // only an incomplete character
  const std::string_view run(buf_.data() + pos, i - pos);
  if (!any_invalid) {
    emit_text(run, out);
  } else {
    std::string clean;
    for (std::size_t k = 0; k < run.size();) {
      const Decoded d = decode_utf8(run, k);
      if (!d.valid || (d.code_point >= 0x80 && d.code_point <= 0x9F)) {
        if (!d.valid) clean += "\uFFFD";
      } else {
        clean.append(run.substr(k, d.length));
      }
      k += d.length;
    }
    emit_text(clean, out);
  }
  return i - pos;
}

std::size_t InputDecoder::decode_escape(std::size_t pos, std::vector<InputEvent>& out) {
  if (pos + 1 >= buf_.size()) return 0;  // a lone ESC, for now
  const auto next = static_cast<unsigned char>(buf_[pos + 1]);
  if (next == '[') return decode_csi(pos, out);
  if (next == 'O') {  // SS3
    if (pos + 2 >= buf_.size()) return 0;
    switch (buf_[pos + 2]) {
      case 'A': push_key(out, {Key::Up, Mod::None, 0}); break;
      case 'B': push_key(out, {Key::Down, Mod::None, 0}); break;
      case 'C': push_key(out, {Key::Right, Mod::None, 0}); break;
      case 'D': push_key(out, {Key::Left, Mod::None, 0}); break;
      case 'H': push_key(out, {Key::Home, Mod::None, 0}); break;
      case 'F': push_key(out, {Key::End, Mod::None, 0}); break;
      case 'P': push_key(out, {Key::F1, Mod::None, 0}); break;
      case 'Q': push_key(out, {Key::F2, Mod::None, 0}); break;
      case 'R': push_key(out, {Key::F3, Mod::None, 0}); break;
      case 'S': push_key(out, {Key::F4, Mod::None, 0}); break;
      case 'M': push_key(out, {Key::Enter, Mod::None, 0}); break;  // keypad Enter
      default: push_key(out, char_key(U'O', Mod::Alt)); return 2;  // Alt-Shift-O, then the rest
    }
    return 3;
  }
  if (next == 0x1B) {  // ESC ESC: the Esc key, then whatever the second one starts
    push_key(out, {Key::Escape, Mod::None, 0});
    return 1;
  }
  if (next < 0x20 || next == 0x7F) {  // Alt with a control key: Alt-Enter, Alt-Backspace, ...
    KeyEvent k = next == '\n' ? KeyEvent{Key::Char, Mod::Ctrl, U'j'} : control_key(next);
    k.mods = k.mods | Mod::Alt;
    push_key(out, k);
    return 2;
  }
  // Alt with a character.
  const Decoded d = decode_utf8(buf_, pos + 1);
  if (!d.valid) {
    const std::size_t need = next >= 0xF0 ? 4 : next >= 0xE0 ? 3 : next >= 0xC2 ? 2 : 0;
    if (pos + 1 + d.length >= buf_.size() && need > d.length) return 0;
    push_key(out, {Key::Escape, Mod::None, 0});
    return 1;
  }
  push_key(out, char_key(d.code_point, Mod::Alt));
  return 1 + d.length;
}

std::size_t InputDecoder::decode_csi(std::size_t pos, std::vector<InputEvent>& out) {
  const std::size_t start = pos + 2;
  std::size_t i = start;
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(buf_[k]); };
  while (i < buf_.size() && at(i) >= 0x20 && at(i) <= 0x3F && i - pos < kMaxCsi) ++i;
  if (i >= buf_.size()) return 0;                                          // cut short
  if (i - pos >= kMaxCsi || at(i) < 0x40 || at(i) > 0x7E) return i - pos;  // garbage: dropped
  const char final = static_cast<char>(at(i));
  std::size_t length = i + 1 - pos;
  std::string_view params(buf_.data() + start, i - start);
  char marker = 0;
  if (!params.empty() &&
      (params[0] == '<' || params[0] == '?' || params[0] == '>' || params[0] == '=')) {
    marker = params[0];
    params.remove_prefix(1);
  }
  // Numbers separated by ';' (sub-parameters after ':' are skipped).
  int p[8] = {0};
  int count = 0;
  {
    int value = 0;
    bool sub = false, any = false;
    for (char ch : params) {
      if (ch >= '0' && ch <= '9') {
        if (!sub) value = std::min(value * 10 + (ch - '0'), 1 << 24);
        any = true;
      } else if (ch == ';') {
        if (count < 8) p[count++] = value;
        value = 0;
        sub = false;
      } else if (ch == ':') {
        sub = true;
      }
    }
    if ((any || !params.empty()) && count < 8) p[count++] = value;
  }
  const Mod mods = count >= 2 ? modifiers_from_param(p[1]) : Mod::None;

  if (marker == '<' && (final == 'M' || final == 'm')) {  // SGR mouse
    if (count < 3) return length;
    const int b = p[0];
    MouseEvent m;
    m.x = std::max(0, p[1] - 1);
    m.y = std::max(0, p[2] - 1);
    if (b & 4) m.mods = m.mods | Mod::Shift;
    if (b & 8) m.mods = m.mods | Mod::Alt;
    if (b & 16) m.mods = m.mods | Mod::Ctrl;
    const int button = (b & 3) | ((b >> 4) & 0xC);  // bits 0–1, plus 64 and 128 as 4 and 8
    if (b & 64) {
      static constexpr MouseButton kWheel[] = {MouseButton::WheelUp, MouseButton::WheelDown,
                                               MouseButton::WheelLeft, MouseButton::WheelRight};
      m.button = (b & 128) ? MouseButton::Other : kWheel[b & 3];
      m.action = MouseAction::Press;
    } else if (b & 128) {
      m.button = MouseButton::Other;
      m.action = final == 'm' ? MouseAction::Release : MouseAction::Press;
    } else {
      static constexpr MouseButton kButtons[] = {MouseButton::Left, MouseButton::Middle,
                                                 MouseButton::Right, MouseButton::None};
      m.button = kButtons[button & 3];
      if (b & 32) {
        m.action = m.button == MouseButton::None ? MouseAction::Move : MouseAction::Drag;
      } else {
        m.action = final == 'm' ? MouseAction::Release : MouseAction::Press;
      }
    }
    out.emplace_back(m);
    return length;
  }
  if (marker != 0) return length;  // other private reports: not input we use
  switch (final) {
    case 'M':
      if (params.empty()) {  // X10 mouse: three more bytes
        if (i + 3 >= buf_.size()) return 0;
        const int b = at(i + 1) - 32;
        MouseEvent m;
        m.x = std::max(0, at(i + 2) - 33);
        m.y = std::max(0, at(i + 3) - 33);
        if (b & 64) {
          m.button = (b & 1) ? MouseButton::WheelDown : MouseButton::WheelUp;
        } else if ((b & 3) == 3) {
          m.button = MouseButton::Left;  // X10 does not say which was released
          m.action = MouseAction::Release;
        } else {
          static constexpr MouseButton kButtons[] = {MouseButton::Left, MouseButton::Middle,
                                                     MouseButton::Right};
          m.button = kButtons[b & 3];
          m.action = (b & 32) ? MouseAction::Drag : MouseAction::Press;
        }
        out.emplace_back(m);
        return length + 3;
      }
      return length;
    case 'A': push_key(out, {Key::Up, mods, 0}); return length;
    case 'B': push_key(out, {Key::Down, mods, 0}); return length;
    case 'C': push_key(out, {Key::Right, mods, 0}); return length;
    case 'D': push_key(out, {Key::Left, mods, 0}); return length;
    case 'H': push_key(out, {Key::Home, mods, 0}); return length;
    case 'F': push_key(out, {Key::End, mods, 0}); return length;
    case 'P': push_key(out, {Key::F1, mods, 0}); return length;
    case 'Q': push_key(out, {Key::F2, mods, 0}); return length;
    case 'R': push_key(out, {Key::F3, mods, 0}); return length;
    case 'S': push_key(out, {Key::F4, mods, 0}); return length;
    case 'Z': push_key(out, {Key::BackTab, mods, 0}); return length;
    case 'I': out.emplace_back(FocusEvent{true}); return length;
    case 'O': out.emplace_back(FocusEvent{false}); return length;
    case 'u':  // kitty's keyboard protocol: code;mods u
      if (count >= 1) {
        if (auto k = code_key(p[0], mods)) {
          if (k->key == Key::Char && (k->mods & (Mod::Ctrl | Mod::Alt)) == Mod::None) {
            std::string text;
            append_utf8(text, static_cast<char32_t>(p[0]));
            emit_text(text, out);
          } else {
            push_key(out, *k);
          }
        }
      }
      return length;
    case '~': break;
    default: return length;  // a report we do not use
  }
  // CSI n ~ (and CSI 27 ; mods ; code ~, xterm's modifyOtherKeys)
  if (count < 1) return length;
  switch (p[0]) {
    case 1:
    case 7: push_key(out, {Key::Home, mods, 0}); break;
    case 2: push_key(out, {Key::Insert, mods, 0}); break;
    case 3: push_key(out, {Key::Delete, mods, 0}); break;
    case 4:
    case 8: push_key(out, {Key::End, mods, 0}); break;
    case 5: push_key(out, {Key::PageUp, mods, 0}); break;
    case 6: push_key(out, {Key::PageDown, mods, 0}); break;
    case 11: push_key(out, {Key::F1, mods, 0}); break;
    case 12: push_key(out, {Key::F2, mods, 0}); break;
    case 13: push_key(out, {Key::F3, mods, 0}); break;
    case 14: push_key(out, {Key::F4, mods, 0}); break;
    case 15: push_key(out, {Key::F5, mods, 0}); break;
    case 17: push_key(out, {Key::F6, mods, 0}); break;
    case 18: push_key(out, {Key::F7, mods, 0}); break;
    case 19: push_key(out, {Key::F8, mods, 0}); break;
    case 20: push_key(out, {Key::F9, mods, 0}); break;
    case 21: push_key(out, {Key::F10, mods, 0}); break;
    case 23: push_key(out, {Key::F11, mods, 0}); break;
    case 24: push_key(out, {Key::F12, mods, 0}); break;
    case 27:
      if (count >= 3) {
        if (auto k = code_key(p[2], mods)) push_key(out, *k);
      }
      break;
    case 200: in_paste_ = true; break;
    default: break;  // 201 without a start, or unknown
  }
  return length;
}

}  // namespace aui::tui
