"""Stage 5: turn an evaluation into a typed, explained ``Outcome``.

The explanation follows the path the law takes: the tier table's rows in
order, up to the one that applies; each row's determinations; each
determination's criteria with the values they compared, their evidence and
their citation. Nothing here decides anything: statuses come from the engine.
"""

from __future__ import annotations

import re
from typing import Any

from scoring.efforts.facts import WAIVER_CONDITIONS, evidence_for
from scoring.efforts.model import EffortsDocument
from scoring.engine.reference import Evaluation
from scoring.history import History
from scoring import possible
from scoring.outcome import (
    CitationOut, CriterionResult, DeterminationResult, EvidenceOut, ExplanationNode, HistoryOut, OpenQuestion, Outcome,
    PillarScore, Placement, PossibleOutcome, RowResult, RulesetRef, TableResult, Waiver, WatchList,
)
from scoring.ruleset import ast
from scoring.ruleset.walk import facts_read, leaves, refs_read
from scoring.semantics import Tally, open_facts

MAX_DEPTH = 4


def citation(c: ast.Citation) -> CitationOut:
    return CitationOut(section=c.section, enacted_by=c.enacted_by, text=c.text, note=c.note)


def show(value: Any) -> str:
    """A value as the report would write it: ``yes``/``no``, ``5`` (not ``5.0``), ``unknown``."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


#: How a count's change reads in an explanation (the ``.change`` facts of scoring.efforts.facts).
CHANGE_WORDS = {None: "change not known (the report gives no comparison)", "increased": "increased",
                "decreased": "decreased", "unchanged": "unchanged"}


def _shown_fact(path: str, facts: dict[str, Any]) -> str:
    if path.endswith(".change"):
        return CHANGE_WORDS.get(facts.get(path), show(facts.get(path)))
    return show(facts.get(path))


def fill(template: str | None, facts: dict[str, Any], paths: list[str]) -> str:
    """The explanation text: the template with values, or ``fact = value`` pairs."""
    if template:
        return re.sub(r"\{([a-z][a-z0-9_.]*)\}", lambda m: _shown_fact(m.group(1), facts), template)
    return "; ".join(f"{p} = {_shown_fact(p, facts)}" for p in paths)


#: Where the rubric explains its thresholds; a score threshold is the rubric's reading of the statute, not its text.
RUBRIC_THRESHOLDS = "docs/rubric.md#how-the-thresholds-were-chosen"


class Explainer:
    """Builds the outcome for one evaluation."""

    def __init__(self, document: EffortsDocument, ruleset: ast.Ruleset, facts: dict[str, Any],
                 history: History, evaluation: Evaluation, engine: str) -> None:
        self.document, self.ruleset, self.facts = document, ruleset, facts
        self.history, self.ev, self.engine = history, evaluation, engine
        self.criteria = {c.id: c for c in ruleset.criteria}
        #: what explanation templates may name: facts, and the ruleset's parameters as {param.NAME}
        self.values = {**facts, **{f"param.{k}": v for k, v in ruleset.parameters.as_dict().items()}}

    def evidence(self, paths: list[str]) -> list[EvidenceOut]:
        return [EvidenceOut(fact=p, **quote) for p in paths for quote in evidence_for(self.document, p)]

    def criterion(self, c: ast.Criterion) -> CriterionResult:
        paths = facts_read(c.when)
        return CriterionResult(
            id=c.id, title=c.title, pillar=c.pillar, weight=c.weight, status=self.ev.statuses[c.id],
            citation=citation(c.citation), compared={p: self.facts.get(p) for p in paths},
            evidence=self.evidence(paths), explanation=fill(c.explain, self.values, paths),
            open_facts=open_facts(c.when, _Env(self)),
        )

    def determination(self, d: ast.Determination) -> DeterminationResult:
        return DeterminationResult(id=d.id, title=d.title, status=self.ev.statuses[d.id], citation=citation(d.citation),
                                   explanation=fill(d.explain, self.values, facts_read(d.when)))

    def table(self, t: ast.Table) -> TableResult:
        hit = self.ev.tables[t.id]
        return TableResult(
            id=t.id, title=t.title, hit_policy=t.hit_policy, citation=citation(t.citation),
            row=t.rows[hit.row].id if hit.row is not None else None, reason=hit.reason,
            outputs=self.ev.outputs.get(t.id, {}),
            rows=[RowResult(id=row.id, status=hit.row_statuses[row.index]) for row in t.rows],
        )

    def node(self, ref: str, depth: int) -> ExplanationNode:
        if ref in self.criteria:
            c = self.criteria[ref]
            paths = facts_read(c.when)
            return ExplanationNode(kind="criterion", id=c.id, title=c.title, status=self.ev.statuses[c.id],
                                   citation=citation(c.citation), detail=fill(c.explain, self.values, paths),
                                   evidence=self.evidence(paths)[:3])
        node = self.ruleset.decision(ref)
        if isinstance(node, ast.Table):
            return self.table_node(node, depth)
        children = self.children(node.when, depth, node.citation)
        detail = fill(node.explain, self.values, facts_read(node.when)) if node.explain or facts_read(node.when) else ""
        status = self.ev.statuses[node.id]
        notes = [self.unknown_read_as(node.when, node.citation), self.decided_despite_unknown(node.when, status)]
        return ExplanationNode(kind="determination", id=node.id, title=node.title, status=status,
                               citation=citation(node.citation), children=children,
                               detail="; ".join(part for part in (detail, *notes) if part))

    def unknown_read_as(self, condition: ast.Condition, cited: ast.Citation | None) -> str:
        """Say so where a condition turns an unknown status into a definite one, with the rule's reason."""
        accepts: dict[str, set[bool]] = {}  # per unknown status read: does each reading accept unknown?
        for leaf in leaves(condition):
            if isinstance(leaf, ast.StatusIn) and self.ev.statuses.get(leaf.ref) == "unknown":
                accepts.setdefault(leaf.ref, set()).add("unknown" in leaf.statuses)
        wording = {frozenset({True}): "which this rule accepts", frozenset({False}): "which this rule reads as not shown",
                   frozenset({True, False}): "which this rule accepts only together with the other conditions here"}
        readings = [f"“{self._title(ref)}” is unknown, {wording[frozenset(kinds)]}" for ref, kinds in accepts.items()]
        if not readings:
            return ""
        reason = _reason(cited) or next((_reason(self._citation(leaf.ref)) for leaf in leaves(condition)
                                         if isinstance(leaf, ast.StatusIn)), "")
        return "; ".join(readings) + (f" (the rule's reason: {reason})" if reason else "")

    def decided_despite_unknown(self, condition: ast.Condition, status: str) -> str:
        """For an all-of that is unmet (or any-of that is met) with unknown parts: the parts that decided it."""
        if isinstance(condition, ast.All) and status == "unmet" or isinstance(condition, ast.Any_) and status == "met":
            deciding = "unmet" if status == "unmet" else "met"
            parts = [(self._leaf_title(item), self._leaf_status(item)) for item in condition.items]
            if any(s == "unknown" for _, s in parts):
                decided = [title for title, s in parts if s == deciding]
                return f"{status} because of {', '.join(decided)}; the unknown parts cannot change that"
        return ""

    def _leaf_status(self, item: ast.Condition) -> str:
        from scoring.semantics import evaluate as status_of

        return status_of(item, _Env(self))

    def _leaf_title(self, item: ast.Condition) -> str:
        if isinstance(item, ast.Met):
            return f"“{self._title(item.ref)}”"
        if isinstance(item, ast.Score):
            return f"the rubric's {item.pillar} score {item.op} {item.threshold}%"
        if isinstance(item, ast.StatusIn) and item.statuses == {"met"}:
            return f"“{self._title(item.ref)}” not shown"
        if isinstance(item, ast.StatusIn) and item.statuses == {"unmet", "unknown"}:
            return f"“{self._title(item.ref)}” shown"
        return condition_text(item, self._title)

    def _title(self, ref: str) -> str:
        if ref in self.criteria:
            return self.criteria[ref].title
        try:
            return self.ruleset.decision(ref).title
        except (KeyError, ValueError, StopIteration):
            return ref

    def _citation(self, ref: str) -> ast.Citation | None:
        if ref in self.criteria:
            return self.criteria[ref].citation
        try:
            return self.ruleset.decision(ref).citation
        except (KeyError, ValueError, StopIteration):
            return None

    def children(self, condition: ast.Condition, depth: int, cited: ast.Citation) -> list[ExplanationNode]:
        if depth >= MAX_DEPTH:
            return []
        out = [self.node(ref, depth + 1) for ref in refs_read(condition)]
        out += [self.score_node(leaf, cited) for leaf in leaves(condition) if isinstance(leaf, ast.Score)]
        return out

    def score_node(self, leaf: ast.Score, cited: ast.Citation) -> ExplanationNode:
        """A rubric threshold: labelled as the rubric's, pointing at the clause it interprets."""
        tally = self.ev.tallies[leaf.pillar]
        from scoring.semantics import score_status

        interpreted = CitationOut(section=cited.section, enacted_by=cited.enacted_by,
                                  note=f"the rubric's threshold ({RUBRIC_THRESHOLDS}), not the statute's text; "
                                       f"it interprets {cited.section}")
        return ExplanationNode(kind="score", id=f"score.{leaf.pillar}",
                               title=f"Rubric threshold: {leaf.pillar} score {leaf.op} {leaf.threshold}%",
                               status=score_status(tally, leaf.op, leaf.threshold),
                               detail=f"{_score_text(tally)} (rubric: {RUBRIC_THRESHOLDS}; interprets {cited.section})",
                               citation=interpreted)

    def table_node(self, table: ast.Table, depth: int) -> ExplanationNode:
        hit = self.ev.tables[table.id]
        rows = []
        for row in table.ordered_rows():
            status = hit.row_statuses[row.index]
            cited = row.citation or table.citation
            then = ", ".join(f"{k} = {v}" for k, v in row.then.items())
            notes = [self.unknown_read_as(row.when, None), self.decided_despite_unknown(row.when, status)]
            detail = "; ".join(part for part in (f"if {condition_text(row.when, self._title)} then {then}", *notes) if part)
            rows.append(ExplanationNode(kind="row", id=row.id, title=row.explain or row.id, status=status,
                                        citation=citation(cited), detail=detail,
                                        children=self.children(row.when, depth + 1, cited)))
            if row.index == hit.row or status == "unknown":
                break
        status = "hit: " + table.rows[hit.row].id if hit.row is not None else f"undetermined ({hit.reason})"
        return ExplanationNode(kind="table", id=table.id, title=table.title, status=status,
                               citation=citation(table.citation), children=rows)

    def possible_outcomes(self) -> list[PossibleOutcome]:
        """Distinct outcomes of the tier-table rows not ruled out (scoring.possible), in order."""
        grouped: dict[tuple[str, str | None], list[str]] = {}
        for branch in possible.branches(self.ruleset.decision("tier"), self.ev):  # type: ignore[arg-type]
            grouped.setdefault((branch.then["tier"], branch.then.get("downgrade")), []).append(branch.row)
        return [PossibleOutcome(tier=t, downgrade=d, rows=rows) for (t, d), rows in grouped.items()]  # type: ignore[arg-type]

    def open_questions(self) -> list[OpenQuestion]:
        table = self.ruleset.decision("tier")
        return [OpenQuestion(row=q.row, tier=q.then["tier"], downgrade=q.then.get("downgrade"),  # type: ignore[arg-type]
                             decided_by=q.decided_by, criteria=q.criteria, facts=q.facts)
                for q in possible.questions(self.ruleset, table, self.ev, self.facts)]  # type: ignore[arg-type]

    def decided(self, outcomes: list[PossibleOutcome]) -> dict[str, Any]:
        """The tier table's outputs, or, when it is undetermined, those every open branch agrees on."""
        tier_out = dict(self.ev.outputs.get("tier", {}))
        if not tier_out and outcomes:
            for column in ("tier", "downgrade"):
                values = {getattr(o, column) for o in outcomes}
                if len(values) == 1 and None not in values:
                    tier_out[column] = values.pop()
        return tier_out

    def outcome(self) -> Outcome:
        doc, rs = self.document, self.ruleset
        outcomes = self.possible_outcomes()
        tier_out = self.decided(outcomes)
        tier = tier_out.get("tier")
        tier_hit = self.ev.tables["tier"]
        root = self.table_node(rs.decision("tier"), 0)  # type: ignore[arg-type]
        root = root.model_copy(update={"kind": "outcome"})
        return Outcome(
            country=doc.country, iso3=doc.iso3, report_year=doc.report_year, entity=doc.entity,
            ruleset=RulesetRef(id=rs.id, version=rs.version, title=rs.title, report_years=rs.years, digest=rs.digest),
            engine=self.engine,  # type: ignore[arg-type]
            tier=tier, determined=tier is not None,  # type: ignore[arg-type]
            tier_row=rs.decision("tier").rows[tier_hit.row].id if tier_hit.row is not None else None,  # type: ignore[union-attr]
            possible_outcomes=outcomes, open_questions=self.open_questions(),
            watch_list=self.watch_list(tier, tier_out.get("downgrade")),
            scores={p: _pillar(t) for p, t in self.ev.tallies.items()},
            criteria=[self.criterion(c) for c in rs.criteria],
            determinations=[self.determination(d) for d in rs.determinations],
            tables=[self.table(t) for t in rs.tables],
            not_assessable=[c.id for c in rs.criteria if self.ev.statuses[c.id] == "unknown"],
            history=HistoryOut(source=self.history.source, facts=dict(self.history.facts),
                               placements=[Placement(**p.model_dump(exclude={"evidence"})) for p in self.history.placements]),
            explanation=root,
        )

    def watch_list(self, tier: str | None, downgrade: str | None) -> WatchList:
        counted = self.history.facts.get("history.consecutive_watch_list_years")
        listed = self.history.listed_years
        on_list = tier == "2WL"
        consecutive = None if tier is None else (0 if not on_list else (listed + 1 if isinstance(listed, int) else None))
        counted_years = None if tier is None or self.ruleset.parameters.watch_list_years_count_from is None else (
            0 if not on_list else (counted + 1 if isinstance(counted, int) else None))
        member = self.ev.outputs.get("special_watch_list", {}).get("member")
        return WatchList(consecutive_years=consecutive, counted_years=counted_years,
                         automatic_downgrade=downgrade,  # type: ignore[arg-type]
                         waiver=self.waiver(downgrade), special_watch_list=None if member is None else member == "yes")

    def waiver(self, downgrade: str | None) -> Waiver | None:
        """The waiver question arises when the watch list applies and the downgrade is due, decided or not."""
        statuses = self.ev.statuses
        due = downgrade in ("applied", "waived") or (statuses.get("watch_list") == "met" and statuses.get("downgrade_due") == "met")
        if not due or "waiver" not in statuses:
            return None
        used = self.history.facts.get("history.waivers_used")
        eligible = {"met": True, "unmet": False}.get(statuses.get("waiver_eligible", "unknown"))
        granted = self.facts.get("waiver.granted")
        return Waiver(eligible=eligible, granted=granted if isinstance(granted, bool) else None,
                      number=used + 1 if isinstance(used, int) and eligible is not False else None,
                      cap=self.ruleset.parameters.waiver_cap,
                      conditions={p.split(".", 1)[1]: self.facts.get(p) for p in WAIVER_CONDITIONS})


