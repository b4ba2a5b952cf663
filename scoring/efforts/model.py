"""The efforts document: everything a TIP chapter says about one country-year.

Sections follow the report's own structure (prosecution, protection,
prevention, partnership) and the facts the statute's criteria need
(22 U.S.C. 7106(a)-(b), 7107(b)). Each fact declares its *polarity* — which
value is more anti-trafficking effort — once, here; monotonicity checks and
counterfactuals read it from the model (``x-polarity`` in the JSON Schema).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from scoring.data import country_names
from scoring.efforts.values import (
    CountField,
    Evidence,
    FlagField,
    NumberField,
    Strict,
    TextField,
    count,
    flag,
)
from scoring.efforts.values import Count, Flag, Number, Text  # noqa: F401  (re-exported)

FIRST_REPORT_YEAR = 2001
LAST_REPORT_YEAR = 2100
Tier = Literal["1", "2", "2WL", "3", "special"]


#: ISO 3166-1 alpha-3 country codes (plus XKX, ANT as used in the TIP tier data).
ISO3_CODES: tuple[str, ...] = tuple(sorted(country_names()))
Iso3 = Literal[ISO3_CODES]  # type: ignore[valid-type]


class SourceRef(Strict):
    """A document the evidence quotes come from (a TIP chapter, a memorandum)."""

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    title: str = Field(min_length=1, max_length=500)
    publisher: str | None = Field(default=None, max_length=500)
    date: str | None = Field(default=None, pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")
    url: str | None = Field(default=None, max_length=2000)
    #: where the text lives in this repository or the shared folder, for quote checks
    path: str | None = Field(default=None, max_length=500)


class ReportingPeriod(Strict):
    """The period the report covers (April 1 - March 31 in recent reports)."""

    start: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    end: str = Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class Placement(Strict):
    """A published tier placement in an earlier report."""

    report_year: int = Field(ge=FIRST_REPORT_YEAR, le=LAST_REPORT_YEAR)
    tier: Tier
    #: True if the placement was on the watch list by a waiver of the automatic downgrade
    waiver: bool | None = None
    evidence: list[Evidence] = Field(default_factory=list, max_length=20)


class Law(Strict):
    """The anti-trafficking law (7106(a)(1)-(3))."""

    prohibits_sex_trafficking: FlagField = flag("more", "Sex trafficking is prohibited")
    prohibits_labor_trafficking: FlagField = flag("more", "Labor trafficking is prohibited")
    covers_adults: FlagField = flag("more", "The law covers adult victims")
    covers_children: FlagField = flag("more", "The law covers child victims")
    penalty_min_years: NumberField = Field(default=None, description="Minimum prison term, years", json_schema_extra={"x-polarity": "more"})
    penalty_max_years: NumberField = Field(default=None, description="Maximum prison term, years", json_schema_extra={"x-polarity": "more"})
    penalties_commensurate_with_grave_crimes: FlagField = flag(
        "more", "Penalties commensurate with those for grave crimes such as rape (7106(a)(2))"
    )
    penalties_sufficiently_stringent: FlagField = flag(
        "more", "Penalties sufficiently stringent to deter (7106(a)(3))"
    )
    citation: TextField = Field(default=None, description="The law's name or number", json_schema_extra={"x-polarity": "neutral"})
    enacted_or_amended: FlagField = flag(
        "more", "An anti-trafficking law was passed or amended during the reporting period", "22 U.S.C. 7106(a)(1)"
    )


class Prosecution(Strict):
    """Law enforcement efforts (7106(b)(1), (b)(7))."""

    law: Law = Field(default_factory=Law)
    investigations: CountField = count("more", "Trafficking investigations")
    prosecutions: CountField = count("more", "Trafficking prosecutions")
    convictions: CountField = count("more", "Trafficking convictions")
    offenders_incarcerated: CountField = count("more", "Convicted offenders sentenced to prison")
    sentences_suspended_or_reduced: FlagField = flag("less", "Principal offenders got suspended or significantly reduced sentences")
    official_complicity_reported: FlagField = flag("less", "Officials' complicity in trafficking was reported")
    complicit_officials_investigated: CountField = count("more", "Complicit officials investigated")
    complicit_officials_prosecuted: CountField = count("more", "Complicit officials prosecuted")
    complicit_officials_convicted: CountField = count("more", "Complicit officials convicted")
    complicit_deployed_nationals_prosecuted: CountField = count(
        "more", "Nationals deployed abroad on a diplomatic, peacekeeping or similar mission prosecuted for trafficking or exploiting its victims (7106(b)(7))")
    public_allegations_unaddressed: FlagField = flag(
        "less", "The government failed to appropriately address public allegations against complicit officials, which \"shall be considered inaction\" (7106(b)(7))")
    officials_trained: FlagField = flag("more", "The government trained officials on trafficking")
    specialized_units: FlagField = flag(
        "more", "A specialised anti-trafficking police, prosecution or judicial unit operated", "22 U.S.C. 7106(b)(1)"
    )
    capacity_building: FlagField = flag(
        "more", "Capacity building (equipment, staff, funding, training) for investigators, prosecutors or judges",
        "22 U.S.C. 7106(b)(1)",
    )
    administrative_penalties_instead: FlagField = flag(
        "less", "Administrative penalties (fines, closures, deportation) were used instead of criminal investigation of trafficking",
        "22 U.S.C. 7106(b)(1)",
    )
    law_enforcement_data_provided: FlagField = flag("more", "The government provided investigation/prosecution/conviction/sentence data")
    law_enforcement_data_requested: FlagField = flag(
        "neutral", "The Department of State requested such data (the presumption applies only \"after reasonable requests\", 7106(b)(1), (b)(7))")
    law_enforcement_data_capacity: FlagField = flag("neutral", "The government has the capacity to obtain such data")
    law_enforcement_data_good_faith: FlagField = flag("more", "Some data provided and a good-faith effort to collect it (2004-2005 reports)")


class Protection(Strict):
    """Victim protection (7106(b)(2))."""

    victims_identified: CountField = count("more", "Victims identified")
    victims_referred: CountField = count("more", "Victims referred to care")
    victims_assisted: CountField = count("more", "Victims assisted")
    identification_procedures: FlagField = flag("more", "Systematic victim-identification procedures in use")
    government_services: FlagField = flag("more", "The government itself provided services to victims")
    ngo_funding: FlagField = flag("more", "The government funded NGOs that serve victims")
    victims_encouraged_to_assist: FlagField = flag("more", "Victims encouraged to assist investigations and prosecutions")
    legal_alternatives_to_removal: FlagField = flag("more", "Legal alternatives to removal where victims face retribution or hardship")
    victims_penalized: FlagField = flag("less", "Victims penalized for unlawful acts committed as a direct result of being trafficked")
    child_soldiers_demobilized: CountField = count("more", "Child soldiers demobilized or rehabilitated")
    child_soldiers_detained: FlagField = flag("less", "The government detained child soldiers")
    in_kind_support: FlagField = flag(
        "more", "The government gave in-kind support (premises, staff, supplies) to shelters or victim services",
        "22 U.S.C. 7106(b)(2)",
    )
    shelter_movement_restricted: FlagField = flag(
        "less", "Victims' freedom of movement in shelters was restricted", "22 U.S.C. 7106(b)(2)"
    )


class Prevention(Strict):
    """Prevention (7106(b)(3), (b)(6), (b)(10), (b)(12))."""

    action_plan_adopted: FlagField = flag("more", "A national action plan is adopted")
    action_plan_funded: FlagField = flag("more", "The action plan is funded")
    action_plan_implemented: FlagField = flag("more", "The action plan is being implemented")
    coordinating_body_active: FlagField = flag("more", "The national coordinating body is active")
    awareness_campaigns: CountField = count("more", "Public awareness campaigns conducted or funded by the government")
    labor_recruitment_regulated: FlagField = flag("more", "Foreign labor recruiters are regulated")
    demand_reduction: FlagField = flag("more", "Efforts to reduce demand for commercial sex and forced labor")
    birth_registration: FlagField = flag("more", "Identity and birth registration measures")
    border_monitoring: FlagField = flag("more", "Migration patterns monitored for trafficking (7106(b)(6))")
    diplomats_trained: FlagField = flag("more", "Diplomatic personnel trained")
    peacekeepers_trained: FlagField = flag("more", "Peacekeepers trained before deployment")
    monitors_own_efforts: FlagField = flag("more", "The government monitors its efforts and publishes assessments (7106(b)(10))")
    forced_child_labor_measures: FlagField = flag("more", "Measures to prevent the use of forced labor or child labor in violation of international standards (7106(b)(3))")
    information_sharing: FlagField = flag("more", "Bilateral, multilateral or regional information-sharing and cooperation arrangements with other countries (7106(b)(3))")
    deployed_nationals_accountability: FlagField = flag(
        "more", "A transparent system for remediating or punishing officials deployed abroad who traffic, as a deterrent (7106(b)(3))")


class Partnership(Strict):
    """Cooperation and partnerships (7106(b)(4), (b)(5), (b)(9))."""

    international_cooperation: FlagField = flag("more", "Cooperation with other governments on investigations and prosecutions")
    agreements_signed: CountField = count("more", "Bilateral or regional anti-trafficking agreements signed")
    extradition: FlagField = flag("more", "Extradites traffickers on the terms used for other serious crimes")
    civil_society_partnerships: FlagField = flag("more", "Partnerships with civil society, IOs or the private sector with measurable outcomes")


class Context(Strict):
    """Findings the tier rules of 7107(b) need beyond the efforts themselves."""

    victims_very_significant_or_increasing: FlagField = flag("neutral", "The (estimated/absolute) number of victims is very significant or significantly increasing")
    proportional_concrete_actions: FlagField = flag(
        "more", "The country is taking concrete actions proportional to the estimated number of victims (2019+)",
        "22 U.S.C. 7107(b)(2)(A)(iii)(I)",
    )
    policy_or_pattern_of_trafficking: FlagField = flag("less", "A government policy or pattern of trafficking (7107(b)(3)(B), 2019+)")
    significant_efforts_based_on_commitments: FlagField = flag("less", "Significant efforts rest on commitments to future steps (pre-2019 watch-list criterion III)")
    non_citizen_victims_insignificant: FlagField = flag("neutral", "The share of victims who are non-citizens is insignificant (7106(b)(8))")


class WaiverConditions(Strict):
    """The three conditions of a waiver of the automatic downgrade (7107(b)(2)(D)(ii)), and the grant.

    The conditions make a country eligible; the grant is the President's determination ("may
    waive", delegated to the Secretary in 2010), made outside the assessment and recorded by the
    report or a memorandum of justification (7107(b)(2)(E)). Like a past placement, it is a fact a
    document may hold, with its evidence; the rules never infer it from the conditions.
    """

    written_plan: FlagField = flag("more", "A written plan to begin making significant efforts")
    plan_would_constitute_significant_efforts: FlagField = flag("more", "The plan, if implemented, would constitute significant efforts")
    sufficient_resources: FlagField = flag("more", "Sufficient resources are devoted to implementing the plan")
    granted: FlagField = flag("more", "The report records the waiver of the automatic downgrade as granted (true) or refused (false) (7107(b)(2)(D)(ii))")


#: Parts of a source an analyst can declare coded. ``whole_chapter`` is every part of the
#: chapter (the default when nothing is declared). ``introduction``: the chapter's opening
#: (tier header and the paragraph summarising the efforts and the reason for the tier; in
#: 2004-2009 chapters the assessment paragraph). ``profile``: the trafficking profile (the
#: opening paragraphs before 2010, a closing section later). ``summary``: a summary of the
#: chapter by someone else (e.g. the CIA World Factbook) with its outcome wording masked: its
#: silence shows nothing. ``waiver_memorandum``: the waiver determination and its justification.
Part = Literal["whole_chapter", "introduction", "profile", "recommendations", "prosecution", "protection",
               "prevention", "summary", "waiver_memorandum"]
#: The parts ``whole_chapter`` stands for.
WHOLE_CHAPTER_PARTS: tuple[str, ...] = ("introduction", "profile", "recommendations", "prosecution", "protection",
                                        "prevention")
Pillar = Literal["prosecution", "protection", "prevention", "partnership"]


class Action(Strict):
    """A concrete action the model has no field for, with its pillar and polarity.

    Counted toward "concrete actions in the pillar" (7107(b)(3)(A)) when its polarity is
    ``more``; a ``less`` action (e.g. deporting victims) is shown but never counted.
    """

    pillar: Pillar
    polarity: Literal["more", "less"]
    description: str = Field(min_length=1, max_length=500)
    #: the statute clause the action relates to, e.g. "22 U.S.C. 7106(b)(3)"
    citation: str | None = Field(default=None, max_length=200)
    evidence: list[Evidence] = Field(default_factory=list, max_length=20)
    note: str | None = Field(default=None, max_length=2000)


class EffortsDocument(Strict):
    """One country-year of extracted government efforts.

    Every effort fact is an action recorded for the report's reporting period (``reporting_period``;
    since 2019 the statute's "April 1 of the year preceding the report and March 31"): the Tier 1 and
    Tier 2 lists are "based only on concrete actions taken by the country that are recorded during the
    reporting period" (7107(b)(1)(A)-(B), P.L. 115-427), so an action outside it, or a promise, is not
    coded as an effort. ``entity`` records a non-country entity the report assesses as a country; the
    standards do not differ for it, so no rule reads it.
    """

    #: format version of the efforts document
    schema_version: Annotated[int, Field(ge=1, le=1)] = 1
    country: str = Field(min_length=1, max_length=200)
    iso3: Iso3  # type: ignore[valid-type]
    report_year: int = Field(ge=FIRST_REPORT_YEAR, le=LAST_REPORT_YEAR)
    reporting_period: ReportingPeriod | None = None
    entity: Literal["country", "non_country_entity"] = "country"
    special_case: FlagField = flag("neutral", "The report treats the country as a special case (no tier)")
    sources: list[SourceRef] = Field(default_factory=list, max_length=50)
    #: the parts of the source that were coded; null (the default) means the whole chapter
    coded: list[Part] | None = Field(default=None, min_length=1, max_length=10)
    tier_history: list[Placement] | None = Field(default=None, max_length=200)
    prosecution: Prosecution = Field(default_factory=Prosecution)
    protection: Protection = Field(default_factory=Protection)
    prevention: Prevention = Field(default_factory=Prevention)
    partnership: Partnership = Field(default_factory=Partnership)
    context: Context = Field(default_factory=Context)
    waiver: WaiverConditions = Field(default_factory=WaiverConditions)
    #: concrete actions of the period the fields above do not name
    other_actions: list[Action] = Field(default_factory=list, max_length=100)

    def coded_parts(self) -> tuple[str, ...]:
        """The parts whose silence counts as "not shown" (every part of the chapter by default)."""
        parts = self.coded if self.coded is not None else ["whole_chapter"]
        out: dict[str, None] = {}
        for part in parts:
            for one in WHOLE_CHAPTER_PARTS if part == "whole_chapter" else (part,):
                out[one] = None
        return tuple(out)

    @field_validator("tier_history")
    @classmethod
    def _history_before_report_year(cls, history: list[Placement] | None, info: ValidationInfo) -> list[Placement] | None:
        """Only earlier reports are history: the year being scored must never be read."""
        year = info.data.get("report_year")
        seen: set[int] = set()
        for i, placement in enumerate(history or []):
            if year is not None and placement.report_year >= year:
                raise ValueError(f"[{i}]: report year {placement.report_year} is not before {year}")
            if placement.report_year in seen:
                raise ValueError(f"[{i}]: report year {placement.report_year} appears twice")
            seen.add(placement.report_year)
        return history
