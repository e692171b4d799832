#!/usr/bin/env bash
# Installs schemathesis (PyPI) into a venv in the cache, once, and prints the path of its `st` CLI.
# CI fuzzes the LIFF API's own OpenAPI document with it (tests/liff-fuzz.test.ts).
set -euo pipefail
CACHE="${RONGRIAN_CACHE:-$HOME/.cache/rongrian}"
VENV="$CACHE/venv-schemathesis"
VERSION=4.32.5
if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$VERSION"; then
  command -v python3 >/dev/null || { echo "python3 is needed for schemathesis: sudo apt-get install -y python3 python3-venv" >&2; exit 1; }
  echo "[install-schemathesis] installing schemathesis $VERSION into $VENV" >&2
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q --disable-pip-version-check "schemathesis==$VERSION" >&2
fi
echo "$VENV/bin/st"
