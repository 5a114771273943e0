#!/usr/bin/env bash
# Drives the full-screen aui-chat (what it opens on a terminal) in tmux with the demo adapter,
# inside an interactive bash so that Ctrl-Z and fg work as for a user: Markdown, edit → a new
# branch → the picker moves, regenerate, the approval dialog (deny with a reason, allow once,
# always allow), a human tool's answer form, a 100 kB paste sent as one message, a /command's
# output, hostile content imported into a thread, new thread, the sidebar (switch, search), the
# palette and help, 20 resizes, Ctrl-Z/fg, quit with a tool call waiting — then the terminal is
# restored (alternate screen left, cursor visible, echo on), a restart resumes the waiting call
# (allowed: its result shows) and the threads were saved.
#
# Every wait is for a short phrase that cannot straddle a line break (the app wraps text to the
# window), polled with a bounded wait: timing never decides the verdict.
#
# usage: aui_chat_full_screen_features_tmux_test.sh path/to/aui-chat   exit 77 without tmux
set -euo pipefail
app="${1:?usage: $0 path/to/aui-chat}"
[ -x "$app" ] || { echo "FAILED: $app is not an executable; build it first"; exit 1; }
command -v tmux >/dev/null || { echo "SKIPPED: tmux is not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIPPED: python3 is not installed"; exit 77; }

socket_name="aui-chat-fsf-test"
source "$(dirname "$0")/../support/tmux_test.sh"


export_dir="$workdir/export"
mkdir -p "$export_dir"
# An interactive shell (job control for Ctrl-Z/fg); the app runs in it.
tm new-session -d -s "$session" -x 100 -y 32 "env -i HOME='$workdir' PATH='$PATH' TERM=xterm-256color LANG=C.UTF-8 PS1='sh\$ ' bash --norc --noprofile -i"
wait_for 'sh$'
type_line "XDG_DATA_HOME='$workdir/data' '$app' --new --demo-delay-ms 5 --suggestions off; echo \"exited \$?\""
wait_for "Type a message"
[ "$(pane '#{alternate_on}')" = 1 ] || fail "the app is not on the alternate screen"

# Send, stream, Markdown: the demo's help is a list with inline code; rendered, no backticks.
type_line "help"
wait_for "• type anything"
wait_for "allow it)"  # the reply's last words
screen | grep -qF '`/regen`' && fail "inline code shown with its backticks (no Markdown)"

# Edit the user message (Tab focuses the last message, Up the one before): a new branch.
keys Tab
wait_for "messages: c copy"
keys Up
type_text "e"
wait_for "editing a message"
keys End
type_text " commands"
keys Enter
wait_for "‹ 2/2 ›"
wait_for "allow it)"
# The picker moves back to the first branch ([ on the focused user message).
keys Tab
wait_for "messages: c copy"
keys Up
type_text "["
wait_for "‹ 1/2 ›"
keys Escape
wait_gone "messages: c copy"

# Regenerate the reply (r on the focused reply): the reply shows a picker of its own.
keys Tab
wait_for "messages: c copy"
type_text "r"
wait_for "‹ 2/2 ›"
wait_for "allow it)"
keys Escape
wait_gone "messages: c copy"

# The approval dialog: deny with a reason, then allow once, then always allow.
type_line "deploy the web service"
wait_for "Allow the tool"
keys Tab Tab Tab
type_text "not today"
keys Enter
wait_for "reason: not today"
wait_for "deploy · denied"
type_line "deploy again"
wait_for "Allow the tool"
# Esc closes the dialog; the call still waits, and its card takes the decision (a: allow once).
keys Escape
wait_for "a tool call waits for you"
keys Tab
wait_for "messages: c copy"
type_text "a"
wait_for "deploy · done"
wait_for "demo)."  # the resumed reply's end (Esc during a reply would cancel it)
keys Escape
wait_gone "messages: c copy"
type_line "deploy to staging"
wait_for "Allow the tool"
type_text "a"
wait_gone "Allow the tool"
type_line "deploy once more"
# Always allowed: no dialog asks, so the next message typed goes out (a dialog would have taken
# its keys) and gets its reply.
wait_for "deploy once more"
type_line "hi quokka"
wait_for 'quokka"'  # the word quoted in the demo's reply (the user's message has no quote)
screen | grep -qF "Allow the tool" && fail "always allow asked again"

# A human tool: the answer form opens; the answer becomes the call's result.
type_line "send an email to bob"
wait_for "Answer for send_email"
type_text '{"sent": true}'
keys Enter
wait_gone "Answer for send_email"
wait_for "send_email · done"

# A 100 kB paste (2,500 lines) stays one message: it is sent whole by one Enter.
python3 -c '
for i in range(1, 2501): print("pasteline %04d %s" % (i, "x" * 25))' > "$workdir/paste.txt"
tm load-buffer -b big "$workdir/paste.txt"
tm paste-buffer -p -d -b big -t "$session"
wait_for "pasteline 2500"
keys Enter
# The demo echoes it all (slowly): once the echo starts, Esc cancels it.
wait_for '"pasteline'  # quoted in the echo (the pasted lines have no quote)
keys Escape
wait_for "cancelled"

# A /command: its output is shown in the app (a box for long output, Esc closes it).
type_line "/history"
wait_for "1. user"
keys Escape
wait_gone "1. user"

