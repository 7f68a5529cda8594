#!/usr/bin/env bash
# Starts the real daemon (simulator feed, ws_broadcast on a free port), runs the
# headless Chromium check against it, and always stops the daemon.
# usage: run_browser_test.sh <tickd binary> <playwright node_modules dir> <screenshot path>
set -euo pipefail
tickd=$1
modules=$2
screenshot=$3
here=$(cd "$(dirname "$0")" && pwd)

[[ -x $tickd ]] || { echo "FAIL: no daemon at $tickd"; exit 1; }
[[ -d $modules/playwright-core ]] || { echo "FAIL: playwright-core not installed in $modules"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/tickd-browser.XXXXXX")
pid=""
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
cat > "$work/tickd.yaml" <<YAML
daemon:
  log_level: info
feed:
  kind: simulator
  symbols: [BTCUSDT, ETHUSDT, SOLUSDT]
  simulator:
    ticks_per_second: 20
    volatility: 0.0008
    start_price: 100
    seed: 42
    history_hours: 4
aggregator:
  intervals: [1s, 5s, 1m, 5m, 15m, 1h]
  history: 1000
  update_throttle: 100ms
observers:
  - name: chart
    plugin: ws_broadcast
    config:
      listen: 127.0.0.1:$port
      default_symbol: BTCUSDT
      default_interval: 1m
YAML

"$tickd" --config "$work/tickd.yaml" > "$work/tickd.log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  if curl -fsS "http://127.0.0.1:$port/health" > /dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "FAIL: tickd exited:"; cat "$work/tickd.log"; exit 1; fi
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/health" || { echo "FAIL: /health never answered"; cat "$work/tickd.log"; exit 1; }
echo
status=0
node "$here/chart_test.mjs" "http://127.0.0.1:$port" "$screenshot" "$modules" || status=$?
if [[ $status -ne 0 ]]; then echo "--- tickd log ---"; tail -50 "$work/tickd.log"; fi
exit $status
