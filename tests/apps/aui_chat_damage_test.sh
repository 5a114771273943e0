#!/usr/bin/env bash
# aui-chat and a thread file that is damaged, read-only or on a full disk (issue 16 item 1): the
# real binary says what is wrong in the chat, never writes to a damaged file, offers to recover
# it, and a save that fails mid-session is said in the chat and retried.
#
# usage: aui_chat_damage_test.sh path/to/aui-chat
set -euo pipefail
app="$1"
work="$(mktemp -d)"
mounted=()
cleanup() {
  for m in "${mounted[@]}"; do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
export LANG=C.UTF-8 XDG_DATA_HOME="$work/data"

fail() {
  echo "FAILED: $*"
  exit 1
}
chat() {  # chat DB LINE...: one run of the app reading LINEs
  local db="$1"
  shift
  printf '%s\n' "$@" | timeout 60 "$app" --db "$db" --demo-delay-ms 0 --suggestions off "${extra[@]}" 2>&1
}
extra=()
expect() {  # expect OUTPUT TEXT...: each TEXT occurs in OUTPUT
  local out="$1"
  shift
  for text in "$@"; do
    grep -qF -- "$text" <<<"$out" || { echo "$out"; fail "expected \"$text\""; }
  done
}
hash() { sha256sum "$1" | cut -d' ' -f1; }
# A database with a few threads, checkpointed: everything is in the file, no WAL beside it (the
# app ends without a checkpoint; SQLite makes one every 1000 pages).
make_db() {
  local db="$1"
  chat "$db" "the pelican is a bird" "/new" "a question about otters" "/new" "herons wade" "/quit" >/dev/null
  [ -f "$db" ] || fail "no database at $db"
  python3 - "$db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
con.close()
PY
  [ ! -s "$db-wal" ] || fail "the WAL of $db was not checkpointed"
}

# 1. 4 KiB overwritten in the middle: reported at start, the file is not written, /threads says
#    the store is unavailable, and --recover-db copies what can be read.
db="$work/middle.db"
make_db "$db"
python3 - "$db" <<'PY'
import sys
p = sys.argv[1]
data = bytearray(open(p, "rb").read())
mid = (len(data) // 2) // 4096 * 4096
data[mid:mid + 4096] = bytes((i * 7) & 0xFF for i in range(4096))
open(p, "wb").write(data)
PY
before="$(hash "$db")"
out="$(chat "$db" "/threads" "hello after the damage" "/quit")"
expect "$out" "The thread file $db is damaged" "It was not changed" "--recover-db" \
  "(the saved threads are unavailable:" "nothing of this session is saved"
[ "$(hash "$db")" = "$before" ] || fail "the damaged file was written to"

extra=(--recover-db)
out="$(chat "$db" "/threads" "/quit")"
extra=()
expect "$out" "was recovered" "The damaged file is kept, unchanged, as $db.damaged-"
kept="$(ls "$db".damaged-* | head -n 1)"
[ "$(hash "$kept")" = "$before" ] || fail "the kept damaged file differs from the damaged file"
out="$(chat "$db" "/threads" "/quit")"
expect "$out" "threads are kept in $db"
if grep -qF "unavailable" <<<"$out"; then echo "$out"; fail "the recovered file is not used"; fi

# 2. A truncated file: the same, not "no saved threads yet".
db="$work/truncated.db"
make_db "$db"
truncate -s $(( $(stat -c %s "$db") / 2 )) "$db"
before="$(hash "$db")"
out="$(chat "$db" "/threads" "/quit")"
expect "$out" "is damaged" "(the saved threads are unavailable:"
if grep -qF "no saved threads yet" <<<"$out"; then echo "$out"; fail "a damaged store looked empty"; fi
[ "$(hash "$db")" = "$before" ] || fail "the truncated file was written to"

# 3. A read-only file (a read-only disk as root, who writes any file whatever its mode).
ro_done=0
if [ "$(id -u)" -eq 0 ]; then
  mkdir -p "$work/ro"
  if mount -t tmpfs -o size=4m tmpfs "$work/ro" 2>/dev/null; then
    mounted+=("$work/ro")
    make_db "$work/ro/aui.db"
    before="$(hash "$work/ro/aui.db")"
    mount -o remount,ro "$work/ro"
    out="$(chat "$work/ro/aui.db" "/threads" "/quit")"
    expect "$out" "Threads cannot be saved:" "read-only" "(the saved threads are unavailable:"
    [ "$(hash "$work/ro/aui.db")" = "$before" ] || fail "the read-only file changed"
    ro_done=1
  fi
else
  make_db "$work/ro.db"
  chmod 444 "$work/ro.db"
  before="$(hash "$work/ro.db")"
  out="$(chat "$work/ro.db" "/threads" "/quit")"
  expect "$out" "Threads cannot be saved:" "read-only"
  [ "$(hash "$work/ro.db")" = "$before" ] || fail "the read-only file changed"
  ro_done=1
fi
[ "$ro_done" -eq 1 ] || echo "SKIPPED: the read-only case (cannot mount a tmpfs here)"

# 4. A full disk mid-session: the failed save is said in the chat, the thread is marked unsaved,
#    and once there is room again the next message saves what was missed.
if [ "$(id -u)" -eq 0 ] && mkdir -p "$work/full" && mount -t tmpfs -o size=3m tmpfs "$work/full" 2>/dev/null; then
  mounted+=("$work/full")
  db="$work/full/aui.db"
  make_db "$db"
  fifo="$work/in"
  mkfifo "$fifo"
  "$app" --db "$db" --demo-delay-ms 0 --suggestions off <"$fifo" >"$work/full.out" 2>&1 &
  pid=$!
  exec 3>"$fifo"
  wait_for() {  # wait_for TEXT: until the app printed TEXT (bounded)
    for _ in $(seq 600); do
      grep -qF -- "$1" "$work/full.out" && return 0
      sleep 0.1
    done
    cat "$work/full.out"
    kill -9 "$pid" 2>/dev/null || true
    fail "the app never printed \"$1\""
  }
  wait_for "threads are kept in"
  # Fill the disk, leaving room for the WAL index but not for a big message.
  dd if=/dev/zero of="$work/full/filler" bs=64k 2>/dev/null || true
  python3 - "$work/full" <<'PY'
import os, sys
d = sys.argv[1]
f = os.path.join(d, "filler")
size = os.path.getsize(f)
os.truncate(f, max(0, size - 160 * 1024))
PY
  printf 'a long message %s\n' "$(head -c 400000 /dev/zero | tr '\0' 'x')" >&3
  wait_for "(not saved: "
  rm -f "$work/full/filler"
  echo "the disk has room again" >&3
  wait_for "(saved again"
  echo "/threads" >&3
  echo "/quit" >&3
  exec 3>&-
  wait "$pid" || true
  out="$(cat "$work/full.out")"
  expect "$out" "the disk is full" "This conversation is kept in memory only"
  extra=(--continue)  # the most recent thread: the one the disk filled in
  out="$(chat "$db" "/threads" "/quit")"
  extra=()
  expect "$out" "a long message" "the disk has room again"
else
  echo "SKIPPED: the full-disk case (needs root and a tmpfs mount)"
fi
echo "PASSED"
