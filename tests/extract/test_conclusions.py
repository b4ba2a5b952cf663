"""The report's outcome wording is masked before reading: no fact can come from a conclusion."""

from __future__ import annotations

import pytest

from scoring.extract.conclusions import mask
from scoring.extract.patterns import findings

CONCLUSIONS = [
    "MALI: Tier 2 Watch List",
    "The Government of Mali does not fully comply with the minimum standards for the elimination of trafficking; "
    "however, it is making significant efforts to do so.",
    "Despite these efforts, the government did not demonstrate evidence of overall increasing anti-trafficking efforts "
    "compared to the previous reporting period; therefore, Mali is placed on Tier 2 Watch List for the third consecutive year.",
    "The government reduced anti-trafficking law enforcement efforts.",
    "The government demonstrated minimal efforts to protect trafficking victims.",
    "The government made minimal efforts to prevent trafficking.",
    "The government demonstrated overall increasing efforts compared to the previous reporting period; therefore "
    "Nigeria was upgraded to Tier 2.",
    "The Government of Eritrea does not fully meet the minimum standards for the elimination of trafficking and is not "
    "making significant efforts to do so; therefore, Eritrea remained on Tier 3.",
    "The government made key achievements to do so during the reporting period; therefore Namibia was upgraded to Tier 1.",
    "However, the government did not meet the minimum standards in several key areas.",
]


@pytest.mark.parametrize("sentence", CONCLUSIONS, ids=[c[:40] for c in CONCLUSIONS])
def test_conclusions_are_masked_and_yield_nothing(sentence: str) -> None:
    masked, phrases = mask(sentence)
    assert phrases
    assert len(masked) == len(sentence)  # offsets kept, so quotes stay verbatim slices
    assert findings(masked) == []
    for word in ("Tier", "significant efforts", "increasing", "minimum standards"):
        assert word.lower() not in masked.lower()


def test_the_facts_beside_a_conclusion_are_still_read() -> None:
    sentence = ("In 2004, the government made significant and greater efforts to combat trafficking, including developing "
                "further legislation to criminalize aspects of trafficking and increase penalties for trafficking-related "
                "offenses, increasing prosecutions, and enhancing victim assistance.")
    masked, phrases = mask(sentence)
    assert phrases == ["made significant and greater efforts"]
    assert [(f.field, f.part, f.value) for f in findings(masked)] == [("prosecution.prosecutions", "trend", "increased")]


def test_a_clause_with_more_than_a_conclusion_is_listed_for_review_not_skipped() -> None:
    """hnd-2006: "increased law enforcement efforts" is a judgement; "passed ... legislation" and
    "educated officials" are actions no rule codes, so the reviewer must see the clause."""
    from scoring.extract.draft import read_text
    from tests.extract.support import narrative

    _, review = read_text(narrative("hnd-2006"))
    skipped = [c.text for c in review.conclusions]
    listed = [c.text for c in review.unmatched]
    assert any(t.startswith("Over the last year, the government increased law enforcement efforts") for t in listed)
    assert not any(t.startswith("Over the last year") for t in skipped)
    assert "however, it is making significant efforts to do so." in skipped
