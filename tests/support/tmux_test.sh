# Shared by the tests that drive aui-chat in a real terminal (tmux); sourced, not run.
#
# Set `socket_name` (a prefix naming the test) before sourcing, and `scrollback=1` for a line-mode
# test whose transcript scrolls off the pane. It makes `socket` (a private tmux server: nobody's
# sessions are touched), `session`, `workdir` (a private folder, removed at exit) and the helpers
# below; a script with more to clean up defines `extra_cleanup`. Every wait is bounded (30 s) and
# polls the screen: timing never decides a verdict.
socket="${socket_name:?set socket_name before sourcing tmux_test.sh}-$$-$RANDOM"
session="chat"
workdir="$(mktemp -d)"

tm() { tmux -L "$socket" "$@"; }

cleanup() {
  tm kill-server 2>/dev/null || true
  if declare -F extra_cleanup >/dev/null; then extra_cleanup || true; fi
  # The app may still be writing its threads for a moment after its terminal is gone.
  rm -rf "$workdir" 2>/dev/null || { sleep 1; rm -rf "$workdir" 2>/dev/null || true; }
}
trap cleanup EXIT

# What the pane shows (with the last 500 lines of scrollback when `scrollback=1`).
screen() {
  if [ "${scrollback:-0}" = 1 ]; then
    tm capture-pane -p -J -t "$session" -S -500
  else
    tm capture-pane -p -J -t "$session"
  fi
}

fail() {
  echo "FAILED: $*"
  echo "---- screen ----"
  screen || true
  exit 1
}

# wait_for TEXT [COUNT]: until TEXT shows on at least COUNT lines (default 1).
wait_for() {
  local text="$1" count="${2:-1}"
  for _ in $(seq 1 300); do
    if [ "$(screen | grep -cF -- "$text")" -ge "$count" ]; then return 0; fi
    sleep 0.1
  done
  if [ "$count" -eq 1 ]; then fail "waiting for \"$text\""; fi
  fail "waiting for \"$text\" (x$count)"
}

# wait_gone TEXT: until TEXT is no longer on the screen.
wait_gone() {
  for _ in $(seq 1 300); do
    if ! screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  fail "waiting for \"$1\" to go"
}

# keys KEY...: tmux key names (Enter, C-t, ...) to the app; type_text TEXT: TEXT typed as it is;
# type_line TEXT: typed, then Enter; pane FORMAT: a variable of the pane ('#{alternate_on}').
keys() { tm send-keys -t "$session" "$@"; }
type_text() { tm send-keys -t "$session" -l -- "$1"; }
type_line() {
  type_text "$1"
  keys Enter
}
pane() { tm display-message -p -t "$session" "$1"; }
