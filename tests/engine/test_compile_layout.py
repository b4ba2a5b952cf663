"""Layers and partitions of the compiled plan: as few asserted facts per scoring as durable allows."""

from __future__ import annotations

import pytest

from scoring import api
from scoring.engine.compile import Compiler, _layer_members, _plan_of, compile_plan, fit_layout
from scoring.engine.durable_driver import fits
from scoring.ruleset import ast
from scoring.ruleset.registry import shipped
from scoring.ruleset.walk import refs_read, uses_scores

SHIPPED = [e for e in shipped() if not e.abstract]


def _reads(node: object) -> tuple[list[str], bool]:
    conditions = [row.when for row in node.rows] if isinstance(node, ast.Table) else [node.when]  # type: ignore[attr-defined]
    return [r for c in conditions for r in refs_read(c)], any(uses_scores(c) for c in conditions)


@pytest.mark.parametrize("entry", SHIPPED, ids=lambda e: e.id)
def test_each_node_sits_one_layer_after_the_latest_node_it_reads(entry) -> None:  # type: ignore[no-untyped-def]
    ruleset = api.load_ruleset(entry.id)
    layer = {n.id: i for i, members in enumerate(_layer_members(ruleset)) for n in members}
    assert all(layer[c.id] == 0 for c in ruleset.criteria)
    for node in ruleset.decisions():
        reads, scored = _reads(node)
        assert layer[node.id] == max([1 + layer[r] for r in reads] + [1 if scored else 0]), node.id
    facts_only = [n.id for n in ruleset.decisions() if _reads(n) == ([], False)]
    assert all(layer[n] == 0 for n in facts_only)


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
