"""A checked ruleset as plain JSON data and back, for the on-disk cache.

Only data crosses this boundary: dataclass nodes are written as their class
name plus field values, and read back only into the classes of
``scoring.ruleset.ast`` (a closed list). Anything else in the data is an
error, so a damaged cache entry is refused, never half-trusted.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from scoring.ruleset import ast

_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (ast.Where, ast.FactRef, ast.Compare, ast.Known, ast.Always, ast.All, ast.Any_, ast.Not, ast.Met,
                ast.StatusIn, ast.AtLeast, ast.Score, ast.OutputIn, ast.Citation, ast.Criterion, ast.Determination, ast.NamedCondition,
                ast.Row, ast.Table, ast.Parameters, ast.Ruleset)
}
_FIELDS = {name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in _CLASSES.items()}


class DataError(ValueError):
    """The data is not a ruleset this module wrote."""


def to_data(value: Any) -> Any:
    """JSON-ready data: scalars as they are, containers and nodes tagged with their type."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple):
        return {"t": [to_data(v) for v in value]}
    if isinstance(value, list):
        return {"l": [to_data(v) for v in value]}
    if isinstance(value, frozenset):
        return {"s": sorted((to_data(v) for v in value), key=repr)}
    if isinstance(value, dict):
        return {"d": [[to_data(k), to_data(v)] for k, v in value.items()]}
    name = type(value).__name__
    if _CLASSES.get(name) is type(value):
        return {"@": name, "f": [to_data(getattr(value, f)) for f in _FIELDS[name]]}
    raise TypeError(f"cannot store {type(value).__name__} in the ruleset cache")


def from_data(data: Any) -> Any:
    """The value ``to_data`` was given; raises ``DataError`` on anything it would not write."""
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if not isinstance(data, dict) or len(data) not in (1, 2):
        raise DataError(f"unexpected {type(data).__name__}")
    if "@" in data:
        cls, values = _CLASSES.get(data["@"]), data.get("f")
        if cls is None or not isinstance(values, list) or len(values) != len(_FIELDS[data["@"]]):
            raise DataError(f"unexpected node {data['@']!r}")
        try:
            return cls(*(from_data(v) for v in values))
        except TypeError as err:
            raise DataError(str(err)) from None
    (tag, items), = data.items()
    if not isinstance(items, list):
        raise DataError(f"unexpected {tag!r} container")
    if tag == "t":
        return tuple(from_data(v) for v in items)
    if tag == "l":
        return [from_data(v) for v in items]
    if tag == "s":
        return frozenset(from_data(v) for v in items)
    if tag == "d" and all(isinstance(kv, list) and len(kv) == 2 for kv in items):
        return {from_data(k): from_data(v) for k, v in items}
    raise DataError(f"unexpected container {tag!r}")
