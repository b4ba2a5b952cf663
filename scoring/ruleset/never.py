"""Conditions that can never be met, found by interval reasoning on literals.

Catches the common slips: ``convictions < 0`` (counts are never negative), an
``all`` that asks for ``x > 5`` and ``x < 3``, ``== true`` and ``== false`` on
the same flag, an empty ``in``.
"""

from __future__ import annotations

import math

from scoring.efforts.facts import catalog
from scoring.ruleset import ast


def never_fires(node: ast.Condition) -> str | None:
    """Why ``node`` can never be met, or None if it might be."""
    if isinstance(node, ast.Compare):
        return _impossible_compare(node)
    if isinstance(node, ast.Any_):
        reasons = [never_fires(item) for item in node.items]
        return reasons[0] if all(reasons) else None
    if isinstance(node, ast.All):
        for item in node.items:
            if reason := never_fires(item):
                return reason
        return _contradiction(node.items)
    return None


def _impossible_compare(node: ast.Compare) -> str | None:
    spec = catalog().get(node.fact)
    if spec is None or isinstance(node.value, ast.FactRef):
        return None
    if node.op == "in" and not node.value:
        return f"{node.fact} in an empty list"
    if spec.is_numeric and not isinstance(node.value, (tuple, bool)) and isinstance(node.value, (int, float)):
        low, high = _interval(node.op, node.value)
        if high < 0 or (high == 0 and node.op == "<"):
            return f"{node.fact} {node.op} {node.value}: the value is never negative"
        del low
    return None


def _interval(op: str, value: float) -> tuple[float, float]:
    return {
        ">": (value, math.inf), ">=": (value, math.inf), "<": (-math.inf, value), "<=": (-math.inf, value),
        "==": (value, value), "!=": (-math.inf, math.inf),
    }[op]


def _contradiction(items: tuple[ast.Condition, ...]) -> str | None:
    bounds: dict[str, list[tuple[str, float]]] = {}
    equal: dict[str, set[object]] = {}
    for item in items:
        if not isinstance(item, ast.Compare) or isinstance(item.value, (ast.FactRef, tuple)):
            continue
        if item.op == "==":
            equal.setdefault(item.fact, set()).add(item.value)
        if isinstance(item.value, (int, float)) and not isinstance(item.value, bool) and item.op != "!=":
            bounds.setdefault(item.fact, []).append((item.op, item.value))
    for fact, values in equal.items():
        if len(values) > 1:
            return f"{fact} cannot equal {' and '.join(map(repr, sorted(values, key=repr)))} at once"
    for fact, limits in bounds.items():
        if _empty(limits):
            return f"no value of {fact} satisfies {' and '.join(f'{op} {v}' for op, v in limits)}"
    return None


def _empty(limits: list[tuple[str, float]]) -> bool:
    low, low_open, high, high_open = -math.inf, False, math.inf, False
    for op, value in limits:
        if op in (">", ">=", "==") and (value > low or (value == low and op == ">")):
            low, low_open = value, op == ">"
        if op in ("<", "<=", "==") and (value < high or (value == high and op == "<")):
            high, high_open = value, op == "<"
    return low > high or (low == high and (low_open or high_open))
