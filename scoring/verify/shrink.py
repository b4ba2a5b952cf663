"""Shrinking a counterexample on the document's structure (delta debugging)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scoring.efforts.model import EffortsDocument
from scoring.verify.common import Data


#: Seconds spent shrinking a counterexample; the smallest found by then is kept.
SHRINK_SECONDS = 10.0


def _leaves(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of removable parts: facts, history entries, whole sections; deepest last."""
    out: list[tuple[Any, ...]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if not prefix and key in ("country", "iso3", "report_year"):
                continue
            out.append(prefix + (key,))
            out += _leaves(value, prefix + (key,)) if key != "evidence" else []
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.append(prefix + (i,))
    return out


def _without(data: Data, path: tuple[Any, ...]) -> Data | None:
    import copy

    out = copy.deepcopy(data)
    node: Any = out
    for part in path[:-1]:
        node = node[part]
    try:
        del node[path[-1]]
    except (KeyError, IndexError, TypeError):
        return None
    return out


def shrink(data: Data, fails: Callable[[Data], bool]) -> Data:
    """Greedy delta debugging: drop every part whose removal keeps the violation.

    Hypothesis' own shrinker spends minutes on documents this wide, so verify
    generates with hypothesis and shrinks here, on the document's structure.
    """
    import time

    deadline = time.monotonic() + SHRINK_SECONDS
    changed = True
    while changed and time.monotonic() < deadline:
        changed = False
        for path in sorted(_leaves(data), key=len):
            if time.monotonic() > deadline:
                break
            smaller = _without(data, path)
            if smaller is None or smaller == data:
                continue
            try:
                EffortsDocument.model_validate(smaller)
            except Exception:
                continue
            if fails(smaller):
                data, changed = smaller, True
                break
    return data
