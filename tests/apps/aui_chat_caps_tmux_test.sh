#!/usr/bin/env bash
# Drives aui-chat's capability commands in a real terminal (tmux): suggestions after a reply and
# /1 to send one, /attach (a file, and a missing one), /good, /speak into a WAV file. Each step
# waits for the screen (or the file) to show its result, with a bounded wait.
#
# usage: aui_chat_caps_tmux_test.sh path/to/aui-chat      exit 77 (skipped) without tmux
set -euo pipefail
app="${1:?usage: $0 path/to/aui-chat}"
# A missing binary fails at once (each screen wait would otherwise time out in turn).
[ -x "$app" ] || { echo "FAILED: $app is not an executable; build it first (cmake --build --preset <preset> --target aui-chat)"; exit 1; }
command -v tmux >/dev/null || { echo "SKIPPED: tmux is not installed"; exit 77; }

socket_name="aui-chat-caps"
scrollback=1
source "$(dirname "$0")/../support/tmux_test.sh"

printf '# Shopping\nmilk\nbread\n' > "$workdir/notes.md"
tm new-session -d -s "$session" -x 120 -y 60 \
  "env LANG=C.UTF-8 TERM=xterm-256color XDG_DATA_HOME='$workdir/data' XDG_STATE_HOME='$workdir/state' '$app' --plain --demo-delay-ms 0 --speech-wav '$workdir/speech.wav' --feedback-file '$workdir/feedback.jsonl'; echo \"aui-chat exited with \$?\"; sleep 60"
tm set-option -t "$session" remain-on-exit on >/dev/null
wait_for "aui-chat — offline demo adapter"

type_line "hello from tmux"
wait_for "You said \"hello from tmux\""
wait_for "suggestions:"
wait_for "/1  What is the weather in Paris?"

type_line "/1"
wait_for "What is the weather in Paris?" 2
wait_for "suggestions:" 2

type_line "/attach $workdir/notes.md"
wait_for "attached notes.md (1 waiting"
type_line "what is on my list?"
wait_for "(with 1 attachment)"
wait_for "suggestions:" 3

type_line "/attach $workdir/missing.txt"
wait_for "no such file"

type_line "/good"
wait_for "recorded positive feedback on message 6"
grep -q '"type":"positive"' "$workdir/feedback.jsonl" || fail "the feedback file has no positive record"

type_line "/speak 2"
wait_for "speaking message 2 (/stop to stop)"
for _ in $(seq 1 300); do
  size=$(stat -c %s "$workdir/speech.wav" 2>/dev/null || echo 0)
  [ "$size" -gt 22050 ] && break
  sleep 0.1
done
[ "${size:-0}" -gt 22050 ] || fail "no speech in $workdir/speech.wav (size ${size:-0})"

type_line "/quit"
wait_for "aui-chat exited with 0"
echo "aui-chat capabilities tmux test passed"
