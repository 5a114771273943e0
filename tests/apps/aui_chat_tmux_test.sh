#!/usr/bin/env bash
# Drives aui-chat in a real terminal (tmux): send, stream, cancel with Ctrl-C, regenerate, edit,
# switch branches, export, quit. Each step waits for the screen to show its result, polling with
# a bounded wait (the timing never decides the verdict, only how long a failure takes to show).
#
# usage: aui_chat_tmux_test.sh path/to/aui-chat      exit 77 (skipped) without tmux
set -euo pipefail
app="${1:?usage: $0 path/to/aui-chat}"
# A missing binary fails at once (each screen wait would otherwise time out in turn).
[ -x "$app" ] || { echo "FAILED: $app is not an executable; build it first (cmake --build --preset <preset> --target aui-chat)"; exit 1; }
command -v tmux >/dev/null || { echo "SKIPPED: tmux is not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIPPED: python3 is not installed"; exit 77; }

# A private tmux server (-L): the test never sees or disturbs anyone's sessions.
socket_name="aui-chat-test"
scrollback=1
source "$(dirname "$0")/../support/tmux_test.sh"
export_file="$workdir/thread.json"

prompts() { screen | grep -c "^you> " || true; }
# send LINE: types LINE and Enter, then waits for the next prompt (the reply, if any, is over).
send() {
  local before
  before="$(prompts)"
  tm send-keys -t "$session" -l -- "$1"
  tm send-keys -t "$session" Enter
  wait_for_prompts $((before + 1))
}
wait_for_prompts() {
  for _ in $(seq 1 300); do
    if [ "$(prompts)" -ge "$1" ]; then return 0; fi
    sleep 0.1
  done
  fail "waiting for prompt number $1"
}

# 10 ms a chunk: the story takes several seconds to stream, time enough to interrupt it.
tm new-session -d -s "$session" -x 120 -y 50 \
  "env LANG=C.UTF-8 TERM=xterm-256color XDG_DATA_HOME='$workdir/data' '$app' --plain --demo-delay-ms 10 --suggestions off; echo \"aui-chat exited with \$?\"; sleep 60"
tm set-option -t "$session" remain-on-exit on >/dev/null
wait_for "aui-chat — offline demo adapter (no backend configured)"
wait_for_prompts 1

send "hello from tmux"
wait_for "You said \"hello from tmux\""
wait_for "Ask me for \`help\`"

# A long reply, cancelled mid-stream with Ctrl-C.
before="$(prompts)"
tm send-keys -t "$session" -l -- "tell me a long story"
tm send-keys -t "$session" Enter
wait_for "Once upon a time"
tm send-keys -t "$session" C-c
wait_for "[cancelled]"
wait_for_prompts $((before + 1))
screen | grep -qF "The end." && fail "the story ran to its end despite Ctrl-C"

# Regenerate the cancelled reply: a second branch, streamed to the end.
send "/regen"
wait_for "The end."
send "/history"
wait_for "3. user: tell me a long story"
wait_for "4. assistant [branch 2/2]: "

# Edit the first message: a new branch from the top, which reruns.
send "/edit 1 hi again"
wait_for "You said \"hi again\""
send "/history"
wait_for "1. user [branch 2/2]: hi again"

# Back to the first branch of message 1: the whole first conversation is the branch again.
send "/branch 1 prev"
wait_for "1. user [branch 1/2]: hello from tmux"
wait_for "4. assistant [branch 2/2]: "

# Escape sequences typed into a line (arrow keys, or pasted) are left out of the message, and
# the window title does not change.
tm send-keys -t "$session" -l -- $'title \e]2;PWNED\a and \e[31mred\e[0m ok'
before="$(prompts)"
tm send-keys -t "$session" Enter
wait_for_prompts $((before + 1))
wait_for "special keys do not edit a line here"
wait_for "title  and red ok"
[ "$(tm display-message -p -t "$session" '#{pane_title}')" != "PWNED" ] || fail "a typed line set the window title"

send "/export $export_file"
wait_for "exported"
python3 - "$export_file" <<'PY' || fail "the export is not the expected assistant-ui JSON"
import json, sys
data = json.load(open(sys.argv[1]))
ids = {item["message"]["id"] for item in data["messages"]}
texts = [c.get("text", "") for item in data["messages"] for c in item["message"]["content"]]
assert data["headId"] in ids, "headId names an exported message"
assert any("hi again" in t for t in texts), "the edit is exported"
assert any("hello from tmux" in t for t in texts), "the original is exported"
assert any(t == "tell me a long story" for t in texts), "the story request is exported"
# hello, reply, story request, cancelled story, regenerated story, hi again, its reply,
# the escape message and its reply
assert len(data["messages"]) == 9, len(data["messages"])
statuses = [item["message"].get("status", {}) for item in data["messages"]]
assert any(s.get("type") == "incomplete" and s.get("reason") == "cancelled" for s in statuses), statuses
PY

# Model output may carry terminal escapes: a thread holding them (imported) is shown with the
# escapes as visible marks, and the window title does not change.
python3 - "$workdir/hostile.json" <<'PY'
import json, sys
user = {"id": "u1", "role": "user", "createdAt": "2026-12-07T00:00:00.000Z",
        "content": [{"type": "text", "text": "show me"}], "attachments": [], "metadata": {"custom": {}}}
reply = {"id": "a1", "role": "assistant", "createdAt": "2026-12-07T00:00:01.000Z",
         "content": [{"type": "text", "text": "title \u001b]2;PWNED\u0007 and \u001b[31mred\u001b[0m ok"}],
         "status": {"type": "complete", "reason": "stop"},
         "metadata": {"custom": {}, "steps": [], "unstable_annotations": [], "unstable_data": [], "unstable_state": None}}
json.dump({"headId": "a1", "messages": [{"parentId": None, "message": user}, {"parentId": "u1", "message": reply}]},
          open(sys.argv[1], "w"))
PY
send "/import $workdir/hostile.json"
wait_for "title ␛]2;PWNED␇ and ␛[31mred␛[0m ok"
[ "$(tm display-message -p -t "$session" '#{pane_title}')" != "PWNED" ] || fail "the model output set the window title"

# Mistakes answer in one line and the chat goes on.
send "/nope"
wait_for "error: unknown command /nope (try /help)"
send "/branch 9 next"
wait_for "error: no message \"9\""

# One Ctrl-C at an idle prompt does not end the session; it says how to.
tm send-keys -t "$session" C-c
wait_for "Press Ctrl-C again to quit"
screen | grep -qF "bye" && fail "one Ctrl-C at the prompt quit"

tm send-keys -t "$session" -l -- "/quit"
tm send-keys -t "$session" Enter
wait_for "bye"
wait_for "aui-chat exited with 0"
echo "aui-chat tmux test passed"
