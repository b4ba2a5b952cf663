"""Evaluation order of determinations and tables: dependencies first, stable."""

from __future__ import annotations

from typing import Any

from scoring.ruleset import ast
from scoring.ruleset.walk import refs_read, rule_conditions


def dependencies(node: Any, known: set[str]) -> list[str]:
    """Ids of determinations/tables ``node`` reads (criteria are always earlier)."""
    deps: dict[str, None] = {}
    for condition in rule_conditions(node):
        for ref in refs_read(condition):
            if ref in known and ref != getattr(node, "id", None):
                deps[ref] = None
            elif ref == node.id:
                deps[ref] = None
    return list(deps)


def topological_order(decisions: list[Any]) -> tuple[list[str], list[str]]:
    """(order, cycle): definition order where possible; a cycle's ids if there is one."""
    ids = [d.id for d in decisions]
    known = set(ids)
    deps = {d.id: set(dependencies(d, known)) for d in decisions}
    order: list[str] = []
    done: set[str] = set()
    while len(order) < len(ids):
        ready = next((i for i in ids if i not in done and deps[i] <= done), None)
        if ready is None:
            return order, _find_cycle(deps, done)
        order.append(ready)
        done.add(ready)
    return order, []


def _find_cycle(deps: dict[str, set[str]], done: set[str]) -> list[str]:
    start = next(i for i in deps if i not in done)
    path: list[str] = []
    node = start
    while node not in path:
        path.append(node)
        node = sorted(deps[node] - done)[0]
    return path[path.index(node):]
