"""The Python event types read and write Event JSON version 1 exactly as the C++ codec."""
import datetime as dt
import json
import math
import struct
import unittest

import tickd
from tickd.events import from_wire


def bits(x):
    return struct.pack("<d", x)


CPP_CANDLE = ('{"v":1,"type":"candle","seq":17,"symbol":"BTCUSDT","interval":"1h","open_time":1700000000000,'
              '"close_time":1700003600000,"open":37000.1,"high":37123.45,"low":36999.99,"close":37050.5,'
              '"volume":12.345678,"quote_volume":457000.123456789,"vwap":37018.0000001,"trade_count":4321,'
              '"closed":true,"partial":false,"filled":true}')


class EventsTest(unittest.TestCase):
    def test_candle_from_the_cpp_codec(self):
        c = from_wire(json.loads(CPP_CANDLE))
        self.assertIsInstance(c, tickd.Candle)
        self.assertEqual((c.symbol, c.interval, c.open_time, c.trade_count), ("BTCUSDT", "1h", 1700000000000, 4321))
        self.assertEqual(bits(c.vwap), bits(37018.0000001))
        self.assertTrue(c.closed and c.filled and not c.partial)
        self.assertEqual(c.close_time, 1700003600000)
        self.assertEqual(c.open_datetime, dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc))

    def test_round_trip_keeps_every_bit(self):
        for x in (0.1, -0.0, 5e-324, 1.7976931348623157e308, 0.30000000000000004, 1e21, 123456789.123456789):
            c = tickd.Candle("X", "1m", 0, x, x, x, x, x, x, x, 1, True)
            back = from_wire(json.loads(tickd.to_json(c)))
            for f in ("open", "high", "low", "close", "volume", "quote_volume", "vwap"):
                self.assertEqual(bits(getattr(back, f)), bits(x))

    def test_tick_and_signal_round_trip(self):
        t = tickd.Tick("ETH-USD", 1700000000123, 0.1, 3e-8, 42, 2, "sell")
        self.assertEqual(from_wire(json.loads(tickd.to_json(t))), t)
        s = tickd.Signal("NIFTY 50", "buy", 1700000000000, "5m", 0.75, 19500.05, "me", 'quote " \u20b9 \U0001f4c8')
        self.assertEqual(from_wire(json.loads(tickd.to_json(s))), s)
        no_interval = tickd.Signal("X")
        self.assertNotIn("interval", no_interval.to_wire())

    def test_non_finite_is_written_null_and_read_as_nan(self):
        c = tickd.Candle("X", "1m", 0, 1, 1, 1, 1, vwap=float("nan"))
        self.assertIsNone(c.to_wire()["vwap"])
        self.assertTrue(math.isnan(from_wire(json.loads(tickd.to_json(c))).vwap))

    def test_bad_input_is_a_clear_error(self):
        good = json.loads(CPP_CANDLE)
        cases = [({**good, "v": 2}, "unsupported version 2"),
                 ({k: v for k, v in good.items() if k != "close"}, "missing field 'close'"),
                 ({**good, "open": "1"}, "field 'open' must be a number"),
                 ({**good, "trade_count": 1.5}, "field 'trade_count' must be an integer"),
                 ({**good, "interval": "7m"}, "must be an interval name"),
                 ({**good, "type": "bar"}, "unknown event type"),
                 ({**good, "closed": 1}, "field 'closed' must be bool")]
        for d, message in cases:
            with self.assertRaises(tickd.WireError) as ctx:
                from_wire(d)
            self.assertIn(message, str(ctx.exception))

    def test_time_helpers_are_exact_and_refuse_naive_datetimes(self):
        when = dt.datetime(2024, 7, 1, 9, 15, 0, 123000, tzinfo=dt.timezone.utc)
        self.assertEqual(tickd.ms_to_datetime(tickd.datetime_to_ms(when)), when)
        with self.assertRaises(ValueError):
            tickd.datetime_to_ms(dt.datetime(2024, 7, 1))


if __name__ == "__main__":
    unittest.main()
