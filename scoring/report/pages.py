"""Render report view data to one self-contained HTML page with Jinja2.

Auto-escaping is on for every template, so user text (quotes, notes, names)
always shows as text; the stylesheet is inlined and the page loads nothing
from the network (its Content-Security-Policy forbids it).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from scoring.outcome import Outcome
from scoring.render import TIER_NAMES
from scoring.report.change import Change
from scoring.report.views import PILLARS, STATUS_MARKS, STATUS_WORDS, TIER_ORDER, timeline, year_view

TIER_SHORT = {"1": "Tier 1", "2": "Tier 2", "2WL": "Watch List", "3": "Tier 3", "special": "Special case"}
HISTORY_LABELS = {
    "history.previous_tier": "Previous report's tier",
    "history.consecutive_watch_list_years": "Consecutive counted watch-list years before this report",
    "history.waivers_used": "Waivers already used in this watch-list run",
    "history.reentry_limited": "Re-entry limit applies (7107(b)(2)(F))",
}
SERIES_COLOURS = ("#0969da", "#8250df", "#bf3989", "#9a6700", "#1f2328")


@cache
def _environment():  # type: ignore[no-untyped-def]
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(loader=PackageLoader("scoring.report", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(tier_short=TIER_SHORT, history_labels=HISTORY_LABELS, marks=STATUS_MARKS, words=STATUS_WORDS, tier_names=TIER_NAMES, version=_version(),
                       css=resources.files("scoring.report").joinpath("templates/style.css").read_text("utf-8"))
    return env


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tipscore")
    except PackageNotFoundError:
        return "unknown"


def _render(template: str, **values: Any) -> str:
    return _environment().get_template(template).render(**values)


def country_year(outcome: Outcome) -> str:
    """One country-year: headline, history, pillar bars, the tier path and every criterion."""
    return _render("country_year.html.j2", view=year_view(outcome),
                   title=f"{outcome.country} — {outcome.report_year} TIP Report")


def series(outcomes: list[Outcome], reasons: dict[int, str] | None = None) -> str:
    """Several years of one country: a timeline (with the reason for each year), then each year's own section."""
    ordered = sorted(outcomes, key=lambda o: o.report_year)
    first, last = ordered[0].report_year, ordered[-1].report_year
    return _render("series.html.j2", views=[year_view(o) for o in ordered], points=timeline(ordered),
                   pillars=PILLARS, colours=SERIES_COLOURS, tier_order=TIER_ORDER, reasons=reasons or {},
                   title=f"{ordered[0].country} — TIP Reports {first}–{last}")


def ruleset_change(change: Change) -> str:
    """The transition table and each changed document's deciding rows and changed statuses."""
    return _render("change.html.j2", change=change, title=f"Impact of {change.new} over {change.old}")
