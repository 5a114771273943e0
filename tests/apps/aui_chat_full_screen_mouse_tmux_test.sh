#!/usr/bin/env bash
# Drives the full-screen aui-chat in tmux with the mouse and the suggestion chips, as a user of a
# terminal would: the mouse events are the SGR sequences a terminal writes (ESC [ < b ; x ; y M),
# sent to the pane as bytes. Covers: the follow-up chips picked by key (Alt-2) and by a click, the
# wheel scrolling the transcript both ways, clicks on the branch picker's ‹ › and on a tool card's
# [d] Deny, and OSC 52 copy — only when the user asks (tmux, with set-clipboard on, keeps what the
# app copies in a paste buffer), never from model content (a thread carrying OSC 52 sequences in
# every text, imported and shown, leaves the buffer alone).
#
# Every wait is for a short phrase that cannot straddle a line break, polled with a bounded wait.
#
# usage: aui_chat_full_screen_mouse_tmux_test.sh path/to/aui-chat   exit 77 without tmux/python3
set -euo pipefail
app="${1:?usage: $0 path/to/aui-chat}"
[ -x "$app" ] || { echo "FAILED: $app is not an executable; build it first"; exit 1; }
command -v tmux >/dev/null || { echo "SKIPPED: tmux is not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIPPED: python3 is not installed"; exit 77; }

socket_name="aui-chat-mouse-test"
source "$(dirname "$0")/../support/tmux_test.sh"

# bytes SEQUENCE: writes SEQUENCE to the app as a terminal would (hex, so tmux parses nothing).
bytes() {
  # shellcheck disable=SC2046
  tm send-keys -t "$session" -H $(printf '%s' "$1" | od -An -tx1)
}
# at TEXT [OFFSET]: the 1-based column and row of TEXT's first cell (plus OFFSET columns).
at() {
  screen | python3 -c '
import sys
text, offset = sys.argv[1], int(sys.argv[2])
for y, line in enumerate(sys.stdin.read().split("\n")):
    x = line.find(text)
    if x >= 0:
        print(x + offset + 1, y + 1)
        break
' "$1" "${2:-0}"
}
# click TEXT [OFFSET]: a left press and release on TEXT.
click() {
  local pos
  pos="$(at "$1" "${2:-0}")"
  [ -n "$pos" ] || fail "nothing to click: \"$1\" is not on the screen"
  set -- $pos
  bytes $'\e[<0;'"$1;$2"$'M\e[<0;'"$1;$2"'m'
}
# wheel up|down: one notch over the transcript.
wheel() {
  local button=64
  [ "$1" = down ] && button=65
  bytes $'\e[<'"$button"';20;5M'
}
on_screen() { screen | grep -qF -- "$1"; }
buffers() { tm list-buffers -F '#{buffer_name}' 2>/dev/null | grep -c . || true; }

# The app in its own session (no shell: its output is the pane). tmux keeps OSC 52 copies as
# paste buffers with set-clipboard on.
tm new-session -d -s "$session" -x 100 -y 30 "env -i HOME='$workdir' PATH='$PATH' TERM=xterm-256color LANG=C.UTF-8 XDG_DATA_HOME='$workdir/data' XDG_STATE_HOME='$workdir/state' '$app' --new --demo-delay-ms 2; echo \"exited \$?\"; sleep 60"
tm set-option -s set-clipboard on
wait_for "Type a message"

# A reply; then the demo's follow-up questions as chips.
type_line "hello"
wait_for 'said "hello"'
wait_for "What time is it in Tokyo?"
[ "$(buffers)" = 0 ] || fail "a reply put something on the clipboard"

# OSC 52 copy, asked for: Tab chooses the reply, c copies it.
keys Tab
wait_for "messages: c copy"
keys c
wait_for "Copied the message"
copied="$(tm show-buffer)"
case "$copied" in
  *'You said "hello"'*) ;;
  *) fail "the clipboard holds \"$copied\", not the reply" ;;
esac
keys Escape
wait_gone "messages: c copy"
# The status line's note goes by itself after a few seconds (nothing else happens meanwhile).
wait_gone "Copied the message"

# A chip by key: Alt-2 sends the second question. Once its reply is in, the chips are back: the
# question shows twice, as the message sent and as a chip again.
keys M-2
wait_for "What time is it in Tokyo?" 2

# A chip by a click: the story (its chips come back once it is in).
click "Tell me a long story"
wait_gone "What is the weather in Paris?"
wait_for "The end."
wait_for "1 What is the weather in Paris?"

# The wheel: the first reply has scrolled off; wheel up until it shows, down until the end does.
on_screen 'said "hello"' && fail "the story is too short to scroll"
for _ in $(seq 1 60); do
  on_screen 'said "hello"' && break
  wheel up
  sleep 0.05
done
wait_for 'said "hello"'
on_screen "The end." && fail "scrolled up, yet the end of the story still shows"
for _ in $(seq 1 60); do
  on_screen "The end." && break
  wheel down
  sleep 0.05
done
wait_for "The end."

# The branch picker by clicks: regenerate the story (r), then ‹ goes back and › forward.
keys Tab
wait_for "messages: c copy"
keys r
wait_for "‹ 2/2 ›"
wait_for "The end."
keys Escape
wait_gone "messages: c copy"
wait_for "1 What is the weather in Paris?"
# The reply's header (where the picker is) has scrolled off above its long text: the wheel.
for _ in $(seq 1 60); do
  on_screen "‹ 2/2 ›" && break
  wheel up
  sleep 0.05
done
click "‹ 2/2 ›"
wait_for "‹ 1/2 ›"
click "‹ 1/2 ›" 6
wait_for "‹ 2/2 ›"
# A click chose the message (its keys are shown); Esc gives the keys back to the editor.
wait_for "messages: c copy"
keys Escape
wait_gone "messages: c copy"

# A click on a tool card's action: the approval dialog closed (Esc), the card's [d] Deny decides.
type_line "deploy the web service"
wait_for "Allow the tool"
keys Escape
wait_for "a tool call waits for you"
wait_for "[d] Deny"
click "[d] Deny"
wait_for "deploy · denied"
wait_for "messages: c copy"
keys Escape
wait_gone "messages: c copy"

# Model content never copies: a thread whose every text carries OSC 52 (and a title change),
# imported and shown, leaves the one buffer the user's copy made as it was.
type_line "/export $workdir/t.json"
wait_for "exported"
python3 - "$workdir/t.json" "$workdir/hostile.json" <<'EOF'
import json, sys
data = json.load(open(sys.argv[1]))
def walk(o):
    if isinstance(o, dict):
        for k, v in list(o.items()):
            if k == "text" and isinstance(v, str) and v:
                o[k] = "HOSTILE \x1b]52;c;UFdORUQ=\x07 \x1b]52;p;UFdORUQ=\x1b\\ \x1b]0;PWNED\x07 end"
            else:
                walk(v)
    elif isinstance(o, list):
        for v in o:
            walk(v)
walk(data)
json.dump(data, open(sys.argv[2], "w"))
EOF
type_line "/import $workdir/hostile.json"
wait_for "HOSTILE ␛]52;c;UFdORUQ=␇"
[ "$(buffers)" = 1 ] || fail "content made a paste buffer ($(buffers) buffers)"
[ "$(tm show-buffer)" = "$copied" ] || fail "content changed the clipboard: \"$(tm show-buffer)\""

# Quit: two Ctrl-C on an empty editor.
keys C-c
wait_for "Press Ctrl-C again"
keys C-c
wait_for "exited 0"
echo "PASSED"
