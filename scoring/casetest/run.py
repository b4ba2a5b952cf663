"""Stage 3 for test files: score every case and compare it with what it expects.

Cases are scored exactly as ``tipscore score`` scores a document (scoring.api.score,
the durable-rules engine), so a passing case says something about the real command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoring.casetest.expect import compare
from scoring.casetest.load import Case
from scoring.errors import TipscoreError
from scoring.outcome import Outcome


@dataclass(frozen=True)
class Mismatch:
    """One expectation that does not hold: what, the expected and the actual value."""

    what: str
    expected: Any
    actual: Any


@dataclass(frozen=True)
class CaseResult:
    """A scored case: its outcome and every expectation that failed (none: it passed)."""

    case: Case
    outcome: Outcome | None
    mismatches: list[Mismatch] = field(default_factory=list)
    error: str | None = None  #: the case could not be scored at all

    @property
    def passed(self) -> bool:
        return self.error is None and not self.mismatches


def run_case(case: Case) -> CaseResult:
    """Score one case and check each of its expectations."""
    from scoring.api import score

    try:
        outcome = score(case.document, case.ruleset)
    except TipscoreError as err:
        return CaseResult(case, None, error=str(err).splitlines()[0])
    mismatches = [Mismatch(*found) for key, expected in case.expect.items()
                  for found in compare(key, expected, outcome, case.ruleset)]
    return CaseResult(case, outcome, mismatches)


def run_cases(cases: list[Case]) -> list[CaseResult]:
    """Every case, in file order."""
    return [run_case(case) for case in cases]
