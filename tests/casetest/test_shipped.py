"""The shipped rulesets' own tests (rulesets/tests) and the fixtures' expectations (fixtures/*.test.yaml)
pass, and reach every criterion and determination both met and unmet and every table row, in every era."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from scoring.casetest import run_tests, shipped_tests_dir
from scoring.casetest.load import load_cases
from scoring.ruleset.registry import shipped
from tests.casetest.support import ROOT

LIVE = sorted(e.id for e in shipped() if not e.abstract)
#: every table row decides at least once and every criterion and determination is seen met and
#: unmet: anything less leaves a rule whose failure (or success) no case would notice
THRESHOLD = 100


def test_shipped_and_fixture_cases_pass_with_full_coverage() -> None:
    report = run_tests([str(ROOT / "rulesets" / "tests"), str(ROOT / "fixtures")], coverage=True, threshold=THRESHOLD)
    failing = [f"{r.case.name}: {[(m.what, m.expected, m.actual) for m in r.mismatches]} {r.error or ''}"
               for r in report.results if not r.passed]
    assert not failing, "\n".join(failing)
    assert report.coverage is not None
    assert [c.ruleset.id for c in report.coverage] == LIVE, "every era has cases"
    for cov in report.coverage:
        assert cov.percent >= THRESHOLD, cov.summary()
        assert not cov.never_decided() and not cov.never("criterion", "met") and not cov.never("determination", "unmet")
    assert report.ok
    assert len(report.results) >= 100


def test_without_paths_the_shipped_tests_run() -> None:
    default = load_cases([])
    explicit = load_cases([shipped_tests_dir()])
    assert [c.name for c in default] == [c.name for c in explicit]
    assert {Path(c.file).name for c in default} == {f"{rid}.test.yaml" for rid in LIVE}


def test_each_era_file_tests_its_era() -> None:
    for case in load_cases([shipped_tests_dir()]):
        era = Path(case.file).name.removesuffix(".test.yaml")
        assert case.ruleset.id == era, case.name
        assert case.ruleset.first_year <= case.document.report_year, case.name
        assert case.ruleset.last_year is None or case.document.report_year <= case.ruleset.last_year, case.name


def test_every_fixture_has_an_expectation() -> None:
    named = {Path(c.document_label).resolve() for c in load_cases([str(ROOT / "fixtures")]) if c.document_label != "inline"}
    fixtures = {p.resolve() for p in (ROOT / "fixtures").glob("*/*.yaml")}
    assert fixtures <= named, sorted(str(p) for p in fixtures - named)


def test_published_tiers_are_still_possible() -> None:
    """The narratives' and Factbook summaries' published tiers (comments) are real expectations: each
    is among the tiers the case expects to remain possible. (sau-2020 was contradicted while silence
    was read as "not shown" everywhere; with what was read declared, none is: docs/rubric.md.)"""
    files = [str(ROOT / "fixtures" / "narratives.test.yaml"), str(ROOT / "fixtures" / "factbook.test.yaml")]
    for case in load_cases(files):
        published = re.search(r"^# published-tier: (\S+)$", Path(case.document_label).read_text("utf-8"), re.M)
        assert published, case.document_label
        expected = case.expect.get("possible_tiers") or [case.expect["tier"]]
        assert published.group(1) in expected, case.name


def test_a_wrong_waiver_cap_is_caught(tmp_path: Path) -> None:
    """The motivating mistake: a 2019 ruleset that allows two waivers fails the shipped cases."""
    shutil.copytree(ROOT / "rulesets" / "tests", tmp_path / "tests")
    text = (ROOT / "rulesets" / "tvpa-2019.yaml").read_text("utf-8")
    wrong = text.replace("waiver_cap: 1", "waiver_cap: 2").replace('{fact: history.waivers_used, "<": 1}',
                                                                  '{fact: history.waivers_used, "<": 2}')
    assert wrong != text
    (tmp_path / "tests" / "tvpa-2019.yaml").write_text(wrong, "utf-8")  # found first: the test file's folder
    report = run_tests([str(tmp_path / "tests" / "tvpa-2019.test.yaml")])
    failed = [r for r in report.results if not r.passed]
    assert [r.case.name for r in failed] == ["fourth watch-list year, a second waiver is refused (cap 1)"]
    assert ("tier", "3", "2WL") in [(m.what, m.expected, m.actual) for m in failed[0].mismatches]
    assert all(r.case.ruleset.file == str(tmp_path / "tests" / "tvpa-2019.yaml") for r in report.results)
