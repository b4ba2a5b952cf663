"""``tipscore report``: pick the kind of report from the inputs, build it, write it atomically.

One document gives a country-year page; several documents of one country give a
series page; ``diff=(OLD, NEW)`` gives the impact of a ruleset change over the
documents. The page is written to a temporary file beside ``out`` and renamed
into place only when whole, so an existing report is never half-overwritten.
"""

from __future__ import annotations

import os
from typing import Literal

from scoring.errors import InputError

ReportKind = Literal["country-year", "series", "ruleset-change"]


def check_output(out: str) -> None:
    """Refuse an output path that is not a writable ``.html`` file, before any work."""
    if not out.lower().endswith((".html", ".htm")):
        raise InputError(out, None, "expected an output file ending in .html")
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise InputError(out, None, f"the folder {os.path.dirname(out) or folder} does not exist")
    if os.path.isdir(out):
        raise InputError(out, None, "is a directory; expected a file name ending in .html")


def _documents(paths: list[str]) -> list[str]:
    from scoring.batch import expand

    files = expand(paths)
    if not files:
        raise InputError(" ".join(paths), None, "no efforts documents (*.yaml, *.yml, *.json) found")
    return files


def page_for(paths: list[str], *, diff: tuple[str, str] | None = None, ruleset: str | None = None,
             history: str = "auto", search_path: tuple[str, ...] = ()) -> tuple[ReportKind, str]:
    """The report kind and its HTML for these inputs.

    Several documents are a series (``scoring.series``): scored in report-year order, each
    outcome feeding the next year's history; a ruleset change comes from ``scoring.impact``.
    """
    from scoring.api import score
    from scoring.report import pages

    files = _documents(paths)
    if diff is not None:
        from scoring.impact import compare
        from scoring.report.change import from_impact

        impact = compare(diff[0], diff[1], files, history=history, search_path=search_path)
        return "ruleset-change", pages.ruleset_change(from_impact(impact))
    if len(files) == 1:
        return "country-year", pages.country_year(score(files[0], ruleset, history=history, search_path=search_path))
    from scoring.series import reason, score_series

    years = score_series(files, history)
    countries = sorted({y.outcome.iso3 for y in years})
    if len(countries) > 1:
        raise InputError(" ".join(paths), None,
                         f"a report covers one country; these documents are for {', '.join(countries)}")
    outcomes = [y.outcome for y in years]
    reasons = {y.outcome.report_year: reason(y) for y in years}
    return "series", pages.series(outcomes, reasons)


def build_report(paths: list[str], out: str, *, diff: tuple[str, str] | None = None, ruleset: str | None = None,
                 history: str = "auto", search_path: tuple[str, ...] = ()) -> ReportKind:
    """Build the report for ``paths`` and write it to ``out``; returns its kind."""
    check_output(out)
    kind, html = page_for(paths, diff=diff, ruleset=ruleset, history=history, search_path=search_path)
    from scoring.output import write_text_atomically

    write_text_atomically(out, html)
    return kind
