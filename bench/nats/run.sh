#!/usr/bin/env bash
# Ingest -> NATS -> edge, with real daemons and a real nats-server on loopback
# (docs/BENCHMARKS.md, "Across daemons: NATS").
#
#   bench/nats/run.sh BUILD_DIR updates  [SECONDS] [SYMBOLS] [TICKS_PER_SYMBOL]
#       simulator ingest, update_throttle 0, intervals 1s 1m 5m 1h: every tick is
#       an update of four series, published on core NATS; one edge takes them
#       all. Prints published, received and dropped updates per second.
#   bench/nats/run.sh BUILD_DIR closed [COPIES]
#       the ingest replays the real XRPETH trades as fast as it can, as COPIES
#       symbols (default 20; 1s 1m 5m candles: 3 series each); the edge takes
#       every closed candle from JetStream. Prints
#       closed candles per second until the edge has the last one, and checks
#       the edge has exactly the ingest's count. MAX_PENDING (environment) sets
#       the nats observer's max_pending (default 256).
#   bench/nats/run.sh BUILD_DIR latency CLIENTS [SECONDS] [EDGES]
#       ws_load plays Binance trades to a binance ingest (update_throttle
#       250ms: production); EDGES edges (default 1, each pinned to its own core
#       with taskset when EDGES > 1) serve CLIENTS WebSocket clients round
#       robin. Prints tick-at-ingest to client-at-edge latency p50/p99.
#       PIN_EDGES=1 (environment) pins a single edge to core 0 too.
set -euo pipefail

build=$(realpath "${1:?build dir}")
mode=${2:?updates, closed or latency}
shift 2

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
base=$(( 20000 + RANDOM % 10000 ))
nats_port=$base
nats_monitor=$(( base + 1 ))
ingest_admin=$(( base + 2 ))
feed_port=$(( base + 3 ))
edge_admin=$(( base + 10 ))   # edge N: +10+2N admin, +11+2N chart
edge_symbols='"*"'  # every symbol published
data=${TICKD_DATA_DIR:-$(realpath "$(dirname "$0")/../../../shared/data")}

# wait_up URL NAME LOG: until URL answers (10 s), or exits with LOG.
wait_up() {
  for _ in $(seq 100); do
    curl -sf "$1" > /dev/null && return
    sleep 0.1
  done
  echo "$2 did not start:" >&2
  cat "$3" >&2
  exit 1
}

start_nats() {
  /usr/sbin/nats-server --addr 127.0.0.1 --port "$nats_port" --http_port "$nats_monitor" \
    --jetstream --store_dir "$work/nats" > "$work/nats.log" 2>&1 &
  pids+=($!)
  wait_up "http://127.0.0.1:$nats_monitor/healthz?js-enabled-only=true" nats-server "$work/nats.log"
}

# start_daemon NAME ADMIN_PORT [taskset CPU]: runs $work/NAME.yaml, waits for its /health.
start_daemon() {
  local name=$1 cpu=${3:-}
  local run=("$build/bin/tickd" --config "$work/$name.yaml")
  [[ -n $cpu ]] && run=(taskset -c "$cpu" "${run[@]}")
  "${run[@]}" > "$work/$name.log" 2>&1 &
  pids+=($!)
  wait_up "http://127.0.0.1:$2/health" "$name" "$work/$name.log"
}

# metric ADMIN NAME [LABEL_FILTER]: the sum of a /metrics series.
metric() {
  curl -sf "http://$1/metrics" | awk -v n="$2" -v f="${3:-}" \
    '$1 == n || (index($1, n "{") == 1 && index($1, f) > 0) {s += $2} END {printf "%.0f\n", s}'
}

