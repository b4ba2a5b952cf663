"""Static checks on a resolved ruleset: every mistake comes back coded.

Runs on every load. Fact paths and types are checked against the efforts
model's fact catalog, references and cycles against the ruleset itself, and
decision tables for gaps and overlaps by enumerating their inputs' statuses.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from scoring.efforts.facts import ENUM_VALUES, FactSpec, catalog
from scoring.ruleset import ast
from scoring.ruleset.diagnostics import Diagnostic
from scoring.ruleset.walk import facts_read, leaves, refs_read, rule_conditions, template_facts
from scoring.ruleset.tables import table_diagnostics
from scoring.ruleset.never import never_fires

TIER_VALUES = ("1", "2", "2WL", "3", "special")
Node = ast.Criterion | ast.Determination | ast.Table


def at(where: ast.Where, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(code, where.file, where.line, where.col, message, hint)


def check_conditions(criteria: Iterable[ast.Criterion], decisions: Iterable[Node],
                     parameters: dict[str, object] | None = None,
                     named: dict[str, ast.Condition] | None = None) -> list[Diagnostic]:
    """Facts, types, operators, references, parameters and templates.

    ``named`` holds the built named conditions: each is checked once on its own, read or not
    (a rule that reads one is checked with it in place too; the same finding is reported once).
    """
    criteria = list(criteria)
    decisions = list(decisions)
    statuses = {c.id for c in criteria} | {d.id for d in decisions if isinstance(d, ast.Determination)}
    tables = {t.id: t for t in decisions if isinstance(t, ast.Table)}
    out: list[Diagnostic] = []
    names = set(parameters or {})
    for node in [*criteria, *decisions]:
        for condition in rule_conditions(node):
            out += _check_parameters(condition, names)
    for condition in (named or {}).values():
        out += _check_parameters(condition, names)
        out += _check_condition(condition, statuses, tables, in_criterion=False)
    for node in criteria:
        out += _check_condition(node.when, statuses, tables, in_criterion=True)
        out += _check_template(node.explain, node.where, names)
    for node in decisions:
        if isinstance(node, ast.Table):
            out += _check_table_shape(node)
            for row in node.rows:
                out += _check_condition(row.when, statuses, tables, in_criterion=False)
                out += _check_template(row.explain, row.where, names)
        else:
            out += _check_condition(node.when, statuses, tables, in_criterion=False)
            out += _check_template(node.explain, node.where, names)
    return out


def _check_parameters(condition: ast.Condition, names: set[str]) -> list[Diagnostic]:
    """TS120: ``{param: name}`` must name a parameter of the resolved ruleset."""
    out = []
    for leaf in leaves(condition):
        if isinstance(leaf, ast.Compare) and leaf.param is not None and leaf.param not in names:
            close = difflib.get_close_matches(leaf.param, sorted(names), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "declare it under parameters:"
            out.append(at(leaf.where, "TS120", f"unknown parameter {leaf.param!r}", hint))
    return out


def check_unread(criteria: list[ast.Criterion], decisions: list[Node],
                 parameters: dict[str, ast.Where]) -> list[Diagnostic]:
    """TS121 criteria and TS122 parameters nothing reads (probably a forgotten reference or a typo)."""
    conditions = [c for node in decisions for c in rule_conditions(node)]
    read = {ref for c in conditions for ref in refs_read(c)}
    scored = {leaf.pillar for c in conditions for leaf in leaves(c) if isinstance(leaf, ast.Score)}
    out = []
    for criterion in criteria:
        counted = criterion.weight > 0 and criterion.pillar in ast.SCORED_PILLARS and (
            "overall" in scored or criterion.pillar in scored)
        if criterion.id not in read and not counted and not criterion.informational:
            why = "it has no weight in a score" if criterion.weight == 0 or criterion.pillar == "context" \
                else f"no score reads the {criterion.pillar} pillar"
            out.append(at(criterion.where, "TS121", f"criterion {criterion.id!r} is never read: no determination "
                                                     f"or table refers to it and {why}",
                          "refer to it (met:, status:, at_least:), mark it informational: true, or remove it"))
    used = {leaf.param for node in [*criteria, *decisions] for c in rule_conditions(node) for leaf in leaves(c)
            if isinstance(leaf, ast.Compare) and leaf.param}
    for name, where in parameters.items():
        if name not in used and name not in ast.MECHANICS_PARAMETERS:
            out.append(at(where, "TS122", f"parameter {name!r} is never read",
                          "read it in a condition with {param: " + name + "} or remove it"))
    return out


def _unknown_fact(path: str, where: ast.Where) -> Diagnostic:
    close = difflib.get_close_matches(path, list(catalog()), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else "see `tipscore schema input` for the fact paths"
    return at(where, "TS101", f"unknown fact {path!r}", hint)


def _check_condition(
    node: ast.Condition, statuses: set[str], tables: dict[str, ast.Table], *, in_criterion: bool
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    facts = catalog()
    for leaf in leaves(node):
        if isinstance(leaf, (ast.Compare, ast.Known)):
            missing = [p for p in facts_read(leaf) if p not in facts]
            out += [_unknown_fact(p, leaf.where) for p in missing]
            if isinstance(leaf, ast.Compare) and not missing:
                out += _check_compare(leaf, facts)
        elif in_criterion:
            out.append(at(leaf.where, "TS105", "criteria may only test facts",
                          "use a determination to combine criteria, scores or tables"))
        elif isinstance(leaf, ast.OutputIn):
            out += _check_output(leaf, tables)
        elif isinstance(leaf, (ast.Met, ast.StatusIn, ast.AtLeast)):
            for ref in refs_read(leaf):
                if ref not in statuses:
                    close = difflib.get_close_matches(ref, sorted(statuses), n=1)
                    out.append(at(leaf.where, "TS105", f"undefined criterion or determination {ref!r}",
                                  f"did you mean {close[0]!r}?" if close else ""))
            if isinstance(leaf, ast.AtLeast) and leaf.n > len(leaf.refs):
                out.append(at(leaf.where, "TS113", f"at_least {leaf.n} of {len(leaf.refs)} ids can never be met"))
    return out


def _family(spec: FactSpec) -> str:
    return "number" if spec.is_numeric else spec.kind


def _check_compare(leaf: ast.Compare, facts: dict[str, FactSpec]) -> list[Diagnostic]:
    spec = facts[leaf.fact]
    if leaf.param is not None and leaf.value is None:
        return []  # an unknown parameter: TS120 says so
    if spec.kind == "text":
        return [at(leaf.where, "TS103", f"{leaf.fact} is free text: only known/unknown may test it")]
    if spec.kind == "flag" and leaf.op not in ("==", "!="):
        return [at(leaf.where, "TS103", f"{leaf.op!r} on yes/no fact {leaf.fact}", "use == true or == false")]
    if spec.kind in ENUM_VALUES and leaf.op not in ("==", "!=", "in"):
        return [at(leaf.where, "TS103", f"{leaf.op!r} on {leaf.fact}, whose values are names",
                   "names are compared with ==, != or in, never ordered")]
    if isinstance(leaf.value, ast.FactRef):
        other = facts[leaf.value.path]
        if _family(other) != _family(spec):
            return [at(leaf.where, "TS102", f"{leaf.fact} ({spec.kind}) compared with {other.path} ({other.kind})")]
        return []
    values = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
    if leaf.op == "in" and not isinstance(leaf.value, tuple) or leaf.op != "in" and isinstance(leaf.value, tuple):
        return [at(leaf.where, "TS102", f"'in' takes a list and {leaf.op!r} a single value")]
    return [d for value in values for d in _check_literal(leaf, spec, value)]


def _check_literal(leaf: ast.Compare, spec: FactSpec, value: object) -> list[Diagnostic]:
    if spec.is_numeric and (isinstance(value, bool) or not isinstance(value, (int, float))):
        return [at(leaf.where, "TS102", f"{leaf.fact} is a {spec.kind}; compared with {value!r}", "compare numbers with numbers")]
    if spec.kind == "flag" and not isinstance(value, bool):
        return [at(leaf.where, "TS102", f"{leaf.fact} is yes/no; compared with {value!r}", "use true or false")]
    if spec.kind in ENUM_VALUES and value not in ENUM_VALUES[spec.kind]:
        allowed = ", ".join(ENUM_VALUES[spec.kind])
        hint = f"quote it: '{value}'" if str(value) in ENUM_VALUES[spec.kind] else ""  # YAML reads 2 as a number
        return [at(leaf.where, "TS102", f"{leaf.fact} is one of {allowed}; compared with {value!r}", hint)]
    return []


def _check_output(leaf: ast.OutputIn, tables: dict[str, ast.Table]) -> list[Diagnostic]:
    table = tables.get(leaf.table)
    if table is None:
        return [at(leaf.where, "TS105", f"undefined table {leaf.table!r}")]
    allowed = table.outputs.get(leaf.column)
    if allowed is None:
        return [at(leaf.where, "TS117", f"table {leaf.table!r} has no output {leaf.column!r}",
                   f"outputs: {', '.join(table.outputs)}")]
    bad = sorted(leaf.values - set(allowed))
    return [at(leaf.where, "TS117", f"{leaf.table}.{leaf.column} never outputs {', '.join(map(repr, bad))}",
               f"values: {', '.join(allowed)}")] if bad else []


def _check_table_shape(table: ast.Table) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for row in table.rows:
        for column, value in row.then.items():
            if column not in table.outputs:
                out.append(at(row.where, "TS117", f"row sets undeclared output {column!r}",
                              f"declared outputs: {', '.join(table.outputs)}"))
            elif value not in table.outputs[column]:
                out.append(at(row.where, "TS117", f"{column} = {value!r} is not one of {', '.join(table.outputs[column])}"))
        for column in table.outputs:
            if column not in row.then:
                out.append(at(row.where, "TS117", f"row does not set output {column!r}", "every row sets every output"))
    return out


def _check_template(template: str | None, where: ast.Where, parameters: set[str]) -> list[Diagnostic]:
    facts = catalog()
    out = []
    for name in template_facts(template):
        if name.startswith("param."):
            if name.removeprefix("param.") not in parameters:
                out.append(at(where, "TS120", f"explanation names unknown parameter {{{name}}}"))
        elif name not in facts:
            out.append(at(where, "TS116", f"explanation names unknown fact {{{name}}}"))
    return out


def check_citations(nodes: Iterable[Node | ast.NamedCondition]) -> list[Diagnostic]:
    out = []
    for node in nodes:
        if not node.citation.section or not node.citation.enacted_by:
            out.append(at(node.where, "TS110", f"{node.id}: citation needs a section and the enacting act"))
        for row in node.rows if isinstance(node, ast.Table) else ():
            if row.citation is not None and (not row.citation.section or not row.citation.enacted_by):
                out.append(at(row.where, "TS110", f"{node.id}.{row.id}: citation needs a section and the enacting act"))
    return out


def check_tier_table(decisions: list[Node], where: ast.Where) -> list[Diagnostic]:
    """A scoring ruleset must end in a ``tier`` table whose ``tier`` column uses the published tiers."""
    table = next((d for d in decisions if isinstance(d, ast.Table) and d.id == "tier"), None)
    if table is None or "tier" not in table.outputs:
        return [at(where, "TS119", "no table 'tier' with an output column 'tier'",
                   "the outcome comes from table 'tier' (or mark the ruleset abstract: true)")]
    bad = sorted(set(table.outputs["tier"]) - set(TIER_VALUES))
    if bad:
        return [at(table.where, "TS117", f"tier values {bad} are not tiers", f"use {', '.join(TIER_VALUES)}")]
    return []


def check_semantics(criteria: list[ast.Criterion], decisions: list[Node]) -> list[Diagnostic]:
    """Checks that need well-formed references: never-firing rules, table gaps and overlaps."""
    out = [at(c.where, "TS113", f"criterion {c.id!r} can never be met: {why}")
           for c in criteria if (why := never_fires(c.when))]
    out += [at(d.where, "TS113", f"determination {d.id!r} can never be met: {why}")
            for d in decisions if isinstance(d, ast.Determination) and (why := never_fires(d.when))]
    for table in (d for d in decisions if isinstance(d, ast.Table)):
        out += table_diagnostics(table)
    return out
