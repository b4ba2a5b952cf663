"""Named conditions (``conditions:``, ``{condition: ID}``): written once, put in place where rules read them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scoring.engine.evaluate import evaluate as durable
from scoring.engine.reference import evaluate as reference
from scoring.ruleset import ast
from scoring.ruleset.load import check_ruleset, load_ruleset
from tests.ruleset.authoring import write_era

NAME = "data_presumption_not_in_effect"
#: counts shown, data requested and not provided, the prosecution section read: the presumption applies
WITHHELD = {"report_year": 2027, "coded.prosecution": True, "prosecution.investigations.at_least": 3,
            "prosecution.law_enforcement_data_requested": True, "prosecution.law_enforcement_data_provided": False,
            "prosecution.law_enforcement_data_capacity": True}

CHILD = """\
ruleset: presumption-waived
title: A child that redefines the data presumption
version: "0.1"
extends: tvpa-2019
replaces: tvpa-2019
report_years: {first: 2027}
conditions:
  - id: data_presumption_not_in_effect
    override: true
    title: Hypothetical repeal of the data presumption
    citation: {section: 22 U.S.C. 7106(b)(1), enacted_by: Hypothetical TVPRA 2026}
    when: {known: report_year}
"""

SMALL = """\
ruleset: small
title: Small
version: "1"
report_years: {first: 2011}
conditions:
  - id: plan_shown
    title: A written plan is shown
    citation: {section: 22 U.S.C. 7107(b)(2)(D)(ii), enacted_by: TVPRA 2008 §107}
    when: {fact: waiver.written_plan, "==": true}
criteria:
  - id: planned
    title: Plans
    citation: {section: 22 U.S.C. 7107(b)(2)(D)(ii), enacted_by: TVPRA 2008 §107}
    pillar: context
    weight: 0
    informational: true
    when: WHEN
determinations:
  - id: waiver
    title: Waiver of the automatic downgrade
    citation: {section: 22 U.S.C. 7107(b)(2)(D)(ii), enacted_by: TVPRA 2008 §107}
    when: {all: [{condition: plan_shown}, {fact: waiver.sufficient_resources, "==": true}]}
tables:
  - id: tier
    title: Tier placement
    citation: {section: 22 U.S.C. 7107(b), enacted_by: TVPA 2000 §110}
    hit_policy: first
    outputs: {tier: ["2WL", "3"]}
    rows:
      - {when: {met: waiver}, then: {tier: "2WL"}}
      - {when: {always: true}, then: {tier: "3"}}
