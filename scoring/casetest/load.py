"""Stage 1-2 for test files: find them, read them, check them, build their cases.

A test file is data (read by scoring.load, which never constructs objects from
tags): it names documents and expectations, it never runs code. Every problem in
a file is reported, each as one line ``file:line:col: field: what was expected``,
before anything is scored, so a malformed file never produces a half-run.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from typing import Any

from scoring.casetest.expect import PER_ID, label, normalize
from scoring.efforts.model import EffortsDocument
from scoring.efforts.validate import load_efforts, validate_efforts
from scoring.errors import InputError, InputErrors, TipscoreError
from scoring.load.source import Path, Source, read_source
from scoring.ruleset import ast

SUFFIXES = (".test.yaml", ".test.yml", ".test.json")
#: Placeholders for an inline document that leaves them out (ISO code of an uninhabited
#: territory, as the synthetic fixtures use): a case is about rules, not a country.
INLINE_DEFAULTS = {"country": "Test case", "iso3": "ATA"}


class TestFileErrors(TipscoreError):
    """Every problem found in the test files, one line each (exit 2)."""

    __test__ = False  # not a pytest test class

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Case:
    """One checked case, ready to score."""

    file: str
    line: int
    name: str
    document: EffortsDocument
    document_label: str  #: the document's file, or "inline"
    ruleset: ast.Ruleset
    expect: dict[str, Any]
    note: str = ""
    places: dict[str, str] = field(default_factory=dict)  #: what a mismatch names -> "line:col"


def shipped_tests_dir() -> str:
    """The shipped rulesets' own tests (package data beside the rulesets)."""
    from scoring.ruleset.shipped import shipped_dir

    return os.path.join(shipped_dir(), "tests")


def discover(paths: list[str]) -> list[str]:
    """Test files: files as given, folders searched recursively for ``*.test.yaml``; sorted, no repeats."""
    found: dict[str, None] = {}
    for path in paths or [_shown(shipped_tests_dir())]:
        if os.path.isdir(path):
            inside = sorted(os.path.join(root, name) for root, _, names in os.walk(path)
                            for name in names if name.endswith(SUFFIXES))
            if not inside:
                raise InputError(path, None, "no test files (*.test.yaml) in this folder")
            found.update(dict.fromkeys(inside))
        elif not os.path.exists(path):
            raise InputError(path, None, "no such file or folder; expected a test file (*.test.yaml) or a folder of them")
        else:
            found[path] = None
    return list(found)


def _shown(path: str) -> str:
    """A path as reports show it: relative to the working folder when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def load_cases(paths: list[str], search_path: tuple[str, ...] = ()) -> list[Case]:
    """Every case of every test file; raises ``TestFileErrors`` listing all problems at once.

    ``search_path``: the user's rulesets folders (``--rulesets``, ``TIPSCORE_RULESETS``), searched
    for ids after the test file's own folder and used to pick a ruleset by report year."""
    cases: list[Case] = []
    errors: list[str] = []
    try:
        files = discover(paths)
    except InputError as err:
        raise TestFileErrors([err.line()]) from None
    for path in files:
        try:
            cases += _File(read_source(path), search_path).cases()
        except TestFileErrors as err:
            errors += err.lines
        except TipscoreError as err:
            errors += str(err).splitlines()
    if errors:
        raise TestFileErrors(errors)
    return cases


