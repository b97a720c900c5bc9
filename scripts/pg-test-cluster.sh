#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests.
#
#   dir=$(scripts/pg-test-cluster.sh start)   # prints the cluster directory
#   export SLADESK_TEST_PG_URL=$(cat "$dir/url")
#   ...run the tests...
#   scripts/pg-test-cluster.sh stop "$dir"    # stops it and deletes the directory
#
# The cluster lives in a fresh temp directory, listens on 127.0.0.1 only, on a
# free port, with trust authentication for local connections; it runs as the
# `postgres` user when started by root (PostgreSQL refuses to run as root).
set -euo pipefail

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "${PG_BIN}" ] || [ ! -x "${PG_BIN}/initdb" ]; then
  echo "pg-test-cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A random high port; if it is taken the server fails to start and the
# loop below tries another.
free_port() {
  echo $((20000 + (RANDOM * 32768 + RANDOM) % 40000))
}

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/sladesk-pg.XXXXXX)
    chmod 755 "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
    as_owner "${PG_BIN}/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2; exit 1; }
    port=""
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      port=$(free_port)
      if as_owner "${PG_BIN}/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
          -o "-h 127.0.0.1 -p ${port} -k ${dir} -c max_connections=200" start >/dev/null 2>&1; then
        break
      fi
      port=""
    done
    if [ -z "$port" ]; then
      echo "pg-test-cluster: the server did not start; log follows" >&2
      cat "$dir/server.log" >&2 || true
      exit 1
    fi
    echo "postgresql://postgres@127.0.0.1:${port}/postgres" > "$dir/url"
    echo "$dir"
    ;;
  stop)
    dir=${2:?usage: pg-test-cluster.sh stop DIR}
    case "$dir" in /tmp/sladesk-pg.*) ;; *) echo "pg-test-cluster: refusing to remove $dir" >&2; exit 1;; esac
    if [ -d "$dir/data" ]; then
      as_owner "${PG_BIN}/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: pg-test-cluster.sh start | stop DIR" >&2
    exit 2
    ;;
esac
