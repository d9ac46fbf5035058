#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, with ASan and UBSan) and runs each for a bounded
# time: FUZZ_SECONDS each (default 60). A crash, a sanitizer report or an exception other
# than the project's bad-input error fails the run; the input that did it is left in
# build-asan/ (crash-*), and can be replayed with: build-asan/tests/fuzz/TARGET FILE
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
# The targets live in the AddressSanitizer tree (scripts/sanitized.sh), which the test
# suite has usually built already.
bash scripts/sanitized.sh asan fuzz_scenario fuzz_results berdaya
B=build-asan
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The scenario loader starts from the shipped scenarios and the CLI test fixtures.
mkdir -p $B/corpus-scenario $B/corpus-results
rm -f $B/crash-* $B/leak-* $B/timeout-* $B/oom-*
cp scenarios/*.toml scenarios/experiments/*.toml tests/cli/fixtures/*.toml $B/corpus-scenario/ 2>/dev/null || true
# The result readers edit a copy of a small real file.
rm -f $B/template.h5
$B/cli/berdaya run scenarios/kota-batu.toml -o $B/template.h5 --replicates 3 --months 30 --threads 1 >/dev/null
export BERDAYA_FUZZ_TEMPLATE=$PWD/$B/template.h5
for target in fuzz_scenario fuzz_results; do
  echo "fuzz: $target for ${SECONDS_EACH} s"
  (cd $B && ./tests/fuzz/$target -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=20 -rss_limit_mb=4096 \
     -print_final_stats=1 corpus-${target#fuzz_} 2>&1 | grep -E "^#[0-9]+ *DONE|stat::number_of_executed_units|ERROR|SUMMARY|Test unit|crash-" || true)
  if compgen -G "$B/crash-*" >/dev/null || compgen -G "$B/leak-*" >/dev/null || compgen -G "$B/timeout-*" >/dev/null ||
     compgen -G "$B/oom-*" >/dev/null; then
    echo "fuzz: $target found a failing input (above); replay it with: $B/tests/fuzz/$target $B/crash-..."
    exit 1
  fi
done
echo "fuzz: 2 passed, 0 failed"
