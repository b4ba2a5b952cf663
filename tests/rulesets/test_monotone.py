"""Every shipped ruleset is monotone in the polarity the efforts model declares.

Improving one known fact (a ``more`` count or number up by one, a ``more`` flag from false to
true, a ``less`` flag from true to false) must never give a worse tier (order 1 > 2 > 2WL > 3)
nor a lower pillar score (neither bound). An undetermined outcome is compared as the set of
tiers still possible: neither its best nor its worst case may get worse. Checked on the
fixtures and on random fact sets.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from scoring.api import facts_for
from scoring.efforts.facts import catalog
from scoring.efforts.validate import load_efforts
from scoring.engine.reference import evaluate
from scoring.ruleset import ast
from scoring.ruleset.load import load_ruleset
from scoring.ruleset.registry import for_year, shipped

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "fixtures").glob("*/*.yaml"))
RANK = {"1": 0, "2": 1, "2WL": 2, "3": 3}
LIVE = [e.id for e in shipped() if not e.abstract]


def _outcome(rs: ast.Ruleset, facts: dict[str, Any]) -> tuple[set[str], dict[str, tuple[int, int]]]:
    """The tiers still possible (rows not unmet, up to the first met one) and the score bounds.

    A determined outcome is a single tier; an undetermined one is every tier a row that could
    still apply would give, so "not worse" can be checked on its best and worst case.
    """
    ev = evaluate(rs, facts)
    table = rs.decision("tier")
    hit = ev.tables["tier"]
    possible: set[str] = set()
    for row in table.ordered_rows():  # type: ignore[union-attr]
        status = hit.row_statuses[row.index]
        if status == "unmet":
            continue
        possible.add(row.then["tier"])
        if status == "met":
            break
    scores = {p: (t.met * 1000 // t.total, (t.met + t.unknown) * 1000 // t.total) for p, t in ev.tallies.items() if t.total}
    return possible, scores


def _with_change(facts: dict[str, Any], path: str) -> dict[str, Any]:
    """Recompute ``path.change`` from the numbers, as the efforts model does."""
    previous = facts.get(f"{path}.previous")
    if previous is not None and path in facts:
        value = facts[path]
        facts[f"{path}.change"] = "increased" if value > previous else "decreased" if value < previous else "unchanged"
    return facts


def improvements(facts: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every single-fact improvement of the known facts."""
    out = []
    for path, spec in catalog().items():
        if path not in facts or spec.polarity == "neutral":
            continue
        value = facts[path]
        better = dict(facts)
        if spec.kind in ("count", "number"):
            if spec.polarity != "more":
                continue
            better[path] = value + 1
            _with_change(better, path)
        elif spec.kind == "flag":
            target = spec.polarity == "more"
            if value == target:
                continue
            better[path] = target
        else:
            continue
        out.append((path, better))
    return out


def _assert_not_worse(rs: ast.Ruleset, facts: dict[str, Any], label: str) -> None:
    tiers, scores = _outcome(rs, facts)
    for path, better in improvements(facts):
        new_tiers, new_scores = _outcome(rs, better)
        where = f"{label}: improving {path} ({facts[path]!r} -> {better[path]!r})"
        if "special" not in tiers | new_tiers:
            best, worst = min(RANK[t] for t in tiers), max(RANK[t] for t in tiers)
            new_best, new_worst = min(RANK[t] for t in new_tiers), max(RANK[t] for t in new_tiers)
            assert new_best <= best and new_worst <= worst, f"{where} moved the possible tiers from {sorted(tiers)} to {sorted(new_tiers)}"
        for pillar, (low, high) in scores.items():
            assert new_scores[pillar][0] >= low and new_scores[pillar][1] >= high, f"{where} lowered the {pillar} score"


@pytest.mark.parametrize("path", FIXTURES, ids=[str(p.relative_to(ROOT)) for p in FIXTURES])
def test_fixtures_are_monotone(path: Path) -> None:
    doc = load_efforts(path)
    entry = for_year(doc.report_year)
    assert entry is not None
    rs = load_ruleset(entry.id)
    _assert_not_worse(rs, facts_for(doc, rs)[1], path.name)


def _random_facts(rng: random.Random, year: int) -> dict[str, Any]:
    facts: dict[str, Any] = {"report_year": year, "entity": "country"}
    for path, spec in catalog().items():
        if path.startswith("coded."):
            if rng.random() < 0.7:
                facts[path] = True  # what was read: true or unknown, never false
            continue
        if path.startswith("history.") or path.endswith((".previous", ".change")) or spec.kind in ("year", "entity", "text"):
            continue
        if rng.random() < 0.35:
            continue  # unknown
        if spec.kind == "flag":
            facts[path] = rng.random() < 0.5
        elif spec.kind in ("count", "number"):
            facts[path] = rng.choice([0, 0, 1, 2, 5, 12])
            if spec.kind == "count" and rng.random() < 0.6:
                facts[f"{path}.previous"] = rng.choice([0, 1, 2, 5, 12])
                _with_change(facts, path)
    tiers = ["1", "2", "2WL", "3"]
    facts["history.previous_tier"] = rng.choice(tiers)
    facts["history.consecutive_watch_list_years"] = rng.choice([0, 1, 2, 3, 4])
    facts["history.waivers_used"] = rng.choice([0, 0, 1, 2])
    facts["history.reentry_limited"] = rng.random() < 0.2
    return facts


@pytest.mark.parametrize("ruleset_id", LIVE)
def test_random_fact_sets_are_monotone(ruleset_id: str) -> None:
    rs = load_ruleset(ruleset_id)
    rng = random.Random(f"monotone-{ruleset_id}")
    for i in range(120):
        facts = _random_facts(rng, rs.first_year)
        _assert_not_worse(rs, facts, f"{ruleset_id} sample {i}")
