"""What the statute itself fixes, year by year: the oracle ``tipscore verify`` checks outcomes against.

A small hand-written table, independent of every ruleset (shipped or not): when
the Tier 2 Watch List exists, from which report watch-list years count, when the
automatic downgrade binds and after how many counted years, the waiver cap per
run, the 2019 re-entry limit, the special watch list groups, "policy or
pattern", the 2019 commitments exclusion and special cases. Each provision
carries its section, its enacting act and a phrase (``evidence``) that appears
verbatim in the legal reference (``../shared/reference/tvpa-legal-framework.md``)
or in ``docs/law-research.md``; ``tests/verify/test_statute.py`` checks both.

Only what the text fixes is here. Judgement calls ("significant efforts",
"increasing efforts") belong to rulesets and are read from them; waiver
*grants* are discretionary ("may waive"), so the table bounds them (the cap,
the three conditions, a grant the report records) and never requires one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.ruleset import ast

#: The last report year the table was checked against (the latest text read: no amendment after 2019).
CHECKED_THROUGH = 2025


@dataclass(frozen=True)
class Provision:
    """One statutory rule and the report years it governs."""

    name: str
    value: int | bool | tuple[str, ...]
    first: int
    last: int | None
    section: str
    enacted_by: str
    evidence: str  #: verbatim in the legal reference or docs/law-research.md
    says: str  #: the rule in plain words, for counterexamples

    def governs(self, year: int) -> bool:
        return self.first <= year and (self.last is None or year <= self.last)


PROVISIONS: tuple[Provision, ...] = (
    Provision("no_significant_efforts_is_tier_3", True, 2001, None, "22 U.S.C. 7107(b)(1)(C)",
              "TVPA 2000, P.L. 106-386 §110(b)(1)(C)",
              "do not fully comply with such standards and are not making significant efforts",
              "a country not making significant efforts goes on the Tier 3 list"),
    Provision("special_case_has_no_tier", True, 2001, None, "22 U.S.C. 7107(b)(1)",
              "TVPA 2000, P.L. 106-386 §110(b)(1) (State Department practice; no statutory list)",
              "get no tier", "a special case gets no tier"),
    Provision("watch_list", True, 2004, None, "22 U.S.C. 7107(b)(2)(A)(iii) ((b)(3) until 2013)",
              "TVPRA 2003, P.L. 108-193 §6", "It exists since the 2004 report (TVPRA 2003)",
              "the Tier 2 Watch List exists from the 2004 report"),
    Provision("special_watch_list_groups", ("i", "ii", "iii"), 2004, None, "22 U.S.C. 7107(b)(2)(A)(i)-(iii)",
              "TVPRA 2003, P.L. 108-193 §6", "Tier 2 now and Tier 3 in the previous report",
              "the special watch list holds (i) Tier 1 now after Tier 2, (ii) Tier 2 now after Tier 3, "
              "(iii) the Tier 2 Watch List"),
    Provision("watch_list_criteria_facts", True, 2004, 2018, "22 U.S.C. 7107(b)(2)(A)(iii)(I), (III)",
              "TVPRA 2003, P.L. 108-193 §6",
              "three alternative criteria, namely many victims, no increasing efforts, or tier based on future commitments",
              "a Tier 2 country with very many victims or with efforts based on commitments is on the watch list"),
    Provision("watch_list_criteria_facts", True, 2019, None, "22 U.S.C. 7107(b)(2)(A)(iii)(I)",
              "TVPRA 2003, P.L. 108-193 §6; amended by P.L. 115-425 §203(1)(A)",
              "and the country is not taking proportional concrete actions",
              "a Tier 2 country with very many estimated victims and no proportional concrete actions is on the watch list"),
    Provision("watch_list_years_count_from", 2009, 2009, None, "22 U.S.C. 7107(b)(2)(D)(i)",
              "TVPRA 2008, P.L. 110-457 §107", "starting with the 2009 TIP Report",
              "watch-list years count toward the downgrade from the 2009 report"),
    Provision("downgrade_after_years", 2, 2011, None, "22 U.S.C. 7107(b)(2)(D)(i)",
              "TVPRA 2008, P.L. 110-457 §107", "for 2 consecutive years after December 23, 2008",
              "after 2 consecutive counted watch-list years a country goes on the Tier 3 list unless waived"),
    Provision("waiver_cap", 2, 2011, 2018, "22 U.S.C. 7107(b)(2)(D)(ii)",
              "TVPRA 2008, P.L. 110-457 §107", "for up to two years",
              "at most 2 waived years in one watch-list run"),
    Provision("waiver_cap", 1, 2019, None, "22 U.S.C. 7107(b)(2)(D)(ii)",
              "TVPRA 2008, P.L. 110-457 §107; amended by P.L. 115-427", "for up to 1 year",
              "at most 1 waived year in one watch-list run"),
    Provision("waiver_is_discretionary", True, 2011, None, "22 U.S.C. 7107(b)(2)(D)(ii)",
              "TVPRA 2008, P.L. 110-457 §107", "may waive",
              "a waiver is the President's determination: only a grant the report records waives the downgrade"),
    Provision("waiver_conditions", True, 2011, None, "22 U.S.C. 7107(b)(2)(D)(ii)(I)-(III)",
              "TVPRA 2008, P.L. 110-457 §107", "is devoting sufficient resources to implement the plan",
              "a waiver needs a written plan, that would constitute significant efforts, with sufficient resources"),
    Provision("reentry_limit", True, 2019, None, "22 U.S.C. 7107(b)(2)(F)",
              "P.L. 115-425 §203(1)(B)",
              "may not be included on the special watch list described in subparagraph (A)(iii) for more than 1 consecutive year",
              "after a watch-list run ended by Tier 3, at most 1 consecutive watch-list year, never waived "
              "(the country then stays on Tier 2: (F) names no Tier 3 placement)"),
    Provision("upgrade_from_tier_3_is_watch_list", True, 2019, None, "22 U.S.C. 7107(b)(4)(A)",
              "P.L. 115-427 (as read in docs/law-research.md, audit finding 5)", "upgraded from Tier 3 to Tier 2 Watchlist",
              "from 2019 a country listed on Tier 3 in the previous report and making significant efforts now is "
              "special watch list group (ii), on the Tier 2 Watch List"),
    Provision("policy_or_pattern_is_tier_3", True, 2019, None, "22 U.S.C. 7107(b)(3)(B)",
              "P.L. 115-425 §203(2)", "shall consider, as proof of failure to make significant efforts",
              "a government policy or pattern of trafficking is proof of failure to make significant efforts (Tier 3)"),
    Provision("commitments_excluded", True, 2019, None, "22 U.S.C. 7107(b)(1)(B)",
              "TVPA 2000, P.L. 106-386 §110(b)(1)(B); amended by P.L. 115-427 §6(1)(C)",
              "(excluding any commitments by the country to take additional future steps during the next year)",
              "from 2019 commitments to future steps never count toward Tier 2"),
)


@dataclass(frozen=True)
class Law:
    """The statute's fixed rules for one report year."""

    year: int
    provisions: dict[str, Provision] = field(default_factory=dict)

    def has(self, name: str) -> bool:
        return name in self.provisions

    def value(self, name: str) -> int | bool | tuple[str, ...] | None:
        p = self.provisions.get(name)
        return None if p is None else p.value

    def cite(self, name: str) -> str:
        p = self.provisions[name]
        return f"{p.section}, {p.enacted_by}: {p.says}"

    @property
    def parameters(self) -> ast.Parameters:
        """The ruleset parameters the statute fixes for this year (history counting uses them)."""
        count_from = self.value("watch_list_years_count_from")
        cap = self.value("waiver_cap")
        return ast.Parameters(watch_list_years_count_from=count_from if isinstance(count_from, int) else None,
                              waiver_cap=cap if isinstance(cap, int) and not isinstance(cap, bool) else None,
                              reentry_limit=bool(self.value("reentry_limit")))


