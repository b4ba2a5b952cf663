"""The reference evaluator: the ruleset's meaning in plain Python.

It is the oracle the durable-rules engine is tested against (hypothesis,
tests/engine/test_differential.py): it walks the same checked ruleset with
``scoring.semantics`` and shares no code with the compiler.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoring import semantics
from scoring.ruleset import ast
from scoring.semantics import Status, TableHit, Tally

Facts = dict[str, Any]


@dataclass
class Evaluation:
    """Every criterion's and determination's status, the tallies and the table hits."""

    statuses: dict[str, Status] = field(default_factory=dict)
    tallies: dict[str, Tally] = field(default_factory=dict)
    tables: dict[str, TableHit] = field(default_factory=dict)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)


class _Env:
    def __init__(self, facts: Facts, result: Evaluation) -> None:
        self.facts = facts
        self.result = result

    def fact(self, path: str) -> Any | None:
        return self.facts.get(path)

    def status(self, ref: str) -> Status:
        return self.result.statuses[ref]

    def tally(self, pillar: str) -> Tally:
        return self.result.tallies[pillar]

    def output(self, table: str, column: str) -> str | None:
        return self.result.outputs.get(table, {}).get(column)


def tallies(ruleset: ast.Ruleset, statuses: dict[str, Status]) -> dict[str, Tally]:
    """Met/unknown/total weight per scored pillar and overall."""
    out: dict[str, Tally] = {}
    for pillar in (*ast.SCORED_PILLARS, "overall"):
        chosen = [c for c in ruleset.criteria if c.pillar == pillar or (pillar == "overall" and c.pillar in ast.SCORED_PILLARS)]
        out[pillar] = Tally(
            met=sum(c.weight for c in chosen if statuses[c.id] == "met"),
            unknown=sum(c.weight for c in chosen if statuses[c.id] == "unknown"),
            total=sum(c.weight for c in chosen),
        )
    return out


def evaluate(ruleset: ast.Ruleset, facts: Facts) -> Evaluation:
    """Evaluate ``ruleset`` on a flat mapping of known facts."""
    result = Evaluation()
    env = _Env(facts, result)
    for criterion in ruleset.criteria:
        result.statuses[criterion.id] = semantics.evaluate(criterion.when, env)
    result.tallies = tallies(ruleset, result.statuses)
    for node in ruleset.decisions():
        if isinstance(node, ast.Determination):
            result.statuses[node.id] = semantics.evaluate(node.when, env)
        else:
            table_hit = semantics.hit(node, [semantics.evaluate(row.when, env) for row in node.rows])
            result.tables[node.id] = table_hit
            if table_hit.row is not None:
                result.outputs[node.id] = dict(node.rows[table_hit.row].then)
    return result
