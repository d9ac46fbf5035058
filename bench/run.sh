#!/usr/bin/env bash
# Benchmarks: ns per household-month and peak bytes per household, single thread, for
# Kota Batu (3,600 households) and synthetic East Java (~1 million households).
# Targets: under 30 ns per household-month and under 200 bytes per household at 1 million.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh -DBERDAYA_BENCH=ON
./build/bench/berdaya_bench scenarios/kota-batu.toml 50
./build/bench/berdaya_bench scenarios/jawa-timur.toml 1
