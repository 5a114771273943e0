#pragma once
// Modal dialogs: a generic ChoiceDialog (title, body, buttons with keys, an optional one-line
// field), the tool approval and confirmation dialogs built on it, and HumanToolForm (a prompt and
// an Editor for a human tool's answer).
//
// Like every component here they report what the user chose; the program acts on it. Titles,
// bodies and prompts are untrusted (tool names and arguments come from a model): they are
// sanitized and controls, escape sequences and bidi overrides shown as visible replacements.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aui/tui/editor.hpp"
#include "aui/tui/input.hpp"
#include "aui/tui/screen.hpp"

namespace aui::tui {

/// A button: what the program gets back (`id`), what the user sees, and the key that presses it
/// (a lower-case character; 0 for none).
struct DialogButton {
  std::string id;
  std::string label;
  char32_t key = 0;
};

/// What a dialog made of an event.
struct DialogOutcome {
  enum class Kind : unsigned char {
    Ignored,    // not the dialog's (mouse outside it, a focus change)
    Handled,    // focus moved, the field or the scroll changed
    Chosen,     // a button was pressed: `button` is its id, `input` the field's text
    Cancelled,  // Esc
  };
  Kind kind = Kind::Ignored;
  std::string button;
  std::string input;
};

/// The contents of a ChoiceDialog.
struct ChoiceDialogSpec {
  std::string title;
  std::string body;  // untrusted; newlines kept, wrapped to the box
  std::vector<DialogButton> buttons;
  /// The index of the button that Enter in the field presses; the field is shown only when set.
  std::optional<std::size_t> input_button;
  std::string input_label;  // shown before the field, e.g. "Reason (optional):"
  std::size_t default_button = 0;
};

/// A modal dialog box drawn centred in the canvas it is given.
///
/// Keys: a button's key presses it (while the field is not focused); Left/Right and Tab/Shift-Tab
/// move the focus among the buttons and the field; Enter presses the focused button (in the field,
/// the field's button); PgUp/PgDn/Up/Down scroll a long body; Esc cancels. A left click on a
/// button presses it.
class ChoiceDialog {
 public:
  explicit ChoiceDialog(ChoiceDialogSpec spec);

  DialogOutcome handle(const InputEvent& event);
  /// Draws the box centred in `canvas` (the rest of the canvas is left as it is).
  void draw(Canvas& canvas);
  /// Where the terminal cursor goes (in the field when it has focus), after draw().
  std::optional<Point> cursor_position() const;

  const ChoiceDialogSpec& spec() const noexcept { return spec_; }
  /// The focused button's index, or nullopt while the field has focus.
  std::optional<std::size_t> focused_button() const;
  /// The field's text.
  std::string input() const { return field_.text(); }

 private:
  DialogOutcome choose(std::size_t button);
  int focus_count() const;

  ChoiceDialogSpec spec_;
  Editor field_;
  int focus_ = 0;  // 0..buttons-1, buttons.size() is the field
  int body_scroll_ = 0;
  int body_rows_visible_ = 1;
  std::vector<Rect> button_areas_;  // screen coordinates, from the last draw
  std::optional<Point> field_cursor_;
};

/// The dialog for a tool call that needs approval: "Allow once" (y), "Always allow" (a), "Deny"
/// (n) with an optional reason typed in the field. Button ids: "allow_once", "allow_always",
/// "deny". `arguments` is shown as given (pretty-print JSON before); both are untrusted.
ChoiceDialog make_approval_dialog(std::string_view tool_name, std::string_view arguments);

/// A yes/no confirmation: `confirm_label` (y, id "confirm") and "Cancel" (n, id "cancel"),
/// Cancel focused so that a stray Enter does not confirm a destructive action.
ChoiceDialog make_confirm_dialog(std::string_view title, std::string_view body,
                                 std::string_view confirm_label);

/// A human tool's form: the tool's prompt and an Editor for the answer (text or JSON, as the tool
/// asks; the program parses it). Enter submits (Alt-Enter/Ctrl-J for a newline), Esc cancels.
class HumanToolForm {
 public:
  HumanToolForm(std::string title, std::string prompt);

  /// Submitted: DialogOutcome::Chosen with button "submit" and the text in `input`.
  DialogOutcome handle(const InputEvent& event);
  void draw(Canvas& canvas);
  std::optional<Point> cursor_position() const { return editor_.cursor_position(); }
  Editor& editor() noexcept { return editor_; }

 private:
  std::string title_;
  std::string prompt_;
  Editor editor_;
};

/// Draws a box border (single line) around `r` of `canvas` with `title` in the top edge, and
/// fills its inside blank. Shared by the dialogs, the palette and the help overlay.
void draw_box(Canvas& canvas, Rect r, std::string_view title, const Style& style = {});

}  // namespace aui::tui
