"""Stage 5a: the outcomes still possible, and what would decide between them.

Computed from the tier table under the three-valued statuses the engine
established, never guessed: under the ``first`` (or ``priority``) hit policy a
row whose status is *unmet* can apply in no completion of the document, a
*met* row applies whenever every row before it is unmet, and an *unknown* row
may or may not apply. So the outcomes still possible are the outputs of every
row that is not unmet, in order, up to and including the first met row. The
set is sound (the outcome the full facts would give is always in it); it may
hold an outcome that a correlation between rows in fact rules out.

Each unknown row before the first met one is an *open question*. What decides
it is found by walking its condition down through the unknown determinations to
the unknown criteria, scores and facts it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoring.engine.reference import Evaluation
from scoring.ruleset import ast
from scoring.ruleset.walk import children, facts_read


@dataclass(frozen=True)
class Branch:
    """One row that may still apply and what it would give."""

    row: str
    then: dict[str, str]


@dataclass
class Question:
    """An unknown row: the determinations, criteria and facts whose values would settle it."""

    row: str
    then: dict[str, str]
    #: determinations and table outputs directly read by the row that are unknown (ids)
    decided_by: list[str] = field(default_factory=list)
    #: unknown criteria underneath, and scores that cannot yet be compared
    criteria: list[str] = field(default_factory=list)
    #: facts the report does not give that those criteria or determinations read
    facts: list[str] = field(default_factory=list)


def branches(table: ast.Table, evaluation: Evaluation) -> list[Branch]:
    """Rows not ruled out, in hit order, up to the first met row (all rows of a unique table not unmet)."""
    hit = evaluation.tables[table.id]
    out: list[Branch] = []
    rows = table.rows if table.hit_policy == "unique" else table.ordered_rows()
    for row in rows:
        status = hit.row_statuses[row.index]
        if status == "unmet":
            continue
        out.append(Branch(row.id, dict(row.then)))
        if status == "met" and table.hit_policy != "unique":
            break
    return out


def questions(ruleset: ast.Ruleset, table: ast.Table, evaluation: Evaluation, facts: dict[str, Any]) -> list[Question]:
    """The open questions of ``table``: each unknown row reached before a met one."""
    hit = evaluation.tables[table.id]
    out = []
    for row in table.ordered_rows():
        status = hit.row_statuses[row.index]
        if status == "met" and table.hit_policy != "unique":
            break
        if status != "unknown":
            continue
        question = Question(row.id, dict(row.then))
        _Tracer(ruleset, evaluation, facts, question).condition(row.when, top=True)
        out.append(question)
    return out


class _Tracer:
    """Follows unknown statuses from a row down to the criteria and facts they rest on."""

    def __init__(self, ruleset: ast.Ruleset, evaluation: Evaluation, facts: dict[str, Any], question: Question) -> None:
        self.rs, self.ev, self.facts, self.q = ruleset, evaluation, facts, question
        self.criteria = {c.id: c for c in ruleset.criteria}
        self.seen: set[str] = set()

    def condition(self, node: ast.Condition, top: bool = False) -> None:
        kids = children(node)
        if kids:
            for kid in kids:
                self.condition(kid, top)
            return
        if isinstance(node, ast.Met):
            self.ref(node.ref, top)
        elif isinstance(node, ast.AtLeast):
            for ref in node.refs:
                self.ref(ref, top)
        elif isinstance(node, ast.Score):
            tally = self.ev.tallies[node.pillar]
            if tally.unknown:
                self._add(self.q.criteria, f"score.{node.pillar}")
                pillars = ast.SCORED_PILLARS if node.pillar == "overall" else (node.pillar,)
                for c in self.rs.criteria:
                    if c.pillar in pillars and self.ev.statuses[c.id] == "unknown":
                        self.ref(c.id, False)
        elif isinstance(node, ast.Compare):
            for path in facts_read(node):
                if self.facts.get(path) is None:
                    self._add(self.q.facts, _stated(path))
        elif isinstance(node, ast.OutputIn) and node.table not in self.seen:
            self.seen.add(node.table)
            if top:
                self._add(self.q.decided_by, node.table)

    def ref(self, ref: str, top: bool) -> None:
        if self.ev.statuses.get(ref, "met") != "unknown" or ref in self.seen:
            return
        self.seen.add(ref)
        if ref in self.criteria:
            self._add(self.q.decided_by if top else self.q.criteria, ref)
            for path in facts_read(self.criteria[ref].when):
                if self.facts.get(path) is None:
                    self._add(self.q.facts, _stated(path))
            return
        if top:
            self._add(self.q.decided_by, ref)
        node = self.rs.decision(ref)
        if isinstance(node, ast.Determination):
            self.condition(node.when)

    @staticmethod
    def _add(items: list[str], item: str) -> None:
        if item not in items:
            items.append(item)


def _stated(path: str) -> str:
    """The fact a document states behind a derived one (``p.change``, ``p.at_least`` -> ``p``)."""
    for suffix in (".at_least", ".change", ".previous"):
        if path.endswith(suffix):
            return path.removesuffix(suffix)
    return path
