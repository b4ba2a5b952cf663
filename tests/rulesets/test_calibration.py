"""The calibration against real narratives documented in docs/rubric.md is what the rulesets
give, and the narrative fixtures are honest (verbatim quotes, evidence for every fact, the
published tier only in a comment)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from scoring.efforts.facts import evidence_for, flatten
from scoring.efforts.validate import load_efforts
from scoring.load import read_source
from tests.rulesets.support import ROOT, score
from tests.rulesets.test_monotone import _outcome

RUBRIC = ROOT / "docs" / "rubric.md"
NARRATIVES = sorted((ROOT / "fixtures" / "narratives").glob("*.yaml"))
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "narratives"
HEADER = ["Narrative", "Published", "tipscore", "Tiers still possible", "Agree", "Consistent", "Why"]
TIER_ORDER = ["1", "2", "2WL", "3", "special"]


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def calibration_table() -> dict[str, dict[str, str]]:
    lines = RUBRIC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|") and _cells(line) == HEADER)
    rows = {}
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = dict(zip(HEADER, _cells(line)))
        rows[cells["Narrative"]] = cells
    return rows


def published(path: Path) -> str:
    m = re.search(r"^# published-tier: (\S+)$", path.read_text(encoding="utf-8"), re.M)
    assert m, f"{path.name}: no '# published-tier:' header line"
    return m.group(1)


def computed(path: Path) -> dict[str, Any]:
    rs, facts, ev = score(path)
    tier = ev.outputs.get("tier", {}).get("tier")
    possible, _ = _outcome(rs, facts)
    pub = published(path)
    return {"tier": tier or "undetermined", "possible": ", ".join(t for t in TIER_ORDER if t in possible),
            "agree": tier == pub, "consistent": pub in possible}


def test_every_narrative_fixture_is_in_the_table_and_back() -> None:
    assert {p.stem for p in NARRATIVES} == set(calibration_table())


@pytest.mark.parametrize("path", NARRATIVES, ids=[p.stem for p in NARRATIVES])
def test_table_row_matches_the_rulesets(path: Path) -> None:
    row = calibration_table()[path.stem]
    got = computed(path)
    assert row["Published"] == published(path)
    assert row["tipscore"] == got["tier"]
    assert row["Tiers still possible"] == got["possible"]
    assert row["Agree"] == ("yes" if got["agree"] else "no")
    assert row["Consistent"] == ("yes" if got["consistent"] else "no")


def test_documented_agreement_count() -> None:
    text = RUBRIC.read_text(encoding="utf-8")
    m = re.search(r"Agreement: (\d+) of (\d+) coded narratives get the published tier; (\d+) of (\d+) are\s+consistent"
                  r" with it;\s+(\d+) contradicts? it", text)
    assert m, "the agreement sentence in docs/rubric.md"
    agree, coded, consistent, coded2, contradict = map(int, m.groups())
    results = [computed(p) for p in NARRATIVES]
    assert coded == coded2 == len(NARRATIVES)
    assert agree == sum(r["agree"] for r in results)
    assert consistent == sum(r["consistent"] for r in results)
    assert contradict == len(results) - consistent


# ------------------------------------------------------------------ the fixtures themselves


@pytest.mark.parametrize("path", NARRATIVES, ids=[p.stem for p in NARRATIVES])
def test_narrative_fixture_is_honest(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=../../scoring/schemas_data/efforts.schema.json" in text
    doc = load_efforts(path)
    assert doc.sources, "the source page is named"
    for source in doc.sources:
        assert source.url and source.url.startswith("http"), "the source is the narrative's page"
        assert not (source.path or "").startswith("../") and not os.path.isabs(source.path or ""), "no path into the shared folder"
    facts = flatten(doc)
    missing = [p for p in facts if p not in ("report_year", "entity") and not p.startswith(("coded.", "other_actions.")) and not evidence_for(doc, p)]
    assert not missing, f"known facts without evidence: {missing}"


@pytest.mark.parametrize("path", NARRATIVES, ids=[p.stem for p in NARRATIVES])
def test_narrative_quotes_are_verbatim(path: Path) -> None:
    original = SHARED / f"{path.stem}.txt"
    if not original.is_file():
        pytest.skip(f"{original} not available")
    source_text = original.read_text(encoding="utf-8")
    data = read_source(path).data
    quotes: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "evidence" and isinstance(value, list):
                    quotes.extend(item["quote"] for item in value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    facts = [p for p in flatten(load_efforts(path)) if p not in ("report_year", "entity")
             and not p.startswith(("coded.", "other_actions."))]
    assert quotes or not facts, "a document that states facts quotes its source"
    bad = [q for q in quotes if q not in source_text]
    assert not bad, f"quotes not found verbatim in {original.name}: {bad}"
