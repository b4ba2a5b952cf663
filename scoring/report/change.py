"""What a ruleset change does to a set of documents, as report data.

A document changes when its tier, its deciding row or its watch-list mechanics
differ between the two rulesets; for each, the criteria and determinations whose
status changed are listed with their citations.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from scoring.outcome import Outcome
from scoring.render import headline


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


def _label(outcome: Outcome) -> str:
    return headline(outcome).removeprefix("Outcome: ")


def _tier(outcome: Outcome) -> str:
    return outcome.tier or "undetermined"


def _statuses(old: Outcome, new: Outcome) -> list[StatusChange]:
    before = {(k, x.id): x for k, items in (("c", old.criteria), ("d", old.determinations)) for x in items}
    out = []
    for kind, items in (("c", new.criteria), ("d", new.determinations)):
        for item in items:
            prior = before.get((kind, item.id))
            if prior is None or prior.status != item.status:
                out.append(StatusChange(item.title, prior.status if prior else "absent", item.status,
                                        item.citation.section))
    return out


def compare(old_name: str, new_name: str, pairs: list[tuple[str, Outcome, Outcome]]) -> Change:
    """The change report for documents scored under both rulesets, in document order."""
    counts: Counter[tuple[str, str]] = Counter()
    changed = []
    for document, old, new in pairs:
        counts[(_tier(old), _tier(new))] += 1
        if _label(old) != _label(new) or old.tier_row != new.tier_row:
            changed.append(ChangedDocument(document, _label(old), _label(new), old.tier_row, new.tier_row,
                                           _statuses(old, new)))
    transitions = [Transition(b, a, n) for (b, a), n in sorted(counts.items())]
    return Change(old_name, new_name, len(pairs), transitions, changed)
