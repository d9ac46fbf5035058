#!/usr/bin/env bash
# Configures and builds one of the two instrumented trees with clang, at -O1 with line
# tables (symbolised reports, a third of the compile time of -O2 -g):
#   asan  build-asan/: AddressSanitizer and UndefinedBehaviorSanitizer, with the fuzzer's
#         coverage instrumentation, so the same tree runs the test suite and the libFuzzer
#         targets (scripts/fuzz.sh)
#   tsan  build-tsan/: ThreadSanitizer
# Without MPI (its library holds memory to the end by design and would drown the leak
# checker) and without the Python module (an instrumented module only loads into an
# interpreter started with the sanitizer's runtime). llvm-14 brings llvm-symbolizer, which
# puts file and line on every frame of a report. Targets may follow; default: all.
# Usage: sanitized.sh asan|tsan [TARGET ...]
set -euo pipefail
cd "$(dirname "$0")/.."
KIND=${1:?usage: sanitized.sh asan|tsan [TARGET ...]}
shift
case "$KIND" in
  asan) SAN=(-DBERDAYA_SANITIZE=ON -DBERDAYA_FUZZ=ON) ;;
  tsan) SAN=(-DBERDAYA_TSAN=ON) ;;
  *) echo "sanitized.sh: unknown kind '$KIND'; use asan or tsan" >&2; exit 2 ;;
esac
FLAGS="-O1 -gline-tables-only -DNDEBUG"
BERDAYA_EXTRA_PACKAGES="clang libclang-rt-14-dev llvm-14" BERDAYA_BUILD_TARGETS="$*" BUILD_DIR=build-$KIND \
  bash scripts/setup.sh -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=$FLAGS" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=$FLAGS" \
  -DBERDAYA_TESTS=ON -DBERDAYA_BENCH=OFF -DBERDAYA_WERROR=ON -DBERDAYA_MPI=OFF -DBERDAYA_PYTHON=OFF "${SAN[@]}"
