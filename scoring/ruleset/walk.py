"""Walking conditions: the facts and ids a condition reads."""

from __future__ import annotations

from collections.abc import Iterator

from scoring.ruleset import ast


def rule_conditions(node: ast.Criterion | ast.Determination | ast.Table) -> list[ast.Condition]:
    """A rule's conditions: a criterion's or determination's ``when``, or each table row's."""
    return [row.when for row in node.rows] if isinstance(node, ast.Table) else [node.when]


def children(node: ast.Condition) -> tuple[ast.Condition, ...]:
    if isinstance(node, (ast.All, ast.Any_)):
        return node.items
    if isinstance(node, ast.Not):
        return (node.item,)
    return ()


def leaves(node: ast.Condition) -> Iterator[ast.Condition]:
    """Every non-boolean node, depth first, in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        kids = children(current)
        if kids:
            stack.extend(reversed(kids))
        elif not isinstance(current, (ast.All, ast.Any_, ast.Not)):
            yield current


def facts_read(node: ast.Condition) -> list[str]:
    """Fact paths a condition compares or tests, in order, without repeats."""
    seen: dict[str, None] = {}
    for leaf in leaves(node):
        if isinstance(leaf, ast.Compare):
            seen[leaf.fact] = None
            if isinstance(leaf.value, ast.FactRef):
                seen[leaf.value.path] = None
        elif isinstance(leaf, ast.Known):
            seen[leaf.fact] = None
    return list(seen)


def refs_read(node: ast.Condition) -> list[str]:
    """Criterion, determination and table ids a condition depends on."""
    seen: dict[str, None] = {}
    for leaf in leaves(node):
        if isinstance(leaf, (ast.Met, ast.StatusIn)):
            seen[leaf.ref] = None
        elif isinstance(leaf, ast.AtLeast):
            for ref in leaf.refs:
                seen[ref] = None
        elif isinstance(leaf, ast.OutputIn):
            seen[leaf.table] = None
    return list(seen)


def uses_scores(node: ast.Condition) -> bool:
    return any(isinstance(leaf, ast.Score) for leaf in leaves(node))


def template_facts(template: str | None) -> list[str]:
    """Fact paths named by ``{placeholders}`` in an explanation template."""
    import re

    return re.findall(r"\{([a-z][a-z0-9_.]*)\}", template or "")
