"""A country across years: score its documents in report-year order, each outcome feeding the next.

The tier mechanics of 22 U.S.C. 7107(b)(2) read earlier placements (watch-list
years, waivers used). Scoring a run of documents one by one with their own
histories would ignore what the earlier documents decided; here each year's
outcome becomes a placement in the next year's history (with its waiver flag,
so the waiver count is exact). Years with no document keep the placement the
document itself records, else the published one from the shipped dataset (or
the ``--history`` file).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from scoring.efforts.model import EffortsDocument, Placement
from scoring.efforts.validate import load_efforts
from scoring.errors import InputError
from scoring.outcome import Outcome

PlacementSource = Literal["series", "document", "dataset", "file"]


@dataclass(frozen=True)
class Year:
    """One scored year of the series, with the placements its history read and where each came from."""

    file: str
    outcome: Outcome
    previous_tier: str | None
    read: tuple[tuple[Placement, PlacementSource], ...]

    @property
    def move(self) -> str:
        """The movement from the previous placement, in words."""
        return movement(self.previous_tier, self.outcome.tier)


ORDER = {"1": 1, "2": 2, "2WL": 3, "3": 4}


def movement(before: str | None, after: str | None) -> str:
    if after is None:
        return "undetermined"
    if before is None:
        return "no previous placement known"
    if before == after:
        return "unchanged"
    if before in ORDER and after in ORDER:
        return "up" if ORDER[after] < ORDER[before] else "down"
    return "changed"


def collect(paths: list[str]) -> list[tuple[str, EffortsDocument]]:
    """The documents (files or folders), one country, in report-year order; two documents for one year are refused."""
    from scoring.batch import expand

    files = expand(paths)
    if not files:
        raise InputError(" ".join(paths), None, "no efforts documents (*.yaml, *.yml, *.json) found")
    documents = sorted(((f, load_efforts(f)) for f in files), key=lambda pair: pair[1].report_year)
    first_file, first = documents[0]
    seen: dict[int, str] = {}
    for file, doc in documents:
        if doc.iso3 != first.iso3:
            raise InputError(file, "iso3", f"a series is one country: {doc.iso3} here, {first.iso3} in {first_file}")
        if doc.report_year in seen:
            raise InputError(file, "report_year", f"{doc.report_year} is also the report year of {seen[doc.report_year]}")
        seen[doc.report_year] = file
    return documents


def _published(doc: EffortsDocument, history: str) -> dict[int, tuple[Placement, PlacementSource]]:
    """Placements before the document's year that no document of the series decides."""
    from scoring.history import dataset_placements, read_history_file

    if history == "auto" and doc.tier_history is not None:
        return {p.report_year: (p, "document") for p in doc.tier_history}
    if history == "auto":
        return {p.report_year: (p, "dataset") for p in dataset_placements(doc.iso3, doc.report_year)}
    if history == "none":
        return {}
    table = read_history_file(history)
    return {p.report_year: (p, "file") for p in dataset_placements(doc.iso3, doc.report_year, table)}


def score_series(paths: list[str], history: str = "auto", engine: str = "durable-rules") -> list[Year]:
    """Score a country's documents in order; each outcome is the next year's history."""
    from scoring.api import score

    decided: dict[int, Placement] = {}
    years: list[Year] = []
    for file, doc in collect(paths):
        read = _published(doc, history)
        read.update({y: (p, "series") for y, p in decided.items() if y < doc.report_year})
        placements = tuple(p for _, (p, _) in sorted(read.items()))
        outcome = score(doc.model_copy(update={"tier_history": list(placements)}), engine=engine)  # type: ignore[arg-type]
        before = read.get(doc.report_year - 1)
        years.append(Year(file, outcome, before[0].tier if before else None,
                          tuple(pair for _, pair in sorted(read.items()))))
        if outcome.tier is not None:
            waived = outcome.watch_list.automatic_downgrade == "waived"
            decided[doc.report_year] = Placement(report_year=doc.report_year, tier=outcome.tier,
                                                 waiver=waived if outcome.tier == "2WL" else None)
    return years


def reason(year: Year) -> str:
    """Why the year came out as it did: the tier-table row that decided it, in the rule's words."""
    o = year.outcome
    if o.tier is None:
        from scoring.render import headline

        return headline(o).removeprefix("Outcome: ")
    row = next((r for r in o.explanation.children if r.id == o.tier_row), None)
    text = f"row {o.tier_row}: {row.title}" if row else f"row {o.tier_row}"
    used, wl = o.history.facts.get("history.waivers_used"), o.watch_list
    if wl.automatic_downgrade in ("applied", "waived") and isinstance(used, int) and wl.waiver:
        text += f" Waivers already used in this run: {used} of {wl.waiver.cap}."
    return text


def timeline(years: list[Year]) -> str:
    """The series as text: one line per year, then where the placements read came from."""
    from scoring.render import TIER_NAMES

    lines = []
    for year in years:
        o, wl = year.outcome, year.outcome.watch_list
        tier = TIER_NAMES.get(o.tier or "", "undetermined")
        parts = [f"{o.report_year}  {tier}"]
        if o.tier == "2WL":
            parts.append(f"watch-list year {wl.consecutive_years if wl.consecutive_years is not None else 'unknown'}")
        if wl.automatic_downgrade == "applied":
            parts.append("automatic downgrade to Tier 3 applied")
        elif wl.automatic_downgrade == "waived" and wl.waiver:
            parts.append(f"downgrade waived (waiver {wl.waiver.number or '?'} of {wl.waiver.cap or '?'})")
        parts.append(f"move: {year.move}" + (f" from {TIER_NAMES.get(year.previous_tier, year.previous_tier)}" if year.previous_tier else ""))
        lines.append(" · ".join(parts))
        lines.append(f"      why: {reason(year)}")
        lines.append(f"      document: {year.file}")
    lines.append("")
    lines.append("Placements read (source):")
    for year in years:
        recent = [f"{p.report_year} {p.tier}{' (waiver)' if p.waiver else ''} [{src}]" for p, src in year.read[-4:]]
        lines.append(f"  for {year.outcome.report_year}: " + (", ".join(recent) or "none"))
    lines.append("Sources: series = scored earlier in this run; document = the document's tier_history; "
                 "dataset = published placements (scoring/data/tier-history.csv); file = the --history file")
    return "\n".join(lines) + "\n"


def as_markdown(years: list[Year]) -> str:
    """The series as a Markdown table."""
    from scoring.render import TIER_NAMES

    rows = ["| report year | tier | watch-list year | downgrade | waiver | move | why | document |",
            "|---|---|---|---|---|---|---|---|"]
    for year in years:
        o, wl = year.outcome, year.outcome.watch_list
        waiver = f"{wl.waiver.number} of {wl.waiver.cap}" if wl.waiver and wl.waiver.granted and wl.waiver.number else ""
        rows.append(f"| {o.report_year} | {TIER_NAMES.get(o.tier or '', 'undetermined')} | "
                    f"{wl.consecutive_years if o.tier == '2WL' and wl.consecutive_years else ''} | "
                    f"{wl.automatic_downgrade or 'unknown'} | {waiver} | {year.move} | {reason(year).replace('|', '/')} | "
                    f"{os.path.basename(year.file)} |")
    return "\n".join(rows) + "\n"
