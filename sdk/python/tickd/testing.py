"""FakeHost: the daemon's part in a unit test of an observer (the twin of the
C++ SDK's tickd::testing::FakeHost).

    host = FakeHost(config={"above": 100})
    host.add_history(candle)            # what host.history() returns
    obs = host.start(MyObserver())      # config checked against its config_schema, as the daemon's
    obs.on_candle(candle)               # or host.feed(obs, events)
    assert host.published[0].side == "buy"
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Tuple

from .config_check import check_config
from .events import INTERVALS, Candle, Signal
from .metrics import Metrics
from .observer import Observer, dispatch

LEVELS = ("trace", "debug", "info", "warn", "error")


class FakeHost:
    def __init__(self, config: Optional[dict] = None, observer: str = "test",
                 symbols: Optional[List[str]] = None, intervals: Optional[List[str]] = None):
        self.config = dict(config or {})
        self.observer = observer
        self.symbols = list(symbols or [])
        self.intervals = list(intervals or [])
        self.history_capacity = 1000
        self.published: List[Signal] = []
        self.logs: List[Tuple[str, str]] = []  # (level, message)
        self._history: Dict[Tuple[str, str], List[Candle]] = {}
        self.daemon_status: dict = {}  # what host.status() returns

    # ---- the Host interface
    def log(self, message: str, level: str = "info") -> None:
        if level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}")
        self.logs.append((level, str(message)))

    def publish(self, signal: Signal) -> None:
        signal.to_wire()  # what the daemon would refuse, refused here too
        if not signal.source:
            signal.source = self.observer
        self.published.append(signal)

    def history(self, symbol: str, interval: str, limit: int = 0) -> List[Candle]:
        if interval not in INTERVALS:
            raise ValueError(f"unknown interval '{interval}'")
        series = self._history.get((symbol, interval), [])
        return list(series[-limit:] if limit else series)

    def status(self) -> dict:
        return dict(self.daemon_status)

    # ---- for the test
    def start(self, observer: Observer) -> Observer:
        """Starts the observer as the daemon does: ``self.config`` is checked against the observer's
        ``config_schema`` first (tickd.ConfigError with the daemon's messages, e.g. "'config.above'
        must be a number, got 'x'") and gets its defaults; then ``observer.start(self)``."""
        self.config = check_config(type(observer), self.config)
        observer.start(self)
        return observer

    def add_history(self, candle: Candle) -> None:
        self._history.setdefault((candle.symbol, candle.interval), []).append(candle)
        if candle.symbol not in self.symbols:
            self.symbols.append(candle.symbol)

    def feed(self, observer: Observer, events: Iterable) -> List[Signal]:
        """Hands each event to the observer as the daemon would; returns what it published meanwhile."""
        before = len(self.published)
        for event in events:
            dispatch(observer, event)
        return self.published[before:]


def metrics_of(observer: Observer) -> Dict[str, float]:
    """The observer's figures as the daemon would get them: name (or "name{label_value}") -> value."""
    m = Metrics()
    observer.metrics(m)
    return {(f"{x['name']}{{{x['label_value']}}}" if "label" in x else x["name"]): x["value"] for x in m.lines}
