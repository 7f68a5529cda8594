"""Declaring the keys of an observer's ``config:`` block: the twin of the C++
SDK's tickd/config_schema.hpp, with the same words and the same JSON.

    from tickd import schema as s

    class Alert(tickd.Observer):
        config_schema = s.ConfigSchema(
            s.number("above", "Alert when a close is over this price").required(),
            s.duration("cooldown", "Quiet time after an alert").default_value("5m"),
            s.choice("side", ["buy", "sell"], "Side of the signal").default_value("buy"),
            s.integer("window", "Candles averaged").default_value(20).range(1, 1000),
            s.list("symbols", s.string(), "Symbols to watch; empty: all"),
        )

The SDK checks ``host.config`` against it before ``start()`` (tickd.config_check)
and hands the observer the block with its defaults filled in; the daemon shows
each problem at its YAML file:line:column.

The builders are named as in C++ (``list``, ``map``, ``object``, ``any``), so
import the module (``from tickd import schema as s``) rather than its names.
"""

from __future__ import annotations

import builtins
import copy
from typing import Any, Dict, Iterable, Optional

from .duration import parse_duration_ms

SCHEMA_FORMAT = 1  # written as "tickd_config_schema", as kConfigSchemaFormat in C++


class ConfigKey:
    """One key of an object, or the type of a list's items or a map's values (no name)."""

    def __init__(self, type_: str, name: str = "", description: str = ""):
        self.node: Dict[str, Any] = {"type": type_}
        if name:
            self.node["name"] = name
        if description:
            self.node["description"] = description

    def required(self) -> "ConfigKey":
        """The key must be present (no default)."""
        self.node["required"] = True
        return self

    def default_value(self, value: Any) -> "ConfigKey":
        """Written as it would be in the YAML: a duration as "1s", a choice as its name."""
        self.node["default"] = value
        return self

    def min(self, value: Any) -> "ConfigKey":
        """Inclusive: integer and number values, durations ("1ms"), string and list lengths."""
        self.node["min"] = self._bound(value)
        return self

    def max(self, value: Any) -> "ConfigKey":
        self.node["max"] = self._bound(value)
        return self

    def range(self, low: Any, high: Any) -> "ConfigKey":
        return self.min(low).max(high)

    def above(self, value: float) -> "ConfigKey":
        """Exclusive lower bound of a number: above(0) for "a positive number"."""
        self.node["min"] = float(value)
        self.node["exclusive_min"] = True
        return self

    def below(self, value: float) -> "ConfigKey":
        self.node["max"] = float(value)
        self.node["exclusive_max"] = True
        return self

    def non_empty(self) -> "ConfigKey":
        """A string or list that must not be empty."""
        return self.min(1)

    def to_json(self) -> Dict[str, Any]:
        return copy.deepcopy(self.node)

    def _bound(self, value: Any) -> Any:
        if self.node["type"] == "duration" and isinstance(value, str):
            ms = parse_duration_ms(value)
            if ms is None:
                raise ValueError(f"config schema: bad duration bound {value!r}")
            return ms
        return value


class ConfigSchema:
    """The keys of an observer's ``config:`` block."""

    def __init__(self, *keys: ConfigKey):
        self.keys = builtins.list(keys)

    def add(self, key: ConfigKey) -> "ConfigSchema":
        self.keys.append(key)
        return self

    def to_json(self) -> Dict[str, Any]:
        return {"tickd_config_schema": SCHEMA_FORMAT, "type": "object", "keys": [k.to_json() for k in self.keys]}


class Variant:
    """One shape of a discriminated object: when the tag key names it, these are its other keys."""

    def __init__(self, name: str, description: str, keys: Iterable[ConfigKey]):
        self.name = name
        self.description = description
        self.keys = builtins.list(keys)


def _with(key: ConfigKey, field: str, value: Any) -> ConfigKey:
    key.node[field] = value
    return key


def string(name: str = "", description: str = "") -> ConfigKey:
    return ConfigKey("string", name, description)


def integer(name: str = "", description: str = "") -> ConfigKey:
    return ConfigKey("integer", name, description)


def number(name: str = "", description: str = "") -> ConfigKey:
    return ConfigKey("number", name, description)


def boolean(name: str = "", description: str = "") -> ConfigKey:
    return ConfigKey("boolean", name, description)


def duration(name: str = "", description: str = "") -> ConfigKey:
    """ "250ms", "30s", "5m", "1h", "1d" or a number of seconds; the observer gets a datetime.timedelta."""
    return ConfigKey("duration", name, description)


def choice(name_or_values: Any, values: Optional[Iterable[str]] = None, description: str = "") -> ConfigKey:
    """One of a fixed set of words: choice("format", ["text", "json"], "...") or choice(["a", "b"])."""
    if values is None:
        return _with(ConfigKey("choice"), "values", builtins.list(name_or_values))
    return _with(ConfigKey("choice", name_or_values, description), "values", builtins.list(values))


def list(name_or_item: Any, item: Optional[ConfigKey] = None, description: str = "") -> ConfigKey:  # noqa: A001
    """A list whose items all have the type ``item``; absent or empty YAML reads as []."""
    if item is None:
        return _with(ConfigKey("list"), "items", name_or_item.to_json())
    return _with(ConfigKey("list", name_or_item, description), "items", item.to_json())


def object(name_or_keys: Any, keys: Optional[Iterable[ConfigKey]] = None,  # noqa: A001
           description: str = "") -> ConfigKey:
    """A nested mapping with declared keys."""
    if keys is None:
        return _with(ConfigKey("object"), "keys", [k.to_json() for k in name_or_keys])
    return _with(ConfigKey("object", name_or_keys, description), "keys", [k.to_json() for k in keys])


def map(name: str, value: ConfigKey, description: str = "") -> ConfigKey:  # noqa: A001
    """A mapping with keys of the user's choosing, each value of type ``value``."""
    return _with(ConfigKey("map", name, description), "values", value.to_json())


def any(name: str, description: str = "") -> ConfigKey:  # noqa: A001
    """Anything at all, handed to the observer as it was written."""
    return ConfigKey("any", name, description)


def variants(name: str, tag: str, shapes: Iterable[Variant], description: str = "") -> ConfigKey:
    """A mapping whose ``tag`` key (e.g. "type") selects which keys it may have."""
    key = _with(ConfigKey("variant", name, description), "tag", tag)
    key.node["variants"] = [{"name": v.name, "description": v.description, "keys": [k.to_json() for k in v.keys]}
                            for v in shapes]
    return key
