"""A summary is exactly the outcome's fields it names: CSV rows read the same values either way."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import scoring
from scoring.efforts.model import EffortsDocument
from scoring.summary import KEYS, summarize
from scoring.testing import random_data

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted(str(p) for p in (ROOT / "fixtures").rglob("*.yaml") if not p.name.endswith(".test.yaml"))


def _same(document, **options) -> None:  # type: ignore[no-untyped-def]
    full = scoring.score(document, **options).model_dump(mode="json")
    assert summarize(document, **options) == {key: full[key] for key in KEYS}


@pytest.mark.parametrize("fixture", FIXTURES, ids=[Path(f).stem for f in FIXTURES])
def test_summary_of_every_fixture_equals_the_outcome(fixture: str) -> None:
    _same(fixture)


def test_summary_equals_the_outcome_on_random_documents() -> None:
    rng = random.Random(11)
    for _ in range(150):
        document = EffortsDocument.model_validate(random_data(rng))
        _same(document, engine=rng.choice(["durable-rules", "reference"]), history=rng.choice(["auto", "none"]))
