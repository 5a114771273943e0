#!/usr/bin/env bash
# aui-chat's line mode with the everything MCP server (issue 19): /mcp attach puts a resource on
# the next message, /mcp prompt sends a filled-in prompt as the user's message, a running MCP
# tool's progress is shown under its call, and the server's instructions reach the model's system
# prompt. The model is an OpenAI-compatible stand-in (fake_openai.py) that echoes what it got.
#
# usage: aui_chat_mcp_line_test.sh path/to/aui-chat path/to/node_modules
# exit 77 (skipped) without python3 or node, or when the servers are not installed
set -euo pipefail
app="${1:?usage: $0 path/to/aui-chat path/to/node_modules}"
modules="${2:?usage: $0 path/to/aui-chat path/to/node_modules}"
here="$(cd "$(dirname "$0")" && pwd)"
[ -x "$app" ] || { echo "FAILED: $app is not an executable; build it first"; exit 1; }
command -v python3 >/dev/null || { echo "SKIPPED: python3 is not installed"; exit 77; }
command -v node >/dev/null || { echo "SKIPPED: node is not installed"; exit 77; }
server_js="$modules/@modelcontextprotocol/server-everything/dist/index.js"
[ -f "$server_js" ] || { echo "SKIPPED: the everything MCP server is not installed ($server_js)"; exit 77; }

workdir="$(mktemp -d)"
model_pid=""
chat_pid=""
cleanup() {
  exec 4>&- 2>/dev/null || true
  [ -n "$chat_pid" ] && kill "$chat_pid" 2>/dev/null || true
  [ -n "$model_pid" ] && kill "$model_pid" 2>/dev/null || true
  rm -rf "$workdir"
}
trap cleanup EXIT
out="$workdir/chat.out"
fail() {
  echo "FAILED: $*"
  echo "---- output ----"
  cat "$out" || true
  exit 1
}
wait_for() {  # bounded: 30 s
  local text="$1"
  for _ in $(seq 1 300); do
    if grep -qF -- "$text" "$out" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  fail "waiting for \"$text\""
}

cat > "$workdir/mcp.json" <<JSON
{"mcpServers": {"everything": {"command": "node", "args": ["$server_js", "stdio"], "trusted": true}}}
JSON
python3 "$here/fake_openai.py" "$workdir/port" "$workdir" &
model_pid=$!
for _ in $(seq 1 100); do [ -f "$workdir/port" ] && break; sleep 0.1; done
[ -f "$workdir/port" ] || fail "the stand-in model did not start"
port="$(cat "$workdir/port")"

mkfifo "$workdir/in"
env -u OPENAI_API_KEY -u ANTHROPIC_API_KEY LANG=C.UTF-8 XDG_CONFIG_HOME="$workdir/config" \
  "$app" --memory --suggestions off --base-url "http://127.0.0.1:$port/v1" --model fake \
  --mcp-config "$workdir/mcp.json" <"$workdir/in" >"$out" 2>&1 &
chat_pid=$!
exec 4>"$workdir/in"
wait_for "MCP server everything is ready"

# A resource attached: it goes with the next message (the stand-in echoes the message's text,
# the attachment's included), and the server's instructions are in the system prompt.
echo "/mcp attach everything demo://resource/dynamic/text/1" >&4
wait_for "(demo://resource/dynamic/text/1) from MCP server everything (1 waiting; they go with your next message)"
echo "what does it say?" >&4
wait_for "(with 1 attachment)"
wait_for "You said: what does it say?"
grep -F "You said: what does it say?" "$out" | grep -qF "Resource 1" \
  || fail "the resource's text did not reach the model"
wait_for "system: Instructions from the MCP server everything:"

# A prompt with an argument, sent as the user's message.
echo "/mcp prompt everything args-prompt city=Paris" >&4
wait_for "(prompt args-prompt: "
wait_for "You said: "
grep -F "You said: " "$out" | grep -qF "Paris" || fail "the prompt's text was not sent"
echo "/mcp prompt everything args-prompt" >&4
wait_for "could not fill in the prompt args-prompt"
echo "/mcp attach nosuch x://y" >&4
wait_for "there is no MCP server \"nosuch\""

# A running tool's progress, under its call, before its result.
echo "now run the long task" >&4
wait_for "[tool] everything: trigger-long-running-operation {\"duration\": 0.6, \"steps\": 3}"
wait_for "… everything: progress 3 of 3"
wait_for "Long running operation completed"
progress_line="$(grep -nF "… everything: progress 1 of 3" "$out" | head -1 | cut -d: -f1)"
result_line="$(grep -nF "Long running operation completed" "$out" | head -1 | cut -d: -f1)"
[ -n "$progress_line" ] && [ "$progress_line" -lt "$result_line" ] \
  || fail "the progress was not shown before the result"

echo "/quit" >&4
exec 4>&-
for _ in $(seq 1 100); do kill -0 "$chat_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$chat_pid" 2>/dev/null && fail "aui-chat did not quit"
wait "$chat_pid" || fail "aui-chat exited with $?"
chat_pid=""
[ -n "${AUI_TEST_VERBOSE:-}" ] && cat "$out"
echo "PASSED: /mcp attach, /mcp prompt, progress and instructions in line mode"
