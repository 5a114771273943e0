#!/usr/bin/env bash
# aui-chat keeps its threads across restarts (the SQLite store): each run of the real binary reads
# its lines from a pipe (a line waits until the reply before it has ended), then a run is killed
# with SIGKILL while a reply streams, and the next run finds that reply marked as interrupted.
#
# usage: aui_chat_threads_test.sh path/to/aui-chat
set -euo pipefail
app="${1:?usage: $0 path/to/aui-chat}"
# A missing binary fails at once (each screen wait would otherwise time out in turn).
[ -x "$app" ] || { echo "FAILED: $app is not an executable; build it first (cmake --build --preset <preset> --target aui-chat)"; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
db="$work/threads.db"
export LANG=C.UTF-8 XDG_DATA_HOME="$work/data"

fail() {
  echo "FAILED: $*"
  exit 1
}
chat() { printf '%s\n' "$@" | timeout 60 "$app" --db "$db" --demo-delay-ms 0 --suggestions off 2>&1; }
expect() {  # expect OUTPUT TEXT...: each TEXT occurs in OUTPUT
  local out="$1"
  shift
  for text in "$@"; do
    grep -qF -- "$text" <<<"$out" || { echo "$out"; fail "expected \"$text\""; }
  done
}
listed() {  # listed OUTPUT: the lines of a /threads listing in OUTPUT, without the prompt
  sed -E 's/^you> //' <<<"$1" | grep -E '^ +[0-9]+[* ] '
}
number_of() {  # number_of TEXT: the number /threads shows for the thread described by TEXT
  listed "$(chat "/threads" "/quit")" | grep -F -- "$1" | head -1 | awk '{print $1}' | tr -d '*'
}

# 1. Two threads, one renamed, one archived.
out="$(chat "the pelican is a bird" "/rename Birds" "/new" "a question about otters" "/threads" "/quit")"
expect "$out" "threads are kept in $db" "(renamed)" "(a new thread)"
grep -qF "1. user: the pelican is a bird" <<<"$out" && { echo "$out"; fail "/rename printed the thread again"; }
[ -f "$db" ] || fail "no database file at $db"

# 1a. Numbers stay with their threads: the oldest got 1; a reply in it (which lists it first), a
#     restart and another run's listing leave every number where it was.
out="$(chat "/threads" "/quit")"
listed "$out" | grep -qE '^ +1  Birds' || { echo "$out"; fail "the first thread is not number 1"; }
listed "$out" | grep -qE '^ +2  a question about otters' || { echo "$out"; fail "the second thread is not number 2"; }
out="$(chat "/switch 1" "more about pelicans" "/threads" "/quit")"
expect "$out" "(thread 1: Birds)"
listed "$out" | grep -qE '^ +1\* Birds' || { echo "$out"; fail "a reply changed the thread's number"; }
[ "$(listed "$out" | head -1 | awk '{print $1}')" = "1*" ] ||
  { echo "$out"; fail "the thread with the newest reply is not listed first"; }
[ "$(number_of "otters")" = "2" ] || fail "a restart changed a thread's number"
out="$(chat "/switch 9" "/switch x" "/quit")"
expect "$out" "there is no thread 9" "usage: /switch N"

# 1b. --continue reopens the most recent thread with its messages; piped input alone starts anew.
out="$(chat "/history" "/quit")"
grep -qF "more about pelicans" <<<"$out" && fail "piped input reopened a thread without --continue"
out="$(printf '%s\n' "/history" "/quit" | timeout 60 "$app" --db "$db" --demo-delay-ms 0 --suggestions off --continue 2>&1)"
expect "$out" "user: more about pelicans"

# 2. A restart lists both, opens the first, searches every thread, exports Markdown.
out="$(chat "/threads" "/switch 1" "/search pelican" "/search PELI bir" "/export md $work/birds.md" "/archive" "/threads" "/quit")"
expect "$out" "Birds" "(thread 1: Birds)" "the pelican is a bird" "[archived]"
# Issue 17: part of a word, in another case, finds it; the hit shows the thread and a snippet.
expect "$out" "thread 1 (Birds): the [peli]can is a [bir]d"
grep -q "^## User" "$work/birds.md" || fail "the Markdown export has no user section"
grep -qF "the pelican is a bird" "$work/birds.md" || fail "the Markdown export lacks the message"

# 3. /delete removes a thread for good.
out="$(chat "/switch 2" "/delete" "/threads" "/quit")"
expect "$out" "(deleted"
out="$(chat "/threads" "/quit")"
if grep -qF "otters" <<<"$out"; then echo "$out"; fail "a deleted thread came back"; fi

# What the killed run printed and what its database holds, for a failure's report.
dump_killed() {
  echo "--- the output of the run that was to be killed:"
  cat "$work/killed.out" || true
  echo "--- the messages in the database:"
  python3 - "$db" <<'PY' || true
import sqlite3, sys
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=5)
for row in con.execute("SELECT thread_id, id, role, status, length(body) FROM messages ORDER BY seq"):
    print(*row)
PY
}

