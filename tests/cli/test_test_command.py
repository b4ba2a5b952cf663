"""``tipscore test`` through the real entry point: exit 0 / 1 / 2, one line per bad-input problem
naming the file and line:col, no traceback; batch never scores a test file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.cli.support import ROOT, assert_clean_stderr, assert_fails_cleanly, run

EXAMPLES = ROOT / "docs" / "examples"
MALI_2004 = ROOT / "fixtures" / "mali" / "2004.yaml"


def _write(tmp_path: Path, text: str, name: str = "cases.test.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_passing_cases_exit_0() -> None:
    result = run("test", EXAMPLES / "waivers.test.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "3 cases in 1 file: 3 passed, 0 failed" and not result.stderr


def test_a_failing_case_exits_1_with_the_diff_on_stdout() -> None:
    result = run("test", EXAMPLES / "second-waiver.test.yaml")
    assert result.returncode == 1 and not result.stderr
    assert "      tier                 2WL       3" in result.stdout.splitlines()


def test_the_shipped_tests_pass_with_full_coverage() -> None:
    result = run("test", "--quiet", "--coverage", "--threshold", "100")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "threshold 100%: met"


def test_coverage_below_the_threshold_exits_1() -> None:
    result = run("test", EXAMPLES / "waivers.test.yaml", "--threshold", "90", "--quiet")
    assert result.returncode == 1
    assert "BELOW THRESHOLD" in result.stdout and result.stdout.splitlines()[-1] == "threshold 90%: NOT met"


def test_json_format() -> None:
    result = run("test", EXAMPLES / "second-waiver.test.yaml", "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["summary"] == {"cases": 1, "passed": 0, "failed": 1}


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nonesuch.test.yaml"
    assert_fails_cleanly(run("test", missing), str(missing), "no such file or folder")


def test_malformed_test_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "cases:\n  - name: x\n    document: [unclosed\n")
    [line] = assert_fails_cleanly(run("test", path), str(path), "invalid YAML")
    assert line.startswith(f"{path}:4:1: ")


def test_unknown_expectation_key_with_did_you_mean() -> None:
    path = EXAMPLES / "misspelled.test.yaml"
    [line] = assert_fails_cleanly(run("test", "docs/examples/misspelled.test.yaml"),
                                  "docs/examples/misspelled.test.yaml", "did you mean 'tier'?")
    assert line.startswith("docs/examples/misspelled.test.yaml:6:7: cases[0].expect.teir: unknown expectation 'teir'")
    assert path.is_file()


def test_unknown_ruleset(tmp_path: Path) -> None:
    path = _write(tmp_path, f"cases:\n  - name: x\n    ruleset: tvpa-2027\n    document: {MALI_2004}\n    expect: {{tier: 2}}\n")
    [line] = assert_fails_cleanly(run("test", path), str(path), "unknown ruleset 'tvpa-2027'")
    assert line.startswith(f"{path}:3:5: cases[0].ruleset: ")


def test_invalid_inline_document(tmp_path: Path) -> None:
    path = _write(tmp_path, "cases:\n  - name: x\n    document: {report_year: 1999}\n    expect: {tier: 2}\n")
    [line] = assert_fails_cleanly(run("test", path), str(path), "report_year")
    assert line == f"{path}:3:16: cases[0].document.report_year: expected a value >= 2001, got 1999"


def test_bad_format_and_threshold() -> None:
    assert_fails_cleanly(run("test", "--format", "xml"), "--format", "expected text or json")
    result = run("test", "--threshold", "120")
    assert result.returncode == 2
    assert_clean_stderr(result.stderr)


def test_batch_skips_test_files_in_folders_and_patterns(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "mali-2004.yaml").write_text(MALI_2004.read_text("utf-8"), "utf-8")
    _write(tmp_path / "docs", f"cases:\n  - name: x\n    document: mali-2004.yaml\n    expect: {{tier: 2}}\n", "mali.test.yaml")
    for source in (tmp_path / "docs", tmp_path / "docs" / "*.yaml"):
        out = tmp_path / "scores.csv"
        result = run("batch", source, "--out", out)
        assert result.returncode == 0, result.stderr
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
        assert [Path(r["file"]).name for r in rows] == ["mali-2004.yaml"]
    assert run("test", tmp_path / "docs").returncode == 0
