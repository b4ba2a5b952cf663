"""Layers and partitions of the compiled plan: as few asserted facts per scoring as durable allows."""

from __future__ import annotations

import functools
import json

import pytest

from scoring import api
from scoring import semantics
from scoring.engine import reference
from scoring.engine.compile import Compiler, _engine_nodes, _layer_members, _plan_of, compile_plan, fit_layout
from scoring.engine.durable_driver import fits
from scoring.ruleset import ast
from scoring.ruleset.registry import shipped
from scoring.ruleset.walk import refs_read, rule_conditions, uses_scores
from scoring.testing import random_inputs

SHIPPED = [e for e in shipped() if not e.abstract]


@functools.lru_cache(maxsize=1)
def _inputs() -> list[tuple[ast.Ruleset, dict]]:
    return random_inputs(1500, seed=20261129)


def _reads(node: object) -> tuple[list[str], bool]:
    conditions = [row.when for row in node.rows] if isinstance(node, ast.Table) else [node.when]  # type: ignore[attr-defined]
    return [r for c in conditions for r in refs_read(c)], any(uses_scores(c) for c in conditions)


@pytest.mark.parametrize("entry", SHIPPED, ids=lambda e: e.id)
def test_each_node_sits_one_layer_after_the_latest_node_it_reads(entry) -> None:  # type: ignore[no-untyped-def]
    ruleset = api.load_ruleset(entry.id)
    nodes, layer = _engine_nodes(ruleset)
    assert [n.id for n in nodes] == [n.id for n in [*ruleset.criteria, *ruleset.decisions()]]
    assert all(layer[c.id] == 0 for c in ruleset.criteria)
    plain: dict[str, int] = {c.id: 0 for c in ruleset.criteria}
    for node, original in zip(nodes[len(ruleset.criteria):], ruleset.decisions()):
        reads, scored = _reads(node)
        assert layer[node.id] == max([1 + layer[r] for r in reads] + [1 if scored else 0]), node.id
        reads, scored = _reads(original)
        plain[node.id] = max([1 + plain[r] for r in reads] + [1 if scored else 0])
        assert layer[node.id] <= plain[node.id]
        if _reads(original) == ([], False):  # reads only input facts
            assert layer[node.id] == 0
    assert max(layer.values()) < max(plain.values())  # met: references inlined on the longest chain


@pytest.mark.parametrize("entry", SHIPPED, ids=lambda e: e.id)
def test_an_inlined_condition_has_the_status_of_the_original(entry) -> None:  # type: ignore[no-untyped-def]
    ruleset = api.load_ruleset(entry.id)
    nodes, _ = _engine_nodes(ruleset)
    changed = [(n, o) for n, o in zip(nodes[len(ruleset.criteria):], ruleset.decisions()) if n != o]
    assert changed
    samples = [facts for r, facts in _inputs() if r.id == ruleset.id]
    assert len(samples) > 20
    for facts in samples:
        result = reference.evaluate(ruleset, facts)
        env = reference._Env(facts, result)
        for node, original in changed:
            for mine, theirs in zip(rule_conditions(node), rule_conditions(original)):
                assert semantics.evaluate(mine, env) == semantics.evaluate(theirs, env), node.id


@pytest.mark.parametrize("entry", SHIPPED, ids=lambda e: e.id)
def test_each_partition_is_the_largest_that_fits_durables_match_stack(entry) -> None:  # type: ignore[no-untyped-def]
    ruleset = api.load_ruleset(entry.id)
    layout = fit_layout(ruleset, fits, largest=24)
    members = _layer_members(ruleset)
    assert [sum(sizes) for sizes in layout] == [len(m) for m in members]
    plan, compiler = compile_plan(ruleset, layout), Compiler(ruleset)
    for layer, sizes in enumerate(layout):
        start = 0
        for size in sizes:
            chunk = members[layer][start:start + size + 1]
            assert fits(_plan_of(compiler, ruleset, layer, [chunk[:size]]).durable_rules())
            if size < 24 and len(chunk) > size:  # one node more would not fit
                assert not fits(_plan_of(compiler, ruleset, layer, [chunk]).durable_rules())
            start += size
    assert fits(plan.durable_rules())
    assert len({p.kind for p in plan.partitions}) == len(plan.partitions)


def test_a_layout_that_does_not_cover_a_layer_is_refused() -> None:
    ruleset = api.load_ruleset(SHIPPED[0].id)
    layout = fit_layout(ruleset, fits)
    layout[0][0] -= 1
    with pytest.raises(ValueError):
        compile_plan(ruleset, layout)


@pytest.mark.parametrize("entry", SHIPPED, ids=lambda e: e.id)
def test_rules_with_one_condition_in_one_partition_are_one_durable_rule(entry) -> None:  # type: ignore[no-untyped-def]
    ruleset = api.load_ruleset(entry.id)
    plan = compile_plan(ruleset, fit_layout(ruleset, fits))
    bodies = [json.dumps(body, sort_keys=True) for body in plan.durable_rules().values()]
    assert len(bodies) == len(set(bodies))
    meanings = plan.meanings()
    assert meanings.keys() == plan.durable_rules().keys()
    stood_for = sorted((m for ms in meanings.values() for m in ms), key=repr)
    assert stood_for == sorted(((r.node, r.kind, r.row) for r in plan.rules if r.condition is not False), key=repr)
    assert any(len(ms) > 1 for ms in meanings.values())  # e.g. a first row's met and wins rules


def test_nodes_whose_rules_can_never_fire_share_a_partition(monkeypatch: pytest.MonkeyPatch) -> None:
    """A node compiled to no rule at all (e.g. a score over a pillar without weights) adds no test;
    a partition of such nodes fits, and the driver is never asked about an empty set of rules."""
    ruleset = api.load_ruleset(SHIPPED[0].id)
    never = {ruleset.criteria[0].when, ruleset.criteria[1].when}
    real = Compiler.both
    monkeypatch.setattr(Compiler, "both", lambda self, node: (False, False) if node in never else real(self, node))

    def checked(rules: dict) -> bool:
        assert rules, "fits asked about no rules"
        return fits(rules)

    layout = fit_layout(ruleset, checked, largest=2)
    assert layout[0][0] == 2
