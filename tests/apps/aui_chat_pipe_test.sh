#!/usr/bin/env bash
# aui-chat as a pipe tool, on the real binary: stdout holds only the reply, stdin is context,
# --json prints the message, and the exit status says how the reply ended.
set -euo pipefail
bin="$1"
[ -x "$bin" ] || { echo "aui-chat was not built: $bin"; exit 1; }
unset OPENAI_API_KEY OPENAI_BASE_URL OPENAI_MODEL ANTHROPIC_API_KEY ANTHROPIC_BASE_URL
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A question on the command line: the reply alone on stdout, nothing on stderr, status 0.
"$bin" --demo-delay-ms 0 what is a monad </dev/null >"$tmp/out" 2>"$tmp/err" || fail "status $?"
grep -q 'what is a monad' "$tmp/out" || fail "reply: $(cat "$tmp/out")"
[ "$(wc -l <"$tmp/out")" -eq 1 ] || fail "more than the reply on stdout: $(cat "$tmp/out")"
[ ! -s "$tmp/err" ] || fail "stderr: $(cat "$tmp/err")"
grep -qi 'offline demo adapter (no backend' "$tmp/out" && fail "the banner reached stdout"

# Piped stdin is the question's context.
printf 'line one\nline two\n' | "$bin" --demo-delay-ms 0 -p "summarise" >"$tmp/out" 2>/dev/null
grep -q 'line two' "$tmp/out" || fail "context missing: $(cat "$tmp/out")"

# --json: one assistant-ui message.
"$bin" --demo-delay-ms 0 --json hello </dev/null >"$tmp/out"
python3 - "$tmp/out" <<'PY' || fail "json: $(cat "$tmp/out")"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["role"] == "assistant" and m["status"]["type"] == "complete", m
assert "hello" in m["content"][0]["text"], m
PY

# A backend that is not there: status 1, a sentence on stderr, nothing on stdout.
set +e
"$bin" --base-url http://127.0.0.1:9/v1 --model m hi </dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "status $rc for a failed reply"
[ ! -s "$tmp/out" ] || fail "stdout after a failure: $(cat "$tmp/out")"
grep -q 'connection was refused' "$tmp/err" || fail "stderr: $(cat "$tmp/err")"

# --version, and --help names every flag it accepts.
"$bin" --version | grep -q '^aui-chat [0-9]' || fail "--version"
"$bin" --help >"$tmp/help"
for flag in --provider --base-url --model --system --temperature --max-tokens --demo-tools \
  --insecure --db --memory --recover-db --demo-delay-ms --prompt --json --plain --version --help; do
  grep -q -- "$flag" "$tmp/help" || fail "--help does not mention $flag"
done
echo "pipe mode: all checks passed"
