#!/usr/bin/env bash
# The SLA scheduler benchmark (docs/performance/ops.md): 1,000,000 open
# tickets, first due instants over a month, on SQLite; with
# SLADESK_TEST_PG_URL set, again on PostgreSQL with two schedulers.
# Build first: cmake --build build -j2 --target scheduler_bench (Release).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=build/bench/scheduler_bench
TICKETS=${TICKETS:-1000000}
SECONDS_STEADY=${SECONDS_STEADY:-60}
RATE=${RATE:-2500}
/usr/bin/time -f "max RSS %M kB, %e s wall" "$BIN" --db sqlite:/tmp/sladesk-scheduler-bench.db \
  --tickets "$TICKETS" --rate "$RATE" --seconds "$SECONDS_STEADY" --policies policies
rm -f /tmp/sladesk-scheduler-bench.db /tmp/sladesk-scheduler-bench.db-wal /tmp/sladesk-scheduler-bench.db-shm
if [[ -n "${SLADESK_TEST_PG_URL:-}" ]]; then
  DB=sladesk_sched_bench_$$
  psql "$SLADESK_TEST_PG_URL" -qc "CREATE DATABASE $DB" >/dev/null
  URL="${SLADESK_TEST_PG_URL%/*}/$DB"
  /usr/bin/time -f "max RSS %M kB, %e s wall" "$BIN" --db "$URL" --tickets "${PG_TICKETS:-$TICKETS}" \
    --rate "$RATE" --seconds "$SECONDS_STEADY" --schedulers 2 --writers 2 --policies policies || true
  psql "$SLADESK_TEST_PG_URL" -qc "DROP DATABASE $DB" >/dev/null
fi
