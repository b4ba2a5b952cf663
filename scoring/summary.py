"""The summary form of an outcome (``--format json --detail summary``): what a tool needs, small.

The full JSON is the typed ``Outcome`` (scoring.outcome_json, ``tipscore schema output``),
with every criterion's evidence and compared facts and every distinct citation in full.
The summary keeps the decision and its path (the tier-table rows, each determination and
criterion with its status), the scores as bounds, the history facts and the fields to fill,
and cites by reference: each cited section once, in ``citations`` keyed by its section of
22 U.S.C. (``7106(b)(1)``) with the acts that enacted it. The full JSON's citation ids
begin with the same key (``7106(b)(1)#1a2b3c4d``; the digest tells apart the different
citations of one section, which the summary merges). Version 2: a criterion that could not be
assessed carries its fields to fill, and the tier table is cited once for its rows. Mali 2015 is
about 9 KB (tested to stay under 9 KiB).
"""

from __future__ import annotations

import json
from typing import Any

from scoring.outcome import CitationOut, Outcome


class Citations:
    """Distinct citations keyed by their section (``7106(b)(1)``); each enacting act listed once."""

    def __init__(self) -> None:
        self.table: dict[str, list[str]] = {}

    def ref(self, c: CitationOut | None) -> str | None:
        if c is None:
            return None
        key = c.section_key()
        acts = self.table.setdefault(key, [])
        if c.enacted_by not in acts:
            acts.append(c.enacted_by)
        return key


def summary(outcome: Outcome) -> dict[str, Any]:
    """The outcome without the explanation tree's repetitions; citations by reference."""
    from scoring.render import headline, to_fill

    cites = Citations()
    table = outcome.explanation
    fields = {cid: [f.split(" (")[0] for f in found] for cid, found in to_fill(outcome)}
    return {
        "tipscore_summary": 2,
        "country": outcome.country, "iso3": outcome.iso3, "report_year": outcome.report_year,
        "ruleset": {"id": outcome.ruleset.id, "version": outcome.ruleset.version, "digest": outcome.ruleset.digest},
        "tier": outcome.tier, "determined": outcome.determined, "tier_row": outcome.tier_row,
        "headline": headline(outcome),
        "watch_list": outcome.watch_list.model_dump(mode="json"),
        # the tier table's rows in order, as far as they were tried; a row cites its table
        "rows_tried": {"citation": cites.ref(table.citation), "rows": [[r.id, r.status] for r in table.children]},
        "scores": {p: {"min": s.score, "max": s.max_score} for p, s in outcome.scores.items() if s.score is not None},
        # id -> [status, section]: the compact form of every determination and criterion; a criterion
        # that could not be assessed has a third element, the input fields to fill
        "determinations": {d.id: [d.status, cites.ref(d.citation)] for d in outcome.determinations},
        "criteria": {c.id: [c.status, cites.ref(c.citation), *([fields[c.id]] if c.id in fields else [])]
                     for c in outcome.criteria},
        "history": {"source": outcome.history.source, "facts": outcome.history.facts,
                    "placements": [f"{p.report_year} {p.tier}" for p in outcome.history.placements]},
        "citations": {"statute": "22 U.S.C.", "enacted_by": cites.table},
    }


def as_summary_json(outcome: Outcome) -> str:
    """Byte-identical for the same input and ruleset, like the full JSON."""
    return json.dumps(summary(outcome), indent=None, separators=(",", ":"), ensure_ascii=False) + "\n"
