"""Renderers: the headline says what decided (or blocked) the tier."""

from __future__ import annotations

import json

import scoring
from scoring.render import as_json, headline, markdown, ordinal, text


def test_undetermined_headline_names_the_step_that_could_not_be_assessed() -> None:
    outcome = scoring.score("fixtures/synthetic/all-unknown-2016.yaml")
    assert outcome.tier is None and not outcome.determined
    assert headline(outcome) == ("Outcome: undetermined — row tier_3 could not be assessed: "
                                 "Making significant efforts to comply (Tier 2 rather than Tier 3) unknown")


def test_watch_list_headline_counts_years_and_waivers() -> None:
    outcome = scoring.score("fixtures/mali/2015.yaml")
    assert headline(outcome).startswith("Outcome: Tier 2 Watch List — 3rd consecutive year; "
                                        "automatic downgrade waived (waiver granted, 1 of 2)")


def test_every_format_carries_the_outcome() -> None:
    outcome = scoring.score("fixtures/mali/2004.yaml")
    assert "Outcome: Tier 2" in text(outcome)
    assert "**Tier 2" in markdown(outcome)
    assert json.loads(as_json(outcome))["tier"] == "2"
    assert "\x1b[" not in text(outcome)  # not a terminal: no escape codes


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]
