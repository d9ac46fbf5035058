#!/usr/bin/env bash
# CTest entry report/browser: writes a Kota Batu comparison (kota-batu-levers, 10
# replicates), a Morris and a Sobol' sweep and a small calibration, renders their reports
# (in Indonesian and English), and checks them in Debian's Chromium (report.mjs). Leaves report-kota-batu.png in the build
# directory.
# Usage: run_report.sh <berdaya binary> <repo root> <build dir>
set -euo pipefail
BIN=$1 SRC=$2 OUT=$3
MODULES=$(bash "$SRC/tests/trainer/install_playwright.sh" "$SRC" "$OUT" report/browser)
WORK="$OUT/report-browser"
rm -rf "$WORK"
mkdir -p "$WORK"
"$BIN" compare "$SRC/scenarios/experiments/kota-batu-levers.toml" -o "$WORK/kota-batu-levers.h5" \
  --replicates 10 --months 72 >/dev/null
"$BIN" sweep "$SRC/scenarios/sweeps/kota-batu-morris.toml" -o "$WORK/kota-batu-morris.h5" --replicates 2 >/dev/null
"$BIN" sweep "$SRC/scenarios/sweeps/kota-batu-sobol.toml" -o "$WORK/kota-batu-sobol.h5" --replicates 2 >/dev/null
"$BIN" report "$WORK/kota-batu-sobol.h5" -o "$WORK/sobol-id.html" >/dev/null
for lang in id en; do
  "$BIN" report "$WORK/kota-batu-levers.h5" -o "$WORK/levers-$lang.html" --lang "$lang" >/dev/null
  "$BIN" report "$WORK/kota-batu-morris.h5" -o "$WORK/morris-$lang.html" --lang "$lang" >/dev/null
done
# A tiny calibration of the shipped Kota Batu file (12 particles, 2 generations).
# Its scenario paths (scenario = and versus =) made absolute for the copy.
sed -e "s|= \"\.\./|= \"$SRC/scenarios/|" -e "s|= \"\([a-z-]*\.toml\)\"|= \"$SRC/scenarios/calibration/\1\"|" \
  -e 's/^particles = [0-9]*/particles = 12/' \
  -e 's/^generations = [0-9]*/generations = 2/' "$SRC/scenarios/calibration/kota-batu.toml" >"$WORK/calibration.toml"
"$BIN" calibrate "$WORK/calibration.toml" -o "$WORK/calibration.h5" >/dev/null 2>&1
for lang in id en; do
  "$BIN" report "$WORK/calibration.h5" -o "$WORK/calibration-$lang.html" --lang "$lang" >/dev/null
done
exec node "$SRC/tests/report/report.mjs" "$WORK" "$OUT" "$MODULES"
