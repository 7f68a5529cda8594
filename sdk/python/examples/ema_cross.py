#!/usr/bin/env python3
"""An EMA crossover strategy: buy when EMA(fast) crosses above EMA(slow), sell
when it crosses below, on closed candles. The same rule as the C++ strategy
plugin's `ma_cross` with `ma: ema` (TA-Lib seeding: the first value is the SMA
of the first `period` closes), so both publish the same signals.

    config: {fast: 9, slow: 21}
"""

import json

import tickd
from tickd import schema as s


class Ema:
    def __init__(self, period):
        self.period = period
        self.k = 2.0 / (period + 1.0)
        self.count = 0
        self.seed_sum = 0.0
        self.value = 0.0
        self.ready = False

    def update(self, x):
        if self.ready:
            self.value += (x - self.value) * self.k
            return True
        self.seed_sum += x
        self.count += 1
        if self.count == self.period:
            self.value = self.seed_sum / self.period
            self.ready = True
        return self.ready


class Series:
    def __init__(self, fast, slow):
        self.fast = Ema(fast)
        self.slow = Ema(slow)
        self.side = 0  # sign of fast - slow last seen (exact zeros skipped)
        self.last_open = None


class EmaCross(tickd.Observer):
    config_schema = s.ConfigSchema(
        s.integer("fast", "Fast EMA period").default_value(9).range(1, 10000),
        s.integer("slow", "Slow EMA period").default_value(21).range(2, 10000),
        s.string("name", "Rule name in the signals' text").default_value("ema_cross").non_empty(),
    )

    def start(self, host):
        self.host = host
        self.fast = host.config["fast"]
        self.slow = host.config["slow"]
        if not self.fast < self.slow:
            raise ValueError("config needs fast < slow")
        self.rule = host.config["name"]
        self.series = {}

    def on_candle(self, candle):
        if not candle.closed:
            return
        key = (candle.symbol, candle.interval)
        s = self.series.get(key)
        if s is None:
            s = self.series[key] = Series(self.fast, self.slow)
            for old in self.host.history(candle.symbol, candle.interval):  # warm up, publish nothing
                if old.open_time < candle.open_time:
                    self.update(s, old)
        if s.last_open is not None and candle.open_time <= s.last_open:
            return  # seen already (a restarted child may get a candle twice)
        signal = self.update(s, candle)
        if signal:
            self.host.publish(signal)

    def update(self, s, candle):
        s.last_open = candle.open_time
        close = candle.close
        s.fast.update(close)
        if not s.slow.update(close):
            return None
        diff = s.fast.value - s.slow.value
        sign = (diff > 0) - (diff < 0)
        if sign == 0:
            return None
        previous, s.side = s.side, sign
        if previous == 0 or previous == sign:
            return None
        strength = min(1.0, max(0.0, abs(diff) / close * 100.0))
        return tickd.Signal(
            symbol=candle.symbol, side="buy" if sign > 0 else "sell", time=candle.open_time,
            interval=candle.interval, strength=strength, price=close,
            text=json.dumps({"rule": self.rule, "fast": self.fast, "slow": self.slow,
                             "fast_value": s.fast.value, "slow_value": s.slow.value}))


if __name__ == "__main__":
    tickd.run(EmaCross)
