"""The law audit (issue 17): each mechanic read as the statute's text says. Every test of a changed
reading fails under the reading the rulesets had before (named in its docstring), so a regression to
it shows; the tests of finding 8 pin a reading the audit kept (its acts unverified), so a clause is
not moved before its act is verified.

The findings and what became of them are tabled in docs/law-research.md ("Audit of 2026-11").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import scoring
from scoring.efforts.validate import load_efforts
from scoring.engine.reference import evaluate
from scoring.render import headline
from scoring.ruleset.load import load_ruleset
from tests.rulesets.support import ROOT

SYNTHETIC = ROOT / "fixtures" / "synthetic"


def _statuses(ruleset_id: str, facts: dict[str, Any]) -> dict[str, str]:
    return evaluate(load_ruleset(ruleset_id), {"entity": "country", **facts}).statuses


def _doc(path: Path, **changes: Any) -> scoring.EffortsDocument:
    """A fixture with top-level fields replaced and nested facts set ("waiver.granted": None removes)."""
    doc = load_efforts(path)
    data = doc.model_dump(exclude_none=True)
    for key, value in changes.items():
        *parents, leaf = key.split(".")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        if value is None:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return scoring.EffortsDocument.model_validate(data)


# ------------------------------------------------------------------ finding 1: the data presumption

ENFORCEMENT = {
    "prosecution.investigations": 40, "prosecution.prosecutions": 20, "prosecution.convictions": 10,
    "prosecution.offenders_incarcerated": 8, "prosecution.official_complicity_reported": True,
    "prosecution.complicit_officials_prosecuted": 2,
}
# a known count is its own lower bound, as the efforts document's facts give it
ENFORCEMENT |= {f"{path}.at_least": n for path, n in ENFORCEMENT.items() if not isinstance(n, bool)}
PRESUMED = ("investigates", "prosecutes", "convicts", "incarcerates", "complicit_officials_addressed", "complicity_cases")


@pytest.mark.parametrize(("ruleset_id", "year"), [("tvpa-2004", 2006), ("tvpa-2013", 2016), ("tvpa-2019", 2021)])
def test_withheld_data_defeat_the_counts_the_presumption_speaks_of(ruleset_id: str, year: int) -> None:
    """7106(b)(1)/(b)(7): "shall be presumed not to have vigorously investigated, prosecuted, convicted
    or sentenced". Old reading: only Tier 1 and the prosecution pillar read it; the counts still scored."""
    withheld = {"report_year": year, **ENFORCEMENT, "prosecution.law_enforcement_data_provided": False,
                "prosecution.law_enforcement_data_requested": True, "prosecution.law_enforcement_data_capacity": True}
    statuses = _statuses(ruleset_id, withheld)
    assert {cid: statuses[cid] for cid in PRESUMED} == dict.fromkeys(PRESUMED, "unmet")
    assert statuses["law_enforcement_data"] == "unmet"
    # Where the prosecution section was read and does not say whether data were provided, the counts
    # speak for themselves; where it was not read, whether the presumption applies is unknown.
    silent = {k: v for k, v in withheld.items() if k != "prosecution.law_enforcement_data_provided"}
    statuses = _statuses(ruleset_id, {**silent, "coded.prosecution": True})
    assert {cid: statuses[cid] for cid in PRESUMED} == dict.fromkeys(PRESUMED, "met")
    statuses = _statuses(ruleset_id, silent)
    assert {cid: statuses[cid] for cid in PRESUMED} == dict.fromkeys(PRESUMED, "unknown")


def test_withheld_data_no_longer_score_serious_and_sustained_efforts() -> None:
    """The audit's case: a Tier-1-like document with data withheld scored 95 % with serious and sustained
    efforts met. Now the presumed counts are unmet and the score falls below the Tier 1 bar."""
    doc = _doc(SYNTHETIC / "tier1.yaml", **{"prosecution.law_enforcement_data_provided": False,
                                            "prosecution.law_enforcement_data_requested": True,
                                            "prosecution.law_enforcement_data_capacity": True})
    outcome = scoring.score(doc)
    status = {d.id: d.status for d in outcome.determinations}
    assert status["serious_and_sustained"] == "unmet"
    assert outcome.scores["overall"].max_score is not None and outcome.scores["overall"].max_score < 80
    assert outcome.tier != "1"


