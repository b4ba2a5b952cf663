"""Stage 4 for test files: which parts of each ruleset the cases exercised.

A case exercises a criterion or determination by the status it gets, and a table
row by deciding its table. Each criterion and determination has two goals, seen
met and seen unmet (a rule never seen failing is not tested, nor one never seen
holding); each table row has one, deciding at least once. A ruleset's coverage is
the share of its goals reached. ``unknown`` is reported but is not a goal: most
rules can be unknown, and the shipped rulesets' "never unknown" readings are
checked by the cases themselves.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from scoring.casetest.run import CaseResult
from scoring.ruleset import ast


@dataclass
class RulesetCoverage:
    """What the cases scored under one ruleset reached."""

    ruleset: ast.Ruleset
    cases: int = 0
    #: criterion or determination id -> the statuses it was seen with
    seen: dict[str, set[str]] = field(default_factory=dict)
    #: "table.row" -> how many cases it decided
    decided: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for node in (*self.ruleset.criteria, *self.ruleset.determinations):
            self.seen[node.id] = set()
        for table in self.ruleset.tables:
            for row in table.rows:
                self.decided[f"{table.id}.{row.id}"] = 0

    def add(self, result: CaseResult) -> None:
        outcome = result.outcome
        if outcome is None:
            return
        self.cases += 1
        for node in (*outcome.criteria, *outcome.determinations):
            self.seen[node.id].add(node.status)
        for table in outcome.tables:
            if table.row is not None:
                self.decided[f"{table.id}.{table.row}"] += 1

    def _ids(self, kind: str) -> list[str]:
        nodes = self.ruleset.criteria if kind == "criterion" else self.ruleset.determinations
        return [n.id for n in nodes]

    def never(self, kind: str, status: str) -> list[str]:
        """Criteria or determinations never seen with ``status``."""
        return [i for i in self._ids(kind) if status not in self.seen[i]]

    def both(self, kind: str) -> int:
        """How many were seen both met and unmet."""
        return sum(1 for i in self._ids(kind) if {"met", "unmet"} <= self.seen[i])

    def never_decided(self) -> list[str]:
        return [row for row, count in self.decided.items() if not count]

    @property
    def goals(self) -> int:
        return 2 * len(self.seen) + len(self.decided)

    @property
    def reached(self) -> int:
        statuses = sum(len(s & {"met", "unmet"}) for s in self.seen.values())
        return statuses + sum(1 for count in self.decided.values() if count)

    @property
    def percent(self) -> float:
        """Share of goals reached, rounded down to 0.1 so it never overstates."""
        return math.floor(1000 * self.reached / self.goals) / 10 if self.goals else 100.0

    def summary(self) -> dict[str, object]:
        rows = len(self.decided)
        return {
            "ruleset": self.ruleset.id, "cases": self.cases, "percent": self.percent,
            "goals": self.goals, "reached": self.reached,
            "criteria": {"total": len(self.ruleset.criteria), "met_and_unmet": self.both("criterion"),
                         "never_met": self.never("criterion", "met"), "never_unmet": self.never("criterion", "unmet")},
            "determinations": {"total": len(self.ruleset.determinations), "met_and_unmet": self.both("determination"),
                               "never_met": self.never("determination", "met"),
                               "never_unmet": self.never("determination", "unmet")},
            "rows": {"total": rows, "decided": rows - len(self.never_decided()), "never_decided": self.never_decided(),
                     "decisions": dict(self.decided)},
        }


def coverage(results: Iterable[CaseResult]) -> list[RulesetCoverage]:
    """Coverage per ruleset the cases used, in ruleset id order."""
    by_id: dict[str, RulesetCoverage] = {}
    for result in results:
        rs = result.case.ruleset
        by_id.setdefault(rs.id, RulesetCoverage(rs)).add(result)
    return [by_id[key] for key in sorted(by_id)]
