"""open_facts: the unstated facts that could still decide a condition (what "not assessable" asks to fill)."""

from __future__ import annotations

from pathlib import Path

import scoring
from scoring.ruleset import ast
from scoring.semantics import open_facts

ROOT = Path(__file__).resolve().parents[1]


class _Facts:
    def __init__(self, **facts: object) -> None:
        self.facts = {k.replace("__", "."): v for k, v in facts.items()}

    def fact(self, path: str) -> object | None:
        return self.facts.get(path)

    def status(self, ref: str) -> str:
        return "unknown"

    def tally(self, pillar: str) -> object:
        raise AssertionError("not read")

    def output(self, table: str, column: str) -> str | None:
        return None


def _cmp(fact: str, op: str, value: object) -> ast.Compare:
    return ast.Compare(fact=fact, op=op, value=value)  # type: ignore[arg-type]


def test_a_fact_under_an_all_a_sibling_already_fails_is_not_open() -> None:
    old_exception = ast.All((_cmp("report_year", "<=", 2005), _cmp("good_faith", "==", True)))
    assert open_facts(old_exception, _Facts(report_year=2015)) == []
    assert open_facts(old_exception, _Facts(report_year=2005)) == ["good_faith"]


def test_a_sibling_decided_only_by_an_unstated_fact_decides_nothing() -> None:
    presumption = ast.Any_((ast.Known("provided", negate=True), _cmp("provided", "==", True), _cmp("requested", "==", False)))
    assert open_facts(presumption, _Facts()) == ["provided", "requested"]
    assert open_facts(presumption, _Facts(provided=True)) == []


def test_not_assessable_names_only_fields_that_could_decide() -> None:
    # the 2004-2008 rules read the good-faith field, which can only decide for the 2004 and 2005 reports
    honduras_2007 = scoring.score(ROOT / "fixtures" / "narratives" / "hnd-2007.yaml")
    incarcerates = next(c for c in honduras_2007.criteria if c.id == "incarcerates")
    assert incarcerates.status == "unknown"
    assert "prosecution.law_enforcement_data_good_faith" in incarcerates.compared  # read, but only for 2004-2005
    assert "prosecution.law_enforcement_data_good_faith" not in incarcerates.open_facts
    assert "prosecution.offenders_incarcerated" in incarcerates.open_facts
    outcome = scoring.score(ROOT / "fixtures" / "mali" / "2015.yaml")
    incarcerates = next(c for c in outcome.criteria if c.id == "incarcerates")
    assert incarcerates.status == "unknown" and "prosecution.offenders_incarcerated" in incarcerates.open_facts
    # the 2013 era's data presumption no longer has the lapsed 2004/2005 discretion at all
    assert "prosecution.law_enforcement_data_good_faith" not in incarcerates.compared
    # a decided criterion can still be changed by stating a fact it tests only for being stated
    investigates = next(c for c in outcome.criteria if c.id == "investigates")
    assert investigates.status == "met" and "prosecution.investigations" not in investigates.open_facts
