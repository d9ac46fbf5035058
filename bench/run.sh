#!/usr/bin/env bash
# Benchmarks (one machine, nothing else running; the figures are per unit or ratios).
#  1. The model, single thread (bench_core.cpp): ns per household-month of the monthly
#     step against a plain structure-of-arrays household loop built the same way, ns per
#     household to build population and network, peak bytes per household; Kota Batu
#     (3,600 households) and synthetic East Java (1 million).
#     One East Java run in the process on 2 threads against 1 (interleaved rounds, min and
#     median; the records checked equal): the parallelism within a run, without the
#     process's start and its file (3 measures the whole command).
#  2. Group formation at 1 and 10 million households: ns per group and its growth, from East
#     Java to Indonesia and at East Java's own density (ten times its villages and groups).
#  3. The command from outside (scale.py, interleaved rounds, min and median): East Java's
#     whole process per household-month, one run on 2 threads against 1, synthetic
#     Indonesia (10 million households, 120 months), peak memory of 1,000 and 10,000 runs.
#  4. The experiment runner: runs per second of Kota Batu at 1 and 2 threads.
#  5. Calibration: runs per second of berdaya calibrate at 1 and 2 threads (calibrate.sh).
#  6. Against Python agent objects doing the household month alone, one object per household
#     stepped each month (agents_reference.py): a lower bound on the step of a port of the
#     model to a Python agent framework, against berdaya's whole model and process.
#  7. 1 and 3's East Java figures again for a build for any x86-64 processor
#     (BERDAYA_NATIVE=OFF, as packages are built), beside the default native build's.
# ROUNDS (default 3) sets the rounds of 3, and ROUNDS + 2 those of the run on 2 threads.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh -DBERDAYA_BENCH=ON
echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
./build/bench/berdaya_bench scenarios/kota-batu.toml 50
./build/bench/berdaya_bench scenarios/jawa-timur.toml 1
./build/bench/berdaya_bench --threads scenarios/jawa-timur.toml "$((${ROUNDS:-3} + 2))"
./build/bench/berdaya_bench --formation scenarios/jawa-timur.toml scenarios/indonesia.toml
/usr/bin/python3 bench/scale.py --rounds "${ROUNDS:-3}"
./build/bench/berdaya_bench_runs scenarios/kota-batu.toml speed 200
./bench/calibrate.sh build/cli/berdaya
/usr/bin/python3 bench/agents_reference.py --rounds "${ROUNDS:-3}"
echo "the same for a build for any x86-64 (build-generic, BERDAYA_NATIVE=OFF):"
BUILD_DIR=build-generic BERDAYA_BUILD_TARGETS="berdaya berdaya_bench berdaya_measure" bash scripts/setup.sh -DBERDAYA_NATIVE=OFF \
  -DBERDAYA_BENCH=ON -DBERDAYA_TESTS=OFF -DBERDAYA_PYTHON=OFF
./build-generic/bench/berdaya_bench scenarios/jawa-timur.toml 1
/usr/bin/python3 bench/scale.py --berdaya build-generic/cli/berdaya --rounds "${ROUNDS:-3}" --skip threads,national,replicates
