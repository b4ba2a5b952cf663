"""Whole drafts: valid, verbatim, deterministic; conflicts and conclusions are left out and listed."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
import yaml

from scoring import api
from scoring.efforts.model import EffortsDocument
from scoring.efforts.validate import load_efforts
from scoring.errors import InputError
from scoring.extract import extract, extract_text
from tests.extract.support import FACTBOOK, MALI_2004, MALI_2015, ROOT, narrative


def _draft(path: Path, year: int) -> EffortsDocument:
    draft = extract_text(path.read_text("utf-8"), "MLI", year, str(path.relative_to(ROOT)))
    return EffortsDocument.model_validate(draft.data)


def _quotes(data: object) -> list[str]:
    if isinstance(data, dict):
        return [q for k, v in data.items() for q in ([v] if k == "quote" else _quotes(v))]
    if isinstance(data, list):
        return [q for item in data for q in _quotes(item)]
    return []


@pytest.mark.parametrize(("path", "year"), [(MALI_2015, 2015), (MALI_2004, 2004)])
def test_the_seed_drafts_are_valid_with_verbatim_quotes_and_the_source_path(path: Path, year: int) -> None:
    draft = extract_text(path.read_text("utf-8"), "MLI", year, str(path.relative_to(ROOT)))
    text = path.read_text("utf-8")
    quotes = _quotes(draft.data)
    assert quotes and all(q in text for q in quotes)
    assert draft.data["sources"] == [{"id": f"tip-{year}-mli", "title": draft.data["sources"][0]["title"],
                                      "path": f"fixtures/sources/mali-{year}-tip.txt"}]
    assert "tier_history" not in draft.data  # a placement is an outside determination, not in the text


def test_mali_2015_facts() -> None:
    doc = _draft(MALI_2015, 2015)
    assert doc.protection.victims_identified.value == 48 and doc.protection.victims_identified.previous == 79
    assert doc.protection.victims_referred.value == 48
    assert doc.prosecution.prosecutions.value == 0 and doc.prosecution.convictions.value == 0
    assert doc.prevention.action_plan_adopted.value is True
    assert doc.waiver.written_plan.value is True


def test_contradicting_clauses_leave_the_fact_unknown_with_both_quotes() -> None:
    """The summary says it "failed to investigate ... any"; the detail says it "investigated one potential case"."""
    investigations = _draft(MALI_2015, 2015).prosecution.investigations
    assert investigations.value is None
    assert investigations.previous == 13
    assert "0 and 1" in investigations.note
    assert len(investigations.evidence) == 2


def test_recommendations_are_not_read() -> None:
    """The 2015 recommendations ask to "allocate appropriate funding ... national action plan": no funding is coded."""
    doc = _draft(MALI_2015, 2015)
    assert doc.prevention.action_plan_funded is None
    draft = extract_text(MALI_2015.read_text("utf-8"), "MLI", 2015, "x.txt")
    assert draft.recommendations == 1


def test_conclusion_only_clauses_are_skipped_and_listed() -> None:
    _, rendered = extract(MALI_2015, "MLI", 2015)
    head = rendered.split("\n\n", 1)[0]
    assert "#   line 9: however, it is making significant efforts to do so." in head
    assert "#   line 3: MALI: Tier 2 Watch List" in head
    body = yaml.safe_load(rendered)
    assert "significant efforts to do so" not in " ".join(_quotes(body))


def test_unmatched_relevant_sentences_are_listed_for_review() -> None:
    _, rendered = extract(MALI_2015, "MLI", 2015)
    assert ("#   line 23: Labor inspectors did not receive anti-trafficking training and they did not have the "
            "capacity to regulate the informal sector") in rendered


def test_bounds_are_listed_not_coded() -> None:
    _, rendered = extract(MALI_2004, "MLI", 2004)
    assert '"more than 100" in:' in rendered
    assert load_efforts_text(rendered).protection.victims_referred is None


def load_efforts_text(rendered: str) -> EffortsDocument:
    return EffortsDocument.model_validate(yaml.safe_load(rendered))


def test_same_input_same_bytes() -> None:
    assert extract(MALI_2015, "MLI", 2015)[1] == extract(MALI_2015, "MLI", 2015)[1]


def test_narrative_drafts_code_no_tier_wording() -> None:
    for name in ("nga-2019", "nam-2020", "eri-2017", "sau-2020"):
        draft = extract_text(narrative(name), name[:3].upper(), int(name[4:]), f"../shared/narratives/{name}.txt")
        for quote in _quotes(draft.data):
            assert "Tier" not in quote and "minimum standards" not in quote, quote


def test_outcome_only_factbook_summaries_give_no_fact() -> None:
    rows = [r for r in csv.DictReader(FACTBOOK.open(encoding="utf-8")) if r["summary_kind"] == "outcome-only"]
    assert rows
    for row in rows:
        draft = extract_text(row["tier_rating_text"], row["iso3"], int(row["report_year"]), "summaries.csv")
        assert draft.facts == 0, row["id"]


def test_out_is_written_atomically_and_never_over_the_source(tmp_path: Path) -> None:
    source = tmp_path / "mali.txt"
    source.write_bytes(MALI_2004.read_bytes())
    with pytest.raises(InputError, match="ending in .yaml"):
        extract(source, "MLI", 2004, str(source))
    odd = tmp_path / "chapter.yaml"  # a text saved under a .yaml name is still the source
    odd.write_bytes(MALI_2004.read_bytes())
    with pytest.raises(InputError, match="is the source text"):
        extract(odd, "MLI", 2004, str(tmp_path / "." / "chapter.yaml"))
    assert odd.read_bytes() == MALI_2004.read_bytes()
    out = tmp_path / "draft.yaml"
    draft, rendered = extract(source, "MLI", 2004, str(out))
    assert out.read_text("utf-8") == rendered
    assert source.read_bytes() == MALI_2004.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    assert load_efforts(out).country == "Mali"
    assert api.score(out).tier == api.score(ROOT / "fixtures" / "mali" / "2004.yaml").tier


def test_a_failed_run_leaves_an_existing_draft_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    out.write_text("keep me\n", "utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", "utf-8")
    with pytest.raises(InputError):
        extract(empty, "MLI", 2004, str(out))
    assert out.read_text("utf-8") == "keep me\n"
