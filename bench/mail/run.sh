#!/usr/bin/env bash
# The mail parse benchmarks (docs/performance/mail.md):
#  1. ParseMail throughput on one core over 10,000 generated messages;
#  2. `sladesk mail parse -` one process per message (the MTA pipe pattern),
#     median and p90 wall milliseconds over a sample of the same messages.
# Usage: bash bench/mail/run.sh [BUILD_DIR] [CORPUS_DIR]   (Release build: make build)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${1:-build}
CORPUS=${2:-/tmp/sladesk-mail-corpus}
if [ ! -d "$CORPUS/new" ]; then
  python3 bench/mail/generate_corpus.py --out "$CORPUS" --count 10000 --seed 1
fi
echo "== ParseMail on one core (taskset -c 0)"
SLADESK_MAIL_CORPUS="$CORPUS" taskset -c 0 "$BUILD/bench/mail_parse_bench" --benchmark_repetitions=3 \
  --benchmark_report_aggregates_only=true
echo "== sladesk mail parse - < message, one process each"
python3 bench/mail/per_process.py --bin "$BUILD/sladesk" --corpus "$CORPUS" --sample 500
