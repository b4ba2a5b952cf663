"""Stage 3: compile a checked ruleset into durable-rules' dict form.

Each criterion, determination and table row becomes a *met* rule and an
*unmet* rule, with known-ness pushed to the leaves: a comparison on a missing
field never matches in durable, so an unknown fact fires neither rule and the
status is unknown — exactly Kleene's semantics. Table rows also get a *wins*
rule that encodes the hit policy. Nodes are stratified into layers (criteria and
what reads only input facts, then by dependency); each layer is asserted as facts
carrying the input facts it reads plus what it needs of earlier layers: the
status (``s__id``: "met", "unmet" or "unknown") of each node it refers to, the
0/1 counts ``m__id``/``u__id`` only of the nodes an ``at_least`` counts, the
pillar tallies (``t__pillar__met``/``__unmet`` weights, as the reference
evaluator tallies them) only where a score is compared, and table outputs
(``o__table__column``). Fewer, smaller facts are what durable spends its time
on, so in the compiled rules and facts each of these names is written as a short
hash of itself (``f``, ``s``, ``m``, ``u``, ``t`` or ``o`` and 10 hex digits, see
``_short``). Counting and scores are integer ``$add``/``$mul``/``$sub`` against a
``__zero`` field, so nothing divides. Layers are split into partitions, each fact
``type`` naming its layer and partition, as large as durable's match stack allows
(``fit_layout``): fewer facts per scoring, none meeting more tests than durable can
match at once.

This module has no durable import: it produces data, checked again by the
driver before anything reaches C.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Callable

from scoring.ruleset import ast
from scoring.ruleset.walk import facts_read, leaves, refs_read, rule_conditions, uses_scores

Expr = dict[str, Any] | bool  #: a durable condition; True/False are folded constants

OPS = {"==": "$eq", "!=": "$neq", ">": "$gt", ">=": "$gte", "<": "$lt", "<=": "$lte"}
NEGATE = {"==": "!=", "!=": "==", ">": "<=", ">=": "<", "<": ">=", "<=": ">"}


def _short(prefix: str, name: str) -> str:
    """A short, deterministic key for ``name``: durable parses every asserted fact's JSON text
    and hashes each key, so long dotted paths cost C time on every layer of every scoring. Two
    names sharing a key in one fact are refused by the driver's shape check (ENG-KEY), never merged."""
    return prefix + hashlib.blake2s(name.encode(), digest_size=5).hexdigest()


@lru_cache(maxsize=None)
def fact_field(path: str) -> str:
    return _short("f", path)


@lru_cache(maxsize=None)
def met_field(ref: str) -> str:
    return _short("m", ref)


@lru_cache(maxsize=None)
def unmet_field(ref: str) -> str:
    return _short("u", ref)


@lru_cache(maxsize=None)
def status_field(ref: str) -> str:
    return _short("s", ref)


@lru_cache(maxsize=None)
def tally_field(pillar: str, status: str) -> str:
    return _short("t", f"{pillar}__{status}")


@lru_cache(maxsize=None)
def output_field(table: str, column: str) -> str:
    return _short("o", f"{table}__{column}")


@dataclass
class Rule:
    """One durable rule and what its firing means."""

    name: str
    node: str  #: criterion/determination/table id
    kind: str  #: "met", "unmet" or "wins"
    row: int | None
    condition: Expr


@dataclass
class Partition:
    layer: int
    part: int
    nodes: list[str]
    facts: list[str] = field(default_factory=list)  #: input fact paths its rules read
    refs: list[str] = field(default_factory=list)  #: statuses it reads (s__id)
    counted: list[str] = field(default_factory=list)  #: 0/1 counts it sums (m__id/u__id)
    scores: list[str] = field(default_factory=list)  #: pillars whose tallies it compares
    arithmetic: bool = False  #: its rules compare sums against ``__zero`` (only then is it posted)
    outputs: list[tuple[str, str]] = field(default_factory=list)  #: table outputs it reads

    @property
    def kind(self) -> str:
        """The ``type`` of its fact and the first test of each of its rules: one string per
        partition, so a fact meets only its own partition's tests (string equalities on one field
        exclude each other in durable's match stack) and carries no separate partition field."""
        return f"layer{self.layer}p{self.part}"


