"""Stage 6: render an ``Outcome`` as a terminal tree, Markdown or JSON.

All renderers live here. Text uses rich: colour only on a terminal, and
``NO_COLOR`` is respected (rich does both); lines are never wrapped, so the
output is the same whatever the terminal width.
"""

from __future__ import annotations

import io
import re

from scoring.outcome import ExplanationNode, Outcome

TIER_NAMES = {"1": "Tier 1", "2": "Tier 2", "2WL": "Tier 2 Watch List", "3": "Tier 3", "special": "Special case (no tier)"}
STATUS_STYLE = {"met": "green", "unmet": "red", "unknown": "yellow"}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


#: Words for the variants of a possible outcome (the watch-list mechanics).
VARIANTS = {"applied": "automatic downgrade", "waived": "downgrade waived"}
#: How many unknown facts a headline names before "and N more".
HEADLINE_FACTS = 6


def outcome_name(tier: str, downgrade: str | None) -> str:
    """``Tier 3 (automatic downgrade)``, ``Tier 2 Watch List (downgrade waived)``, ``Tier 2``."""
    variant = VARIANTS.get(downgrade or "")
    return TIER_NAMES[tier] + (f" ({variant})" if variant else "")


def possible_line(outcome: Outcome) -> str:
    """``Tier 3 or Tier 2 Watch List — decided by: significant efforts; unknown: ...``."""
    names = list(dict.fromkeys(outcome_name(o.tier, o.downgrade) for o in outcome.possible_outcomes))
    either = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    deciding = list(dict.fromkeys(ref for q in outcome.open_questions for ref in q.decided_by))
    # facts shared by more open questions first: learning them settles more
    every = [f for q in outcome.open_questions for f in q.facts]
    facts = [fact_label(f) for f in sorted(dict.fromkeys(every), key=lambda f: -every.count(f))]
    text = either
    if deciding:
        text += " — decided by: " + ", ".join(ref.replace("_", " ") for ref in deciding)
    if facts:
        shown = ", ".join(facts[:HEADLINE_FACTS])
        more = f" and {len(facts) - HEADLINE_FACTS} more" if len(facts) > HEADLINE_FACTS else ""
        text += f"; unknown: {shown}{more}"
    return text


def headline(outcome: Outcome) -> str:
    """One line: the tier and what the watch-list mechanics did, or the outcomes still possible."""
    if outcome.tier is None:
        return "Outcome: " + (possible_line(outcome) if outcome.possible_outcomes
                              else "undetermined — " + _undecided(outcome)) + _open_waiver(outcome)
    if len(outcome.possible_outcomes) > 1:
        return f"Outcome: {TIER_NAMES[outcome.tier]} (tier determined) — as " + possible_line(outcome)
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
    return f" ({state}{number}; the document does not record the grant)"


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
    if not _colour() and (plain := _plain_text(outcome)) is not None:
        return plain
    return _rich_text(outcome)


def _rich_text(outcome: Outcome) -> str:
    """With colour (a terminal) or unusual characters: rich lays the tree out."""
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
    for line in [*possible_section(outcome), *history_lines(outcome)]:
        console.print(escape(line))
    console.print(escape("Scores: " + _scores(outcome)))
    missing = _not_assessable(outcome)
    console.print(escape(f"Not assessable (unknown): {len(missing) or 'none'}" + (" — the report does not give:" if missing else "")))
    for line in missing:
        console.print(escape(f"  - {line}"))
    return buffer.getvalue()


#: rich's tree guides (not a terminal, UTF-8): (last child, other children) for the label and below it.
_GUIDES = (("└── ", "    "), ("├── ", "│   "))
#: Text the plain renderer can print as rich would: no control characters, no rich emoji code
#: (``:name:``), no backslash (markup escapes), no leading/trailing spaces, no line a console could wrap.
_PLAIN = re.compile(r"[^\x00-\x1f\x7f\\]*\Z")
_EMOJI = re.compile(r":\S*?:")


def _plain_text(outcome: Outcome) -> str | None:
    """The text form without rich's layout engine (a tree of one-line labels needs none).

    Byte-identical to rich's output without colour (tested); None when some text holds characters
    rich would transform (then rich renders it), so the output never depends on which path ran.
    """
    lines: list[str] = []

    def add(node: ExplanationNode, lead: str, last: bool) -> bool:
        label, quotes = _label(node), _quote(node)
        if not all(_printable(t) for t in (label, *quotes)):
            return False
        lines.append(lead + _GUIDES[not last][0] + label)
        below = lead + _GUIDES[not last][1]
        items: list[ExplanationNode | str] = [*quotes, *node.children]
        for i, item in enumerate(items):
            if isinstance(item, str):
                lines.append(below + _GUIDES[i < len(items) - 1][0] + item)
            elif not add(item, below, i == len(items) - 1):
                return False
        return True

    root = outcome.explanation
    title = f"{root.title} [{root.citation.section}]" if root.citation else root.title
    head = [title_line(outcome), headline(outcome), title]
    missing = _not_assessable(outcome)
    tail = [*possible_section(outcome), *history_lines(outcome), "Scores: " + _scores(outcome),
            f"Not assessable (unknown): {len(missing) or 'none'}" + (" — the report does not give:" if missing else ""),
            *(f"  - {line}" for line in missing)]
    if not all(_printable(t.lstrip(" ")) for t in (*head, *tail)):  # rich keeps leading spaces
        return None
    lines += head
    for i, child in enumerate(root.children):
        if not add(child, "", i == len(root.children) - 1):
            return None
    return "\n".join(lines + tail) + "\n"


