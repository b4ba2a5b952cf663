"""The published input schema and the pydantic model accept and reject the same documents.

``scoring.schemas.input_schema()`` is generated from ``EffortsDocument``, and editors and other
tools validate against that schema, so "valid" must mean the same thing in both. Documents are
generated from the model's own fields (through the fact catalog, so new facts are covered
automatically), mostly valid. Random mutations are then applied: wrong types, negative numbers,
``1.0`` for counts, booleans for numbers, nulls, unknown keys, bad enum values, deleted
(possibly required) fields, and near misses of the valid value (``1.0`` or ``true`` for ``1``,
``"3"`` for ``3``, a trailing newline, a change of case). Mutations mostly hit scalar leaves.

Excluded from the strategy, with the reason for each:

* Rules that JSON Schema cannot express, which live in the model's validators only: a count's
  stated ``trend`` that contradicts its ``value``/``previous``, and ``tier_history`` years that are
  not before ``report_year`` or appear twice. The schema accepts these and the model rejects them,
  by design. ``test_model.py`` covers them.
* Non-finite floats (NaN, inf). The YAML/JSON reader rejects them before validation, so neither
  validator ever sees them. NaN passes jsonschema's ``minimum``/``maximum`` checks, because every
  comparison with NaN is false.
* Two disagreements this test found were fixed (``schema_version`` written as ``true`` or ``1.0``;
  pattern-constrained strings ending in a newline); regression tests stand at the end of the file.
"""

from __future__ import annotations

import copy
import math
from typing import Any, Iterator

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from scoring.efforts.facts import is_stated, catalog
from scoring.efforts.model import FIRST_REPORT_YEAR, ISO3_CODES, LAST_REPORT_YEAR, EffortsDocument
from scoring.schemas import input_schema, validator

VALIDATOR = validator(input_schema())
TRENDS = ("increased", "decreased", "unchanged")
TIERS = ("1", "2", "2WL", "3", "special")
MAX_COUNT = 10_000_000

#: (path, kind) of every fact a document can state, e.g. ("prosecution.law.covers_adults", "flag").
FACTS: list[tuple[str, str]] = [
    (spec.path, spec.kind)
    for spec in catalog().values()
    if spec.kind in ("flag", "count", "number", "text") and is_stated(spec)
]
SECTIONS = sorted({path.split(".")[0] for path, _ in FACTS if "." in path})


# --------------------------------------------------------------------------- valid documents

short_text = st.text(max_size=20)
evidence = st.fixed_dictionaries({"source": st.text(min_size=1, max_size=10), "quote": st.text(min_size=1, max_size=30)})
fact_extras = {"evidence": st.lists(evidence, max_size=2), "note": st.none() | short_text}
counts = st.integers(0, MAX_COUNT) | st.sampled_from([0, 1, MAX_COUNT])
numbers = st.floats(0, 1000, allow_nan=False, allow_infinity=False) | st.integers(0, 1000) | st.sampled_from([0, 0.0, 1000, 1000.0])
dates = st.from_regex(r"\d{4}-\d{2}-\d{2}", fullmatch=True)


def _mapping(value: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={"value": st.none() | value, **fact_extras})


def _compare(value: int, previous: int) -> str:
    return "increased" if value > previous else "decreased" if value < previous else "unchanged"


@st.composite
def count_mappings(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = draw(st.fixed_dictionaries({}, optional=fact_extras))
    value, previous = draw(st.none() | counts), draw(st.none() | counts)
    if value is not None or draw(st.booleans()):
        out["value"] = value
    if previous is not None or draw(st.booleans()):
        out["previous"] = previous
    if value is not None and previous is not None:
        trend = draw(st.sampled_from([None, _compare(value, previous)]))  # only trends that agree
    else:
        trend = draw(st.none() | st.sampled_from(TRENDS))
    if trend is not None or draw(st.booleans()):
        out["trend"] = trend
    return out


FACT_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "flag": st.none() | st.booleans() | _mapping(st.booleans()),
    "count": st.none() | counts | count_mappings(),
    "number": st.none() | numbers | _mapping(numbers),
    "text": st.none() | st.text(max_size=40) | _mapping(st.text(max_size=40)),
}

sources = st.fixed_dictionaries(
    {"id": st.from_regex(r"[A-Za-z0-9_.-]{1,20}", fullmatch=True), "title": st.text(min_size=1, max_size=30)},
    optional={
        "publisher": st.none() | short_text,
        "date": st.none() | st.from_regex(r"\d{4}(-\d{2}(-\d{2})?)?", fullmatch=True),
        "url": st.none() | short_text,
        "path": st.none() | short_text,
    },
)


