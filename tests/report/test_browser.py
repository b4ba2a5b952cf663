"""The HTML reports in a real browser: headless Chromium (Debian's package) driven by Playwright.

Each kind of report is opened from disk; the DOM must hold the outcome, every
criterion and every quote; the page must make no network request (every request
is recorded and anything but the file itself is aborted); a hostile quote must
stay text. Screenshots go to build/screenshots/ (a build artefact, not committed).
On CI a missing Chromium is a failure (.ci/run installs it); elsewhere the tests skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.api import score
from scoring.report import build_report
from tests.report.support import HOSTILE, MALI_2015, ROOT, hostile_document

SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def _open(browser, path: Path, shot: str):  # type: ignore[no-untyped-def]
    """Load ``path`` with every request recorded; anything but the page itself is aborted."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests: list[str] = []
    page_url = path.resolve().as_uri()

    def guard(route) -> None:  # type: ignore[no-untyped-def]
        requests.append(route.request.url)
        route.continue_() if route.request.url == page_url else route.abort()

    page.route("**/*", guard)
    page.goto(page_url)
    page.wait_for_load_state("load")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"), full_page=False)
    return page, requests


def test_country_year_report_in_the_browser(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outcome = score(MALI_2015)
    out = tmp_path / "mali-2015.html"
    build_report([str(MALI_2015)], str(out))
    page, requests = _open(browser, out, "country-year")
    assert requests == [out.resolve().as_uri()], "the page requested nothing but itself"
    assert page.get_attribute("[data-outcome]", "data-outcome") == "2WL"
    assert "Tier 2 Watch List" in page.inner_text("[data-outcome]")
    text = page.text_content("body") or ""
    for criterion in outcome.criteria:
        assert page.locator(f'[data-criterion="{criterion.id}"]').count() == 1
        for evidence in criterion.evidence:
            assert evidence.quote in text
    # the tree folds: a row's details element closes and reopens on a click
    summary = page.locator("ul.tree details > summary").first
    details = page.locator("ul.tree details").first
    assert details.evaluate("d => d.open") is True
    summary.click()
    assert details.evaluate("d => d.open") is False
    # statuses are words too, not colour alone
    assert page.locator('.status[data-status="unknown"]').first.text_content().strip().endswith("unknown")
    page.close()


def test_series_report_in_the_browser(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "mali.html"
    assert build_report([str(ROOT / "fixtures" / "mali")], str(out)) == "series"
    page, requests = _open(browser, out, "series")
    assert requests == [out.resolve().as_uri()]
    assert page.locator("[data-timeline-year]").count() == 2
    page.click('table.timeline a[href="#mli-2015"]')
    assert page.evaluate("location.hash") == "#mli-2015"
    assert page.locator("section#mli-2015 [data-outcome]").get_attribute("data-outcome") == "2WL"
    page.close()


def test_ruleset_change_report_in_the_browser(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "change.html"
    build_report([str(ROOT / "fixtures" / "synthetic")], str(out), diff=("tvpa-2013", "tvpa-2019"))
    page, requests = _open(browser, out, "ruleset-change")
    assert requests == [out.resolve().as_uri()]
    changed = int(page.get_attribute("[data-changed]", "data-changed") or "-1")
    assert page.locator("section.changed").count() == changed
    assert page.locator("table.transitions tbody tr").count() >= 1
    page.close()


def test_hostile_quote_is_shown_as_text_and_never_runs(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "hostile.html"
    build_report([str(hostile_document(tmp_path))], str(out))
    page, requests = _open(browser, out, "hostile-quote")
    assert page.evaluate("window.hostile === undefined")
    assert HOSTILE in (page.text_content("body") or "")
    assert requests == [out.resolve().as_uri()], "the hostile <img> made no request"
    page.close()
