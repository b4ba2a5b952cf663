"""Batch edge cases: nothing to score, SIGTERM mid-run, an empty history file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys

from pathlib import Path

import yaml

from scoring.api import score
from scoring.testing import random_data

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "CI": "true"}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scoring", *args], capture_output=True, text=True, cwd=ROOT,
                          env=ENV, timeout=120, stdin=subprocess.DEVNULL)


def test_a_folder_with_no_documents_is_bad_input(tmp_path: Path) -> None:
    result = _run("batch", str(tmp_path), "--out", str(tmp_path / "out.csv"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"{tmp_path}: no efforts documents (*.yaml, *.yml, *.json) found"
    assert not (tmp_path / "out.csv").exists()


def test_an_empty_history_file_is_bad_input(tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    history.write_text("", encoding="utf-8")
    result = _run("score", "fixtures/mali/2015.yaml", "--history", str(history))
    assert result.returncode == 2
    assert result.stderr.strip() == f"{history}:1:1: expected a header line naming the columns iso3, report_year, tier"


def test_sigterm_leaves_no_partial_or_temporary_file(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    rng = random.Random(3)
    for i in range(400):
        (docs / f"d{i:03}.yaml").write_text(yaml.safe_dump(random_data(rng)), encoding="utf-8")
    out = tmp_path / "out.csv"
    out.write_text("old results\n", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "scoring", "batch", str(docs), "--out", str(out)],
                               cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               stdin=subprocess.DEVNULL)
    assert process.stderr is not None
    line = process.stderr.readline()  # the first progress line: scoring is under way
    assert line.startswith("scoring: "), line
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 143, err
    assert "Traceback" not in err
    assert out.read_text(encoding="utf-8") == "old results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "out.csv"]


def test_csv_to_stdout_has_score_bounds_unknown_fields_reason_and_movement() -> None:
    """``--out -``: CSV on stdout; unknown is not zero (bounds); the reason and previous tier; yes/no."""
    import csv as _csv
    import io

    result = _run("batch", "fixtures/mali/2015.yaml", "fixtures/synthetic/all-unknown-2016.yaml", "--out", "-")
    assert result.returncode == 0, result.stderr
    rows = {r["file"]: r for r in _csv.DictReader(io.StringIO(result.stdout))}
    mali, unknown = rows["fixtures/mali/2015.yaml"], rows["fixtures/synthetic/all-unknown-2016.yaml"]
    overall = score("fixtures/mali/2015.yaml").scores["overall"]
    assert (mali["score_overall_min"], mali["score_overall_max"]) == (str(overall.score), str(overall.max_score))
    assert overall.score != overall.max_score
    assert (unknown["score_overall_min"], unknown["score_overall_max"]) == ("0", "100")
    assert mali["reason"] == "row downgrade_waived" and mali["previous_tier"] == "2WL" and mali["movement"] == "unchanged"
    assert unknown["reason"].startswith("open: row tier_3") and unknown["determined"] == "no"
    assert mali["determined"] == "yes" and mali["waiver_granted"] == "yes"
    assert "prevention.border_monitoring" in mali["unknown_fields"].split()
    assert "migration_monitoring" in mali["not_assessable"].split()
    # only fields that could still decide a criterion: not the 2004-2005 good-faith exception in 2015
    assert "prosecution.law_enforcement_data_good_faith" not in mali["unknown_fields"].split()
    mali_outcome = score("fixtures/mali/2015.yaml")
    open_facts = {f.removesuffix(".change") for c in mali_outcome.criteria if c.status == "unknown" for f in c.open_facts}
    assert set(mali["unknown_fields"].split()) == {f for f in open_facts if not f.startswith("history.")}


def test_markdown_table_to_stdout() -> None:
    result = _run("batch", "fixtures/mali", "--out", "-", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| file | country | iso3 |") and lines[1].startswith("|---|")
    assert any(line.startswith("| fixtures/mali/2015.yaml | Mali | MLI | 2015 | tvpa-2013 | 2WL | yes |") for line in lines)
