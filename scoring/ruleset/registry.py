"""The shipped rulesets by report year, and their coverage checks (TS114/TS115)."""

from __future__ import annotations

import glob
import os
from dataclasses import astuple, dataclass
from functools import cache

from scoring.errors import InputError
from scoring.load.source import read_source
from scoring.ruleset.diagnostics import Diagnostic
from scoring.ruleset.shipped import shipped_dir

FIRST_REPORT = 2001
#: The last report year whose law the shipped rulesets were checked against: docs/law-research.md
#: verified 22 U.S.C. 7106 and 7107 as amended through P.L. 118-40 (2024), which governs reports
#: to 2025. The latest ruleset is open-ended ("until amended"), so a later year is not refused by
#: the registry; scoring picks it only when asked by name (``--ruleset``).
LAW_CHECKED_THROUGH = 2025


@dataclass(frozen=True)
class Entry:
    """A ruleset file's header: enough to pick it by report year."""

    id: str
    title: str
    path: str
    first: int
    last: int | None
    abstract: bool
    line: int = 0  #: where report_years is written, for diagnostics
    col: int = 0

    def covers(self, year: int) -> bool:
        return self.first <= year and (self.last is None or year <= self.last)

    @property
    def years(self) -> str:
        return f"{self.first}-{self.last}" if self.last else f"{self.first}-"


def read_entry(path: str) -> Entry | None:
    """The header of a ruleset file, or None if it has none."""
    try:
        source = read_source(path)
    except InputError:
        return None
    data = source.data
    if not isinstance(data, dict) or not isinstance(data.get("report_years"), dict):
        return None
    years = data["report_years"]
    line, col = (int(x) for x in (source.where(("report_years",)) or "0:0").split(":"))
    try:
        return Entry(str(data.get("ruleset")), str(data.get("title", "")), path, int(years["first"]),
                     int(years["last"]) if years.get("last") is not None else None, bool(data.get("abstract")),
                     line, col)
    except (KeyError, TypeError, ValueError):
        return None


@cache
def shipped() -> tuple[Entry, ...]:
    """Shipped rulesets, by first report year (headers cached by the files' content hashes)."""
    from scoring.ruleset import cache as disk

    files = sorted(glob.glob(os.path.join(shipped_dir(), "*.yaml")))
    name = disk.key("registry", *(f"{f}\0{disk.file_digest(f)}" for f in files))
    stored = disk.read("registry", name)
    try:
        return tuple(Entry(*fields) for fields in stored) if isinstance(stored, list) else _read_shipped(files, name)
    except TypeError:  # not the fields of an Entry: rebuilt
        return _read_shipped(files, name)


def _read_shipped(files: list[str], name: str) -> tuple[Entry, ...]:
    from scoring.ruleset import cache as disk

    entries = sorted((e for e in (read_entry(f) for f in files) if e is not None), key=lambda e: (e.first, e.id))
    disk.write("registry", name, [list(astuple(e)) for e in entries])
    return tuple(entries)


def for_year(year: int) -> Entry | None:
    """The shipped, non-abstract ruleset covering ``year``."""
    return next((e for e in shipped() if not e.abstract and e.covers(year)), None)


def coverage_diagnostics(entries: list[Entry]) -> list[Diagnostic]:
    """TS114 overlapping and TS115 missing report years among non-abstract rulesets."""
    live = sorted((e for e in entries if not e.abstract), key=lambda e: e.first)
    out: list[Diagnostic] = []
    expected = FIRST_REPORT
    for previous, entry in zip([None, *live], live):
        if previous is not None and (previous.last is None or previous.last >= entry.first):
            out.append(Diagnostic("TS114", entry.path, entry.line, entry.col,
                                  f"report years {entry.years} overlap {previous.id} ({previous.years})",
                                  "each report year must be covered by exactly one ruleset"))
        elif entry.first > expected:
            out.append(Diagnostic("TS115", entry.path, entry.line, entry.col,
                                  f"no ruleset covers report years {expected}-{entry.first - 1}"))
        expected = (entry.last or 10_000) + 1
    return out
