"""scoring.engine.evaluate: durable-rules' firings are read back, never trusted blindly."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring import api
from scoring.engine import evaluate as engine
from scoring.engine import reference
from scoring.errors import EngineError

MALI_2015 = Path(__file__).resolve().parents[2] / "fixtures" / "mali" / "2015.yaml"


def test_a_node_whose_met_and_unmet_rules_both_fire_is_an_engine_error(monkeypatch: pytest.MonkeyPatch) -> None:
    document, ruleset, facts, _, _ = api.evaluated(str(MALI_2015))
    met = next(c.id for c in ruleset.criteria if reference.evaluate(ruleset, facts).statuses[c.id] == "met")
    real = engine.compile_plan

    def unmet_always_fires(*args, **kwargs):  # type: ignore[no-untyped-def]
        plan = real(*args, **kwargs)
        for rule in plan.rules:
            if rule.node == met and rule.kind == "unmet":
                rule.condition = True  # a wrong compilation: the unmet rule fires beside the met one
        return plan

    for cache in ("_compiled", "_programs", "_exported", "_layouts"):
        monkeypatch.setattr(engine, cache, {})
    monkeypatch.setattr(engine, "compile_plan", unmet_always_fires)
    with pytest.raises(EngineError) as raised:
        engine.evaluate(ruleset, facts)
    assert raised.value.code == "ENG-INCONSISTENT"
    assert repr(met) in str(raised.value)