# 4. SIGKILL while a reply streams: the reply was checkpointed; reopening marks it interrupted.
fifo="$work/in"
mkfifo "$fifo"
"$app" --db "$db" --demo-delay-ms 200 --suggestions off <"$fifo" >"$work/killed.out" 2>&1 &
pid=$!
exec 3>"$fifo"
echo "tell me a long story about herons" >&3
# Wait (bounded) until a checkpoint of the running reply is in the database.
python3 - "$db" <<'PY' || { kill -9 "$pid"; dump_killed; fail "no checkpoint of the streaming reply reached the database"; }
import sqlite3, sys, time
for _ in range(600):
    try:
        con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=5)
        n = con.execute("SELECT count(*) FROM messages WHERE role='assistant' AND status='running'").fetchone()[0]
        con.close()
        if n > 0:
            sys.exit(0)
    except sqlite3.Error:
        pass
    time.sleep(0.1)
sys.exit(1)
PY
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
exec 3>&-
herons="$(number_of "herons")"
[ -n "$herons" ] || fail "the killed run's thread is not listed"
out="$(chat "/threads" "/switch $herons" "/quit")"
expect "$out" "herons" "(incomplete/error)"
python3 - "$db" <<'PY' || fail "a reply is still marked running after reopening"
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
n = con.execute("SELECT count(*) FROM messages WHERE status='running'").fetchone()[0]
sys.exit(1 if n else 0)
PY
# 4a. /export json then /import: the thread comes back as a new one, branches and all.
out="$(chat "/switch $herons" "/export json $work/thread.json" "/quit")"
expect "$out" "exported"
out="$(chat "/import $work/thread.json" "/history" "/import $work/nope.json" "/quit")"
expect "$out" "(imported " "cannot import $work/nope.json"
out="$(chat "/threads" "/quit")"
[ "$(grep -cF "herons" <<<"$out")" -ge 2 ] || { echo "$out"; fail "the imported thread is not listed beside the original"; }

# 4b. /unarchive brings an archived thread back.
out="$(chat "/threads" "/unarchive $herons" "/unarchive 99" "/unarchive" "/threads" "/quit")"
expect "$out" "is not archived" "there is no thread 99" "usage: /unarchive N"
archived="$(chat "/threads" "/quit" | grep -F "[archived]" | head -1 | awk '{print $1}')"
[ -n "$archived" ] || fail "no archived thread to bring back"
out="$(chat "/unarchive $archived" "/threads" "/quit")"
expect "$out" "(unarchived "
out="$(chat "/threads" "/quit")"
grep -qF "[archived]" <<<"$out" && { echo "$out"; fail "the thread is still archived"; }

# 5. Two aui-chat on one file: the first sees, in /threads and /search, a thread the second made
#    while it was running.
fifo2="$work/second.fifo"
mkfifo "$fifo2"
"$app" --db "$db" --demo-delay-ms 0 --suggestions off <"$fifo2" >"$work/first.out" 2>&1 &
first=$!
exec 4>"$fifo2"
echo "/threads" >&4
chat "kingfishers dive for fish" "/quit" >/dev/null
echo "/threads" >&4
echo "/search kingfishers" >&4
echo "/quit" >&4
exec 4>&-
wait "$first" || true
out="$(cat "$work/first.out")"
[ -n "${AUI_TEST_VERBOSE:-}" ] && echo "$out"
listed "$out" | grep -qE '^ +[0-9]+  kingfishers dive for fish' || { echo "$out"; fail "/threads missed the other process's thread"; }
grep -qE 'thread [0-9]+ \(kingfishers dive for fish\)' <<<"$out" || { echo "$out"; fail "/search missed the other process's thread"; }
grep -qF "(gone)" <<<"$out" && { echo "$out"; fail "/search listed a thread of the other process as gone"; }
echo "PASSED"