class _Env:
    """The evaluated statuses and facts, as the semantics module reads them."""

    def __init__(self, explainer: Explainer) -> None:
        self.x = explainer

    def fact(self, path: str) -> Any | None:
        return self.x.facts.get(path)

    def status(self, ref: str) -> str:
        return self.x.ev.statuses.get(ref, "unknown")

    def tally(self, pillar: str) -> Tally:
        return self.x.ev.tallies[pillar]

    def output(self, table: str, column: str) -> str | None:
        return self.x.ev.outputs.get(table, {}).get(column)


def _reason(cited: ast.Citation | None) -> str:
    """The sentence of a rule's note that says how it reads an unknown, else its first sentence."""
    if cited is None or not cited.note:
        return ""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(cited.note.split())) if s.strip()]
    index = next((i for i, s in enumerate(sentences) if "unknown" in s.lower()), 0)
    if len(sentences[index]) < 40 and index > 0:  # "So this is never unknown." needs the sentence before it
        return f"{sentences[index - 1]} {sentences[index]}".rstrip(".")
    return sentences[index].rstrip(".")


def condition_text(node: ast.Condition, title: Any) -> str:
    """A condition in words, negation and all: ``not (significant_efforts)``."""
    if isinstance(node, ast.All):
        return " and ".join(_group(item, title) for item in node.items)
    if isinstance(node, ast.Any_):
        return " or ".join(_group(item, title) for item in node.items)
    if isinstance(node, ast.Not):
        return f"not ({condition_text(node.item, title)})"
    if isinstance(node, ast.Met):
        return node.ref
    if isinstance(node, ast.StatusIn):
        return f"{node.ref} is {' or '.join(sorted(node.statuses))}"
    if isinstance(node, ast.Always):
        return "always"
    if isinstance(node, ast.Score):
        return f"rubric {node.pillar} score {node.op} {node.threshold}%"
    if isinstance(node, ast.Known):
        return f"{node.fact} {'not given' if node.negate else 'given'}"
    if isinstance(node, ast.AtLeast):
        return f"at least {node.n} of ({', '.join(node.refs)})"
    if isinstance(node, ast.Compare):
        value = node.value.path if isinstance(node.value, ast.FactRef) else node.value
        return f"{node.fact} {node.op} {value}"
    if isinstance(node, ast.OutputIn):
        return f"{node.table}.{node.column} in ({', '.join(sorted(node.values))})"
    return "?"


def _group(item: ast.Condition, title: Any) -> str:
    text = condition_text(item, title)
    return f"({text})" if isinstance(item, (ast.All, ast.Any_)) else text


def _pillar(t: Tally) -> PillarScore:
    if t.total == 0:
        return PillarScore(met_weight=0, unknown_weight=0, total_weight=0, score=None, max_score=None, known_share=None)
    return PillarScore(met_weight=t.met, unknown_weight=t.unknown, total_weight=t.total, score=100 * t.met // t.total,
                       max_score=100 * (t.met + t.unknown) // t.total, known_share=100 * (t.total - t.unknown) // t.total)


def _score_text(t: Tally) -> str:
    if t.total == 0:
        return "no criteria"
    return (f"{100 * t.met // t.total}% met (weight {t.met} of {t.total}); "
            f"up to {100 * (t.met + t.unknown) // t.total}% if the {t.unknown} unknown were met")


def explain(document: EffortsDocument, ruleset: ast.Ruleset, facts: dict[str, Any], history: History,
            evaluation: Evaluation, engine: str) -> Outcome:
    """The explained outcome of one evaluation."""
    return Explainer(document, ruleset, facts, history, evaluation, engine).outcome()
