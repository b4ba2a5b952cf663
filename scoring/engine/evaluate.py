"""Stage 4: evaluate a compiled ruleset with durable-rules.

One session per scoring (the driver guarantees one live session per ruleset
and deletes it in ``finally``). Layers are asserted in order into the same
session; each layer's facts carry the statuses the previous layers' rules
established, so determinations and tables chain by forward inference. Every
rule firing is recorded in Python; a node whose met and unmet rules both fire,
or a table whose winner disagrees with its rows, is an engine error — never a
silent wrong answer.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from scoring import semantics
from scoring.engine.compile import (Layout, Partition, Plan, compile_plan, fact_field, fit_layout, met_field,
                                    output_field, status_field, tally_field, unmet_field)
from scoring.engine.durable_driver import DurableRuleset, FactShape, fits
from scoring.engine.reference import Evaluation
from scoring.errors import EngineError
from scoring.ruleset import ast
from scoring.semantics import Tally

_compiled: dict[str, tuple[Plan, DurableRuleset]] = {}
_layouts: dict[str, Layout] = {}
_exported: dict[str, dict[str, Any]] = {}  #: digest -> export() data from the disk cache, not yet used


def compiled(ruleset: ast.Ruleset) -> tuple[Plan, DurableRuleset]:
    """The plan and durable ruleset for ``ruleset`` (built once per content digest)."""
    if ruleset.digest not in _compiled:
        data = _exported.pop(ruleset.digest, None)
        _compiled[ruleset.digest] = (data is not None and _restored(ruleset, data)) or _build(ruleset)
    return _compiled[ruleset.digest]


def export(ruleset: ast.Ruleset) -> dict[str, Any]:
    """The compiled form as plain data (the partition layout and the driver's checked rules)."""
    _, engine = compiled(ruleset)
    return {"layout": _layouts[ruleset.digest], "driver": engine.export()}


def restore(ruleset: ast.Ruleset, data: dict[str, Any]) -> None:
    """Use ``export`` data from an earlier process when ``ruleset`` is first evaluated."""
    if ruleset.digest not in _compiled:
        _exported[ruleset.digest] = data


def _restored(ruleset: ast.Ruleset, data: Any) -> tuple[Plan, DurableRuleset] | None:
    """The plan is rebuilt (it is cheap and deterministic); the driver's checks are not repeated."""
    try:
        layout = data["layout"]
        if not all(type(size) is int and size > 0 for sizes in layout for size in sizes):
            return None
        plan = compile_plan(ruleset, layout)
        engine = DurableRuleset.restore(data["driver"])
    except (EngineError, KeyError, TypeError, ValueError, IndexError):
        return None
    _layouts[ruleset.digest] = layout
    return plan, engine


def _build(ruleset: ast.Ruleset) -> tuple[Plan, DurableRuleset]:
    """Partitions as large as durable's 64-tests-per-fact match stack allows (ENG-FANOUT)."""
    name = "tipscore_" + "".join(ch if ch.isalnum() else "_" for ch in ruleset.id)
    try:
        layout = fit_layout(ruleset, fits)
        plan = compile_plan(ruleset, layout)
        engine = DurableRuleset(name, plan.durable_rules())
    except EngineError as err:
        raise EngineError("TS118", f"ruleset {ruleset.id!r} cannot be compiled safely for durable-rules: {err}") from err
    _layouts[ruleset.digest] = layout
    return plan, engine


class _Program:
    """Everything a scoring needs from the plan, prepared once per ruleset: one checked fact shape
    per partition (its fixed ``type``, then the keys of the input facts, statuses, counts,
    tallies and table outputs it reads, in that order) and the rule name -> [(node, kind, row)] map.
    A scoring then only lists each partition's values: the marshalling that dominated evaluation."""

    def __init__(self, ruleset: ast.Ruleset, plan: Plan, engine: DurableRuleset) -> None:
        self.engine = engine
        self.rule = plan.meanings()
        tables = {t.id: t for t in ruleset.tables}
        self.layers = []
        for layer in plan.layers:
            parts = [(self._shape(engine, p), p.facts, p.refs, p.counted, p.scores, p.outputs) for p in layer]
            nodes = [n for p in layer for n in p.nodes]
            unknown = dict.fromkeys((n for n in nodes if n not in tables), "unknown")  # until a rule fires
            self.layers.append((parts, unknown, [tables[n] for n in nodes if n in tables]))
        self.pillars = [(pillar, [(c.id, c.weight) for c in ruleset.criteria if c.pillar == pillar or (
            pillar == "overall" and c.pillar in ast.SCORED_PILLARS)]) for pillar in (*ast.SCORED_PILLARS, "overall")]

    @staticmethod
    def _shape(engine: DurableRuleset, p: Partition) -> FactShape:
        fixed = {"type": p.kind, **({"__zero": 0} if p.arithmetic else {})}
        keys = [*map(fact_field, p.facts), *map(status_field, p.refs),
                *(field for ref in p.counted for field in (met_field(ref), unmet_field(ref))),
                *(tally_field(pillar, status) for pillar in p.scores for status in ("met", "unmet")),
                *(output_field(t, c) for t, c in p.outputs)]
        return engine.shape(fixed, keys)


#: a counted node's (m__id, u__id) values by its status
_COUNTS = {"met": (1, 0), "unmet": (0, 1), "unknown": (0, 0)}
_NONE: dict[str, str] = {}  #: the outputs of a table that has none (yet)


_programs: dict[str, _Program] = {}


def _program(ruleset: ast.Ruleset) -> _Program:
    program = _programs.get(ruleset.digest)
    if program is None:
        plan, engine = compiled(ruleset)
        program = _programs[ruleset.digest] = _Program(ruleset, plan, engine)
    return program


def evaluate(ruleset: ast.Ruleset, facts: dict[str, Any]) -> Evaluation:
    """Statuses, tallies and table hits, decided by durable-rules."""
    program = _program(ruleset)
    fact = facts.get
    result = Evaluation()
    statuses, outputs = result.statuses, result.outputs
    status = statuses.__getitem__
    with program.engine.session() as session:
        for index, (parts, nodes, tables) in enumerate(program.layers):
            batch = []
            for shape, paths, refs, counted, scores, outs in parts:
                values = list(map(fact, paths))
                values += map(status, refs)
                for r in counted:
                    values += _COUNTS[statuses[r]]
                for pillar in scores:
                    tally = result.tallies[pillar]
                    values += (tally.met, tally.total - tally.met - tally.unknown)
                values += [outputs.get(table, _NONE).get(column) for table, column in outs]
                batch.append((shape, values))
            fired = [meaning for name in session.assert_shaped(batch) for meaning in program.rule[name]]
            decided = [(node, kind) for node, kind, row in fired if row is None]
            statuses.update(nodes)
            statuses.update(decided)
            if len(decided) != len({node for node, _ in decided}):
                raise EngineError("ENG-INCONSISTENT", f"{_both(decided)!r}: both its met and unmet rules fired")
            if tables:
                seen = set(fired)
                for table in tables:
                    _table(table, seen, result)
            if index == 0:
                result.tallies = _tallies(program, statuses)
    return result


def _both(decided: list[tuple[str, str]]) -> str:
    """The node that two of ``decided`` name (its met and its unmet rule both fired)."""
    return next(node for node, times in Counter(node for node, _ in decided).items() if times > 1)


def _tallies(program: _Program, statuses: dict[str, ast.Status]) -> dict[str, Tally]:
    """The same tallies as ``reference.tallies``, from per-ruleset lists, in one pass per pillar."""
    out = {}
    for pillar, weights in program.pillars:
        met = unknown = total = 0
        for criterion, weight in weights:
            status = statuses[criterion]
            total += weight
            if status == "met":
                met += weight
            elif status == "unknown":
                unknown += weight
        out[pillar] = Tally(met=met, unknown=unknown, total=total)
    return out


def _table(table: ast.Table, seen: Any, result: Evaluation) -> None:
    node = table.id
    statuses = [_status(node, row.index, seen) for row in table.rows]
    winners = [row.index for row in table.rows if (node, "wins", row.index) in seen]
    expected = semantics.hit(table, statuses)
    if len(winners) > 1 or (winners[0] if winners else None) != expected.row:
        raise EngineError("ENG-INCONSISTENT", f"table {node!r}: winning rows {winners} disagree with row statuses {statuses}")
    result.tables[node] = expected
    if expected.row is not None:
        result.outputs[node] = dict(table.rows[expected.row].then)


def _status(node: str, row: int | None, seen: dict[tuple[str, str, int | None], None]) -> ast.Status:
    met, unmet = (node, "met", row) in seen, (node, "unmet", row) in seen
    if met and unmet:
        raise EngineError("ENG-INCONSISTENT", f"{node!r}: both its met and unmet rules fired")
    return "met" if met else "unmet" if unmet else "unknown"
