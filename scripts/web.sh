#!/usr/bin/env bash
# Builds and tests the web app (web/).
#
#   scripts/web.sh build              npm ci from web/package-lock.json, then npm run build
#                                     (types generated from api/openapi.json, type check, vite
#                                     build into web/dist, bundle-size budget)
#   scripts/web.sh test [BUILD_DIR]   build, vitest, then the browser tests (web/e2e/run.mjs)
#                                     against BUILD_DIR/sladesk in Debian's Chromium
#
# Needs Node.js >= 20.19 and npm (scripts/install-deps.sh) and, for the browser
# tests, /usr/bin/chromium (Debian's package; no browser is downloaded).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cmd=${1:?usage: web.sh build|test [BUILD_DIR]}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "web: node and npm are needed (scripts/install-deps.sh installs them)" >&2
  exit 2
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "web: Vite 8 needs Node.js 20.19 or newer; this is $(node --version)" >&2
  exit 2
fi

build() {
  cd "$root/web"
  # npm ci only when the lock file changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.sladesk-lock; then
    npm ci --no-audit --no-fund
    cp package-lock.json node_modules/.sladesk-lock
  fi
  npm run --silent build
}

case "$cmd" in
  build)
    build
    ;;
  test)
    build_dir=${2:-build-test}
    case "$build_dir" in /*) ;; *) build_dir="$root/$build_dir" ;; esac
    build
    cd "$root/web"
    npx vitest run
    SLADESK_BIN="$build_dir/sladesk" node e2e/run.mjs
    ;;
  *)
    echo "usage: web.sh build|test [BUILD_DIR]" >&2
    exit 2
    ;;
esac