bus_observer() { # EVENTS PUBLISH
  cat <<YAML
  - name: bus
    plugin: nats
    events: [$1]
    overflow: block
    config:
      servers: [nats://127.0.0.1:$nats_port]
      publish: {$2}
      stream: {name: TICKD, max_age_s: 3600}
      max_pending: ${MAX_PENDING:-256}
YAML
}

edge_yaml() { # INDEX INTERVALS UPDATES OBSERVERS
  cat <<YAML
daemon:
  log_level: warn
  plugin_dirs: [$build/plugins]
  admin_listen: 127.0.0.1:$(( edge_admin + 2 * $1 ))
feed:
  kind: nats
  symbols: [${edge_symbols}]
  nats: {servers: [nats://127.0.0.1:$nats_port], stream: TICKD, updates: $3}
aggregator: {intervals: [$2], history: 1000, update_throttle: 0ms}
observers:
$4
YAML
}

case "$mode" in
updates)
  seconds=${1:-20}
  symbols=${2:-100}
  rate=${3:-500}
  list=$(seq -f "S%03g" 1 "$symbols" | paste -sd, -)
  cat > "$work/ingest.yaml" <<YAML
daemon: {log_level: warn, plugin_dirs: [$build/plugins], admin_listen: 127.0.0.1:$ingest_admin}
feed:
  kind: simulator
  symbols: [$list]
  simulator: {ticks_per_second: $rate}
aggregator: {intervals: [1s, 1m, 5m, 1h], history: 100, update_throttle: 0ms}
observers:
$(bus_observer "candle_update, candle_closed" "ticks: false, updates: true")
YAML
  edge_yaml 0 "1s, 1m, 5m, 1h" true "  []" > "$work/edge.yaml"
  start_nats
  start_daemon edge "$edge_admin"
  start_daemon ingest "$ingest_admin"
  sleep 3  # warm up
  e=127.0.0.1:$edge_admin
  i=127.0.0.1:$ingest_admin
  p0=$(metric "$i" tickd_plugin_published) d0=$(metric "$i" tickd_plugin_dropped)
  r0=$(metric "$e" tickd_feed_messages_total) x0=$(metric "$e" tickd_feed_dropped_total)
  t0=$(date +%s.%N)
  c0=$(awk '{print $14 + $15}' /proc/"${pids[1]}"/stat) n0=$(awk '{print $14 + $15}' /proc/"${pids[0]}"/stat)
  g0=$(awk '{print $14 + $15}' /proc/"${pids[2]}"/stat)
  sleep "$seconds"
  p1=$(metric "$i" tickd_plugin_published) d1=$(metric "$i" tickd_plugin_dropped)
  r1=$(metric "$e" tickd_feed_messages_total) x1=$(metric "$e" tickd_feed_dropped_total)
  t1=$(date +%s.%N)
  c1=$(awk '{print $14 + $15}' /proc/"${pids[1]}"/stat) n1=$(awk '{print $14 + $15}' /proc/"${pids[0]}"/stat)
  g1=$(awk '{print $14 + $15}' /proc/"${pids[2]}"/stat)
  slow=$(curl -sf "http://127.0.0.1:$nats_monitor/varz" | sed -n 's/.*"slow_consumers": *\([0-9]*\).*/\1/p')
  awk -v s="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" -v p=$((p1 - p0)) -v d=$((d1 - d0)) -v r=$((r1 - r0)) -v x=$((x1 - x0)) \
      -v ci=$((g1 - g0)) -v ce=$((c1 - c0)) -v cn=$((n1 - n0)) -v hz="$(getconf CLK_TCK)" -v slow="$slow" \
    'BEGIN {
      printf "over %.1f s: ingest published %.0f/s (dropped %d), edge received %.0f/s (dropped %d); nats slow consumers %s\n",
        s, p / s, d, r / s, x, slow;
      printf "CPU: ingest %.0f%%, nats-server %.0f%%, edge %.0f%% of one core\n",
        100 * ci / hz / s, 100 * cn / hz / s, 100 * ce / hz / s }'
  ;;
closed)
  copies=${1:-20}
  files=""
  for n in $(seq 1 "$copies"); do
    files+="{path: $data/binance-xrpeth-2019-10/XRPETH-aggTrades-2019-10-11_13.csv,
             format: binance_aggtrades, symbol: XRPETH$n}, "
  done
  cat > "$work/ingest.yaml" <<YAML
daemon: {log_level: warn, plugin_dirs: [$build/plugins], admin_listen: 127.0.0.1:$ingest_admin}
feed:
  kind: replay
  replay:
    files: [${files%, }]
    speed: 0
