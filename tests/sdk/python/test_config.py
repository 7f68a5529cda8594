"""The Python SDK's declared config: the same duration syntax and the same
checks as the C++ SDK (one table, tests/sdk/config_cases.json), the schema JSON
in the C++ format, defaults filled before start(), and FakeHost refusing what
the daemon would refuse."""
import datetime
import json
import os
import unittest

import tickd
from tickd import schema as s
from tickd.duration import format_duration, parse_duration_ms
from tickd.testing import FakeHost

CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "config_cases.json")


def as_cpp(value):
    """A checked block as C++ writes it: durations as "<ms>ms"."""
    if isinstance(value, datetime.timedelta):
        return f"{round(value / datetime.timedelta(milliseconds=1))}ms"
    if isinstance(value, dict):
        return {k: as_cpp(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_cpp(v) for v in value]
    return value


class SharedCasesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(CASES) as f:
            cls.cases = json.load(f)

    def test_durations_as_cpp_reads_them(self):
        self.assertGreater(len(self.cases["durations"]), 30)
        for text, ms in self.cases["durations"]:
            self.assertEqual(parse_duration_ms(text), ms, repr(text))
        for ms, text in self.cases["formats"]:
            self.assertEqual(format_duration(ms), text)

    def test_values_and_problems_as_cpp_gives_them(self):
        self.assertGreater(len(self.cases["configs"]), 5)
        for case in self.cases["configs"]:
            with self.subTest(case["about"]):
                checked = tickd.validate_config(case["schema"], case["config"])
                if "value" in case:
                    self.assertTrue(checked.ok, checked.summary())
                    self.assertEqual(as_cpp(checked.value), case["value"])
                else:
                    got = [[p.pointer, p.at_key, p.message] for p in checked.problems]
                    self.assertEqual(got, case["problems"])


class Alert(tickd.Observer):
    config_schema = s.ConfigSchema(
        s.number("above", "Alert when a close is over this price").required(),
        s.duration("cooldown", "Quiet time after an alert").default_value("5m").range("1s", "1h"),
        s.choice("side", ["buy", "sell"], "Side of the signal").default_value("buy"),
        s.integer("window", "Candles averaged").default_value(20).range(1, 1000),
        s.list("symbols", s.string(), "Symbols to watch; empty: all"),
    )

    def start(self, host):
        self.host = host
        self.config = dict(host.config)


class SchemaTest(unittest.TestCase):
    def test_the_schema_json_is_the_cpp_format(self):
        j = Alert.config_schema.to_json()
        self.assertEqual(j["tickd_config_schema"], 1)
        self.assertEqual(j["type"], "object")
        self.assertEqual(j["keys"][0], {"type": "number", "name": "above",
                                        "description": "Alert when a close is over this price", "required": True})
        self.assertEqual(j["keys"][1]["min"], 1000)  # duration bounds in milliseconds, as C++ writes them
        self.assertEqual(j["keys"][1]["max"], 3600000)
        self.assertEqual(j["keys"][4]["items"], {"type": "string"})
        self.assertEqual(s.number("x", "").above(0).to_json(), {"type": "number", "name": "x", "min": 0.0,
                                                               "exclusive_min": True})
        with self.assertRaises(ValueError):
            s.duration("d", "").min("soon")


class FakeHostConfigTest(unittest.TestCase):
    def test_start_fills_defaults_and_reads_text_as_the_declared_type(self):
        host = FakeHost(config={"above": "40000", "cooldown": "90s"})
        obs = host.start(Alert())
        self.assertEqual(obs.config, {"above": 40000.0, "cooldown": datetime.timedelta(seconds=90), "side": "buy",
                                      "window": 20, "symbols": []})
        self.assertEqual(host.config, obs.config)

    def test_start_refuses_a_wrong_type_naming_the_key_before_start_runs(self):
        started = []

        class Tracked(Alert):
            def start(self, host):
                started.append(True)

        host = FakeHost(config={"above": "high", "windw": 5})
        with self.assertRaises(tickd.ConfigError) as e:
            host.start(Tracked())
        self.assertEqual(started, [])
        self.assertEqual([(p.pointer, p.message) for p in e.exception.problems], [
            ("/windw", "unknown key 'windw' in 'config' (did you mean 'window'?)"),
            ("/above", "'config.above' must be a number, got 'high'")])
        self.assertIn("'config.above' must be a number", str(e.exception))

    def test_a_missing_required_key(self):
        with self.assertRaises(tickd.ConfigError) as e:
            FakeHost(config={}).start(Alert())
        self.assertEqual(str(e.exception), "'config.above' is required")

    def test_an_observer_without_a_schema_gets_its_block_as_written(self):
        class Free(tickd.Observer):
            def start(self, host):
                self.config = host.config

        self.assertEqual(FakeHost(config={"anything": [1, "x"]}).start(Free()).config, {"anything": [1, "x"]})

    def test_a_checked_block_checks_again_to_itself(self):
        first = tickd.check_config(Alert, {"above": 1, "cooldown": 2})
        self.assertEqual(tickd.check_config(Alert, first), first)


class DocsExampleTest(unittest.TestCase):
    """docs/WRITING_PLUGINS.md's Python observer does what the text says of its config."""

    def test_the_sma_alert_checks_its_config_as_the_docs_say(self):
        docs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "docs",
                            "WRITING_PLUGINS.md")
        with open(docs) as f:
            text = f.read()
        code = text.split("```python\n", 1)[1].split("```", 1)[0]
        namespace = {"__name__": "sma_alert"}
        exec(compile(code, "sma_alert.py", "exec"), namespace)
        sma = namespace["SmaAlert"]
        obs = FakeHost(config={"pct": 1.5}).start(sma())
        self.assertEqual((obs.pct, obs.window), (1.5, 20))
        with self.assertRaises(tickd.ConfigError) as e:
            FakeHost(config={"pct": "high"}).start(sma())
        message = "'config.pct' must be a number above 0, got 'high'"
        self.assertEqual(str(e.exception), message)
        self.assertIn(message, text)  # the message the docs show


if __name__ == "__main__":
    unittest.main()
