"""The input checks analysts rely on, through the real CLI: one line naming the file, the place and
what was expected, exit 2, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.support import ROOT, assert_fails_cleanly, run

MALI = ROOT / "fixtures" / "mali" / "2015.yaml"
SOURCE = ROOT / "fixtures" / "sources" / "mali-2015-tip.txt"


def _mali_copy(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    """Mali 2015 beside a copy of its source text (so the source ``path`` resolves), edited."""
    (tmp_path / "fixtures" / "sources").mkdir(parents=True)
    shutil.copy(SOURCE, tmp_path / "fixtures" / "sources" / SOURCE.name)
    text = MALI.read_text("utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    target = tmp_path / "fixtures" / "mali-edited.yaml"
    target.write_text(text, "utf-8")
    return target


def _line_of(doc: Path, text: str) -> int:
    """The line of the edited document that holds ``text`` (so edits to the fixture don't break the test)."""
    return next(n for n, line in enumerate(doc.read_text("utf-8").splitlines(), 1) if text in line)


def _one_line(result, path: Path, *fragments: str) -> str:  # type: ignore[no-untyped-def]
    lines = assert_fails_cleanly(result, str(path), *fragments)
    assert len(result.stderr.splitlines()) == 1, result.stderr
    return lines[0]


def test_a_quote_missing_from_its_source_names_the_quote_and_the_closest_passage(tmp_path: Path) -> None:
    doc = _mali_copy(tmp_path, ("compared with 79 during", "compared with 97 during"))
    line = _one_line(run("check", doc), doc, "protection.victims_identified.evidence[0].quote",
                     "does not occur in fixtures/sources/mali-2015-tip.txt")
    assert "compared with 97 during" in line.split("closest passage")[0]
    assert "compared with 79 during" in line.split("closest passage")[1]
    assert line.startswith(f"{doc}:{_line_of(doc, 'compared with 97 during')}:")


def test_quotes_match_across_whitespace_and_typographic_quotes(tmp_path: Path) -> None:
    doc = _mali_copy(tmp_path, ("five to 10 years’ imprisonment\"}", "five   to 10\\n years' imprisonment\"}"))
    result = run("check", doc)
    assert result.returncode == 0, result.stderr


def test_a_quote_is_not_checked_when_its_source_text_is_not_at_hand(tmp_path: Path) -> None:
    doc = tmp_path / "2015.yaml"
    doc.write_text(MALI.read_text("utf-8").replace("compared with 79 during", "compared with 97 during"), "utf-8")
    assert run("check", doc, cwd=tmp_path).returncode == 0


def test_evidence_citing_an_undeclared_source(tmp_path: Path) -> None:
    doc = _mali_copy(tmp_path, ('{source: tip-2015-mali, quote: "The government investigated one',
                                '{source: tip-2015, quote: "The government investigated one'))
    _one_line(run("check", doc), doc, "prosecution.investigations.evidence[0].source",
              "'tip-2015', which is not in sources", "did you mean 'tip-2015-mali'?")


def test_iso3_of_another_country(tmp_path: Path) -> None:
    doc = _mali_copy(tmp_path, ("iso3: MLI", "iso3: HTI"))
    line = _one_line(run("check", doc), doc, "iso3: HTI is the code of Haiti, not of 'Mali'; expected MLI")
    assert line.startswith(f"{doc}:{_line_of(doc, 'iso3: HTI')}:")


@pytest.mark.parametrize("year", [2030, 2100])
def test_a_report_year_after_the_law_was_checked(tmp_path: Path, year: int) -> None:
    doc = tmp_path / f"{year}.yaml"
    doc.write_text(f"country: Synthetic A\niso3: ATA\nreport_year: {year}\n", "utf-8")
    _one_line(run("score", doc), doc, f"report_year: {year} is after 2025",
              "pass --ruleset tvpa-2019")
    assert run("score", doc, "--ruleset", "tvpa-2019").returncode == 0


def test_a_quoted_number_gets_a_hint(tmp_path: Path) -> None:
    doc = tmp_path / "quoted.yaml"
    doc.write_text('country: Synthetic A\niso3: ATA\nreport_year: 2016\nprotection:\n  victims_assisted: "20"\n', "utf-8")
    line = _one_line(run("check", doc), doc, "protection.victims_assisted",
                     "expected a whole number, got '20'; write the number without quotes: 20")
    assert line.startswith(f"{doc}:5:")


def test_an_unquoted_tier_lists_the_allowed_values(tmp_path: Path) -> None:
    doc = tmp_path / "tier.yaml"
    doc.write_text("country: Synthetic A\niso3: ATA\nreport_year: 2016\ntier_history:\n  - {report_year: 2015, tier: 2}\n",
                   "utf-8")
    _one_line(run("check", doc), doc, "tier_history[0].tier",
              "expected one of '1', '2', '2WL', '3' or 'special', got 2; quote it: \"2\"")


def test_a_utf16_file_says_save_as_utf8(tmp_path: Path) -> None:
    doc = tmp_path / "utf16.yaml"
    doc.write_text("country: Synthetic A\niso3: ATA\nreport_year: 2016\n", "utf-16")
    _one_line(run("check", doc), doc, "UTF-16", "save it as UTF-8")


def test_curly_quotes_around_a_quote_are_dropped(tmp_path: Path) -> None:
    doc = _mali_copy(tmp_path, ('quote: "The government investigated one potential trafficking case, which represented a decrease from 13 cases investigated during the previous reporting period."',
                                'quote: "“The government investigated one potential trafficking case, which represented a decrease from 13 cases investigated during the previous reporting period.”"'))
    result = run("score", doc, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"quote": "The government investigated one potential' in result.stdout
    assert "“The government" not in result.stdout


# --- the --history file --------------------------------------------------------------------------

@pytest.mark.parametrize("content, place, fragments", [
    ("iso3,report_year,tier\nMLI,2013,2WL\nMLI,2014,2wl\n", "3:10", ("tier: expected one of 1, 2, 2WL, 3, special, got '2wl'; did you mean '2WL'?",)),
    ("iso3,report_year,tier\nmli,2014,2\n", "2:1", ("iso3: expected an ISO 3166-1 alpha-3 code", "did you mean 'MLI'?")),
    ("iso3,report_year,tier\nMLI,2O14,2\n", "2:5", ("report_year: expected a report year from 2001",)),
    ("iso3,year,tier\nMLI,2014,2\n", "1:1", ("missing report_year (found iso3, year, tier)",)),
    ("iso3,report_year,tier\nMLI,2014,2\nMLI,2014,3\n", "3:1", ("MLI 2014 appears twice (first on line 2)",)),
    ("", "1:1", ("expected a header line",)),
], ids=["lower-case-tier", "lower-case-iso3", "letter-in-year", "bad-header", "repeated-year", "empty"])
def test_history_file_errors_are_one_line_with_their_place(tmp_path: Path, content: str, place: str,
                                                           fragments: tuple[str, ...]) -> None:
    history = tmp_path / "history.csv"
    history.write_text(content, "utf-8")
    line = _one_line(run("score", MALI, "--history", history), history, *fragments)
    assert line.startswith(f"{history}:{place}: "), line
    assert "pydantic" not in line and "http" not in line


def test_history_file_in_utf16(tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    history.write_text("iso3,report_year,tier\nMLI,2014,2WL\n", "utf-16")
    _one_line(run("score", MALI, "--history", history), history, "save it as UTF-8")


def test_a_name_inside_another_countrys_name_is_not_matched(tmp_path: Path) -> None:
    """"Guinea" is part of "Equatorial Guinea" and "Guinea-Bissau": the name alone does not say which
    code is meant, so it is not checked; a full name still is."""
    short = tmp_path / "guinea.yaml"
    short.write_text("country: Guinea\niso3: GNQ\nreport_year: 2016\n", "utf-8")
    assert run("check", short).returncode == 0
    full = tmp_path / "equatorial.yaml"
    full.write_text("country: Equatorial Guinea\niso3: GIN\nreport_year: 2016\n", "utf-8")
    _one_line(run("check", full), full, "iso3: GIN is the code of Guinea, not of 'Equatorial Guinea'; expected GNQ")
