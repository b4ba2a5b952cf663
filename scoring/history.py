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
from importlib import resources
from typing import Literal

from scoring.efforts.model import EffortsDocument, Placement
from scoring.ruleset.ast import Parameters

HistorySource = Literal["document", "dataset", "file", "none"]


@dataclass(frozen=True)
class History:
    """The history-derived facts and where the placements came from."""

    source: HistorySource
    placements: tuple[Placement, ...]
    facts: dict[str, bool | int | str]


@cache
def _dataset() -> dict[str, tuple[Placement, ...]]:
    text = resources.files("scoring.data").joinpath("tier-history.csv").read_text("utf-8")
    return _parse_csv(text.splitlines())


def _parse_csv(lines: list[str]) -> dict[str, tuple[Placement, ...]]:
    by_iso: dict[str, list[Placement]] = {}
    for row in csv.DictReader(lines):
        by_iso.setdefault(row["iso3"], []).append(Placement(report_year=int(row["report_year"]), tier=row["tier"]))
    return {iso: tuple(sorted(rows, key=lambda p: p.report_year)) for iso, rows in by_iso.items()}


def read_history_file(path: str) -> dict[str, tuple[Placement, ...]]:
    """A tier-history CSV (columns iso3, report_year, tier) chosen with ``--history FILE``."""
    from scoring.errors import InputError

    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        if not lines or not {"iso3", "report_year", "tier"} <= set(lines[0].split(",")):
            raise InputError(path, "line 1", "expected CSV columns iso3, report_year, tier (a header line first)")
        return _parse_csv(lines)
    except OSError as err:
        raise InputError(path, None, f"cannot read tier history: {err.strerror}") from None
    except (KeyError, ValueError) as err:
        raise InputError(path, None, f"expected CSV columns iso3, report_year, tier (1, 2, 2WL, 3, special): {err}") from None


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
    if _established(by_year, run, count_from):
        facts["history.consecutive_watch_list_years"] = len(run)
        if params.waiver_cap is not None:  # no waiver existed before the downgrade did
            facts["history.waivers_used"] = sum(1 for pos, p in enumerate(run, 1) if _waived(p, pos))
    reentry = _follows_ended_run(by_year, run, params) if params.reentry_limit and run else False
    if reentry is not None:
        facts["history.reentry_limited"] = reentry
    return History(source, tuple(by_year.values()), facts)


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


def _follows_ended_run(by_year: dict[int, Placement], run: list[Placement], params: Parameters) -> bool | None:
    """7107(b)(2)(F): the current run directly follows Tier 3 that ended a run of 2+ counted years.

    None (unknown) when a missing year hides whether it did.
    """
    year = run[0].report_year - 1
    if year not in by_year:
        return None
    if by_year[year].tier != "3":
        return False
    while (p := by_year.get(year)) is not None and p.tier == "3":
        year -= 1
    earlier = _run(by_year, year, params.watch_list_years_count_from)
    if len(earlier) >= 2:
        return True
    known = year in by_year and _established(by_year, earlier, params.watch_list_years_count_from)
    return False if known else None