def law_for(year: int) -> Law:
    """The provisions in force for the ``year`` report."""
    return Law(year, {p.name: p for p in PROVISIONS if p.governs(year)})


#: Parameter name -> the provision that fixes it.
PARAMETER_PROVISIONS = {"watch_list_years_count_from": "watch_list_years_count_from",
                        "waiver_cap": "waiver_cap", "reentry_limit": "reentry_limit"}


@dataclass(frozen=True)
class Disagreement:
    parameter: str
    value: object
    expected: object
    years: tuple[int, ...]
    provision: Provision | None


def parameter_disagreements(ruleset: ast.Ruleset) -> list[Disagreement]:
    """Parameters of ``ruleset`` that differ from what the statute fixes for some of its report years."""
    # the table knows nothing of amendments after CHECKED_THROUGH: later report years are not judged
    last = min(ruleset.last_year if ruleset.last_year is not None else CHECKED_THROUGH, CHECKED_THROUGH)
    out = []
    for name, provision_name in PARAMETER_PROVISIONS.items():
        value = getattr(ruleset.parameters, name, None)
        wrong: dict[object, list[int]] = {}
        for year in range(ruleset.first_year, last + 1):
            expected = getattr(law_for(year).parameters, name)
            # only what the statute fixes for that year: a cap or a count start in a year without
            # the downgrade changes no outcome, but a re-entry limit before 2019 would
            if expected != value and (expected not in (None, False) or name == "reentry_limit" and value):
                wrong.setdefault(expected, []).append(year)
        for expected, years in wrong.items():
            governing = [p for p in PROVISIONS if p.name == provision_name and p.governs(years[0])]
            out.append(Disagreement(name, value, expected, tuple(years), governing[0] if governing else None))
    return out


def years_text(years: tuple[int, ...], open_end: bool = False) -> str:
    """``2019``, ``2011-2012``, or ``2019-`` when the range runs on past the table's last checked year."""
    if open_end and years[-1] >= CHECKED_THROUGH:
        return f"{years[0]}-"
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
