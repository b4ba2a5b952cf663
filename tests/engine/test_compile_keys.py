"""The compiled facts' short keys: one per name, within every shipped ruleset."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from scoring import api
from scoring.engine.compile import compile_plan, fact_field, met_field, output_field, status_field, tally_field, unmet_field
from scoring.ruleset.registry import shipped


@pytest.mark.parametrize("entry", [e for e in shipped() if not e.abstract], ids=lambda e: e.id)
def test_no_two_names_of_a_ruleset_share_a_key(entry) -> None:  # type: ignore[no-untyped-def]
    ruleset = api.load_ruleset(entry.id)
    plan = compile_plan(ruleset)
    names: dict[str, str] = {}
    for p in plan.partitions:
        named = [*((fact_field(f), f"fact {f}") for f in p.facts), *((status_field(r), f"status {r}") for r in p.refs),
                 *((k, f"count {r}") for r in p.counted for k in (met_field(r), unmet_field(r))),
                 *((tally_field(t, s), f"tally {t} {s}") for t in p.scores for s in ("met", "unmet")),
                 *((output_field(t, c), f"output {t}.{c}") for t, c in p.outputs)]
        for key, name in named:
            assert names.setdefault(key, name) == name, f"{name!r} and {names[key]!r} share the key {key}"
    assert len(names) > 50


def test_keys_are_short_and_the_same_in_every_process() -> None:
    """The disk cache keeps compiled rules across processes: a key must not depend on the process."""
    key = fact_field("prosecution.law.covers_children")
    assert len(key) == 11 and key.startswith("f")
    other = subprocess.run([sys.executable, "-c", "from scoring.engine.compile import fact_field; "
                            "print(fact_field('prosecution.law.covers_children'))"],
                           capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "random"})
    assert other.stdout.strip() == key
    assert status_field("significant_efforts") != fact_field("significant_efforts")
