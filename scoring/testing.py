"""Hypothesis strategies (and a fast seeded generator) for efforts documents.

Public, so rule authors can write their own properties::

    from hypothesis import given
    from scoring.testing import efforts_documents

    @given(efforts_documents(report_year=2015))
    def test_never_tier_1_without_convictions(document): ...

Documents include unknowns (absent facts), previous-period values and stated
trends, and tier histories of every shape: long watch-list runs, runs that
start before 2009, runs broken by Tier 3 or by a gap, waivers used.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import strategies as st

from scoring.efforts.facts import FactSpec, catalog, is_stated
from scoring.efforts.model import EffortsDocument

TIERS = ("1", "2", "2WL", "3")
PARTS = ("whole_chapter", "introduction", "profile", "recommendations", "prosecution", "protection", "prevention",
         "summary", "waiver_memorandum")
PILLARS = ("prosecution", "protection", "prevention", "partnership")
TRENDS = ("increased", "decreased", "unchanged")


def document_facts() -> list[FactSpec]:
    """Facts a document states (derived and history facts excluded)."""
    return [s for s in catalog().values() if is_stated(s)]


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in flat.items():
        node = out
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


def _trend(value: int, previous: int) -> str:
    return "increased" if value > previous else "decreased" if value < previous else "unchanged"


#: Small counts (where thresholds sit) as often as large ones.
_amounts = st.one_of(st.integers(0, 5), st.integers(0, 100))


@st.composite
def counts(draw: st.DrawFn) -> Any:
    """A count: bare, or with a previous value and/or a stated trend (consistent), or unknown."""
    shape = draw(st.sampled_from(["bare", "pair", "trend", "value-only", "some", "bound"]))
    value = draw(_amounts)
    if shape == "bare":
        return value
    if shape == "some":
        return "some"  # an action stated without a number: at least 1
    if shape == "bound":
        return {"at_least": draw(st.integers(1, 5)), **({"value": value + 5} if draw(st.booleans()) else {})}
    if shape == "value-only":
        return {"value": value}
    if shape == "trend":
        return {"trend": draw(st.sampled_from(TRENDS))}  # value and previous unknown: any trend is possible
    previous = draw(_amounts)
    with_trend = draw(st.booleans())
    return {"value": value, "previous": previous, **({"trend": _trend(value, previous)} if with_trend else {})}


def _value(spec: FactSpec) -> st.SearchStrategy[Any]:
    if spec.kind == "count":
        return counts()
    if spec.kind == "flag":
        return st.booleans()
    if spec.kind == "number":
        return st.sampled_from([0, 1, 2.5, 4, 5, 10, 15, 20, 25])
    return st.sampled_from(["Law 2012-023", "Penal Code art. 1"])


def _rare(draw: st.DrawFn, one_in: int) -> bool:
    """True about once in ``one_in`` draws.

    Hypothesis favours the bounds of a range (0 above all), so ``integers(0, n) == 0``
    would be far more frequent than 1/(n+1); a value in the middle is not favoured.
    """
    return draw(st.integers(0, one_in - 1)) == one_in // 2


@st.composite
def tier_histories(draw: st.DrawFn, report_year: int) -> list[dict[str, Any]]:
    """Placements before ``report_year``, in the shapes the tier mechanics care about.

    ``random``: any tiers, a year missing now and then. ``run``: an unbroken Tier 2
    Watch List run of 1-8 years up to last year. ``reentry``: a run of 2+ years, then
    Tier 3, then a new run (7107(b)(2)(F)).
    """
    span = draw(st.integers(0, 14))
    years = list(range(max(2001, report_year - span), report_year))
    tiers = [draw(st.sampled_from(TIERS)) for _ in years]
    shape = draw(st.sampled_from(["random", "run", "run", "reentry"]))
    unbroken: set[int] = set()
    if shape != "random" and years:
        run = draw(st.integers(1, min(8, len(years))))
        tiers[-run:] = ["2WL"] * run
        unbroken = set(years[-run:])
        if shape == "reentry" and len(years) > run + 2:
            tiers[-run - 1] = "3"
            earlier = draw(st.integers(2, min(4, len(years) - run - 1)))
            tiers[-run - 1 - earlier:-run - 1] = ["2WL"] * earlier
            unbroken |= set(years[-run - 1 - earlier:])
    placements = []
    for year, tier in zip(years, tiers):
        if year not in unbroken and _rare(draw, 40):
            continue  # a year missing from the history
        entry: dict[str, Any] = {"report_year": year, "tier": tier}
        if tier == "2WL" and year >= 2011 and _rare(draw, 6):
            entry["waiver"] = draw(st.booleans())
        placements.append(entry)
    return placements


@st.composite
def efforts_data(draw: st.DrawFn, report_year: int | None = None, special_case: bool | None = False) -> dict[str, Any]:
    """A valid efforts document as plain data (what a YAML file would hold)."""
    year = report_year if report_year is not None else draw(st.integers(2001, 2025))
    # each fact known with probability ~5/6 (or ~1/2 in a sparse document): complete enough for
    # the tier to be decided, sparse enough that unknowns are everywhere
    sparse = draw(st.booleans())
    presence = [st.none()] + [st.just(True)] * (1 if sparse else 5)
    flat = {}
    for spec in document_facts():
        if spec.path != "special_case" and draw(st.one_of(*presence)):
            flat[spec.path] = draw(_value(spec))
    if special_case is None:
        special = draw(st.booleans())
    else:
        special = special_case
    data: dict[str, Any] = {"country": "Synthetic", "iso3": "ATA", "report_year": year, **_nest(flat)}
    if special:
        data["special_case"] = True
    if _rare(draw, 3):  # the waiver's three conditions all shown, as in real waiver years
        data["waiver"] = {"written_plan": True, "plan_would_constitute_significant_efforts": True,
                          "sufficient_resources": True}
        granted = draw(st.sampled_from((True, False, None)))  # the report records the grant, a refusal, or neither
        if granted is not None:
            data["waiver"]["granted"] = granted
    history = None if _rare(draw, 5) else draw(tier_histories(year))
    if history is not None:
        data["tier_history"] = history
    if _rare(draw, 6):  # an opening or a few sections, not the whole chapter
        data["coded"] = draw(st.lists(st.sampled_from(PARTS), min_size=1, max_size=4, unique=True))
    if _rare(draw, 6):
        data["other_actions"] = [{"pillar": draw(st.sampled_from(PILLARS)), "polarity": draw(st.sampled_from(["more", "less"])),
                                  "description": "an action"} for _ in range(draw(st.integers(1, 3)))]
    return data


def efforts_documents(report_year: int | None = None, special_case: bool | None = False) -> st.SearchStrategy[EffortsDocument]:
    """Valid ``EffortsDocument`` values for a report year (any year 2001-2025 if None)."""
    return efforts_data(report_year, special_case).map(EffortsDocument.model_validate)


def random_data(rng: random.Random, report_year: int | None = None) -> dict[str, Any]:
    """A fast seeded generator with the same shape, for benchmarks and batch runs (no shrinking)."""
    year = report_year if report_year is not None else rng.randint(2001, 2025)
    flat: dict[str, Any] = {}
    for spec in document_facts():
        if spec.path == "special_case" or rng.random() < 0.3:
            continue
        if spec.kind == "count":
            value, previous = rng.randint(0, 60), rng.randint(0, 60)
            flat[spec.path] = value if rng.random() < 0.5 else {"value": value, "previous": previous}
        elif spec.kind == "flag":
            flat[spec.path] = rng.random() < 0.5
        elif spec.kind == "number":
            flat[spec.path] = rng.choice([1, 4, 5, 10, 20])
        else:
            flat[spec.path] = "Law"
    history = [{"report_year": y, "tier": rng.choice(TIERS + ("2WL", "2WL"))} for y in range(max(2001, year - 8), year)]
    return {"country": "Synthetic", "iso3": "ATA", "report_year": year, **_nest(flat), "tier_history": history}


def random_inputs(count: int, seed: int) -> list[tuple[Any, dict[str, Any]]]:
    """(ruleset in force, facts the rules read) for ``count`` seeded documents over 2001-2025."""
    from scoring import api

    rng = random.Random(seed)
    out = []
    for _ in range(count):
        document = EffortsDocument.model_validate(random_data(rng))
        ruleset = api.ruleset_for(document.report_year)
        out.append((ruleset, api.facts_for(document, ruleset)[1]))
    return out