@dataclass
class Plan:
    """A compiled ruleset: rules plus how to build each layer's facts."""

    rules: list[Rule]
    partitions: list[Partition]

    @property
    def layers(self) -> list[list[Partition]]:
        count = max(p.layer for p in self.partitions) + 1
        return [[p for p in self.partitions if p.layer == i] for i in range(count)]

    def durable_rules(self) -> dict[str, dict[str, Any]]:
        """One durable rule per distinct (partition, condition): a rule whose condition another
        rule of its partition already has (an alias such as ``met: id`` inlined, a first row's
        met and wins) is not repeated, as every durable rule costs state in each session and an
        activation when it fires; ``meanings`` says what each durable rule decides."""
        return {name: body for name, (body, _) in self._grouped().items()}

    def meanings(self) -> dict[str, list[tuple[str, str, int | None]]]:
        """Durable rule name -> the (node, kind, row) of every rule it stands for."""
        return {name: meaning for name, (_, meaning) in self._grouped().items()}

    def _grouped(self) -> dict[str, tuple[dict[str, Any], list[tuple[str, str, int | None]]]]:
        out: dict[str, tuple[dict[str, Any], list[tuple[str, str, int | None]]]] = {}
        first: dict[str, str] = {}  #: canonical body -> the name of the rule that has it
        for rule in self.rules:
            if rule.condition is False:
                continue
            discriminator = {"type": self.partition_of(rule.node).kind}
            body = discriminator if rule.condition is True else {"$and": [discriminator, rule.condition]}
            name = first.setdefault(json.dumps(body, sort_keys=True), rule.name)
            out.setdefault(name, ({"all": [{"m": body}]}, []))[1].append((rule.node, rule.kind, rule.row))
        return out

    def partition_of(self, node: str) -> Partition:
        return next(p for p in self.partitions if node in p.nodes)


def _and(items: list[Expr]) -> Expr:
    if any(item is False for item in items):
        return False
    kept = [item for item in items if item is not True]
    if not kept:
        return True
    return kept[0] if len(kept) == 1 else {"$and": kept}


def _or(items: list[Expr]) -> Expr:
    if any(item is True for item in items):
        return True
    kept = [item for item in items if item is not False]
    if not kept:
        return False
    return kept[0] if len(kept) == 1 else {"$or": kept}


def _sum(terms: list[dict[str, Any]]) -> dict[str, Any] | int:
    """A balanced $add tree (keeps durable's expression depth logarithmic)."""
    if not terms:
        return 0
    if len(terms) == 1:
        return terms[0]
    mid = len(terms) // 2
    return {"$add": {"$l": _sum(terms[:mid]), "$r": _sum(terms[mid:])}}


def _at_least_zero(terms: list[dict[str, Any]], constant: int, strict: bool) -> Expr:
    """``sum(terms) - constant >= 0`` (or ``> 0`` when strict), with constant folding."""
    if not terms:
        return (0 - constant > 0) if strict else (0 - constant >= 0)
    expression = {"$sub": {"$l": _sum(terms), "$r": constant}}
    return {"$lt" if strict else "$lte": {"__zero": expression}}


def _compare(field_name: str, op: str, value: Any) -> Expr:
    if op == "==":
        return {field_name: value}
    return {OPS[op]: {field_name: value}}


