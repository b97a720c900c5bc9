#!/usr/bin/env bash
# Installs every Debian 12 package sladesk needs to build, test and benchmark.
# Idempotent: a no-op (no apt-get call) when everything is already present.
# Must run as root (or with sudo available) on a fresh Debian 12 machine.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev
  libhowardhinnant-date-dev tzdata
  libtomlplusplus-dev nlohmann-json3-dev libcli11-dev
  libboost-dev libboost-system-dev
  libsqlite3-dev sqlite3
  libpq-dev libpqxx-dev postgresql
  libcurl4-openssl-dev libssl-dev
  libgmime-3.0-dev libical-dev libmstch-dev libsodium-dev
  python3-aiosmtpd dovecot-imapd dovecot-core
  chromium
  clang libclang-rt-14-dev
  wrk libbusiness-hours-perl perl
  hyperfine
  curl ca-certificates procps time
  python3
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js/npm (the web app's build and browser tests, and the peer benchmark)
# may come from outside Debian's archive on some images; install Debian's only
# when no npm is on PATH. The web app's Vite 8 needs Node.js >= 20.19
# (scripts/web.sh says so when it is older).
if ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
