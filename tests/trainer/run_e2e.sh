#!/usr/bin/env bash
# CTest entry trainer/e2e: installs playwright-core into the build directory (see
# install_playwright.sh), then drives the page in Debian's Chromium.
# Usage: run_e2e.sh <berdaya binary> <repo root> <build dir>
set -euo pipefail
BIN=$1 SRC=$2 OUT=$3
MODULES=$(bash "$SRC/tests/trainer/install_playwright.sh" "$SRC" "$OUT" trainer/e2e)
exec node "$SRC/tests/trainer/e2e.mjs" "$BIN" "$SRC" "$OUT" "$MODULES"
