"""The examples, with FakeHost: the alert fires on crossings, and the EMA
crossover's signals on the real BTCUSDT 1h series equal the C++ strategy plugin's."""
import csv
import json
import os
import struct
import subprocess
import unittest

import tickd
from tickd.testing import FakeHost

from alert_observer import AlertObserver
from ema_cross import EmaCross

DATA = os.environ.get("TICKD_DATA_DIR", "/work/shared/data")
SERIES = os.path.join(DATA, "btcusdt-1h", "BTCUSDT-1h-2017-2023.csv")
DUMP = os.environ.get("TICKD_DUMP_SIGNALS")


def load_series():
    with open(SERIES, newline="") as f:
        rows = list(csv.DictReader(f))
    return [tickd.Candle("BTCUSDT", "1h", int(r["date"]), float(r["open"]), float(r["high"]), float(r["low"]),
                         float(r["close"]), float(r["volume"]), closed=True) for r in rows]


def bits(x):
    return struct.pack("<d", x)


class AlertObserverTest(unittest.TestCase):
    def test_fires_when_the_close_crosses_a_threshold(self):
        host = FakeHost(config={"symbol": "BTCUSDT", "above": 110, "below": 90})
        obs = host.start(AlertObserver())
        closes = [100, 105, 111, 115, 100, 89, 88, 95, 120]
        candles = [tickd.Candle("BTCUSDT", "1m", i * 60000, c, c, c, c, closed=True) for i, c in enumerate(closes)]
        candles.insert(3, tickd.Candle("BTCUSDT", "1m", 0, 200, 200, 200, 200, closed=False))  # updates ignored
        candles.append(tickd.Candle("ETHUSDT", "1m", 0, 500, 500, 500, 500, closed=True))  # other symbol
        got = host.feed(obs, candles)
        self.assertEqual([(s.side, s.price) for s in got], [("buy", 111), ("sell", 89), ("buy", 120)])
        self.assertEqual(got[0].source, "test")
        self.assertEqual(json.loads(got[1].text), {"rule": "price_below", "level": 90.0})

    def test_refuses_a_config_without_thresholds(self):
        with self.assertRaises(ValueError):
            FakeHost(config={}).start(AlertObserver())

    def test_a_threshold_that_is_not_a_number_is_refused_before_start_naming_the_key(self):
        with self.assertRaises(tickd.ConfigError) as e:
            FakeHost(config={"above": "4o000"}).start(AlertObserver())
        self.assertEqual(str(e.exception), "'config.above' must be a number, got '4o000'")


class EmaCrossTest(unittest.TestCase):
    def test_same_signals_as_the_cpp_strategy_plugin_on_real_btcusdt_1h(self):
        self.assertTrue(DUMP, "TICKD_DUMP_SIGNALS (build/tests/tickd_strategy_dump_signals) must be set")
        out = subprocess.run([DUMP, SERIES, "9", "21"], check=True, capture_output=True, text=True).stdout
        expected = [json.loads(line) for line in out.splitlines()]
        self.assertGreater(len(expected), 1000)
        host = FakeHost(config={"fast": 9, "slow": 21, "name": "ema"})
        obs = host.start(EmaCross())
        got = host.feed(obs, load_series())
        self.assertEqual(len(got), len(expected))
        for g, e in zip(got, expected):
            self.assertEqual((g.time, g.side, g.interval, g.symbol), (e["time"], e["side"], e["interval"], e["symbol"]))
            self.assertEqual(bits(g.price), bits(e["price"]))
            self.assertEqual(bits(g.strength), bits(e["strength"]))
            gt, et = json.loads(g.text), json.loads(e["text"])
            self.assertEqual(bits(gt["fast_value"]), bits(et["fast_value"]))
            self.assertEqual(bits(gt["slow_value"]), bits(et["slow_value"]))

    def test_warms_up_from_history_and_skips_a_redelivered_candle(self):
        series = load_series()[:200]
        host = FakeHost(config={"fast": 9, "slow": 21})
        for c in series[:150]:
            host.add_history(c)
        obs = host.start(EmaCross())
        live = host.feed(obs, series[150:] + [series[-1]])  # the last one twice, as after a restart
        reference = FakeHost(config={"fast": 9, "slow": 21})
        ref_obs = reference.start(EmaCross())
        all_signals = reference.feed(ref_obs, series)
        self.assertEqual([s.time for s in live], [s.time for s in all_signals if s.time >= series[150].open_time])


if __name__ == "__main__":
    unittest.main()
