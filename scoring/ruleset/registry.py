"""Which rulesets exist and which one is in force for a report year.

The catalog is the shipped rulesets plus the rulesets in the user's folders
(``--rulesets DIR``, ``TIPSCORE_RULESETS``). Every report year must be covered
by exactly one non-abstract ruleset; a user ruleset whose years overlap another
one must say so with ``replaces: <id>``: it then takes over the years it covers,
and the replaced ruleset keeps the rest (a 2027 ruleset replacing ``tvpa-2019``
leaves ``tvpa-2019`` in force for 2019-2026). Conflicts are coded diagnostics
(TS114 overlap, TS124 unknown ``replaces``, TS125 duplicate id).
"""

from __future__ import annotations

import glob
import os
from dataclasses import astuple, dataclass, replace
from functools import cache

from scoring.errors import InputError
from scoring.load.source import read_source
from scoring.ruleset.diagnostics import Diagnostic
from scoring.ruleset.shipped import shipped_dir

FIRST_REPORT = 2001
#: The last report year whose law the shipped rulesets were checked against: docs/law-research.md
#: verified 22 U.S.C. 7106 and 7107 as amended through P.L. 118-40 (2024), which governs reports
#: to 2025. The latest shipped ruleset is open-ended ("until amended"), so a later year is not
#: refused by the registry; scoring picks a shipped ruleset for it only when asked by name
#: (``--ruleset``), while a user's ruleset that covers the year is picked as usual.
LAW_CHECKED_THROUGH = 2025
SHIPPED = "shipped"
_SUFFIXES = (".yaml", ".yml", ".json")
_NOT_RULESETS = (".test.yaml", ".test.yml", ".test.json")  #: test files may sit beside rulesets


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
    origin: str = SHIPPED  #: "shipped" or the user folder it was found in
    replaces: str | None = None
    replaces_at: tuple[int, int] = (0, 0)
    id_at: tuple[int, int] = (0, 0)

    def covers(self, year: int) -> bool:
        return self.first <= year and (self.last is None or year <= self.last)

    def overlaps(self, other: "Entry") -> bool:
        return (self.last is None or other.first <= self.last) and (other.last is None or self.first <= other.last)

    @property
    def years(self) -> str:
        return f"{self.first}-{self.last}" if self.last else f"{self.first}-"


def _at(source, path: tuple) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    line, col = (int(x) for x in (source.where(path) or "0:0").split(":"))
    return line, col


def read_entry(path: str, origin: str = SHIPPED) -> Entry | None:
    """The header of a ruleset file, or None if it has none."""
    try:
        source = read_source(path)
    except (InputError, ValueError):
        return None
    data = source.data
    if not isinstance(data, dict) or not isinstance(data.get("report_years"), dict):
        return None
    years = data["report_years"]
    line, col = _at(source, ("report_years",))
    replaces = data.get("replaces")
    try:
        return Entry(str(data.get("ruleset")), str(data.get("title", "")), path, int(years["first"]),
                     int(years["last"]) if years.get("last") is not None else None, bool(data.get("abstract")),
                     line, col, origin, replaces if isinstance(replaces, str) else None,
                     _at(source, ("replaces",)), _at(source, ("ruleset",)))
    except (KeyError, TypeError, ValueError):
        return None


def _folder_files(folder: str) -> list[str]:
    return sorted(f for suffix in _SUFFIXES for f in glob.glob(os.path.join(glob.escape(folder), "*" + suffix))
                  if not f.endswith(_NOT_RULESETS))


def _folder_entries(folder: str, origin: str) -> list[Entry]:
    return [e for e in (read_entry(f, origin) for f in _folder_files(folder)) if e is not None]


def unreadable(folder: str) -> list[Diagnostic]:
    """Files in a user's folder that would be rulesets but cannot be picked by year.

    Skipping them silently would score a 2027 report with the 2019 rules because of a typo in
    the 2027 file, so: a file that cannot be read is TS001, and one that names a ``ruleset``
    without a usable ``report_years`` is TS002. Files without ``ruleset:`` are not rulesets.
    """
    out = []
    for path in _folder_files(folder):
        try:
            source = read_source(path)
        except InputError as err:
            line, col = (int(x) for x in err.place.split(":")[:2]) if err.place and err.place[:1].isdigit() else (0, 0)
            out.append(Diagnostic("TS001", path, line, col, (err.expected.splitlines() or [""])[0]))
            continue
        except ValueError as err:
            out.append(Diagnostic("TS001", path, 0, 0, f"unreadable value: {str(err).split(';')[0]}"))
            continue
        data = source.data
        if isinstance(data, dict) and "ruleset" in data and read_entry(path, folder) is None:
            line, col = _at(source, ("report_years",))
            out.append(Diagnostic("TS002", path, line, col, "report_years: expected {first: YEAR} or {first: YEAR, last: YEAR}",
                                  "a ruleset in a rulesets folder is picked by its report years"))
    return out


@cache
def shipped() -> tuple[Entry, ...]:
    """Shipped rulesets, by first report year (headers cached by the files' content hashes)."""
    from scoring.ruleset import cache as disk

    files = _folder_files(shipped_dir())
    name = disk.key("registry", *(f"{f}\0{disk.file_digest(f)}" for f in files))
    stored = disk.read("registry", name)
    try:
        if isinstance(stored, list):
            return tuple(_entry(fields) for fields in stored)
    except (TypeError, ValueError):  # not the fields of an Entry: rebuilt
        pass
    entries = tuple(sorted(_folder_entries(shipped_dir(), SHIPPED), key=lambda e: (e.first, e.id)))
    disk.write("registry", name, [list(astuple(e)) for e in entries])
    return entries


