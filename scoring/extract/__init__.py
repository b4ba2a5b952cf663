"""``tipscore extract``: a draft efforts document from the text of a report chapter.

Stages, one module each: ``read`` (refuse what is not text), ``split`` (sentences and
clauses, verbatim), ``conclusions`` (the outcome wording that is never coded), ``numbers``
(digits and number words; bounds are not counts), ``patterns`` (report wording -> fields),
``draft`` (findings -> a valid document and the reviewer's lists), ``write`` (YAML with
comments, atomic). Deterministic, no network, no model.
"""

from __future__ import annotations

import os

from scoring.errors import InputError
from scoring.extract.draft import Draft, build
from scoring.extract.read import read_report
from scoring.extract.write import check_target, render, write_atomically

__all__ = ["Draft", "extract", "extract_text", "check_request"]


def check_request(iso3: str, report_year: int) -> str:
    """The normalised country code, refusing an unknown code or a year no shipped ruleset covers."""
    from scoring.efforts.model import FIRST_REPORT_YEAR, LAST_REPORT_YEAR, ISO3_CODES
    from scoring.ruleset.registry import for_year

    code = iso3.strip().upper()
    if code not in ISO3_CODES:
        raise InputError("--country", None, f"expected an ISO 3166-1 alpha-3 country code such as 'MLI', got {iso3!r}")
    if not FIRST_REPORT_YEAR <= report_year <= LAST_REPORT_YEAR or for_year(report_year) is None:
        raise InputError("--report-year", None,
                         f"no shipped ruleset covers the {report_year} report (see `tipscore rulesets`)")
    return code


def extract_text(text: str, iso3: str, report_year: int, source_path: str) -> Draft:
    """The draft for a text already read (``source_path`` is recorded as the source's path)."""
    return build(text, check_request(iso3, report_year), report_year, source_path)


def extract(text_file: str | os.PathLike[str], iso3: str, report_year: int, out: str | None = None) -> tuple[Draft, str]:
    """Read ``text_file``, draft its efforts document and return it with its YAML text;
    with ``out``, also write that file atomically (never over the source)."""
    name = os.fspath(text_file)
    code = check_request(iso3, report_year)
    if out is not None:
        check_target(out, name)
    text = read_report(name)
    draft = build(text, code, report_year, name.replace(os.sep, "/"))
    rendered = render(draft)
    if out is not None:
        write_atomically(out, rendered)
    return draft, rendered


