"""Boundary-seeking generation: documents at and next to every threshold a ruleset tests.

Targets come from the ruleset under test:

* every comparison constant of a fact (``convictions > 0``, ``penalty_max_years >= 4``):
  a ladder steps that fact through 0, the constant and the values next to it;
* every threshold of every weighted score (``score: overall >= 20``): a ladder
  raises one fact at a time from the worst document to the best, so every pillar
  score passes through every value the weights allow, hence at and next to each
  threshold;
* every history shape that reaches a mechanic of the statute for the report year
  (runs of each length up to the cap and beyond, recorded waivers, re-entry after
  Tier 3, an upgrade from Tier 3, a special case): ``statute_variants``.

Ladders are hypothesis strategies, so runs are seeded and reproducible.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from scoring.efforts.facts import FactSpec
from scoring.ruleset import ast
from scoring.ruleset.walk import leaves
from scoring.statute import law_for
from scoring.testing import document_facts, efforts_data
from scoring.verify.common import Data

Step = tuple[str, Any]  #: (fact path, new value)


def constants(ruleset: ast.Ruleset) -> dict[str, set[float]]:
    """Numeric constants each document fact is compared with (``p.change``/``p.previous`` count as ``p``)."""
    out: dict[str, set[float]] = {}
    nodes = [c.when for c in ruleset.criteria] + [d.when for d in ruleset.determinations]
    nodes += [row.when for t in ruleset.tables for row in t.rows]
    for node in nodes:
        for leaf in leaves(node):
            if isinstance(leaf, ast.Compare) and not isinstance(leaf.value, (ast.FactRef, tuple, bool, str)):
                base = leaf.fact.removesuffix(".previous")
                out.setdefault(base, set()).add(leaf.value)
    return out


def _rungs(spec: FactSpec, targets: set[float]) -> list[Any]:
    """The values a ladder gives one fact, worst first: at and next to every constant."""
    if spec.kind == "flag":
        return [spec.polarity == "less", spec.polarity != "less"]
    if spec.kind == "count":
        top = int(max(targets, default=0)) + 1
        values = {0, 1, 2, top} | {int(v) + d for v in targets for d in (-1, 0, 1) if v + d >= 0}
        return sorted(v for v in values if v <= max(top, 2))
    if spec.kind == "number":
        values = {0.0} | {v + d for v in targets for d in (-1, 0, 1) if v + d >= 0}
        return sorted(values)
    return []


def _set(data: Data, path: str, value: Any, keep_previous: bool = True) -> Data:
    """``data`` with one fact set; a count keeps its previous value and its trend stays consistent."""
    out = copy.deepcopy(data)
    node = out
    *parents, leaf = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    old = node.get(leaf)
    if keep_previous and isinstance(old, dict) and "previous" in old:
        node[leaf] = {"value": value, "previous": old["previous"]}
    else:
        node[leaf] = value
    return out


@dataclass
class Ladder:
    """Documents from the worst to the best; each differs from the one before in one fact."""

    documents: list[Data]
    steps: list[Step] = field(default_factory=list)  #: steps[i] turns documents[i] into documents[i + 1]

    def pairs(self) -> list[tuple[Data, Data, str]]:
        return [(self.documents[i], self.documents[i + 1], step[0]) for i, step in enumerate(self.steps)]


@st.composite
def ladders(draw: st.DrawFn, ruleset: ast.Ruleset, span: tuple[int, int]) -> Ladder:
    """A ladder over the facts the ruleset reads, from a random base (history, context, waiver)."""
    base = draw(efforts_data(draw(st.integers(*span))))
    if base["report_year"] > 2001 and draw(st.booleans()):  # a plain Tier 2 year before: the tier shows the efforts
        base["tier_history"] = [{"report_year": base["report_year"] - 1, "tier": "2"}]
    complete = draw(st.booleans())
    targets = constants(ruleset)
    flat = _flat(base)
    plan: dict[str, list[Any]] = {}
    for spec in document_facts():
        if spec.polarity == "neutral" or spec.path == "special_case":
            continue
        if not complete and spec.path not in flat:
            continue  # stays unknown
        rungs = _rungs(spec, targets.get(spec.path, set()))
        if len(rungs) >= 2:
            plan[spec.path] = rungs
    start = base
    for path, rungs in plan.items():
        previous = draw(st.sampled_from([None, 0, 1, 3])) if _spec_kind(path) == "count" else None
        start = _set(start, path, {"value": rungs[0], "previous": previous} if previous is not None else rungs[0],
                     keep_previous=False)
    tokens = [path for path, rungs in plan.items() for _ in rungs[1:]]
    first = _pillar_openers(draw, ruleset, plan)
    for path in first:
        tokens.remove(path)
    order = first + draw(st.permutations(tokens))
    position = {path: 0 for path in plan}
    ladder = Ladder([start])
    for path in order:
        position[path] += 1
        value = plan[path][position[path]]
        ladder.steps.append((path, value))
        ladder.documents.append(_set(ladder.documents[-1], path, value))
    return ladder


def _pillar_openers(draw: st.DrawFn, ruleset: ast.Ruleset, plan: dict[str, list[Any]]) -> list[str]:
    """One fact of a criterion of each of some pillars, improved first.

    Determinations that combine "some effort in two pillars" with a score threshold
    are only decided near the threshold when the pillars have efforts while the
    score is still low: a random order almost never gets there.
    """
    from scoring.ruleset.walk import facts_read

    first: list[str] = []
    for pillar in ast.SCORED_PILLARS:
        paths = sorted({p for c in ruleset.criteria if c.pillar == pillar and c.weight > 0
                        for p in facts_read(c.when) if p in plan and p not in first})
        if paths and draw(st.booleans()):
            first.append(draw(st.sampled_from(paths)))
    return first


def _spec_kind(path: str) -> str:
    from scoring.efforts.facts import catalog

    return catalog()[path].kind


def _flat(data: Data, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and not ({"value", "previous", "trend"} & set(value)):
            out.update(_flat(value, path + "."))
        else:
            out[path] = value
    return out


def history_shapes(year: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """Tier histories that reach each mechanic the statute has in ``year``, named for counterexamples."""
    law = law_for(year)
    cap = law.value("waiver_cap")
    longest = 2 + (cap if isinstance(cap, int) else 0) + 1
    shapes: list[tuple[str, list[dict[str, Any]]]] = [("no history", [])]
    if year > 2001:
        shapes += [(f"previous Tier {t}", [{"report_year": year - 1, "tier": t}]) for t in ("1", "2", "3")]
    for run in range(1, longest + 1):
        years = [y for y in range(year - run, year) if y >= 2001]
        if len(years) == run:
            plain = [{"report_year": y, "tier": "2WL"} for y in years]
            before = [{"report_year": year - run - 1, "tier": "2"}] if year - run - 1 >= 2001 else []
            shapes.append((f"watch list the last {run} years", before + plain))
            if run >= 3:
                waived = [dict(p, waiver=i >= 2) for i, p in enumerate(plain)]
                shapes.append((f"watch list the last {run} years, waivers recorded", before + waived))
    for later in (1, 2):  # a run of 2 counted years (+ waivers), then Tier 3, then a new run
        extra = cap if isinstance(cap, int) else 0
        first_run = 2 + extra
        start = year - later - 1 - first_run
        if start >= 2001:
            run = [{"report_year": start + i, "tier": "2WL"} for i in range(first_run)]
            shapes.append((f"re-entry: {first_run} watch-list years, Tier 3, then {later} watch-list year(s)",
                           [{"report_year": start - 1, "tier": "2"}] * (start > 2001) + run
                           + [{"report_year": year - later - 1, "tier": "3"}]
                           + [{"report_year": y, "tier": "2WL"} for y in range(year - later, year)]))
    return shapes


def statute_variants(data: Data) -> list[tuple[str, Data]]:
    """``data`` under every mechanic-reaching history, with and without the waiver conditions and a recorded grant,
    and as a special case."""
    out: list[tuple[str, Data]] = []
    # the grant is the report's record (a determination outside the assessment); the conditions bound it
    grants = ((True, True, "waiver conditions all shown, grant recorded"),
              (True, None, "waiver conditions all shown, no grant recorded"),
              (False, True, "a waiver condition shown unmet, grant recorded"))
    for name, history in history_shapes(data["report_year"]):
        for shown, granted, words in grants:
            variant = copy.deepcopy(data)
            variant["tier_history"] = history
            variant["waiver"] = {"written_plan": shown, "plan_would_constitute_significant_efforts": True,
                                 "sufficient_resources": True, **({} if granted is None else {"granted": granted})}
            out.append((f"{name}; {words}", variant))
    special = copy.deepcopy(data)
    special["special_case"] = True
    out.append(("a special case", special))
    return out


def revelation_values(spec: FactSpec) -> list[Any]:
    """Values to give an unknown fact when checking that learning it never flips a known status."""
    if spec.kind == "flag":
        return [True, False]
    if spec.kind == "count":
        return [0, 1, 3]
    if spec.kind == "number":
        return [0, 10]
    return ["stated"]
