"""The fixtures are honest: Mali quotes occur verbatim in their sources, every known Mali fact
has evidence, and every fixture (Mali and synthetic) is a valid efforts document."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any, Iterator

import pytest

from scoring.efforts.facts import evidence_for, flatten
from scoring.efforts.validate import load_efforts
from scoring.load import read_source

ROOT = Path(__file__).resolve().parents[2]
MALI = sorted((ROOT / "fixtures" / "mali").glob("*.yaml"))
SYNTHETIC = sorted((ROOT / "fixtures" / "synthetic").glob("*.yaml"))
#: Facts every document has (they come from the document's header, not from a quote; so do the
#: ``coded.*`` facts, from the parts the document declares coded).
HEADER_FACTS = {"report_year", "entity"}
TIER_HISTORY_CSV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "tier-history.csv"


def _ids(paths: list[Path]) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in paths]


def _evidence_items(data: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every item of every ``evidence`` list in the raw data, with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{where}.{key}" if where else str(key)
            if key == "evidence" and isinstance(value, list):
                for i, item in enumerate(value):
                    yield f"{here}[{i}]", item
            else:
                yield from _evidence_items(value, here)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _evidence_items(value, f"{where}[{i}]")


def test_fixtures_exist() -> None:
    assert {p.name for p in MALI} >= {"2015.yaml", "2004.yaml"}
    assert len(SYNTHETIC) >= 11


@pytest.mark.parametrize("path", MALI, ids=_ids(MALI))
def test_every_quote_occurs_verbatim_in_its_source(path: Path) -> None:
    data = read_source(path).data
    sources = {s["id"]: s for s in data["sources"]}
    texts: dict[str, str] = {}
    for source_id, source in sources.items():
        assert source.get("path"), f"source {source_id} has no path"
        text_path = ROOT / source["path"]
        assert text_path.is_file(), f"source {source_id}: {source['path']} does not exist"
        texts[source_id] = text_path.read_text(encoding="utf-8")

    items = list(_evidence_items(data))
    assert items, "a real fixture must carry evidence"
    problems = []
    for where, item in items:
        if item["source"] not in texts:
            problems.append(f"{where}: unknown source {item['source']!r}")
        elif item["quote"] not in texts[item["source"]]:
            problems.append(f"{where}: quote not found verbatim: {item['quote']!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", MALI, ids=_ids(MALI))
def test_every_known_fact_has_evidence(path: Path) -> None:
    document = load_efforts(path)
    facts = flatten(document)
    assert len(facts) > len(HEADER_FACTS), "a real fixture must state some facts"
    missing = [p for p in facts if p not in HEADER_FACTS and not p.startswith(("coded.", "other_actions.")) and not evidence_for(document, p)]
    assert not missing, f"known facts without an evidence quote: {missing}"


@pytest.mark.parametrize("path", MALI + SYNTHETIC, ids=_ids(MALI + SYNTHETIC))
def test_fixture_validates(path: Path) -> None:
    load_efforts(path)


@pytest.mark.parametrize("path", MALI, ids=_ids(MALI))
def test_mali_header_and_sources(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=../../scoring/schemas_data/efforts.schema.json" in text
    document = load_efforts(path)
    assert document.iso3 == "MLI"
    assert str(document.report_year) == path.stem
    assert document.sources and all(s.path and s.path.startswith("fixtures/sources/") for s in document.sources)


@pytest.mark.parametrize("path", MALI, ids=_ids(MALI))
def test_mali_tier_history_matches_the_dataset(path: Path) -> None:
    """The tier history is exactly the dataset's placements for earlier report years."""
    if not TIER_HISTORY_CSV.is_file():
        pytest.skip(f"{TIER_HISTORY_CSV} not available")
    document = load_efforts(path)
    with TIER_HISTORY_CSV.open(encoding="utf-8") as handle:
        expected = {
            int(row["report_year"]): row["tier"]
            for row in csv.DictReader(handle)
            if row["iso3"] == document.iso3 and int(row["report_year"]) < document.report_year
        }
    history = document.tier_history or []
    assert {p.report_year: p.tier for p in history} == expected
    assert all(p.waiver is None for p in history), "the dataset has no waiver flags"


@pytest.mark.parametrize("path", SYNTHETIC, ids=_ids(SYNTHETIC))
def test_synthetic_fixtures_say_so(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# SYNTHETIC: not a real country-year."
    assert lines[1].startswith("# ") and "Intended outcome" in lines[1]
    document = load_efforts(path)
    assert document.country.startswith("Synthetic ")
    assert not document.sources


# ------------------------------------------------------------------ Factbook summaries (outcome wording masked)

FACTBOOK = sorted((ROOT / "fixtures" / "factbook").glob("*.yaml"))
FACTBOOK_CSV = Path(__file__).resolve().parents[2].parent / "shared" / "factbook" / "summaries.csv"
#: Outcome wording the masking removes before coding: a quote containing it would code a conclusion.
OUTCOME_WORDING = re.compile(r"Tier [123]|Watch List|minimum standards|significant efforts|increasing efforts|waiver|"
                             r"downgrade|remained on|placed on|upgraded", re.I)


@pytest.mark.parametrize("path", FACTBOOK, ids=_ids(FACTBOOK))
def test_factbook_quotes_are_verbatim_and_never_outcome_wording(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = re.search(r"^# factbook-id: (\S+)$", text, re.M)
    assert found and re.search(r"^# published-tier: \S+$", text, re.M)
    document = load_efforts(path)
    assert document.coded == ["summary"], "a masked summary shows nothing by its silence"
    quotes = [item["quote"] for _, item in _evidence_items(read_source(path).data)]
    assert quotes
    assert not [q for q in quotes if OUTCOME_WORDING.search(q)]
    if not FACTBOOK_CSV.is_file():
        pytest.skip(f"{FACTBOOK_CSV} not available")
    with FACTBOOK_CSV.open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["id"] == found.group(1))
    assert (document.iso3, str(document.report_year)) == (row["iso3"], row["report_year"])
    assert not [q for q in quotes if q not in row["tier_rating_text"]]
    facts = flatten(document)
    missing = [p for p in facts if p not in HEADER_FACTS and not p.startswith(("coded.", "other_actions."))
               and not evidence_for(document, p)]
    assert not missing
