"""The shipped rulesets compile for durable-rules and mean the same there as in the reference
evaluator, on every fixture and on random fact sets (durable's C limits, e.g. error 113 for a
pattern with too many tests, are only found by compiling)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from scoring.engine.evaluate import evaluate as durable
from scoring.engine.reference import evaluate as reference
from scoring.ruleset.load import load_ruleset
from scoring.ruleset.registry import shipped
from tests.rulesets.support import ROOT, score
from tests.rulesets.test_monotone import _random_facts

FIXTURES = sorted((ROOT / "fixtures").glob("*/*.yaml"))
LIVE = [e.id for e in shipped() if not e.abstract]


@pytest.mark.parametrize("path", FIXTURES, ids=[str(p.relative_to(ROOT)) for p in FIXTURES])
def test_engines_agree_on_fixtures(path: Path) -> None:
    rs, facts, want = score(path)
    got = durable(rs, facts)
    assert got.statuses == want.statuses
    assert got.outputs == want.outputs
    assert got.tables == want.tables


@pytest.mark.parametrize("ruleset_id", LIVE)
def test_engines_agree_on_random_facts(ruleset_id: str) -> None:
    rs = load_ruleset(ruleset_id)
    rng = random.Random(f"engines-{ruleset_id}")
    for _ in range(25):
        facts = _random_facts(rng, rs.first_year)
        want, got = reference(rs, facts), durable(rs, facts)
        assert got.statuses == want.statuses
        assert got.outputs == want.outputs
