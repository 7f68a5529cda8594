"""What an observer reports about itself: the twin of the C++ SDK's
tickd/metrics.hpp. Override ``Observer.metrics(self, m)`` and report counters,
gauges, losses; the daemon shows them in /health, /metrics and ``tickd stats``
under the observer's name (protocol 2, docs/PROCESS_OBSERVERS.md).

    def metrics(self, m):
        m.counter("alerts_sent", "Alerts published", self.sent)
        m.loss("alerts_dropped", "Alerts given up on", self.dropped)
"""

from __future__ import annotations

import re
from typing import List, Optional

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


class Metrics:
    def __init__(self) -> None:
        self.lines: List[dict] = []

    def counter(self, name: str, help: str, value: float) -> None:
        """Only grows."""
        self._add(name, help, "counter", False, value)

    def gauge(self, name: str, help: str, value: float) -> None:
        self._add(name, help, "gauge", False, value)

    def loss(self, name: str, help: str, value: float) -> None:
        """A counter of records lost: counted into the observer's ``lost``."""
        self._add(name, help, "counter", True, value)

    def at_risk(self, name: str, help: str, value: float) -> None:
        """A gauge of records held and not yet safe (a buffer)."""
        self._add(name, help, "gauge", True, value)

    def labelled(self, name: str, help: str, kind: str, value: float, label: str, label_value: str,
                 loss: bool = False) -> None:
        """Any of the above with one label, e.g. per connection."""
        self._add(name, help, kind, loss, value, label, label_value)

    def _add(self, name: str, help: str, kind: str, loss: bool, value: float, label: Optional[str] = None,
             label_value: str = "") -> None:
        if not _NAME.match(name):
            raise ValueError(f"metric name '{name}' must match [a-z][a-z0-9_]*")
        if kind not in ("counter", "gauge"):
            raise ValueError("kind must be counter or gauge")
        line = {"type": "metric", "name": name, "help": str(help), "kind": kind, "loss": bool(loss),
                "value": float(value)}
        if label:
            line["label"] = str(label)
            line["label_value"] = str(label_value)
        self.lines.append(line)
