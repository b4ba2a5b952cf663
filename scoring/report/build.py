"""``tipscore report``: pick the kind of report from the inputs, build it, write it atomically.

One document gives a country-year page; several documents of one country give a
series page; ``diff=(OLD, NEW)`` gives the impact of a ruleset change over the
documents. The page is written to a temporary file beside ``out`` and renamed
into place only when whole, so an existing report is never half-overwritten.
"""

from __future__ import annotations

import os
import tempfile
from typing import Literal

from scoring.errors import InputError

ReportKind = Literal["country-year", "series", "ruleset-change"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
             history: str = "auto") -> tuple[ReportKind, str]:
    """The report kind and its HTML for these inputs."""
    from scoring.api import load_ruleset, score
    from scoring.report import pages

    files = _documents(paths)
    if diff is not None:
        from scoring.report.change import compare

        old, new = (load_ruleset(ref) for ref in diff)
        pairs = [(f, score(f, old, history=history), score(f, new, history=history)) for f in files]
        return "ruleset-change", pages.ruleset_change(compare(diff[0], diff[1], pairs))
    outcomes = [score(f, ruleset, history=history) for f in files]
    countries = sorted({o.iso3 for o in outcomes})
    if len(countries) > 1:
        raise InputError(" ".join(paths), None,
                         f"a report covers one country; these documents are for {', '.join(countries)}")
    if len(outcomes) == 1:
        return "country-year", pages.country_year(outcomes[0])
    years = [o.report_year for o in outcomes]
    repeated = sorted({y for y in years if years.count(y) > 1})
    if repeated:
        raise InputError(" ".join(paths), None, f"two documents for the same report year: {repeated[0]}")
    return "series", pages.series(outcomes)


def build_report(paths: list[str], out: str, *, diff: tuple[str, str] | None = None, ruleset: str | None = None,
                 history: str = "auto") -> ReportKind:
    """Build the report for ``paths`` and write it to ``out``; returns its kind."""
    check_output(out)
    kind, html = page_for(paths, diff=diff, ruleset=ruleset, history=history)
    folder = os.path.dirname(os.path.abspath(out))
    handle = tempfile.NamedTemporaryFile("w", dir=folder, prefix=f".{os.path.basename(out)}.", suffix=".tmp",
                                         delete=False, encoding="utf-8", newline="\n")
    try:
        with handle:
            handle.write(html)
        os.chmod(handle.name, 0o666 & ~_umask())  # a temporary file is private; a report is not
        os.replace(handle.name, out)
    except BaseException:
        os.unlink(handle.name)
        raise
    return kind
