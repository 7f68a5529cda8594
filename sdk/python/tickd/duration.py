"""The one duration syntax of tickd, as sdk/include/tickd/duration.hpp reads it:
"250ms", "30s", "5m", "1h", "1d", or a plain number of seconds ("10", "0.25").
The rules are the C++ ones exactly (tests/sdk/config_cases.json holds the cases
both test).
"""

from __future__ import annotations

import math
from typing import Optional

MAX_DURATION_MS = 3_200_000_000_000  # a century: kMaxDurationMs

# "ms" must be tried before "m" and "s".
_UNITS = (("ms", 1.0), ("s", 1000.0), ("m", 60_000.0), ("h", 3_600_000.0), ("d", 86_400_000.0))


def _is_plain_decimal(text: str) -> bool:
    """ASCII digits with at most one dot: float() alone would take "inf", "1e9", "1_000", spaces and signs."""
    digit = dot = False
    for c in text:
        if "0" <= c <= "9":
            digit = True
        elif c == "." and not dot:
            dot = True
        else:
            return False
    return digit


def llround(x: float) -> int:
    """C's llround: halves away from zero (Python's round() goes to even)."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def parse_duration_ms(text: str) -> Optional[int]:
    """Milliseconds, rounded to the nearest; None for anything malformed or negative."""
    scale = 1000.0  # no suffix: seconds
    number = text
    for suffix, ms in _UNITS:
        if len(text) > len(suffix) and text.endswith(suffix):
            number = text[:-len(suffix)]
            scale = ms
            break
    if not _is_plain_decimal(number):
        return None
    value = float(number) * scale
    if not value >= 0 or value > float(MAX_DURATION_MS):
        return None
    return llround(value)


def format_duration(ms: int) -> str:
    """The shortest exact spelling: 86400000 -> "1d", 90000 -> "90s", 1500 -> "1500ms"."""
    if ms > 0 and ms % 86_400_000 == 0:
        return f"{ms // 86_400_000}d"
    if ms > 0 and ms % 3_600_000 == 0:
        return f"{ms // 3_600_000}h"
    if ms > 0 and ms % 60_000 == 0:
        return f"{ms // 60_000}m"
    if ms % 1000 == 0:
        return f"{ms // 1000}s"
    return f"{ms}ms"
