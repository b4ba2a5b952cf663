"""Properties of one document: totality, determinism, statutory bounds, explanation soundness, engine agreement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scoring.engine.reference import evaluate as reference
from scoring.outcome import ExplanationNode
from scoring.ruleset import ast
from scoring.semantics import evaluate as evaluate_condition
from scoring.verify.common import Data, rule_facts, score_data


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


def statutory_bounds(ruleset: ast.Ruleset, data: Data) -> str | None:
    """The tier mechanics stay within the statute's limits."""
    outcome = score_data(ruleset, data)
    _, facts = rule_facts(ruleset, data)
    tier, wl = outcome.tier, outcome.watch_list
    if facts.get("special_case") is True and tier not in (None, "special"):
        return f"a special case got tier {tier}"
    if tier == "2WL" and outcome.report_year < 2004:
        return f"Tier 2 Watch List in the {outcome.report_year} report, before TVPRA 2003 created it"
    cap = ruleset.parameters.waiver_cap
    if tier == "2WL" and cap is not None and wl.consecutive_years is not None and wl.consecutive_years > 2 + cap:
        return f"{wl.consecutive_years} consecutive watch-list years; the era allows at most {2 + cap}"
    if wl.automatic_downgrade == "waived":
        used = facts.get("history.waivers_used")
        conditions = [facts.get(p) for p in ("waiver.written_plan", "waiver.plan_would_constitute_significant_efforts",
                                              "waiver.sufficient_resources")]
        if facts.get("history.consecutive_watch_list_years", 0) < 2:
            return "a waiver although fewer than two consecutive watch-list years preceded"
        if not all(c is True for c in conditions):
            return f"a waiver without all three conditions shown ({conditions})"
        if cap is None or not isinstance(used, int) or used >= cap:
            return f"a waiver beyond the cap ({used} already used, cap {cap})"
    if ruleset.parameters.reentry_limit and facts.get("history.reentry_limited") is True and tier == "2WL":
        return "a second consecutive watch-list year after re-entry (7107(b)(2)(F))"
    if (outcome.report_year >= 2019 and facts.get("context.policy_or_pattern_of_trafficking") is True
            and tier not in (None, "3", "special")):
        return f"a government policy or pattern of trafficking, yet tier {tier}"
    return None


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


Property = Callable[[ast.Ruleset, Data], str | None]
SINGLE: dict[str, Property] = {
    "totality": totality, "determinism": determinism, "statutory bounds": statutory_bounds,
    "explanation soundness": explanation_soundness, "engine agreement": engine_agreement,
}

