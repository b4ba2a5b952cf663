"""View data for the HTML report: what each part of the page shows, from typed outcomes.

Kept apart from the templates so the page does no arithmetic: bar widths,
timeline positions and labels are decided here, from values the outcome already
holds (scores, their unknown range, tiers, watch-list counts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scoring.outcome import ExplanationNode, Outcome
from scoring.render import TIER_NAMES, headline, title_line

PILLARS = ("prosecution", "protection", "prevention", "partnership", "overall")
STATUS_WORDS = {"met": "met", "unmet": "not met", "unknown": "unknown"}
STATUS_MARKS = {"met": "✓", "unmet": "✗", "unknown": "?"}
#: vertical order of tiers in the series timeline, best first
TIER_ORDER = ("1", "2", "2WL", "3", "special")


@dataclass(frozen=True)
class Bar:
    """One pillar score: the part met and the part that would be met if every unknown were."""

    pillar: str
    score: int | None
    max_score: int | None
    known_share: int | None
    met_weight: int
    unknown_weight: int
    total_weight: int

    @property
    def label(self) -> str:
        if self.score is None:
            return "no criteria"
        extra = f" (up to {self.max_score}% if every unknown were met)" if self.max_score != self.score else ""
        return f"{self.score}% met{extra}; {self.known_share}% of the weight known"


@dataclass(frozen=True)
class YearView:
    """Everything the page shows for one country-year."""

    anchor: str
    outcome: Outcome
    headline: str
    title_line: str
    tier_name: str
    bars: list[Bar]
    tree: list[ExplanationNode]
    history_note: str

    @property
    def criteria(self):  # type: ignore[no-untyped-def]
        return self.outcome.criteria


@dataclass(frozen=True)
class TimelinePoint:
    """One year on the series timeline."""

    year: int
    anchor: str
    tier: str | None
    tier_name: str
    row: int | None  #: index in TIER_ORDER, None when undetermined
    watch_list_years: int | None
    downgrade: str | None
    waiver: str | None
    scores: dict[str, int | None] = field(default_factory=dict)


def year_view(outcome: Outcome) -> YearView:
    anchor = f"{outcome.iso3.lower()}-{outcome.report_year}"
    bars = [Bar(p, s.score, s.max_score, s.known_share, s.met_weight, s.unknown_weight, s.total_weight)
            for p in PILLARS if (s := outcome.scores.get(p)) is not None]
    source = {"document": "the document", "dataset": "tipscore's shipped placement data", "file": "a --history file",
              "none": "no history"}[outcome.history.source]
    return YearView(anchor, outcome, headline(outcome).removeprefix("Outcome: "), title_line(outcome),
                    TIER_NAMES.get(outcome.tier or "", "Undetermined"), bars, list(outcome.explanation.children),
                    f"Placements read from {source}.")


def waiver_label(outcome: Outcome) -> str | None:
    waiver = outcome.watch_list.waiver
    if outcome.watch_list.automatic_downgrade != "waived" or waiver is None:
        return None
    if waiver.number and waiver.cap:
        return f"waiver {waiver.number} of {waiver.cap}"
    return "waiver"


def timeline(outcomes: list[Outcome]) -> list[TimelinePoint]:
    points = []
    for outcome in outcomes:
        tier = outcome.tier
        points.append(TimelinePoint(
            outcome.report_year, f"{outcome.iso3.lower()}-{outcome.report_year}", tier,
            TIER_NAMES.get(tier or "", "Undetermined"), TIER_ORDER.index(tier) if tier in TIER_ORDER else None,
            outcome.watch_list.consecutive_years if tier == "2WL" else None,
            outcome.watch_list.automatic_downgrade, waiver_label(outcome),
            {p: s.score for p in PILLARS if (s := outcome.scores.get(p)) is not None}))
    return points
