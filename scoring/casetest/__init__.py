"""``tipscore test``: cases of country-years with the outcome each must get.

Test files (``*.test.yaml``) are data, modelled on ``opa test`` and OpenFisca's
YAML tests: each case names a document (a file, or the few facts that matter,
inline), optionally a ruleset, and expectations on any part of the outcome.
Stages: load (find, read, schema-check, build documents) → run (score, compare) →
coverage → render.

>>> from scoring.casetest import run_tests
>>> report = run_tests(["rulesets/tests"], coverage=True)  # doctest: +SKIP
>>> report.failed, report.coverage[0].percent  # doctest: +SKIP
(0, 100.0)
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.casetest.coverage import RulesetCoverage, coverage as _coverage
from scoring.casetest.load import Case, TestFileErrors, load_cases, shipped_tests_dir
from scoring.casetest.run import CaseResult, Mismatch, run_cases

__all__ = ["Case", "CaseResult", "Mismatch", "RulesetCoverage", "TestFileErrors", "TestReport", "run_tests",
           "shipped_tests_dir"]


@dataclass(frozen=True)
class TestReport:
    """Every case's result, and the coverage per ruleset when asked for."""

    __test__ = False  # not a pytest test class

    results: list[CaseResult]
    coverage: list[RulesetCoverage] | None
    threshold: float | None

    @property
    def failed(self) -> int:
        return sum(not r.passed for r in self.results)

    @property
    def below_threshold(self) -> list[RulesetCoverage]:
        if self.threshold is None or self.coverage is None:
            return []
        return [c for c in self.coverage if c.percent < self.threshold]

    @property
    def ok(self) -> bool:
        """No failed case and no ruleset below the coverage threshold."""
        return not self.failed and not self.below_threshold

    def render(self, fmt: str = "text", quiet: bool = False) -> str:
        """``text`` (``quiet``: failing cases only, then the summary) or ``json``."""
        from scoring.casetest import render

        if fmt == "json":
            return render.as_json(self.results, self.coverage, self.threshold)
        return render.text(self.results, self.coverage, self.threshold, quiet)


def run_tests(paths: list[str] | None = None, *, coverage: bool = False, threshold: float | None = None,
              search_path: tuple[str, ...] = ()) -> TestReport:
    """Load every case under ``paths`` (default: the shipped rulesets' tests), score and check it.

    Raises ``TestFileErrors`` (exit 2) for a missing or malformed test file, an unknown
    expectation or ruleset, or an invalid document, before any case is scored.
    ``threshold`` (percent) implies ``coverage``.
    """
    cases = load_cases(list(paths or []), search_path)
    results = run_cases(cases)
    covered = _coverage(results) if coverage or threshold is not None else None
    return TestReport(results, covered, threshold)