@st.composite
def tier_histories(draw: st.DrawFn, report_year: int) -> list[dict[str, Any]] | None:
    if report_year == FIRST_REPORT_YEAR or draw(st.booleans()):
        return draw(st.none() | st.builds(list))
    years = draw(st.lists(st.integers(FIRST_REPORT_YEAR, report_year - 1), unique=True, max_size=5))
    return [
        {
            "report_year": year,
            "tier": draw(st.sampled_from(TIERS)),
            **draw(st.fixed_dictionaries({}, optional={"waiver": st.none() | st.booleans(), "evidence": st.lists(evidence, max_size=1)})),
        }
        for year in years
    ]


def _put(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


@st.composite
def valid_documents(draw: st.DrawFn) -> dict[str, Any]:
    report_year = draw(st.integers(FIRST_REPORT_YEAR, LAST_REPORT_YEAR) | st.sampled_from([FIRST_REPORT_YEAR, LAST_REPORT_YEAR]))
    doc: dict[str, Any] = {
        "country": draw(st.text(min_size=1, max_size=30)),
        "iso3": draw(st.sampled_from(ISO3_CODES)),
        "report_year": report_year,
    }
    doc.update(
        draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "schema_version": st.just(1),
                    "entity": st.sampled_from(["country", "non_country_entity"]),
                    "reporting_period": st.none() | st.fixed_dictionaries({"start": dates, "end": dates}),
                    "sources": st.lists(sources, max_size=3),
                    "tier_history": tier_histories(report_year),
                },
            )
        )
    )
    for section in draw(st.lists(st.sampled_from(SECTIONS), unique=True, max_size=3)):
        doc.setdefault(section, {})
    for path, kind in draw(st.lists(st.sampled_from(FACTS), unique_by=lambda f: f[0], max_size=12)):
        _put(doc, path, draw(FACT_VALUES[kind]))
    return doc


# --------------------------------------------------------------------------- mutations

odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.integers(-(10**12), 10**12),
    st.sampled_from([-1, 0, 1, 1000, 1001, 2000, 2001, 2100, 2101, MAX_COUNT, MAX_COUNT + 1]),
    st.sampled_from([1.0, 0.0, -0.0, 0.5, -1.5, 1000.0, 1000.5, 2016.0, 1e300]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
    st.sampled_from(["", "1", "2", "2WL", "4", "special", "increased", "up", "MLI", "mli", "XXX", "country",
                     "state", "2015-04-01", "2015", "15-04-2015", "true", "yes", "null"]),
    st.lists(st.integers(-2, 2), max_size=2),
    st.dictionaries(st.text(max_size=5), st.integers(-2, 2), max_size=2),
    st.builds(dict),  # fresh objects: a shared st.just({}) would be mutated by later mutations
    st.builds(list),
)
odd_keys = st.sampled_from(
    ["foo", "Value", "values", "convictons", "value", "previous", "trend", "note", "evidence", "law",
     "tier", "waiver", "country", "iso3", "report_year", "source", "quote", "id", "x-polarity", ""]
) | st.text(max_size=8)


def _near_misses(value: Any) -> list[Any]:
    """Values a hand-written document might plausibly have instead of ``value``."""
    if isinstance(value, bool):
        return [int(value), str(value).lower(), None]
    if isinstance(value, int):
        return [float(value), value == 1, -value - 1, str(value), value + 1]
    if isinstance(value, float):
        return [int(value), -value - 1.0, str(value)]
    if isinstance(value, str):
        return [value + "\n", " " + value, value.upper(), value.lower(), value[:-1], ""]
    if isinstance(value, dict):
        return [list(value.values()), None, {}]
    if isinstance(value, list):
        return [dict(enumerate(value)), None, value[:1] * 2]
    return [0, False, "", {}, []]


