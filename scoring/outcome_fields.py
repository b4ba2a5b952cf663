"""The outcome without its explanation: what a CSV row of ``tipscore batch`` reads.

(``scoring.summary`` is a different thing: the small JSON form of an explained outcome.)

Building the explanation tree, evidence and criteria lists is most of the cost
of a scoring (~85%); a CSV row needs the tier, the watch-list mechanics, the
scores and the count of unknown criteria. ``summarize`` gives exactly those
fields of ``Outcome.model_dump(mode="json")``, from the same functions the
explanation uses (tested equal on random documents).
"""

from __future__ import annotations

import os
from typing import Any

from scoring.api import Engine, evaluated
from scoring.efforts.model import EffortsDocument
from scoring.ruleset import ast

#: The keys of the outcome a summary holds (the explanation, criteria, determinations,
#: tables and history are left out).
KEYS = ("tipscore_output", "country", "iso3", "report_year", "entity", "ruleset", "engine", "tier", "determined",
        "tier_row", "watch_list", "scores", "not_assessable")


def summarize(document: EffortsDocument | str | os.PathLike[str], ruleset: ast.Ruleset | str | None = None, *,
              history: str = "auto", engine: Engine = "durable-rules",
              search_path: tuple[str, ...] = ()) -> dict[str, Any]:
    """The ``KEYS`` of the scored outcome, as JSON-ready data."""
    from scoring.explain import Explainer, _Env, _pillar
    from scoring.semantics import open_facts

    doc, rs, facts, past, evaluation = evaluated(document, ruleset, history=history, engine=engine,
                                                    search_path=search_path)
    explainer = Explainer(doc, rs, facts, past, evaluation, engine)
    tier_out = explainer.decided(explainer.possible_outcomes())
    unknown = [c for c in rs.criteria if evaluation.statuses[c.id] == "unknown"]
    tier, hit = tier_out.get("tier"), evaluation.tables["tier"]
    return {
        "tipscore_output": 1, "country": doc.country, "iso3": doc.iso3, "report_year": doc.report_year,
        "entity": doc.entity,
        "ruleset": {"id": rs.id, "version": rs.version, "title": rs.title, "report_years": rs.years, "digest": rs.digest},
        "engine": engine, "tier": tier, "determined": tier is not None,
        "tier_row": rs.decision("tier").rows[hit.row].id if hit.row is not None else None,  # type: ignore[union-attr]
        "watch_list": explainer.watch_list(tier, tier_out.get("downgrade")).model_dump(mode="json"),
        "scores": {p: _pillar(t).model_dump(mode="json") for p, t in evaluation.tallies.items()},
        "not_assessable": [c.id for c in unknown],
        # beyond KEYS: what a CSV row reads of the history, the open questions and the fields to fill
        "history_facts": dict(past.facts),
        "open_questions": [q.model_dump(mode="json") for q in explainer.open_questions()],
        "unknown_fields": fields_to_fill(open_facts(c.when, _Env(explainer)) for c in unknown),
    }


def fields_to_fill(open_facts: Any) -> list[str]:
    """The input fields an analyst could fill to assess the unknown criteria: each criterion's
    open facts (the unstated facts that could still change it), each field once, sorted.
    History facts are derived, not filled in, and a trend is filled through its count."""
    return sorted({path.removesuffix(".change") for facts in open_facts for path in facts
                   if not path.startswith("history.")})
