#!/usr/bin/env python3
"""AlertObserver: a signal when a closed candle's close crosses a price threshold.

    observers:
      - name: btc_alert
        process: {command: [python3, -u, alert_observer.py]}
        events: [candle_closed]
        config: {symbol: BTCUSDT, above: 40000, below: 30000}
"""

import json

import tickd
from tickd import schema as s


class AlertObserver(tickd.Observer):
    # Checked before start(): `above: 4o000` stops the observer with the key's
    # YAML line and column in the daemon's log and /health.
    config_schema = s.ConfigSchema(
        s.string("symbol", "Symbol to watch; absent: every symbol").non_empty(),
        s.number("above", "A buy signal when a close crosses over this price"),
        s.number("below", "A sell signal when a close crosses under this price"),
    )

    def start(self, host):
        self.host = host
        cfg = host.config  # checked: numbers are floats
        self.symbol = cfg.get("symbol")  # None: every symbol
        self.above = cfg.get("above")
        self.below = cfg.get("below")
        if self.above is None and self.below is None:
            raise ValueError("config needs 'above' and/or 'below'")
        self.side = {}  # symbol -> "above" | "below" | "inside", to fire on crossings only

    def on_candle(self, candle):
        if not candle.closed or (self.symbol and candle.symbol != self.symbol):
            return
        if self.above is not None and candle.close > self.above:
            zone, side, level = "above", "buy", self.above
        elif self.below is not None and candle.close < self.below:
            zone, side, level = "below", "sell", self.below
        else:
            zone = "inside"
        previous = self.side.get(candle.symbol)
        self.side[candle.symbol] = zone
        if zone == "inside" or previous == zone:
            return
        self.host.publish(tickd.Signal(
            symbol=candle.symbol, side=side, time=candle.open_time, interval=candle.interval, strength=1.0,
            price=candle.close, text=json.dumps({"rule": "price_" + zone, "level": level})))


if __name__ == "__main__":
    tickd.run(AlertObserver)
