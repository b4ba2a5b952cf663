"""The checked form of a ruleset: plain frozen dataclasses.

Conditions form a small closed language (docs/ruleset-language.md). Both the
durable-rules compiler and the reference evaluator walk these nodes, so their
meaning is defined once, by ``scoring.engine.reference``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

Status = Literal["met", "unmet", "unknown"]
Pillar = Literal["prosecution", "protection", "prevention", "partnership", "context"]
SCORED_PILLARS: tuple[str, ...] = ("prosecution", "protection", "prevention", "partnership")
Op = Literal["==", "!=", ">", ">=", "<", "<=", "in"]
Literal_ = Union[bool, int, float, str]


@dataclass(frozen=True)
class Where:
    """A place in a ruleset file, for diagnostics and explanations."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}" if self.line else self.file


@dataclass(frozen=True)
class FactRef:
    """A fact compared with another fact (``value: {fact: path}``), not with a literal."""

    path: str


@dataclass(frozen=True)
class Compare:
    """``fact op value``; unknown when either side is unknown (an unknown is never compared as a value)."""

    fact: str
    op: Op
    value: Literal_ | tuple[Literal_, ...] | FactRef
    where: Where = field(compare=False, default=Where(""))
    #: the ruleset parameter ``value`` was read from (``{param: waiver_cap}``), resolved when the
    #: ruleset is built, so every engine compares with the same literal
    param: str | None = None


@dataclass(frozen=True)
class Known:
    """Whether the report states the fact (``known:``), or does not (``unknown:``)."""

    fact: str
    negate: bool = False  #: True for ``unknown: path``
    where: Where = field(compare=False, default=Where(""))


@dataclass(frozen=True)
class Always:
    """The condition that always holds: a row or criterion without ``when``."""

    where: Where = field(compare=False, default=Where(""))


@dataclass(frozen=True)
class All:
    """Every item holds (``all:``)."""

    items: tuple["Condition", ...]
    where: Where = field(compare=False, default=Where(""))


@dataclass(frozen=True)
class Any_:
    """At least one item holds (``any:``); the trailing underscore keeps the builtin ``any``."""

    items: tuple["Condition", ...]
    where: Where = field(compare=False, default=Where(""))


@dataclass(frozen=True)
class Not:
    """The item does not hold (``not:``)."""

    item: "Condition"
    where: Where = field(compare=False, default=Where(""))


@dataclass(frozen=True)
class Met:
    """The named criterion or determination is met (``met: id``)."""

    ref: str
    where: Where = field(compare=False, default=Where(""))


@dataclass(frozen=True)
class StatusIn:
    """The named criterion or determination has one of these statuses (met, unmet, unknown)."""

    ref: str
    statuses: frozenset[Status]
    where: Where = field(compare=False, default=Where(""))


@dataclass(frozen=True)
class AtLeast:
    """At least ``n`` of the named nodes are met; unknown while the unknown ones could still make ``n``."""

    n: int
    refs: tuple[str, ...]
    where: Where = field(compare=False, default=Where(""))


@dataclass(frozen=True)
class Score:
    """A pillar's (or the overall) score, in percent, compared with a threshold."""

    pillar: str  #: a scored pillar or "overall"
    op: Literal[">=", ">", "<=", "<"]
    threshold: int  #: percent, 0..100
    where: Where = field(compare=False, default=Where(""))


@dataclass(frozen=True)
class OutputIn:
    """A decision table's output column took one of these values."""

    table: str
    column: str
    values: frozenset[str]
    where: Where = field(compare=False, default=Where(""))


Condition = Union[Compare, Known, Always, All, Any_, Not, Met, StatusIn, AtLeast, Score, OutputIn]


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from: the section of 22 U.S.C. and the act that enacted its wording."""

    section: str
    enacted_by: str
    text: str | None = None
    note: str | None = None

    def __str__(self) -> str:
        return f"{self.section} ({self.enacted_by})"


@dataclass(frozen=True)
class Criterion:
    """A minimum standard or effort read from the document's facts, with its pillar and weight."""

    id: str
    title: str
    citation: Citation
    pillar: Pillar
    weight: int
    when: Condition
    explain: str | None
    where: Where
    origin: str  #: id of the ruleset that defined it
    informational: bool = False  #: shown in explanations only; no rule is meant to read it


