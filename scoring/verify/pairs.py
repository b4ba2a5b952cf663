"""Properties of a pair of documents that differ in one fact: monotonicity, unknown safety."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from scoring.efforts.facts import FactSpec, flatten
from scoring.efforts.model import EffortsDocument
from scoring.engine.reference import evaluate as reference
from scoring.ruleset import ast
from scoring.testing import document_facts, efforts_data
from scoring.verify.common import TIER_ORDER, Data, rule_facts
from scoring.verify.single import SINGLE


def improve(data: Data, spec: FactSpec, step: int = 1) -> Data | None:
    """``data`` with one fact made more anti-trafficking effort, by the model's polarity."""
    import copy

    parts = spec.path.split(".")
    improved = copy.deepcopy(data)
    node = improved
    for part in parts[:-1]:
        node = node.get(part)
        if not isinstance(node, dict):
            return None
    leaf = parts[-1]
    value = node.get(leaf)
    raw = value.get("value") if isinstance(value, dict) else value
    if raw is None or raw == "some":
        return None  # unknown, or known only as a lower bound: nothing exact to improve
    if spec.kind == "flag":
        if raw != (spec.polarity == "less"):
            return None
        new: Any = not raw
    elif spec.kind in ("count", "number"):
        if spec.polarity != "more":
            return None
        new = raw + step if spec.kind == "count" else raw + 5 * step
    else:
        return None
    if isinstance(value, dict):
        value = {**value, "value": new}
        if "trend" in value and value.get("previous") is not None:
            prev = value["previous"]
            value["trend"] = "increased" if new > prev else "decreased" if new < prev else "unchanged"
        node[leaf] = value
    else:
        node[leaf] = new
    return improved


def _tier_and_scores(ruleset: ast.Ruleset, data: Data) -> tuple[str | None, dict[str, int | None]]:
    _, facts = rule_facts(ruleset, data)
    evaluation = reference(ruleset, facts)
    scores = {p: (100 * t.met // t.total if t.total else None) for p, t in evaluation.tallies.items()}
    return evaluation.outputs.get("tier", {}).get("tier"), scores


def monotonicity(ruleset: ast.Ruleset, before: Data, after: Data, fact: str) -> str | None:
    """Improving one fact never gives a worse tier nor a lower pillar score."""
    (tier_a, scores_a), (tier_b, scores_b) = _tier_and_scores(ruleset, before), _tier_and_scores(ruleset, after)
    if tier_a in TIER_ORDER and tier_b in TIER_ORDER and TIER_ORDER[tier_b] > TIER_ORDER[tier_a]:
        return f"improving {fact} moved the tier from {tier_a} to {tier_b}"
    for pillar, score in scores_a.items():
        other = scores_b[pillar]
        if score is not None and other is not None and other < score:
            return f"improving {fact} lowered the {pillar} score from {score} to {other}"
    return None


def unknown_safety(ruleset: ast.Ruleset, before: Data, after: Data, fact: str) -> str | None:
    """Giving an unknown fact a value never changes a criterion that was met or unmet."""
    _, f1 = rule_facts(ruleset, before)
    _, f2 = rule_facts(ruleset, after)
    s1, s2 = reference(ruleset, f1).statuses, reference(ruleset, f2).statuses
    for criterion in ruleset.criteria:
        if s1[criterion.id] != "unknown" and s1[criterion.id] != s2[criterion.id]:
            return f"learning {fact} changed criterion {criterion.id!r} from {s1[criterion.id]} to {s2[criterion.id]}"
    return None


def _value_for(spec: FactSpec) -> st.SearchStrategy[Any]:
    if spec.kind == "count":
        return st.integers(0, 60)
    if spec.kind == "flag":
        return st.booleans()
    if spec.kind == "number":
        return st.sampled_from([0, 4, 10, 20])
    return st.just("text")


@st.composite
def improvements(draw: st.DrawFn, year_range: tuple[int, int]) -> list[tuple[Data, Data, str]]:
    """A document and every one-fact improvement of it (each checked separately)."""
    data = draw(efforts_data(draw(st.integers(*year_range))))
    pairs = []
    for spec in document_facts():
        if spec.polarity != "neutral":
            for step in (1, 10) if spec.kind == "count" else (1,):
                improved = improve(data, spec, step)
                if improved is not None:
                    pairs.append((data, improved, spec.path))
    return pairs


@st.composite
def revelations(draw: st.DrawFn, year_range: tuple[int, int]) -> tuple[Data, Data, str]:
    data = draw(efforts_data(draw(st.integers(*year_range))))
    _, facts = _facts_of(data)
    # a count known only by its lower bound is not unknown: learning its value must respect the bound
    unknown = [s for s in document_facts() if s.path not in facts and f"{s.path}.at_least" not in facts
               and s.path != "special_case"]
    if not unknown:
        return data, data, "(none)"
    spec = draw(st.sampled_from(unknown))
    import copy

    after = copy.deepcopy(data)
    node = after
    *parents, leaf = spec.path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = _consistent(node.get(leaf), draw(_value_for(spec)))
    return data, after, spec.path


def _consistent(entry: Any, value: Any) -> Any:
    """The learned value, keeping what was already known of the fact (its previous value and stated trend).

    Replacing ``{trend: increased}`` by a bare ``0`` would not be learning the count: it would
    also forget the trend, and the criteria that read the trend would change for that reason.
    """
    if not isinstance(entry, dict) or not isinstance(value, int) or isinstance(value, bool):
        return value
    previous, trend = entry.get("previous"), entry.get("trend")
    if trend == "unchanged" and previous is not None:
        value = previous
    elif trend == "increased":
        value = max(value, (previous if previous is not None else 0) + 1)
    elif trend == "decreased" and previous is not None:
        value = min(value, previous - 1)
    return {**entry, "value": value}


def _facts_of(data: Data) -> tuple[EffortsDocument, dict[str, Any]]:
    document = EffortsDocument.model_validate(data)
    return document, flatten(document)


PAIRS: dict[str, tuple[Callable[..., Any], Callable[..., str | None]]] = {
    "monotonicity": (improvements, monotonicity),
    "unknown safety": (revelations, unknown_safety),
}
PROPERTIES = [*SINGLE, *PAIRS]
