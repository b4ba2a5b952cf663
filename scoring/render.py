"""Stage 6: render an ``Outcome`` as a terminal tree, Markdown or JSON.

All renderers live here. Text uses rich: colour only on a terminal, and
``NO_COLOR`` is respected (rich does both); lines are never wrapped, so the
output is the same whatever the terminal width.
"""

from __future__ import annotations

import io
import json

from scoring.outcome import ExplanationNode, Outcome

TIER_NAMES = {"1": "Tier 1", "2": "Tier 2", "2WL": "Tier 2 Watch List", "3": "Tier 3", "special": "Special case (no tier)"}
STATUS_STYLE = {"met": "green", "unmet": "red", "unknown": "yellow"}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def headline(outcome: Outcome) -> str:
    """One line: the tier and what the watch-list mechanics did."""
    if outcome.tier is None:
        return "Outcome: undetermined — " + _undecided(outcome) + _open_waiver(outcome)
    text = f"Outcome: {TIER_NAMES[outcome.tier]}"
    wl = outcome.watch_list
    extras = []
    if outcome.tier == "2WL" and wl.consecutive_years:
        extras.append(_years(wl.consecutive_years, wl.counted_years))
    if wl.automatic_downgrade == "waived" and wl.waiver:
        number = f", {wl.waiver.number} of {wl.waiver.cap}" if wl.waiver.number and wl.waiver.cap else ""
        extras.append(f"automatic downgrade waived (waiver granted{number})")
    elif wl.automatic_downgrade == "applied":
        refused = wl.waiver is not None and wl.waiver.eligible is True and wl.waiver.granted is False
        extras.append("automatic downgrade to Tier 3 applied" + (" (eligible for a waiver, not granted)" if refused else ""))
    if wl.special_watch_list:
        extras.append("on the Special Watch List")
    return text + (" — " + "; ".join(extras) if extras else "")


def _years(consecutive: int, counted: int | None) -> str:
    """The report's own count, and the downgrade's count where it differs (Russia 2011: 8th, 3rd counted)."""
    if counted is None or counted == consecutive:
        return f"{ordinal(consecutive)} consecutive year"
    return f"{ordinal(consecutive)} consecutive year ({ordinal(counted)} counted toward the automatic downgrade)"


def _open_waiver(outcome: Outcome) -> str:
    """Where only the grant is open: eligibility is decided by the rules, the grant is not recorded."""
    waiver = outcome.watch_list.waiver
    if waiver is None or waiver.granted is not None or waiver.eligible is False:
        return ""
    number = f", waiver {waiver.number} of {waiver.cap}" if waiver.number and waiver.cap else ""
    state = "eligible for a waiver" if waiver.eligible else "waiver eligibility unknown"
    return (f" (Tier 2 Watch List if a waiver is granted, else Tier 3 by the automatic downgrade; "
            f"{state}{number}; the document does not record the grant)")


def _undecided(outcome: Outcome) -> str:
    """Which step of the tier table could not be assessed, and on what."""
    stuck = [row for row in outcome.explanation.children if row.status == "unknown"]
    if not stuck:
        return "no row of the tier table applies (see below)"
    unknown = [child.title for child in stuck[-1].children if child.status == "unknown"]
    return f"row {stuck[-1].id} could not be assessed" + (f": {'; '.join(unknown)} unknown" if unknown else "")


def title_line(outcome: Outcome) -> str:
    rs = outcome.ruleset
    return (f"{outcome.country} · {outcome.report_year} TIP Report · ruleset {rs.id} v{rs.version} "
            f"(report years {rs.report_years}) · engine {outcome.engine}")


def _label(node: ExplanationNode) -> str:
    status = node.status.upper() if node.status in STATUS_STYLE else node.status
    cite = f"  [{node.citation.section}]" if node.citation else ""
    detail = f" — {node.detail}" if node.detail else ""
    if node.kind == "row":
        return f"row {node.id}: {status}{detail}{cite}"
    return f"{node.title}: {status}{detail}{cite}"


def _quote(node: ExplanationNode) -> list[str]:
    return [f'“{e.quote}” ({e.source})' for e in node.evidence[:1]]


def text(outcome: Outcome) -> str:
    """The terminal form: a tree from the tier table down to criteria and evidence."""
    from rich.console import Console
    from rich.markup import escape
    from rich.tree import Tree

    def add(tree: Tree, node: ExplanationNode) -> None:
        style = STATUS_STYLE.get(node.status, "")
        label = escape(_label(node))
        branch = tree.add(f"[{style}]{label}[/]" if style else label)
        for quote in _quote(node):
            branch.add(f"[dim]{escape(quote)}[/]")
        for child in node.children:
            add(branch, child)

    root = Tree(escape(f"{outcome.explanation.title} [{outcome.explanation.citation.section}]"
                       if outcome.explanation.citation else outcome.explanation.title))
    for child in outcome.explanation.children:
        add(root, child)
    buffer = io.StringIO()
    colour = _colour()
    console = Console(file=buffer, soft_wrap=True, force_terminal=colour, no_color=not colour, highlight=False,
                      width=None if colour else 100_000)
    console.print(escape(title_line(outcome)))
    console.print(f"[bold]{escape(headline(outcome))}[/]")
    console.print(root)
    console.print(escape("Scores: " + _scores(outcome)))
    console.print(escape("Not assessable (unknown): " + (", ".join(outcome.not_assessable) or "none")))
    return buffer.getvalue()


def _colour() -> bool:
    """Colour and styles only on a terminal, never with NO_COLOR (https://no-color.org)."""
    import os
    import sys

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _scores(outcome: Outcome) -> str:
    parts = []
    for pillar, s in outcome.scores.items():
        if s.score is None:
            continue
        extra = f" (up to {s.max_score}%)" if s.max_score != s.score else ""
        parts.append(f"{pillar} {s.score}%{extra}")
    return " · ".join(parts)


def markdown(outcome: Outcome) -> str:
    """Ready to paste into a report."""
    lines = [f"## {outcome.country} — {outcome.report_year} TIP Report", "", f"**{headline(outcome).removeprefix('Outcome: ')}**", "",
             f"_{title_line(outcome)}_", "", "### Why", ""]

    def walk(node: ExplanationNode, depth: int) -> None:
        lines.append(f"{'  ' * depth}- {_label(node)}")
        for quote in _quote(node):
            lines.append(f"{'  ' * (depth + 1)}- > {quote}")
        for child in node.children:
            walk(child, depth + 1)

    for child in outcome.explanation.children:
        walk(child, 0)
    lines += ["", "### Criteria", "", "| criterion | status | citation | values |", "|---|---|---|---|"]
    for c in outcome.criteria:
        lines.append(f"| {c.title} | {c.status} | {c.citation.section} | {c.explanation.replace('|', '/')} |")
    lines += ["", f"Scores: {_scores(outcome)}", "",
              f"Not assessable (unknown): {', '.join(outcome.not_assessable) or 'none'}", ""]
    return "\n".join(lines)


def as_json(outcome: Outcome) -> str:
    """The typed outcome; byte-identical for the same input and ruleset."""
    return json.dumps(outcome.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def render(outcome: Outcome, fmt: str) -> str:
    return {"text": text, "markdown": markdown, "json": as_json}[fmt](outcome)
