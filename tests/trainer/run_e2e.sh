#!/usr/bin/env bash
# CTest entry trainer/e2e: installs playwright-core (pinned by package-lock.json) into the
# build directory with `npm ci`, then drives the page in Debian's Chromium.
# Usage: run_e2e.sh <berdaya binary> <repo root> <build dir>
set -euo pipefail
BIN=$1 SRC=$2 OUT=$3
HERE="$SRC/tests/trainer"
for tool in node npm "${BERDAYA_CHROMIUM:-/usr/bin/chromium}"; do
  if ! command -v "$tool" >/dev/null; then
    echo "trainer/e2e: $tool not found; bash scripts/setup.sh installs nodejs, npm and chromium" >&2
    exit 1
  fi
done
DIR="$OUT/trainer-e2e"
mkdir -p "$DIR"
# Reinstall only when the lock file changed since the last install.
if ! cmp -s "$HERE/package-lock.json" "$DIR/package-lock.json" || [ ! -d "$DIR/node_modules/playwright-core" ]; then
  cp "$HERE/package.json" "$HERE/package-lock.json" "$DIR/"
  (cd "$DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi
exec node "$HERE/e2e.mjs" "$BIN" "$SRC" "$OUT" "$DIR/node_modules"
