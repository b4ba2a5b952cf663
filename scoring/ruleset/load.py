"""Load a ruleset: read, schema-check, resolve ``extends``, build, check.

``extends`` resolves only among rulesets on the search path (the extending
file's folder, then the configured folders, then the shipped rulesets), by file
name ``<id>.yaml``; a child entry replaces an inherited one only when it says
``override: true``, so nothing is shadowed by accident.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from scoring.errors import InputError
from scoring.load.source import Path, Source, read_source
from scoring.ruleset import ast, cache, serial
from scoring.ruleset.check import (
    check_citations,
    check_conditions,
    check_semantics,
    check_tier_table,
    check_unread,
)
from scoring.ruleset.diagnostics import Diagnostic, RulesetError
from scoring.ruleset.order import topological_order
from scoring.ruleset.parse import Builder, Named, diag, schema_diagnostics
from scoring.ruleset.shipped import shipped_dir

KINDS = ("conditions", "criteria", "determinations", "tables")
_ONE = {"conditions": "named condition", "criteria": "criterion", "determinations": "determination", "tables": "table"}
SUFFIXES = (".yaml", ".yml", ".json")
_ID = re.compile(r"[a-z][a-z0-9_.-]{0,79}\Z")  # the schema's id pattern: never a path


@dataclass
class _File:
    """One parsed ruleset file and what checking it found."""

    source: Source
    diagnostics: list[Diagnostic]

    @property
    def data(self) -> dict[str, Any]:
        return self.source.data if isinstance(self.source.data, dict) else {}


@dataclass
class _Entry:
    """One criterion, determination or table as written, with the file and ruleset it came from."""

    kind: str
    raw: dict[str, Any]
    path: Path
    file: _File
    origin: str
    base: "_Entry | None" = None  #: the inherited entry an ``extend`` adds to

    def canonical(self) -> dict[str, Any]:
        """The entry's content, with what it extends (for the ruleset's digest)."""
        return {**self.raw, "extends_entry": self.base.canonical()} if self.base else self.raw


@dataclass
class Checked:
    """The result of checking one ruleset file."""

    file: str
    ruleset: ast.Ruleset | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def _read(path: str, validate: bool = True) -> _File:
    try:
        source = read_source(path)
    except InputError as err:
        line, col = _line_col(err.place)  # one line: PyYAML appends 'in "<unicode string>", line N' on the next
        return _File(Source(path, None), [Diagnostic("TS001", path, line, col, (err.expected.splitlines() or [""])[0])])
    except ValueError as err:  # e.g. an integer of more than 4300 digits (Python refuses to convert it)
        return _File(Source(path, None), [Diagnostic("TS001", path, 0, 0, f"unreadable value: {str(err).split(';')[0]}")])
    if not isinstance(source.data, dict):
        return _File(source, [diag(source, (), "TS002", "expected a mapping with ruleset, title, version, report_years")])
    return _File(source, _schema_checked(source) if validate else [])


def _schema_checked(source: Source) -> list[Diagnostic]:
    """``schema_diagnostics(source)``, skipped for content that passed it before under the same code.

    The JSON Schema check is the slowest part of reading a ruleset file, and checking a ruleset
    reads its whole ``extends`` chain again: after an author edits one file, only that file's
    content is new. The key is the parsed content itself (never the path, nor the bytes read a
    second time), and only a clean result is stored, so a file with problems is checked, and its
    problems reported, every time.
    """
    try:
        content = json.dumps(source.data, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):  # a value JSON cannot hold (a YAML date, an integer too long to print)
        return schema_diagnostics(source)
    name = cache.key("schema", content)
    if cache.read("schema", name) is True:
        return []
    found = schema_diagnostics(source)
    if not found:
        cache.write("schema", name, True)
    return found


def _line_col(place: str | None) -> tuple[int, int]:
    if place and place.split(":")[0].isdigit():
        parts = place.split(":")
        return int(parts[0]), int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
    return 0, 0


def find_ruleset(ref: str, search_path: list[str] | None = None, near: str | None = None) -> str | None:
    """The file for a ruleset id or path, or None."""
    if ref.endswith(SUFFIXES) or os.sep in ref:
        return ref if os.path.isfile(ref) else None
    return _on_search_path(ref, search_path, near)


def _on_search_path(ref: str, search_path: list[str] | None, near: str | None) -> str | None:
    """``<folder>/<ref>.yaml`` (or .yml, .json) in the search path, never a path relative to the working directory."""
    folders = ([os.path.dirname(near)] if near else []) + list(search_path or []) + [shipped_dir()]
    for folder in folders:
        for suffix in SUFFIXES:
            candidate = os.path.join(folder, ref + suffix)
            if os.path.isfile(candidate):
                return candidate
    return None


def check_ruleset(ref: str, search_path: list[str] | None = None, semantic: bool = True) -> Checked:
    """Load and check a ruleset; never raises for problems in the files.

    ``semantic=False`` skips the checks that need well-formed rules to be
    meaningful (tables' gaps and overlaps, rules that never fire), so that
    ``tipscore verify`` can search for a concrete counterexample instead.
    """
    path = find_ruleset(ref, search_path)
    if path is None:
        return Checked(ref, None, [Diagnostic("TS001", ref, 0, 0, "no such ruleset file or shipped ruleset id")])
    chain, diagnostics = _chain(path, search_path)
    if any(d.severity == "error" for d in diagnostics):
        return Checked(path, None, diagnostics)
    entries, merge_diags = _merge(chain)
    diagnostics += merge_diags
    ruleset, build_diags = _build(chain, entries, semantic=semantic)
    diagnostics += build_diags
    if ruleset is not None and not ruleset.abstract and not any(d.severity == "error" for d in diagnostics):
        # a base defines criteria for its children to read; unread rules matter only in a sound ruleset
        diagnostics += check_unread(list(ruleset.criteria), ruleset.decisions(), _parameter_places(chain))
    if ruleset is not None and not ruleset.abstract and not any(d.severity == "error" for d in diagnostics):
        diagnostics += _engine_diagnostics(ruleset, chain[0])
        diagnostics += _statute_diagnostics(ruleset, chain)
    ok = not any(d.severity == "error" for d in diagnostics)
    return Checked(path, ruleset if ok else None, _sorted(diagnostics))


def checked_ruleset(ref: str, search_path: list[str] | None = None) -> Checked:
    """``check_ruleset(ref, search_path)``, from the cache when it can only give a clean result.

    The cache holds a ruleset only when every check passed with no diagnostic at all, under
    the same tipscore code, the same search path and the same bytes of every file of its
    ``extends`` chain; checking those files again would find exactly nothing again. So
    ``tipscore validate`` of an unchanged ruleset answers without re-reading its schema; a
    clean result is stored as ``load_ruleset`` stores it.
    """
    path = find_ruleset(ref, search_path)
    if path is not None and (cached := _from_cache(path, search_path)) is not None:
        return Checked(path, cached, [])
    checked = check_ruleset(ref, search_path)
    if checked.ruleset is not None and not checked.diagnostics:
        _to_cache(checked.file, checked.ruleset, search_path)
    return checked


def _statute_diagnostics(ruleset: ast.Ruleset, chain: list[_File]) -> list[Diagnostic]:
    """TS126: a parameter the ruleset sets that the statute table (scoring.statute) fixes otherwise for its years."""
    from scoring.statute import parameter_disagreements, years_text

    out = []
    for wrong in parameter_disagreements(ruleset):
        setter = chain[0] if wrong.parameter in (chain[0].data.get("parameters") or {}) else None
        if setter is None:  # unset or inherited: verify's statute oracle judges the outcomes instead
            continue
        law = f" ({wrong.provision.section}, {wrong.provision.enacted_by})" if wrong.provision else ""
        out.append(diag(setter.source, ("parameters", wrong.parameter), "TS126",
                        f"parameters.{wrong.parameter} is {wrong.value!r}, but the statute fixes "
                        f"{wrong.expected!r} for the {years_text(wrong.years, ruleset.last_year is None)} reports{law}",
                        "narrow report_years to the era the value belongs to, or use the statute's value"))
    return out


def _engine_diagnostics(ruleset: ast.Ruleset, top: _File) -> list[Diagnostic]:
    """TS118: compile for durable-rules now, so an unsafe ruleset fails validation, not scoring."""
    from scoring.engine.evaluate import compiled
    from scoring.errors import EngineError

    try:
        compiled(ruleset)
    except EngineError as err:
        return [diag(top.source, ("ruleset",), "TS118", str(err).removeprefix("TS118 "),
                     "split the rule into smaller determinations (see docs/diagnostics.md#ts118)")]
    return []


def load_ruleset(ref: str, search_path: list[str] | None = None) -> ast.Ruleset:
    """A checked ruleset; raises ``RulesetError`` if it has errors.

    A ruleset whose files passed every check before, byte for byte, under the
    same tipscore code, comes from the cache (scoring.ruleset.cache) with its
    compiled engine form: nothing is parsed, checked or compiled again.
    """
    checked = checked_ruleset(ref, search_path)
    if checked.ruleset is None:
        raise RulesetError(checked.errors or checked.diagnostics)
    return checked.ruleset


def _entry_name(path: str, search_path: list[str] | None) -> str:
    folders = list(search_path or [])
    return cache.key("ruleset", path, os.path.abspath(path), *folders, *map(os.path.abspath, folders))


def _chain_paths(ruleset: ast.Ruleset, path: str, search_path: list[str] | None) -> list[str] | None:
    """The files of the extends chain as resolved now (nearest first), or None if one is missing."""
    paths = [path]
    for parent in ruleset.extends:
        found = _on_search_path(parent, search_path, near=paths[-1])
        if found is None:
            return None
        paths.append(found)
    return paths


def _to_cache(path: str, ruleset: ast.Ruleset, search_path: list[str] | None) -> None:
    from scoring.engine.evaluate import export

    paths = _chain_paths(ruleset, path, search_path)
    digests = [cache.file_digest(p) for p in paths or []]
    if paths is None or None in digests:
        return
    entry = {"chain": [[p, d] for p, d in zip(paths, digests)], "ruleset": serial.to_data(ruleset),
             "engine": None if ruleset.abstract else export(ruleset)}
    cache.write("ruleset", _entry_name(path, search_path), entry)


def _from_cache(path: str, search_path: list[str] | None) -> ast.Ruleset | None:
    """The cached ruleset if every file of its chain is unchanged; None on any doubt."""
    entry = cache.read("ruleset", _entry_name(path, search_path))
    if not isinstance(entry, dict):
        return None
    try:
        chain = [(p, d) for p, d in entry["chain"]]
        ruleset = serial.from_data(entry["ruleset"])
        if not isinstance(ruleset, ast.Ruleset) or _chain_paths(ruleset, path, search_path) != [p for p, _ in chain]:
            return None
        if any(cache.file_digest(p) != d for p, d in chain):
            return None
        if entry["engine"] is not None:
            from scoring.engine.evaluate import restore

            restore(ruleset, entry["engine"])
    except (serial.DataError, KeyError, TypeError, ValueError):
        return None
    return ruleset


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    unique = list(dict.fromkeys(diagnostics))
    return sorted(unique, key=lambda d: (d.severity != "error", d.file, d.line, d.col, d.code))


def _chain(path: str, search_path: list[str] | None, validate: bool = True) -> tuple[list[_File], list[Diagnostic]]:
    """The file and its ancestors, nearest first."""
    files = [_read(path, validate)]
    diagnostics = list(files[0].diagnostics)
    top_id = files[0].data.get("ruleset")
    seen = {top_id} if isinstance(top_id, str) else set()  # not yet schema-checked when validate=False
    while not diagnostics and (parent := files[-1].data.get("extends")):
        child = files[-1]
        if not isinstance(parent, str) or not _ID.match(parent):
            return files, [diag(child.source, ("extends",), "TS002", f"extends: {parent!r} is not a ruleset id")]
        if parent in seen:
            return files, [diag(child.source, ("extends",), "TS108", f"extends chain loops back to {parent!r}")]
        parent_path = _on_search_path(parent, search_path, near=child.source.path)  # an id, never a file path
        if parent_path is None:
            return files, [diag(child.source, ("extends",), "TS107", f"extends unknown ruleset {parent!r}",
                                "extends names a ruleset id on the search path (file <id>.yaml)")]
        files.append(_read(parent_path, validate))
        seen.add(parent)
        diagnostics += files[-1].diagnostics
    return files, diagnostics


def _merge(chain: list[_File]) -> tuple[dict[str, _Entry], list[Diagnostic]]:
    entries: dict[str, _Entry] = {}
    diagnostics: list[Diagnostic] = []
    for file in reversed(chain):
        own: set[str] = set()
        inherited = set(entries)
        origin = file.data["ruleset"]
        for kind in KINDS:
            for i, raw in enumerate(file.data.get(kind, [])):
                path: Path = (kind, i)
                entry_id = raw["id"]
                if entry_id in own:
                    diagnostics.append(diag(file.source, path + ("id",), "TS104", f"duplicate id {entry_id!r}"))
                    continue
                own.add(entry_id)
                if "extend" in raw:
                    diagnostics += _extend(entries, _Entry(kind, raw, path, file, origin), inherited)
                    continue
                if entry_id in inherited and not raw.get("override"):
                    diagnostics.append(diag(file.source, path + ("id",), "TS104",
                                            f"{entry_id!r} is already defined in {entries[entry_id].origin!r}",
                                            "add override: true to replace the inherited entry"))
                    continue
                if raw.get("override") and entry_id not in inherited:
                    diagnostics.append(diag(file.source, path + ("override",), "TS109",
                                            f"override of {entry_id!r}, which is not inherited"))
                    continue
                if entry_id in entries and entries[entry_id].kind != kind:
                    diagnostics.append(diag(file.source, path + ("id",), "TS104",
                                            f"{entry_id!r} overrides a {_ONE[entries[entry_id].kind]} with a {_ONE[kind]}"))
                    continue
                entries[entry_id] = _Entry(kind, raw, path, file, origin)
        for i, removed in enumerate(file.data.get("remove", [])):
            if removed not in inherited:
                diagnostics.append(diag(file.source, ("remove", i), "TS109", f"remove of {removed!r}, which is not inherited"))
            else:
                entries.pop(removed, None)
    return entries, diagnostics


def _extend(entries: dict[str, _Entry], entry: _Entry, inherited: set[str]) -> list[Diagnostic]:
    """Record an ``extend`` of an inherited criterion or determination (TS109 if there is none)."""
    entry_id = entry.raw["id"]
    if entry_id not in inherited:
        return [diag(entry.file.source, entry.path + ("extend",), "TS109", f"extend of {entry_id!r}, which is not inherited",
                     "extend adds to an inherited entry; define a new one with when: instead")]
    if entries[entry_id].kind != entry.kind:
        return [diag(entry.file.source, entry.path + ("id",), "TS104",
                     f"{entry_id!r} extends a {_ONE[entries[entry_id].kind]} as a {_ONE[entry.kind]}")]
    entry.base = entries[entry_id]
    entries[entry_id] = entry
    return []


def _parameters(chain: list[_File]) -> dict[str, Any]:
    """The resolved parameters: each file's values over its parent's."""
    params: dict[str, Any] = {}
    for file in reversed(chain):
        params.update(file.data.get("parameters", {}))
    return params


def _parameter_places(chain: list[_File]) -> dict[str, ast.Where]:
    """Where each resolved parameter is set (the nearest file that sets it)."""
    places: dict[str, ast.Where] = {}
    for file in reversed(chain):
        builder = Builder(file.source, "")
        places.update((name, builder.where(("parameters", name))) for name in file.data.get("parameters", {}))
    return places


def _build_entry(builders: dict[int, Builder], entry: _Entry) -> Any:
    """The AST node of an entry; an extension wraps the inherited condition with its own."""
    builder = builders[id(entry.file)]
    if entry.base is None:
        return getattr(builder, "criterion" if entry.kind == "criteria" else entry.kind[:-1])(entry.raw, entry.path)
    base = _build_entry(builders, entry.base)
    return builder.extension(base, entry.raw, entry.path)


def _build(chain: list[_File], entries: dict[str, _Entry], checks: bool = True,
           semantic: bool = True) -> tuple[ast.Ruleset | None, list[Diagnostic]]:
    top = chain[0]
    params = _parameters(chain)
    named = Named()
    builders = {id(f): Builder(f.source, f.data["ruleset"], params, named) for f in chain}
    named.definitions = {key: (builders[id(e.file)], e.raw, e.path) for key, e in entries.items() if e.kind == "conditions"}
    built = {key: _build_entry(builders, e) for key, e in entries.items() if e.kind != "conditions"}
    read = set(named.read)  # what the rules read, before every named condition is built for its own record
    conditions = [builders[id(e.file)].named_condition(e.raw, e.path) for e in entries.values() if e.kind == "conditions"]
    criteria = [n for n in built.values() if isinstance(n, ast.Criterion)]
    decisions = [n for n in built.values() if not isinstance(n, ast.Criterion)]
    order, cycle = topological_order(decisions)
    if not checks:
        return _assemble(chain, entries, criteria, decisions, order, conditions), []
    diagnostics = named.problems + check_conditions(criteria, decisions, params, {c.id: c.when for c in conditions})
    diagnostics += check_citations([*built.values(), *conditions])
    abstract = bool(top.data.get("abstract"))
    where = Builder(top.source, "").where(("ruleset",))
    if not abstract:
        diagnostics += check_tier_table(decisions, where)
    if cycle:
        node = next(d for d in decisions if d.id == cycle[0])
        diagnostics.append(Diagnostic("TS106", node.where.file, node.where.line, node.where.col,
                                      f"cycle: {' -> '.join(cycle + [cycle[0]])}"))
    if any(d.severity == "error" for d in diagnostics):
        return None, diagnostics
    if semantic:
        diagnostics += check_semantics(criteria, decisions)
    if not abstract:  # a base defines named conditions for its children to read
        diagnostics += _unread_conditions(entries, {c.id for c in conditions} - read)
    return _assemble(chain, entries, criteria, decisions, order, conditions), diagnostics


def _unread_conditions(entries: dict[str, _Entry], unread: set[str]) -> list[Diagnostic]:
    """TS129: a named condition no rule reads changes nothing (probably a forgotten reference)."""
    return [diag(entries[name].file.source, entries[name].path + ("id",), "TS129",
                 f"named condition {name!r} is never read", "read it with {condition: " + name + "} or remove it")
            for name in sorted(unread)]


def _assemble(chain: list[_File], entries: dict[str, _Entry], criteria: list[ast.Criterion],
              decisions: list[Any], order: list[str], conditions: list[ast.NamedCondition]) -> ast.Ruleset:
    top = chain[0].data
    params = _parameters(chain)
    years = top["report_years"]
    canonical = json.dumps({"id": top["ruleset"], "version": top["version"], "years": years, "parameters": params,
                            "entries": [[k, e.kind, e.canonical()] for k, e in entries.items()]}, sort_keys=True)
    return ast.Ruleset(
        id=top["ruleset"], title=top["title"], version=top["version"], first_year=years["first"],
        last_year=years.get("last"), abstract=bool(top.get("abstract")),
        extends=tuple(f.data["ruleset"] for f in chain[1:]), parameters=ast.Parameters.of(params),
        criteria=tuple(criteria), determinations=tuple(d for d in decisions if isinstance(d, ast.Determination)),
        tables=tuple(d for d in decisions if isinstance(d, ast.Table)), order=tuple(order),
        file=chain[0].source.path, digest=hashlib.sha256(canonical.encode()).hexdigest(), conditions=tuple(conditions),
    )


@dataclass(frozen=True)
class ResolvedEntry:
    """An entry of a resolved ruleset as written (``extend`` applied), with where each part came from."""

    kind: str  #: conditions, criteria, determinations or tables
    raw: dict[str, Any]
    places: tuple[tuple[str, ast.Where], ...]  #: (ruleset id, place), the defining entry first, then extensions


@dataclass(frozen=True)
class Resolved:
    """A ruleset as written after ``extends`` is applied, with where each part came from (``tipscore show``)."""

    header: dict[str, Any]  #: the top file's ruleset, title, version, report_years, abstract, description
    chain: tuple[tuple[str, str], ...]  #: (ruleset id, file), nearest first
    parameters: tuple[tuple[str, Any, str, ast.Where], ...]  #: name, value, ruleset that set it, where
    entries: tuple[ResolvedEntry, ...]


def resolve(ref: str, search_path: list[str] | None = None) -> Resolved:
    """The ruleset's entries with inheritance applied, as data (for ``tipscore show --resolved`` and docs).

    Raises ``RulesetError`` if the ruleset has errors: only a checked ruleset is shown.
    """
    load_ruleset(ref, search_path)
    path = find_ruleset(ref, search_path)
    assert path is not None  # load_ruleset found it
    chain, _ = _chain(path, search_path, validate=False)
    entries, _ = _merge(chain)
    top = chain[0].data
    header = {k: top[k] for k in ("ruleset", "title", "version", "description", "report_years", "abstract") if k in top}
    places = _parameter_places(chain)
    setters = {name: f.data["ruleset"] for f in reversed(chain) for name in f.data.get("parameters", {})}
    params = tuple((name, value, setters[name], places[name]) for name, value in _parameters(chain).items())
    return Resolved(header, tuple((f.data["ruleset"], f.source.path) for f in chain), params,
                    tuple(_resolved_entry(e) for e in entries.values()))


def _resolved_entry(entry: _Entry) -> ResolvedEntry:
    place = (entry.origin, Builder(entry.file.source, "").where(entry.path))
    if entry.base is None:
        return ResolvedEntry(entry.kind, {k: v for k, v in entry.raw.items() if k != "override"}, (place,))
    base = _resolved_entry(entry.base)
    form = "all" if "all" in entry.raw["extend"] else "any"
    raw = {**base.raw, **{k: v for k, v in entry.raw.items() if k not in ("extend", "override")}}
    raw["when"] = {form: [base.raw["when"], *entry.raw["extend"][form]]}
    return ResolvedEntry(entry.kind, raw, base.places + (place,))
