"""A policy author's 2027 era, written into a folder of their own (shared by the authoring tests)."""

from __future__ import annotations

from pathlib import Path

ERA_2027 = """\
ruleset: tvpa-2027
title: Hypothetical 2027 amendments
version: "0.1"
extends: tvpa-2019
replaces: tvpa-2019
report_years: {first: 2027}
parameters:
  waiver_cap: 2
criteria:
  - id: survivor_partnerships
    title: Partners with civil society, including survivor organisations
    citation:
      section: 22 U.S.C. 7106(b)(9)
      enacted_by: Hypothetical TVPRA 2026
      text: "systematically partners with civil society"
    pillar: partnership
    weight: 1
    when: {fact: partnership.civil_society_partnerships, "==": true}
determinations:
  - id: significant_efforts
    extend:
      all:
        - {status: survivor_partnerships, in: [met, unknown]}
"""


def write_era(folder: Path, text: str = ERA_2027, name: str = "tvpa-2027.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, "utf-8")
    return path


SECOND_WAIVER_REFUSED = Path(__file__).resolve().parents[2] / "fixtures" / "synthetic" / "second-waiver-refused-2019.yaml"


def write_second_waiver_granted(folder: Path) -> Path:
    """The refused second waiver (2021), as a document that records the grant: a raised cap can then
    waive the downgrade. Without a recorded grant a raised cap only makes the country eligible."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SECOND_WAIVER_REFUSED.read_text("utf-8")
    assert "  sufficient_resources: true\n" in text
    path = folder / "second-waiver-granted-2021.yaml"
    path.write_text(text.replace("  sufficient_resources: true\n", "  sufficient_resources: true\n  granted: true\n", 1), "utf-8")
    return path
