"""What a ruleset change does to a set of documents, as report data (from ``scoring.impact``).

``tipscore diff`` computes the impact; the report only lays it out: the transition
table, and for each changed document its deciding row under each ruleset and the
criteria and determinations whose status changed, with their citations.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.impact import Impact


@dataclass(frozen=True)
class StatusChange:
    title: str
    before: str
    after: str
    section: str


@dataclass(frozen=True)
class ChangedDocument:
    document: str
    before: str
    after: str
    row_before: str | None
    row_after: str | None
    statuses: list[StatusChange]


@dataclass(frozen=True)
class Transition:
    before: str
    after: str
    count: int


@dataclass(frozen=True)
class Change:
    old: str
    new: str
    total: int
    transitions: list[Transition]
    changed: list[ChangedDocument]
    failed: list[str]


def _row(reason: str, row: str) -> str | None:
    return row if reason == "hit" else (f"none ({reason} at row {row})" if row else None)


def from_impact(impact: Impact) -> Change:
    """The report's view of an impact: nothing recomputed, only arranged."""
    changed = [ChangedDocument(d.file, d.old.tier, d.new.tier, _row(d.old.reason, d.old.row),  # type: ignore[union-attr]
                               _row(d.new.reason, d.new.row),  # type: ignore[union-attr]
                               [StatusChange(f"{c.title} ({c.kind} {c.id})", c.old, c.new, c.citation) for c in d.changes])
               for d in impact.changed]
    transitions = [Transition(b, a, n) for (b, a), n in impact.transitions().items()]
    scored = len(impact.documents) - len(impact.failed)
    return Change(impact.old, impact.new, scored, transitions, changed, [d.error or "" for d in impact.failed])
