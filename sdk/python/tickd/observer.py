"""The base class of a Python observer, and the Host it is given."""

from __future__ import annotations

from typing import Any, List, Optional, Protocol

from .events import Candle, Signal, Tick
from .metrics import Metrics
from .schema import ConfigSchema


class Host(Protocol):
    """What the daemon (or a FakeHost in tests) lends an observer.

    config:   the observer's ``config:`` block from the YAML, as a dict (checked against the
              observer's ``config_schema`` and with its defaults, when it declares one)
    observer: the observer's name
    symbols:  the feed's symbols; intervals: the aggregated interval names
    """

    config: dict
    observer: str
    symbols: List[str]
    intervals: List[str]

    def log(self, message: str, level: str = "info") -> None:
        """A line in the daemon's log under the observer's name (trace, debug, info, warn, error)."""

    def history(self, symbol: str, interval: str, limit: int = 0) -> List[Candle]:
        """The newest ``limit`` closed candles of a series (0: all the daemon keeps), oldest first."""

    def publish(self, signal: Signal) -> None:
        """Sends a signal to the bus: every observer that takes signals gets it."""

    def status(self) -> dict:
        """The daemon's status, as /health shows it ({} from a daemon that does not send it)."""


class Observer:
    """Subclass it and override what you need; ``tickd.run(MyObserver)`` runs it.

    on_candle gets open-candle updates (``candle.closed`` False) and closed
    candles (True), as the observer's ``events`` filter lets through. An
    exception in a handler is reported to the daemon as that event's failure
    (counted toward ``max_failures``); the observer goes on with the next.
    """

    host: Optional[Host] = None
    # The keys of the observer's ``config:`` block (tickd.schema). When set, the
    # SDK checks the block before start() and host.config has its defaults filled
    # in; a mistake stops the observer with the key's YAML position in the
    # daemon's log and /health, rather than an exception in start().
    config_schema: Optional[ConfigSchema] = None

    def start(self, host: Host) -> None:
        self.host = host

    def on_tick(self, tick: Tick) -> None:
        pass

    def on_candle(self, candle: Candle) -> None:
        pass

    def on_signal(self, signal: Signal) -> None:
        pass

    def stop(self) -> None:
        pass

    def metrics(self, m: Metrics) -> None:
        """Report figures about this observer (m.counter, m.gauge, m.loss, m.at_risk)."""


def dispatch(observer: Observer, event: Any) -> None:
    """Calls the handler that matches the event's type."""
    if isinstance(event, Candle):
        observer.on_candle(event)
    elif isinstance(event, Tick):
        observer.on_tick(event)
    elif isinstance(event, Signal):
        observer.on_signal(event)
    else:
        raise TypeError(f"not a tickd event: {event!r}")