def test_the_presumption_needs_a_reasonable_request() -> None:
    """"After reasonable requests from the Department of State": not requested, no presumption; request
    not known, the presumption is not known either. Old reading: no request fact, always presumed."""
    base = {"report_year": 2016, **ENFORCEMENT, "prosecution.law_enforcement_data_provided": False,
            "prosecution.law_enforcement_data_capacity": True}
    assert _statuses("tvpa-2013", {**base, "prosecution.law_enforcement_data_requested": False})["law_enforcement_data"] == "met"
    statuses = _statuses("tvpa-2013", base)
    assert statuses["law_enforcement_data"] == "unknown"
    assert statuses["investigates"] == "unknown"


# ------------------------------------------------------------------ finding 3: eligibility vs grant


def test_an_eligible_country_without_a_recorded_grant_is_not_placed() -> None:
    """"May waive": the conditions make a country eligible, the grant is a determination the document
    records. Old reading: the three conditions shown = waiver granted (Tier 2 Watch List)."""
    doc = _doc(SYNTHETIC / "second-waiver-2011-2018.yaml", **{"waiver.granted": None})
    outcome = scoring.score(doc)
    assert outcome.tier is None
    waiver = outcome.watch_list.waiver
    assert waiver is not None and (waiver.eligible, waiver.granted, waiver.number, waiver.cap) == (True, None, 2, 2)
    line = headline(outcome)
    assert "Tier 2 Watch List (downgrade waived) or Tier 3 (automatic downgrade) — decided by: waiver" in line
    assert "eligible for a waiver, waiver 2 of 2; the document does not record the grant" in line


def test_a_recorded_refusal_applies_the_downgrade_and_says_the_country_was_eligible() -> None:
    doc = _doc(SYNTHETIC / "second-waiver-2011-2018.yaml", **{"waiver.granted": False})
    outcome = scoring.score(doc)
    assert (outcome.tier, outcome.watch_list.automatic_downgrade) == ("3", "applied")
    assert "automatic downgrade to Tier 3 applied (eligible for a waiver, not granted)" in headline(outcome)


def test_a_recorded_grant_beyond_the_cap_is_not_a_waiver() -> None:
    """"For up to 2 years" (1 from 2019) binds whatever a document records."""
    outcome = scoring.score(_doc(SYNTHETIC / "second-waiver-refused-2019.yaml", **{"waiver.granted": True}))
    assert (outcome.tier, outcome.watch_list.automatic_downgrade) == ("3", "applied")
    assert outcome.watch_list.waiver is not None and outcome.watch_list.waiver.eligible is False


def test_mali_2015_records_its_grant() -> None:
    outcome = scoring.score(ROOT / "fixtures" / "mali" / "2015.yaml")
    assert (outcome.tier, outcome.tier_row, outcome.watch_list.automatic_downgrade) == ("2WL", "downgrade_waived", "waived")
    waiver = outcome.watch_list.waiver
    assert waiver is not None and (waiver.eligible, waiver.granted, waiver.number) == (True, True, 1)


# ------------------------------------------------------------------ finding 2: the re-entry limit's placement


def test_the_reentry_limit_keeps_a_country_on_tier_2() -> None:
    """(F) bars a second consecutive (A)(iii) year but, unlike (D)(i), names no (1)(C) placement; the
    country makes significant efforts, so it stays on the (1)(B) list. Old reading: Tier 3, "applied"."""
    outcome = scoring.score(SYNTHETIC / "reentry-limit-2019.yaml")
    assert (outcome.tier, outcome.tier_row, outcome.watch_list.automatic_downgrade) == ("2", "reentry_limit", "not_applicable")


# ------------------------------------------------------------------ finding 4: policy or pattern


