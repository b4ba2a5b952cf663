"""Coverage: criteria and determinations seen met and seen unmet, table rows that decided, per ruleset."""

from __future__ import annotations

from pathlib import Path

from scoring.casetest import run_tests
from tests.casetest.support import STRONG, write

WEAK = STRONG.with_name("weak.yaml")


def _file(tmp_path: Path, *documents: Path) -> Path:
    cases = "".join(f"  - name: case {i}\n    document: {{based_on: {d}, report_year: 2002}}\n    expect: {{determined: true}}\n"
                    for i, d in enumerate(documents))
    return write(tmp_path, "ruleset: tvpa-2001\ncases:\n" + cases)


def test_one_case_sees_each_rule_with_one_status(tmp_path: Path) -> None:
    report = run_tests([str(_file(tmp_path, STRONG))], coverage=True)
    [cov] = report.coverage or []
    assert cov.ruleset.id == "tvpa-2001" and cov.cases == 1
    ids = [c.id for c in cov.ruleset.criteria]
    assert cov.never("criterion", "unmet") == [i for i in ids if i != "special_case"]
    assert cov.never("criterion", "met") == ["special_case"]
    assert cov.both("criterion") == 0
    assert cov.never_decided() == ["tier.special_case", "tier.tier_3", "tier.tier_2"]
    goals = 2 * (len(cov.ruleset.criteria) + len(cov.ruleset.determinations)) + 4
    assert cov.goals == goals
    assert cov.reached == len(cov.ruleset.criteria) + len(cov.ruleset.determinations) + 1
    assert cov.percent == int(1000 * cov.reached / goals) / 10


def test_opposite_cases_see_both_statuses(tmp_path: Path) -> None:
    report = run_tests([str(_file(tmp_path, STRONG, WEAK))], coverage=True, threshold=90)
    [cov] = report.coverage or []
    assert cov.both("criterion") == len(cov.ruleset.criteria) - 1  # special_case is never met here
    assert cov.never_decided() == ["tier.special_case", "tier.tier_2"]
    assert cov.percent < 100
    summary = cov.summary()
    assert summary["rows"]["decisions"] == {"tier.special_case": 0, "tier.tier_1": 1, "tier.tier_3": 1, "tier.tier_2": 0}  # type: ignore[index]


def test_below_the_threshold_the_run_fails(tmp_path: Path) -> None:
    path = str(_file(tmp_path, STRONG))
    low = run_tests([path], threshold=99)
    assert low.failed == 0 and not low.ok and [c.ruleset.id for c in low.below_threshold] == ["tvpa-2001"]
    assert run_tests([path], threshold=0).ok
    assert run_tests([path]).coverage is None
