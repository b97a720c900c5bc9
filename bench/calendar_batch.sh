#!/usr/bin/env bash
# End-to-end wall time of `sladesk calendar add --batch` over 1,000,000 lines
# (the issue's target: under 1 second). Prints each run and the median.
# Usage: bash bench/calendar_batch.sh [path/to/sladesk]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-build/sladesk}
INPUT=$(mktemp)
trap 'rm -f "$INPUT"' EXIT
# Start instants over 2026-2027, durations from 1 minute to 5 business days.
awk 'BEGIN { srand(1); for (i = 0; i < 1000000; i++)
  printf "%d,%d\n", 1767225600 + int(rand() * 63072000), 60 + int(rand() * 144000) }' > "$INPUT"
times=()
for run in 1 2 3 4 5; do
  t=$( { /usr/bin/time -f "%e %M" "$BIN" calendar add --calendar bench/data/berlin_9_17.json --batch \
          < "$INPUT" > /dev/null; } 2>&1 | tail -1)
  echo "run $run: ${t% *} s wall, ${t#* } KB max RSS"
  times+=("${t% *}")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print "median:", a[int((NR + 1) / 2)], "s for 1,000,000 lines" }'
