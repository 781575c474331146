#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests: scripts/pg_test_cluster.sh start|stop|url
#
#   start  initdb (first time) and start a server on 127.0.0.1:$PGPORT (default 54329), trust auth on
#          loopback only, fsync off (test data only); prints the URL to put in STARCOACH_TEST_PG_URL.
#   stop   stop the server and remove its data dir.
#   url    print the URL only.
#
# Uses Debian's `postgresql` package (binaries in /usr/lib/postgresql/*/bin). initdb refuses to run as
# root, so as root the cluster runs as the `postgres` system user (created if missing) via runuser.
# The data dir lives under ${PG_TEST_DIR:-${TMPDIR:-/tmp}/starcoach-pg-$PGPORT}.
set -euo pipefail

PGPORT="${PGPORT:-54329}"
DIR="${PG_TEST_DIR:-${TMPDIR:-/tmp}/starcoach-pg-$PGPORT}"
DATA="$DIR/data"
LOG="$DIR/server.log"
URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/postgres"

bindir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [[ -z "$d" || ! -x "$d/initdb" ]]; then
    echo "pg_test_cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
    exit 1
  fi
  echo "$d"
}

as_owner() {
  if [[ "$(id -u)" == "0" ]]; then
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local bin
  bin="$(bindir)"
  mkdir -p "$DIR"
  if [[ "$(id -u)" == "0" ]]; then
    as_owner true  # creates the user if needed
    chown postgres "$DIR"
    chmod 700 "$DIR"
  fi
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    as_owner "$bin/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
    # Loopback TCP only (no Unix socket outside the data dir, no other address), trust auth.
    cat >"$DATA/pg_hba.conf" <<EOF
host all all 127.0.0.1/32 trust
EOF
  fi
  if as_owner "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    echo "$URL"
    return
  fi
  as_owner "$bin/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start -o \
    "-p $PGPORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$DIR -c fsync=off \
     -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null \
    || { cat "$LOG" >&2; exit 1; }
  echo "$URL"
}

stop() {
  local bin
  bin="$(bindir)"
  if [[ -f "$DATA/PG_VERSION" ]]; then
    as_owner "$bin/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
