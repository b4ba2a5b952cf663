"""The public Python API; the CLI is a thin layer over it.

>>> import scoring
>>> outcome = scoring.score("fixtures/mali/2015.yaml")  # doctest: +SKIP
>>> outcome.tier  # doctest: +SKIP
'2WL'
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from scoring.efforts.facts import flatten
from scoring.efforts.model import EffortsDocument
from scoring.efforts.validate import load_efforts
from scoring.errors import InputError
from scoring.history import History, choose, derive
from scoring.outcome import Outcome
from scoring.ruleset import ast
from scoring.ruleset.load import load_ruleset as _load_ruleset
from scoring.ruleset.diagnostics import CatalogError
from scoring.ruleset.registry import LAW_CHECKED_THROUGH, SHIPPED, Catalog
from scoring.ruleset.registry import catalog as _catalog
from scoring.ruleset.shipped import shipped_dir

Engine = Literal["durable-rules", "reference"]
SearchPath = Sequence[str] | None
ENV_RULESETS = "TIPSCORE_RULESETS"
_loaded: dict[tuple[str, tuple[str, ...]], ast.Ruleset] = {}


def search_path(folders: SearchPath = None, environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The user's rulesets folders: ``folders`` (``--rulesets``), then ``TIPSCORE_RULESETS`` (os.pathsep-separated).

    Every command resolves rulesets through this and ``catalog``, so each honours
    both the same way. A folder that does not exist is bad input, not an empty folder.
    """
    env = os.environ if environ is None else environ
    listed = [(f, "--rulesets") for f in folders or ()]
    listed += [(f, ENV_RULESETS) for f in env.get(ENV_RULESETS, "").split(os.pathsep) if f.strip()]
    out: dict[str, None] = {}
    for folder, named_by in listed:
        if not os.path.isdir(folder):
            what = "is not a folder" if os.path.exists(folder) else "no such folder"
            raise InputError(folder, None, f"{what} (given by {named_by}); expected a folder of ruleset files")
        if not os.path.samefile(folder, shipped_dir()):  # the shipped folder is always searched, last
            out[os.path.normpath(folder)] = None
    return tuple(out)


search_path_of = search_path  #: for functions whose ``search_path`` argument hides the name


def catalog(folders: SearchPath = None) -> Catalog:
    """Shipped and user rulesets; raises ``RulesetError`` on conflicts (overlapping years, duplicate ids)."""
    found = _catalog(search_path(folders))
    errors = [d for d in found.diagnostics if d.severity == "error"]
    if errors:
        raise CatalogError(errors)
    return found


def load_ruleset(ref: str, search_path: SearchPath = None) -> ast.Ruleset:
    """A checked ruleset by id (``tvpa-2013``, shipped or in a user folder) or file path; cached per process."""
    folders = search_path_of(search_path)
    if folders:
        catalog(folders)  # conflicts among the user's rulesets are refused whichever one is asked for
    key = (ref, folders)
    if key not in _loaded:
        _loaded[key] = _load_ruleset(ref, list(folders))
    return _loaded[key]


def ruleset_for(report_year: int, search_path: SearchPath = None) -> ast.Ruleset:
    """The ruleset in force for a report year, among the shipped and the user's rulesets."""
    found = catalog(search_path)
    entry = found.for_year(report_year)
    if entry is None:
        raise InputError("report_year", None, f"no ruleset covers the {report_year} report")
    if report_year > LAW_CHECKED_THROUGH and entry.origin == SHIPPED:
        raise InputError("report_year", None, (
            f"{report_year} is after {LAW_CHECKED_THROUGH}, the last report year whose law the shipped rulesets "
            f"were checked against; the law may have been amended since. To score it under {entry.id} "
            f"(report years {entry.years}) anyway, pass --ruleset {entry.id}, or add a ruleset for it "
            f"with --rulesets DIR"))
    return load_ruleset(entry.path, found.search_path)


def score(
    document: EffortsDocument | str | os.PathLike[str],
    ruleset: ast.Ruleset | str | None = None,
    *,
    history: str = "auto",
    engine: Engine = "durable-rules",
    search_path: SearchPath = None,
) -> Outcome:
    """Score one country-year: the tier outcome with its explanation.

    ``ruleset`` defaults to the shipped ruleset for the document's report year;
    ``history`` is ``auto`` (the document's tier history, else the shipped
    dataset), ``none`` or the path of a tier-history CSV; ``search_path`` lists
    the user's rulesets folders (``TIPSCORE_RULESETS`` is read as well).
    """
    from scoring.explain import explain

    return explain(*evaluated(document, ruleset, history=history, engine=engine, search_path=search_path), engine)


def evaluated(document: EffortsDocument | str | os.PathLike[str], ruleset: ast.Ruleset | str | None = None, *,
              history: str = "auto", engine: Engine = "durable-rules",
              search_path: SearchPath = None) -> tuple[Any, ...]:
    """``score`` up to the explanation: (document, ruleset, facts, history, evaluation)."""
    doc = document if isinstance(document, EffortsDocument) else load_efforts(document)
    rs = ruleset if isinstance(ruleset, ast.Ruleset) else (
        load_ruleset(ruleset, search_path) if ruleset else _ruleset_for_document(doc, document, search_path))
    past, facts = facts_for(doc, rs, history)
    return doc, rs, facts, past, evaluate(rs, facts, engine)


def _ruleset_for_document(doc: EffortsDocument, named: object, search_path: SearchPath) -> ast.Ruleset:
    """The ruleset in force for the document's year; an error names the document and its field."""
    try:
        return ruleset_for(doc.report_year, search_path)
    except InputError as err:
        if err.file != "report_year":
            raise
        name = os.fspath(named) if isinstance(named, (str, os.PathLike)) else f"{doc.country} {doc.report_year}"
        raise InputError(name, "report_year", err.expected) from None


def facts_for(document: EffortsDocument, ruleset: ast.Ruleset, history: str = "auto") -> tuple[History, dict[str, Any]]:
    """What the rules read: the document's known facts plus the history facts of the ruleset's era."""
    source, placements = choose(document, history)
    past = derive(document.report_year, placements, ruleset.parameters, source)
    return past, {**flatten(document), **past.facts}


def evaluate(ruleset: ast.Ruleset, facts: dict, engine: Engine = "durable-rules"):  # type: ignore[no-untyped-def]
    """Statuses, tallies and table hits for a flat fact mapping."""
    if engine == "reference":
        from scoring.engine.reference import evaluate as reference

        return reference(ruleset, facts)
    from scoring.engine.evaluate import evaluate as durable

    return durable(ruleset, facts)


def check_options(ruleset: str | None, history: str, engine: str, rulesets: SearchPath = None) -> None:
    """Refuse a bad --engine, --ruleset, --rulesets or --history once, up front, instead of failing every document."""
    if engine not in ("durable-rules", "reference"):
        raise InputError("--engine", None, f"expected durable-rules or reference, got {engine!r}")
    catalog(rulesets)
    if ruleset:
        load_ruleset(ruleset, rulesets)
    if history not in ("auto", "none"):
        from scoring.history import read_history_file

        read_history_file(history)
