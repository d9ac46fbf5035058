#!/usr/bin/env bash
# The whole test suite: a warnings-as-errors build and its tests; the same suite under
# AddressSanitizer and UndefinedBehaviorSanitizer (clang, without MPI: scripts/sanitized.sh);
# the threaded parts under ThreadSanitizer; and both fuzz targets for a bounded time
# (scripts/fuzz.sh). The tests run as many at a time as the machine has cores.
# BERDAYA_SKIP_SANITIZERS=1 runs only the first part.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=build bash scripts/setup.sh -DBERDAYA_TESTS=ON -DBERDAYA_WERROR=ON
(cd build && ctest --output-on-failure -j "$(nproc)")
if [ "${BERDAYA_SKIP_SANITIZERS:-0}" != 1 ]; then
  bash scripts/sanitized.sh asan
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest --output-on-failure -j "$(nproc)")
  # ThreadSanitizer over what runs threads: the runner and spool (unit tests and the
  # experiments), the command line under faults, the trainer's server. (The calibration
  # and sensitivity tests run the model on one thread and take minutes under TSan.)
  # Only the targets those tests run: the command and the unit tests.
  bash scripts/sanitized.sh tsan berdaya berdaya_tests
  (cd build-tsan && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
     ctest --output-on-failure -j "$(nproc)" -R '^(unit/|experiments$|cli|trainer/server)' -E 'test_calibration')
  # The fuzz targets from the AddressSanitizer tree built above.
  FUZZ_SECONDS=${FUZZ_SECONDS:-45} bash scripts/fuzz.sh
fi
