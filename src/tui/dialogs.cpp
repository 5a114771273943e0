#include "aui/tui/dialogs.hpp"

#include <algorithm>
#include <variant>

#include "aui/tui/sanitize.hpp"
#include "aui/tui/text_width.hpp"

namespace aui::tui {

namespace {

EditorOptions field_options() {
  EditorOptions o;
  o.multiline = false;
  o.max_visible_rows = 1;
  return o;
}

// The lines of untrusted text at `width` columns: sanitized first so that a replacement's width
// is what is wrapped.
std::vector<std::string> wrap_untrusted(std::string_view raw, int width) {
  const std::string safe = sanitize(raw).text;
  std::vector<std::string> out;
  for (const WrappedLine& l : wrap_to_width(safe, std::max(1, width))) {
    out.push_back(safe.substr(l.begin, l.end - l.begin));
  }
  return out;
}

char32_t lower(char32_t c) { return c >= U'A' && c <= U'Z' ? c - U'A' + U'a' : c; }

std::string button_text(const DialogButton& b) {
  std::string t = " " + b.label;
  if (b.key) {
    t += " (";
    append_utf8(t, b.key);
    t += ")";
  }
  return t + " ";
}

}  // namespace

void draw_box(Canvas& canvas, Rect r, std::string_view title, const Style& style) {
  if (r.width < 2 || r.height < 2) return;
  canvas.fill(r, style);
  const int right = r.x + r.width - 1, bottom = r.y + r.height - 1;
  for (int x = r.x + 1; x < right; ++x) {
    canvas.put_cluster(x, r.y, "\u2500", style);
    canvas.put_cluster(x, bottom, "\u2500", style);
  }
  for (int y = r.y + 1; y < bottom; ++y) {
    canvas.put_cluster(r.x, y, "\u2502", style);
    canvas.put_cluster(right, y, "\u2502", style);
  }
  canvas.put_cluster(r.x, r.y, "\u250C", style);
  canvas.put_cluster(right, r.y, "\u2510", style);
  canvas.put_cluster(r.x, bottom, "\u2514", style);
  canvas.put_cluster(right, bottom, "\u2518", style);
  if (!title.empty() && r.width > 6) {
    std::string t = sanitize(title).text;
    std::replace(t.begin(), t.end(), '\n', ' ');
    std::replace(t.begin(), t.end(), '\t', ' ');
    canvas.put(r.x + 2, r.y, " " + truncate_to_width(t, r.width - 6) + " ", style.with(Attr::Bold));
  }
}

// ---- ChoiceDialog ---------------------------------------------------------------------------

ChoiceDialog::ChoiceDialog(ChoiceDialogSpec spec)
    : spec_(std::move(spec)), field_(field_options()) {
  focus_ = static_cast<int>(std::min(spec_.default_button, spec_.buttons.size()));
}

int ChoiceDialog::focus_count() const {
  return static_cast<int>(spec_.buttons.size()) + (spec_.input_button ? 1 : 0);
}

std::optional<std::size_t> ChoiceDialog::focused_button() const {
  if (focus_ < static_cast<int>(spec_.buttons.size())) return static_cast<std::size_t>(focus_);
  return std::nullopt;
}

DialogOutcome ChoiceDialog::choose(std::size_t button) {
  if (button >= spec_.buttons.size()) return {DialogOutcome::Kind::Handled, {}, {}};
  return {DialogOutcome::Kind::Chosen, spec_.buttons[button].id, field_.text()};
}

DialogOutcome ChoiceDialog::handle(const InputEvent& event) {
  using K = DialogOutcome::Kind;
  const DialogOutcome handled{K::Handled, {}, {}};
  const int n = std::max(1, focus_count());
  const bool in_field = spec_.input_button && !focused_button();
  if (const auto* m = std::get_if<MouseEvent>(&event)) {
    if (m->button == MouseButton::WheelUp || m->button == MouseButton::WheelDown) {
      body_scroll_ = std::max(0, body_scroll_ + (m->button == MouseButton::WheelUp ? -1 : 1));
      return handled;
    }
    if (m->action != MouseAction::Press || m->button != MouseButton::Left) return {};
    for (std::size_t i = 0; i < button_areas_.size(); ++i) {
      if (button_areas_[i].contains(m->x, m->y)) return choose(i);
    }
    return {};
  }
  if (const auto* k = std::get_if<KeyEvent>(&event)) {
    if (k->key == Key::Escape) return {K::Cancelled, {}, {}};
    if (k->key == Key::Tab) {
      focus_ = (focus_ + 1) % n;
      return handled;
    }
    if (k->key == Key::BackTab) {
      focus_ = (focus_ + n - 1) % n;
      return handled;
    }
    if (in_field) {
      if (k->key == Key::Enter) return choose(*spec_.input_button);
      field_.handle(event);
      return handled;
    }
    switch (k->key) {
      case Key::Enter: return choose(static_cast<std::size_t>(focus_));
      case Key::Left: focus_ = (focus_ + n - 1) % n; return handled;
      case Key::Right: focus_ = (focus_ + 1) % n; return handled;
      case Key::Up: body_scroll_ = std::max(0, body_scroll_ - 1); return handled;
      case Key::Down: ++body_scroll_; return handled;
      case Key::PageUp:
        body_scroll_ = std::max(0, body_scroll_ - body_rows_visible_);
        return handled;
      case Key::PageDown: body_scroll_ += body_rows_visible_; return handled;
      default: return {};
    }
  }
  if (const auto* t = std::get_if<TextEvent>(&event)) {
    if (in_field) {
      field_.handle(event);
      return handled;
    }
    const Decoded d = decode_utf8(t->text, 0);
    if (d.length == t->text.size()) {
      for (std::size_t i = 0; i < spec_.buttons.size(); ++i) {
        if (spec_.buttons[i].key && lower(d.code_point) == spec_.buttons[i].key) return choose(i);
      }
    }
    if (spec_.input_button) {  // other typing goes to the field
      focus_ = static_cast<int>(spec_.buttons.size());
      field_.handle(event);
      return handled;
    }
    return {};
  }
  if (std::holds_alternative<PasteEvent>(event) && spec_.input_button) {
    focus_ = static_cast<int>(spec_.buttons.size());
    field_.handle(event);
    return handled;
  }
  return {};
}

void ChoiceDialog::draw(Canvas& canvas) {
  button_areas_.assign(spec_.buttons.size(), Rect{});
  field_cursor_.reset();
  const int width = std::min(canvas.width(), 72);
  const int inner = width - 4;
  if (inner < 1 || canvas.height() < 5) return;
  const auto body = wrap_untrusted(spec_.body, inner);
  // Buttons flow onto as many rows as they need.
  std::vector<std::string> labels;
  std::vector<Point> at;  // relative to the first button row
  int bx = 0, brow = 0;
  for (const auto& b : spec_.buttons) {
    labels.push_back("[" + button_text(b) + "]");
    const int w = static_cast<int>(display_width(labels.back()));
    if (bx > 0 && bx + w > inner) {
      bx = 0;
      ++brow;
    }
    at.push_back(Point{bx, brow});
    bx += w + 1;
  }
  const int button_rows = spec_.buttons.empty() ? 0 : brow + 1;
  const int fixed = 2 + 1 + button_rows + (spec_.input_button ? 1 : 0);
  const int body_rows = std::clamp(static_cast<int>(body.size()), 0, canvas.height() - fixed);
  body_rows_visible_ = std::max(1, body_rows);
  body_scroll_ =
      std::clamp(body_scroll_, 0, std::max(0, static_cast<int>(body.size()) - body_rows));
  const int height = fixed + body_rows;
  const Rect box{(canvas.width() - width) / 2, (canvas.height() - height) / 2, width, height};
  draw_box(canvas, box, spec_.title);
  int y = box.y + 1;
  for (int i = 0; i < body_rows; ++i, ++y) {
    canvas.put(box.x + 2, y, body[static_cast<std::size_t>(body_scroll_ + i)]);
  }
  if (body_scroll_ + body_rows < static_cast<int>(body.size())) {
    canvas.put(box.x + width - 3, y - 1, "\u2193", Style{}.with(Attr::Dim));  // more below
  }
  if (spec_.input_button) {
    int x = canvas.put(box.x + 2, y, spec_.input_label, Style{}.with(Attr::Dim)) + 1;
    const bool focused = !focused_button();
    Style fs = focused ? Style{}.with(Attr::Underline) : Style{}.with(Attr::Dim);
    Canvas f = canvas.sub(x, y, box.x + width - 2 - x, 1);
    f.fill(fs);
    field_.draw(f);
    f.restyle(Rect{0, 0, f.width(), 1}, fs);
    if (focused) field_cursor_ = field_.cursor_position();
    ++y;
  }
  ++y;
  const Rect area = canvas.area();
  Canvas inside = canvas.sub(box.x + 2, y, inner, button_rows);
  for (std::size_t i = 0; i < spec_.buttons.size(); ++i) {
    const bool focused = focused_button() == i;
    const Style s = focused ? Style{}.with(Attr::Reverse).with(Attr::Bold) : Style{};
    const int end = inside.put(at[i].x, at[i].y, labels[i], s);
    button_areas_[i] = Rect{area.x + box.x + 2 + at[i].x, area.y + y + at[i].y, end - at[i].x, 1};
  }
}

std::optional<Point> ChoiceDialog::cursor_position() const { return field_cursor_; }

ChoiceDialog make_approval_dialog(std::string_view tool_name, std::string_view arguments) {
  ChoiceDialogSpec s;
  s.title = "Allow the tool \u201C" + std::string(tool_name) + "\u201D to run?";
  s.body = "Arguments:\n" + std::string(arguments);
  s.buttons = {{"allow_once", "Allow once", U'y'},
               {"allow_always", "Always allow", U'a'},
               {"deny", "Deny", U'n'}};
  s.input_button = 2;
  s.input_label = "Reason for denying (optional):";
  s.default_button = 0;
  return ChoiceDialog(std::move(s));
}

ChoiceDialog make_confirm_dialog(std::string_view title, std::string_view body,
                                 std::string_view confirm_label) {
  ChoiceDialogSpec s;
  s.title = std::string(title);
  s.body = std::string(body);
  s.buttons = {{"confirm", std::string(confirm_label), U'y'}, {"cancel", "Cancel", U'n'}};
  s.default_button = 1;
  return ChoiceDialog(std::move(s));
}

// ---- HumanToolForm --------------------------------------------------------------------------

HumanToolForm::HumanToolForm(std::string title, std::string prompt)
    : title_(std::move(title)), prompt_(std::move(prompt)), editor_([] {
        EditorOptions o;
        o.placeholder = "Type the answer";
        o.max_visible_rows = 6;
        return o;
      }()) {}

DialogOutcome HumanToolForm::handle(const InputEvent& event) {
  using K = DialogOutcome::Kind;
  if (const auto* k = std::get_if<KeyEvent>(&event); k && k->key == Key::Escape) {
    return {K::Cancelled, {}, {}};
  }
  if (std::holds_alternative<MouseEvent>(event) || std::holds_alternative<FocusEvent>(event)) {
    return {};
  }
  EditorOutcome out = editor_.handle(event);
  if (out.kind == EditorOutcome::Kind::Submitted) return {K::Chosen, "submit", std::move(out.text)};
  return {out.kind == EditorOutcome::Kind::Ignored ? K::Ignored : K::Handled, {}, {}};
}

void HumanToolForm::draw(Canvas& canvas) {
  const int width = std::min(canvas.width(), 72);
  const int inner = width - 4;
  if (inner < 1 || canvas.height() < 6) return;
  const auto prompt = wrap_untrusted(prompt_, inner);
  const int editor_rows = std::min(editor_.preferred_height(inner), 6);
  const int fixed = 2 + 1 + editor_rows + 1;  // borders, gap, editor, hint
  const int prompt_rows = std::clamp(static_cast<int>(prompt.size()), 0, canvas.height() - fixed);
  const int height = fixed + prompt_rows;
  const Rect box{(canvas.width() - width) / 2, (canvas.height() - height) / 2, width, height};
  draw_box(canvas, box, title_);
  int y = box.y + 1;
  for (int i = 0; i < prompt_rows; ++i, ++y) {
    canvas.put(box.x + 2, y, prompt[static_cast<std::size_t>(i)]);
  }
  ++y;
  Canvas e = canvas.sub(box.x + 2, y, inner, editor_rows);
  editor_.draw(e);
  y += editor_rows;
  canvas.put(box.x + 2, y,
             truncate_to_width("Enter submits \u00B7 Alt-Enter new line \u00B7 Esc cancels", inner),
             Style{}.with(Attr::Dim));
}

}  // namespace aui::tui
