#!/usr/bin/env bash
# The mail ingest benchmarks (docs/performance/mail.md):
#  1. `sladesk mail ingest --maildir` of the 10,000 generated messages into a
#     fresh SQLite desk whose contacts write them (bench/mail/seed_desk):
#     messages per second, wall time;
#  2. `sladesk mail ingest` with one message piped per process (the MTA
#     pattern), 500 distinct messages sampled evenly: median, p90, max;
#  3. the same with hyperfine (one message, repeated: the duplicate path).
# Usage: bash bench/mail/ingest.sh [BUILD_DIR] [CORPUS_DIR]
#   SAMPLE=N (default 500): messages for the per-process run;
#   ONLY=pipe: the per-process run alone (no --maildir import, no hyperfine);
#   ONLY=maildir: the --maildir import alone;
#   BIN=path: the sladesk binary to measure (default BUILD_DIR/sladesk).
#   (Release build: cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release &&
#    ninja -C build sladesk seed_desk)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
CORPUS=${2:-/tmp/sladesk-mail-corpus}
if [ ! -d "$CORPUS/new" ]; then
  python3 bench/mail/generate_corpus.py --out "$CORPUS" --count 10000 --seed 1
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "bench-secret-0123456789abcdef" > "$WORK/secret"
FLAGS="--policies policies --secret-file $WORK/secret"
SAMPLE=${SAMPLE:-500}
ONLY=${ONLY:-}
BIN=${BIN:-$BUILD/sladesk}

if [ "$ONLY" != pipe ]; then

echo "== mail ingest --maildir ($(ls "$CORPUS/new" | wc -l) messages, SQLite)"
"$BUILD/bench/seed_desk" "sqlite:$WORK/bulk.db" policies
/usr/bin/time -f "%e %U %S" -o "$WORK/time" \
  "$BIN" mail ingest --db "sqlite:$WORK/bulk.db" $FLAGS --maildir "$CORPUS"
read -r wall user sys < "$WORK/time"
python3 -c "import sys, os; n=int(sys.argv[4]); w, u, s = map(float, sys.argv[1:4]); print('%.2f s wall, %.0f messages/s; CPU %.2f s user + %.2f s system = %.0f messages per CPU-second; load average %.1f' % (w, n / w, u, s, n / (u + s), os.getloadavg()[0]))" \
  "$wall" "$user" "$sys" "$(ls "$CORPUS/new" | wc -l)"
sqlite3 "$WORK/bulk.db" "SELECT action, COUNT(*) FROM mail_inbound GROUP BY action ORDER BY 2 DESC" | tr '\n' ' '
echo
fi
[ "$ONLY" = maildir ] && exit 0

echo "== mail ingest < message, one process each (SQLite)"
"$BUILD/bench/seed_desk" "sqlite:$WORK/pipe.db" policies
python3 bench/mail/per_process.py --bin "$BIN" --corpus "$CORPUS" --sample "$SAMPLE" \
  --args "mail ingest --db sqlite:$WORK/pipe.db $FLAGS"

[ "$ONLY" = pipe ] && exit 0
if command -v hyperfine >/dev/null; then
  # hyperfine 1.15 (Debian 12) has no --input: it runs the command through
  # sh and subtracts the shell's own start-up time.
  echo "== hyperfine: mail ingest < one message (after the first run: a duplicate)"
  first=$(ls "$CORPUS/new" | sed -n 1p)  # not head: its early exit fails the pipe under pipefail
  hyperfine --warmup 5 --runs 200 \
    "$BIN mail ingest --db sqlite:$WORK/pipe.db $FLAGS < $CORPUS/new/$first > /dev/null"
fi
