"""The efforts model: what it accepts and how it flattens, and how the real CLI reports bad input.

Invalid documents go through the real entry point (``python -m scoring check``) so that the whole
path is covered: file reading, parsing, validation, error translation and exit codes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from scoring.efforts.facts import is_stated, catalog, flatten
from scoring.efforts.model import EffortsDocument
from scoring.efforts.validate import validate_efforts
from scoring.errors import InputErrors
from scoring.load.source import Source

ROOT = Path(__file__).resolve().parents[2]
BASE: dict[str, Any] = {"country": "Synthetic A", "iso3": "ATA", "report_year": 2016}

#: A known value of each kind of fact, written bare.
BARE = {"flag": True, "count": 3, "number": 5.5, "text": "Synthetic Act (fictional)"}


def _fact_paths() -> dict[str, str]:
    """Every fact path a document can state (``path -> kind``), from the catalog."""
    return {
        spec.path: spec.kind
        for spec in catalog().values()
        if spec.kind in BARE and is_stated(spec)
    }


def _put(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _document(form: str) -> dict[str, Any]:
    """A document stating every fact, bare (``13``) or in the mapping form (``{value: 13}``)."""
    data: dict[str, Any] = dict(BASE)
    for path, kind in _fact_paths().items():
        value = BARE[kind]
        if form == "mapping":
            value = {"value": value}
        elif form == "mapping+evidence":
            value = {"value": value, "note": "why", "evidence": [{"source": "s1", "quote": "it says so"}]}
        _put(data, path, value)
    return data


# --------------------------------------------------------------------------- valid documents


def test_minimal_document() -> None:
    document = EffortsDocument.model_validate(BASE)
    assert document.schema_version == 1
    assert document.entity == "country"
    assert document.tier_history is None
    whole_chapter = {f"coded.{part}": True for part in ("introduction", "profile", "recommendations", "prosecution", "protection", "prevention")}
    none_listed = {f"other_actions.{p}": 0 for p in ("prosecution", "protection", "prevention", "partnership")}
    assert flatten(document) == {"report_year": 2016, "entity": "country", **whole_chapter, **none_listed}


def test_full_document_flattens_every_fact() -> None:
    data = _document("mapping")
    for path, kind in _fact_paths().items():
        if kind == "count":
            _put(data, path, {"value": 3, "previous": 2, "evidence": [{"source": "s1", "quote": "q"}]})
    data.update(
        schema_version=1,
        entity="non_country_entity",
        reporting_period={"start": "2015-04-01", "end": "2016-03-31"},
        sources=[{"id": "s1", "title": "A report", "publisher": "P", "date": "2016-06-30", "url": "https://example.org", "path": "x.txt"}],
        tier_history=[{"report_year": 2014, "tier": "2WL"}, {"report_year": 2015, "tier": "2WL", "waiver": True, "evidence": []}],
    )
    document = EffortsDocument.model_validate(data)
    facts = flatten(document)
    # every fact but history, and but the summary and the waiver memorandum, which are not parts
    # of the chapter (nothing declared = the whole chapter)
    expected = {p for p in catalog() if not p.startswith("history.")} - {"coded.waiver_memorandum", "coded.summary"}
    assert set(facts) == expected
    counts = [p for p, kind in _fact_paths().items() if kind == "count"]
    assert counts
    for path in counts:
        assert facts[path] == 3
        assert facts[f"{path}.previous"] == 2
        assert facts[f"{path}.change"] == "increased"
    assert facts["entity"] == "non_country_entity"


@pytest.mark.parametrize("form", ["mapping", "mapping+evidence"])
def test_bare_and_mapping_forms_flatten_alike(form: str) -> None:
    bare = flatten(EffortsDocument.model_validate(_document("bare")))
    mapped = flatten(EffortsDocument.model_validate(_document(form)))
    assert bare == mapped
    counts = sum(kind == "count" for kind in _fact_paths().values())
    # report_year, entity, each count's at_least, the coded parts, the four other-actions tallies
    assert len(bare) == len(_fact_paths()) + 2 + counts + 6 + 4


def test_unknown_is_absent_not_false_or_zero() -> None:
    data = {**BASE, "prosecution": {"convictions": None, "investigations": {"note": "not given"}, "prosecutions": 0},
            "protection": {"government_services": {"value": None}, "ngo_funding": False}}
    facts = flatten(EffortsDocument.model_validate(data))
    assert "prosecution.convictions" not in facts
    assert "prosecution.investigations" not in facts
    assert "protection.government_services" not in facts
    assert facts["prosecution.prosecutions"] == 0
    assert facts["protection.ngo_funding"] is False


def _count(raw: Any) -> dict[str, Any]:
    document = EffortsDocument.model_validate({**BASE, "prosecution": {"investigations": raw}})
    return {k: v for k, v in flatten(document).items()
            if k.startswith("prosecution.investigations") and not k.endswith(".at_least")}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (13, {"prosecution.investigations": 13}),
        ({"value": 1, "previous": 13}, {"prosecution.investigations": 1, "prosecution.investigations.previous": 13,
                                        "prosecution.investigations.change": "decreased"}),
        ({"value": 13, "previous": 1}, {"prosecution.investigations": 13, "prosecution.investigations.previous": 1,
                                        "prosecution.investigations.change": "increased"}),
        ({"value": 4, "previous": 4}, {"prosecution.investigations": 4, "prosecution.investigations.previous": 4,
                                       "prosecution.investigations.change": "unchanged"}),
        ({"trend": "increased"}, {"prosecution.investigations.change": "increased"}),
        ({"value": 5, "trend": "decreased"}, {"prosecution.investigations": 5, "prosecution.investigations.change": "decreased"}),
        ({"previous": 5, "trend": "unchanged"}, {"prosecution.investigations.previous": 5,
                                                 "prosecution.investigations.change": "unchanged"}),
        ({"value": 1, "previous": 13, "trend": "decreased"}, {"prosecution.investigations": 1,
                                                              "prosecution.investigations.previous": 13,
                                                              "prosecution.investigations.change": "decreased"}),
        ({"value": 0, "previous": 0}, {"prosecution.investigations": 0, "prosecution.investigations.previous": 0,
                                       "prosecution.investigations.change": "unchanged"}),
    ],
    ids=["bare", "decrease", "increase", "same", "trend-only", "value-and-trend", "previous-and-trend",
         "trend-agrees", "zeros"],
)
def test_count_change(raw: Any, expected: dict[str, Any]) -> None:
    assert _count(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        {"value": 1, "previous": 13, "trend": "increased"},
        {"value": 1, "previous": 13, "trend": "unchanged"},
        {"value": 7, "previous": 7, "trend": "decreased"},
    ],
)
def test_contradictory_trend_rejected(raw: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="contradicts"):
        EffortsDocument.model_validate({**BASE, "prosecution": {"investigations": raw}})
    with pytest.raises(InputErrors) as caught:
        validate_efforts(Source("doc.yaml", {**BASE, "prosecution": {"investigations": raw}}))
    assert str(caught.value).count("\n") == 0
    assert "prosecution.investigations" in str(caught.value)


def test_history_must_precede_report_year_and_not_repeat() -> None:
    ok = {**BASE, "tier_history": [{"report_year": 2014, "tier": "2WL"}, {"report_year": 2015, "tier": "2WL", "waiver": True}]}
    assert EffortsDocument.model_validate(ok).tier_history
    for history in ([{"report_year": 2016, "tier": "2"}], [{"report_year": 2017, "tier": "2"}],
                    [{"report_year": 2010, "tier": "2"}, {"report_year": 2010, "tier": "3"}]):
        with pytest.raises(ValidationError):
            EffortsDocument.model_validate({**BASE, "tier_history": history})


# --------------------------------------------------------------------------- invalid documents via the CLI

HEADER = "country: Synthetic A\niso3: ATA\nreport_year: 2016\n"


@dataclass(frozen=True)
class Bad:
    id: str
    name: str  # file name in tmp_path ("" for none)
    content: str | None  # None: do not create (missing file) or create a directory (name ends in "/")
    fields: tuple[str | None, ...]  # one per expected stderr line: the field path the line must name
    position: bool  # the lines must carry line:col
    also: str = ""  # a further substring every line must contain


BAD = [
    Bad("wrong-type", "a.yaml", HEADER + "prosecution:\n  convictions: three\n", ("prosecution.convictions",), True,
        "expected a whole number"),
    Bad("wrong-type-in-mapping", "a.yaml", HEADER + "prosecution:\n  investigations: {value: '3'}\n",
        ("prosecution.investigations.value",), True),
    Bad("wrong-type-flag", "a.yaml", HEADER + "waiver:\n  written_plan: 'yes'\n", ("waiver.written_plan",), True,
        "true or false"),
    Bad("bool-for-count", "a.yaml", HEADER + "prosecution:\n  convictions: true\n", ("prosecution.convictions",), True),
    Bad("float-for-count", "a.yaml", HEADER + "prosecution:\n  convictions: 1.0\n", ("prosecution.convictions",), True),
    Bad("negative-count", "a.yaml", HEADER + "prosecution:\n  convictions: -1\n", ("prosecution.convictions",), True,
        ">= 0"),
    Bad("negative-previous", "a.yaml", HEADER + "protection:\n  victims_identified: {value: 3, previous: -2}\n",
        ("protection.victims_identified.previous",), True),
    Bad("negative-count-json", "a.json",
        '{"country": "Synthetic A", "iso3": "ATA", "report_year": 2016, "prosecution": {"convictions": -1}}',
        ("prosecution.convictions",), False),
    Bad("unknown-key", "a.yaml", HEADER + "prosecution:\n  convictons: 1\n", ("prosecution.convictons",), True,
        "did you mean 'convictions'"),
    Bad("unknown-top-level-key", "a.yaml", HEADER + "tier_rating: 2WL\n", ("tier_rating",), True, "unknown field"),
    Bad("conclusion-tier", "a.yaml", HEADER + "tier: 2WL\n", ("tier",), True, "is a conclusion of the report, not a fact"),
    Bad("conclusion-significant-efforts", "a.yaml", HEADER + "context:\n  significant_efforts: true\n",
        ("context.significant_efforts",), True, "is a conclusion of the report, not a fact"),
    Bad("conclusion-increasing-efforts", "a.yaml", HEADER + "prosecution:\n  increasing_efforts: false\n",
        ("prosecution.increasing_efforts",), True, "is a conclusion of the report, not a fact"),
    Bad("no-opposite-suggestion", "a.yaml", HEADER + "protection:\n  victims_not_penalized: true\n",
        ("protection.victims_not_penalized",), True, "unknown field 'victims_not_penalized'"),
    Bad("bad-iso", "a.yaml", "country: Synthetic A\niso3: XXX\nreport_year: 2016\n", ("iso3",), True, "ISO 3166"),
    Bad("lowercase-iso", "a.yaml", "country: Synthetic A\niso3: ata\nreport_year: 2016\n", ("iso3",), True),
    Bad("bad-enum", "a.yaml", HEADER + "tier_history:\n  - {report_year: 2015, tier: '4'}\n",
        ("tier_history[0].tier",), True),
    Bad("missing-required", "a.yaml", "country: Synthetic A\niso3: ATA\n", ("report_year",), True, "missing"),
    Bad("malformed-yaml", "a.yaml", "country: [Synthetic A\niso3: ATA\n", (None,), True, "invalid YAML"),
    Bad("malformed-json", "a.json", '{"country": "Synthetic A",}', (None,), True, "invalid JSON"),
    Bad("not-a-mapping", "a.yaml", "- 1\n- 2\n", (None,), True, "expected a mapping"),
    Bad("empty-file", "a.yaml", "", (None,), False, "empty"),
    Bad("blank-file", "a.yaml", "  \n\n", (None,), False, "empty"),
    Bad("missing-file", "nope.yaml", None, (None,), False, "no such file"),
    Bad("directory", "adir/", None, (None,), False, "directory"),
    Bad("history-year-not-before", "a.yaml", HEADER + "tier_history:\n  - {report_year: 2016, tier: '2'}\n",
        ("tier_history[0]",), True, "not before 2016"),
    Bad("history-year-after", "a.yaml", HEADER + "tier_history:\n  - {report_year: 2015, tier: '2'}\n"
        "  - {report_year: 2020, tier: '2'}\n", ("tier_history[1]",), True),
    Bad("history-year-twice", "a.yaml", HEADER + "tier_history:\n  - {report_year: 2014, tier: '2'}\n"
        "  - {report_year: 2014, tier: '3'}\n", ("tier_history[1]",), True, "twice"),
    Bad("year-too-early", "a.yaml", "country: Synthetic A\niso3: ATA\nreport_year: 2000\n", ("report_year",), True,
        ">= 2001"),
    Bad("year-too-late", "a.yaml", "country: Synthetic A\niso3: ATA\nreport_year: 2101\n", ("report_year",), True),
    Bad("history-year-out-of-range", "a.yaml", HEADER + "tier_history:\n  - {report_year: 1999, tier: '2'}\n",
        ("tier_history[0].report_year",), True),
    Bad("contradictory-trend", "a.yaml",
        HEADER + "prosecution:\n  investigations: {value: 1, previous: 13, trend: increased}\n",
        ("prosecution.investigations",), True, "contradicts"),
    Bad("three-problems", "a.yaml",
        HEADER + "prosecution:\n  convictions: true\n  investigations: {value: -3}\n  foo: 1\n",
        ("prosecution.convictions", "prosecution.investigations.value", "prosecution.foo"), True),
]


def _run_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scoring", "check", str(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )


@pytest.mark.parametrize("case", BAD, ids=[c.id for c in BAD])
def test_invalid_document_via_cli(case: Bad, tmp_path: Path) -> None:
    path = tmp_path / case.name.rstrip("/")
    if case.content is not None:
        path.write_text(case.content, encoding="utf-8")
    elif case.name.endswith("/"):
        path.mkdir()

    result = _run_check(path)

    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == len(case.fields), result.stderr
    for line, field in zip(lines, case.fields):
        assert line.startswith(f"{path}:"), line
        if case.position:
            assert re.match(rf"{re.escape(str(path))}:\d+:\d+: ", line), line
        if field is not None:
            assert f": {field}: " in line, line
        assert case.also in line, line


def test_valid_document_via_cli() -> None:
    result = _run_check(ROOT / "fixtures" / "mali" / "2015.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "ok (Mali, 2015 report)" in result.stdout


def test_yaml_position_is_the_offending_line(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(HEADER + "prosecution:\n  law:\n    penalty_max_years: -4\n", encoding="utf-8")
    result = _run_check(path)
    assert result.stderr.startswith(f"{path}:6:5: prosecution.law.penalty_max_years: ")


def test_history_error_points_at_the_placement(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(HEADER + "tier_history:\n  - {report_year: 2015, tier: '2'}\n  - {report_year: 2016, tier: '2'}\n",
                    encoding="utf-8")
    result = _run_check(path)
    assert result.stderr.startswith(f"{path}:6:"), result.stderr


@pytest.mark.parametrize(("count", "ok"), [
    ({"value": 0, "trend": "increased"}, False),
    ({"previous": 0, "trend": "decreased"}, False),
    ({"value": 0, "trend": "decreased"}, True),
    ({"value": 3, "trend": "increased"}, True),
])
def test_a_trend_impossible_from_or_to_zero_is_rejected(count: dict, ok: bool) -> None:
    from pydantic import ValidationError

    data = {"country": "Synthetic A", "iso3": "ATA", "report_year": 2016, "prosecution": {"convictions": count}}
    if ok:
        EffortsDocument.model_validate(data)
    else:
        with pytest.raises(ValidationError):
            EffortsDocument.model_validate(data)


# --------------------------------------------------------------------------- what reports state without numbers


@pytest.mark.parametrize(
    ("raw", "at_least"),
    [("some", 1), ({"at_least": 4}, 4), ({"at_least": 4, "value": 9}, 9), (0, 0), (13, 13), ({"trend": "increased"}, None)],
    ids=["some", "at-least", "value-wins", "zero", "value", "trend-only"],
)
def test_count_lower_bound(raw: Any, at_least: int | None) -> None:
    facts = flatten(EffortsDocument.model_validate({**BASE, "prosecution": {"investigations": raw}}))
    assert facts.get("prosecution.investigations.at_least") == at_least
    if raw == "some" or (isinstance(raw, dict) and "value" not in raw):
        assert "prosecution.investigations" not in facts, "a bound is not a value: the count stays unknown"


def test_value_below_its_bound_is_rejected() -> None:
    with pytest.raises(ValidationError, match="below at_least"):
        EffortsDocument.model_validate({**BASE, "prosecution": {"investigations": {"value": 1, "at_least": 2}}})


def test_other_actions_count_toward_their_pillar_only_when_more() -> None:
    actions = [{"pillar": "prevention", "polarity": "more", "description": "labour inspections"},
               {"pillar": "prevention", "polarity": "more", "description": "a hotline"},
               {"pillar": "protection", "polarity": "less", "description": "victims deported"}]
    facts = flatten(EffortsDocument.model_validate({**BASE, "other_actions": actions}))
    assert facts["other_actions.prevention"] == 2
    assert facts["other_actions.protection"] == 0, "an action against the country never counts as an effort"
    assert facts["other_actions.prosecution"] == 0, "whole chapter coded: none listed is none"
    partial = flatten(EffortsDocument.model_validate({**BASE, "other_actions": actions, "coded": ["introduction"]}))
    assert partial["other_actions.prevention"] == 2
    assert "other_actions.prosecution" not in partial, "section not coded: none listed is unknown, not zero"


@pytest.mark.parametrize(
    ("coded", "expected"),
    [(None, {"introduction", "profile", "recommendations", "prosecution", "protection", "prevention"}),
     (["whole_chapter"], {"introduction", "profile", "recommendations", "prosecution", "protection", "prevention"}),
     (["introduction"], {"introduction"}),
     (["introduction", "waiver_memorandum"], {"introduction", "waiver_memorandum"})],
    ids=["nothing-declared", "whole-chapter", "introduction", "with-memorandum"],
)
def test_coded_parts_are_true_or_unknown(coded: list[str] | None, expected: set[str]) -> None:
    data = {**BASE, **({"coded": coded} if coded is not None else {})}
    facts = flatten(EffortsDocument.model_validate(data))
    assert {k.removeprefix("coded.") for k in facts if k.startswith("coded.")} == expected
    assert all(v is True for k, v in facts.items() if k.startswith("coded."))


def test_new_facts_carry_polarity_and_citation() -> None:
    specs = catalog()
    expected = {
        "prosecution.law.enacted_or_amended": ("more", "22 U.S.C. 7106(a)(1)"),
        "prosecution.specialized_units": ("more", "22 U.S.C. 7106(b)(1)"),
        "prosecution.capacity_building": ("more", "22 U.S.C. 7106(b)(1)"),
        "prosecution.administrative_penalties_instead": ("less", "22 U.S.C. 7106(b)(1)"),
        "protection.in_kind_support": ("more", "22 U.S.C. 7106(b)(2)"),
        "protection.shelter_movement_restricted": ("less", "22 U.S.C. 7106(b)(2)"),
        "context.proportional_concrete_actions": ("more", "22 U.S.C. 7107(b)(2)(A)(iii)(I)"),
        "other_actions.prevention": ("more", "22 U.S.C. 7107(b)(3)(A)"),
    }
    for path, (polarity, cite) in expected.items():
        assert (specs[path].polarity, specs[path].citation) == (polarity, cite), path


@pytest.mark.parametrize(
    ("section", "typed", "suggested"),
    [("prosecution", "convictons", "convictions"),
     ("context", "significant_efforts_based_on_commitmnts", "significant_efforts_based_on_commitments"),
     ("protection", "victims_not_penalized", None),
     ("context", "policy_or_pattern", None),
     ("context", "proportional_actions", None)],
    ids=["typo", "long-typo", "opposite-meaning", "shorter-name", "dropped-word"],
)
def test_did_you_mean_only_fixes_typos(section: str, typed: str, suggested: str | None) -> None:
    """A suggestion never changes the meaning: no added or dropped words, no negation swapped."""
    from scoring.efforts.validate import validate_efforts
    from scoring.errors import InputErrors
    from scoring.load.source import Source

    data = {**BASE, section: {typed: True}}
    with pytest.raises(InputErrors) as raised:
        validate_efforts(Source(path="a.yaml", data=data))
    message = str(raised.value)
    assert f"unknown field {typed!r}" in message
    if suggested is None:
        assert "did you mean" not in message
    else:
        assert f"did you mean {suggested!r}?" in message


def test_docs_table_gives_each_cited_fact_its_polarity_and_clause() -> None:
    """docs/efforts.md lists the facts with a clause exactly as the model declares them."""
    import re

    text = (ROOT / "docs" / "efforts.md").read_text(encoding="utf-8")
    rows = dict((m.group(1), (m.group(2), m.group(3)))
                for m in re.finditer(r"^\| `([a-z_.<>]+)` \| (more|less|neutral) \| (22 U\.S\.C\. [^|]+?) \|", text, re.M))
    specs = catalog()
    cited = {s.path for s in specs.values() if s.citation and not s.path.endswith(".at_least")
             and not s.path.startswith("other_actions.")} | {"other_actions.<pillar>"}
    new = {"prosecution.law.enacted_or_amended", "prosecution.specialized_units", "prosecution.capacity_building",
           "prosecution.administrative_penalties_instead", "protection.in_kind_support",
           "protection.shelter_movement_restricted", "context.proportional_concrete_actions"}
    assert set(rows) == cited and new <= cited
    for path, (polarity, clause) in rows.items():
        spec = specs[path.replace("<pillar>", "prevention")]
        assert (spec.polarity, spec.citation) == (polarity, clause), path
