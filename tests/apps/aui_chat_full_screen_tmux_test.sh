#!/usr/bin/env bash
# Drives the full-screen `aui-chat` (what it opens on a terminal) in tmux with the demo adapter:
# send, see the streamed reply, a message queued during a reply, Esc cancels a long story (and the
# queue), a resize, two Ctrl-C quit; then the shell's screen is back (the alternate screen was
# left) and the thread was saved (line mode --continue shows it).
# Each step polls the screen with a bounded wait: timing never decides the verdict.
#
# usage: aui_chat_full_screen_tmux_test.sh path/to/aui-chat      exit 77 (skipped) without tmux
set -euo pipefail
app="${1:?usage: $0 path/to/aui-chat}"
[ -x "$app" ] || { echo "FAILED: $app is not an executable; build it first (cmake --build --preset <preset> --target aui-chat)"; exit 1; }
command -v tmux >/dev/null || { echo "SKIPPED: tmux is not installed"; exit 77; }

# A private tmux server (-L) and a private data folder: nobody's sessions or threads are touched.
socket_name="aui-chat-fs-test"
source "$(dirname "$0")/../support/tmux_test.sh"

# The shell prints a marker first: it must be back on screen after the app quits.
tm new-session -d -s "$session" -x 100 -y 30 \
  "echo SHELL-SCREEN-MARKER; env LANG=C.UTF-8 TERM=xterm-256color XDG_DATA_HOME='$workdir/data' '$app' --full-screen --new --demo-delay-ms 10 --suggestions off; echo \"aui-chat exited with \$?\"; sleep 60"
tm set-option -t "$session" remain-on-exit on >/dev/null
wait_for "Type a message"
screen | grep -qF SHELL-SCREEN-MARKER && fail "the app did not switch to the alternate screen"

tm send-keys -t "$session" -l -- "hello from tmux"
tm send-keys -t "$session" Enter
wait_for 'tmux"'  # the last word quoted in the reply (one word: it cannot straddle a line break)
# The reply's last words (the app wraps the reply to the window, so a phrase may straddle a line
# break: wait for words that stay on one line at any width the test uses).
wait_for "what you can try."

# A long reply, cancelled mid-stream with Esc.
tm send-keys -t "$session" -l -- "tell me a long story"
tm send-keys -t "$session" Enter
wait_for "Once upon a time"
# Typed during the reply: queued, and shown as such above the editor.
tm send-keys -t "$session" -l -- "after the story"
tm send-keys -t "$session" Enter
wait_for "queued: after the story"
tm send-keys -t "$session" Escape
wait_for "cancelled"
# Cancelling the reply empties the queue.
wait_gone "queued: after the story"
sleep 0.5
screen | grep -qF "The end." && fail "the story ran to its end despite Esc"

# Tab completes the path after /attach (the only match of its prefix); Ctrl-C then clears the line.
mkdir -p "$workdir/files"
echo "notes" > "$workdir/files/shopping-list.txt"
tm send-keys -t "$session" -l -- "/attach $workdir/files/shop"
tm send-keys -t "$session" Tab
wait_for "shopping-list.txt"
tm send-keys -t "$session" C-c
wait_gone "shopping-list.txt"

# A resize: the frame follows (the editor's rule spans the new width).
tm resize-window -t "$session" -x 70 -y 20
wait_for "Type a message"
rule="$(screen | grep -m1 '^─' || true)"
[ "${#rule}" -eq 70 ] || fail "after the resize the rule is ${#rule} columns, not 70"

# Two Ctrl-C on an empty editor quit; one does not.
tm send-keys -t "$session" C-c
wait_for "Press Ctrl-C again to quit"
tm send-keys -t "$session" C-c
wait_for "aui-chat exited with 0"
# The alternate screen was left: the shell's screen (with its marker) is back.
wait_for "SHELL-SCREEN-MARKER"
screen | grep -qF "Type a message" && fail "the app's frame is still on the shell's screen"
tm kill-server 2>/dev/null || true

# The thread was saved: line mode with --continue shows it.
socket="aui-chat-fs-test2-$$-$RANDOM"
tm new-session -d -s "$session" -x 120 -y 50 \
  "env LANG=C.UTF-8 TERM=xterm-256color XDG_DATA_HOME='$workdir/data' '$app' --plain --continue --suggestions off; echo \"aui-chat exited with \$?\"; sleep 60"
tm set-option -t "$session" remain-on-exit on >/dev/null
wait_for "hello from tmux"
wait_for "tell me a long story"
wait_for "cancelled"
tm send-keys -t "$session" -l -- "/quit"
tm send-keys -t "$session" Enter
wait_for "aui-chat exited with 0"
echo "PASSED"
