"""docs/efforts.md's field reference is generated from the model and kept up to date."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from scoring.efforts.facts import catalog
from scoring.efforts.reference import BEGIN, END, field_reference, refreshed

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "efforts.md"


def test_the_field_reference_in_docs_is_up_to_date() -> None:
    text = DOC.read_text("utf-8")
    assert refreshed(text) == text, "run .venv/bin/python scripts/update_efforts_docs.py"


def test_every_fillable_field_has_a_row_with_its_title_and_polarity() -> None:
    table = field_reference()
    for spec in catalog().values():
        if spec.path.startswith("history.") or spec.kind in ("year", "entity", "change") or spec.path.endswith(".previous"):
            assert f"`{spec.path}`" not in table
            continue
        row = next(line for line in table.splitlines() if line.startswith(f"| `{spec.path}` |"))
        assert spec.description in row
        assert {"more": "more is more effort", "less": "less is more effort", "neutral": "neither"}[spec.polarity] in row


def test_sections_come_from_the_rules_that_read_the_field() -> None:
    rows = {line.split("|")[1].strip(" `"): line for line in field_reference().splitlines()[2:]}
    assert "7106(b)(1)" in rows["prosecution.prosecutions"]
    assert "7106(b)(6)" in rows["prevention.border_monitoring"]
    assert "7107(b)(2)(D)(ii)" in rows["waiver.written_plan"]


def test_the_check_mode_of_the_script_fails_on_a_stale_copy(tmp_path: Path) -> None:
    stale = DOC.read_text("utf-8").replace("| `prosecution.prosecutions` |", "| `prosecution.prosecutionz` |")
    assert refreshed(stale) != stale
    assert BEGIN in stale and END in stale
    ok = subprocess.run([sys.executable, str(ROOT / "scripts" / "update_efforts_docs.py"), "--check"],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
