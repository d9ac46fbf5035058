#!/usr/bin/env bash
# Shared by the browser tests (trainer/e2e, report/browser): checks for node, npm and
# Debian's Chromium, installs playwright-core (pinned by tests/trainer/package-lock.json)
# into <build dir>/trainer-e2e with `npm ci` when the lock file changed, and prints the
# node_modules folder. A missing tool fails, naming the Debian package to install.
# Usage: install_playwright.sh <repo root> <build dir> <test name>
set -euo pipefail
SRC=$1 OUT=$2 NAME=$3
HERE="$SRC/tests/trainer"
declare -A PACKAGE_OF=([node]=nodejs [npm]=npm)
for tool in node npm "${BERDAYA_CHROMIUM:-/usr/bin/chromium}"; do
  if ! command -v "$tool" >/dev/null; then
    echo "$NAME: $tool not found; install the Debian package ${PACKAGE_OF[$tool]:-chromium}" \
         "(bash scripts/setup.sh installs nodejs, npm and chromium)" >&2
    exit 1
  fi
done
DIR="$OUT/trainer-e2e"
mkdir -p "$DIR"
# The browser tests may run at the same time (ctest -j); one installs, the other waits.
exec 9>"$DIR.lock"
flock 9
# Reinstall only when the lock file changed since the last install.
if ! cmp -s "$HERE/package-lock.json" "$DIR/package-lock.json" || [ ! -d "$DIR/node_modules/playwright-core" ]; then
  cp "$HERE/package.json" "$HERE/package-lock.json" "$DIR/"
  (cd "$DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >&2
fi
echo "$DIR/node_modules"
