"""--format json --detail summary: small, deterministic, citations by reference (issue 14, item 5)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from scoring.api import score
from scoring.summary import as_summary_json
from tests.cli.support import run

ROOT = Path(__file__).resolve().parents[1]
MALI = ROOT / "fixtures" / "mali" / "2015.yaml"
SNAPSHOT = ROOT / "tests" / "snapshots" / "mali-2015.summary.json"


def test_summary_is_well_under_10_kb_and_matches_its_snapshot() -> None:
    text = as_summary_json(score(MALI))
    size = len(text.encode("utf-8"))
    print(f"summary JSON for Mali 2015: {size} bytes")
    assert size < 9 * 1024
    if os.environ.get("TIPSCORE_UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(text, "utf-8")
    assert text == SNAPSHOT.read_text("utf-8"), "refresh with TIPSCORE_UPDATE_SNAPSHOTS=1"


def test_citations_are_given_once_and_referenced() -> None:
    outcome = score(MALI)
    data = json.loads(as_summary_json(outcome))
    table = data["citations"]["enacted_by"]
    refs = [v[1] for v in data["criteria"].values()] + [v[1] for v in data["determinations"].values()]
    refs.append(data["rows_tried"]["citation"])
    assert set(refs) <= set(table) and len(table) < len(refs)
    assert data["criteria"]["migration_monitoring"] == ["unknown", "7106(b)(6)", ["prevention.border_monitoring"]]
    assert data["criteria"]["investigates"] == ["met", "7106(b)(1)"]  # assessed: no fields to fill
    unknown = {c.id for c in outcome.criteria if c.status == "unknown"}
    assert {cid for cid, entry in data["criteria"].items() if len(entry) == 3} == unknown
    overall = outcome.scores["overall"]
    assert data["scores"]["overall"] == {"min": overall.score, "max": overall.max_score} and overall.score == 35
    assert data["tier"] == "2WL" and data["watch_list"]["waiver"]["number"] == 1


def test_the_cli_detail_option() -> None:
    result = run("score", MALI, "--format", "json", "--detail", "summary")
    assert result.returncode == 0 and result.stdout == SNAPSHOT.read_text("utf-8")
    bad = run("score", MALI, "--detail", "short")
    assert bad.returncode == 2 and bad.stderr.strip() == "--detail: expected full or summary, got 'short'"
