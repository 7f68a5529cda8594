"""Checking a ``config:`` block against an observer's schema (tickd.schema): the
twin of the C++ SDK's tickd/config_validation.hpp, with the same rules, the
same messages and the same normalization, except that a duration is handed
over as a datetime.timedelta (C++ gets "<milliseconds>ms" and reads it as a
std::chrono duration):
- absent keys with a default get it; absent objects get their defaults;
- a value written as text where a number or boolean is declared (as ``${ENV}``
  substitution always produces) becomes that number or boolean, and an integer
  where text is declared becomes its digits.

The runtime checks ``host.config`` before ``start()`` and tells the daemon what
is wrong (which shows it at the key's YAML file:line:column);
``tickd.testing.FakeHost.start`` does the same in unit tests.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, List, Optional

from .duration import MAX_DURATION_MS, format_duration, llround, parse_duration_ms

_INT64_MIN, _INT64_MAX = -(1 << 63), (1 << 63) - 1
_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+\Z")
# What C's strtod reads whole, less infinities and NaN (never finite, so refused anyway).
_DECIMAL_TEXT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")
_HEX_TEXT = re.compile(r"[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][+-]?[0-9]+)?\Z")
_C_SPACE = " \t\n\v\f\r"


def _range_rule(noun: str, type_: dict, text, unbounded: str) -> str:
    """What a value of a ranged integer or duration key must be, in the C++ schema's words."""
    lo, hi = "min" in type_, "max" in type_
    if lo and hi:
        return f"{noun} from {text(type_['min'])} to {text(type_['max'])}"
    if lo:
        return f"{noun} of at least {text(type_['min'])}"
    if hi:
        return f"{noun} of at most {text(type_['max'])}"
    return unbounded


@dataclass
class ConfigProblem:
    pointer: str  # JSON pointer of the value; for a missing key, of its object
    at_key: bool  # an unknown key: the key's own position is the one to show
    message: str  # names the key with its full path, e.g. "'config.above' must be ..."


