"""A summary is exactly the outcome's fields it names: CSV rows read the same values either way."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import scoring
from scoring.efforts.model import EffortsDocument
from scoring.batch import Result, csv_row
from scoring.outcome_fields import KEYS, summarize
from scoring.testing import random_data

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted(str(p) for p in (ROOT / "fixtures").rglob("*.yaml") if not p.name.endswith(".test.yaml"))


def _same(document, **options) -> None:  # type: ignore[no-untyped-def]
    full = scoring.score(document, **options).model_dump(mode="json")
    short = summarize(document, **options)
    assert {key: short[key] for key in KEYS} == {key: full[key] for key in KEYS}
    assert short["history_facts"] == full["history"]["facts"]
    assert short["open_questions"] == full["open_questions"]
    # the CSV row is the same whether it is read from the summary or from the explained outcome
    assert csv_row(Result("doc", short, None)) == csv_row(Result("doc", full, None))


@pytest.mark.parametrize("fixture", FIXTURES, ids=[Path(f).stem for f in FIXTURES])
def test_summary_of_every_fixture_equals_the_outcome(fixture: str) -> None:
    _same(fixture)


def test_summary_equals_the_outcome_on_random_documents() -> None:
    rng = random.Random(11)
    for _ in range(150):
        document = EffortsDocument.model_validate(random_data(rng))
        _same(document, engine=rng.choice(["durable-rules", "reference"]), history=rng.choice(["auto", "none"]))