def test_policy_or_pattern_also_excludes_tier_1() -> None:
    """Finding 4, kept (docs/law-research.md): 7107(b)(3)(B) makes a policy or pattern proof of failure
    to make significant efforts "in determinations under paragraph (1)(C)"; a government that fails to
    make significant efforts to comply cannot fully comply, so the proof decides Tier 1 too. The
    audit's reading (Tier 1 above the proof) would place a government with a trafficking policy on Tier 1."""
    doc = _doc(SYNTHETIC / "tier1.yaml", report_year=2020, reporting_period={"start": "2019-04-01", "end": "2020-03-31"},
               **{"context.policy_or_pattern_of_trafficking": True})
    assert (scoring.score(doc).tier, scoring.score(doc).tier_row) == ("3", "policy_or_pattern")
    outcome = scoring.score(SYNTHETIC / "policy-or-pattern-2020.yaml")
    assert (outcome.tier, outcome.tier_row) == ("3", "policy_or_pattern")


# ------------------------------------------------------------------ finding 5: special watch list group (ii)


def _tier_2_level(year: int, previous: str) -> scoring.EffortsDocument:
    """Rising efforts, no watch-list criterion: Tier 2 on its own facts."""
    history = [{"report_year": y, "tier": "2"} for y in range(year - 3, year - 1)] + [{"report_year": year - 1, "tier": previous}]
    return _doc(SYNTHETIC / "policy-or-pattern-2020.yaml", report_year=year, reporting_period=None, tier_history=history,
                **{"context.policy_or_pattern_of_trafficking": False, "context.victims_very_significant_or_increasing": False})


def test_an_upgrade_from_tier_3_is_the_tier_2_watch_list_from_2019() -> None:
    """7107(b)(4)(A) (2019): "each country described in paragraph (2)(A)(ii)" is "each country upgraded from
    Tier 3 to Tier 2 Watchlist". Old reading: group (ii) was scrutiny only, the tier stayed 2."""
    assert scoring.score(_tier_2_level(2020, "2")).tier == "2"
    upgraded = scoring.score(_tier_2_level(2020, "3"))
    assert (upgraded.tier, upgraded.tier_row, upgraded.watch_list.special_watch_list) == ("2WL", "watch_list", True)
    # Before 2019 the statute had no such equation (and some 2004-2009 upgrades went straight to Tier 2).
    assert scoring.score(_tier_2_level(2016, "3")).tier == "2"


# ------------------------------------------------------------------ finding 6: the headline's year count


def test_the_headline_gives_both_counts_where_they_differ() -> None:
    """Russia 2011: its "eighth consecutive year" on the watch list, the third counted toward the downgrade
    (from 2009). Old reading: "3rd consecutive year"."""
    history = [{"report_year": 2003, "tier": "2"}] + [{"report_year": y, "tier": "2WL"} for y in range(2004, 2011)]
    doc = _doc(SYNTHETIC / "second-waiver-2011-2018.yaml", report_year=2011, tier_history=history)
    outcome = scoring.score(doc)
    assert (outcome.watch_list.consecutive_years, outcome.watch_list.counted_years) == (8, 3)
    assert headline(outcome).startswith("Outcome: Tier 2 Watch List — 8th consecutive year (3rd counted toward the "
                                        "automatic downgrade); automatic downgrade waived (waiver granted, 1 of 2)")


# ------------------------------------------------------------------ issue 13 item 3: prevention efforts


@pytest.mark.parametrize(("ruleset_id", "year", "fact", "value"), [
    ("tvpa-2009", 2010, "prevention.demand_reduction", True),
    ("tvpa-2013", 2016, "prevention.labor_recruitment_regulated", True),
    ("tvpa-2013", 2016, "prevention.birth_registration", True),
    ("tvpa-2013", 2016, "prevention.peacekeepers_trained", True),
    ("tvpa-2019", 2021, "prevention.forced_child_labor_measures", True),
    ("tvpa-2019", 2021, "prevention.information_sharing", True),
    ("tvpa-2019", 2021, "prevention.deployed_nationals_accountability", True),
])
def test_every_7106b3_measure_is_a_prevention_effort(ruleset_id: str, year: int, fact: str, value: bool) -> None:
    """7106(b)(3) names "measures to prevent": each is a prevention effort of the period. Old reading: only
    awareness, the plan, the coordinating body and migration monitoring counted."""
    nothing_else = {"prevention.action_plan_adopted": False, "prevention.action_plan_funded": False,
                    "prevention.action_plan_implemented": False, "prevention.coordinating_body_active": False,
                    "prevention.awareness_campaigns": 0, "prevention.border_monitoring": False}
    assert _statuses(ruleset_id, {"report_year": year, **nothing_else, fact: value})["prevention_efforts"] == "met"


