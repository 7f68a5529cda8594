"""The child's side of the process-observer protocol, versions 1 to 3 (JSON
lines on stdin and stdout; docs/PROCESS_OBSERVERS.md). ``run`` is what
``tickd.run`` calls: handshake (with the config checked), event loop, acknowledgements, history, status,
metrics, signals, stop.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections import deque
from typing import Callable, Deque, List, Optional, Type

from .config_check import ConfigProblem, validate_config
from .events import INTERVALS, Candle, Signal, Tick, WireError
from .metrics import Metrics
from .observer import Observer

PROTOCOL = 1  # the hello's base version
NEWEST = 3  # what this SDK speaks when the daemon offers it
CONFIG_ERRORS = 3  # the version that lets a child refuse its config (config_error)
_READ = 1 << 20
_LOADS = json.loads
_DUMPS = json.JSONEncoder(separators=(",", ":"), allow_nan=False, ensure_ascii=False).encode


class ProtocolError(RuntimeError):
    """The daemon sent something this SDK does not understand."""


class _Channel:
    """Lines in (with lines set aside while a history answer is awaited), lines out."""

    def __init__(self, in_fd: int, out_fd: int):
        self._in = in_fd
        self._out = out_fd
        self._partial = b""
        self.lines: Deque[bytes] = deque()
        self._pending: List[bytes] = []

    def read_more(self) -> bool:
        """Reads what stdin has (blocking until something); False at end of input."""
        data = os.read(self._in, _READ)
        if not data:
            return False
        parts = (self._partial + data).split(b"\n")
        self._partial = parts.pop()
        self.lines.extend(parts)
        return True

    def write(self, obj: dict) -> None:
        self._pending.append(_DUMPS(obj).encode() + b"\n")

    def flush(self) -> None:
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._pending.clear()
        view = memoryview(data)
        while view:
            n = os.write(self._out, view)
            view = view[n:]


class _ProcessHost:
    """The Host an observer gets when the daemon runs it."""

    def __init__(self, hello: dict, channel: _Channel):
        self.config = hello.get("config") or {}
        self.observer = hello.get("observer", "")
        self.symbols = list(hello.get("symbols", []))
        self.intervals = list(hello.get("intervals", []))
        self.history_capacity = hello.get("history_capacity", 0)
        self._channel = channel
        self._next_id = 1
        self.protocol = max([v for v in hello.get("protocols", [PROTOCOL]) if v <= NEWEST] or [PROTOCOL])

    def log(self, message: str, level: str = "info") -> None:
        self._channel.write({"type": "log", "level": level, "message": str(message)})

    def publish(self, signal: Signal) -> None:
        self._channel.write(signal.to_wire())

    def history(self, symbol: str, interval: str, limit: int = 0) -> List[Candle]:
        if interval not in INTERVALS:
            raise ValueError(f"unknown interval '{interval}'")
        request_id = self._request({"type": "history", "symbol": symbol, "interval": interval, "limit": int(limit)})
        msg, rows = self._await("history", request_id)
        if "error" in msg:
            raise LookupError(msg["error"])
        return [Candle.from_wire(_LOADS(r)) for r in rows]

    def status(self) -> dict:
        if self.protocol < 2:
            return {}  # a protocol-1 daemon has none to give
        msg, _ = self._await("status", self._request({"type": "status"}))
        return msg.get("status") or {}

    def _request(self, msg: dict) -> int:
        request_id = self._next_id
        self._next_id += 1
        msg["id"] = request_id
        self._channel.write(msg)
        self._channel.flush()
        return request_id

    def _await(self, kind: str, request_id: int):
        """The answer's first line and its rows ("count" lines after it)."""
        ch = self._channel
        # Lines already queued came before the answer; new ones are scanned for it.
        queued = len(ch.lines)
        while True:
            for i in range(queued, len(ch.lines)):
                msg = _LOADS(ch.lines[i])
                if msg.get("type") == kind and msg.get("id") == request_id and "v" not in msg:
                    count = msg.get("count", 0)
                    while len(ch.lines) < i + 1 + count:
                        if not ch.read_more():
                            raise ProtocolError(f"end of input inside a {kind} answer")
                    rows = [ch.lines[j] for j in range(i + 1, i + 1 + count)]
                    for _ in range(count + 1):
                        del ch.lines[i]
                    return msg, rows
            queued = len(ch.lines)
            if not ch.read_more():
                raise ProtocolError(f"end of input while waiting for a {kind} answer")


