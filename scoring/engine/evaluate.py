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

from typing import Any

from scoring import semantics
from scoring.engine.compile import Partition, Plan, compile_plan, fact_field, met_field, output_field, unmet_field
from scoring.engine.durable_driver import DurableRuleset
from scoring.engine.reference import Evaluation, tallies
from scoring.errors import EngineError
from scoring.ruleset import ast

_compiled: dict[str, tuple[Plan, DurableRuleset]] = {}
_partition_size: dict[str, int] = {}
_exported: dict[str, dict[str, Any]] = {}  #: digest -> export() data from the disk cache, not yet used


def compiled(ruleset: ast.Ruleset) -> tuple[Plan, DurableRuleset]:
    """The plan and durable ruleset for ``ruleset`` (built once per content digest)."""
    if ruleset.digest not in _compiled:
        data = _exported.pop(ruleset.digest, None)
        _compiled[ruleset.digest] = (data is not None and _restored(ruleset, data)) or _build(ruleset)
    return _compiled[ruleset.digest]


def export(ruleset: ast.Ruleset) -> dict[str, Any]:
    """The compiled form as plain data (the partition size and the driver's checked rules)."""
    _, engine = compiled(ruleset)
    return {"nodes_per_partition": _partition_size[ruleset.digest], "driver": engine.export()}


def restore(ruleset: ast.Ruleset, data: dict[str, Any]) -> None:
    """Use ``export`` data from an earlier process when ``ruleset`` is first evaluated."""
    if ruleset.digest not in _compiled:
        _exported[ruleset.digest] = data


def _restored(ruleset: ast.Ruleset, data: Any) -> tuple[Plan, DurableRuleset] | None:
    """The plan is rebuilt (it is cheap and deterministic); the driver's checks are not repeated."""
    try:
        size = data["nodes_per_partition"]
        plan = compile_plan(ruleset, nodes_per_partition=size)
        engine = DurableRuleset.restore(data["driver"])
    except (EngineError, KeyError, TypeError, ValueError):
        return None
    _partition_size[ruleset.digest] = size
    return plan, engine


def _build(ruleset: ast.Ruleset) -> tuple[Plan, DurableRuleset]:
    """Partition layers finer until durable's 64-tests-per-fact match stack suffices (ENG-FANOUT)."""
    name = "tipscore_" + "".join(ch if ch.isalnum() else "_" for ch in ruleset.id)
    for per_partition in (16, 8, 4, 2, 1):
        plan = compile_plan(ruleset, nodes_per_partition=per_partition)
        try:
            engine = DurableRuleset(name, plan.durable_rules())
            _partition_size[ruleset.digest] = per_partition
            return plan, engine
        except EngineError as err:
            if err.code != "ENG-FANOUT" or per_partition == 1:
                raise EngineError("TS118", f"ruleset {ruleset.id!r} cannot be compiled safely for durable-rules: {err}") from err
    raise AssertionError("unreachable")


def _layer_fact(partition: Partition, facts: dict[str, Any], result: Evaluation) -> dict[str, Any]:
    fact: dict[str, Any] = {"type": f"layer{partition.layer}", "part": partition.part, "__zero": 0}
    for path in partition.facts:
        if path in facts:
            fact[fact_field(path)] = facts[path]
    for ref in partition.refs:
        status = result.statuses[ref]
        fact[met_field(ref)] = int(status == "met")
        fact[unmet_field(ref)] = int(status == "unmet")
    for table, column in partition.outputs:
        value = result.outputs.get(table, {}).get(column)
        if value is not None:
            fact[output_field(table, column)] = value
    return fact


def evaluate(ruleset: ast.Ruleset, facts: dict[str, Any]) -> Evaluation:
    """Statuses, tallies and table hits, decided by durable-rules."""
    plan, engine = compiled(ruleset)
    rules = {rule.name: rule for rule in plan.rules}
    result = Evaluation()
    with engine.session() as session:
        for index, layer in enumerate(plan.layers):
            firings = session.assert_facts([_layer_fact(p, facts, result) for p in layer])
            fired = [rules[f.rule] for f in firings if f.rule in rules]
            _record(ruleset, [n for p in layer for n in p.nodes], fired, result)
            if index == 0:
                result.tallies = tallies(ruleset, result.statuses)
    return result


def _record(ruleset: ast.Ruleset, nodes: list[str], fired: list[Any], result: Evaluation) -> None:
    seen: dict[tuple[str, str, int | None], None] = {(r.node, r.kind, r.row): None for r in fired}
    tables = {t.id: t for t in ruleset.tables}
    for node in nodes:
        if node not in tables:
            result.statuses[node] = _status(node, None, seen)
            continue
        table = tables[node]
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