"""


def _statuses(ruleset: ast.Ruleset, facts: dict[str, Any]) -> list[dict[str, str]]:
    """The statuses both engines give (they must agree)."""
    return [dict(engine(ruleset, facts).statuses) for engine in (durable, reference)]


def _small(tmp_path: Path, when: str) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL.replace("WHEN", when), "utf-8")
    return path


def test_a_named_condition_is_the_condition_itself_where_a_rule_reads_it(tmp_path: Path) -> None:
    named = load_ruleset(str(_small(tmp_path, "{condition: plan_shown}")))
    (tmp_path / "spelled").mkdir()
    spelled = load_ruleset(str(_small(tmp_path / "spelled", '{fact: waiver.written_plan, "==": true}')))
    assert named.criteria[0].when == spelled.criteria[0].when
    assert named.decision("waiver").when == spelled.decision("waiver").when
    assert named.criteria[0].when.where.line == 9  # its place is the when: of the conditions: entry
    for facts in ({}, {"waiver.written_plan": True}, {"waiver.written_plan": False, "waiver.sufficient_resources": True}):
        assert _statuses(named, facts) == _statuses(spelled, facts)


def test_the_shipped_presumption_is_written_once_per_era() -> None:
    rulesets = Path(__file__).resolve().parents[2] / "rulesets"
    texts = {p.name: p.read_text("utf-8") for p in rulesets.glob("*.yaml")}
    assert sum(t.count("law_enforcement_data_provided}, {fact: coded.prosecution") for t in texts.values()) == 3
    assert {name for name, t in texts.items() if f"- id: {NAME}" in t} == {"tvpa-2004.yaml", "tvpa-2013.yaml",
                                                                         "tvpa-2019.yaml"}


def test_a_child_overriding_a_named_condition_changes_every_inherited_rule_that_reads_it(tmp_path: Path) -> None:
    child = load_ruleset(str(write_era(tmp_path / "my", CHILD, "presumption-waived.yaml")))
    parent = load_ruleset("tvpa-2019")
    for statuses in _statuses(parent, WITHHELD):
        assert statuses["investigates"] == "unmet"  # presumed not to have vigorously investigated
    for statuses in _statuses(child, WITHHELD):
        assert statuses["investigates"] == "met"  # the inherited criterion reads the child's definition


def test_removing_a_named_condition_that_rules_still_read_is_ts127(tmp_path: Path) -> None:
    text = CHILD.split("conditions:")[0] + f"remove: [{NAME}]\n"
    checked = check_ruleset(str(write_era(tmp_path / "my", text, "presumption-waived.yaml")))
    assert checked.ruleset is None
    assert {d.code for d in checked.diagnostics} == {"TS127"}
    assert all(d.file.endswith("tvpa-2019.yaml") for d in checked.diagnostics)  # at each inherited reader


def test_a_named_condition_nothing_reads_is_still_checked(tmp_path: Path) -> None:
    text = SMALL.replace("WHEN", "{condition: plan_shown}").replace(
        "conditions:\n", "conditions:\n  - id: stray\n    title: Stray\n    citation: {section: 22 U.S.C. 7106(b), "
        "enacted_by: TVPA 2000 §108}\n    when: {fact: waiver.writen_plan, \"==\": true}\n", 1)
    path = tmp_path / "stray.yaml"
    path.write_text(text, "utf-8")
    assert sorted(d.code for d in check_ruleset(str(path)).diagnostics) == ["TS101"]  # an error: TS129 waits for it
    path.write_text(text.replace("writen_plan", "written_plan"), "utf-8")
    assert [(d.code, d.line) for d in check_ruleset(str(path)).diagnostics] == [("TS129", 6)]


def test_a_criterion_reading_a_named_condition_is_still_limited_to_facts(tmp_path: Path) -> None:
    text = SMALL.replace("WHEN", "{condition: plan_shown}").replace(
        'when: {fact: waiver.written_plan, "==": true}', "when: {met: waiver}", 1)
    path = tmp_path / "met.yaml"
    path.write_text(text, "utf-8")
    codes = [d.code for d in check_ruleset(str(path)).diagnostics]
    assert "TS105" in codes  # criteria may only test facts, even through a name


@pytest.mark.parametrize("kind", ["criteria", "determinations"])
def test_a_named_condition_and_a_rule_share_no_id(kind: str, tmp_path: Path) -> None:
    rule_id = "planned" if kind == "criteria" else "waiver"
    text = SMALL.replace("WHEN", '{fact: waiver.written_plan, "==": true}').replace("- id: plan_shown", f"- id: {rule_id}")
    path = tmp_path / "clash.yaml"
    path.write_text(text, "utf-8")
    messages = [d.message for d in check_ruleset(str(path)).diagnostics if d.code == "TS104"]
    assert messages == [f"duplicate id {rule_id!r}"]


def test_a_named_condition_with_a_blank_citation_is_ts110(tmp_path: Path) -> None:
    """A named condition encodes law like a rule does, so it must cite its section and act."""
    text = SMALL.replace("WHEN", "{condition: plan_shown}").replace(
        "citation: {section: 22 U.S.C. 7107(b)(2)(D)(ii), enacted_by: TVPRA 2008 §107}\n    when: {fact: waiver.written_plan",
        'citation: {section: "   ", enacted_by: TVPRA 2008 §107}\n    when: {fact: waiver.written_plan', 1)
    path = tmp_path / "blank.yaml"
    path.write_text(text, "utf-8")
    diagnostics = check_ruleset(str(path)).diagnostics
    assert [(d.code, d.line, d.message) for d in diagnostics] == [
        ("TS110", 6, "plan_shown: citation needs a section and the enacting act")]
