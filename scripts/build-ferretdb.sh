#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (MongoDB wire protocol, SQLite storage) once into the cache and prints its path.
# `go install` alone gives a binary that panics at start (build/version/version.txt is not in the
# module), so the module is copied out of the read-only cache and the version file written first.
set -euo pipefail
CACHE="${RONGRIAN_CACHE:-$HOME/.cache/rongrian}"
BIN="$CACHE/ferretdb-v1.24.2/ferretdb"
if [ ! -x "$BIN" ]; then
  need="Go 1.21 or newer is needed to build FerretDB: sudo apt-get install -y golang-go (Debian 13, Ubuntu 24.04; Debian 12's is 1.19) or https://go.dev/dl/ — or set MONGODB_URI to a MongoDB"
  command -v go >/dev/null || { echo "$need" >&2; exit 1; }
  minor=$(go version | sed -n 's/.*go1\.\([0-9]*\).*/\1/p')
  [ "${minor:-0}" -ge 21 ] || { echo "$need (this one: $(go version))" >&2; exit 1; }
  # From 1.21 Go fetches the toolchain FerretDB asks for (go1.24); Debian's Go is set to "local".
  export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
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