aggregator: {intervals: [1s, 1m, 5m], history: 100, gap_fill: true, close_on_shutdown: false}
observers:
$(bus_observer "candle_closed" "ticks: false, updates: false")
YAML
  edge_yaml 0 "1s, 1m, 5m" false "  []" > "$work/edge.yaml"
  start_nats
  start_daemon edge "$edge_admin"
  t0=$(date +%s.%N)
  start_daemon ingest "$ingest_admin"
  e=127.0.0.1:$edge_admin
  i=127.0.0.1:$ingest_admin
  last=-1
  while :; do  # until the ingest's replay is done and the edge has stopped growing
    got=$(metric "$e" tickd_candles_closed_total)
    left=$(metric "$i" tickd_plugin_backlog)
    if [[ $got == "$last" && $left == 0 && $got -gt 0 ]]; then break; fi
    last=$got
    t1=$(date +%s.%N)
    sleep 0.5
  done
  sent=$(metric "$i" tickd_candles_closed_total)
  stored=$(curl -sf "http://127.0.0.1:$nats_monitor/jsz?streams=true" | sed -n 's/.*"messages": *\([0-9]*\).*/\1/p' | head -1)
  awk -v s="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" -v got="$got" -v sent="$sent" -v stored="$stored" 'BEGIN {
    printf "%d closed candles (ingest closed %d, stream holds %s) at the edge in %.2f s: %.0f closed candles/s\n",
      got, sent, stored, s, got / s }'
  [[ $got == "$sent" ]] || { echo "LOST: the edge has $got of $sent" >&2; exit 1; }
  ;;
latency)
  clients=${1:?clients}
  seconds=${2:-20}
  edges=${3:-1}
  symbols="BTCUSDT, ETHUSDT, BNBUSDT, SOLUSDT, XRPUSDT, ADAUSDT, DOGEUSDT, TRXUSDT, DOTUSDT, LINKUSDT,
           LTCUSDT, BCHUSDT, AVAXUSDT, XLMUSDT, ATOMUSDT, ETCUSDT, FILUSDT, NEARUSDT, APTUSDT, ARBUSDT"
  cat > "$work/ingest.yaml" <<YAML
daemon: {log_level: warn, plugin_dirs: [$build/plugins], admin_listen: 127.0.0.1:$ingest_admin}
feed:
  kind: binance
  symbols: [$symbols]
  binance: {url: "ws://127.0.0.1:$feed_port/stream", streams: [aggTrade], bootstrap_klines: 0, backfill: false}
aggregator: {intervals: [1s, 1m, 5m], history: 1000, gap_fill: false, update_throttle: 250ms}
observers:
$(bus_observer "candle_update, candle_closed" "ticks: false, updates: true")
YAML
  edge_symbols=$symbols  # ws_broadcast serves a list, not "every symbol"
  ports=()
  start_nats
  for n in $(seq 0 $(( edges - 1 ))); do
    chart=$(( edge_admin + 2 * n + 1 ))
    ports+=("$chart")
    edge_yaml "$n" "1s, 1m, 5m" true "  - name: chart
    plugin: ws_broadcast
    events: [candle_update, candle_closed]
    config: {listen: 127.0.0.1:$chart, max_connections: $(( clients + 100 )), io_threads: 1}" > "$work/edge$n.yaml"
    if (( edges > 1 )) || [[ -n ${PIN_EDGES:-} ]]; then
      start_daemon "edge$n" $(( edge_admin + 2 * n )) "$(( n % $(nproc) ))"
    else
      start_daemon "edge$n" $(( edge_admin + 2 * n ))
    fi
  done
  ulimit -n "$(ulimit -Hn)"
  # ws_load serves the trade feed; the ingest connects to it once it listens.
  "$build/bin/ws_load" --port "$(IFS=,; echo "${ports[*]}")" --feed-port "$feed_port" --clients "$clients" \
    --series-per-client 3 --threads 2 --duration "$seconds" &
  load=$!
  sleep 0.5
  start_daemon ingest "$ingest_admin"
  wait "$load"
  for n in $(seq 0 $(( edges - 1 ))); do
    echo "edge $n: dropped $(metric 127.0.0.1:$(( edge_admin + 2 * n )) tickd_feed_dropped_total) updates"
  done
  ;;
*)
  echo "mode must be updates, closed or latency" >&2
  exit 2
  ;;
esac
