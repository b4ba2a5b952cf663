"""`tipscore extract` through the real CLI: the seed texts give drafts that check and score like the
hand-coded fixtures; bad input is one line, exit 2, and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.support import ROOT, assert_clean_stderr, assert_fails_cleanly, run

SEEDS = [(2015, "2WL"), (2004, "2")]


@pytest.mark.parametrize(("year", "tier"), SEEDS, ids=[str(y) for y, _ in SEEDS])
def test_seed_text_to_draft_to_check_to_score(tmp_path: Path, year: int, tier: str) -> None:
    out = tmp_path / f"mali-{year}.yaml"
    made = run("extract", f"fixtures/sources/mali-{year}-tip.txt", "--country", "MLI", "--report-year", str(year),
               "--out", out)
    assert made.returncode == 0, made.stderr
    assert made.stdout == ""
    assert made.stderr.startswith(f"{out}: ") and "values coded" in made.stderr
    checked = run("check", out)
    assert checked.returncode == 0 and checked.stdout == f"{out}: ok (Mali, {year} report)\n"
    drafted = json.loads(run("score", out, "--format", "json").stdout)
    hand_coded = json.loads(run("score", f"fixtures/mali/{year}.yaml", "--format", "json").stdout)
    assert drafted["tier"] == hand_coded["tier"] == tier


def test_without_out_the_draft_goes_to_stdout() -> None:
    result = run("extract", "fixtures/sources/mali-2004-tip.txt", "--country", "mli", "--report-year", "2004")
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.startswith("# Draft efforts document written by `tipscore extract` from fixtures/sources/mali-2004-tip.txt")
    assert "\niso3: MLI\n" in result.stdout


def _bad_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    (tmp / "empty.txt").write_text("  \n", "utf-8")
    (tmp / "binary.txt").write_bytes(b"Mali\x00\x01\x02 investigated")
    (tmp / "report.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    (tmp / "latin1.txt").write_bytes("The government investigated one case in C\xf4te d'Ivoire.".encode("latin-1"))
    return {"empty": (tmp / "empty.txt", "the file is empty"), "binary": (tmp / "binary.txt", "binary data"),
            "pdf": (tmp / "report.pdf", "is a PDF"), "latin1": (tmp / "latin1.txt", "not valid UTF-8"),
            "missing": (tmp / "nope.txt", "no such file"), "directory": (tmp, "is a directory")}


@pytest.mark.parametrize("case", ["empty", "binary", "pdf", "latin1", "missing", "directory"])
def test_bad_text_files(tmp_path: Path, case: str) -> None:
    path, fragment = _bad_files(tmp_path)[case]
    out = tmp_path / "draft.yaml"
    result = run("extract", path, "--country", "MLI", "--report-year", "2015", "--out", out)
    lines = assert_fails_cleanly(result, str(path), fragment)
    assert len(lines) == 1 and result.stdout == ""
    assert not out.exists()


@pytest.mark.parametrize(("args", "name", "fragment"), [
    (["--country", "XXX", "--report-year", "2015"], "--country", "ISO 3166-1 alpha-3"),
    (["--country", "Mali", "--report-year", "2015"], "--country", "ISO 3166-1 alpha-3"),
    (["--country", "MLI", "--report-year", "1999"], "--report-year", "no shipped ruleset covers the 1999 report"),
    (["--country", "MLI", "--report-year", "3000"], "--report-year", "no shipped ruleset covers the 3000 report"),
])
def test_bad_country_or_year(tmp_path: Path, args: list[str], name: str, fragment: str) -> None:
    out = tmp_path / "draft.yaml"
    out.write_text("an earlier draft\n", "utf-8")
    result = run("extract", "fixtures/sources/mali-2015-tip.txt", *args, "--out", out)
    lines = assert_fails_cleanly(result, name, fragment)
    assert len(lines) == 1
    assert out.read_text("utf-8") == "an earlier draft\n"


def test_the_source_is_never_the_output(tmp_path: Path) -> None:
    source = tmp_path / "chapter.yaml"
    source.write_bytes((ROOT / "fixtures/sources/mali-2004-tip.txt").read_bytes())
    result = run("extract", source, "--country", "MLI", "--report-year", "2004", "--out", source)
    assert_fails_cleanly(result, str(source), "is the source text")
    assert source.read_bytes() == (ROOT / "fixtures/sources/mali-2004-tip.txt").read_bytes()


def test_missing_options_are_one_usage_line() -> None:
    result = run("extract", "fixtures/sources/mali-2015-tip.txt")
    assert result.returncode == 2
    assert len(assert_clean_stderr(result.stderr)) == 1 and "--country" in result.stderr


@pytest.mark.parametrize(("out", "fragment"), [
    ("draft.txt", "expected an output file ending in .yaml or .yml"),
    ("no-such-folder/draft.yaml", "does not exist"),
])
def test_bad_output_paths(tmp_path: Path, out: str, fragment: str) -> None:
    target = tmp_path / out
    result = run("extract", "fixtures/sources/mali-2015-tip.txt", "--country", "MLI", "--report-year", "2015",
                 "--out", target)
    assert_fails_cleanly(result, str(target), fragment)
    assert not target.exists()
