#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (MongoDB wire protocol, SQLite storage) once into the cache and prints its path.
# `go install` alone gives a binary that panics at start (build/version/version.txt is not in the
# module), so the module is copied out of the read-only cache and the version file written first.
set -euo pipefail
CACHE="${RONGRIAN_CACHE:-$HOME/.cache/rongrian}"
BIN="$CACHE/ferretdb-v1.24.2/ferretdb"
if [ ! -x "$BIN" ]; then
  command -v go >/dev/null || { echo "Go is needed to build FerretDB: sudo apt-get install -y golang (or set MONGODB_URI to a MongoDB)" >&2; exit 1; }
  echo "[build-ferretdb] building FerretDB v1.24.2 (one time, ~1 min)…" >&2
  src=$(go mod download -json github.com/FerretDB/FerretDB@v1.24.2 | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  work=$(mktemp -d)
  cp -r "$src/." "$work"; chmod -R u+w "$work"
  echo v1.24.2 > "$work/build/version/version.txt"
  mkdir -p "$(dirname "$BIN")"
  (cd "$work" && CGO_ENABLED=0 go build -o "$BIN.tmp" ./cmd/ferretdb) >&2
  mv "$BIN.tmp" "$BIN"
  rm -rf "$work"
fi
echo "$BIN"
