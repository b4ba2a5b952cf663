"""Which criteria, determinations and table rows a verify run reached, and how.

Every document the statute oracle scores is recorded: a criterion or
determination is *reached met* (or unmet) when some document gave it that
status; a table row is *reached* when it decided its table for some document.
By default every row must be reached: a row no generated document hits is a
row whose mistakes the run could not have found.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.engine.reference import Evaluation
from scoring.ruleset import ast


@dataclass
class Coverage:
    statuses: dict[str, set[str]] = field(default_factory=dict)  #: criterion/determination id -> statuses seen
    rows_hit: set[str] = field(default_factory=set)  #: "table.row" ids that decided their table

    def record(self, ruleset: ast.Ruleset, evaluation: Evaluation) -> None:
        for node_id, status in evaluation.statuses.items():
            self.statuses.setdefault(node_id, set()).add(status)
        for table in ruleset.tables:
            hit = evaluation.tables.get(table.id)
            if hit is not None and hit.row is not None:
                self.rows_hit.add(f"{table.id}.{table.rows[hit.row].id}")

    def merge(self, other: "Coverage") -> None:
        for node_id, seen in other.statuses.items():
            self.statuses.setdefault(node_id, set()).update(seen)
        self.rows_hit |= other.rows_hit


@dataclass(frozen=True)
class CoverageReport:
    criteria: tuple[int, int, int]  #: (reached met, reached unmet, total)
    determinations: tuple[int, int, int]
    rows: tuple[int, int]  #: (reached, total)
    rows_missed: tuple[str, ...]
    never_met: tuple[str, ...]
    never_unmet: tuple[str, ...]

    def lines(self) -> list[str]:
        c, d, r = self.criteria, self.determinations, self.rows
        out = [f"coverage: criteria met {c[0]}/{c[2]}, unmet {c[1]}/{c[2]}; determinations met {d[0]}/{d[2]}, "
               f"unmet {d[1]}/{d[2]}; table rows reached {r[0]}/{r[1]}"]
        if self.rows_missed:
            out.append(f"  rows never reached: {', '.join(self.rows_missed)}")
        if self.never_met:
            out.append(f"  never met: {', '.join(self.never_met)}")
        if self.never_unmet:
            out.append(f"  never unmet: {', '.join(self.never_unmet)}")
        return out


def summarize(ruleset: ast.Ruleset, coverage: Coverage) -> CoverageReport:
    def counts(ids: list[str]) -> tuple[int, int, int]:
        seen = [coverage.statuses.get(i, set()) for i in ids]
        return sum("met" in s for s in seen), sum("unmet" in s for s in seen), len(ids)

    criteria = [c.id for c in ruleset.criteria]
    determinations = [d.id for d in ruleset.determinations]
    rows = [f"{t.id}.{r.id}" for t in ruleset.tables for r in t.rows]
    ids = criteria + determinations
    return CoverageReport(
        counts(criteria), counts(determinations), (sum(r in coverage.rows_hit for r in rows), len(rows)),
        tuple(r for r in rows if r not in coverage.rows_hit),
        tuple(i for i in ids if "met" not in coverage.statuses.get(i, set())),
        tuple(i for i in ids if "unmet" not in coverage.statuses.get(i, set())),
    )


#: What this process has reached so far (reset by the runner for each job).
CURRENT = Coverage()
