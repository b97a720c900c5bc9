#!/usr/bin/env bash
# Runs every test of a configured build directory: starts a throwaway
# PostgreSQL cluster (scripts/pg-test-cluster.sh) so the storage and server
# suites run against both backends, and a throwaway Dovecot IMAP server
# (scripts/dovecot-test-cluster.sh) for the mail suite, runs ctest, and
# always stops both; then the web app's unit and browser tests (scripts/web.sh test).
#
#   scripts/run-tests.sh BUILD_DIR [JOBS]
#
# With the cluster up, SLADESK_REQUIRE_PG=1 makes a PostgreSQL case that
# cannot reach it fail instead of skipping; SLADESK_REQUIRE_IMAP=1 and
# SLADESK_REQUIRE_SMTP=1 do the same for Dovecot and the aiosmtpd server the
# SMTP tests start themselves.
set -euo pipefail
build_dir=${1:?usage: run-tests.sh BUILD_DIR [JOBS]}
jobs=${2:-$(nproc)}
here=$(cd "$(dirname "$0")" && pwd)

pg_dir=$("$here/pg-test-cluster.sh" start)
imap_dir=""
trap '"$here/pg-test-cluster.sh" stop "$pg_dir"; [ -z "$imap_dir" ] || "$here/dovecot-test-cluster.sh" stop "$imap_dir"' EXIT
SLADESK_TEST_PG_URL=$(cat "$pg_dir/url")
export SLADESK_TEST_PG_URL SLADESK_REQUIRE_PG=1
echo "run-tests: PostgreSQL test cluster at $SLADESK_TEST_PG_URL"

imap_dir=$("$here/dovecot-test-cluster.sh" start)
SLADESK_TEST_IMAP_URL=$(cat "$imap_dir/url")
SLADESK_TEST_IMAPS_URL=$(cat "$imap_dir/imaps_url")
SLADESK_TEST_IMAP_USER=$(cat "$imap_dir/user")
SLADESK_TEST_IMAP_PASSWORD=$(cat "$imap_dir/password")
SLADESK_TEST_IMAP_CA="$imap_dir/ca.pem"
export SLADESK_TEST_IMAP_URL SLADESK_TEST_IMAPS_URL SLADESK_TEST_IMAP_USER SLADESK_TEST_IMAP_PASSWORD \
  SLADESK_TEST_IMAP_CA SLADESK_REQUIRE_IMAP=1 SLADESK_REQUIRE_SMTP=1
echo "run-tests: Dovecot IMAP test server at $SLADESK_TEST_IMAP_URL and $SLADESK_TEST_IMAPS_URL"

build_abs=$(cd "$build_dir" && pwd)
cd "$build_dir"
ctest --output-on-failure -j "$jobs" --timeout 600
"$here/web.sh" test "$build_abs"
