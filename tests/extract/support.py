"""Paths of the development texts the extraction tests read (real report wording)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
MALI_2015 = ROOT / "fixtures" / "sources" / "mali-2015-tip.txt"
MALI_2004 = ROOT / "fixtures" / "sources" / "mali-2004-tip.txt"
NARRATIVES = SHARED / "narratives"
FACTBOOK = SHARED / "factbook" / "summaries.csv"


def narrative(name: str) -> str:
    """The text of ``../shared/narratives/<name>.txt``."""
    return (NARRATIVES / f"{name}.txt").read_text("utf-8")
