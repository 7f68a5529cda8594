#!/usr/bin/env bash
# Builds the decoder fuzzers with clang in build-fuzz and runs each one for
# FUZZ_SECONDS (default 30). Exits non-zero when any fuzzer finds a crash;
# the crashing input is kept in build-fuzz/fuzz/crashes/.
#   FUZZ_SECONDS=300 scripts/fuzz.sh            # longer run
#   FUZZ_TARGETS="kite smartapi" scripts/fuzz.sh # a subset
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${FUZZ_SECONDS:-30}
jobs=${FUZZ_JOBS:-2}
targets=${FUZZ_TARGETS:-"binance kite smartapi history wire request_path telegram instrument_master config_schema nats_subject"}

# Longest input worth trying per protocol: Binance trade/kline frames are
# under 1 KiB (depth frames larger); a Kite frame of a few packets; one
# SmartAPI packet is at most 379 bytes; an event's JSON is a few hundred bytes.
max_len() {
  case $1 in
    binance) echo 4096 ;;
    kite) echo 2048 ;;
    smartapi) echo 512 ;;
    wire) echo 4096 ;;
    history) echo 8192 ;;
    request_path) echo 1024 ;;
    telegram) echo 4096 ;;
    instrument_master) echo 8192 ;;
    nats_subject) echo 256 ;;  # a subject or message id: a symbol, an interval, a time
    config_schema) echo 2048 ;;  # a config block or a schema of a few keys  # a few dozen rows: enough for every column and quoting rule
  esac
}

CC=${CC:-clang} CXX=${CXX:-clang++} cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTICKD_BUILD_FUZZERS=ON -DTICKD_BUILD_TESTS=OFF -DTICKD_BUILD_BENCH=OFF >/dev/null
build_targets=(fuzz_seeds)
for t in $targets; do build_targets+=("fuzz_${t}_decoder"); done
cmake --build "$build" -j"$jobs" --target "${build_targets[@]}"

failed=()
for t in $targets; do
  corpus="$build/fuzz/corpus/$t"      # grows across runs
  seeds="$build/fuzz/seeds/$t"        # regenerated from the recorded data
  crashes="$build/fuzz/crashes"
  mkdir -p "$corpus" "$crashes" "$seeds"  # request_path has no recorded seeds
  args=(-max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=2048
        -artifact_prefix="$crashes/$t-" -print_final_stats=1)
  [[ -f "$root/fuzz/$t.dict" ]] && args+=(-dict="$root/fuzz/$t.dict")
  echo "== fuzz_${t}_decoder for ${seconds}s"
  if ! "$build/fuzz/fuzz_${t}_decoder" "${args[@]}" "$corpus" "$seeds" 2>"$build/fuzz/$t.log"; then
    tail -n 40 "$build/fuzz/$t.log"
    failed+=("$t")
  else
    grep -E "^stat::number_of_executed_units|^Done" "$build/fuzz/$t.log" || true
  fi
done

if ((${#failed[@]})); then
  echo "fuzz: crashes in: ${failed[*]} (inputs in $build/fuzz/crashes/)" >&2
  exit 1
fi
echo "fuzz: no crash in ${seconds}s per target"
