"""The engine at scale: durable-rules' limits are unreachable through tipscore.

20,000 scorings in one process (the raw engine dies at 1,025 live sessions), a
ruleset with 100 criteria (more rules than durable can match on one fact, so
facts are partitioned), and large random fact sets: no error, and the same
answers as the reference evaluator.
"""

from __future__ import annotations

import hashlib
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import api
from scoring.efforts.model import EffortsDocument
from scoring.ruleset.registry import for_year
from scoring.engine import evaluate as durable
from scoring.engine.evaluate import compiled
from scoring.engine.reference import evaluate as reference
from scoring.ruleset import ast
from scoring.testing import random_data, random_inputs
from tests.strategies_rulesets import CITE, COUNTS, FLAGS, W, fact_maps


def test_twenty_thousand_scorings_in_one_process() -> None:
    work = random_inputs(1000, seed=7)
    for i in range(20_000):
        ruleset, facts = work[i % len(work)]
        got = durable.evaluate(ruleset, facts)
        if i % 997 == 0:
            want = reference(ruleset, facts)
            assert (got.statuses, got.tables, got.outputs) == (want.statuses, want.tables, want.outputs)


def _hundred_criteria() -> ast.Ruleset:
    criteria = []
    for i in range(100):
        fact = COUNTS[i % len(COUNTS)]
        when: ast.Condition = ast.Compare(fact, ">=", i % 30, W) if i % 3 else ast.Compare(FLAGS[i % len(FLAGS)], "==", bool(i % 2), W)
        criteria.append(ast.Criterion(f"c{i:03}", f"criterion {i}", CITE, ("prosecution", "protection", "prevention", "partnership")[i % 4],
                                      1 + i % 3, when, None, W, "scale"))
    determinations = (
        ast.Determination("most", "most criteria", CITE, ast.AtLeast(60, tuple(c.id for c in criteria), W), None, W, "scale"),
        ast.Determination("half", "half the weight", CITE, ast.Score("overall", ">=", 50, W), None, W, "scale"),
    )
    rows = (
        ast.Row(0, "one", ast.All((ast.Met("most", W), ast.Met("half", W)), W), {"tier": "1"}, 0, None, None, W),
        ast.Row(1, "two", ast.Met("half", W), {"tier": "2"}, 0, None, None, W),
        ast.Row(2, "three", ast.Always(W), {"tier": "3"}, 0, None, None, W),
    )
    table = ast.Table("tier", "tier", CITE, "first", {"tier": ("1", "2", "3")}, rows, W, "scale")
    ruleset = ast.Ruleset("scale-100", "100 criteria", "1", 2001, None, False, (), ast.Parameters(), tuple(criteria),
                          determinations, (table,), ("most", "half", "tier"), "scale.yaml", "")
    return ast.Ruleset(**{**ruleset.__dict__, "digest": hashlib.sha256(repr(ruleset).encode()).hexdigest()})


HUNDRED = _hundred_criteria()


def test_hundred_criteria_are_partitioned_below_durables_limit() -> None:
    plan, _ = compiled(HUNDRED)
    criteria_parts = [p for p in plan.partitions if p.layer == 0]
    assert len(criteria_parts) > 1  # one fact could not carry all 200 criterion rules
    assert sum(len(p.nodes) for p in criteria_parts) == 100


@settings(derandomize=True, max_examples=200, deadline=None)
@given(facts=fact_maps())
def test_hundred_criteria_score_as_the_reference_says(facts: dict) -> None:
    got, want = durable.evaluate(HUNDRED, facts), reference(HUNDRED, facts)
    assert (got.statuses, got.tallies, got.tables, got.outputs) == (want.statuses, want.tallies, want.tables, want.outputs)


@settings(derandomize=True, max_examples=150, deadline=None)
@given(year=st.integers(2001, 2026), seed=st.integers(0, 10**6))
def test_shipped_rulesets_agree_with_the_reference_on_generated_documents(year: int, seed: int) -> None:
    data = random_data(random.Random(seed), year)
    # named, so that years after LAW_CHECKED_THROUGH are scored under the open-ended latest era too
    ruleset = api.load_ruleset(for_year(year).path)  # type: ignore[union-attr]
    outcome = api.score(EffortsDocument.model_validate(data), ruleset)
    expected = api.score(EffortsDocument.model_validate(data), ruleset, engine="reference")
    assert outcome.model_dump(exclude={"engine"}) == expected.model_dump(exclude={"engine"})
