#!/usr/bin/env bash
# A throw-away PostgreSQL server on 127.0.0.1 for the store tests.
#   pg_test_server.sh start <state-dir>   initdb in a temp dir, start on a free port, write
#                                         <state-dir>/conninfo
#   pg_test_server.sh stop <state-dir>    stop it and remove its files
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail
cmd=${1:?start|stop}
state=${2:?state dir}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
as=()
if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); fi

stop() {
  [ -f "$state/dir" ] || return 0
  local data
  data=$(cat "$state/dir")
  if [ -d "$data/db" ]; then
    "${as[@]}" "$bindir/pg_ctl" -D "$data/db" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$data" "$state"
}

case "$cmd" in
  start)
    if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
      echo "PostgreSQL server programs not found under /usr/lib/postgresql (apt-get install postgresql)" >&2
      exit 1
    fi
    stop
    mkdir -p "$state"
    data=$(mktemp -d /tmp/aui-pg-XXXXXX)
    chmod 755 "$data"
    echo "$data" > "$state/dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres: "$data"; fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if ! "${as[@]}" "$bindir/initdb" -D "$data/db" -A trust -U postgres -E UTF8 --no-sync >"$data/initdb.log" 2>&1; then
      cat "$data/initdb.log" >&2
      exit 1
    fi
    if ! "${as[@]}" "$bindir/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
        -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null; then
      cat "$data/server.log" >&2
      exit 1
    fi
    echo "host=127.0.0.1 port=$port user=postgres dbname=postgres" > "$state/conninfo"
    echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($data)"
    ;;
  stop)
    stop
    ;;
  *)
    echo "usage: $0 start|stop <state-dir>" >&2
    exit 2
    ;;
esac
