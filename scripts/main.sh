#!/usr/bin/env bash
# The main job: the Kota Batu comparison across plausible worlds
# (scenarios/experiments/kota-batu-posterior.toml: 9 scenarios x 50 draws of the shipped
# posterior x 4 replicates, with common random numbers). Writes
# results/kota-batu-posterior.h5, the report results/kota-batu-posterior.html (Indonesian)
# and results/kota-batu-posterior-summary.txt, and prints the comparison table.
# Extra arguments go to `berdaya compare` (e.g. --replicates 50 --threads 4).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh -DBERDAYA_TESTS=OFF -DBERDAYA_BENCH=OFF
mkdir -p results
# After an interruption, `bash scripts/main.sh --resume` redoes only the missing runs.
status=0
# --force: the main job replaces its own results of an earlier run.
force=--force
for a in "$@"; do [ "$a" = --resume ] && force=; done
./build/cli/berdaya compare scenarios/experiments/kota-batu-posterior.toml -o results/kota-batu-posterior.h5 \
  --summary-file results/kota-batu-posterior-summary.txt $force "$@" || status=$?
# Exit code 3: the file is complete but some runs failed; the report shows which.
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then exit "$status"; fi
./build/cli/berdaya report results/kota-batu-posterior.h5 -o results/kota-batu-posterior.html --force
echo "report: results/kota-batu-posterior.html" >&2
exit "$status"