@dataclass(frozen=True)
class Determination:
    """A named finding built from criteria and other determinations (e.g. significant efforts)."""

    id: str
    title: str
    citation: Citation
    when: Condition
    explain: str | None
    where: Where
    origin: str


@dataclass(frozen=True)
class NamedCondition:
    """A condition written once under ``conditions:``, with its citation.

    Rules hold the condition itself (``{condition: id}`` is resolved when the ruleset is built,
    scoring.ruleset.parse.Named), so no engine reads this record: it keeps the name, the law it
    encodes and its place for the law pages and ``tipscore show``.
    """

    id: str
    title: str
    citation: Citation
    when: Condition
    where: Where
    origin: str  #: id of the ruleset that defined it


@dataclass(frozen=True)
class Row:
    """One row of a decision table: when its condition holds, the table outputs ``then``."""

    index: int
    id: str
    when: Condition
    then: dict[str, str]
    priority: int
    citation: Citation | None
    explain: str | None
    where: Where


@dataclass(frozen=True)
class Table:
    """A decision table (DMN-style hit policy) that decides an output such as the tier."""

    id: str
    title: str
    citation: Citation
    hit_policy: Literal["first", "unique", "priority"]
    outputs: dict[str, tuple[str, ...]]
    rows: tuple[Row, ...]
    where: Where
    origin: str

    def ordered_rows(self) -> tuple[Row, ...]:
        """Rows in evaluation order (by priority, highest first, for ``priority``)."""
        if self.hit_policy == "priority":
            return tuple(sorted(self.rows, key=lambda row: (-row.priority, row.index)))
        return self.rows


#: Parameters the tier mechanics read (scoring.history); any other parameter is the author's own.
MECHANICS_PARAMETERS = ("watch_list_years_count_from", "waiver_cap", "reentry_limit")


@dataclass(frozen=True)
class Parameters:
    """The era's statutory numbers the tier mechanics read (waiver cap, counting start, re-entry)."""

    watch_list_years_count_from: int | None = None
    waiver_cap: int | None = None
    reentry_limit: bool = False
    extra: tuple[tuple[str, Literal_], ...] = ()  #: the author's own parameters, by name

    @classmethod
    def of(cls, values: dict[str, Literal_]) -> "Parameters":
        known = {k: v for k, v in values.items() if k in MECHANICS_PARAMETERS}
        extra = tuple(sorted((k, v) for k, v in values.items() if k not in MECHANICS_PARAMETERS))
        return cls(**known, extra=extra)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, Literal_ | None]:
        """Every parameter that has a value, by name."""
        known = {k: getattr(self, k) for k in MECHANICS_PARAMETERS if getattr(self, k) is not None}
        return {**known, **dict(self.extra)}


@dataclass(frozen=True)
class Ruleset:
    """A resolved ruleset (``extends`` already applied), in evaluation order."""

    id: str
    title: str
    version: str
    first_year: int
    last_year: int | None
    abstract: bool
    extends: tuple[str, ...]  #: the chain of ancestors, nearest first
    parameters: Parameters
    criteria: tuple[Criterion, ...]
    determinations: tuple[Determination, ...]
    tables: tuple[Table, ...]
    order: tuple[str, ...]  #: determination and table ids, dependencies first
    file: str
    digest: str  #: sha256 of the canonical resolved content
    conditions: tuple[NamedCondition, ...] = ()  #: the named conditions, already in place in the rules

    def covers(self, report_year: int) -> bool:
        return self.first_year <= report_year and (self.last_year is None or report_year <= self.last_year)

    def decision(self, node_id: str) -> Determination | Table:
        """The determination or table with this id."""
        for node in self.determinations + self.tables:  # type: ignore[operator]
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def decisions(self) -> list[Determination | Table]:
        """Determinations and tables in evaluation order."""
        by_id = {node.id: node for node in self.determinations + self.tables}  # type: ignore[operator]
        return [by_id[node_id] for node_id in self.order]

    @property
    def years(self) -> str:
        return f"{self.first_year}-{self.last_year}" if self.last_year else f"{self.first_year}-"
