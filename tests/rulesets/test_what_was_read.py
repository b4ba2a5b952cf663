"""What was read: declaring fewer parts coded can only leave more outcomes open.

A reading of silence as "not shown" applies only where the part that would show it was coded,
so the same facts read from a part of the chapter never rule out an outcome the whole chapter
leaves open; declaring nothing is the whole chapter.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from scoring import possible
from scoring.api import facts_for, ruleset_for
from scoring.efforts.model import EffortsDocument
from scoring.efforts.validate import load_efforts
from scoring.engine.reference import evaluate
from scoring.testing import PARTS, random_data

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "fixtures").glob("*/*.yaml"))


def _outcomes(document: EffortsDocument) -> set[tuple[str, str | None]]:
    ruleset = ruleset_for(document.report_year)
    evaluation = evaluate(ruleset, facts_for(document, ruleset)[1])
    return {(b.then["tier"], b.then.get("downgrade")) for b in possible.branches(ruleset.decision("tier"), evaluation)}  # type: ignore[arg-type]


def _with(document: EffortsDocument, coded: list[str] | None) -> EffortsDocument:
    data = document.model_dump(exclude_none=True)
    data.pop("coded", None)
    if coded is not None:
        data["coded"] = coded
    return EffortsDocument.model_validate(data)


@pytest.mark.parametrize("path", FIXTURES, ids=[str(p.relative_to(ROOT)) for p in FIXTURES])
def test_whole_chapter_is_the_default(path: Path) -> None:
    document = load_efforts(path)
    assert _outcomes(_with(document, None)) == _outcomes(_with(document, ["whole_chapter"]))


@pytest.mark.parametrize("seed", range(6))
def test_reading_less_never_rules_an_outcome_out(seed: int) -> None:
    rng = random.Random(f"what-was-read-{seed}")
    for _ in range(40):
        whole = EffortsDocument.model_validate(random_data(rng))
        part = rng.sample([p for p in PARTS if p != "whole_chapter"], rng.randint(1, 4))
        wider, narrower = _outcomes(_with(whole, part)), _outcomes(_with(whole, None))
        assert narrower <= wider, f"{whole.report_year}, coded {part}: {sorted(narrower - wider)} ruled out"


def test_silence_is_unknown_where_the_part_was_not_read() -> None:
    """A third watch-list year with no waiver condition shown: the downgrade applies when the
    introduction was read, and the waiver stays possible when it was not."""
    data = {"country": "Synthetic W", "iso3": "ATA", "report_year": 2016,
            "tier_history": [{"report_year": 2013, "tier": "2"}, {"report_year": 2014, "tier": "2WL"},
                             {"report_year": 2015, "tier": "2WL"}],
            "context": {"victims_very_significant_or_increasing": True}}
    whole = _outcomes(EffortsDocument.model_validate(data))
    opening = _outcomes(EffortsDocument.model_validate({**data, "coded": ["profile", "prosecution"]}))
    assert ("2WL", "waived") not in whole
    assert ("2WL", "waived") in opening and ("3", "applied") in opening
