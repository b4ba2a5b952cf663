"""Decision-table analysis: gaps, overlaps and rows that can never apply.

As in DMN's decision-table analysis, each input a row tests is a variable: a
criterion or determination's status (met/unmet/unknown), a table output, or
one fact comparison or score test (met/unmet/unknown). Every combination is
enumerated and the hit policy applied. Fact tests are treated as independent,
which can only over-report; tables that test determinations (the usual style)
are analysed exactly.
"""

from __future__ import annotations

import itertools
from typing import Any

from scoring import semantics
from scoring.ruleset import ast
from scoring.ruleset.diagnostics import Diagnostic
from scoring.ruleset.walk import leaves

#: Tables with more input combinations than this are not enumerated.
MAX_COMBINATIONS = 200_000
STATUSES: tuple[ast.Status, ...] = ("met", "unmet", "unknown")


class _Abstract:
    """An Env whose values come from one combination of the table's inputs."""

    def __init__(self, assignment: dict[Any, Any]) -> None:
        self.assignment = assignment

    def fact(self, path: str) -> Any:
        raise AssertionError("fact tests are variables here")

    def status(self, ref: str) -> ast.Status:
        return self.assignment[("status", ref)]

    def tally(self, pillar: str) -> semantics.Tally:
        raise AssertionError("score tests are variables here")

    def output(self, table: str, column: str) -> str | None:
        return self.assignment[("output", table, column)]


def _evaluate(node: ast.Condition, env: _Abstract) -> ast.Status:
    if isinstance(node, ast.All):
        return semantics.kleene_all([_evaluate(item, env) for item in node.items])
    if isinstance(node, ast.Any_):
        return semantics.kleene_any([_evaluate(item, env) for item in node.items])
    if isinstance(node, ast.Not):
        return semantics.kleene_not(_evaluate(node.item, env))
    if isinstance(node, (ast.Compare, ast.Known, ast.Score)):
        return env.assignment[("leaf", node)]
    return semantics.evaluate_leaf(node, env)


def _variables(table: ast.Table) -> dict[Any, tuple[Any, ...]]:
    domains: dict[Any, tuple[Any, ...]] = {}
    outputs: dict[Any, set[str]] = {}
    for row in table.rows:
        for leaf in leaves(row.when):
            if isinstance(leaf, ast.Known):
                domains[("leaf", leaf)] = ("met", "unmet")
            elif isinstance(leaf, (ast.Compare, ast.Score)):
                domains[("leaf", leaf)] = STATUSES
            elif isinstance(leaf, (ast.Met, ast.StatusIn)):
                domains[("status", leaf.ref)] = STATUSES
            elif isinstance(leaf, ast.AtLeast):
                for ref in leaf.refs:
                    domains[("status", ref)] = STATUSES
            elif isinstance(leaf, ast.OutputIn):
                outputs.setdefault(("output", leaf.table, leaf.column), set()).update(leaf.values)
    for key, values in outputs.items():
        domains[key] = (*sorted(values), "(other)", None)
    return domains


def _describe(assignment: dict[Any, Any]) -> str:
    parts = []
    for key, value in assignment.items():
        if key[0] == "status":
            parts.append(f"{key[1]} {value}")
        elif key[0] == "output":
            parts.append(f"{key[1]}.{key[2]} = {value if value is not None else 'undetermined'}")
        else:
            parts.append(f"[{_leaf_text(key[1])}] {value}")
    return ", ".join(parts)


def _leaf_text(leaf: ast.Condition) -> str:
    if isinstance(leaf, ast.Compare):
        value = leaf.value.path if isinstance(leaf.value, ast.FactRef) else leaf.value
        return f"{leaf.fact} {leaf.op} {value}"
    if isinstance(leaf, ast.Known):
        return f"{'unknown' if leaf.negate else 'known'} {leaf.fact}"
    if isinstance(leaf, ast.Score):
        return f"score {leaf.pillar} {leaf.op} {leaf.threshold}"
    return type(leaf).__name__


def table_diagnostics(table: ast.Table) -> list[Diagnostic]:
    """TS111 gaps, TS112 overlaps (unique policy), TS113 rows that never apply."""
    domains = _variables(table)
    size = 1
    for values in domains.values():
        size *= len(values)
    if size > MAX_COMBINATIONS:
        return []
    keys = list(domains)
    winners: set[int] = set()
    gap = overlap = None
    for combo in itertools.product(*(domains[k] for k in keys)):
        assignment = dict(zip(keys, combo))
        env = _Abstract(assignment)
        result = semantics.hit(table, [_evaluate(row.when, env) for row in table.rows])
        if result.row is not None:
            winners.add(result.row)
        elif result.reason == "gap" and gap is None:
            gap = assignment
        elif result.reason == "overlap" and overlap is None:
            overlap = (assignment, [i for i, s in enumerate(result.row_statuses) if s == "met"])
    out: list[Diagnostic] = []
    where = table.where
    if gap is not None:
        out.append(Diagnostic("TS111", where.file, where.line, where.col,
                              f"table {table.id!r}: no row applies when {_describe(gap)}",
                              "add a row for this case, or a last row with when: {always: true}"))
    if overlap is not None:
        rows = " and ".join(table.rows[i].id for i in overlap[1])
        out.append(Diagnostic("TS112", where.file, where.line, where.col,
                              f"table {table.id!r}: rows {rows} both apply when {_describe(overlap[0])}",
                              "under hit_policy unique exactly one row may apply; use first or priority, or narrow a row"))
    for row in table.rows:
        if row.index not in winners and table.hit_policy != "unique":
            out.append(Diagnostic("TS113", row.where.file, row.where.line, row.where.col,
                                  f"table {table.id!r}: row {row.id} can never apply",
                                  "earlier rows always apply first, or its condition can never be met"))
    return out
