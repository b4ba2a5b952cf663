"""Tier history -> the facts the tier mechanics need (22 U.S.C. 7107(b)(2)).

Only placements in report years *before* the one being scored are read. The
era's parameters come from the ruleset: which year watch-list years start
counting from (2009 under TVPRA 2008 §107), the waiver cap per run, and whether
the 2019 re-entry limit of 7107(b)(2)(F) applies. Any placement other than the
watch list breaks a run; a run also breaks at a year missing from the history
(the count is then only known up to the gap). Where a placement has no waiver
flag, waiver years are inferred from the run length: a third or later counted
watch-list year could only have been a waived year.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from typing import Literal

from scoring.data import read_text
from scoring.efforts.model import EffortsDocument, Placement
from scoring.ruleset.ast import Parameters

HistorySource = Literal["document", "dataset", "file", "none"]


@dataclass(frozen=True)
class History:
    """The history-derived facts and where the placements came from."""

    source: HistorySource
    placements: tuple[Placement, ...]
    facts: dict[str, bool | int | str]
    #: consecutive watch-list years right before the report, counted from 2004 (None: not established)
    listed_years: int | None = None


@cache
def _dataset() -> dict[str, tuple[Placement, ...]]:
    text = read_text("tier-history.csv")
    return _parse_csv(text.splitlines())


def _parse_csv(lines: list[str]) -> dict[str, tuple[Placement, ...]]:
    by_iso: dict[str, list[Placement]] = {}
    for row in csv.DictReader(lines):
        by_iso.setdefault(row["iso3"], []).append(Placement(report_year=int(row["report_year"]), tier=row["tier"]))
    return {iso: tuple(sorted(rows, key=lambda p: p.report_year)) for iso, rows in by_iso.items()}


HISTORY_COLUMNS = ("iso3", "report_year", "tier")
TIERS = ("1", "2", "2WL", "3", "special")


def read_history_file(path: str) -> dict[str, tuple[Placement, ...]]:
    """A tier-history CSV chosen with ``--history FILE`` (format: docs/history.md).

    Every problem is one line naming the file, ``line:col`` and the column.
    """
    from scoring.errors import InputError

    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as err:
        raise InputError(path, None, f"cannot read tier history: {err.strerror}") from None
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError(path, None, "the file is UTF-16 text; save it as UTF-8")
    if b"\x00" in raw:
        raise InputError(path, None, "binary data (NUL byte); expected a CSV text file with columns iso3, report_year, tier")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(path, f"byte {err.start}", "not valid UTF-8 text; save the file as UTF-8") from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise InputError(path, "1:1", f"expected a header line naming the columns {', '.join(HISTORY_COLUMNS)}")
    header = [name.strip() for name in next(csv.reader(lines[:1]))]
    missing = [name for name in HISTORY_COLUMNS if name not in header]
    if missing:
        raise InputError(path, "1:1", f"expected the columns {', '.join(HISTORY_COLUMNS)} in the header line; "
                                      f"missing {', '.join(missing)} (found {', '.join(header) or 'none'})")
    by_iso: dict[str, list[Placement]] = {}
    seen: dict[tuple[str, int], int] = {}
    for number, row in enumerate(csv.reader(lines[1:]), start=2):
        if not any(cell.strip() for cell in row):
            continue
        iso3, year, tier = _history_row(path, number, header, row)
        if (iso3, year) in seen:
            raise InputError(path, f"{number}:1", f"{iso3} {year} appears twice (first on line {seen[iso3, year]})")
        seen[iso3, year] = number
        by_iso.setdefault(iso3, []).append(Placement(report_year=year, tier=tier))
    return {iso: tuple(sorted(rows, key=lambda p: p.report_year)) for iso, rows in by_iso.items()}


def _history_row(path: str, number: int, header: list[str], row: list[str]) -> tuple[str, int, str]:
    """One data line's (iso3, report_year, tier), or an error naming its line, column and what was expected."""
    from scoring.efforts.model import FIRST_REPORT_YEAR, ISO3_CODES, LAST_REPORT_YEAR
    from scoring.errors import InputError

    cells = {name: (row[i].strip() if i < len(row) else "", 1 + sum(len(c) + 1 for c in row[:i]))
             for i, name in enumerate(header)}

    def fail(column: str, expected: str, hint: str = "") -> InputError:
        value, col = cells[column]
        return InputError(path, f"{number}:{col}", f"{column}: expected {expected}, got {value!r}{hint}")

    iso3, year, tier = (cells[name][0] for name in HISTORY_COLUMNS)
    if iso3 not in ISO3_CODES:
        hint = f"; did you mean {iso3.upper()!r}?" if iso3.upper() in ISO3_CODES else ""
        raise fail("iso3", "an ISO 3166-1 alpha-3 code such as MLI", hint)
    if not year.isdigit() or not FIRST_REPORT_YEAR <= int(year) <= LAST_REPORT_YEAR:
        raise fail("report_year", f"a report year from {FIRST_REPORT_YEAR} to {LAST_REPORT_YEAR}")
    if tier not in TIERS:
        close = next((t for t in TIERS if t.lower() == tier.lower()), None)
        hint = f"; did you mean {close!r}?" if close else ""
        raise fail("tier", f"one of {', '.join(TIERS)}", hint)
    return iso3, int(year), tier


