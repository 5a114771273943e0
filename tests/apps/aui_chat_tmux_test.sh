#!/usr/bin/env bash
# Drives aui-chat in a real terminal (tmux): send, stream, cancel with Ctrl-C, regenerate,
# edit, switch branches, export, quit. Polls the screen with a bounded wait for each step.
set -euo pipefail
app="$1"
command -v tmux >/dev/null || { echo "tmux is not installed"; exit 77; }

session="aui-chat-test-$$"
export_file="$(mktemp -d)/thread.json"
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; }
trap cleanup EXIT

screen() { tmux capture-pane -p -J -t "$session" -S -200; }
# wait_for TEXT [COUNT]: until TEXT appears at least COUNT times (default 1), at most 20 s.
wait_for() {
  local text="$1" count="${2:-1}"
  for _ in $(seq 1 200); do
    if [ "$(screen | grep -cF -- "$text")" -ge "$count" ]; then return 0; fi
    sleep 0.1
  done
  echo "FAILED waiting for: $text (x$count)"; echo "---- screen ----"; screen; exit 1
}
send() { tmux send-keys -t "$session" -l -- "$1"; tmux send-keys -t "$session" Enter; }

tmux new-session -d -s "$session" -x 120 -y 50 \
  "env LANG=C.UTF-8 TERM=xterm-256color '$app' --demo-delay-ms 3; sleep 30"
wait_for "offline demo adapter"

send "hello from tmux"
wait_for "Ask me for"
wait_for "you>" 2

# A long reply, cancelled mid-stream.
send "tell me a long story"
wait_for "Once upon a time"
tmux send-keys -t "$session" C-c
wait_for "[cancelled]"
wait_for "you>" 3

# Regenerate: a second branch of the last reply.
send "/regen"
wait_for "The end."
send "/history"
wait_for "4. assistant [branch 2/2]"

# Edit the first message: a new branch from the top, which reruns.
send "/edit 1 hi again"
wait_for "1. user [branch 2/2]" 0 || true
send "/history"
wait_for "1. user [branch 2/2]: hi again"

# Back to the first branch of message 1.
send "/branch 1 prev"
wait_for "1. user [branch 1/2]: hello from tmux"

send "/export $export_file"
wait_for "exported"
python3 - "$export_file" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
ids = {item["message"]["id"] for item in data["messages"]}
texts = [c.get("text", "") for item in data["messages"] for c in item["message"]["content"]]
assert data["headId"] in ids, "headId names an exported message"
assert any("hi again" in t for t in texts), "the edit is exported"
assert any("hello from tmux" in t for t in texts), "the original is exported"
assert len(data["messages"]) >= 7, len(data["messages"])
PY

# Hostile output is not passed to the terminal: unknown commands answer in one line.
send "/nope"
wait_for "unknown command /nope"

send "/quit"
wait_for "bye"
echo "aui-chat tmux test passed"
