"""The rule at fault in a pair counterexample, and the tiers an undetermined outcome could still get.

When improving one fact makes the outcome worse, many statuses change; most of
them rightly (the criterion that reads the improved fact is now met). The rule
at fault is found counterfactually: a criterion that went from met to not met
although its fact improved, else the first determination or table row (in
evaluation order) whose change, undone alone, makes the outcome no longer worse.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scoring import semantics
from scoring.engine.reference import Evaluation, _Env, tallies
from scoring.ruleset import ast

TIER_ORDER = {"1": 0, "2": 1, "2WL": 2, "3": 3}


def possible_tiers(ruleset: ast.Ruleset, evaluation: Evaluation) -> set[str]:
    """Tiers the tier table could still give: its tier, or every row not ruled out before the first met one."""
    tier = evaluation.outputs.get("tier", {}).get("tier")
    if tier is not None:
        return {tier}
    table = next((t for t in ruleset.tables if t.id == "tier"), None)
    hit = evaluation.tables.get("tier")
    if table is None or hit is None:
        return set()
    statuses = dict(zip((r.id for r in table.rows), hit.row_statuses))
    out: set[str] = set()
    for row in table.ordered_rows():
        status = statuses[row.id]
        if status == "unmet":
            continue
        out.add(row.then.get("tier", ""))
        if status == "met" and table.hit_policy == "first":
            break
    return out - {""}


def worst(tiers: set[str]) -> int | None:
    ranks = [TIER_ORDER[t] for t in tiers if t in TIER_ORDER]
    return max(ranks) if ranks else None


def evaluate_forced(ruleset: ast.Ruleset, facts: dict[str, Any], forced: dict[str, str]) -> Evaluation:
    """The reference evaluation with some statuses (criterion/determination id or ``table.row``) forced."""
    result = Evaluation()
    env = _Env(facts, result)
    for criterion in ruleset.criteria:
        result.statuses[criterion.id] = forced.get(criterion.id) or semantics.evaluate(criterion.when, env)
    result.tallies = tallies(ruleset, result.statuses)
    for node in ruleset.decisions():
        if isinstance(node, ast.Determination):
            result.statuses[node.id] = forced.get(node.id) or semantics.evaluate(node.when, env)
        else:
            rows = [forced.get(f"{node.id}.{row.id}") or semantics.evaluate(row.when, env) for row in node.rows]
            table_hit = semantics.hit(node, rows)  # type: ignore[arg-type]
            result.tables[node.id] = table_hit
            if table_hit.row is not None:
                result.outputs[node.id] = dict(node.rows[table_hit.row].then)
    return result


def row_statuses(ruleset: ast.Ruleset, evaluation: Evaluation) -> dict[str, str]:
    out: dict[str, str] = {}
    for table in ruleset.tables:
        hit = evaluation.tables.get(table.id)
        if hit is not None:
            out.update({f"{table.id}.{row.id}": s for row, s in zip(table.rows, hit.row_statuses)})
    return out


def culprit(ruleset: ast.Ruleset, after_facts: dict[str, Any], before: Evaluation, after: Evaluation,
            still_wrong: Callable[[Evaluation], bool]) -> str | None:
    """The id (``table.row`` for a row) of the rule at fault, or None if no single change explains it."""
    for criterion in ruleset.criteria:
        if before.statuses[criterion.id] == "met" and after.statuses[criterion.id] != "met":
            return criterion.id
    b_rows, a_rows = row_statuses(ruleset, before), row_statuses(ruleset, after)
    for node in ruleset.decisions():
        keys = [node.id] if isinstance(node, ast.Determination) else [f"{node.id}.{r.id}" for r in node.rows]
        for key in keys:
            was = before.statuses.get(key) or b_rows.get(key)
            now = after.statuses.get(key) or a_rows.get(key)
            if was is not None and was != now and not still_wrong(evaluate_forced(ruleset, after_facts, {key: was})):
                return key
    return None
