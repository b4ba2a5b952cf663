"""The rule-authoring commands and options through the real CLI: what works, and bad input.

Bad input (a missing file or folder, an unknown ruleset, a user ruleset overlapping a shipped
one, a bad format) gives one line naming the file and place, exit 2, no traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.support import ROOT, assert_fails_cleanly, run
from tests.ruleset.authoring import ERA_2027, write_era, write_second_waiver_granted

MALI_2015 = ROOT / "fixtures" / "mali" / "2015.yaml"
SECOND_WAIVER = "fixtures/synthetic/second-waiver-refused-2019.yaml"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    write_era(tmp_path / "my")
    text = MALI_2015.read_text("utf-8").replace("report_year: 2015", "report_year: 2027")
    (tmp_path / "mali-2027.yaml").write_text(text, "utf-8")
    return tmp_path


# --- what works -------------------------------------------------------------------------------

def test_score_picks_the_users_era_by_report_year_from_the_option_or_the_environment(workspace: Path) -> None:
    default = run("score", "mali-2027.yaml", "--format", "json", cwd=workspace)
    chosen = run("score", "mali-2027.yaml", "--format", "json", "--rulesets", "my", cwd=workspace)
    from_env = run("score", "mali-2027.yaml", "--format", "json", cwd=workspace, TIPSCORE_RULESETS="my")
    # without the user's era, a year past the law tipscore was checked against is refused, not scored silently
    assert default.returncode == 2 and "after 2025" in default.stderr and "--rulesets DIR" in default.stderr
    assert json.loads(chosen.stdout)["ruleset"]["id"] == "tvpa-2027" == json.loads(from_env.stdout)["ruleset"]["id"]


def test_rulesets_lists_where_each_comes_from(workspace: Path) -> None:
    result = run("rulesets", "--rulesets", "my", cwd=workspace)
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert "report years 2019-2026 (of 2019-)" in lines["tvpa-2019"] and " shipped " in lines["tvpa-2019"]
    assert "my/tvpa-2027.yaml" in lines["tvpa-2027"] and "(replaces tvpa-2019)" in lines["tvpa-2027"]


def test_rulesets_with_an_id_describes_it(workspace: Path) -> None:
    result = run("rulesets", "tvpa-2027", cwd=workspace, TIPSCORE_RULESETS="my")
    assert result.returncode == 0, result.stderr
    assert "in force:   report years 2027-" in result.stdout and "waiver_cap=2" in result.stdout
    assert "survivor_partnerships" in result.stdout and "[tvpa-2027]" in result.stdout


def test_batch_picks_the_users_era(workspace: Path) -> None:
    result = run("batch", "mali-2027.yaml", str(ROOT / "fixtures" / "mali" / "2015.yaml"), "--out", "scores.csv",
                 "--jobs", "2", cwd=workspace, TIPSCORE_RULESETS="my")
    assert result.returncode == 0, result.stderr
    import csv

    rows = {Path(r["file"]).name: r["ruleset"] for r in csv.DictReader((workspace / "scores.csv").open())}
    assert rows == {"mali-2027.yaml": "tvpa-2027", "2015.yaml": "tvpa-2013"}


def test_validate_and_verify_honour_the_folder(workspace: Path) -> None:
    assert run("validate", "--strict", "--rulesets", "my", "tvpa-2027", cwd=workspace).returncode == 0
    result = run("verify", "tvpa-2027", "--rulesets", "my", "-n", "5", "-p", "totality", cwd=workspace)
    assert result.returncode == 0 and "tvpa-2027: totality: ok" in result.stdout, result.stdout + result.stderr


def test_diff_through_the_cli(workspace: Path) -> None:
    granted = write_second_waiver_granted(workspace / "docs")
    result = run("diff", "tvpa-2019", "my/tvpa-2027.yaml", "--over", str(granted), "--over", str(ROOT / SECOND_WAIVER),
                 "--format", "json", cwd=workspace)
    assert result.returncode == 0, result.stderr
    # a recorded grant is waived under the raised cap; without one the country is only eligible
    assert json.loads(result.stdout)["transitions"] == [{"count": 1, "from": "3", "to": "2WL"},
                                                        {"count": 1, "from": "3", "to": "undetermined"}]


def test_show_and_docs_through_the_cli(workspace: Path) -> None:
    shown = run("show", "tvpa-2027", "--resolved", "--rulesets", "my", cwd=workspace)
    assert shown.returncode == 0 and "# significant_efforts: from tvpa-2019" in shown.stdout
    plain = run("show", "my/tvpa-2027.yaml", cwd=workspace)
    assert plain.stdout == ERA_2027
    docs = run("docs", "--rulesets", "my", "--out", "site", cwd=workspace)
    assert docs.returncode == 0, docs.stderr
    assert (workspace / "site" / "tvpa-2027.html").is_file() and (workspace / "site" / "index.md").is_file()


# --- bad input ----------------------------------------------------------------------------------

def test_a_missing_rulesets_folder(workspace: Path) -> None:
    for args in (("score", "mali-2027.yaml"), ("rulesets",), ("validate", "tvpa-2019"), ("verify", "tvpa-2019"),
                 ("batch", "mali-2027.yaml", "--out", "x.csv"), ("show", "tvpa-2019"), ("docs", "--out", "site"),
                 ("diff", "tvpa-2019", "tvpa-2019", "--over", "mali-2027.yaml")):
        result = run(*args, "--rulesets", "nowhere", cwd=workspace)
        assert_fails_cleanly(result, "nowhere", "no such folder (given by --rulesets)")
    result = run("score", "mali-2027.yaml", cwd=workspace, TIPSCORE_RULESETS="nowhere")
    assert_fails_cleanly(result, "nowhere", "no such folder (given by TIPSCORE_RULESETS)")
    assert not (workspace / "x.csv").exists()


def test_an_overlapping_user_ruleset_stops_every_command(workspace: Path) -> None:
    write_era(workspace / "my", ERA_2027.replace("replaces: tvpa-2019\n", ""))
    for args in (("score", "mali-2027.yaml"), ("rulesets",), ("diff", "tvpa-2019", "tvpa-2019", "--over", "mali-2027.yaml"),
                 ("docs", "--out", "site"), ("show", "tvpa-2019"), ("batch", "mali-2027.yaml", "--out", "x.csv")):
        result = run(*args, cwd=workspace, TIPSCORE_RULESETS="my")
        (line,) = assert_fails_cleanly(result, "my/tvpa-2027.yaml", "TS114", "overlap tvpa-2019", "replaces: tvpa-2019")
        assert line.startswith("my/tvpa-2027.yaml:5:1: TS114"), line
    assert not (workspace / "site").exists() and not (workspace / "x.csv").exists()


@pytest.mark.parametrize("args", [
    ("diff", "tvpa-2019", "tvpa-2099", "--over", "mali-2027.yaml"),
    ("show", "tvpa-2099"),
    ("rulesets", "tvpa-2099"),
    ("docs", "tvpa-2099", "--out", "site"),
])
def test_an_unknown_ruleset(workspace: Path, args: tuple[str, ...]) -> None:
    assert_fails_cleanly(run(*args, cwd=workspace), "tvpa-2099", "no such ruleset file or shipped ruleset id")


@pytest.mark.parametrize("args", [
    ("diff", "missing.yaml", "tvpa-2019", "--over", "mali-2027.yaml"),
    ("show", "missing.yaml", "--resolved"),
    ("docs", "missing.yaml", "--out", "site"),
])
def test_a_missing_ruleset_file(workspace: Path, args: tuple[str, ...]) -> None:
    assert_fails_cleanly(run(*args, cwd=workspace), "missing.yaml", "no such ruleset file")


def test_diff_bad_input(workspace: Path) -> None:
    assert_fails_cleanly(run("diff", "tvpa-2019", "tvpa-2019", "--over", "none/", cwd=workspace), "none/",
                         "no such file or folder (given by --over)")
    assert_fails_cleanly(run("diff", "tvpa-2019", "tvpa-2019", "--over", "*.nothing", cwd=workspace), "*.nothing",
                         "matches no file")
    assert_fails_cleanly(run("diff", "tvpa-2019", "tvpa-2019", "--over", "mali-2027.yaml", "--format", "xml",
                             cwd=workspace), "--format", "expected one of text, markdown, csv, json")
    broken = workspace / "my" / "broken.yaml"
    broken.write_text("ruleset: broken\nreport_years: {first: 2030, last: 2029\n", "utf-8")
    result = run("diff", "tvpa-2019", "my/broken.yaml", "--over", "mali-2027.yaml", cwd=workspace)
    assert_fails_cleanly(result, "my/broken.yaml", "TS001")


def test_diff_reports_a_bad_document_and_exits_1(workspace: Path) -> None:
    (workspace / "bad.yaml").write_text("country: Mali\n", "utf-8")
    result = run("diff", "tvpa-2019", "tvpa-2019", "--over", "bad.yaml", "--over", "mali-2027.yaml", cwd=workspace)
    assert result.returncode == 1
    assert "0 of 1 documents changed outcome (0 changed tier); 0 more changed a rule's status but not the outcome; " \
        "1 could not be scored" in result.stdout
    assert [line for line in result.stderr.splitlines() if line.startswith("bad.yaml")] == [
        "bad.yaml:1:1: iso3: required field is missing (+1 more)"]


def test_docs_refuses_an_output_that_is_a_file(workspace: Path) -> None:
    (workspace / "site").write_text("keep me", "utf-8")
    assert_fails_cleanly(run("docs", "--out", "site", cwd=workspace), "site", "expected a folder")
    assert (workspace / "site").read_text("utf-8") == "keep me"
