#!/usr/bin/env bash
# usage: out_of_tree_plugin.sh <tickd build dir> <tickd source dir>
set -euo pipefail
build=$1
src=$2
work=$(mktemp -d /tmp/tickd-sdk-XXXXXX)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
test -x "$work/prefix/bin/tickd"
test -f "$work/prefix/lib/tickd/plugins/tickd_logger.so"
test -f "$work/prefix/lib/tickd/plugins/ws_broadcast_web/index.html"
test -f "$work/prefix/include/tickd/abi.h"

# The example as installed with the SDK, copied out so nothing but the installed SDK is in reach.
test -f "$work/prefix/share/tickd/examples/price_alert/price_alert_test.cpp"
cp -r "$work/prefix/share/tickd/examples/price_alert" "$work/example"
cmake -S "$work/example" -B "$work/example/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/example/build" >/dev/null
# Its FakeHost unit test builds and passes out of tree.
ctest --test-dir "$work/example/build" --output-on-failure >/dev/null

# Without nlohmann_json, find_package(tickd) says what is missing.
if missing=$(cmake -S "$work/example" -B "$work/example/build-nojson" -DCMAKE_PREFIX_PATH="$work/prefix" \
               -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=TRUE 2>&1); then
  echo "configured without nlohmann_json"; exit 1
fi
echo "$missing" | grep -q "needs nlohmann_json 3.x" || { echo "$missing"; exit 1; }
plugin=$(find "$work/example/build" -name tickd_price_alert.so)
test -n "$plugin"
# Only the two SDK entry points are exported.
exports=$(nm -D --defined-only "$plugin" | awk '$2 == "T" {print $3}' | sort | tr '\n' ' ')
[[ "$exports" == "tickd_plugin_abi_version tickd_plugin_get_api " ]] || { echo "unexpected exports: $exports"; exit 1; }

cat > "$work/tickd.yaml" <<YAML
daemon:
  plugin_dirs: [$(dirname "$plugin"), $work/prefix/lib/tickd/plugins]
feed:
  kind: replay
  replay:
    files:
      - {path: $src/../shared/data/binance-xrpeth-2019-10/XRPETH-aggTrades-2019-10-11_13.csv, format: binance_aggtrades, symbol: XRPETH}
    exit_at_end: true
aggregator:
  intervals: [1h]
observers:
  - name: level
    plugin: price_alert
    events: [candle_closed]
    config: {symbol: XRPETH, level: 0.00142}
  - name: log
    plugin: logger
    events: [signal]
YAML
"$work/prefix/bin/tickd" --list-plugins --config "$work/tickd.yaml" | grep -q "price_alert *1.0.0 *ABI 1.2"
"$work/prefix/bin/tickd" --describe-plugin price_alert --config "$work/tickd.yaml" | grep -q "level *number *required"
out=$("$work/prefix/bin/tickd" --config "$work/tickd.yaml" 2>&1)
echo "$out" | grep -q "\[level\] watching XRPETH" || { echo "$out"; exit 1; }
echo "$out" | grep -q "^signal XRPETH 1h .* source=level" || { echo "$out"; exit 1; }
echo "out-of-tree plugin and its FakeHost test built against the installed SDK, loaded, and its signals delivered"
