"""Renderers: the headline says what decided (or blocked) the tier."""

from __future__ import annotations

import json

import scoring
from scoring.render import as_json, headline, markdown, ordinal, text


def test_undetermined_headline_names_the_outcomes_still_possible_and_what_decides() -> None:
    outcome = scoring.score("fixtures/synthetic/all-unknown-2016.yaml")
    assert outcome.tier is None and not outcome.determined
    assert [(o.tier, o.downgrade) for o in outcome.possible_outcomes] == [
        ("3", "not_applicable"), ("3", "applied"), ("2WL", "not_applicable")]
    assert headline(outcome).startswith(
        "Outcome: Tier 3, Tier 3 (automatic downgrade) or Tier 2 Watch List — decided by: significant efforts, "
        "downgrade due; unknown: prosecution.investigations, ")
    assert headline(outcome).endswith(" more")


def test_possible_outcomes_section_per_open_question() -> None:
    outcome = scoring.score("fixtures/synthetic/all-unknown-2016.yaml")
    shown = text(outcome)
    assert "Possible outcomes: Tier 3 (row tier_3); Tier 3 (automatic downgrade) (row downgrade_applied); " \
           "Tier 2 Watch List (row watch_list)" in shown
    assert "  row tier_3 → Tier 3 if it applies; decided by: significant_efforts" in shown
    assert "### Possible outcomes" in markdown(outcome)
    assert "- row tier_3 → Tier 3 if it applies; decided by: significant_efforts" in markdown(outcome)


def test_a_decided_outcome_has_one_possible_outcome() -> None:
    outcome = scoring.score("fixtures/mali/2015.yaml")
    assert headline(outcome).startswith("Outcome: Tier 2 Watch List — 3rd consecutive year; "
                                        "automatic downgrade waived (waiver granted, 1 of 2)")
    assert [(o.tier, o.downgrade, o.rows) for o in outcome.possible_outcomes] == [("2WL", "waived", ["downgrade_waived"])]
    assert outcome.open_questions == []
    assert "Possible outcomes" not in text(outcome) and "### Possible outcomes" not in markdown(outcome)


def test_the_tier_is_determined_when_every_open_branch_gives_it() -> None:
    """Significant efforts unknown (Tier 3) or, if made, a third watch-list year without a waiver (Tier 3)."""
    from scoring.efforts.model import EffortsDocument

    document = EffortsDocument.model_validate({
        "country": "Synthetic Z", "iso3": "ATA", "report_year": 2016,
        "tier_history": [{"report_year": 2013, "tier": "2"}, {"report_year": 2014, "tier": "2WL"},
                         {"report_year": 2015, "tier": "2WL"}],
        "prosecution": {"investigations": {"value": 1, "previous": 13}},
    })
    outcome = scoring.score(document, engine="reference")
    assert [(o.tier, o.downgrade) for o in outcome.possible_outcomes] == [("3", "not_applicable"), ("3", "applied")]
    assert outcome.tier == "3" and outcome.determined
    assert outcome.tier_row is None and outcome.watch_list.automatic_downgrade is None
    assert [q.row for q in outcome.open_questions] == ["tier_3"]
    assert headline(outcome).startswith("Outcome: Tier 3 (tier determined) — as Tier 3 or Tier 3 (automatic downgrade) "
                                        "— decided by: significant efforts")


def test_mali_without_history_leaves_the_downgrade_open() -> None:
    outcome = scoring.score("fixtures/mali/2015.yaml", history="none")
    assert outcome.tier is None  # waived (2WL) or applied (3): the tiers differ
    assert [(o.tier, o.downgrade) for o in outcome.possible_outcomes] == [
        ("2WL", "waived"), ("3", "applied"), ("2WL", "not_applicable")]
    assert [q.row for q in outcome.open_questions] == ["downgrade_waived", "downgrade_applied"]
    assert "history.consecutive_watch_list_years" in outcome.open_questions[0].facts