def _entry(fields: list) -> Entry:  # type: ignore[type-arg]
    """An Entry from its cached fields (JSON gives lists where the Entry holds (line, col) pairs)."""
    entry = Entry(*fields)
    return replace(entry, replaces_at=tuple(entry.replaces_at), id_at=tuple(entry.id_at))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Catalog:
    """The shipped and the user's rulesets, with the conflicts among them."""

    entries: tuple[Entry, ...]  #: user folders first (in search-path order), then shipped
    search_path: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]

    def find(self, ruleset_id: str) -> Entry | None:
        return next((e for e in self.entries if e.id == ruleset_id), None)

    def for_year(self, year: int) -> Entry | None:
        """The non-abstract ruleset in force for ``year``: a replacing ruleset wins over the one it replaces."""
        live = [e for e in self.entries if not e.abstract and e.covers(year)]
        replaced = {e.replaces for e in live}
        return next((e for e in live if e.id not in replaced), None)

    def in_force(self, entry: Entry) -> list[tuple[int, int | None]]:
        """The report years for which ``entry`` is picked (a replaced ruleset loses some)."""
        if entry.abstract:
            return []
        takers = sorted((e for e in self.entries if e.replaces == entry.id and not e.abstract), key=lambda e: e.first)
        spans: list[tuple[int, int | None]] = [(entry.first, entry.last)]
        for taker in takers:
            spans = [piece for span in spans for piece in _cut(span, taker.first, taker.last)]
        return spans


def _cut(span: tuple[int, int | None], first: int, last: int | None) -> list[tuple[int, int | None]]:
    """``span`` minus the years ``first``-``last``."""
    start, end = span
    out: list[tuple[int, int | None]] = []
    if start < first:
        out.append((start, first - 1 if end is None else min(end, first - 1)))
    if last is not None and (end is None or end > last):
        out.append((max(start, last + 1), end))
    return out


def years_text(spans: list[tuple[int, int | None]]) -> str:
    return ", ".join(f"{a}-{b}" if b is not None else f"{a}-" for a, b in spans) or "none"


@cache
def catalog(search_path: tuple[str, ...] = ()) -> Catalog:
    """The catalog for these user folders (already checked to exist, see ``scoring.api.search_path``)."""
    user = [e for folder in search_path for e in _folder_entries(folder, folder)]
    entries = tuple(user) + shipped()
    problems = [d for folder in search_path for d in unreadable(folder)]
    return Catalog(entries, search_path, tuple(problems + catalog_diagnostics(user, list(shipped()))))


def catalog_diagnostics(user: list[Entry], base: list[Entry]) -> list[Diagnostic]:
    """TS125 duplicate ids, TS124 unknown ``replaces``, TS114 overlaps not declared with ``replaces``."""
    out: list[Diagnostic] = []
    seen: dict[str, Entry] = {e.id: e for e in base}
    duplicates = []
    for entry in user:
        if entry.id in seen:
            duplicates.append(entry)
            other = seen[entry.id]
            where = "shipped" if other.origin == SHIPPED else other.path
            out.append(Diagnostic("TS125", entry.path, *entry.id_at,
                                  f"ruleset id {entry.id!r} is already used by {other.path if where != 'shipped' else 'the shipped ruleset'}",
                                  "give your ruleset its own id (and file name); to take over its years, add replaces: "
                                  f"{entry.id} under a new id"))
        else:
            seen[entry.id] = entry
    for entry in user:
        if entry.replaces is not None and entry.replaces not in seen:
            out.append(Diagnostic("TS124", entry.path, *entry.replaces_at,
                                  f"replaces unknown ruleset {entry.replaces!r}",
                                  "replaces names a shipped ruleset or one in your rulesets folders"))
    user = [e for e in user if e not in duplicates]  # one diagnostic per problem
    everything = user + base
    for i, entry in enumerate(user):
        for other in everything[i + 1:]:
            if entry.abstract or other.abstract or not entry.overlaps(other):
                continue
            if entry.replaces == other.id or other.replaces == entry.id:
                continue
            out.append(Diagnostic("TS114", entry.path, entry.line, entry.col,
                                  f"report years {entry.years} overlap {other.id} ({other.years}, {_origin(other)})",
                                  f"narrow report_years, or add replaces: {other.id} to take over those years"))
    return out


def _origin(entry: Entry) -> str:
    return "shipped" if entry.origin == SHIPPED else entry.path


def for_year(year: int, search_path: tuple[str, ...] = ()) -> Entry | None:
    """The non-abstract ruleset covering ``year`` (shipped only, unless user folders are given)."""
    return catalog(tuple(search_path)).for_year(year)


def coverage_diagnostics(entries: list[Entry]) -> list[Diagnostic]:
    """TS114 overlapping and TS115 missing report years among non-abstract rulesets."""
    live = sorted((e for e in entries if not e.abstract), key=lambda e: e.first)
    out: list[Diagnostic] = []
    expected = FIRST_REPORT
    for previous, entry in zip([None, *live], live):
        if previous is not None and (previous.last is None or previous.last >= entry.first):
            if entry.replaces == previous.id or previous.replaces == entry.id:
                continue
            out.append(Diagnostic("TS114", entry.path, entry.line, entry.col,
                                  f"report years {entry.years} overlap {previous.id} ({previous.years})",
                                  "each report year must be covered by exactly one ruleset"))
        elif entry.first > expected:
            out.append(Diagnostic("TS115", entry.path, entry.line, entry.col,
                                  f"no ruleset covers report years {expected}-{entry.first - 1}"))
        expected = (entry.last or 10_000) + 1
    return out
