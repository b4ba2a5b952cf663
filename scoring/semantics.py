"""What a condition means: three-valued (Kleene) evaluation, defined once.

``met`` / ``unmet`` / ``unknown``: a fact the report does not give makes a
comparison unknown, never false. ``any(met, unknown)`` is met,
``all(met, unknown)`` is unknown, ``not`` swaps met and unmet. Scores compare
against bounds: with unknown criteria counted as unmet (pessimistic) and as met
(optimistic); the comparison is decided only when both bounds agree. All
arithmetic is on integers (percent x weight), so nothing divides.

The reference evaluator, the static table analysis and explanation soundness
all use this module; the durable-rules compiler must agree with it (tested).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from scoring.ruleset import ast

Status = ast.Status
MET: Status = "met"
UNMET: Status = "unmet"
UNKNOWN: Status = "unknown"

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
}


def truth(value: bool) -> Status:
    return MET if value else UNMET


def kleene_all(statuses: list[Status]) -> Status:
    if UNMET in statuses:
        return UNMET
    return UNKNOWN if UNKNOWN in statuses else MET


def kleene_any(statuses: list[Status]) -> Status:
    if MET in statuses:
        return MET
    return UNKNOWN if UNKNOWN in statuses else UNMET


def kleene_not(status: Status) -> Status:
    return {MET: UNMET, UNMET: MET, UNKNOWN: UNKNOWN}[status]


@dataclass(frozen=True)
class Tally:
    """Weights of a pillar's criteria by status."""

    met: int = 0
    unknown: int = 0
    total: int = 0


def score_status(tally: Tally, op: str, threshold: int) -> Status:
    """Compare a weighted score with a percent threshold, unknowns as bounds."""
    if tally.total == 0:
        return UNKNOWN
    low, high, bar = 100 * tally.met, 100 * (tally.met + tally.unknown), threshold * tally.total
    if op in (">=", ">"):
        cmp = _OPS[op]
        return MET if cmp(low, bar) else (UNMET if not cmp(high, bar) else UNKNOWN)
    cmp = _OPS[op]
    return MET if cmp(high, bar) else (UNMET if not cmp(low, bar) else UNKNOWN)


def compare(op: str, left: Any, right: Any) -> bool:
    if op == "in":
        return left in right
    return _OPS[op](left, right)


class Env(Protocol):
    """Where a condition's leaves get their values."""

    def fact(self, path: str) -> Any | None: ...
    def status(self, ref: str) -> Status: ...
    def tally(self, pillar: str) -> Tally: ...
    def output(self, table: str, column: str) -> str | None: ...


def evaluate(node: ast.Condition, env: Env) -> Status:
    """The status of ``node`` in ``env``."""
    if isinstance(node, ast.All):
        return kleene_all([evaluate(item, env) for item in node.items])
    if isinstance(node, ast.Any_):
        return kleene_any([evaluate(item, env) for item in node.items])
    if isinstance(node, ast.Not):
        return kleene_not(evaluate(node.item, env))
    return evaluate_leaf(node, env)


def evaluate_leaf(node: ast.Condition, env: Env) -> Status:
    if isinstance(node, ast.Always):
        return MET
    if isinstance(node, ast.Compare):
        left = env.fact(node.fact)
        right = env.fact(node.value.path) if isinstance(node.value, ast.FactRef) else node.value
        if left is None or right is None:
            return UNKNOWN
        return truth(compare(node.op, left, right))
    if isinstance(node, ast.Known):
        return truth((env.fact(node.fact) is None) == node.negate)
    if isinstance(node, ast.Met):
        return env.status(node.ref)
    if isinstance(node, ast.StatusIn):
        return truth(env.status(node.ref) in node.statuses)
    if isinstance(node, ast.AtLeast):
        statuses = [env.status(ref) for ref in node.refs]
        met = statuses.count(MET)
        if met >= node.n:
            return MET
        return UNMET if met + statuses.count(UNKNOWN) < node.n else UNKNOWN
    if isinstance(node, ast.Score):
        return score_status(env.tally(node.pillar), node.op, node.threshold)
    if isinstance(node, ast.OutputIn):
        value = env.output(node.table, node.column)
        return UNKNOWN if value is None else truth(value in node.values)
    raise TypeError(f"not a condition: {node!r}")


@dataclass(frozen=True)
class TableHit:
    """Which row of a table applies, or why none could be chosen."""

    row: int | None  #: index into ``table.rows``; None when undetermined
    row_statuses: tuple[Status, ...]  #: per row, in ``table.rows`` order
    reason: str  #: "hit", "unknown", "gap" or "overlap"


def hit(table: ast.Table, row_statuses: list[Status]) -> TableHit:
    """Apply the table's hit policy to its rows' statuses."""
    statuses = tuple(row_statuses)
    if table.hit_policy == "unique":
        met = [i for i, s in enumerate(statuses) if s == MET]
        if len(met) > 1:
            return TableHit(None, statuses, "overlap")
        if met and all(s == UNMET for i, s in enumerate(statuses) if i != met[0]):
            return TableHit(met[0], statuses, "hit")
        return TableHit(None, statuses, "unknown" if UNKNOWN in statuses else "gap")
    for row in table.ordered_rows():
        status = statuses[row.index]
        if status == MET:
            return TableHit(row.index, statuses, "hit")
        if status == UNKNOWN:
            return TableHit(None, statuses, "unknown")
    return TableHit(None, statuses, "gap")


def open_facts(node: ast.Condition, env: Env) -> list[str]:
    """Each unstated fact whose value could still change ``node``'s status, once, in reading order.

    See ``_open_facts``.
    """
    return list(dict.fromkeys(_open_facts(node, env)))


def _open_facts(node: ast.Condition, env: Env) -> list[str]:
    """The unstated facts whose value could still change ``node``'s status, in reading order.

    A fact under an ``all`` that a sibling already makes unmet, or under an ``any`` that a sibling
    already makes met, cannot: filling it changes nothing, so it is not one the analyst needs to
    fill (e.g. the 2004-2005 good-faith exception of the data presumption, read in a 2015 report).
    A sibling that is decided only because a fact is unstated (``unknown: path``) decides nothing.
    """
    if isinstance(node, (ast.All, ast.Any_)):
        deciding = UNMET if isinstance(node, ast.All) else MET
        statuses = [_settled(item, env) for item in node.items]
        if deciding in statuses:
            return []
        return [f for item, status in zip(node.items, statuses) if status == UNKNOWN for f in _open_facts(item, env)]
    if isinstance(node, ast.Not):
        return _open_facts(node.item, env)
    if isinstance(node, ast.Known):
        return [node.fact] if env.fact(node.fact) is None else []
    if isinstance(node, ast.Compare):
        paths = [node.fact] + ([node.value.path] if isinstance(node.value, ast.FactRef) else [])
        return [p for p in paths if env.fact(p) is None]
    return []


def _settled(node: ast.Condition, env: Env) -> Status:
    """``evaluate``, except that a test of whether a fact is stated, on an unstated fact, is open."""
    if isinstance(node, ast.Known) and env.fact(node.fact) is None:
        return UNKNOWN
    if isinstance(node, ast.Not):
        return kleene_not(_settled(node.item, env))
    if isinstance(node, (ast.All, ast.Any_)):
        combine = kleene_all if isinstance(node, ast.All) else kleene_any
        return combine([_settled(item, env) for item in node.items])
    return evaluate(node, env)
