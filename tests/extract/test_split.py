"""Sentences and clauses are exact slices of the source, so every quote taken from them is verbatim."""

from __future__ import annotations

import pytest

from scoring.extract.split import sentences
from tests.extract.support import MALI_2004, MALI_2015, NARRATIVES

TEXTS = [MALI_2015, MALI_2004, *sorted(NARRATIVES.glob("*.txt"))]


@pytest.mark.parametrize("path", TEXTS, ids=[p.name for p in TEXTS])
def test_every_sentence_and_clause_is_a_verbatim_slice(path) -> None:  # type: ignore[no-untyped-def]
    text = path.read_text("utf-8")
    found = sentences(text)
    assert found
    for s in found:
        assert text[s.start:s.start + len(s.text)] == s.text
        assert s.line == text.count("\n", 0, s.start) + 1
        for c in s.clauses:
            assert text[c.start:c.start + len(c.text)] == c.text


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = "Trafficking cases were tried in the P.R.C. courts. The U.S. government funded two shelters."
    assert [s.text for s in sentences(text)] == [
        "Trafficking cases were tried in the P.R.C. courts.", "The U.S. government funded two shelters."]


def test_semicolons_separate_clauses() -> None:
    text = ("It offers legal alternatives to removal to countries in which victims would face retribution or hardship; "
            "however, all victims identified during the reporting period were ECOWAS country citizens.")
    (only,) = sentences(text)
    assert [c.text[:25] for c in only.clauses] == ["It offers legal alternati", "however, all victims iden"]
