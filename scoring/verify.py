"""Rule consistency, verified: property-based checks against any ruleset.

Hypothesis searches efforts documents for a violation of each property and
shrinks it to a minimal one, written out as a ready-to-run efforts file (a pair
of files for monotonicity) with the explanation diff. Runs are deterministic:
the seed is fixed unless given, and nothing is read from or written to
hypothesis' example database.
"""

from __future__ import annotations

import difflib
import warnings
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from scoring.efforts.facts import FactSpec, catalog, flatten
from scoring.efforts.model import EffortsDocument
from scoring.engine.reference import evaluate as reference
from scoring.outcome import ExplanationNode, Outcome
from scoring.ruleset import ast
from scoring.semantics import evaluate as evaluate_condition
from scoring.testing import _document_facts, efforts_data

TIER_ORDER = {"1": 0, "2": 1, "2WL": 2, "3": 3}
Data = dict[str, Any]


@dataclass
class Violation:
    """A shrunk counterexample: the documents and what went wrong."""

    prop: str
    message: str
    documents: list[Data]
    diff: str = ""


@dataclass
class Report:
    ruleset: str
    examples: int
    passed: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


def years(ruleset: ast.Ruleset) -> tuple[int, int]:
    return ruleset.first_year, ruleset.last_year or max(ruleset.first_year + 6, 2025)


def _facts(ruleset: ast.Ruleset, data: Data) -> tuple[EffortsDocument, dict[str, Any]]:
    from scoring.api import facts_for

    document = EffortsDocument.model_validate(data)
    return document, facts_for(document, ruleset)[1]


def _score(ruleset: ast.Ruleset, data: Data, engine: str = "reference") -> Outcome:
    from scoring.api import score

    return score(EffortsDocument.model_validate(data), ruleset, engine=engine)  # type: ignore[arg-type]


def _text(outcome: Outcome) -> list[str]:
    from scoring.render import text

    return text(outcome).splitlines()


def _diff(a: Outcome, b: Outcome) -> str:
    return "\n".join(difflib.unified_diff(_text(a), _text(b), "before", "after", lineterm=""))


# ----------------------------------------------------------------------------- properties


def totality(ruleset: ast.Ruleset, data: Data) -> str | None:
    """Every document gets exactly one outcome: no table gap or overlap."""
    _, facts = _facts(ruleset, data)
    evaluation = reference(ruleset, facts)
    for table_id, hit in evaluation.tables.items():
        if hit.reason in ("gap", "overlap"):
            return f"table {table_id!r}: {hit.reason} (row statuses {list(hit.row_statuses)})"
    return None


def determinism(ruleset: ast.Ruleset, data: Data) -> str | None:
    """Scoring twice gives byte-identical JSON."""
    from scoring.render import as_json

    first, second = as_json(_score(ruleset, data, "durable-rules")), as_json(_score(ruleset, data, "durable-rules"))
    return None if first == second else "two scorings of the same document differ"


def engine_agreement(ruleset: ast.Ruleset, data: Data) -> str | None:
    """The durable-rules engine and the reference evaluator give the same outcome."""
    a = _score(ruleset, data, "durable-rules").model_dump(exclude={"engine"})
    b = _score(ruleset, data, "reference").model_dump(exclude={"engine"})
    if a == b:
        return None
    keys = [k for k in a if a[k] != b[k]]
    return f"engines disagree on {', '.join(keys)}"


def statutory_bounds(ruleset: ast.Ruleset, data: Data) -> str | None:
    """The tier mechanics stay within the statute's limits."""
    outcome = _score(ruleset, data)
    _, facts = _facts(ruleset, data)
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
    outcome = _score(ruleset, data)
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


# ----------------------------------------------------------------------------- pair properties


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
    if raw is None:
        return None
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
    _, facts = _facts(ruleset, data)
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
    _, f1 = _facts(ruleset, before)
    _, f2 = _facts(ruleset, after)
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
    for spec in _document_facts():
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
    unknown = [s for s in _document_facts() if s.path not in facts and s.path != "special_case"]
    if not unknown:
        return data, data, "(none)"
    spec = draw(st.sampled_from(unknown))
    import copy

    after = copy.deepcopy(data)
    node = after
    *parents, leaf = spec.path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = draw(_value_for(spec))
    return data, after, spec.path


def _facts_of(data: Data) -> tuple[EffortsDocument, dict[str, Any]]:
    document = EffortsDocument.model_validate(data)
    return document, flatten(document)


PAIRS: dict[str, tuple[Callable[..., Any], Callable[..., str | None]]] = {
    "monotonicity": (improvements, monotonicity),
    "unknown safety": (revelations, unknown_safety),
}
PROPERTIES = [*SINGLE, *PAIRS]


# ----------------------------------------------------------------------------- runner


def run(ruleset: ast.Ruleset, examples: int = 100, seed_value: int = 0, only: list[str] | None = None,
        on_property: Callable[[str], None] | None = None) -> Report:
    """Check every property (or ``only`` those) with ``examples`` documents each."""
    report = Report(ruleset.id, examples)
    span = years(ruleset)
    for name in only or PROPERTIES:
        if on_property:
            on_property(name)
        violation = _check(ruleset, name, span, examples, seed_value)
        if violation is None:
            report.passed.append(name)
        else:
            report.violations.append(violation)
    return report


