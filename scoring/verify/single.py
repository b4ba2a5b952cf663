"""Properties of one document: totality, determinism, statutory bounds, explanation soundness, engine agreement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scoring.engine.reference import evaluate as reference
from scoring.outcome import ExplanationNode
from scoring.ruleset import ast
from scoring.semantics import evaluate as evaluate_condition
from scoring.verify.common import Data, rule_facts, score_data
from scoring.verify.oracle import Finding, statutory_bounds


def totality(ruleset: ast.Ruleset, data: Data) -> str | None:
    """Every document gets exactly one outcome: no table gap or overlap."""
    _, facts = rule_facts(ruleset, data)
    evaluation = reference(ruleset, facts)
    for table_id, hit in evaluation.tables.items():
        if hit.reason in ("gap", "overlap"):
            return f"table {table_id!r}: {hit.reason} (row statuses {list(hit.row_statuses)})"
    return None


def determinism(ruleset: ast.Ruleset, data: Data) -> str | None:
    """Scoring twice gives byte-identical JSON."""
    from scoring.render import as_json

    first, second = as_json(score_data(ruleset, data, "durable-rules")), as_json(score_data(ruleset, data, "durable-rules"))
    return None if first == second else "two scorings of the same document differ"


def engine_agreement(ruleset: ast.Ruleset, data: Data) -> str | None:
    """The durable-rules engine and the reference evaluator give the same outcome."""
    a = score_data(ruleset, data, "durable-rules").model_dump(exclude={"engine"})
    b = score_data(ruleset, data, "reference").model_dump(exclude={"engine"})
    if a == b:
        return None
    keys = [k for k in a if a[k] != b[k]]
    return f"engines disagree on {', '.join(keys)}"


def explanation_soundness(ruleset: ast.Ruleset, data: Data) -> str | None:
    """Met criteria's compared values satisfy their conditions; every line carries a citation."""
    outcome = score_data(ruleset, data)
    criteria = {c.id: c for c in ruleset.criteria}

    class _Values:
        def __init__(self, values: dict[str, Any]) -> None:
            self.values = values

        def fact(self, path: str) -> Any:
            return self.values.get(path)

        def status(self, ref: str) -> str:
            raise AssertionError

        def tally(self, pillar: str) -> Any:
            raise AssertionError

        def output(self, table: str, column: str) -> Any:
            raise AssertionError

    for result in outcome.criteria:
        if result.status == "met" and evaluate_condition(criteria[result.id].when, _Values(result.compared)) != "met":
            return f"criterion {result.id!r} reported met, but its compared values {result.compared} do not meet it"
    missing = [n.id for n in _walk(outcome.explanation) if n.citation is None]
    return f"explanation lines without a citation: {missing}" if missing else None


def _walk(node: ExplanationNode) -> list[ExplanationNode]:
    out = [node]
    for child in node.children:
        out += _walk(child)
    return out


Property = Callable[[ast.Ruleset, Data], "str | Finding | None"]
SINGLE: dict[str, Property] = {
    "totality": totality, "determinism": determinism, "statutory bounds": statutory_bounds,
    "explanation soundness": explanation_soundness, "engine agreement": engine_agreement,
}