# ------------------------------------------------------------------ finding 8: clauses of unverified origin

#: (criterion, fact, value that meets it) for the 7106(b) clauses whose enacting act finding 8 asked about.
UNVERIFIED_ORIGIN = [
    ("no_suspended_sentences", "prosecution.sentences_suspended_or_reduced", False),  # (b)(1), 2008?
    ("birth_registration", "prevention.birth_registration", True),  # (b)(3), 2008?
    ("deployed_personnel_trained", "prevention.peacekeepers_trained", True),  # (b)(3), 2005?
    ("deployed_nationals_accountability", "prevention.deployed_nationals_accountability", True),  # (b)(3)
]


@pytest.mark.parametrize(("criterion", "fact", "value"), UNVERIFIED_ORIGIN)
@pytest.mark.parametrize(("ruleset_id", "year"), [("tvpa-2004", 2007), ("tvpa-2009", 2010), ("tvpa-2011", 2012)])
def test_a_clause_of_unverified_origin_is_not_read_before_2013(
        ruleset_id: str, year: int, criterion: str, fact: str, value: bool) -> None:
    """Kept (finding 8): the act that added each clause is not verified (docs/law-research.md §10), so it is
    read from the first text verified to hold it (the 2014 Code, encoded from 2013) and never earlier: a
    2006-2012 report stating the fact is not scored on it. Moving a clause needs its act verified first."""
    assert criterion not in _statuses(ruleset_id, {"report_year": year, fact: value})


@pytest.mark.parametrize(("criterion", "fact", "value"), UNVERIFIED_ORIGIN)
def test_a_clause_of_unverified_origin_reads_its_fact_from_2013_and_unknown_stays_unknown(
        criterion: str, fact: str, value: bool) -> None:
    """From 2013 the clause reads its fact with the statute's polarity, and a report silent on it leaves the
    criterion unknown, never unmet (an indicium "considered", docs/rubric.md)."""
    assert _statuses("tvpa-2013", {"report_year": 2016, fact: value})[criterion] == "met"
    assert _statuses("tvpa-2013", {"report_year": 2016})[criterion] == "unknown"


def test_demand_reduction_is_read_from_2009_only() -> None:
    """Kept (finding 8): the separate demand-reduction standard is TVPRA 2008 §106 (2009 report); no
    verified text puts a demand measure into 7106(b)(3) from 2006, and the 2014 and current (b)(3) hold none."""
    assert "demand_reduction" not in _statuses("tvpa-2004", {"report_year": 2007, "prevention.demand_reduction": True})
    assert _statuses("tvpa-2009", {"report_year": 2009, "prevention.demand_reduction": True})["demand_reduction"] == "met"
    assert _statuses("tvpa-2009", {"report_year": 2009})["demand_reduction"] == "unknown"


# ------------------------------------------------------------------ finding 11: facts the statute requires


def test_unaddressed_public_allegations_are_inaction() -> None:
    """7106(b)(7): failure to appropriately address public allegations "shall be considered inaction"."""
    facts = {"report_year": 2016, **ENFORCEMENT, "prosecution.law_enforcement_data_provided": True, "coded.prosecution": True}
    assert _statuses("tvpa-2013", facts)["complicit_officials_addressed"] == "met"
    shown = {**facts, "prosecution.public_allegations_unaddressed": True}
    assert _statuses("tvpa-2013", shown)["complicit_officials_addressed"] == "unmet"


def test_deployed_nationals_prosecuted_count_as_complicity_cases() -> None:
    """7106(b)(7): "including nationals of the country who are deployed abroad as part of a diplomatic,
    peacekeeping, or other similar mission"."""
    facts = {"report_year": 2021, "prosecution.complicit_deployed_nationals_prosecuted": 3,
             "prosecution.complicit_deployed_nationals_prosecuted.at_least": 3,
             "prosecution.official_complicity_reported": True, "prosecution.law_enforcement_data_provided": True,
             "coded.prosecution": True}
    statuses = _statuses("tvpa-2019", facts)
    assert statuses["complicity_cases"] == "met" and statuses["complicit_officials_addressed"] == "met"