def _slots(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in the document: the root, each mapping value and each list item."""
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _slots(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _slots(value, path + (i,))


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc


@st.composite
def documents(draw: st.DrawFn) -> Any:
    doc: Any = copy.deepcopy(draw(valid_documents()))
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2, 3]))):
        slots = list(_slots(doc))
        leaves = [p for p in slots if p and not isinstance(_get(doc, p), (dict, list))]
        # Mostly scalar leaves: that is where type confusions and bad values live.
        path = draw(st.sampled_from(leaves if leaves and draw(st.integers(0, 2)) else slots))
        how = draw(st.sampled_from(["replace", "replace", "near_miss", "add_key", "delete_key"]))
        target = _get(doc, path)
        if how == "near_miss" and path:
            _get(doc, path[:-1])[path[-1]] = copy.deepcopy(draw(st.sampled_from(_near_misses(target))))
        elif how == "add_key" and isinstance(target, dict):
            target[draw(odd_keys)] = copy.deepcopy(draw(odd_values))
        elif how == "delete_key" and isinstance(target, dict) and target:
            del target[draw(st.sampled_from(sorted(target)))]
        elif path:
            _get(doc, path[:-1])[path[-1]] = copy.deepcopy(draw(odd_values))
        else:
            doc = copy.deepcopy(draw(odd_values))
    return doc


# --------------------------------------------------------------------------- exclusions


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        yield from _nodes(child)


def _excluded(doc: Any) -> str | None:
    """Why ``doc`` is outside what the schema can be expected to agree on, or None."""
    for node in _nodes(doc):
        if isinstance(node, float) and not math.isfinite(node):
            return "non-finite float"
        if not isinstance(node, dict):
            continue
        # Model-only rule: a count's trend contradicting its numbers.
        value, previous, trend = node.get("value"), node.get("previous"), node.get("trend")
        if _is_int(value) and _is_int(previous) and trend in TRENDS and trend != _compare(value, previous):
            return "trend contradicts numbers"
        if (trend == "increased" and value == 0 and _is_int(value)) or (
                trend == "decreased" and previous == 0 and _is_int(previous)):
            return "trend impossible from or to zero"
    if isinstance(doc, dict):
        # Model-only rule: history years before report_year, each at most once.
        history, year = doc.get("tier_history"), doc.get("report_year")
        if isinstance(history, list):
            years = [p.get("report_year") for p in history if isinstance(p, dict) and _is_int(p.get("report_year"))]
            if len(years) != len(set(years)) or (_is_int(year) and any(y >= year for y in years)):
                return "tier_history year not before report_year, or repeated"
    return None


# --------------------------------------------------------------------------- the property


def _model_accepts(doc: Any) -> bool:
    try:
        EffortsDocument.model_validate(doc)
    except ValidationError:
        return False
    return True


@settings(derandomize=True, max_examples=300, deadline=None)
@given(documents())
def test_schema_and_model_agree(doc: Any) -> None:
    assume(_excluded(doc) is None)
    model_ok = _model_accepts(doc)
    schema_errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(doc)]
    event("accepted" if model_ok else "rejected")
    assert model_ok == (not schema_errors), (
        f"model {'accepts' if model_ok else 'rejects'}, schema {'rejects: ' + str(schema_errors) if schema_errors else 'accepts'}"
    )


def test_strategy_produces_valid_and_invalid_documents() -> None:
    """Guard against a strategy that only ever produces one side of the question."""
    seen: set[bool] = set()

    @settings(derandomize=True, max_examples=100, deadline=None, database=None)
    @given(documents())
    def collect(doc: Any) -> None:
        if _excluded(doc) is None:
            seen.add(_model_accepts(doc))

    collect()
    assert seen == {True, False}


def test_hand_picked_documents_agree() -> None:
    """A few inputs named in the brief, checked without relying on the strategy's luck."""
    base = {"country": "Synthetic A", "iso3": "ATA", "report_year": 2016}
    cases = [
        base,
        {**base, "prosecution": {"convictions": 1.0}},
        {**base, "prosecution": {"convictions": True}},
        {**base, "prosecution": {"convictions": -1}},
        {**base, "prosecution": {"law": {"penalty_max_years": True}}},
        {**base, "prosecution": {"law": {"penalty_max_years": 7}}},
        {**base, "prosecution": {"law": {"penalty_max_years": 7.5}}},
        {**base, "prosecution": {"law": None}},
        {**base, "protection": {"victims_identified": {"value": None, "previous": None, "trend": None}}},
        {**base, "protection": {"victims_identified": {"trend": "up"}}},
        {**base, "tier_history": [{"report_year": 2015, "tier": 2}]},
        {**base, "iso3": "mli"},
        {**base, "entity": None},
        {**base, "foo": 1},
        {k: v for k, v in base.items() if k != "iso3"},
        [base],
    ]
    for doc in cases:
        assert _model_accepts(doc) == VALIDATOR.is_valid(doc), doc


# --------------------------------------------------------------------------- disagreements found and fixed (regressions)

BASE = {"country": "Synthetic A", "iso3": "ATA", "report_year": 2016}


@pytest.mark.parametrize("version", [True, 1.0])
def test_schema_version_must_be_the_integer_1(version: Any) -> None:
    doc = {**BASE, "schema_version": version}
    assert _model_accepts(doc) == VALIDATOR.is_valid(doc)


@pytest.mark.parametrize(
    "doc",
    [
        {**BASE, "sources": [{"id": "tip-2015\n", "title": "t"}]},
        {**BASE, "sources": [{"id": "tip", "title": "t", "date": "2015\n"}]},
        {**BASE, "reporting_period": {"start": "2014-04-01\n", "end": "2015-03-31"}},
    ],
    ids=["source-id", "source-date", "period-start"],
)
def test_pattern_strings_with_a_trailing_newline(doc: dict[str, Any]) -> None:
    assert _model_accepts(doc) == VALIDATOR.is_valid(doc)


def test_shipped_schema_file_is_the_generated_one() -> None:
    """Fixtures point editors at scoring/schemas_data/efforts.schema.json; it must not drift."""
    import json
    from pathlib import Path

    from scoring.schemas import input_schema

    shipped = Path(__file__).resolve().parents[2] / "scoring" / "schemas_data" / "efforts.schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == input_schema(), (
        "regenerate: .venv/bin/tipscore schema input > scoring/schemas_data/efforts.schema.json")
