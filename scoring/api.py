"""The public Python API; the CLI is a thin layer over it.

>>> import scoring
>>> outcome = scoring.score("fixtures/mali/2015.yaml")  # doctest: +SKIP
>>> outcome.tier  # doctest: +SKIP
'2WL'
"""

from __future__ import annotations

import os
from typing import Any, Literal

from scoring.efforts.facts import flatten
from scoring.efforts.model import EffortsDocument
from scoring.efforts.validate import load_efforts
from scoring.errors import InputError
from scoring.history import History, choose, derive
from scoring.outcome import Outcome
from scoring.ruleset import ast
from scoring.ruleset.load import load_ruleset as _load_ruleset
from scoring.ruleset.registry import LAW_CHECKED_THROUGH, for_year

Engine = Literal["durable-rules", "reference"]
_loaded: dict[tuple[str, tuple[str, ...]], ast.Ruleset] = {}


def load_ruleset(ref: str, search_path: list[str] | None = None) -> ast.Ruleset:
    """A checked ruleset by shipped id (``tvpa-2013``) or file path; cached per process."""
    key = (ref, tuple(search_path or ()))
    if key not in _loaded:
        _loaded[key] = _load_ruleset(ref, search_path)
    return _loaded[key]


def ruleset_for(report_year: int) -> ast.Ruleset:
    """The shipped ruleset in force for a report year."""
    entry = for_year(report_year)
    if entry is None:
        raise InputError("report_year", None, f"no shipped ruleset covers the {report_year} report")
    if report_year > LAW_CHECKED_THROUGH:
        raise InputError("report_year", None, (
            f"{report_year} is after {LAW_CHECKED_THROUGH}, the last report year whose law the shipped rulesets "
            f"were checked against; the law may have been amended since. To score it under {entry.id} "
            f"(report years {entry.years}) anyway, pass --ruleset {entry.id}"))
    return load_ruleset(entry.path)


def score(
    document: EffortsDocument | str | os.PathLike[str],
    ruleset: ast.Ruleset | str | None = None,
    *,
    history: str = "auto",
    engine: Engine = "durable-rules",
) -> Outcome:
    """Score one country-year: the tier outcome with its explanation.

    ``ruleset`` defaults to the shipped ruleset for the document's report year;
    ``history`` is ``auto`` (the document's tier history, else the shipped
    dataset), ``none`` or the path of a tier-history CSV.
    """
    from scoring.explain import explain

    return explain(*evaluated(document, ruleset, history=history, engine=engine), engine)


def evaluated(document: EffortsDocument | str | os.PathLike[str], ruleset: ast.Ruleset | str | None = None, *,
              history: str = "auto", engine: Engine = "durable-rules") -> tuple[Any, ...]:
    """``score`` up to the explanation: (document, ruleset, facts, history, evaluation)."""
    doc = document if isinstance(document, EffortsDocument) else load_efforts(document)
    rs = ruleset if isinstance(ruleset, ast.Ruleset) else (
        load_ruleset(ruleset) if ruleset else _ruleset_for_document(doc, document))
    past, facts = facts_for(doc, rs, history)
    return doc, rs, facts, past, evaluate(rs, facts, engine)


def _ruleset_for_document(doc: EffortsDocument, named: object) -> ast.Ruleset:
    """The ruleset in force for the document's year; an error names the document and its field."""
    try:
        return ruleset_for(doc.report_year)
    except InputError as err:
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
