#!/usr/bin/env bash
# pip installs the Python SDK with no network (no index) into a fresh venv,
# and the installed package imports and runs an observer against FakeHost.
set -euo pipefail
python=$1
sdk=$2
venv=$(mktemp -d /tmp/tickd-pip-XXXXXX)
trap 'rm -rf "$venv"' EXIT
"$python" -m venv "$venv"
"$venv/bin/pip" install --no-index --disable-pip-version-check -q "$sdk"
cd "$venv"
"$venv/bin/python" - <<'PY'
import tickd
from tickd.testing import FakeHost

class Obs(tickd.Observer):
    def on_candle(self, c):
        self.host.publish(tickd.Signal(c.symbol, "buy", c.open_time, c.interval, price=c.close))

host = FakeHost()
obs = Obs()
obs.start(host)
host.feed(obs, [tickd.Candle("X", "1m", 0, 1, 1, 1, 1, closed=True)])
assert host.published[0].price == 1, host.published
assert tickd.__file__.startswith(__import__("sys").prefix), tickd.__file__
print("installed", tickd.__version__, "at", tickd.__file__)
PY
