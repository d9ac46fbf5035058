#!/usr/bin/env bash
# Calibration throughput: model runs per second of `berdaya calibrate` at 1 and 2 threads
# on a short version of scenarios/calibration/kota-batu.toml (PARTICLES particles,
# GENERATIONS generations; defaults 40 and 3), and the runs it took. The two files must
# hold the same populations, whatever the thread count. Then what the shipped posterior
# (scenarios/calibration/kota-batu-posterior.h5, the full file) took.
# Usage: bench/calibrate.sh [BERDAYA] [PARTICLES] [GENERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-build/cli/berdaya}")
PARTICLES=${2:-40}
GENERATIONS=${3:-3}
SRC=$(pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
sed -e "s/^particles = .*/particles = $PARTICLES/" -e "s/^generations = .*/generations = $GENERATIONS/" \
    -e "s#\"\\.\\./#\"$SRC/scenarios/#" -e "s#= \"\([a-z-]*\.toml\)\"#= \"$SRC/scenarios/calibration/\1\"#" \
    scenarios/calibration/kota-batu.toml > "$TMP/bench.toml"
for t in 1 2; do
  line=$(cd "$TMP" && "$BIN" calibrate bench.toml -o "t$t.h5" --threads "$t" 2>&1 >/dev/null | grep -E '^[0-9]+ runs in')
  runs=${line%% runs*}
  secs=$(echo "$line" | sed -E 's/.* in ([0-9.]+) s.*/\1/')
  echo "calibrate kota-batu ($PARTICLES particles, $GENERATIONS generations), $t thread(s): $runs runs in $secs s," \
       "$(awk -v r="$runs" -v s="$secs" 'BEGIN { printf "%.1f", r / s }') runs/s"
done
/usr/bin/python3 - "$TMP/t1.h5" "$TMP/t2.h5" <<'PY'
import sys, h5py, numpy as np
a, b = (h5py.File(p, "r") for p in sys.argv[1:])
for k in ("particles", "weights", "distances", "statistics", "tolerance"):
    assert np.array_equal(a["calibration/" + k][()], b["calibration/" + k][()], equal_nan=True), k
print("1 and 2 threads: identical populations")
PY
/usr/bin/python3 - scenarios/calibration/kota-batu-posterior.h5 <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
a, g = f.attrs, f["calibration"]
names = lambda d: {x.decode() if isinstance(x, bytes) else x for x in g[d][()]}
scenarios = len((names("target_scenario") | names("target_versus")) - {""})
print(f"shipped posterior: {int(a['runs'])} runs: {int(a['generations'])} generations of {int(a['particles'])} particles,"
      f" {int(a['replicates'])} replicates in each of {scenarios} scenarios; final tolerance {g['tolerance'][-1]:.1f},"
      f" acceptance {100 * g['acceptance_rate'][-1]:.1f} %, ESS {g['ess'][-1]:.0f}")
PY
