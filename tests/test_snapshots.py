"""Snapshot tests of the seed explanations: a rule edit shows up as a readable diff.

Refresh after an intended change with ``TIPSCORE_UPDATE_SNAPSHOTS=1 make test`` and
review the diff of tests/snapshots/ like any other change.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path(__file__).parent / "snapshots"
#: snapshot name -> efforts document: the two seeds (decided) and a chapter opening whose
#: outcome is undetermined (the possible outcomes and what would decide them)
DOCUMENTS = {"mali-2004": "fixtures/mali/2004.yaml", "mali-2015": "fixtures/mali/2015.yaml",
             "hnd-2007": "fixtures/narratives/hnd-2007.yaml"}
CASES = [(name, fmt) for name in DOCUMENTS for fmt in ("text", "json", "markdown")]
SUFFIX = {"text": "txt", "json": "json", "markdown": "md"}


def _score(name: str | int, fmt: str, seed: str = "0") -> str:
    env = {**os.environ, "CI": "true", "NO_COLOR": "1", "PYTHONHASHSEED": seed, "TIPSCORE_NO_CACHE": "1"}
    path = DOCUMENTS[name if isinstance(name, str) else f"mali-{name}"]
    result = subprocess.run([sys.executable, "-m", "scoring", "score", path, "--format", fmt],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=True)
    return result.stdout


@pytest.mark.parametrize(("name", "fmt"), CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_explanation_matches_snapshot(name: str, fmt: str) -> None:
    snapshot = SNAPSHOTS / f"{name}.{SUFFIX[fmt]}"
    output = _score(name, fmt)
    if os.environ.get("TIPSCORE_UPDATE_SNAPSHOTS"):
        snapshot.write_text(output, encoding="utf-8")
    assert output == snapshot.read_text(encoding="utf-8"), f"refresh with TIPSCORE_UPDATE_SNAPSHOTS=1 if intended: {snapshot}"


def test_json_is_byte_identical_across_processes_and_hash_seeds() -> None:
    assert _score(2015, "json", "1") == _score(2015, "json", "98765")


def test_seed_outcomes_are_in_the_snapshots() -> None:
    import json

    mali_2015 = json.loads((SNAPSHOTS / "mali-2015.json").read_text(encoding="utf-8"))
    assert mali_2015["tier"] == "2WL" and mali_2015["watch_list"]["consecutive_years"] == 3
    assert mali_2015["watch_list"]["automatic_downgrade"] == "waived"
    assert mali_2015["watch_list"]["counted_years"] == 3
    assert mali_2015["watch_list"]["waiver"] == {
        "eligible": True, "granted": True, "number": 1, "cap": 2,
        "conditions": {"written_plan": True, "plan_would_constitute_significant_efforts": True, "sufficient_resources": True}}
    text = (SNAPSHOTS / "mali-2015.txt").read_text(encoding="utf-8")
    assert "investigations 1 (previous 13)" in text and "victims identified 48 (previous 79)" in text
    assert json.loads((SNAPSHOTS / "mali-2004.json").read_text(encoding="utf-8"))["tier"] == "2"


def test_undetermined_snapshot_names_the_possible_outcomes() -> None:
    import json

    honduras = json.loads((SNAPSHOTS / "hnd-2007.json").read_text(encoding="utf-8"))
    assert honduras["tier"] is None and len(honduras["possible_outcomes"]) > 1
    assert "2WL" in {o["tier"] for o in honduras["possible_outcomes"]}, "the published outcome is left open"
    assert honduras["open_questions"] and all(q["decided_by"] for q in honduras["open_questions"])
    assert (SNAPSHOTS / "hnd-2007.txt").read_text(encoding="utf-8").splitlines()[1].startswith("Outcome: Tier ")
    assert "### Possible outcomes" in (SNAPSHOTS / "hnd-2007.md").read_text(encoding="utf-8")
