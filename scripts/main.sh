#!/usr/bin/env bash
# The main job: the Kota Batu baseline with 100 replicates. Writes results/kota-batu.h5
# and results/kota-batu-summary.txt and prints the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh -DBERDAYA_TESTS=OFF -DBERDAYA_BENCH=OFF
mkdir -p results
./build/cli/berdaya run scenarios/kota-batu.toml --replicates 100 -o results/kota-batu.h5 \
  --summary-file results/kota-batu-summary.txt "$@"
