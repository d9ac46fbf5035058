#!/usr/bin/env bash
# Benchmarks.
#  1. The model, single thread: ns per household-month and peak bytes per household for
#     Kota Batu (3,600 households) and synthetic East Java (~1 million households).
#     Targets: under 30 ns per household-month and 200 bytes per household at 1 million.
#  2. The experiment runner: runs per second of Kota Batu at 1 and 2 threads, and peak
#     memory after 1,000 and 10,000 runs, which should be flat.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh -DBERDAYA_BENCH=ON
echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
./build/bench/berdaya_bench scenarios/kota-batu.toml 50
./build/bench/berdaya_bench scenarios/jawa-timur.toml 1
./build/bench/berdaya_bench_runs scenarios/kota-batu.toml speed 200
for n in 1000 10000; do ./build/bench/berdaya_bench_runs scenarios/kota-batu.toml memory "$n" 24; done
# 3. Calibration: runs per second of berdaya calibrate at 1 and 2 threads (bench/calibrate.sh).
./bench/calibrate.sh build/cli/berdaya