class Compiler:
    """Compiles conditions to (met, unmet) durable expressions."""

    def __init__(self, ruleset: ast.Ruleset) -> None:
        self.ruleset = ruleset

    def both(self, node: ast.Condition) -> tuple[Expr, Expr]:
        if isinstance(node, ast.All):
            parts = [self.both(item) for item in node.items]
            return _and([m for m, _ in parts]), _or([u for _, u in parts])
        if isinstance(node, ast.Any_):
            parts = [self.both(item) for item in node.items]
            return _or([m for m, _ in parts]), _and([u for _, u in parts])
        if isinstance(node, ast.Not):
            met, unmet = self.both(node.item)
            return unmet, met
        return self.leaf(node)

    def leaf(self, node: ast.Condition) -> tuple[Expr, Expr]:
        if isinstance(node, ast.Always):
            return True, False
        if isinstance(node, ast.Compare):
            return self.compare(node, node.op), self.compare(node, NEGATE.get(node.op, "not in"))
        if isinstance(node, ast.Known):
            known, absent = {"$ex": {fact_field(node.fact): 1}}, {"$nex": {fact_field(node.fact): 1}}
            return (absent, known) if node.negate else (known, absent)
        if isinstance(node, ast.Met):
            return {status_field(node.ref): "met"}, {status_field(node.ref): "unmet"}
        if isinstance(node, ast.StatusIn):
            chosen = [s for s in ("met", "unmet", "unknown") if s in node.statuses]
            others = [s for s in ("met", "unmet", "unknown") if s not in node.statuses]
            return self.status_in(node.ref, chosen), self.status_in(node.ref, others)
        if isinstance(node, ast.AtLeast):
            met_terms = [{"$m": met_field(r)} for r in node.refs]
            unmet_terms = [{"$m": unmet_field(r)} for r in node.refs]
            return (_at_least_zero(met_terms, node.n, strict=False),
                    _at_least_zero(unmet_terms, len(node.refs) - node.n, strict=True))
        if isinstance(node, ast.Score):
            return self.score(node)
        if isinstance(node, ast.OutputIn):
            name = output_field(node.table, node.column)
            return (_or([{name: v} for v in sorted(node.values)]),
                    _and([{"$neq": {name: v}} for v in sorted(node.values)]))
        raise TypeError(f"cannot compile {node!r}")

    @staticmethod
    def status_in(ref: str, statuses: list[str]) -> Expr:
        """One test on the always-posted status field: two of three as ``!=`` the third (an $or
        would fire once per true branch)."""
        name = status_field(ref)
        if len(statuses) == 2:
            return {"$neq": {name: next(s for s in ("met", "unmet", "unknown") if s not in statuses)}}
        return _or([{name: s} for s in statuses])

    @staticmethod
    def compare(node: ast.Compare, op: str) -> Expr:
        name = fact_field(node.fact)
        if isinstance(node.value, ast.FactRef):
            # durable's $eq/$neq match a missing $m field as if it were null: guard both sides
            other = fact_field(node.value.path)
            return _and([{"$ex": {name: 1}}, {"$ex": {other: 1}}, {OPS[op]: {name: {"$m": other}}}])
        if op == "in":
            return _or([{name: v} for v in node.value])  # type: ignore[union-attr]
        if op == "not in":
            return _and([{"$neq": {name: v}} for v in node.value])  # type: ignore[union-attr]
        return _compare(name, op, node.value)

    def score(self, node: ast.Score) -> tuple[Expr, Expr]:
        chosen = [c for c in self.ruleset.criteria
                  if c.weight and (c.pillar == node.pillar or (node.pillar == "overall" and c.pillar in ast.SCORED_PILLARS))]
        total = sum(c.weight for c in chosen)
        if total == 0:
            return False, False
        met_terms = [{"$mul": {"$l": {"$m": tally_field(node.pillar, "met")}, "$r": 100}}]
        unmet_terms = [{"$mul": {"$l": {"$m": tally_field(node.pillar, "unmet")}, "$r": 100}}]
        low_bar, high_bar = node.threshold * total, (100 - node.threshold) * total
        reaches = _at_least_zero(met_terms, low_bar, strict=node.op == ">")  # 100*M >= (or >) t*W
        falls_short = _at_least_zero(unmet_terms, high_bar, strict=node.op == ">=")  # 100*(M+U) < (or <=) t*W
        if node.op in (">=", ">"):
            return reaches, falls_short
        # <= t is met when even the optimistic share is <= t; < t when it is < t
        stays_under = _at_least_zero(unmet_terms, high_bar, strict=node.op == "<")
        exceeds = _at_least_zero(met_terms, low_bar, strict=node.op == "<=")
        return stays_under, exceeds


MAX_EXPRESSIONS = 31  #: durable's expression slots per pattern (MAX_SEQUENCE_EXPRESSIONS 32: error 113)
MAX_INLINED_TESTS = 32  #: leaf tests a node's rules may hold once inlined (half of durable's match stack)


def _slots(expr: Expr) -> int:
    """Expression slots a condition takes in durable (rete.c createAlpha): two per $and/$or, one
    per test against a computed value or another field."""
    if not isinstance(expr, dict):
        return 0
    (op, arg), = expr.items()
    if op in ("$and", "$or"):
        return 2 + sum(map(_slots, arg))
    value = next(iter(arg.values())) if op.startswith("$") and op not in ("$ex", "$nex") else arg
    return 1 if isinstance(value, dict) else 0


