"""The scored outcome and its explanation: typed values, not log output.

Renderers (scoring.render) only format it. Its JSON form (``--format json``,
scoring.outcome_json) gives each citation once, in a top-level table, and refers
to it from every node: ``tipscore schema output`` prints that form's schema.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    model_serializer,
    model_validator,
)

Tier = Literal["1", "2", "2WL", "3", "special"]
Status = Literal["met", "unmet", "unknown"]
FactValue = bool | int | float | str | None


class _Out(BaseModel):
    """Base of the outcome models. Their validators are built when a model is first used, not at
    import: the plain ``score`` path never reads most of them back (a few ms of every CLI call)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


#: The statute every ruleset cites; a citation's key drops it (``7106(b)(1)``).
STATUTE = "22 U.S.C. "


class CitationOut(_Out):
    section: str
    enacted_by: str
    text: str | None = None
    note: str | None = None

    def section_key(self) -> str:
        """The section without the statute's name (``7106(b)(1)``): the summary's key for it."""
        return self.section.removeprefix(STATUTE)

    def ref(self) -> str:
        """A stable id: ``7106(b)(1)#1a2b3c4d``, the section key and a digest of the whole citation.

        One section is cited with different enacting acts, quoted text and notes, so the
        section alone cannot name a citation; the digest depends only on the citation
        itself, so its id is the same in every outcome and every run.
        """
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return f"{self.section_key()}#{hashlib.sha256(canonical.encode('utf-8')).hexdigest()[:8]}"

    @model_serializer(mode="wrap")
    def _by_reference(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        """Given a ``citations`` table in the context (scoring.outcome_json), enter the citation there once
        and write only its reference in its place."""
        data = handler(self)
        table = info.context.get("citations") if isinstance(info.context, dict) else None
        if table is None:
            return data
        key = self.ref()
        if table.setdefault(key, data) != data:
            raise ValueError(f"two different citations share the id {key}")
        return key

    @model_validator(mode="before")
    @classmethod
    def _from_reference(cls, data: Any, info: ValidationInfo) -> Any:
        """Read a reference back through the ``citations`` table in the context."""
        if isinstance(data, str) and isinstance(info.context, dict) and "citations" in info.context:
            if data not in info.context["citations"]:
                raise ValueError(f"citation {data!r} is not in the citations table")
            return info.context["citations"][data]
        return data


class EvidenceOut(_Out):
    fact: str
    source: str
    quote: str


class CriterionResult(_Out):
    id: str
    title: str
    pillar: str
    weight: int
    status: Status
    citation: CitationOut
    #: every fact the condition reads, with its value (null = the report does not say)
    compared: dict[str, FactValue]
    #: of those, the unstated ones that could still change the status (empty once it is decided)
    open_facts: list[str] = []
    evidence: list[EvidenceOut]
    explanation: str


class DeterminationResult(_Out):
    id: str
    title: str
    status: Status
    citation: CitationOut
    explanation: str


class RowResult(_Out):
    id: str
    status: Status


class TableResult(_Out):
    id: str
    title: str
    hit_policy: str
    citation: CitationOut
    #: the row that applies, or null when undetermined
    row: str | None
    #: "hit", or why no row was chosen: "unknown" (a row could not be assessed), "gap", "overlap"
    reason: str
    outputs: dict[str, str]
    rows: list[RowResult]


class PillarScore(_Out):
    met_weight: int
    unknown_weight: int
    total_weight: int
    #: percent of the weight met (unknown counted as unmet), rounded down; null if no criteria
    score: int | None
    #: percent if every unknown criterion were met
    max_score: int | None
    #: percent of the weight whose status is known
    known_share: int | None


class Waiver(_Out):
    """Eligibility (the three conditions of 7107(b)(2)(D)(ii) shown, under the era's cap) is what the
    rules decide; the grant is the President's determination, which the statute leaves to discretion
    ("may waive"): only a document that records it makes it true."""

    #: the three conditions are shown and the cap is not reached (null: cannot be decided)
    eligible: bool | None
    #: the document records the waiver as granted (true) or refused (false); null: it does not say
    granted: bool | None
    #: which waiver this is in the current watch-list run (1 = first)
    number: int | None
    cap: int | None
    conditions: dict[str, bool | None]


class WatchList(_Out):
    #: consecutive Tier 2 Watch List years including this report, as the report's headline counts them
    consecutive_years: int | None
    #: of those, the years counted toward the automatic downgrade (from the 2009 report); null before 2009
    counted_years: int | None
    automatic_downgrade: Literal["not_applicable", "applied", "waived"] | None
    waiver: Waiver | None
    special_watch_list: bool | None


class Placement(_Out):
    report_year: int
    tier: Tier
    waiver: bool | None = None


class HistoryOut(_Out):
    source: Literal["document", "dataset", "file", "none"]
    facts: dict[str, FactValue]
    placements: list[Placement]


class RulesetRef(_Out):
    id: str
    version: str
    title: str
    report_years: str
    digest: str


class PossibleOutcome(_Out):
    """An outcome the evidence still allows: what a tier-table row not ruled out would give."""

    tier: Tier
    downgrade: Literal["not_applicable", "applied", "waived"] | None = None
    #: the tier-table rows that would give it
    rows: list[str]


class OpenQuestion(_Out):
    """A tier-table row that could not be assessed, and what would decide it."""

    row: str
    #: the outcome if this row applies
    tier: Tier
    downgrade: Literal["not_applicable", "applied", "waived"] | None = None
    #: the unknown determinations, criteria or table outputs the row reads directly
    decided_by: list[str]
    #: the unknown criteria (and ``score.<pillar>`` comparisons) underneath
    criteria: list[str]
    #: the facts the report does not give that those read
    facts: list[str]


class ExplanationNode(_Out):
    kind: Literal["outcome", "table", "row", "determination", "criterion", "score"]
    id: str
    title: str
    status: str
    citation: CitationOut | None = None
    detail: str = ""
    evidence: list[EvidenceOut] = Field(default_factory=list)
    children: list["ExplanationNode"] = Field(default_factory=list)


class Outcome(_Out):
    """One scored country-year."""

    tipscore_output: Literal[1] = 1
    country: str
    iso3: str
    report_year: int
    entity: str
    ruleset: RulesetRef
    engine: Literal["durable-rules", "reference"]
    #: the tier, also when the table is undetermined but every outcome still possible has the same tier
    tier: Tier | None
    determined: bool
    #: the tier table row that decided the tier
    tier_row: str | None
    #: every outcome still possible, in the tier table's order (one when decided)
    possible_outcomes: list[PossibleOutcome]
    #: for each tier-table row that could not be assessed, what would decide it (empty when decided)
    open_questions: list[OpenQuestion]
    watch_list: WatchList
    scores: dict[str, PillarScore]
    criteria: list[CriterionResult]
    determinations: list[DeterminationResult]
    tables: list[TableResult]
    #: criteria that could not be assessed because the report does not give their facts
    not_assessable: list[str]
    history: HistoryOut
    explanation: ExplanationNode
