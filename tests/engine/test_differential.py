"""The durable-rules engine and the reference evaluator agree (the oracle test).

Random small rulesets from the language and random fact maps; every criterion
and determination status, every tally, every table's row statuses, winner and
outputs must be identical. Derandomized so CI is stable.
"""

from __future__ import annotations

import hashlib

from hypothesis import HealthCheck, given, settings

from scoring.engine import evaluate as durable
from scoring.engine.reference import evaluate as reference
from tests.strategies_rulesets import fact_maps, rulesets


def _same(ruleset, facts):  # type: ignore[no-untyped-def]
    ruleset = ruleset.__class__(**{**ruleset.__dict__, "digest": hashlib.sha256(repr(ruleset).encode()).hexdigest()})
    want = reference(ruleset, facts)
    got = durable.evaluate(ruleset, facts)
    assert got.statuses == want.statuses
    assert got.tallies == want.tallies
    assert got.tables == want.tables
    assert got.outputs == want.outputs


@settings(derandomize=True, max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ruleset=rulesets(), facts=fact_maps())
def test_engine_agrees_with_reference_on_random_rulesets(ruleset, facts):  # type: ignore[no-untyped-def]
    _same(ruleset, facts)