def _tests(expr: Expr) -> int:
    if not isinstance(expr, dict):
        return 0
    (op, arg), = expr.items()
    return sum(map(_tests, arg)) if op in ("$and", "$or") else 1


def _layer_of(conditions: list[ast.Condition], layer: dict[str, int]) -> int:
    """One after the latest node the conditions read; 1 for a score (the tallies follow layer 0)."""
    reads = [ref for condition in conditions for ref in refs_read(condition)]
    scored = any(uses_scores(condition) for condition in conditions)
    return max([1 + layer[ref] for ref in reads] + [1 if scored else 0])


def _met_refs(condition: ast.Condition) -> list[str]:
    return [leaf.ref for leaf in leaves(condition) if isinstance(leaf, ast.Met)]


def _substitute(condition: ast.Condition, whens: dict[str, ast.Condition]) -> ast.Condition:
    """``condition`` with each ``met: id`` of ``whens`` replaced by that determination's condition."""
    if isinstance(condition, ast.Met) and condition.ref in whens:
        return whens[condition.ref]
    if isinstance(condition, (ast.All, ast.Any_)):
        return replace(condition, items=tuple(_substitute(item, whens) for item in condition.items))
    if isinstance(condition, ast.Not):
        return replace(condition, item=_substitute(condition.item, whens))
    return condition


def _with_conditions(node: Any, conditions: list[ast.Condition]) -> Any:
    if isinstance(node, ast.Table):
        return replace(node, rows=tuple(replace(row, when=when) for row, when in zip(node.rows, conditions)))
    return replace(node, when=conditions[0])


def _engine_nodes(ruleset: ast.Ruleset) -> tuple[list[Any], dict[str, int]]:
    """The nodes as the engine evaluates them, and each one's layer.

    A node sits one layer after the latest node it reads: one that reads only input facts joins
    the criteria in layer 0. Every layer is one more assert, drain and Python round trip per
    scoring, so where a node waits for a determination only through ``met: id``, that reference
    is replaced by the determination's own condition when this moves the node to an earlier layer
    and its rules stay small (durable's expression slots and match stack). The status is the same:
    ``met: id`` has exactly the status of id's condition (Kleene), and id keeps its own rules.
    """
    compiler = Compiler(ruleset)
    layer = {c.id: 0 for c in ruleset.criteria}
    whens: dict[str, ast.Condition] = {}  #: determination id -> its (inlined) condition
    nodes: list[Any] = list(ruleset.criteria)
    for node in ruleset.decisions():
        conditions = rule_conditions(node)
        at = _layer_of(conditions, layer)
        while late := {ref: whens[ref] for c in conditions for ref in _met_refs(c) if ref in whens and layer[ref] + 1 == at}:
            tried = [_substitute(c, late) for c in conditions]
            earlier = _layer_of(tried, layer)
            if earlier >= at or not _small(compiler, _with_conditions(node, tried)):
                break
            conditions, at = tried, earlier
        node = _with_conditions(node, conditions) if conditions != rule_conditions(node) else node
        layer[node.id] = at
        if isinstance(node, ast.Determination):
            whens[node.id] = node.when
        nodes.append(node)
    return nodes, layer


def _small(compiler: Compiler, node: Any) -> bool:
    rules = _node_rules(compiler, node, 0)
    return (all(_slots(r.condition) + 2 <= MAX_EXPRESSIONS for r in rules)  # + the type discriminator's $and
            and sum(_tests(r.condition) for r in rules) <= MAX_INLINED_TESTS)


Layout = list[list[int]]  #: per layer, the number of nodes in each of its partitions


def _layer_members(ruleset: ast.Ruleset) -> list[list[Any]]:
    nodes, layer_of = _engine_nodes(ruleset)
    return [[n for n in nodes if layer_of[n.id] == layer] for layer in sorted(set(layer_of.values()))]


