"""The HTML report without a browser: content, escaping, determinism, atomic writing."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from scoring.api import score
from scoring.errors import InputError
from scoring.report import build_report
from scoring.report import pages
from scoring.report.build import page_for
from scoring.report.change import from_impact
from tests.report.support import HOSTILE, MALI_2015, ROOT, hostile_document

MALI_2004 = ROOT / "fixtures" / "mali" / "2004.yaml"


def test_country_year_page_holds_the_outcome_every_criterion_and_every_quote() -> None:
    outcome = score(MALI_2015)
    page = pages.country_year(outcome)
    assert 'data-outcome="2WL"' in page
    assert "Tier 2 Watch List — 3rd consecutive year" in page
    for criterion in outcome.criteria:
        assert f'data-criterion="{criterion.id}"' in page
        for evidence in criterion.evidence:
            assert html.escape(evidence.quote, quote=False) in page
        if criterion.citation.text:
            assert html.escape(criterion.citation.text, quote=False) in page
    for placement in outcome.history.placements:
        assert f'<span class="year">{placement.report_year}</span>' in page


def test_page_loads_nothing_from_outside() -> None:
    page = pages.country_year(score(MALI_2015))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page), "no external resource"
    assert "@import" not in page and "url(http" not in page
    assert "default-src 'none'" in page


def test_a_hostile_quote_shows_as_text(tmp_path: Path) -> None:
    page = pages.country_year(score(hostile_document(tmp_path)))
    shown = html.unescape(re.sub(r"<[^>]+>", "", page))  # the page's text, as a reader sees it
    assert HOSTILE in shown
    assert "<script>window.hostile" not in page
    assert '<img src="https://example.org' not in page


def test_same_input_gives_byte_identical_pages() -> None:
    assert page_for([str(MALI_2015)]) == page_for([str(MALI_2015)])


def test_series_has_a_timeline_point_and_a_section_per_year() -> None:
    kind, page = page_for([str(MALI_2004), str(MALI_2015)])
    assert kind == "series"
    for year in (2004, 2015):
        assert f'data-timeline-year="{year}"' in page
        assert f'id="mli-{year}"' in page and f'href="#mli-{year}"' in page
    assert page.index('id="mli-2004"') < page.index('id="mli-2015"')
    assert 'data-series="overall"' in page


def test_ruleset_change_lays_out_the_impact_without_recomputing_it() -> None:
    from scoring.impact import compare

    files = sorted(str(p) for p in (ROOT / "fixtures" / "synthetic").glob("*.yaml"))
    impact = compare("tvpa-2013", "tvpa-2019", files)
    change = from_impact(impact)
    assert change.total == len(files) - len(impact.failed)
    assert sum(t.count for t in change.transitions) == change.total
    assert [d.document for d in change.changed] == [d.file for d in impact.changed] and change.changed
    for doc, source in zip(change.changed, impact.changed):
        assert (doc.before, doc.after) == (source.old.tier, source.new.tier)
        assert [s.before for s in doc.statuses] == [c.old for c in source.changes]
    page = pages.ruleset_change(change)
    assert f'data-changed="{len(change.changed)}"' in page
    for doc in change.changed:
        assert f'data-document="{doc.document}"' in page


def test_series_reads_each_year_through_the_previous_outcome() -> None:
    folder = ROOT / "fixtures" / "synthetic" / "mali-series" / "no-increase"
    kind, page = page_for([str(MALI_2015), *sorted(str(p) for p in folder.glob("*.yaml"))])
    assert kind == "series"
    assert 'data-timeline-year="2017"' in page and 'id="mli-2017"' in page
    section_2017 = page.split('id="mli-2017"')[1]
    assert section_2017.split('data-outcome="')[1].startswith('3"')  # the automatic downgrade, after two waivers
    assert "waiver granted, 2 of 2" in page.split('id="mli-2016"')[1].split('id="mli-2017"')[0]


def test_build_report_writes_whole_file_and_refuses_bad_output(tmp_path: Path) -> None:
    out = tmp_path / "mali.html"
    assert build_report([str(MALI_2015)], str(out)) == "country-year"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(InputError, match="ending in .html"):
        build_report([str(MALI_2015)], str(tmp_path / "mali.pdf"))
    with pytest.raises(InputError, match="does not exist"):
        build_report([str(MALI_2015)], str(tmp_path / "missing" / "x.html"))


def test_a_failed_build_leaves_an_existing_report_untouched(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("previous report", encoding="utf-8")
    with pytest.raises(InputError):
        build_report([str(tmp_path / "nonesuch.yaml")], str(out))
    assert out.read_text(encoding="utf-8") == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_documents_of_several_countries_are_refused() -> None:
    with pytest.raises(InputError, match="one country"):
        page_for([str(MALI_2015), str(ROOT / "fixtures" / "narratives" / "alb-2004.yaml")])
