"""tickd.run speaks protocols 1 and 2: a real child process driven through its pipes."""
import json
import os
import subprocess
import sys
import textwrap
import unittest

SDK = os.path.join(os.path.dirname(__file__), "..", "..", "..", "sdk", "python")

CHILD = textwrap.dedent("""
    import tickd
    class Obs(tickd.Observer):
        def start(self, host):
            self.host = host
            host.log("config %s" % host.config["x"])
            print("printed, not on the protocol")
        def on_candle(self, c):
            if c.close < 0:
                raise ValueError("negative close")
            if c.closed:
                h = self.host.history(c.symbol, c.interval, 2)
                self.host.publish(tickd.Signal(c.symbol, "buy", c.open_time, c.interval, 1.0, c.close,
                                               text="history %d" % len(h)))
        def on_tick(self, t):
            pass
    tickd.run(Obs)
""")


def candle(seq, close, closed=True):
    return {"v": 1, "type": "candle", "seq": seq, "symbol": "BTCUSDT", "interval": "1m", "open_time": seq * 60000,
            "close_time": seq * 60000 + 60000, "open": close, "high": close, "low": close, "close": close,
            "volume": 1, "quote_volume": close, "vwap": close, "trade_count": 1, "closed": closed,
            "partial": False, "filled": False}


class _ChildTest(unittest.TestCase):
    code = CHILD

    def setUp(self):
        env = dict(os.environ, PYTHONPATH=os.path.abspath(SDK))
        self.child = subprocess.Popen([sys.executable, "-c", self.code], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)

    def tearDown(self):
        for f in (self.child.stdin, self.child.stdout, self.child.stderr):
            try:
                f.close()
            except OSError:
                pass
        self.child.wait(timeout=10)

    def send(self, obj):
        self.child.stdin.write(json.dumps(obj).encode() + b"\n")
        self.child.stdin.flush()

    def recv(self):
        return json.loads(self.child.stdout.readline())


class RuntimeTest(_ChildTest):
    def test_handshake_events_acks_history_signals_errors_and_stop(self):
        self.send({"type": "hello", "protocol": 1, "observer": "py", "config": {"x": 7}, "symbols": ["BTCUSDT"],
                   "intervals": ["1m"], "history_capacity": 100, "window": 64})
        self.assertEqual(self.recv(), {"type": "log", "level": "info", "message": "config 7"})
        self.assertEqual(self.recv(), {"type": "ready", "protocol": 1})
        self.send(candle(1, 100.5))
        request = self.recv()
        self.assertEqual(request, {"type": "history", "id": 1, "symbol": "BTCUSDT", "interval": "1m", "limit": 2})
        # An event that arrives before the answer waits until the current one is done.
        self.send(candle(2, -1.0, closed=False))
        self.send({"type": "history", "id": 1, "count": 1})
        self.send({k: v for k, v in candle(0, 99.0).items() if k != "seq"})  # history rows carry no seq
        signal = self.recv()
        self.assertEqual((signal["type"], signal["v"], signal["price"], signal["text"]), ("signal", 1, 100.5, "history 1"))
        self.assertEqual(self.recv(), {"type": "error", "seq": 2, "message": "ValueError: negative close"})
        self.assertEqual(self.recv(), {"type": "ack", "seq": 2})
        self.send({"type": "stop"})
        self.assertEqual(self.recv(), {"type": "ack", "seq": 2})
        self.assertEqual(self.child.wait(timeout=10), 0)
        stderr = self.child.stderr.read().decode()
        self.assertIn("printed, not on the protocol", stderr)
        self.assertIn("ValueError: negative close", stderr)

    def test_wrong_protocol_version_exits_with_an_error(self):
        self.send({"type": "hello", "protocol": 2, "config": {}})
        self.assertEqual(self.child.wait(timeout=10), 2)
        self.assertIn("expected a protocol 1 hello", self.child.stderr.read().decode())


if __name__ == "__main__":
    unittest.main()


CHILD_V2 = textwrap.dedent("""
    import tickd
    class Obs(tickd.Observer):
        def start(self, host):
            self.host = host
            self.seen = 0
            self.feed = None
        def on_candle(self, c):
            self.seen += 1
            if self.feed is None:
                self.feed = self.host.status().get("feed", {}).get("state")
        def stop(self):
            self.seen += 100
        def metrics(self, m):
            m.counter("candles_seen", "Candles handed to the observer", self.seen)
            m.gauge("feed_live", "1 when the status said live", 1 if self.feed == "live" else 0)
            m.loss("dropped", "Never", 0)
            m.labelled("per_symbol", "Per symbol", "counter", self.seen, "symbol", "BTCUSDT")
    tickd.run(Obs)
""")


