#!/usr/bin/env bash
# Load test of `sladesk serve` with wrk on loopback (see docs/performance/server.md).
#
#   bench/wrk/run.sh [--db sqlite|postgresql://...] [--binary build/sladesk] [--duration 20] [--connections 64]
#
# Starts the server on a fresh database (a temp SQLite file, or the given
# PostgreSQL URL, which should be an empty database), creates an
# organisation and a named contact, then runs:
#   1. max-throughput creates   (wrk -t2 -c64 or --connections, SLADESK_MODE=create)
#   2. creates + replies mixed  (the same connections, SLADESK_MODE=mixed)
#   3. ~1,000 creates/s paced   (wrk -t2 -c20, 18 ms pause per request) for p99
#   4. agents' queue, full list (GET /api/v1/tickets of the 25 most urgent open tickets,
#                                64 connections, over the tickets the phases before created)
#   5. agents' queue view       (the same page from GET /api/v1/queue: only what a row shows)
# each followed by its write units per commit and the machine's idle CPU
# share, and finally checks that the database holds every acknowledged ticket.
set -euo pipefail
cd "$(dirname "$0")/../.."

DB=sqlite
BIN=build/sladesk
DURATION=20
CONNECTIONS=64
PORT=${PORT:-18090}
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB=$2; shift 2;;
    --binary) BIN=$2; shift 2;;
    --duration) DURATION=$2; shift 2;;
    --connections) CONNECTIONS=$2; shift 2;;
    *) echo "usage: $0 [--db sqlite|postgresql://...] [--binary PATH] [--duration SECONDS] [--connections N]" >&2; exit 2;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "$BIN not built (make build)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/sladesk-bench.XXXXXX)
if [ "$DB" = sqlite ]; then DB_URL="sqlite:$WORK/bench.db"; else DB_URL=$DB; fi
cleanup() {
  if [ -n "${SERVER_PID:-}" ] && kill -0 "$SERVER_PID" 2>/dev/null; then kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

ADMIN=$("$BIN" token create --db "$DB_URL" --email bench-admin@sladesk.test --role admin)
"$BIN" serve --db "$DB_URL" --port "$PORT" --policies policies >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do grep -q serving "$WORK/server.log" && break; sleep 0.1; done
grep serving "$WORK/server.log"
URL="http://127.0.0.1:$PORT"

ORG=$(curl -sf -X POST "$URL/api/v1/organisations" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"name":"Bench Corp","policy_id":"gold-support","plan_id":"gold","incidents_per_month":100000}' | sed -E 's/.*"id":([0-9]+).*/\1/')
curl -sf -X POST "$URL/api/v1/organisations/$ORG/contacts" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  -d '{"name":"Bea Bench","email":"bea@bench.test","named_contact":true}' >/dev/null
CONTACT=$("$BIN" token create --db "$DB_URL" --email bea@bench.test)
AGENT=$("$BIN" token create --db "$DB_URL" --email agent@bench.test --role agent)
export SLADESK_TOKEN=$CONTACT

echo "== warm-up"
SLADESK_MODE=create wrk -t2 -c16 -d3s -s bench/wrk/tickets.lua "$URL" >/dev/null
# Per phase: write units per commit (group-commit batch size) from the
# server's counters, and the share of CPU time the machine spent idle.
counters() { curl -sf "$URL/metrics" | awk '/^sladesk_store_write_units_total/ {u=$2} /^sladesk_store_commits_total/ {c=$2} END {print u, c}'; }
cpu() { awk '/^cpu / {print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
phase() {  # phase NAME -- wrk arguments...
  local name=$1; shift
  echo "== $name"
  read -r u0 c0 < <(counters); read -r i0 t0 < <(cpu)
  wrk "$@"
  read -r u1 c1 < <(counters); read -r i1 t1 < <(cpu)
  awk -v u=$((u1 - u0)) -v c=$((c1 - c0)) -v i=$((i1 - i0)) -v t=$((t1 - t0)) 'BEGIN {
    printf "phase: %d write units in %d commits (%.1f per commit), CPU idle %.0f%%\n", u, c, c ? u / c : 0, t ? 100 * i / t : 0 }'
}

phase "1. creates, max throughput (wrk -t2 -c${CONNECTIONS} -d${DURATION}s)" \
  -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk/tickets.lua "$URL" < /dev/null
SLADESK_MODE=mixed phase "2. creates and replies (2:1), max throughput" \
  -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk/tickets.lua "$URL" < /dev/null
SLADESK_DELAY_MS=18 phase "3. creates paced to ~1,000/s (wrk -t2 -c20, 18 ms pause)" \
  -t2 -c20 -d"${DURATION}s" --latency -s bench/wrk/tickets.lua "$URL" < /dev/null
SLADESK_MODE=queue SLADESK_TOKEN=$AGENT phase "4. agents' queue, full ticket list (GET /api/v1/tickets, 25 most urgent open), max throughput" \
  -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk/tickets.lua "$URL" < /dev/null
SLADESK_MODE=queueview SLADESK_TOKEN=$AGENT phase "5. agents' queue view (GET /api/v1/queue, 25 most urgent open), max throughput" \
  -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s bench/wrk/tickets.lua "$URL" < /dev/null

echo "== store counters"
curl -sf "$URL/metrics" | grep -E '^sladesk_store_(write_units|commits|retries)_total'
LAST=$(curl -sf "$URL/api/v1/tickets?sort=newest&limit=1" -H "Authorization: Bearer $ADMIN" | sed -E 's/.*"number":([0-9]+).*/\1/')
echo "tickets in the database: $LAST (highest number; numbers are gap-free per committed create)"
