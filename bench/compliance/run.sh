#!/usr/bin/env bash
# Backtest and `report sla` throughput over a generated history (docs/PERFORMANCE.md).
#   bash bench/compliance/run.sh [TICKETS] [RUNS]      (defaults: 1000000 tickets, 3 runs)
# Needs the Release build: cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release &&
#   ninja -C build sladesk gen_history
# Prints each run (wall, user+sys CPU, max RSS) and the median wall time; the
# history (~640 MB for 1,000,000 tickets x 10 events) is written to $TMPDIR
# and removed afterwards. The page cache is warmed by one read first, so
# the figures are the replay, not the disk.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}
RUNS=${2:-3}
BIN=build/sladesk
GEN=build/bench/gen_history
HIST=$(mktemp --suffix=.jsonl)
trap 'rm -f "$HIST"' EXIT
"$GEN" "$N" 1 > "$HIST"
echo "history: $N tickets, $(du -m "$HIST" | cut -f1) MB, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$HIST" > /dev/null

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

measure "backtest" "$BIN" backtest --policy tests/compliance/data/policies/gold-candidate.toml \
  --baseline policies/gold-support.toml --history "$HIST" --jobs 2
measure "backtest --jobs 1" "$BIN" backtest --policy tests/compliance/data/policies/gold-candidate.toml \
  --baseline policies/gold-support.toml --history "$HIST" --jobs 1
measure "report sla" "$BIN" report sla --policy policies/gold-support.toml --history "$HIST" \
  --from 2026-01-01 --to 2027-01-01 --group-by agent --format json --jobs 2