def fit_layout(ruleset: ast.Ruleset, fits: Callable[[dict[str, dict[str, Any]]], bool], largest: int = 24) -> Layout:
    """Partitions as large as ``fits`` allows (at most ``largest`` nodes), per layer, in node order.

    Every asserted fact costs durable a parse and a match, so fewer partitions mean fewer facts per
    scoring; but one fact may not reach more tests than durable's match stack holds (ENG-FANOUT),
    which ``fits`` checks on a partition's rules alone. That is exact because partitions' facts have
    distinct ``type`` strings, and equalities on one string field exclude each other on the stack."""
    compiler = Compiler(ruleset)
    layout: Layout = []
    for layer, members in enumerate(_layer_members(ruleset)):
        sizes: list[int] = []
        start = 0
        while start < len(members):
            low, high = 1, min(largest, len(members) - start)  # a prefix that fits: adding rules
            while low < high:  # only adds tests, so the largest fitting prefix is found by bisection
                middle = (low + high + 1) // 2
                rules = _plan_of(compiler, ruleset, layer, [members[start:start + middle]]).durable_rules()
                if not rules or fits(rules):  # nodes whose rules can never fire add no test
                    low = middle
                else:
                    high = middle - 1
            sizes.append(low)
            start += low
        layout.append(sizes)
    return layout


def compile_plan(ruleset: ast.Ruleset, layout: Layout | int = 12) -> Plan:
    """The durable rules and layer layout for ``ruleset``: partitions of ``layout`` nodes each, or
    as ``layout`` lists them per layer (see ``fit_layout``)."""
    compiler = Compiler(ruleset)
    rules: list[Rule] = []
    partitions: list[Partition] = []
    for layer, members in enumerate(_layer_members(ruleset)):
        sizes = ([min(layout, len(members) - i) for i in range(0, len(members), layout)] if isinstance(layout, int)
                 else layout[layer])
        if sum(sizes) != len(members):
            raise ValueError(f"layout {sizes} does not cover the {len(members)} nodes of layer {layer}")
        chunks, start = [], 0
        for size in sizes:
            chunks.append(members[start:start + size])
            start += size
        plan = _plan_of(compiler, ruleset, layer, chunks, len(rules))
        rules += plan.rules
        partitions += plan.partitions
    return Plan(rules, partitions)


def _plan_of(compiler: Compiler, ruleset: ast.Ruleset, layer: int, chunks: list[list[Any]], first: int = 0) -> Plan:
    """The rules and partitions of one layer's ``chunks`` of nodes (rules numbered from ``first``)."""
    rules: list[Rule] = []
    partitions: list[Partition] = []
    for part, chunk in enumerate(chunks):
        partitions.append(_partition(ruleset, layer, part, chunk))
        for node in chunk:
            rules += _node_rules(compiler, node, first + len(rules))
    return Plan(rules, partitions)


def _partition(ruleset: ast.Ruleset, layer: int, part: int, chunk: list[Any]) -> Partition:
    facts: dict[str, None] = {}
    refs: dict[str, None] = {}
    counted: dict[str, None] = {}
    scores: dict[str, None] = {}
    outputs: dict[tuple[str, str], None] = {}
    for node in chunk:
        for condition in rule_conditions(node):
            facts.update(dict.fromkeys(facts_read(condition)))
            for leaf in leaves(condition):
                if isinstance(leaf, (ast.Met, ast.StatusIn)):
                    refs[leaf.ref] = None
                elif isinstance(leaf, ast.AtLeast):
                    counted.update(dict.fromkeys(leaf.refs))
                elif isinstance(leaf, ast.Score):
                    scores[leaf.pillar] = None
                elif isinstance(leaf, ast.OutputIn):
                    outputs[(leaf.table, leaf.column)] = None
    return Partition(layer, part, [n.id for n in chunk], list(facts), list(refs), list(counted), list(scores),
                     outputs=list(outputs), arithmetic=bool(counted or scores))


def _node_rules(compiler: Compiler, node: Any, start: int) -> list[Rule]:
    if not isinstance(node, ast.Table):
        met, unmet = compiler.both(node.when)
        return [Rule(f"r{start}", node.id, "met", None, met), Rule(f"r{start + 1}", node.id, "unmet", None, unmet)]
    rules: list[Rule] = []
    ordered = node.ordered_rows()
    for position, row in enumerate(ordered):
        met, unmet = compiler.both(row.when)
        if node.hit_policy == "unique":
            others = [r for r in node.rows if r.index != row.index]
        else:
            others = list(ordered[:position])
        wins = _and([met] + [compiler.both(r.when)[1] for r in others])
        for kind, condition in (("met", met), ("unmet", unmet), ("wins", wins)):
            rules.append(Rule(f"r{start + len(rules)}", node.id, kind, row.index, condition))
    return rules