def _printable(text: str) -> bool:
    return (len(text) < 10_000 and text == text.strip(" ") and _PLAIN.match(text) is not None
            and _EMOJI.search(text) is None)


def fact_label(path: str) -> str:
    """A fact for people: ``coded.prosecution`` is "prosecution not coded"."""
    if path.startswith("coded."):
        return path.removeprefix("coded.").replace("_", " ") + " not coded"
    return path


def possible_section(outcome: Outcome, markdown: bool = False) -> list[str]:
    """The outcomes still possible and, per open question, what would decide it (nothing when decided)."""
    if len(outcome.possible_outcomes) <= 1:
        return []
    first, second = ("- ", "  - ") if markdown else ("  ", "    ")
    listed = "; ".join(f"{outcome_name(o.tier, o.downgrade)} (row {', '.join(o.rows)})" for o in outcome.possible_outcomes)
    lines = [listed if markdown else "Possible outcomes: " + listed]
    if markdown:
        lines.append("")
    for q in outcome.open_questions:
        lines.append(f"{first}row {q.row} → {outcome_name(q.tier, q.downgrade)} if it applies; decided by: "
                     + ", ".join(q.decided_by or ["-"]))
        if q.criteria:
            lines.append(f"{second}criteria unknown: " + ", ".join(q.criteria))
        if q.facts:
            lines.append(f"{second}facts unknown: " + ", ".join(fact_label(f) for f in q.facts))
    return lines


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


HISTORY_SOURCES = {
    "document": "the document's tier_history",
    "dataset": "the shipped dataset of published placements (scoring/data/tier-history.csv)",
    "file": "the --history file",
    "none": "no history (--history none)",
}


def history_lines(outcome: Outcome) -> list[str]:
    """The placements the watch-list and downgrade rules read, where they came from, and what they establish."""
    h = outcome.history
    placements = " · ".join(f"{p.report_year} {p.tier}" + (" (waiver)" if p.waiver else "") for p in h.placements)
    lines = [f"History read: {placements or 'no earlier placement'} — from {HISTORY_SOURCES[h.source]}"]
    facts = h.facts
    told = []
    if "history.previous_tier" in facts:
        told.append(f"previous tier {facts['history.previous_tier']}")
    else:
        told.append(f"previous tier unknown (no placement for {outcome.report_year - 1})")
    exact, least = facts.get("history.consecutive_watch_list_years"), facts.get("history.consecutive_watch_list_years_at_least")
    if isinstance(exact, int):
        told.append(f"consecutive counted watch-list years before this report: {exact}")
    elif isinstance(least, int):
        told.append(f"consecutive counted watch-list years: at least {least} (certain; the history does not show "
                    f"when the run began, so the exact count is unknown)")
    if "history.waivers_used" in facts:
        told.append(f"waivers already used in this run: {facts['history.waivers_used']}")
    if facts.get("history.reentry_limited") is True:
        told.append("already back on the watch list for the one year 7107(b)(2)(F) allows after Tier 3")
    lines.append("History establishes: " + "; ".join(told))
    return lines


def to_fill(outcome: Outcome) -> list[tuple[str, list[str]]]:
    """Per criterion that could not be assessed: the input fields whose absence left it unknown, with titles."""
    from scoring.efforts.facts import catalog

    specs = catalog()
    out = []
    by_id = {c.id: c for c in outcome.criteria}
    for cid in outcome.not_assessable:
        fields: dict[str, None] = {}
        for path in by_id[cid].open_facts if cid in by_id else ():
            base = path.removesuffix(".change").removesuffix(".previous").removesuffix(".at_least")
            if path.endswith(".at_least"):  # derived from the count itself: that is the field to fill
                path = base
            if base.startswith("history."):
                fields["tier_history (earlier placements)"] = None
            elif path.endswith(".change"):
                fields[f"{base}.previous or .trend ({specs[base].description}: the previous period)"] = None
            elif base in specs:
                suffix = " (previous period)" if path.endswith(".previous") else ""
                fields[f"{path} ({specs[base].description}{suffix})"] = None
        out.append((cid, list(fields)))
    return out


def _not_assessable(outcome: Outcome) -> list[str]:
    return [f"{cid}: fill {'; '.join(fields)}" if fields else f"{cid}: no input field (it depends on other criteria)"
            for cid, fields in to_fill(outcome)]


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
    lines += ["", "### History", ""] + [f"- {line}" for line in history_lines(outcome)]
    lines += ["", "### Criteria", "", "| criterion | status | citation | values |", "|---|---|---|---|"]
    for c in outcome.criteria:
        lines.append(f"| {c.title} | {c.status} | {c.citation.section} | {c.explanation.replace('|', '/')} |")
    section = possible_section(outcome, markdown=True)
    if section:
        lines += ["", "### Possible outcomes", "", *section]
    missing = _not_assessable(outcome)
    lines += ["", f"Scores: {_scores(outcome)}", "",
              f"Not assessable (unknown): {len(missing) or 'none'}" + (" — the report does not give:" if missing else ""), ""]
    lines += [f"- {line}" for line in missing] + ([""] if missing else [])
    return "\n".join(lines)


def as_json(outcome: Outcome) -> str:
    """The typed outcome, citations by reference (scoring.outcome_json); byte-identical for the same input."""
    from scoring.outcome_json import as_json as full_json

    return full_json(outcome)


def render(outcome: Outcome, fmt: str) -> str:
    return {"text": text, "markdown": markdown, "json": as_json}[fmt](outcome)
