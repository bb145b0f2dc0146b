#!/usr/bin/env bash
# Installs the pinned chDB engine (libchdb.so from the npm package
# @chdb/lib-linux-x64-gnu) into $TOCSIN_HOME/.local/chdb and prints the path
# of libchdb.so. Idempotent: does nothing if the pinned version is present.
set -euo pipefail

PKG="@chdb/lib-linux-x64-gnu"
VERSION="26.7.3-stable.1"

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT="${TOCSIN_HOME:-$(cd "$SCRIPT_DIR/../../.." && pwd)}"
PREFIX="$ROOT/.local/chdb"
PKG_DIR="$PREFIX/node_modules/$PKG"

installed_version() {
  local pj="$PKG_DIR/package.json"
  [ -f "$pj" ] || return 1
  sed -n 's/^[[:space:]]*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$pj" | head -n1
}

find_lib() {
  find "$PKG_DIR" -name 'libchdb.so' -type f 2>/dev/null | head -n1
}

if [ "$(installed_version 2>/dev/null || true)" = "$VERSION" ]; then
  lib=$(find_lib)
  if [ -n "$lib" ] && [ -s "$lib" ]; then
    echo "$lib"
    exit 0
  fi
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "install.sh: npm is required to fetch $PKG@$VERSION (apt-get install npm)" >&2
  exit 1
fi

mkdir -p "$PREFIX"
# Serialise concurrent installs (tests and the launcher may race).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$PREFIX/.install.lock"
  flock 9
  if [ "$(installed_version 2>/dev/null || true)" = "$VERSION" ] && lib=$(find_lib) && [ -s "$lib" ]; then
    echo "$lib"
    exit 0
  fi
fi
echo "install.sh: downloading $PKG@$VERSION (~170 MB) into $PREFIX ..." >&2
# A tiny manifest in the prefix keeps npm from walking up to a parent package.json.
if [ ! -f "$PREFIX/package.json" ]; then
  printf '{\n  "name": "tocsin-local-chdb",\n  "private": true\n}\n' >"$PREFIX/package.json"
fi
if ! npm install --prefix "$PREFIX" --no-save --no-audit --no-fund \
     --no-package-lock --loglevel=error "$PKG@$VERSION" >&2; then
  echo "install.sh: npm install of $PKG@$VERSION failed (network/registry?)" >&2
  exit 1
fi

v=$(installed_version 2>/dev/null || true)
if [ "$v" != "$VERSION" ]; then
  echo "install.sh: expected $PKG@$VERSION but found '${v:-nothing}' in $PKG_DIR" >&2
  exit 1
fi
lib=$(find_lib)
if [ -z "$lib" ] || [ ! -s "$lib" ]; then
  echo "install.sh: libchdb.so not found in $PKG_DIR" >&2
  exit 1
fi
echo "$lib"
