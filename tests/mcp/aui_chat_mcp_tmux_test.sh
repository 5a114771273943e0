#!/usr/bin/env bash
# aui-chat with --mcp-config in a real terminal (tmux): the filesystem MCP server on a temporary
# directory, a model (an OpenAI-compatible stand-in) that calls its list_directory tool, the
# approval, the result with the server's name, /mcp, and no server left running after /quit; then
# the full-screen app: the card with the server's name, the approval dialog, the result.
#
# usage: aui_chat_mcp_tmux_test.sh path/to/aui-chat path/to/node_modules
# exit 77 (skipped) without tmux, python3 or node, or when the servers are not installed
set -euo pipefail
app="${1:?usage: $0 path/to/aui-chat path/to/node_modules}"
modules="${2:?usage: $0 path/to/aui-chat path/to/node_modules}"
here="$(cd "$(dirname "$0")" && pwd)"
[ -x "$app" ] || { echo "FAILED: $app is not an executable; build it first"; exit 1; }
command -v tmux >/dev/null || { echo "SKIPPED: tmux is not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIPPED: python3 is not installed"; exit 77; }
command -v node >/dev/null || { echo "SKIPPED: node is not installed"; exit 77; }
server_js="$modules/@modelcontextprotocol/server-filesystem/dist/index.js"
[ -f "$server_js" ] || { echo "SKIPPED: the filesystem MCP server is not installed ($server_js)"; exit 77; }

socket_name="aui-chat-mcp-test"
scrollback=1
source "$(dirname "$0")/../support/tmux_test.sh"
model_pid=""
extra_cleanup() {
  [ -n "$model_pid" ] && kill "$model_pid" 2>/dev/null || true
}

mkdir -p "$workdir/files/drafts"
echo "remember the milk" > "$workdir/files/notes.txt"
files="$(cd "$workdir/files" && pwd -P)"
cat > "$workdir/mcp.json" <<JSON
{"mcpServers": {"fs": {"command": "node", "args": ["$server_js", "$files"]},
                "ghost": {"command": "aui-no-such-server"}}}
JSON

python3 "$here/fake_openai.py" "$workdir/port" "$files" &
model_pid=$!
for _ in $(seq 1 100); do [ -f "$workdir/port" ] && break; sleep 0.1; done
[ -f "$workdir/port" ] || fail "the stand-in model did not start"
port="$(cat "$workdir/port")"

tm new-session -d -s "$session" -x 160 -y 50 \
  "env -u OPENAI_API_KEY -u ANTHROPIC_API_KEY LANG=C.UTF-8 TERM=xterm-256color XDG_CONFIG_HOME='$workdir/config' '$app' --plain --memory --suggestions off --base-url 'http://127.0.0.1:$port/v1' --mcp-config '$workdir/mcp.json'; echo \"aui-chat exited with \$?\"; sleep 60"
tm set-option -t "$session" remain-on-exit on >/dev/null
wait_for "MCP: 2 servers from $workdir/mcp.json"
wait_for "MCP server fs is ready (14 tools)"
wait_for "MCP server ghost failed: cannot start \"aui-no-such-server\": the command was not found on PATH"

type_line "/mcp"
wait_for "fs — ready (secure-filesystem-server"
wait_for "fs__list_directory — List Directory"

# The model calls the server's tool; it waits for approval (the config trusts nothing).
type_line "What is in my files?"
wait_for "[tool] fs: list_directory {\"path\":\"$files\"}"
wait_for "needs your approval"
screen | grep -qF "[FILE] notes.txt" && fail "the tool ran before it was approved"
type_line "/allow"
wait_for "= [DIR] drafts [FILE] notes.txt"
wait_for "The directory holds: [DIR] drafts; [FILE] notes.txt"

type_line "/quit"
wait_for "aui-chat exited with 0"
# The server was stopped with the chat: no process of it is left.
if pgrep -f "$server_js $files" >/dev/null; then fail "the MCP server is still running after /quit"; fi
echo "PASSED: aui-chat ran an MCP tool behind an approval"

# The same in the full-screen app (what a terminal gets): the card names the server, the
# approval dialog asks, and once allowed the result shows.
tm kill-server 2>/dev/null || true
socket="aui-chat-mcp-fs-test-$$-$RANDOM"
tm new-session -d -s "$session" -x 110 -y 40 \
  "env -u OPENAI_API_KEY -u ANTHROPIC_API_KEY LANG=C.UTF-8 TERM=xterm-256color XDG_CONFIG_HOME='$workdir/config' '$app' --memory --suggestions off --base-url 'http://127.0.0.1:$port/v1' --mcp-config '$workdir/mcp.json'; echo \"aui-chat exited with \$?\"; sleep 60"
tm set-option -t "$session" remain-on-exit on >/dev/null
wait_for "Type a message"
wait_for "(14 tools)"
type_line "What is in my files?"
wait_for "fs: list_directory"
wait_for "Allow the tool"
screen | grep -qF "[FILE] notes.txt" && fail "the tool ran before it was approved"
tm send-keys -t "$session" -l -- "y"
wait_for "[FILE] notes.txt"
# The model's answer after the result, then the reply is over (the editor's rule stops saying how
# to cancel it): only then do two Ctrl-C quit rather than cancel the reply.
wait_for "directory holds"
wait_gone "Esc cancels the reply"
tm send-keys -t "$session" C-c
wait_for "Press Ctrl-C again"
tm send-keys -t "$session" C-c
wait_for "aui-chat exited with 0"
if pgrep -f "$server_js $files" >/dev/null; then fail "the MCP server is still running after quitting"; fi
echo "PASSED: the full-screen aui-chat ran an MCP tool behind its approval dialog"
