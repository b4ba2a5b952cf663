"""Running cases: every expectation is compared with the real outcome, and the tiers still possible
agree with an independent derivation (tests/rulesets/test_monotone)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from scoring.api import facts_for, load_ruleset, score
from scoring.casetest import run_tests
from scoring.casetest.expect import possible_tiers
from scoring.casetest.load import load_cases
from scoring.casetest.run import run_case
from scoring.efforts.validate import load_efforts
from tests.casetest.support import ROOT, STRONG, write
from tests.rulesets.test_monotone import _outcome

FIXTURES = sorted((ROOT / "fixtures").glob("*/*.yaml"))
MALI_2015 = ROOT / "fixtures" / "mali" / "2015.yaml"


def test_each_expectation_that_does_not_hold_is_reported_with_expected_and_actual(tmp_path: Path) -> None:
    text = (f"cases:\n  - name: wrong\n    document: {MALI_2015}\n    expect:\n      tier: 3\n      determined: true\n"
            "      automatic_downgrade: applied\n      waiver_number: 1\n      consecutive_watch_list_years: 2\n"
            "      criteria: {investigates: unmet, wl_victims: unknown}\n"
            "      determinations: {waiver: met, significant_efforts: unmet}\n      tier_row: downgrade_applied\n"
            "      table_rows: {special_watch_list: group_iii}\n      possible_tiers: [2WL, 3]\n")
    [case] = load_cases([str(write(tmp_path, text))])
    result = run_case(case)
    assert not result.passed and result.outcome is not None
    assert [(m.what, m.expected, m.actual) for m in result.mismatches] == [
        ("tier", "3", "2WL"),
        ("automatic_downgrade", "applied", "waived"),
        ("consecutive_watch_list_years", 2, 3),
        ("criterion investigates", "unmet", "met"),
        ("determination significant_efforts", "unmet", "met"),
        ("tier_row", "downgrade_applied", "downgrade_waived"),
        ("possible_tiers", ["2WL", "3"], ["2WL"]),
    ]


def test_a_case_that_holds_passes(tmp_path: Path) -> None:
    text = (f"cases:\n  - name: right\n    document: {MALI_2015}\n    expect:\n      tier: 2WL\n      waiver_number: 1\n"
            "      waiver_granted: true\n      special_watch_list: true\n      possible_tiers: [2WL]\n")
    report = run_tests([str(write(tmp_path, text))])
    assert report.failed == 0 and report.ok and report.results[0].passed


@pytest.mark.parametrize("path", FIXTURES, ids=[f"{p.parent.name}/{p.name}" for p in FIXTURES])
def test_possible_tiers_agree_with_the_monotonicity_tests_derivation(path: Path) -> None:
    document = load_efforts(path)
    outcome = score(document)
    ruleset = load_ruleset(outcome.ruleset.id)
    independent, _ = _outcome(ruleset, facts_for(document, ruleset)[1])
    assert set(possible_tiers(outcome, ruleset)) == independent
    if outcome.tier is not None:
        assert possible_tiers(outcome, ruleset) == [outcome.tier]


def test_an_explicit_possible_outcomes_field_is_read_when_the_outcome_has_one() -> None:
    ruleset = load_ruleset("tvpa-2019")
    assert possible_tiers(SimpleNamespace(possible_tiers=["3", 2, "1"]), ruleset) == ["1", "2", "3"]  # type: ignore[arg-type]
    assert possible_tiers(SimpleNamespace(possible_outcomes=[{"tier": "2WL"}, {"tier": "3"}]), ruleset) == ["2WL", "3"]  # type: ignore[arg-type]


def test_cases_are_scored_as_the_score_command_scores(tmp_path: Path) -> None:
    text = f"cases:\n  - name: strong\n    document: {{based_on: {STRONG}, report_year: 2015}}\n    expect: {{tier: 1}}\n"
    [result] = run_tests([str(write(tmp_path, text))]).results
    assert result.outcome is not None and result.outcome.engine == "durable-rules"
    assert result.outcome == score(result.case.document, result.case.ruleset)
