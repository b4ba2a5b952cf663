"""Shared helpers for the ruleset tests: the shipped rulesets and scoring a document."""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import Any

from scoring.api import facts_for
from scoring.efforts.validate import load_efforts
from scoring.engine.reference import Evaluation, evaluate
from scoring.ruleset import ast
from scoring.ruleset.load import load_ruleset
from scoring.ruleset.registry import for_year
from scoring.ruleset.shipped import shipped_dir

ROOT = Path(__file__).resolve().parents[2]
RULESET_FILES = sorted(glob.glob(os.path.join(shipped_dir(), "*.yaml")))
RULESET_IDS = [Path(f).stem for f in RULESET_FILES]


def score(path: str | Path, ruleset_id: str | None = None) -> tuple[ast.Ruleset, dict[str, Any], Evaluation]:
    """The reference evaluation of one efforts document (the ruleset of its year by default)."""
    doc = load_efforts(path)
    if ruleset_id is None:
        entry = for_year(doc.report_year)
        assert entry is not None, f"no shipped ruleset covers {doc.report_year}"
        ruleset_id = entry.id
    rs = load_ruleset(ruleset_id)
    facts = facts_for(doc, rs)[1]
    return rs, facts, evaluate(rs, facts)


def nodes(rs: ast.Ruleset) -> list[tuple[str, ast.Criterion | ast.Determination | ast.Table | ast.NamedCondition]]:
    """(kind, node) for every named condition, criterion, determination and table: each encodes law and cites it."""
    return ([("named condition", n) for n in rs.conditions] + [("criterion", c) for c in rs.criteria]
            + [("determination", d) for d in rs.determinations] + [("table", t) for t in rs.tables])
