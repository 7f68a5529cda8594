#!/usr/bin/env bash
# Replay throughput of the whole daemon with and without the sqlite observer
# (overflow: block, so every closed candle is stored before the feed moves on).
# The real XRPETH aggTrades are repeated COPIES times, each copy shifted past
# the previous one, to make a run long enough to time.
#   bench/storage/replay_with_sqlite.sh [build dir] [copies]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-rel}
copies=${2:-40}
work=$(mktemp -d /tmp/tickd-replay-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

src=$root/../shared/data/binance-xrpeth-2019-10/XRPETH-aggTrades-2019-10-11_13.csv
awk -F, -v copies="$copies" 'NR == 1 { next } { rows[n++] = $0 }
  END { shift = 0; for (c = 0; c < copies; c++) { for (i = 0; i < n; i++) { split(rows[i], f, ",");
          printf "%s,%s,%s,%s,%s,%d,%s,%s\n", f[1], f[2], f[3], f[4], f[5], f[6] + shift, f[7], f[8] }
        shift += 3 * 86400000 } }' "$src" > "$work/trades.csv"
ticks=$(wc -l < "$work/trades.csv")

for variant in without with; do
  cat > "$work/$variant.yaml" <<YAML
daemon: {admin_listen: ""}
feed:
  kind: replay
  replay: {files: [{path: $work/trades.csv, format: binance_aggtrades, symbol: XRPETH}], exit_at_end: true}
aggregator: {intervals: [1m, 5m, 15m, 1h, 4h, 1d], gap_fill: true}
observers:
  - {name: signals, plugin: logger, events: [signal]}
YAML
  [[ $variant == with ]] && cat >> "$work/$variant.yaml" <<YAML
  - {name: store, plugin: sqlite, events: [candle_closed, signal], overflow: block, config: {path: $work/bench.db}}
YAML
done

run() {  # prints the wall time of one run in seconds
  rm -f "$work"/bench.db*
  local start end
  start=$(date +%s.%N)
  "$build/bin/tickd" --config "$work/$1.yaml" > "$work/$1.log" 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
for variant in without with; do
  best=
  for _ in 1 2 3; do
    t=$(run $variant)
    if [[ -z $best ]] || (( $(echo "$t < $best" | bc) )); then best=$t; fi
  done
  printf "%-8s sqlite: %d ticks in %.3f s (best of 3, start to exit) = %.0f ticks/s\n" "$variant" "$ticks" "$best" \
    "$(echo "$ticks / $best" | bc -l)"
  declare "best_$variant=$best"
done
printf "with / without: %.1f %%\n" "$(echo "100 * $best_without / $best_with" | bc -l)"