def dataset_placements(iso3: str, before: int, table: dict[str, tuple[Placement, ...]] | None = None) -> tuple[Placement, ...]:
    """Published placements for ``iso3`` in report years before ``before`` only."""
    rows = (table if table is not None else _dataset()).get(iso3, ())
    return tuple(p for p in rows if p.report_year < before)


def choose(document: EffortsDocument, mode: str = "auto") -> tuple[HistorySource, tuple[Placement, ...]]:
    """Placements from the document, else the shipped dataset; ``none`` ignores history; else a CSV path."""
    if mode == "none":
        return "none", ()
    if mode == "auto":
        if document.tier_history is not None:
            return "document", tuple(document.tier_history)
        return "dataset", dataset_placements(document.iso3, document.report_year)
    return "file", dataset_placements(document.iso3, document.report_year, read_history_file(mode))


def derive(report_year: int, placements: tuple[Placement, ...], params: Parameters, source: HistorySource) -> History:
    """The history facts for scoring ``report_year``; a fact the history cannot establish is left out."""
    by_year = {p.report_year: p for p in placements if p.report_year < report_year}
    facts: dict[str, bool | int | str] = {}
    previous = by_year.get(report_year - 1)
    if previous is None:
        return History(source, tuple(by_year.values()), facts)
    facts["history.previous_tier"] = previous.tier
    count_from = params.watch_list_years_count_from
    run = _run(by_year, report_year - 1, count_from)
    if not _established(by_year, run, count_from):
        # the exact count is unknown, but a lower bound is certain (2013 and 2014 on the list: at least 2)
        facts["history.consecutive_watch_list_years_at_least"] = len(run)
    else:
        facts["history.consecutive_watch_list_years"] = len(run)
        if params.waiver_cap is not None:  # no waiver existed before the downgrade did
            facts["history.waivers_used"] = sum(1 for pos, p in enumerate(run, 1) if _waived(p, pos))
    reentry = _after_reentry_trigger(by_year, run, params) if params.reentry_limit and run else False
    if reentry is not None:
        facts["history.reentry_limited"] = reentry
    listed = _run(by_year, report_year - 1, None)
    return History(source, tuple(by_year.values()), facts, len(listed) if _established(by_year, listed, None) else None)


#: The Tier 2 Watch List first appeared in the 2004 report (TVPRA 2003): no run starts earlier.
FIRST_WATCH_LIST = 2004


def _established(by_year: dict[int, Placement], run: list[Placement], count_from: int | None) -> bool:
    """Whether the run's start is known: the year before it is in the history, or cannot count."""
    if not run:
        return True
    before = run[0].report_year - 1
    return before in by_year or before < max(count_from or FIRST_WATCH_LIST, FIRST_WATCH_LIST)


def _run(by_year: dict[int, Placement], last: int, count_from: int | None) -> list[Placement]:
    """Consecutive counted watch-list placements ending at ``last``, oldest first."""
    run: list[Placement] = []
    year = last
    while (p := by_year.get(year)) is not None and p.tier == "2WL" and (count_from is None or year >= count_from):
        run.insert(0, p)
        year -= 1
    return run


def _waived(placement: Placement, position: int) -> bool:
    return placement.waiver if placement.waiver is not None else position >= 3


#: P.L. 115-425 (8 Jan 2019) enacted 7107(b)(2)(F); the 2019 report is the first it governs. A Tier 3
#: placement in an earlier report is not a "subsequent inclusion" under (F): the limit is not read
#: back into placements made before it existed (Malaysia: run 2010-13, Tier 3 2014, and yet on the
#: watch list 2018-2020, docs/law-research.md §4).
REENTRY_LIMIT_FIRST_REPORT = 2019


def _after_reentry_trigger(by_year: dict[int, Placement], run: list[Placement], params: Parameters) -> bool | None:
    """7107(b)(2)(F): the current watch-list stint began after the country "was included on" (A)(iii) for
    2 consecutive counted years and "was subsequently included on" the (1)(C) list (Tier 3) in a report
    from 2019. "Subsequently" is any later report, not only the one right after the run, and the bar
    ("may not be included ... for more than 1 consecutive year after") binds every later stint.

    None (unknown) when a year missing from the history could hold the trigger.
    """
    count_from = params.watch_list_years_count_from
    start = run[0].report_year
    first = max(count_from or FIRST_WATCH_LIST, FIRST_WATCH_LIST)
    missing = [y for y in range(first, start) if y not in by_year]
    tier_3 = [y for y in range(REENTRY_LIMIT_FIRST_REPORT, start) if y in by_year and by_year[y].tier == "3"]
    for year in tier_3:
        qualifying = [y for y in range(first, year) if len(_run(by_year, y, count_from)) >= 2]
        if qualifying:
            return True
    if not missing:
        return False
    # A gap can hide the trigger only if a Tier 3 from 2019 is possible and a 2-year run could precede it.
    could_be_tier_3 = tier_3 or any(y >= REENTRY_LIMIT_FIRST_REPORT for y in missing)
    return None if could_be_tier_3 else False
