"""What a policy author reads: expected beside actual and the tier table row by row; JSON for CI."""

from __future__ import annotations

import json
from pathlib import Path

from scoring.casetest import run_tests
from tests.casetest.support import ROOT

SECOND_WAIVER = ROOT / "docs" / "examples" / "second-waiver.test.yaml"


def test_a_failing_case_shows_expected_actual_and_why() -> None:
    text = run_tests([str(SECOND_WAIVER)]).render()
    lines = text.splitlines()
    assert lines[0].startswith("FAIL  ") and lines[0].endswith(": fourth watch-list year, a second waiver")
    assert lines[1].split() == ["expected", "actual"]
    assert lines[2].split() == ["tier", "2WL", "3"]
    assert lines[3].split() == ["automatic_downgrade", "waived", "applied"]
    assert lines[4].split() == ["waiver_number", "2", "null"]
    assert "        row downgrade_waived: unmet" in lines
    assert "          determination waiver: unmet — waiver granted yes; waivers already used in this run 1 (cap 1)" in lines
    assert "        row downgrade_applied: met ← decided" in lines
    assert lines[-1] == "1 case in 1 file: 0 passed, 1 failed"


def test_an_undetermined_outcome_names_the_row_that_could_not_be_assessed(tmp_path: Path) -> None:
    path = tmp_path / "u.test.yaml"
    path.write_text("cases:\n  - name: nothing known\n    document: {report_year: 2016}\n    expect: {tier: 2}\n", "utf-8")
    text = run_tests([str(path)]).render()
    assert "        row tier_3: unknown ← could not be assessed: the tier is undetermined" in text.splitlines()
    assert "      tier  2         undetermined" in text.splitlines()


def test_quiet_lists_only_failures() -> None:
    report = run_tests([str(ROOT / "docs" / "examples" / "waivers.test.yaml")])
    assert report.render(quiet=True) == "3 cases in 1 file: 3 passed, 0 failed\n"
    assert report.render().count("\nok  ") + report.render().startswith("ok  ") == 3


def test_json_is_complete_and_deterministic() -> None:
    paths = [str(SECOND_WAIVER), str(ROOT / "docs" / "examples" / "waivers.test.yaml")]
    first = run_tests(paths, coverage=True, threshold=50).render("json")
    assert first == run_tests(paths, coverage=True, threshold=50).render("json")
    data = json.loads(first)
    assert data["summary"] == {"cases": 4, "passed": 3, "failed": 1}
    failed = data["cases"][0]
    assert failed["passed"] is False and failed["ruleset"] == "tvpa-2019" and failed["tier_row"] == "downgrade_applied"
    assert failed["mismatches"][0] == {"expectation": "tier", "expected": "2WL", "actual": "3", "place": "19:7"}
    assert [c["ruleset"] for c in data["coverage"]] == ["tvpa-2013", "tvpa-2019"] and data["threshold"] == 50