@dataclass
class ValidatedConfig:
    value: Any = None
    problems: List[ConfigProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return "; ".join(p.message for p in self.problems)


class ConfigError(ValueError):
    """An observer's config does not match its schema; ``problems`` says where and why."""

    def __init__(self, problems: List[ConfigProblem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def pointer_token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _shown(v: Any) -> str:
    if v is None:
        return "nothing"
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, str):
        return f"'{v}'"
    if isinstance(v, _dt.timedelta):
        return format_duration(llround(v.total_seconds() * 1000))
    return json.dumps(v)


def _number_text(x: float) -> str:
    if x == math.floor(x) and abs(x) < 1e15:
        return str(int(x))
    return repr(float(x))


def _lower(c: str) -> str:
    return c.lower() if c.isascii() else c


def _edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, as tickd/did_you_mean.hpp."""
    n, m = len(a), len(b)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n + 1):
        d[i][0] = i
    for j in range(m + 1):
        d[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost = 0 if _lower(a[i - 1]) == _lower(b[j - 1]) else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and _lower(a[i - 1]) == _lower(b[j - 2]) and _lower(a[i - 2]) == _lower(b[j - 1]):
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[n][m]


def did_you_mean(word: str, candidates: List[str]) -> str:
    limit = 1 if len(word) <= 3 else 2 if len(word) <= 6 else 3
    best, best_distance = "", limit + 1
    for candidate in candidates:
        distance = _edit_distance(word, candidate)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return f" (did you mean '{best}'?)" if best else ""


class _Validator:
    def __init__(self, problems: List[ConfigProblem]):
        self.problems = problems

    def check(self, type_: dict, value: Any, ptr: str, path: str) -> Any:
        kind = type_.get("type", "any")
        checks = {"string": self._string, "integer": self._integer, "number": self._number,
                  "boolean": self._boolean, "duration": self._duration, "choice": self._choice,
                  "list": self._list, "map": self._map, "variant": self._variant}
        if kind in checks:
            return checks[kind](type_, value, ptr, path)
        if kind == "object":
            return self._object(type_.get("keys", []), value, ptr, path, "")
        if kind != "any":
            self._add(ptr, f"'{path}' has the unknown schema type '{kind}' (a plugin bug)")
        return value

    def _add(self, ptr: str, message: str, at_key: bool = False) -> None:
        self.problems.append(ConfigProblem(ptr, at_key, message))

    def _must_be(self, ptr: str, path: str, rule: str, value: Any) -> None:
        self._add(ptr, f"'{path}' must be {rule}, got {_shown(value)}")
        return None

    def _string(self, type_: dict, value: Any, ptr: str, path: str) -> Any:
        if isinstance(value, str):
            text = value
        elif _is_int(value):
            text = str(value)
        else:
            return self._must_be(ptr, path, "a string", value)
        size = len(text.encode())  # bytes, as the C++ check counts them
        low, high = type_.get("min", 0), type_.get("max", _INT64_MAX)
        if size < low:
            self._add(ptr, f"'{path}' must not be empty" + (f" (at least {low} characters)" if low > 1 else ""))
            return None
        if size > high:
            self._add(ptr, f"'{path}' must be at most {high} characters long")
            return None
        return text

    @staticmethod
    def _integer_of(value: Any) -> Optional[int]:
        if _is_int(value):
            return value if _INT64_MIN <= value <= _INT64_MAX else None
        if isinstance(value, str) and _INTEGER_TEXT.match(value):
            n = int(value)
            return n if _INT64_MIN <= n <= _INT64_MAX else None
        return None

    def _integer(self, type_: dict, value: Any, ptr: str, path: str) -> Any:
        n = self._integer_of(value)
        if n is None or ("min" in type_ and n < type_["min"]) or ("max" in type_ and n > type_["max"]):
            return self._must_be(ptr, path, _range_rule("an integer", type_, json.dumps, "an integer"), value)
        return n

    def _number(self, type_: dict, value: Any, ptr: str, path: str) -> Any:
        x = math.nan
        if _is_number(value):
            x = float(value)
        elif isinstance(value, str) and value and value[0] not in _C_SPACE:
            if _DECIMAL_TEXT.match(value):
                x = float(value)
            elif _HEX_TEXT.match(value):
                sign = -1.0 if value[0] == "-" else 1.0
                x = sign * float.fromhex(value.lstrip("+-"))
        ok = math.isfinite(x)
        if ok and "min" in type_:
            ok = x > type_["min"] if type_.get("exclusive_min", False) else x >= type_["min"]
        if ok and "max" in type_:
            ok = x < type_["max"] if type_.get("exclusive_max", False) else x <= type_["max"]
        if not ok:
            low = high = ""
            if "min" in type_:
                low = ("above " if type_.get("exclusive_min", False) else "at least ") + _number_text(type_["min"])
            if "max" in type_:
                high = ("below " if type_.get("exclusive_max", False) else "at most ") + _number_text(type_["max"])
            rule = "a number" + (f" {low} and {high}" if low and high else f" {low}{high}" if low or high else "")
            return self._must_be(ptr, path, rule, value)
        return x

    def _boolean(self, type_: dict, value: Any, ptr: str, path: str) -> Any:
        if isinstance(value, bool):
            return value
        if value in ("true", "True", "TRUE"):
            return True
        if value in ("false", "False", "FALSE"):
            return False
        return self._must_be(ptr, path, "true or false", value)

    def _duration(self, type_: dict, value: Any, ptr: str, path: str) -> Any:
        ms = None
        if isinstance(value, _dt.timedelta):  # already checked once (a normalized block)
            value = value.total_seconds()
        if _is_number(value):
            seconds = float(value)
            if seconds >= 0 and seconds * 1000 <= float(MAX_DURATION_MS):
                ms = llround(seconds * 1000)
        elif isinstance(value, str):
            ms = parse_duration_ms(value)
        lo, hi = "min" in type_, "max" in type_
        rule = _range_rule(
            "a duration", type_, format_duration, "a duration such as 250ms, 30s, 5m, 1h, 1d or a number of seconds"
        )
        if ms is None or (lo and ms < type_["min"]) or (hi and ms > type_["max"]):
            return self._must_be(ptr, path, rule, value)
        return _dt.timedelta(milliseconds=ms)

    def _choice(self, type_: dict, value: Any, ptr: str, path: str) -> Any:
        values = list(type_.get("values", []))
        if isinstance(value, str) and value in values:
            return value
        hint = did_you_mean(value, values) if isinstance(value, str) else ""
        self._add(ptr, f"'{path}' must be one of {', '.join(values)}, got {_shown(value)}{hint}")
        return None

    def _list(self, type_: dict, value: Any, ptr: str, path: str) -> Any:
        if value is None:
            value = []
        if not isinstance(value, list):
            return self._must_be(ptr, path, "a list", value)
        item_type = type_.get("items", {"type": "any"})
        out = [self.check(item_type, item, f"{ptr}/{i}", f"{path}[{i}]") for i, item in enumerate(value)]
        low = type_.get("min", 0)
        if len(value) < low:
            self._add(ptr, f"'{path}' must list at least {low} {'item' if low == 1 else 'items'}")
        if "max" in type_ and len(value) > type_["max"]:
            self._add(ptr, f"'{path}' must list at most {json.dumps(type_['max'])} items")
        return out

    def _map(self, type_: dict, value: Any, ptr: str, path: str) -> Any:
        if value is None:
            return {}
        if not isinstance(value, dict):
            return self._must_be(ptr, path, "a mapping", value)
        value_type = type_.get("values", {"type": "any"})
        # Sorted, as the C++ check (a std::map) visits them: the same problems in the same order.
        return {k: self.check(value_type, value[k], f"{ptr}/{pointer_token(k)}", f"{path}.{k}") for k in sorted(value)}

    def _object(self, keys: list, value: Any, ptr: str, path: str, extra_key: str, context: str = "") -> Any:
        if value is None:
            value = {}
        if not isinstance(value, dict):
            return self._must_be(ptr, path, "a mapping", value)
        names = [k.get("name", "") for k in keys] + ([extra_key] if extra_key else [])
        out = {}
        for key in sorted(value):
            if key not in names:
                where = f" in '{path}'" if path else ""
                self._add(f"{ptr}/{pointer_token(key)}",
                          f"unknown key '{key}'{where}{context}{did_you_mean(key, names)}", True)
        if extra_key and extra_key in value:
            out[extra_key] = value[extra_key]
        for key in keys:
            name = key.get("name", "")
            child_ptr = f"{ptr}/{pointer_token(name)}"
            child_path = f"{path}.{name}" if path else name
            if name in value:
                out[name] = self.check(key, value[name], child_ptr, child_path)
            elif key.get("required", False):
                self._add(ptr, f"'{child_path}' is required{context}")
            elif "default" in key:
                bad: List[ConfigProblem] = []
                out[name] = _Validator(bad).check(key, key["default"], child_ptr, child_path)
                for p in bad:
                    self._add(ptr, f"the default of {p.message} (a plugin bug)")
            elif key.get("type") in ("object", "list", "map"):
                # An absent mapping or list reads as an empty one, with its defaults,
                # unless that leaves a required key out (then it stays absent).
                bad = []
                filled = _Validator(bad).check(key, None, child_ptr, child_path)
                if not bad:
                    out[name] = filled
        return out

    def _variant(self, type_: dict, value: Any, ptr: str, path: str) -> Any:
        if not isinstance(value, dict):
            return self._must_be(ptr, path, "a mapping", value)
        tag = type_.get("tag", "type")
        shapes = type_.get("variants", [])
        names = [v.get("name", "") for v in shapes]
        rule = "one of " + ", ".join(names)
        tag_path = f"{path}.{tag}"
        if tag not in value:
            self._add(ptr, f"'{tag_path}' is required ({rule})")
            return None
        chosen = value[tag]
        for v in shapes:
            if isinstance(chosen, str) and v.get("name", "") == chosen:
                return self._object(v.get("keys", []), value, ptr, path, tag, f" for {tag} {chosen}")
        hint = did_you_mean(chosen, names) if isinstance(chosen, str) else ""
        self._add(f"{ptr}/{pointer_token(tag)}", f"'{tag_path}' must be {rule}, got {_shown(chosen)}{hint}")
        return None


def validate_config(schema: Any, config: Any, path: str = "config") -> ValidatedConfig:
    """Checks ``config`` against ``schema`` (a tickd.schema.ConfigSchema or its JSON).
    ``path`` names the block in messages."""
    schema_json = schema.to_json() if hasattr(schema, "to_json") else schema
    out = ValidatedConfig()
    try:
        out.value = _Validator(out.problems).check(schema_json, {} if config is None else config, "", path)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        # A malformed schema is the observer's bug, said as such.
        out.problems.append(ConfigProblem("", False, f"'{path}': the observer's config schema is malformed "
                                                       f"(a plugin bug): {e}"))
    if not out.ok:
        out.value = None
    return out


def check_config(observer_class: Any, config: Any) -> dict:
    """The block as the observer gets it: checked against ``observer_class.config_schema`` and with its
    defaults filled in; unchanged when the class declares none. Raises ConfigError."""
    schema = getattr(observer_class, "config_schema", None)
    if schema is None:
        return dict(config or {})
    checked = validate_config(schema, config)
    if not checked.ok:
        raise ConfigError(checked.problems)
    return checked.value