class RuntimeVersion2Test(_ChildTest):
    code = CHILD_V2

    def recv_metrics(self):
        header = self.recv()
        self.assertEqual(header["type"], "metrics")
        return {(m["name"], m.get("label_value")): (m["kind"], m["loss"], m["value"])
                for m in (self.recv() for _ in range(header["count"]))}

    def test_chooses_version_2_answers_metrics_and_asks_for_status(self):
        self.send({"type": "hello", "protocol": 1, "protocols": [1, 2], "observer": "py", "config": {},
                   "symbols": ["BTCUSDT"], "intervals": ["1m"], "history_capacity": 100, "window": 64})
        self.assertEqual(self.recv(), {"type": "ready", "protocol": 2})
        self.send(candle(1, 100.5))
        self.assertEqual(self.recv(), {"type": "status", "id": 1})
        self.send({"type": "metrics"})  # arrives before the answer: handled after the current event
        self.send({"type": "status", "id": 1, "status": {"feed": {"state": "live"}, "observers": []}})
        self.assertEqual(self.recv_metrics(), {("candles_seen", None): ("counter", False, 1.0),
                                               ("feed_live", None): ("gauge", False, 1.0),
                                               ("dropped", None): ("counter", True, 0.0),
                                               ("per_symbol", "BTCUSDT"): ("counter", False, 1.0)})
        self.assertEqual(self.recv(), {"type": "ack", "seq": 1})
        self.send({"type": "stop"})
        self.assertEqual(self.recv_metrics()[("candles_seen", None)], ("counter", False, 101.0))  # after stop()
        self.assertEqual(self.recv(), {"type": "ack", "seq": 1})
        self.assertEqual(self.child.wait(timeout=10), 0)


class FakeHostTest(unittest.TestCase):
    def test_status_and_metrics_as_the_daemon_would_see_them(self):
        sys.path.insert(0, os.path.abspath(SDK))
        import tickd
        from tickd.testing import FakeHost, metrics_of

        class Obs(tickd.Observer):
            def metrics(self, m):
                m.counter("seen", "Seen", 3)
                m.labelled("per", "Per", "gauge", 2, "symbol", "X")

        host = FakeHost()
        host.daemon_status = {"feed": {"state": "live"}}
        self.assertEqual(host.status()["feed"]["state"], "live")
        self.assertEqual(metrics_of(Obs()), {"seen": 3.0, "per{X}": 2.0})
        with self.assertRaises(ValueError):
            tickd.Metrics().counter("Bad-Name", "", 1)


CHILD_V3 = textwrap.dedent("""
    import tickd
    from tickd import schema as s
    class Obs(tickd.Observer):
        config_schema = s.ConfigSchema(
            s.number("above", "Alert over this price").required(),
            s.duration("cooldown", "Quiet time").default_value("5m"))
        def start(self, host):
            host.log("above %r cooldown %r" % (host.config["above"], host.config["cooldown"].total_seconds()))
    tickd.run(Obs)
""")


class RuntimeVersion3Test(_ChildTest):
    """Version 3: a child whose config does not match its schema says so, instead of starting."""
    code = CHILD_V3

    def hello(self, config, protocols):
        self.send({"type": "hello", "protocol": 1, "protocols": protocols, "observer": "py", "config": config,
                   "symbols": ["BTCUSDT"], "intervals": ["1m"], "history_capacity": 100, "window": 64})

    def test_a_config_that_fits_is_handed_over_checked_with_its_defaults(self):
        self.hello({"above": "40000"}, [1, 2, 3])
        self.assertEqual(self.recv(), {"type": "log", "level": "info", "message": "above 40000.0 cooldown 300.0"})
        self.assertEqual(self.recv(), {"type": "ready", "protocol": 3})
        self.send({"type": "stop"})
        self.assertEqual(self.child.wait(timeout=10), 0)

    def test_a_wrong_type_is_a_config_error_naming_the_key_and_start_never_runs(self):
        self.hello({"above": "high", "cooldown": "5 min"}, [1, 2, 3])
        self.assertEqual(self.recv(), {"type": "config_error", "count": 2})
        self.assertEqual(self.recv(), {"type": "config_problem", "pointer": "/above", "at_key": False,
                                       "message": "'config.above' must be a number, got 'high'"})
        self.assertEqual(self.recv(), {"type": "config_problem", "pointer": "/cooldown", "at_key": False,
                                       "message": "'config.cooldown' must be a duration such as 250ms, 30s, 5m, "
                                                  "1h, 1d or a number of seconds, got '5 min'"})
        self.assertEqual(self.child.wait(timeout=10), 2)
        self.assertEqual(self.child.stdout.read(), b"")  # no ready, no log from start()

    def test_a_daemon_without_version_3_gets_the_problems_on_stderr(self):
        self.hello({}, [1, 2])
        self.assertEqual(self.child.wait(timeout=10), 2)
        self.assertEqual(self.child.stdout.read(), b"")
        self.assertIn("tickd: 'config.above' is required", self.child.stderr.read().decode())
