"""What would change the outcome: the smallest sets of fact changes that reach a target tier.

A change is one fact moved in the direction of more effort, as the model's
polarity declares it (``x-polarity``): an unknown fact filled with the effortful
answer, or a known one turned (a yes/no fact flipped, a count raised above both
this period's and the previous period's figure, so that it "increased"). Only
facts some rule reads are tried; neutral facts (findings such as the number of
victims) and the history are never changed.

Search: every set of up to ``exact_size`` changes is tried, smallest first, and
supersets of an answer are skipped, so the answers of that size are exactly the
smallest ones. When none is that small, a greedy search adds one change at a
time (the one that helps most) and says that its answer need not be the
smallest. ``worse`` lists the single changes toward less effort that lower the
tier or lose a waiver. Candidate sets are evaluated with the reference
evaluator (tested to agree with durable-rules); answers are re-scored with the
engine before they are returned.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from scoring.efforts.facts import catalog
from scoring.efforts.model import EffortsDocument
from scoring.ruleset import ast
from scoring.ruleset.walk import facts_read

#: Tiers from best to worst; a target is reached by that tier or a better one.
RANK = {"1": 0, "2": 1, "2WL": 2, "3": 3}


@dataclass(frozen=True)
class Change:
    """One fact set to a new value; ``known`` says whether it overrides what the report says."""

    fact: str
    before: Any
    after: Any
    title: str

    @property
    def known(self) -> bool:
        return self.before is not None

    def text(self) -> str:
        was = "unknown" if self.before is None else _word(self.before)
        return f"{self.fact} ({self.title}): {was} → {_word(self.after)}"


@dataclass(frozen=True)
class Answer:
    """A set of changes and what it does to the outcome."""

    changes: tuple[Change, ...]
    tier: str | None
    downgrade: str | None
    flipped: tuple[tuple[str, str, str, str], ...]  #: (id, title, before, after) for statuses that changed
    smallest: bool


@dataclass
class Report:
    """The answers for one document and target, and how far the search went."""

    current: str | None
    target: str
    answers: list[Answer] = field(default_factory=list)
    worse: list[Answer] = field(default_factory=list)
    candidates: int = 0
    tried: int = 0
    exact_size: int = 0
    complete: bool = True  #: False when the exhaustive search stopped at its budget
    found: int = 0  #: answers found (only ``limit`` of them are kept)


def _word(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def read_facts(ruleset: ast.Ruleset) -> set[str]:
    """Fact paths (count paths without ``.change``/``.previous``) some rule of the ruleset reads."""
    out = set()
    for node in (*ruleset.criteria, *ruleset.determinations):
        out.update(p.removesuffix(".change").removesuffix(".previous") for p in facts_read(node.when))
    for table in ruleset.tables:
        for row in table.rows:
            out.update(p.removesuffix(".change").removesuffix(".previous") for p in facts_read(row.when))
    return out


def candidates(facts: dict[str, Any], ruleset: ast.Ruleset, toward: str = "more") -> list[Change]:
    """Single changes toward more (or less) effort, unknown facts first."""
    read = read_facts(ruleset)
    out: list[Change] = []
    for spec in catalog().values():
        if (spec.path not in read and f"{spec.path}.at_least" not in read) or spec.polarity == "neutral" \
                or spec.kind not in ("flag", "count") or spec.path.endswith(".at_least") \
                or spec.path.startswith(("other_actions.", "coded.")):  # listed actions and what was read
            # a count's lower bound follows its number (scoring.efforts.facts): change the number
            continue
        effortful = (spec.polarity == "more") == (toward == "more")
        now = facts.get(spec.path)
        if spec.kind == "flag":
            target = effortful
            if now != target and (toward == "more" or now is not None):
                out.append(Change(spec.path, now, target, spec.description))
        elif toward == "more":
            previous = facts.get(f"{spec.path}.previous")
            raised = max(now or 0, previous or 0) + 1 if spec.polarity == "more" else 0
            if now is None or (spec.polarity == "more" and facts.get(f"{spec.path}.change") != "increased") or (
                    spec.polarity == "less" and now != 0):
                out.append(Change(spec.path, now, raised, spec.description))
        elif now is not None and spec.polarity == "more" and now > 0:
            out.append(Change(spec.path, now, 0, spec.description))
    return sorted(out, key=lambda c: (c.known, c.fact))


def apply(facts: dict[str, Any], changes: tuple[Change, ...]) -> dict[str, Any]:
    """The flat facts with the changes made (a count's change word follows its numbers)."""
    out = dict(facts)
    for c in changes:
        out[c.fact] = c.after
        if isinstance(c.after, int) and not isinstance(c.after, bool):
            out[f"{c.fact}.at_least"] = c.after  # a known number is its own lower bound, as flatten gives it
        previous = out.get(f"{c.fact}.previous")
        if isinstance(c.after, int) and not isinstance(c.after, bool) and previous is not None:
            out[f"{c.fact}.change"] = ("increased" if c.after > previous else
                                       "decreased" if c.after < previous else "unchanged")
    return out


def apply_to_document(document: EffortsDocument, changes: tuple[Change, ...]) -> EffortsDocument:
    """The document with the changes written into it (evidence and notes kept), for re-scoring."""
    data = document.model_dump(mode="python", exclude_none=False)
    for c in changes:
        *parents, name = c.fact.split(".")
        node = data
        for part in parents:
            if node.get(part) is None:  # a section or fact the document leaves out entirely
                node[part] = {}
            node = node[part]
        if isinstance(node.get(name), dict):
            node[name] = {**node[name], "value": c.after}
            if node[name].get("trend") is not None and node[name].get("previous") is not None:
                node[name]["trend"] = None
            elif node[name].get("trend") is not None:
                node[name]["trend"] = "increased" if c.after and c.after > (c.before or 0) else None
        else:
            node[name] = c.after
    return EffortsDocument.model_validate(data)


def _rank(tier: str | None) -> int:
    return RANK.get(tier or "", 99)


class Search:
    """Evaluates candidate sets for one document and ruleset."""

    def __init__(self, document: EffortsDocument, ruleset: ast.Ruleset, history: str) -> None:
        from scoring.api import evaluate, facts_for

        self.document, self.ruleset = document, ruleset
        _, self.facts = facts_for(document, ruleset, history)
        self.evaluate = lambda facts: evaluate(ruleset, facts, "reference")
        self.base = self.evaluate(self.facts)
        self.titles = {c.id: c.title for c in ruleset.criteria} | {d.id: d.title for d in ruleset.determinations}
        self.tried = 0

    def outcome(self, changes: tuple[Change, ...]):  # type: ignore[no-untyped-def]
        self.tried += 1
        return self.evaluate(apply(self.facts, changes))

    @staticmethod
    def tier_of(ev) -> tuple[str | None, str | None]:  # type: ignore[no-untyped-def]
        out = ev.outputs.get("tier", {})
        return out.get("tier"), out.get("downgrade")

    def answer(self, changes: tuple[Change, ...], ev, smallest: bool) -> Answer:  # type: ignore[no-untyped-def]
        flipped = tuple((k, self.titles[k], self.base.statuses[k], v) for k, v in ev.statuses.items()
                        if k in self.titles and v != self.base.statuses.get(k))
        tier, downgrade = self.tier_of(ev)
        return Answer(changes, tier, downgrade, flipped, smallest)


def why_not(document: EffortsDocument, target: str, ruleset: ast.Ruleset | None = None, history: str = "auto",
            exact_size: int = 3, budget: int = 20_000, limit: int = 5) -> Report:
    """The smallest sets of changes toward more effort that reach ``target`` (or better), and what would make it worse."""
    from scoring.api import ruleset_for

    if target not in RANK:
        from scoring.errors import InputError

        raise InputError("--why-not", None, f"expected a tier 1, 2, 2WL or 3, got {target!r}")
    rs = ruleset or ruleset_for(document.report_year)
    search = Search(document, rs, history)
    current, current_downgrade = search.tier_of(search.base)
    report = Report(current, target, exact_size=exact_size)
    pool = candidates(search.facts, rs, "more")
    report.candidates = len(pool)
    reached = lambda ev: _rank(search.tier_of(ev)[0]) <= RANK[target]  # noqa: E731
    found: list[frozenset[str]] = []
    for size in range(1, exact_size + 1):
        for combo in itertools.combinations(pool, size):
            if search.tried >= budget:
                report.complete = False
                break
            keys = frozenset(c.fact for c in combo)
            if any(f <= keys for f in found):
                continue
            ev = search.outcome(combo)
            if reached(ev):
                found.append(keys)
                report.answers.append(search.answer(combo, ev, smallest=True))
        if report.answers or not report.complete:
            break
    if not report.answers:
        greedy = _greedy(search, pool, reached, target)
        if greedy is not None:
            report.answers.append(greedy)
    report.found = len(report.answers)
    report.answers = _confirmed(report.answers[:limit] if len(report.answers) > limit else report.answers, rs, document, history)
    report.worse = _worse(search, rs, current, current_downgrade)
    report.tried = search.tried
    return report


def _greedy(search: Search, pool: list[Change], reached, target: str) -> Answer | None:  # type: ignore[no-untyped-def]
    """Add the change that helps most until the target is reached: an answer, not necessarily the smallest."""
    chosen: tuple[Change, ...] = ()
    left = list(pool)
    while left:
        def progress(c: Change) -> tuple[int, int, int]:
            ev = search.outcome(chosen + (c,))
            tally = ev.tallies.get("overall")
            met = sum(1 for s in ev.statuses.values() if s == "met")
            return (-_rank(search.tier_of(ev)[0]) if reached(ev) else -99, tally.met if tally else 0, met)
        best = max(left, key=progress)
        chosen += (best,)
        left.remove(best)
        ev = search.outcome(chosen)
        if reached(ev):
            for change in list(chosen):  # drop what the target does not need: no change in the answer is redundant
                fewer = tuple(c for c in chosen if c is not change)
                if reached(search.outcome(fewer)):
                    chosen = fewer
            return search.answer(chosen, search.outcome(chosen), smallest=False)
    return None


def _confirmed(answers: list[Answer], ruleset: ast.Ruleset, document: EffortsDocument, history: str) -> list[Answer]:
    """Keep only answers that the engine confirms on the changed document (it always should)."""
    from scoring.api import score

    out = []
    for a in answers:
        outcome = score(apply_to_document(document, a.changes), ruleset, history=history)
        if outcome.tier == a.tier:
            out.append(a)
    return out


def _worse(search: Search, ruleset: ast.Ruleset, current: str | None, downgrade: str | None) -> list[Answer]:
    """Single changes toward less effort that lower the tier or lose a waiver."""
    out = []
    for change in candidates(search.facts, ruleset, "less"):
        ev = search.outcome((change,))
        tier, new_downgrade = search.tier_of(ev)
        if _rank(tier) > _rank(current) or (downgrade == "waived" and new_downgrade != "waived"):
            out.append(search.answer((change,), ev, smallest=True))
    return out


def render(report: Report) -> str:
    """The report as text: each answer with the changes, the tier it reaches and the rows and criteria it flips."""
    from scoring.render import TIER_NAMES

    name = lambda t: TIER_NAMES.get(t or "", "undetermined")  # noqa: E731
    lines = [f"Now: {name(report.current)}. Target: {name(report.target)} or better."]
    if report.current is not None and _rank(report.current) <= RANK[report.target]:
        lines.append("The target is already reached.")
    elif not report.answers:
        lines.append(f"No set of changes toward more effort reaches it (searched {report.tried} sets of "
                     f"{report.candidates} candidate changes).")
    else:
        exact = report.answers[0].smallest
        scope = (f"the smallest sets ({len(report.answers[0].changes)} change(s)); every set of up to "
                 f"{report.exact_size} of the {report.candidates} candidate changes was tried" if exact else
                 f"a set found greedily, NOT necessarily the smallest (but none of its changes can be dropped): no set of "
                 f"up to {report.exact_size} of the {report.candidates} candidate changes reaches the target"
                 + ("" if report.complete else " within the search budget"))
        shown = f" ({len(report.answers)} of {report.found} shown)" if report.found > len(report.answers) else ""
        lines.append(f"What would reach it — {scope}{shown}:")
        for i, answer in enumerate(report.answers, 1):
            lines += _answer_lines(i, answer, name)
    if report.worse:
        lines.append("What would make it worse (one change toward less effort):")
        for i, answer in enumerate(report.worse, 1):
            lines += _answer_lines(i, answer, name)
    lines.append("Changes are facts moved toward more effort by the model's polarity; a change marked "
                 "[overrides the report] contradicts what the document records.")
    return "\n".join(lines) + "\n"


def _answer_lines(i: int, answer: Answer, name) -> list[str]:  # type: ignore[no-untyped-def]
    lines = [f"  {i}. → {name(answer.tier)}" + (f" (downgrade {answer.downgrade})" if answer.downgrade not in (None, "not_applicable") else "")]
    for c in answer.changes:
        lines.append(f"     change {c.text()}" + (" [overrides the report]" if c.known else " [the report does not say]"))
    for _, title, before, after in answer.flipped:
        lines.append(f"     flips {title}: {before.upper()} → {after.upper()}")
    return lines
