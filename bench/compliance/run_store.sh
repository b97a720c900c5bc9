#!/usr/bin/env bash
# `report sla` over stored tickets in SQLite (docs/PERFORMANCE.md).
#   bash bench/compliance/run_store.sh [TICKETS] [RUNS] [DB]
#     (defaults: 1000000 tickets, 3 runs, a new database in $TMPDIR)
# Needs the Release build: cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release &&
#   ninja -C build sladesk gen_store
# gen_store writes the tickets (bench/compliance/gen_store.cc: 6.5 events
# each on average, 5.2 on the clock; each row with its clock_log, or NULL
# with CLOCK_LOG=0, as rows saved before migration 9) unless DB already
# exists (a DB of an older build is migrated by the first run); the database
# file is read once to warm the page cache, then `report sla --db` runs RUNS
# times with --jobs 2 and once with --jobs 1. Prints each run (wall, CPU,
# max RSS) and the medians.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}
RUNS=${2:-3}
DB=${3:-}
BIN=build/sladesk
GEN=build/bench/gen_store
if [[ -z "$DB" ]]; then
  DB=$(mktemp --suffix=.db)
  rm -f "$DB"
  trap 'rm -f "$DB" "$DB-wal" "$DB-shm"' EXIT
fi
if [[ ! -s "$DB" ]]; then
  /usr/bin/time -f "gen_store: %e s" "$GEN" "$DB" "$N" 1 "${CLOCK_LOG:-1}"
fi
echo "database: $N tickets, $(du -m "$DB" | cut -f1) MB, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# The binary under test: BIN=path/to/sladesk to compare builds on one database.
BIN=${BIN_UNDER_TEST:-$BIN}
cat "$DB" > /dev/null

measure() {  # label, then the command
  local label=$1
  shift
  local walls=()
  for run in $(seq 1 "$RUNS"); do
    local t
    t=$( { /usr/bin/time -f "%e %U %S %M" "$@" > /dev/null; } 2>&1 | tail -1)
    read -r wall user sys rss <<< "$t"
    echo "$label run $run: ${wall} s wall, $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') s CPU, ${rss} KB max RSS"
    walls+=("$wall")
  done
  printf '%s\n' "${walls[@]}" | sort -n | awk -v l="$label" -v n="$N" \
    '{ a[NR] = $1 } END { m = a[int((NR + 1) / 2)]; printf "%s median: %s s wall for %d tickets (%.0f tickets/s)\n", l, m, n, n / m }'
}

REPORT=("$BIN" report sla --db "sqlite:$DB" --policy policies/gold-support.toml --from 2026-01-01 --to 2027-01-01
        --format json)
measure "report sla --db, --jobs 2" "${REPORT[@]}" --jobs 2
measure "report sla --db, --group-by agent, --jobs 2" "${REPORT[@]}" --group-by agent --jobs 2
RUNS=1 measure "report sla --db, --jobs 1" "${REPORT[@]}" --jobs 1
