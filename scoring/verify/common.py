"""What every property needs: the facts the rules read, scoring, explanation diffs."""

from __future__ import annotations

import difflib
from typing import Any

from scoring.efforts.model import EffortsDocument
from scoring.outcome import Outcome
from scoring.ruleset import ast

TIER_ORDER = {"1": 0, "2": 1, "2WL": 2, "3": 3}
Data = dict[str, Any]


def years(ruleset: ast.Ruleset) -> tuple[int, int]:
    return ruleset.first_year, ruleset.last_year or max(ruleset.first_year + 6, 2025)


def rule_facts(ruleset: ast.Ruleset, data: Data) -> tuple[EffortsDocument, dict[str, Any]]:
    from scoring.api import facts_for

    document = EffortsDocument.model_validate(data)
    return document, facts_for(document, ruleset)[1]


def score_data(ruleset: ast.Ruleset, data: Data, engine: str = "reference") -> Outcome:
    from scoring.api import score

    return score(EffortsDocument.model_validate(data), ruleset, engine=engine)  # type: ignore[arg-type]


def _text(outcome: Outcome) -> list[str]:
    from scoring.render import text

    return text(outcome).splitlines()


def explanation_diff(a: Outcome, b: Outcome) -> str:
    return "\n".join(difflib.unified_diff(_text(a), _text(b), "before", "after", lineterm=""))


# ----------------------------------------------------------------------------- properties
