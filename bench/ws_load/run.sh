#!/usr/bin/env bash
# Runs ws_load against a real daemon fed by ws_load's own trade feed.
#
#   bench/ws_load/run.sh BUILD_DIR firehose|production CLIENTS [SECONDS] [ws_load options...]
#
# firehose:   update_throttle 0, every tick an update to each subscriber.
# production: update_throttle 250ms (at most 4 updates per second per series).
# Both: 20 symbols, 1,000 ticks/s in total, intervals 1s 1m 5m, 3 series per
# client, only the ws_broadcast observer. Prints ws_load's report and the
# daemon's memory before and after the clients connected.
# IO_THREADS and FLUSH_MS (environment) override ws_broadcast's io_threads and
# flush_interval (milliseconds); INTERVALS the aggregator's intervals (default "1s, 1m, 5m").
set -euo pipefail

build=${1:?build dir}
mode=${2:?firehose or production}
clients=${3:?clients}
seconds=${4:-20}
shift $(( $# < 4 ? $# : 4 ))

case "$mode" in
  firehose) throttle=0ms ;;
  production) throttle=250ms ;;
  *) echo "mode must be firehose or production" >&2; exit 2 ;;
esac

work=$(mktemp -d)
trap 'kill "${daemon:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
# Below the ephemeral range (32768+), where the clients of a previous run linger.
feed_port=$(( 20000 + RANDOM % 12000 ))
http_port=$(( feed_port + 1 ))
symbols="BTCUSDT, ETHUSDT, BNBUSDT, SOLUSDT, XRPUSDT, ADAUSDT, DOGEUSDT, TRXUSDT, DOTUSDT, LINKUSDT,
           LTCUSDT, BCHUSDT, AVAXUSDT, XLMUSDT, ATOMUSDT, ETCUSDT, FILUSDT, NEARUSDT, APTUSDT, ARBUSDT"

cat > "$work/tickd.yaml" <<YAML
daemon:
  log_level: warn
  plugin_dirs: [$(realpath "$build")/plugins]
  admin_listen: ""
feed:
  kind: binance
  symbols: [$symbols]
  binance:
    url: ws://127.0.0.1:$feed_port/stream
    streams: [aggTrade]
    bootstrap_klines: 0
    backfill: false
aggregator:
  intervals: [${INTERVALS:-1s, 1m, 5m}]
  history: 1000
  gap_fill: false
  update_throttle: $throttle
observers:
  - name: chart
    plugin: ws_broadcast
    events: [candle_update, candle_closed, signal]
    config:
      listen: 127.0.0.1:$http_port
      max_connections: $(( clients + 100 ))
      io_threads: ${IO_THREADS:-2}
      flush_interval: ${FLUSH_MS:-1}ms
YAML

ulimit -n "$(ulimit -Hn)"
"$build/bin/tickd" --config "$work/tickd.yaml" > "$work/tickd.log" 2>&1 &
daemon=$!
rss() { awk '/VmRSS/ {print $2}' "/proc/$daemon/status"; }
sleep 1
if ! kill -0 "$daemon" 2>/dev/null; then
  echo "tickd exited at start:" >&2
  cat "$work/tickd.log" >&2
  exit 1
fi
rss_before=$(rss)
status=0
"$build/bin/ws_load" --port "$http_port" --feed-port "$feed_port" --clients "$clients" \
  --series-per-client 3 --threads 2 --duration "$seconds" "$@" || status=$?
rss_after=$(rss)
echo "daemon RSS: ${rss_before} kB before the clients, ${rss_after} kB with them" \
     "($(( (rss_after - rss_before) * 1024 / clients )) bytes per client)"
if grep -qiE "error|warn" "$work/tickd.log"; then grep -iE "error|warn" "$work/tickd.log" | tail -5; fi
exit "$status"
