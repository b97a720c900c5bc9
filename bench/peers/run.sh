#!/usr/bin/env bash
# Side-by-side benchmark of sladesk's `calendar add` against the business-time
# libraries help desks use: Business::Hours (Perl, Request Tracker's SLA),
# moment-business-time and dayjs-business-time (Node). See
# docs/performance/peers.md for what it measures and a recorded run.
#
#   bash bench/peers/run.sh
#
# Environment (all optional):
#   N=100000        queries generated (seeded, reproducible)
#   SEED=20260101   generator seed
#   RUNS=3          timed runs per implementation; the table shows the median
#   BH_LIMIT=10000  Business::Hours answers only ~300 queries/s, so it runs on
#                   the first BH_LIMIT queries (0 = all; ~6 min per run)
#   SLADESK=path    the sladesk binary (default: build/sladesk or
#                   build/src/cli/sladesk; built in build/ if neither exists)
#   WORK=dir        outputs (default build-peers/, ignored by git)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
N="${N:-100000}"
SEED="${SEED:-20260101}"
RUNS="${RUNS:-3}"
BH_LIMIT="${BH_LIMIT:-10000}"
WORK="${WORK:-$ROOT/build-peers}"
CALENDAR="$HERE/calendar.json"
# The peers compute in the process's local zone; sladesk reads the zone from
# the calendar JSON. Both are Europe/Berlin.
export TZ=Europe/Berlin

log() { printf 'peers: %s\n' "$*" >&2; }
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# ---- 1. the peers, from the registries when missing --------------------------
if ! perl -MBusiness::Hours -e1 2>/dev/null; then
  log "installing Business::Hours (Debian libbusiness-hours-perl)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libbusiness-hours-perl >/dev/null
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  log "installing Node.js and npm (Debian)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
# Versions are pinned exactly in package.json; reinstall when they differ.
if ! (cd "$HERE" && npm ls --depth=0 >/dev/null 2>&1); then
  log "installing the npm peers pinned in bench/peers/package.json"
  (cd "$HERE" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi

# ---- 2. sladesk ------------------------------------------------------------------
if [ -z "${SLADESK:-}" ]; then
  for candidate in "$ROOT/build/sladesk" "$ROOT/build/src/cli/sladesk"; do
    if [ -x "$candidate" ]; then SLADESK="$candidate"; break; fi
  done
fi
if [ -z "${SLADESK:-}" ]; then
  log "building sladesk (Release) in build/"
  GEN=""
  if command -v ninja >/dev/null; then GEN="-G Ninja"; fi
  # shellcheck disable=SC2086
  cmake -S "$ROOT" -B "$ROOT/build" $GEN -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$ROOT/build" -j "$(nproc)" --target sladesk >/dev/null
  for candidate in "$ROOT/build/sladesk" "$ROOT/build/src/cli/sladesk"; do
    if [ -x "$candidate" ]; then SLADESK="$candidate"; break; fi
  done
fi
if ! printf '1798102800,3600\n' | "$SLADESK" calendar add --calendar "$CALENDAR" --batch >/dev/null; then
  log "error: $SLADESK does not answer 'calendar add --batch' (CONTRACT §6)"
  exit 1
fi

# ---- 3. the queries ----------------------------------------------------------------
mkdir -p "$WORK"
node "$HERE/gen_queries.js" "$N" "$SEED" >"$WORK/queries.csv"
log "$N queries in $WORK/queries.csv (seed $SEED); sladesk is $SLADESK"
: >"$WORK/timings.jsonl"

now_ns() { date +%s%N; }
# ---- 4. timed runs ---------------------------------------------------------------
for run in $(seq 1 "$RUNS"); do
  log "run $run of $RUNS"
  log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  # sladesk: the process's wall time, and with --stats the batch loop's own
  # time (reading, computing, writing; like the peers' loops, which exclude
  # their start-up); an empty batch measures start-up and calendar loading.
  # A run takes only tens of milliseconds, so it is repeated 5 times per run
  # (all enter the median).
  for rep in 1 2 3 4 5; do
    t0=$(now_ns)
    "$SLADESK" calendar add --calendar "$CALENDAR" --batch --stats <"$WORK/queries.csv" >"$WORK/sladesk.out" \
      2>"$WORK/sladesk.stats"
    t1=$(now_ns)
    printf '{"peer":"sladesk-loop","queries":%d,"seconds":%s,"run":%d}\n' "$N" \
      "$(sed -n 's/^batch: \([0-9.]*\) s$/\1/p' "$WORK/sladesk.stats")" "$run" >>"$WORK/timings.jsonl"
    "$SLADESK" calendar add --calendar "$CALENDAR" --batch </dev/null >/dev/null
    t2=$(now_ns)
    printf '{"peer":"sladesk","queries":%d,"seconds":%s,"run":%d}\n' "$N" \
      "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.6f", (b-a)/1e9}')" "$run" >>"$WORK/timings.jsonl"
    printf '{"peer":"sladesk-startup","queries":0,"seconds":%s,"run":%d}\n' \
      "$(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.6f", (b-a)/1e9}')" "$run" >>"$WORK/timings.jsonl"
  done

  # The peers time their own computation loop (start-up, reading and writing
  # excluded) and print {"peer", "queries", "seconds"}.
  node "$HERE/peer_moment.js" --calendar "$CALENDAR" --queries "$WORK/queries.csv" \
    --out "$WORK/moment.out" | sed "s/}\$/,\"run\":$run}/" >>"$WORK/timings.jsonl"
  node "$HERE/peer_dayjs.js" --calendar "$CALENDAR" --queries "$WORK/queries.csv" \
    --out "$WORK/dayjs.out" | sed "s/}\$/,\"run\":$run}/" >>"$WORK/timings.jsonl"
  perl "$HERE/peer_business_hours.pl" --calendar "$CALENDAR" --queries "$WORK/queries.csv" \
    --out "$WORK/business_hours.out" --limit "$BH_LIMIT" | sed "s/}\$/,\"run\":$run}/" >>"$WORK/timings.jsonl"
done

# ---- 5. the summary -----------------------------------------------------------------
log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), node $(node --version), perl $(perl -e 'print $^V')"
  node "$HERE/compare.js" --work "$WORK" --calendar "$CALENDAR"
} | tee "$WORK/report.txt"
log "table in $WORK/summary.md, full report in $WORK/report.txt"
