"""tipscore series: each outcome feeds the next year's history (issue 14, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.errors import InputError
from scoring.series import as_markdown, score_series, timeline
from tests.cli.support import ROOT, assert_fails_cleanly, run

MALI = str(ROOT / "fixtures" / "mali" / "2015.yaml")
SERIES = ROOT / "fixtures" / "synthetic" / "mali-series"
SNAPSHOTS = ROOT / "tests" / "snapshots"


def _summary(years):  # type: ignore[no-untyped-def]
    return [(y.outcome.report_year, y.outcome.tier, y.outcome.watch_list.consecutive_years,
             y.outcome.watch_list.automatic_downgrade,
             y.outcome.watch_list.waiver.number if y.outcome.watch_list.waiver else None) for y in years]


def test_no_increasing_efforts_waiver_1_waiver_2_then_the_automatic_downgrade() -> None:
    years = score_series([MALI, str(SERIES / "no-increase")])
    assert _summary(years) == [(2015, "2WL", 3, "waived", 1), (2016, "2WL", 4, "waived", 2), (2017, "3", 0, "applied", None)]
    assert [y.outcome.ruleset.id for y in years] == ["tvpa-2013"] * 3  # the 2013-2018 law: two waivers per run
    assert years[2].outcome.history.facts["history.waivers_used"] == 2
    assert [y.move for y in years] == ["unchanged", "unchanged", "down"]
    # each later year read the earlier outcomes, not the dataset
    assert years[2].read[-2:][0][1] == "series" and years[2].read[-1][0].waiver is True


def test_upgrade_conditions_take_2017_off_the_watch_list() -> None:
    years = score_series([MALI, str(SERIES / "upgrade")])
    assert _summary(years)[2] == (2017, "2", 0, "not_applicable", None)
    assert years[2].outcome.tier_row == "tier_2" and years[2].move == "up"


def test_each_year_alone_would_not_know_the_earlier_outcomes() -> None:
    from scoring.api import score

    alone = score(str(SERIES / "no-increase" / "2017.yaml"))
    assert alone.tier is None  # 2016 is not in the dataset: the count is unknown without the series


def test_timeline_and_markdown_snapshots(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # relative paths: no machine path in the snapshot
    years = score_series(["fixtures/mali/2015.yaml", "fixtures/synthetic/mali-series/no-increase"])
    for name, got in (("series-mali.txt", timeline(years)), ("series-mali.md", as_markdown(years))):
        path = SNAPSHOTS / name
        import os

        if os.environ.get("TIPSCORE_UPDATE_SNAPSHOTS"):
            path.write_text(got, "utf-8")
        assert got == path.read_text("utf-8"), f"{name} changed; refresh with TIPSCORE_UPDATE_SNAPSHOTS=1"
    text = timeline(years)
    assert "why: row downgrade_applied" in text and "Waivers already used in this run: 2 of 2." in text


def test_two_countries_or_two_documents_for_a_year_are_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text("country: Synthetic A\niso3: ATA\nreport_year: 2016\n", "utf-8")
    with pytest.raises(InputError, match="a series is one country"):
        score_series([MALI, str(other)])
    copy = tmp_path / "mali-2015-copy.yaml"
    copy.write_text(Path(MALI).read_text("utf-8"), "utf-8")
    result = run("series", MALI, copy)
    named = [line for line in result.stderr.splitlines() if "is also the report year of" in line]
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and named, result.stderr
    assert_fails_cleanly(result, named[0].split(": report_year")[0], "report_year: 2015 is also the report year of")


def test_the_cli_prints_the_timeline() -> None:
    result = run("series", MALI, SERIES / "no-increase")
    assert result.returncode == 0, result.stderr
    assert "2017  Tier 3 · automatic downgrade to Tier 3 applied" in result.stdout
