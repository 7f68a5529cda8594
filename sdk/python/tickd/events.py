"""The event types of tickd: Tick, Candle, Signal.

Their fields are those of "Event JSON, version 1" (docs/PROCESS_OBSERVERS.md),
the one wire form the daemon writes. Times are UTC milliseconds since the Unix
epoch (``time``, ``open_time``); the ``*_datetime`` properties give them as
timezone-aware datetimes.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from typing import Any, Optional

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)

#: Interval names and their lengths in seconds (1d and 1w are session days and weeks).
INTERVALS = {
    "1s": 1, "5s": 5, "15s": 15, "30s": 30, "1m": 60, "3m": 180, "5m": 300, "15m": 900,
    "30m": 1800, "1h": 3600, "2h": 7200, "4h": 14400, "1d": 86400, "1w": 604800,
}
SIDES = ("buy", "sell", "neutral", "unknown")


def ms_to_datetime(ms: int) -> _dt.datetime:
    """UTC milliseconds -> an aware datetime, exact to the millisecond."""
    return _EPOCH + _dt.timedelta(milliseconds=ms)


def datetime_to_ms(when: _dt.datetime) -> int:
    """An aware datetime -> UTC milliseconds. Naive datetimes are refused."""
    if when.tzinfo is None:
        raise ValueError("naive datetime: give it a timezone (e.g. datetime.timezone.utc)")
    delta = when - _EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


class WireError(ValueError):
    """A message that is not a valid version-1 event."""


def _need(d: dict, key: str, kind) -> Any:
    if key not in d:
        raise WireError(f"missing field '{key}'")
    value = d[key]
    if kind is float:
        if value is None:
            return float("nan")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise WireError(f"field '{key}' must be a number")
        return float(value)
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise WireError(f"field '{key}' must be an integer")
        return value
    if not isinstance(value, kind):
        raise WireError(f"field '{key}' must be {kind.__name__}")
    return value


def _number(value: float) -> Any:
    # JSON has no NaN or infinity: written null, as the C++ codec does.
    return value if value == value and value not in (float("inf"), float("-inf")) else None


@dataclass(slots=True)
class Tick:
    symbol: str
    time: int
    price: float
    quantity: float
    trade_id: int = -1
    trade_count: int = 1
    side: str = "unknown"

    @property
    def datetime(self) -> _dt.datetime:
        return ms_to_datetime(self.time)

    def to_wire(self) -> dict:
        return {"v": 1, "type": "tick", "symbol": self.symbol, "time": self.time,
                "price": _number(self.price), "quantity": _number(self.quantity),
                "trade_id": self.trade_id, "trade_count": self.trade_count, "side": self.side}

    @classmethod
    def from_wire(cls, d: dict) -> "Tick":
        return cls(_need(d, "symbol", str), _need(d, "time", int), _need(d, "price", float),
                   _need(d, "quantity", float), _need(d, "trade_id", int), _need(d, "trade_count", int),
                   _side(d))


@dataclass(slots=True)
class Candle:
    symbol: str
    interval: str
    open_time: int
    open: float
    high: float
    low: float
    close: float
    volume: float = 0.0
    quote_volume: float = 0.0
    vwap: float = 0.0
    trade_count: int = 0
    closed: bool = False
    partial: bool = False
    filled: bool = False

    @property
    def close_time(self) -> int:
        return self.open_time + INTERVALS[self.interval] * 1000

    @property
    def open_datetime(self) -> _dt.datetime:
        return ms_to_datetime(self.open_time)

    @property
    def close_datetime(self) -> _dt.datetime:
        return ms_to_datetime(self.close_time)

    def to_wire(self) -> dict:
        return {"v": 1, "type": "candle", "symbol": self.symbol, "interval": self.interval,
                "open_time": self.open_time, "close_time": self.close_time,
                "open": _number(self.open), "high": _number(self.high), "low": _number(self.low),
                "close": _number(self.close), "volume": _number(self.volume),
                "quote_volume": _number(self.quote_volume), "vwap": _number(self.vwap),
                "trade_count": self.trade_count, "closed": self.closed, "partial": self.partial,
                "filled": self.filled}

    @classmethod
    def from_wire(cls, d: dict) -> "Candle":
        interval = _need(d, "interval", str)
        if interval not in INTERVALS:
            raise WireError(f"field 'interval' must be an interval name, got '{interval}'")
        return cls(_need(d, "symbol", str), interval, _need(d, "open_time", int), _need(d, "open", float),
                   _need(d, "high", float), _need(d, "low", float), _need(d, "close", float),
                   _need(d, "volume", float), _need(d, "quote_volume", float), _need(d, "vwap", float),
                   _need(d, "trade_count", int), _need(d, "closed", bool), _need(d, "partial", bool),
                   _need(d, "filled", bool))


@dataclass(slots=True)
class Signal:
    symbol: str
    side: str = "neutral"
    time: int = 0
    interval: Optional[str] = None
    strength: float = 0.0
    price: float = 0.0
    source: str = ""  # empty: the daemon sets the observer's name
    text: str = ""

    @property
    def datetime(self) -> _dt.datetime:
        return ms_to_datetime(self.time)

    def to_wire(self) -> dict:
        if self.side not in SIDES:
            raise ValueError(f"side must be one of {', '.join(SIDES)}, got '{self.side}'")
        if self.interval is not None and self.interval not in INTERVALS:
            raise ValueError(f"unknown interval '{self.interval}'")
        text = self.text if isinstance(self.text, str) else json.dumps(self.text)
        d = {"v": 1, "type": "signal", "symbol": self.symbol, "time": int(self.time), "side": self.side,
             "strength": _number(float(self.strength)), "price": _number(float(self.price)),
             "source": self.source, "text": text}
        if self.interval is not None:
            d["interval"] = self.interval
        return d

    @classmethod
    def from_wire(cls, d: dict) -> "Signal":
        interval = d.get("interval")
        if interval is not None and interval not in INTERVALS:
            raise WireError(f"field 'interval' must be an interval name, got '{interval}'")
        return cls(_need(d, "symbol", str), _side(d), _need(d, "time", int), interval,
                   _need(d, "strength", float), _need(d, "price", float), _need(d, "source", str),
                   _need(d, "text", str))


def _side(d: dict) -> str:
    side = _need(d, "side", str)
    if side not in SIDES:
        raise WireError(f"field 'side' must be one of {', '.join(SIDES)}, got '{side}'")
    return side


_TYPES = {"tick": Tick, "candle": Candle, "signal": Signal}


def from_wire(d: dict):
    """A decoded JSON object -> Tick, Candle or Signal (WireError if it is none)."""
    if not isinstance(d, dict):
        raise WireError("expected a JSON object")
    if d.get("v") != 1:
        raise WireError(f"unsupported version {d.get('v')!r} (this reader knows 1)")
    cls = _TYPES.get(d.get("type"))
    if cls is None:
        raise WireError(f"unknown event type {d.get('type')!r} (tick, candle or signal)")
    return cls.from_wire(d)


def to_json(event) -> str:
    """An event as one line of Event JSON, version 1 (exact: floats keep their bits)."""
    return json.dumps(event.to_wire(), separators=(",", ":"), allow_nan=False, ensure_ascii=False)
