"""Properties of a pair of documents that differ in one fact: monotonicity, unknown safety."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from scoring.efforts.facts import FactSpec
from scoring.efforts.model import EffortsDocument
from scoring.engine.reference import Evaluation
from scoring.engine.reference import evaluate as reference
from scoring.ruleset import ast
from scoring.testing import document_facts, efforts_data
from scoring.verify.blame import TIER_ORDER, culprit, possible_tiers, worst
from scoring.verify.common import Data, rule_facts
from scoring.verify.oracle import Finding, where_of
from scoring.verify.targets import Ladder, ladders, revelation_values

MONOTONE = "monotonicity: improving one fact (by the efforts model's polarity) never gives a worse tier, nor a lower bound of a pillar score"
UNKNOWN_SAFE = "unknown safety: learning a fact the report did not give never changes a criterion already met or unmet"


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


def _bounds(evaluation: Evaluation) -> dict[str, tuple[int, int] | None]:
    """Each pillar score's lower bound (unknown as unmet) and upper bound (unknown as met)."""
    return {p: (100 * t.met // t.total, 100 * (t.met + t.unknown) // t.total) if t.total else None
            for p, t in evaluation.tallies.items()}


def monotonicity(ruleset: ast.Ruleset, before: Data, after: Data, fact: str) -> Finding | None:
    """Improving one fact never gives a worse tier (nor a possibly worse one) nor a lower score bound."""
    _, f1 = rule_facts(ruleset, before)
    _, f2 = rule_facts(ruleset, after)
    e1, e2 = reference(ruleset, f1), reference(ruleset, f2)
    was = e1.outputs.get("tier", {}).get("tier")
    rank = TIER_ORDER.get(was or "")

    def worse(evaluation: Evaluation) -> bool:
        tiers = possible_tiers(ruleset, evaluation)
        w = worst(tiers)
        return rank is not None and w is not None and w > rank and not (tiers & {"special"})

    if rank is not None and worse(e2):
        now = e2.outputs.get("tier", {}).get("tier")
        if now is not None:
            message = f"improving {fact} moved the tier from {was} to {now}"
        else:
            message = (f"improving {fact} turned Tier {was} into an undetermined outcome that could be "
                       f"Tier {' or '.join(sorted(possible_tiers(ruleset, e2), key=TIER_ORDER.get))}")
        return Finding(message, MONOTONE, _where(ruleset, culprit(ruleset, f2, e1, e2, worse)))
    b1, b2 = _bounds(e1), _bounds(e2)
    for pillar, bound in b1.items():
        other = b2[pillar]
        if bound is None or other is None:
            continue
        for name, i in (("lower", 0), ("upper", 1)):
            if other[i] < bound[i]:
                lowered = next((c.id for c in ruleset.criteria if (pillar == "overall" or c.pillar == pillar)
                                and _RANK[e2.statuses[c.id]][i] < _RANK[e1.statuses[c.id]][i]), None)
                return Finding(f"improving {fact} lowered the {name} bound of the {pillar} score from {bound[i]} to {other[i]}",
                               MONOTONE, _where(ruleset, lowered), kind="score")
    return None


def unknown_safety(ruleset: ast.Ruleset, before: Data, after: Data, fact: str) -> Finding | None:
    """Giving an unknown fact a value never changes a criterion that was met or unmet on what the document states.

    A criterion decided only by an absence reading of a part the document declares coded (its
    condition reads ``coded.<part>``: "the prosecution section was read and does not say so") is
    not decided on a stated fact; learning the fact contradicts the reading, which is its purpose
    (docs/rubric.md, absence readings). Such a criterion is unknown once the coded parts are set
    aside, and is not checked; one that reads an unknown as known without that gate still is.
    """
    s1 = _statuses_of(ruleset, before)
    plain = _statuses_uncoded(ruleset, before)
    _, f2 = rule_facts(ruleset, after)
    s2 = reference(ruleset, f2).statuses
    for criterion in ruleset.criteria:
        if plain[criterion.id] != "unknown" and s1[criterion.id] != s2[criterion.id]:
            return Finding(f"learning {fact} changed criterion {criterion.id!r} from {s1[criterion.id]} to {s2[criterion.id]}",
                           UNKNOWN_SAFE, where_of(ruleset, criterion.id))
    return None


#: a criterion's contribution to the (lower, upper) score bound, by status
_RANK = {"met": (1, 1), "unknown": (0, 1), "unmet": (0, 0)}


_last: list[Any] = [None, None, None]  #: (ruleset, document, statuses): revelations share their 'before'


def _statuses_of(ruleset: ast.Ruleset, data: Data) -> dict[str, str]:
    if _last[0] is not ruleset or _last[1] is not data:
        _, facts = rule_facts(ruleset, data)
        _last[:] = [ruleset, data, reference(ruleset, facts).statuses]
    return _last[2]  # type: ignore[no-any-return]


_last_uncoded: list[Any] = [None, None, None]


def _statuses_uncoded(ruleset: ast.Ruleset, data: Data) -> dict[str, str]:
    """Statuses with no part declared coded: what the document's stated facts alone decide."""
    if _last_uncoded[0] is not ruleset or _last_uncoded[1] is not data:
        _, facts = rule_facts(ruleset, data)
        plain = {k: v for k, v in facts.items() if not k.startswith("coded.")}
        _last_uncoded[:] = [ruleset, data, reference(ruleset, plain).statuses]
    return _last_uncoded[2]  # type: ignore[no-any-return]


def _where(ruleset: ast.Ruleset, node_id: str | None) -> str:
    return where_of(ruleset, node_id) if node_id else f"no single rule (ruleset {ruleset.id} at {ruleset.file})"


@st.composite
def improvements(draw: st.DrawFn, ruleset: ast.Ruleset, year_range: tuple[int, int]) -> list[tuple[Data, Data, str]]:
    """Every rung of a boundary-seeking ladder, then every one-fact improvement of a random document."""
    ladder: Ladder = draw(ladders(ruleset, year_range))
    data = draw(efforts_data(draw(st.integers(*year_range))))
    pairs = ladder.pairs()
    for spec in document_facts():
        if spec.polarity != "neutral":
            for step in (1, 10) if spec.kind == "count" else (1,):
                improved = improve(data, spec, step)
                if improved is not None:
                    pairs.append((data, improved, spec.path))
    return pairs


def _set_fact(data: Data, path: str, value: Any) -> Data:
    import copy

    out = copy.deepcopy(data)
    node = out
    *parents, leaf = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    current = node.get(leaf)
    node[leaf] = {**current, "value": value} if isinstance(current, dict) else value  # a stated trend stays
    return out


def _valid(data: Data) -> bool:
    try:
        EffortsDocument.model_validate(data)
    except ValueError:
        return False
    return True


@st.composite
def revelations(draw: st.DrawFn, ruleset: ast.Ruleset, year_range: tuple[int, int]) -> list[tuple[Data, Data, str]]:
    """A document and, for every fact it leaves unknown, the document with that fact given each test value."""
    data = draw(efforts_data(draw(st.integers(*year_range))))
    _, facts = rule_facts(ruleset, data)
    out = []
    for spec in document_facts():
        # a count known only by its lower bound is not unknown
        if spec.path not in facts and f"{spec.path}.at_least" not in facts and spec.path != "special_case":
            for value in revelation_values(spec):
                after = _set_fact(data, spec.path, value)
                if _valid(after):  # a value contradicting a stated trend is no revelation
                    out.append((data, after, spec.path))
    return out


Check = Callable[[ast.Ruleset, Data, Data, str], "Finding | None"]
PAIRS: dict[str, tuple[Callable[..., Any], Check]] = {
    "monotonicity": (improvements, monotonicity),
    "unknown safety": (revelations, unknown_safety),
}
