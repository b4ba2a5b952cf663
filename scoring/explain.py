"""Stage 5: turn an evaluation into a typed, explained ``Outcome``.

The explanation follows the path the law takes: the tier table's rows in
order, up to the one that applies; each row's determinations; each
determination's criteria with the values they compared, their evidence and
their citation. Nothing here decides anything: statuses come from the engine.
"""

from __future__ import annotations

import re
from typing import Any

from scoring.efforts.facts import evidence_for
from scoring.efforts.model import EffortsDocument
from scoring.engine.reference import Evaluation
from scoring.history import History
from scoring.outcome import (
    CitationOut, CriterionResult, DeterminationResult, EvidenceOut, ExplanationNode, HistoryOut, Outcome,
    PillarScore, Placement, RowResult, RulesetRef, TableResult, Waiver, WatchList,
)
from scoring.ruleset import ast
from scoring.ruleset.walk import facts_read, leaves, refs_read
from scoring.semantics import Tally

MAX_DEPTH = 4
WAIVER_FACTS = ("waiver.written_plan", "waiver.plan_would_constitute_significant_efforts", "waiver.sufficient_resources")


def citation(c: ast.Citation) -> CitationOut:
    return CitationOut(section=c.section, enacted_by=c.enacted_by, text=c.text, note=c.note)


def show(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def fill(template: str | None, facts: dict[str, Any], paths: list[str]) -> str:
    """The explanation text: the template with values, or ``fact = value`` pairs."""
    if template:
        return re.sub(r"\{([a-z][a-z0-9_.]*)\}", lambda m: show(facts.get(m.group(1))), template)
    return "; ".join(f"{p} = {show(facts.get(p))}" for p in paths)


class Explainer:
    """Builds the outcome for one evaluation."""

    def __init__(self, document: EffortsDocument, ruleset: ast.Ruleset, facts: dict[str, Any],
                 history: History, evaluation: Evaluation, engine: str) -> None:
        self.document, self.ruleset, self.facts = document, ruleset, facts
        self.history, self.ev, self.engine = history, evaluation, engine
        self.criteria = {c.id: c for c in ruleset.criteria}

    def evidence(self, paths: list[str]) -> list[EvidenceOut]:
        return [EvidenceOut(fact=p, **quote) for p in paths for quote in evidence_for(self.document, p)]

    def criterion(self, c: ast.Criterion) -> CriterionResult:
        paths = facts_read(c.when)
        return CriterionResult(
            id=c.id, title=c.title, pillar=c.pillar, weight=c.weight, status=self.ev.statuses[c.id],
            citation=citation(c.citation), compared={p: self.facts.get(p) for p in paths},
            evidence=self.evidence(paths), explanation=fill(c.explain, self.facts, paths),
        )

    def determination(self, d: ast.Determination) -> DeterminationResult:
        return DeterminationResult(id=d.id, title=d.title, status=self.ev.statuses[d.id], citation=citation(d.citation),
                                   explanation=fill(d.explain, self.facts, facts_read(d.when)))

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
                                   citation=citation(c.citation), detail=fill(c.explain, self.facts, paths),
                                   evidence=self.evidence(paths)[:3])
        node = self.ruleset.decision(ref)
        if isinstance(node, ast.Table):
            return self.table_node(node, depth)
        children = self.children(node.when, depth, node.citation)
        return ExplanationNode(kind="determination", id=node.id, title=node.title, status=self.ev.statuses[node.id],
                               citation=citation(node.citation), children=children,
                               detail=fill(node.explain, self.facts, facts_read(node.when)) if node.explain or facts_read(node.when) else "")

    def children(self, condition: ast.Condition, depth: int, cited: ast.Citation) -> list[ExplanationNode]:
        if depth >= MAX_DEPTH:
            return []
        out = [self.node(ref, depth + 1) for ref in refs_read(condition)]
        out += [self.score_node(leaf, cited) for leaf in leaves(condition) if isinstance(leaf, ast.Score)]
        return out

    def score_node(self, leaf: ast.Score, cited: ast.Citation) -> ExplanationNode:
        tally = self.ev.tallies[leaf.pillar]
        from scoring.semantics import score_status

        return ExplanationNode(kind="score", id=f"score.{leaf.pillar}", title=f"{leaf.pillar} score {leaf.op} {leaf.threshold}",
                               status=score_status(tally, leaf.op, leaf.threshold), detail=_score_text(tally),
                               citation=citation(cited))

    def table_node(self, table: ast.Table, depth: int) -> ExplanationNode:
        hit = self.ev.tables[table.id]
        rows = []
        for row in table.ordered_rows():
            status = hit.row_statuses[row.index]
            cited = row.citation or table.citation
            rows.append(ExplanationNode(kind="row", id=row.id, title=row.explain or row.id, status=status,
                                        citation=citation(cited),
                                        detail=", ".join(f"{k} = {v}" for k, v in row.then.items()),
                                        children=self.children(row.when, depth + 1, cited)))
            if row.index == hit.row or status == "unknown":
                break
        status = "hit: " + table.rows[hit.row].id if hit.row is not None else f"undetermined ({hit.reason})"
        return ExplanationNode(kind="table", id=table.id, title=table.title, status=status,
                               citation=citation(table.citation), children=rows)

    def outcome(self) -> Outcome:
        doc, rs = self.document, self.ruleset
        tier_out = self.ev.outputs.get("tier", {})
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
                      conditions={p.split(".", 1)[1]: self.facts.get(p) for p in WAIVER_FACTS})


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
