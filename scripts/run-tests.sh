#!/usr/bin/env bash
# Runs every test of a configured build directory: starts a throwaway
# PostgreSQL cluster (scripts/pg-test-cluster.sh) so the storage and server
# suites run against both backends, runs ctest, and always stops the cluster;
# then the web app's unit and browser tests (scripts/web.sh test).
#
#   scripts/run-tests.sh BUILD_DIR [JOBS]
#
# With the cluster up, SLADESK_REQUIRE_PG=1 makes a PostgreSQL case that
# cannot reach it fail instead of skipping.
set -euo pipefail
build_dir=${1:?usage: run-tests.sh BUILD_DIR [JOBS]}
jobs=${2:-$(nproc)}
here=$(cd "$(dirname "$0")" && pwd)

pg_dir=$("$here/pg-test-cluster.sh" start)
trap '"$here/pg-test-cluster.sh" stop "$pg_dir"' EXIT
SLADESK_TEST_PG_URL=$(cat "$pg_dir/url")
export SLADESK_TEST_PG_URL SLADESK_REQUIRE_PG=1
echo "run-tests: PostgreSQL test cluster at $SLADESK_TEST_PG_URL"

build_abs=$(cd "$build_dir" && pwd)
cd "$build_dir"
ctest --output-on-failure -j "$jobs" --timeout 600
"$here/web.sh" test "$build_abs"
