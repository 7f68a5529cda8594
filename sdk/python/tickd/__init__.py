"""tickd observers in Python.

    import tickd

    class Alert(tickd.Observer):
        config_schema = tickd.schema.ConfigSchema(
            tickd.schema.number("above", "Alert when a close is over this price").required())

        def start(self, host):
            self.host = host
            self.above = host.config["above"]  # checked: a float

        def on_candle(self, candle):
            if candle.closed and candle.close > self.above:
                self.host.publish(tickd.Signal(candle.symbol, "buy", candle.open_time,
                                               candle.interval, price=candle.close))

    if __name__ == "__main__":
        tickd.run(Alert)

Standard library only. The protocol is docs/PROCESS_OBSERVERS.md; tests use
tickd.testing.FakeHost.
"""

import sys as _sys

from . import schema
from .config_check import ConfigError, ConfigProblem, check_config, validate_config
from .events import INTERVALS, Candle, Signal, Tick, WireError, datetime_to_ms, from_wire, ms_to_datetime, to_json
from .metrics import Metrics
from .observer import Host, Observer, dispatch

__version__ = "1.0.0"
__all__ = ["Observer", "Host", "Metrics", "schema", "ConfigError", "ConfigProblem", "check_config",
           "validate_config", "Tick", "Candle", "Signal", "INTERVALS", "WireError", "run", "dispatch",
           "from_wire", "to_json", "ms_to_datetime", "datetime_to_ms"]


def run(observer_class) -> None:
    """Entry point of an observer program: serves the daemon on stdin/stdout, then exits."""
    from .runtime import run as _run

    _sys.exit(_run(observer_class))
