"""Regression tests for checker bugs found while writing the diagnostics fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.ruleset.diagnostics import RulesetError
from scoring.ruleset.load import check_ruleset, load_ruleset
from tests.ruleset.test_safety import TIER_TABLE, ruleset_text


def check(tmp_path: Path, text: str) -> list[tuple[str, int, int, str, str]]:
    path = tmp_path / "probe.yaml"
    path.write_text(text, "utf-8")
    return [(d.code, d.line, d.col, d.message, d.hint) for d in check_ruleset(str(path)).diagnostics]


def test_a_malformed_condition_inside_all_is_reported_where_it_is(tmp_path: Path) -> None:
    when = '\n      all:\n        - {fact: prosecution.convictions, ">": 0}\n        - {fcat: prosecution.convictions, ">": 0}'
    found = check(tmp_path, ruleset_text(when=when))
    assert [(code, line, col, message) for code, line, col, message, _ in found] == [
        ("TS003", 14, 11, "unknown condition 'fcat', '>'")]


def test_every_malformed_nested_condition_is_reported(tmp_path: Path) -> None:
    when = '{any: [5, {not: {fact: Prosecution.convictions, ">": 0}}, {all: []}]}'
    found = check(tmp_path, ruleset_text(when=when))
    assert [(code, message) for code, _, _, message, _ in found] == [
        ("TS003", "a condition is a mapping, not 5"),
        ("TS003", "'Prosecution.convictions' is not a fact path"),
        ("TS003", "malformed 'all' condition: [] should be non-empty"),
    ]


@pytest.mark.parametrize("when", ["5", "[]", "null", "yes"])
def test_a_condition_that_is_not_a_mapping_gets_one_short_message(tmp_path: Path, when: str) -> None:
    found = check(tmp_path, ruleset_text(when=when))
    assert len(found) == 1 and found[0][0] == "TS003"
    assert found[0][3].startswith("a condition is a mapping, not ") and len(found[0][3]) < 100


def test_a_bad_value_inside_a_condition_is_named(tmp_path: Path) -> None:
    found = check(tmp_path, ruleset_text().replace("tables:", """determinations:
  - id: d
    title: d
    citation: {section: abc, enacted_by: abc}
    when: {score: overall, ">=": 150}
tables:"""))
    assert [(code, message) for code, _, _, message, _ in found] == [
        ("TS003", "malformed 'score' condition: 150 is greater than the maximum of 100")]


def test_a_blank_row_citation_is_ts110(tmp_path: Path) -> None:
    table = TIER_TABLE.replace('then: {tier: "3"}}', 'then: {tier: "3"}, citation: {section: "   ", enacted_by: TVPA 2000}}')
    found = check(tmp_path, ruleset_text(tables=table))
    assert [(code, line) for code, line, *_ in found] == [("TS110", 20)]


def test_a_blank_section_is_ts110_and_a_short_one_ts002(tmp_path: Path) -> None:
    assert [f[0] for f in check(tmp_path, ruleset_text().replace("section: 22 U.S.C. 7106(b)(1)", 'section: "   "'))] == ["TS110"]
    assert [f[0] for f in check(tmp_path, ruleset_text().replace("section: 22 U.S.C. 7106(b)(1)", 'section: "  "'))] == ["TS002"]


def test_an_unquoted_tier_gets_a_hint(tmp_path: Path) -> None:
    found = check(tmp_path, ruleset_text(when='{fact: history.previous_tier, "==": 2}'))
    assert [(code, hint) for code, _, _, _, hint in found] == [("TS102", "quote it: '2'")]


@pytest.mark.parametrize("header", ["ruleset: [a]", "ruleset: {a: 1}", "ruleset: a\nextends: [b]", "ruleset: a\nextends: {b: 1}",
                                    "ruleset: a\nextends: ../../etc/passwd"])
def test_odd_ids_never_crash_check_or_load(tmp_path: Path, header: str) -> None:
    """load_ruleset first follows extends unvalidated (the check cache): it used to raise TypeError."""
    path = tmp_path / "odd.yaml"
    path.write_text(header + "\ntitle: t\nversion: '1'\nreport_years: {first: 2001}\n", "utf-8")
    assert [d.code for d in check_ruleset(str(path)).diagnostics] == ["TS002"]
    with pytest.raises(RulesetError):
        load_ruleset(str(path))
