#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: install what is missing (including
# the PostgreSQL, Redis, SMTP and Chromium the tests start on loopback), build,
# and run every test: the full suite, then the unit tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer in a separate build, and a
# short libFuzzer run of every broker protocol decoder.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-$(nproc)}
ctest_log=$(mktemp /tmp/tickd-ctest-XXXXXX)
trap 'rm -f "$ctest_log"' EXIT

echo "== build (build/)"
CMAKE_ARGS="-DTICKD_BUILD_TESTS=ON -DTICKD_BUILD_BENCH=ON" scripts/setup.sh --test
echo "== tests"
ctest --test-dir build --output-on-failure -j "$JOBS" --timeout 300 | tee -a "$ctest_log"

echo "== build with ASan + UBSan (build-asan/)"
BUILD_DIR=build-asan BUILD_TYPE=Debug CMAKE_ARGS="-DTICKD_SANITIZE=ON -DTICKD_BUILD_BENCH=OFF" scripts/setup.sh
echo "== tests under ASan + UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$JOBS" --timeout 600 -LE "browser|e2e" | tee -a "$ctest_log"

echo "== fuzz the broker decoders (clang + libFuzzer, ${FUZZ_SECONDS:-30} s each)"
scripts/fuzz.sh

# Both ctest runs in one closing line: "N passed, N failed".
awk '/tests passed, [0-9]+ tests failed out of/ { total += $NF; failed += $(NF-5) }
     END { printf "tests: %d passed, %d failed\n", total - failed, failed }' "$ctest_log"
