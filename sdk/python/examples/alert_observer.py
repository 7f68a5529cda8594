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


class AlertObserver(tickd.Observer):
    def start(self, host):
        self.host = host
        cfg = host.config
        self.symbol = cfg.get("symbol")  # None: every symbol
        self.above = float(cfg["above"]) if "above" in cfg else None
        self.below = float(cfg["below"]) if "below" in cfg else None
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