# A thread with hostile content, imported: shown as visible replacements, never acted on.
type_line "/export $export_dir/t.json"
wait_for "exported"
python3 - "$export_dir/t.json" "$export_dir/hostile.json" <<'EOF'
import json, sys
data = json.load(open(sys.argv[1]))
def walk(o):
    if isinstance(o, dict):
        for k, v in list(o.items()):
            if k == "text" and isinstance(v, str) and v:
                o[k] = "HOSTILE \x1b]0;PWNED\x07 \x1b[2J \x1b]52;c;aGk=\x07 \u202eevil end"
            elif k == "result" and o.get("type") == "tool-call":
                o[k] = "TOOLRESULT \x1b]0;PWN2\x07 \x1b[31mred"
            else:
                walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(data)
json.dump(data, open(sys.argv[2], "w"))
EOF
python3 - "$export_dir/t.json" <<'EOF'
import json, sys
found = []
def walk(o):
    if isinstance(o, dict):
        for v in o.values(): walk(v)
    elif isinstance(o, list):
        for v in o: walk(v)
    elif isinstance(o, str) and o.startswith("pasteline 0001") and len(o) >= 100000:
        found.append(o)
walk(json.load(open(sys.argv[1])))
assert len(found) == 1, "the paste is %d messages" % len(found)
assert found[0].count("pasteline ") == 2500, "the paste lost lines: %d" % found[0].count("pasteline ")
EOF
type_line "/import $export_dir/hostile.json"
wait_for "HOSTILE ␛]0;PWNED␇"
wait_for "⟨U+202E⟩evil"
# The branch shown at export is the one shown after the import (with the e-mail's card), and a
# tool result is hostile too.
wait_for "TOOLRESULT ␛]0;PWN2␇ ␛[31mred"
case "$(pane '#{pane_title}')" in PWN*) fail "content set the window title" ;; esac

# A new thread (Ctrl-N), then the sidebar (Ctrl-T): switch to another thread and search.
keys C-n
type_line "sidebar check"
wait_for 'check"'  # the word quoted in the demo's reply (the user's message has no quote)
keys C-t
wait_for "to search"
# The imported thread's title (its first message) is hostile too: shown, not acted on.
wait_for "HOSTILE ␛]0;PWNED"
# Open the oldest thread (End, Enter): the first one, which ends with the paste.
keys End
keys Enter
keys C-t
wait_gone "to search"
wait_for "pasteline 2500"
# Search in the sidebar: the titles filter as you type.
keys C-t
type_text "/sideb"
wait_for "sidebar check"
keys C-t
wait_gone "⌕"

# The palette (Ctrl-P) lists actions with keys; help (F1) too.
keys C-p
type_text "regen"
wait_for "Regenerate reply"
keys Escape
keys F1
wait_for "Ctrl-T"
keys Escape
wait_gone "Threads sidebar"

# 20 resizes: the frame follows each (the rule spans the last width).
for i in $(seq 1 20); do
  tm resize-window -t "$session" -x $((60 + (i % 5) * 10)) -y $((20 + i % 7))
done
tm resize-window -t "$session" -x 90 -y 28
wait_for "Type a message"
for _ in $(seq 1 100); do
  rule="$(screen | grep -m1 '^─' || true)"
  [ "${#rule}" -eq 90 ] && break
  sleep 0.1
done
[ "${#rule}" -eq 90 ] || fail "after the resizes the rule is ${#rule} columns, not 90"

# Ctrl-Z suspends (the shell's screen is back), fg resumes and repaints.
keys C-z
wait_for "Stopped"
[ "$(pane '#{alternate_on}')" = 0 ] || fail "suspended, yet still on the alternate screen"
type_line "fg"
wait_for "Type a message"
[ "$(pane '#{alternate_on}')" = 1 ] || fail "resumed, yet not on the alternate screen"

# A tool call left waiting for approval when the app quits (Ctrl-C works over the dialog), in a
# new thread (deploy is always allowed in the first).
keys C-n
wait_gone "pasteline"
type_line "deploy before quitting"
wait_for "Allow the tool"

# Quit: two Ctrl-C on an empty editor. The terminal is restored.
keys C-c
wait_for "Press Ctrl-C again"
keys C-c
wait_gone "Type a message"
# fg's status is the app's (the "exited" echo on its line ran when it stopped).
type_line "echo \"status \$?\""
wait_for "status 0"
[ "$(pane '#{alternate_on}')" = 0 ] || fail "the alternate screen was not left"
[ "$(pane '#{cursor_flag}')" = 1 ] || fail "the cursor is hidden after quitting"
type_line "stty -a | tr ' ' '\\n' | grep -x echo && echo ECHO-ON"
wait_for "ECHO-ON"

# After a restart the waiting call's dialog opens again; allowed, the run resumes and shows the
# tool's result.
type_line "XDG_DATA_HOME='$workdir/data' '$app' --continue --demo-delay-ms 5 --suggestions off"
wait_for "Allow the tool"
type_text "y"
wait_gone "Allow the tool"
wait_for "nothing was really deployed"
wait_for "demo)."  # the reply's end
wait_gone "Esc cancels the reply"  # and the run's: a Ctrl-C now quits rather than cancels
keys C-c
wait_for "Press Ctrl-C again"
keys C-c
wait_gone "Type a message"

# The threads were saved: the line mode lists them.
XDG_DATA_HOME="$workdir/data" "$app" --plain --new --suggestions off >"$workdir/threads.txt" 2>&1 \
  <<<"/threads" || true
grep -qF "help commands" "$workdir/threads.txt" || grep -qF "help" "$workdir/threads.txt" ||
  { cat "$workdir/threads.txt"; fail "the first thread was not saved"; }
grep -qF "sidebar check" "$workdir/threads.txt" ||
  { cat "$workdir/threads.txt"; fail "the thread made in the app was not saved"; }
echo "PASSED"