#: Seconds spent shrinking a counterexample; the smallest found by then is kept.
SHRINK_SECONDS = 10.0


def _leaves(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of removable parts: facts, history entries, whole sections; deepest last."""
    out: list[tuple[Any, ...]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if not prefix and key in ("country", "iso3", "report_year"):
                continue
            out.append(prefix + (key,))
            out += _leaves(value, prefix + (key,)) if key != "evidence" else []
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.append(prefix + (i,))
    return out


def _without(data: Data, path: tuple[Any, ...]) -> Data | None:
    import copy

    out = copy.deepcopy(data)
    node: Any = out
    for part in path[:-1]:
        node = node[part]
    try:
        del node[path[-1]]
    except (KeyError, IndexError, TypeError):
        return None
    return out


def shrink(data: Data, fails: Callable[[Data], bool]) -> Data:
    """Greedy delta debugging: drop every part whose removal keeps the violation.

    Hypothesis' own shrinker spends minutes on documents this wide, so verify
    generates with hypothesis and shrinks here, on the document's structure.
    """
    import time

    deadline = time.monotonic() + SHRINK_SECONDS
    changed = True
    while changed and time.monotonic() < deadline:
        changed = False
        for path in sorted(_leaves(data), key=len):
            if time.monotonic() > deadline:
                break
            smaller = _without(data, path)
            if smaller is None or smaller == data:
                continue
            try:
                EffortsDocument.model_validate(smaller)
            except Exception:
                continue
            if fails(smaller):
                data, changed = smaller, True
                break
    return data


def _check(ruleset: ast.Ruleset, name: str, span: tuple[int, int], examples: int, seed_value: int) -> Violation | None:
    found: list[Any] = []
    config = settings(max_examples=examples, deadline=None, database=None, derandomize=False, print_blob=False,
                      suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])

    if name in SINGLE:
        prop = SINGLE[name]

        @seed(seed_value)
        @config
        @given(data=st.integers(*span).flatmap(lambda y: efforts_data(y)))
        def test(data: Data) -> None:
            if prop(ruleset, data):
                found.append(data)
                raise AssertionError
    else:
        strategy, check = PAIRS[name]

        @seed(seed_value)
        @config
        @given(drawn=strategy(span))
        def test(drawn: Any) -> None:
            for pair in drawn if isinstance(drawn, list) else [drawn]:
                if check(ruleset, *pair):
                    found.append(pair)
                    raise AssertionError

    try:
        with warnings.catch_warnings():  # hypothesis warns about the size of the failing example's repr
            warnings.simplefilter("ignore")
            test()
    except AssertionError:
        pass
    except Exception as err:  # an engine error on some document is itself a finding
        return Violation(name, f"{type(err).__name__}: {err}", [])
    if not found:
        return None
    if name in SINGLE:
        prop = SINGLE[name]
        data = shrink(found[0], lambda d: prop(ruleset, d) is not None)
        return Violation(name, prop(ruleset, data) or "", [data])
    return _shrink_pair(ruleset, name, found[0])


def _shrink_pair(ruleset: ast.Ruleset, name: str, pair: tuple[Data, Data, str]) -> Violation:
    """Shrink the 'before' document, re-deriving 'after' by the same one-fact change."""
    before, after, fact = pair
    _, check = PAIRS[name]
    spec = catalog()[fact]
    parts = fact.split(".")

    def value_of(data: Data) -> Any:
        node: Any = data
        for part in parts:
            node = node.get(part) if isinstance(node, dict) else None
        return node

    new_value = value_of(after)

    step = 1
    if name == "monotonicity" and spec.kind == "count":
        step = next((k for k in (1, 10) if improve(before, spec, k) == after), 1)

    def rebuild(data: Data) -> Data | None:
        if name == "monotonicity":
            return improve(data, spec, step)
        import copy

        out = copy.deepcopy(data)
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if parts[-1] in node:
            return None
        node[parts[-1]] = new_value
        return out

    def fails(data: Data) -> bool:
        changed = rebuild(data)
        return changed is not None and check(ruleset, data, changed, fact) is not None

    small = shrink(before, fails)
    small_after = rebuild(small) or after
    violation = Violation(name, check(ruleset, small, small_after, fact) or "", [small, small_after])
    if name == "monotonicity":
        violation.diff = _diff(_score(ruleset, small), _score(ruleset, small_after))
    return violation


def write_counterexample(violation: Violation, folder: str, ruleset_id: str) -> list[str]:
    """Ready-to-run efforts files for a violation; returns their paths."""
    import yaml

    os.makedirs(folder, exist_ok=True)
    slug = violation.prop.replace(" ", "-")
    names = ["before", "after"] if len(violation.documents) == 2 else ["document"]
    paths = []
    for name, document in zip(names, violation.documents):
        path = os.path.join(folder, f"{ruleset_id}.{slug}.{name}.yaml")
        header = (f"# SYNTHETIC counterexample found by `tipscore verify` for ruleset {ruleset_id}\n"
                  f"# property: {violation.prop}: {violation.message}\n")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True))
        paths.append(path)
    return paths