def _field(path: Path) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class _File:
    """One test file being checked; collects its problems."""

    def __init__(self, source: Source, search_path: tuple[str, ...] = ()) -> None:
        self.source = source
        self.folder = os.path.dirname(source.path)
        self.search_path = search_path
        self.errors: list[str] = []

    def error(self, path: Path, message: str) -> None:
        where = self.source.where(path)
        name = _field(path)
        place = f"{where}: {name}" if where and name else (where or name or None)
        self.errors.append(InputError(self.source.path, place, message).line())

    def cases(self) -> list[Case]:
        data = self.source.data
        if not isinstance(data, dict):
            raise InputError(self.source.path, self.source.where(()), "expected a mapping with a list of cases")
        self.check_schema()
        if self.errors:
            raise TestFileErrors(self.errors)
        default = self.default_ruleset(data)
        out, names = [], set()
        for i, raw in enumerate(data["cases"]):
            if raw["name"] in names:
                self.error(("cases", i, "name"), f"a second case named {raw['name']!r}; names tell cases apart")
            names.add(raw["name"])
            case = self.case(i, raw, default)
            if case is not None:
                out.append(case)
        if self.errors:
            raise TestFileErrors(self.errors)
        return out

    # ------------------------------------------------------------------ the schema

    def check_schema(self) -> None:
        from scoring.schemas import packaged_schema, validator

        schema = packaged_schema("casetest")
        for err in sorted(validator(schema).iter_errors(self.source.data), key=self._place_of):
            path = tuple(err.absolute_path)
            if err.validator == "additionalProperties" and isinstance(err.instance, dict):
                known = list(err.schema.get("properties", {}))
                for key in (k for k in err.instance if k not in known):
                    what = "expectation" if path[-1:] == ("expect",) else "key"
                    self.error(path + (key,), f"unknown {what} {key!r}{_did_you_mean(key, known)} "
                                              f"(expected one of: {', '.join(known)})")
            else:
                self.error(path, _schema_message(err))

    def _place_of(self, err: Any) -> tuple[int, int, str]:
        """Schema errors in the order of the file."""
        where = self.source.where(tuple(err.absolute_path)) or "0:0"
        line, col = where.split(":")
        return int(line), int(col), str(list(err.absolute_path))

    # ------------------------------------------------------------------ rulesets

    def default_ruleset(self, data: dict[str, Any]) -> ast.Ruleset | None:
        """The file's ``ruleset``, else the ruleset beside it (``x.test.yaml`` tests ``x.yaml``)."""
        if "ruleset" in data:
            return self.ruleset(data["ruleset"], ("ruleset",))
        stem = os.path.basename(self.source.path)
        for suffix in SUFFIXES:
            if stem.endswith(suffix):
                stem = stem[: -len(suffix)]
        for ext in (".yaml", ".yml", ".json"):
            beside = os.path.join(self.folder, stem + ext)
            if os.path.isfile(beside):
                return self.ruleset(stem + ext, ("cases",))  # relative to the test file, as ``ruleset:`` is
        return None

    def ruleset(self, ref: str, path: Path) -> ast.Ruleset | None:
        # the test file's folder resolves ids and ``extends`` for this file; it is not a rulesets folder of
        # the catalog (whose overlap checks would refuse the very copy of a ruleset a test file exercises)
        from scoring.ruleset.load import SUFFIXES as RULESET_SUFFIXES, find_ruleset, load_ruleset

        is_path = ref.endswith(RULESET_SUFFIXES) or "/" in ref or os.sep in ref
        target = os.path.join(self.folder, ref) if is_path and not os.path.isabs(ref) else ref
        found = find_ruleset(target, [self.folder, *self.search_path] if not is_path else None)
        if found is None:
            self.error(path, f"unknown ruleset {ref!r}{_did_you_mean(ref, _ruleset_ids(self.folder))}; expected a "
                             "shipped ruleset id (see `tipscore rulesets`) or a ruleset file relative to the test file")
            return None
        try:
            rs = load_ruleset(found, [self.folder, *self.search_path])
        except TipscoreError as err:
            self.errors += str(err).splitlines()
            return None
        if rs.abstract:
            self.error(path, f"{rs.id} is an abstract base ruleset; name a ruleset with report years")
            return None
        return rs

    # ------------------------------------------------------------------ one case

    def case(self, i: int, raw: dict[str, Any], default: ast.Ruleset | None) -> Case | None:
        at: Path = ("cases", i)
        document, shown = self.document(raw["document"], at + ("document",))
        if document is None:
            return None
        if "ruleset" in raw:
            rs = self.ruleset(raw["ruleset"], at + ("ruleset",))
        elif default is not None:
            rs = default
        else:
            rs = self.ruleset_for_year(document.report_year, at + ("document",))
        if rs is None:
            return None
        expect = {key: normalize(key, value) for key, value in raw["expect"].items()}
        if not self.ids_exist(rs, expect, at + ("expect",)):
            return None
        line = int((self.source.where(at) or "0:0").split(":")[0])
        places = {label(key): self.source.where(at + ("expect", key)) or "" for key in expect}
        places.update({label(key, item): self.source.where(at + ("expect", key, item)) or ""
                       for key in PER_ID for item in expect.get(key, {})})
        return Case(self.source.path, line, raw["name"], document, shown, rs, expect, raw.get("note", ""), places)

    def ruleset_for_year(self, year: int, path: Path) -> ast.Ruleset | None:
        from scoring.api import catalog

        try:
            entry = catalog(self.search_path).for_year(year)
        except TipscoreError as err:
            self.errors += str(err).splitlines()
            return None
        if entry is None:
            self.error(path, f"no ruleset covers the {year} report; name one with `ruleset:`")
            return None
        return self.ruleset(entry.path, path)

    def document(self, value: str | dict[str, Any], path: Path) -> tuple[EffortsDocument | None, str]:
        """The case's document: a file relative to the test file, or inline (checked by the efforts model)."""
        try:
            if isinstance(value, str):
                target = value if os.path.isabs(value) else os.path.join(self.folder, value)
                if not os.path.isfile(target):
                    self.error(path, f"no such efforts document {value!r} (paths are relative to the test file)")
                    return None, value
                return load_efforts(target), os.path.normpath(target)
            try:
                return validate_efforts(self.inline(value, path)), "inline"
            except InputErrors as err:
                self.errors += [self.within(e, path) for e in err.errors]
                return None, ""
        except InputErrors as err:
            self.errors += [e.line() for e in err.errors]
        except TipscoreError as err:
            self.errors += str(err).splitlines()
        return None, ""

    def within(self, error: InputError, path: Path) -> str:
        """An inline document's error, its field named from the top of the test file."""
        where, _, name = (error.place or "").partition(": ") if (error.place or "")[:1].isdigit() else ("", "", error.place or "")
        full = f"{_field(path)}.{name}" if name else _field(path)
        return InputError(error.file, f"{where}: {full}" if where else full, error.expected).line()

    def inline(self, value: dict[str, Any], path: Path) -> Source:
        """The inline document as a source of its own whose places are the test file's lines.

        ``based_on: FILE`` starts from a valid efforts document and changes only what the
        case writes (mappings merge key by key; anything else, lists included, replaces).
        Left out: country and iso3 get placeholders, and ``tier_history`` is empty, so an
        inline case never reads the shipped tier history: its history is what it states.
        """
        value = dict(value)
        base: dict[str, Any] = {}
        if "based_on" in value:
            name = value.pop("based_on")
            target = os.path.join(self.folder, name) if isinstance(name, str) and not os.path.isabs(name) else name
            if not isinstance(name, str) or not os.path.isfile(target):
                raise InputError(self.source.path, f"{self.source.where(path + ('based_on',))}: {_field(path)}.based_on",
                                 f"expected an efforts document file relative to the test file, got {name!r}")
            load_efforts(target)  # the base must be valid on its own; its errors name its own lines
            base = read_source(target).data
        data = _merge({**INLINE_DEFAULTS, "tier_history": []}, _merge(base, value))
        depth = len(path)
        positions = {key[depth:]: pos for key, pos in self.source.positions.items() if key[:depth] == path}
        return Source(self.source.path, data, positions)

    def ids_exist(self, rs: ast.Ruleset, expect: dict[str, Any], path: Path) -> bool:
        """Every criterion, determination, table and row an expectation names exists in the ruleset."""
        before = len(self.errors)
        known = {"criteria": [c.id for c in rs.criteria], "determinations": [d.id for d in rs.determinations],
                 "table_rows": [t.id for t in rs.tables]}
        for key in PER_ID:
            for item in expect.get(key, {}):
                if item not in known[key]:
                    other = next((k for k in PER_ID if k != key and item in known[k]), None)
                    hint = (f"; it is one of the {other.replace('_', ' ')}" if other
                            else _did_you_mean(item, known[key]))
                    self.error(path + (key, item), f"{rs.id} has no {key.replace('_', ' ')[:-1] if key != 'criteria' else 'criterion'} "
                                                   f"{item!r}{hint}")
        tables = {t.id: [r.id for r in t.rows] for t in rs.tables}
        for table, row in expect.get("table_rows", {}).items():
            if table in tables and row is not None and row not in tables[table]:
                self.error(path + ("table_rows", table), f"table {table!r} of {rs.id} has no row {row!r}"
                                                         f"{_did_you_mean(row, tables[table])}")
        row = expect.get("tier_row")
        if row is not None and row not in tables.get("tier", []):
            self.error(path + ("tier_row",), f"the tier table of {rs.id} has no row {row!r}"
                                             f"{_did_you_mean(row, tables.get('tier', []))}")
        return len(self.errors) == before


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` written over it, mapping by mapping."""
    out = dict(base)
    for key, value in changes.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _ruleset_ids(folder: str) -> list[str]:
    from scoring.ruleset.registry import shipped

    own = [name.rsplit(".", 1)[0] for name in os.listdir(folder or ".") if name.endswith((".yaml", ".yml", ".json"))
           and not name.endswith(SUFFIXES)]
    return [e.id for e in shipped()] + own


def _schema_message(err: Any) -> str:
    """jsonschema's finding in the test author's words."""
    value = err.instance
    shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    if err.validator == "required":
        missing = [k for k in err.validator_value if k not in (value or {})]
        return f"missing required key {missing[0]!r}" if missing else "a required key is missing"
    if err.validator in ("enum", "anyOf", "oneOf", "const") and err.schema.get("description"):
        return f"expected {err.schema['description']}, got {shown}"
    if err.validator == "enum":
        return f"expected one of {', '.join(str(v) for v in err.validator_value)}, got {shown}"
    if err.validator == "type":
        kinds = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        words = {"object": "a mapping", "array": "a list", "string": "text", "integer": "a whole number",
                 "boolean": "true or false", "null": "null"}
        return f"expected {' or '.join(words.get(k, k) for k in kinds)}, got {shown}"
    if err.validator == "pattern" and err.schema.get("description"):
        return f"expected {err.schema['description']}, got {shown}"
    if err.validator == "minProperties":
        return "expected at least one entry"
    if err.validator == "minItems":
        return "expected at least one item"
    if err.validator == "uniqueItems":
        return "expected each item once"
    return f"{err.message.split(chr(10))[0]}"