def _send_metrics(observer: Observer, channel: _Channel) -> None:
    m = Metrics()
    try:
        observer.metrics(m)
    except Exception:
        traceback.print_exc()
        m.lines.clear()
    channel.write({"type": "metrics", "count": len(m.lines)})
    for line in m.lines:
        channel.write(line)


def _fast_candle(d: dict) -> Candle:
    # The daemon's own output: trusted to be well-formed, built without checks.
    return Candle(d["symbol"], d["interval"], d["open_time"], d["open"], d["high"], d["low"], d["close"],
                  d["volume"], d["quote_volume"], d["vwap"], d["trade_count"], d["closed"], d["partial"],
                  d["filled"])


def _fast_tick(d: dict) -> Tick:
    return Tick(d["symbol"], d["time"], d["price"], d["quantity"], d["trade_id"], d["trade_count"], d["side"])


def run(observer_class: Type[Observer], *, in_fd: int = 0, out_fd: Optional[int] = None) -> int:
    """Runs one observer as a child of the daemon. Returns the exit status."""
    if out_fd is None:
        # The protocol keeps a private stdout; print() goes to stderr, which the
        # daemon logs under the observer's name, and cannot corrupt the protocol.
        out_fd = os.dup(1)
        os.dup2(2, 1)
        sys.stdout = sys.stderr
    channel = _Channel(in_fd, out_fd)
    while not channel.lines:
        if not channel.read_more():
            return 2
    hello = _LOADS(channel.lines.popleft())
    if hello.get("type") != "hello" or hello.get("protocol") != PROTOCOL:
        print(f"tickd: expected a protocol {PROTOCOL} hello, got {hello!r:.200}", file=sys.stderr)
        return 2
    host = _ProcessHost(hello, channel)
    schema = getattr(observer_class, "config_schema", None)
    if schema is not None:
        checked = validate_config(schema, host.config)
        if not checked.ok:
            return _refuse_config(checked.problems, channel, host.protocol)
        host.config = checked.value
    observer = observer_class()
    try:
        observer.start(host)
    except Exception:
        traceback.print_exc()
        channel.flush()
        return 2
    channel.write({"type": "ready", "protocol": host.protocol})
    channel.flush()

    on_candle: Callable = observer.on_candle
    on_tick: Callable = observer.on_tick
    on_signal: Callable = observer.on_signal
    lines = channel.lines
    handled = acked = 0
    write = channel.write
    try:
        while True:
            while lines:
                d = _LOADS(lines.popleft())
                kind = d.get("type")
                seq = d.get("seq", 0)
                try:
                    if kind == "candle":
                        on_candle(_fast_candle(d))
                    elif kind == "tick":
                        on_tick(_fast_tick(d))
                    elif kind == "signal":
                        on_signal(Signal.from_wire(d))
                    elif kind == "stop":
                        return _stop(observer, channel, handled, host.protocol)
                    elif kind == "metrics":
                        _send_metrics(observer, channel)
                        continue
                    else:
                        continue  # a control message this version does not need
                except (WireError, KeyError) as e:
                    raise ProtocolError(f"bad event from the daemon: {e}") from e
                except Exception as e:
                    traceback.print_exc()
                    write({"type": "error", "seq": seq, "message": f"{type(e).__name__}: {e}"})
                if seq:
                    handled = seq
            if handled != acked:
                write({"type": "ack", "seq": handled})
                acked = handled
            channel.flush()
            if not channel.read_more():
                return _stop(observer, channel, handled, host.protocol)
    except KeyboardInterrupt:
        return _stop(observer, channel, handled, host.protocol)


def _refuse_config(problems: List[ConfigProblem], channel: _Channel, protocol: int) -> int:
    """Tells the daemon what is wrong with the config, instead of starting: it shows each problem at its
    YAML position and suspends the observer (a restart would not fix it). An older daemon gets the
    problems on stderr, in the fault it logs."""
    if protocol >= CONFIG_ERRORS:
        channel.write({"type": "config_error", "count": len(problems)})
        for p in problems:
            channel.write({"type": "config_problem", "pointer": p.pointer, "at_key": p.at_key,
                           "message": p.message})
        channel.flush()
    else:
        for p in problems:
            print(f"tickd: {p.message}", file=sys.stderr)
    return 2


def _stop(observer: Observer, channel: _Channel, handled: int, protocol: int) -> int:
    status = 0
    try:
        observer.stop()
    except Exception:
        traceback.print_exc()
        status = 1
    if protocol >= 2:
        _send_metrics(observer, channel)  # the final figures
    channel.write({"type": "ack", "seq": handled})
    try:
        channel.flush()
    except OSError:
        pass
    return status
