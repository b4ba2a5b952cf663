"""The fact catalog: every path a rule may read, its kind and its polarity.

Rules never see pydantic objects. A document is flattened to a mapping of fact
path -> value holding only *known* facts (unknown facts are absent, never
null), which is what both the durable-rules engine and the reference evaluator
consume. Counts contribute four facts: ``p`` (this period), ``p.previous``,
``p.change`` (``increased``/``decreased``/``unchanged``, from the numbers when
both are known, else from the report's stated trend) and ``p.at_least`` (the
value when known, else the bound the report states: "some" is 1).

What was read: ``coded.<part>`` is true for each part of the source the document
declares coded (every part of the chapter when it declares nothing) and unknown
otherwise, never false. Rules that read silence as "not shown" are gated on it,
so silence outside the coded parts stays unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from scoring.efforts.model import WHOLE_CHAPTER_PARTS, EffortsDocument
from scoring.efforts.values import Count, Flag, Number, Polarity, Text, as_fact

FactKind = Literal["count", "flag", "number", "text", "change", "year", "tier", "entity"]
Value = bool | int | float | str

#: The values a fact of each kind may take when it is an enumeration.
ENUM_VALUES: dict[str, tuple[str, ...]] = {
    "change": ("increased", "decreased", "unchanged"),
    "tier": ("1", "2", "2WL", "3", "special"),
    "entity": ("country", "non_country_entity"),
}


@dataclass(frozen=True)
class FactSpec:
    """What a rule may do with a fact path."""

    path: str
    kind: FactKind
    polarity: Polarity
    description: str
    #: the statute clause that reads the fact, where the model names one
    citation: str | None = None

    @property
    def is_numeric(self) -> bool:
        return self.kind in ("count", "number", "year")


_WRAPPERS: dict[type, FactKind] = {Count: "count", Flag: "flag", Number: "number", Text: "text"}


def _wrapper_of(annotation: Any) -> type | None:
    for arg in getattr(annotation, "__args__", ()):
        if arg in _WRAPPERS:
            return arg
    return None


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _walk(model: type[BaseModel], prefix: str) -> list[tuple[str, type, Polarity, str, str | None]]:
    found: list[tuple[str, type, Polarity, str, str | None]] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        wrapper = _wrapper_of(info.annotation)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if wrapper is not None:
            polarity = extra.get("x-polarity", "neutral")
            found.append((path, wrapper, polarity, info.description or name, extra.get("x-citation")))  # type: ignore[arg-type]
        elif (sub := _model_of(info.annotation)) is not None:
            found.extend(_walk(sub, f"{path}."))
    return found


#: Facts computed from the tier history with the ruleset's era parameters (see scoring.history).
HISTORY_FACTS: tuple[FactSpec, ...] = (
    FactSpec("history.previous_tier", "tier", "neutral", "Tier published in the previous report"),
    FactSpec("history.consecutive_watch_list_years", "count", "neutral",
             "Consecutive Tier 2 Watch List years immediately before this report, counted as the era's law counts them"),
    FactSpec("history.consecutive_watch_list_years_at_least", "count", "neutral",
             "At least this many consecutive counted watch-list years precede this report (certain even where the "
             "history does not reach back to the run's start)"),
    FactSpec("history.waivers_used", "count", "neutral", "Waivers of the automatic downgrade already used in the current watch-list run"),
    FactSpec("history.reentry_limited", "flag", "neutral",
             "After a watch-list run ended by Tier 3, the country is already back on the watch list for the one year 7107(b)(2)(F) allows"),
)


#: The parts of a source a rule can ask about (``whole_chapter`` is all but the summary and the memorandum).
#: The three conditions of a waiver of the automatic downgrade (7107(b)(2)(D)(ii)(I)-(III)).
WAIVER_CONDITIONS: tuple[str, ...] = ("waiver.written_plan", "waiver.plan_would_constitute_significant_efforts",
                                      "waiver.sufficient_resources")

CODED_PARTS: tuple[str, ...] = (*WHOLE_CHAPTER_PARTS, "summary", "waiver_memorandum")
CODED_FACTS: tuple[FactSpec, ...] = tuple(
    FactSpec(f"coded.{part}", "flag", "neutral",
             f"The {part.replace('_', ' ')} was coded: true, or unknown when it was not (never false)")
    for part in CODED_PARTS
)
PILLARS: tuple[str, ...] = ("prosecution", "protection", "prevention", "partnership")
#: The sections that would list a pillar's actions: none listed is 0 only where all were coded.
PILLAR_PARTS: dict[str, tuple[str, ...]] = {"prosecution": ("prosecution",), "protection": ("protection",),
                                            "prevention": ("prevention",), "partnership": ("prosecution", "prevention")}
ACTION_FACTS: tuple[FactSpec, ...] = tuple(
    FactSpec(f"other_actions.{pillar}", "count", "more",
             f"Other concrete {pillar} actions listed (polarity more); 0 when none is listed and the sections "
             "that would list them were coded, else unknown",
             "22 U.S.C. 7107(b)(3)(A)")
    for pillar in PILLARS
)


@cache
def catalog() -> dict[str, FactSpec]:
    """Every fact path rules may reference, in a stable order."""
    specs: list[FactSpec] = [
        FactSpec("report_year", "year", "neutral", "Year of the TIP Report"),
        FactSpec("entity", "entity", "neutral", "country or non_country_entity"),
    ]
    for path, wrapper, polarity, description, cite in _walk(EffortsDocument, ""):
        kind = _WRAPPERS[wrapper]
        specs.append(FactSpec(path, kind, polarity, description, cite))
        if kind == "count":
            specs.append(FactSpec(f"{path}.previous", "count", "neutral", f"{description}, previous period"))
            specs.append(FactSpec(f"{path}.change", "change", "neutral", f"{description}: change from the previous period"))
            specs.append(FactSpec(f"{path}.at_least", "count", polarity,
                                  f"{description}: at least (the value, or the bound the report states)", cite))
    specs.extend(ACTION_FACTS)
    specs.extend(CODED_FACTS)
    specs.extend(HISTORY_FACTS)
    return {spec.path: spec for spec in specs}


def _get(document: BaseModel, dotted: str) -> Any:
    value: Any = document
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def flatten(document: EffortsDocument) -> dict[str, Value]:
    """The document's known facts as ``{path: value}`` (history facts excluded)."""
    facts: dict[str, Value] = {"report_year": document.report_year, "entity": document.entity}
    for spec in catalog().values():
        if not is_stated(spec):
            continue
        raw = _get(document, spec.path)
        fact = as_fact(raw, {"count": Count, "flag": Flag, "number": Number, "text": Text}[spec.kind])
        if fact.value is not None:
            facts[spec.path] = fact.value
        if isinstance(fact, Count):
            if fact.previous is not None:
                facts[f"{spec.path}.previous"] = fact.previous
            if fact.change is not None:
                facts[f"{spec.path}.change"] = fact.change
            if fact.lower_bound is not None:
                facts[f"{spec.path}.at_least"] = fact.lower_bound
    coded = document.coded_parts()
    for pillar in PILLARS:
        listed = sum(1 for a in document.other_actions if a.pillar == pillar and a.polarity == "more")
        if listed or all(part in coded for part in PILLAR_PARTS[pillar]):
            facts[f"other_actions.{pillar}"] = listed
    for part in coded:
        facts[f"coded.{part}"] = True
    return facts


def is_stated(spec: FactSpec) -> bool:
    """A fact a document states in a field of its own (not derived, history, coverage or a list)."""
    return not (spec.path.startswith(("history.", "coded.", "other_actions.")) or spec.kind in ("year", "entity", "change")
                or spec.path.endswith((".previous", ".at_least")))


def evidence_for(document: EffortsDocument, path: str) -> list[dict[str, str]]:
    """The evidence quotes behind a fact path (``.previous``/``.change`` share their count's)."""
    base = path.removesuffix(".previous").removesuffix(".change").removesuffix(".at_least")
    if base.startswith("other_actions."):
        pillar = base.split(".", 1)[1]
        return [e.model_dump() for a in document.other_actions if a.pillar == pillar and a.polarity == "more" for e in a.evidence]
    spec = catalog().get(base)
    if spec is None or spec.path.startswith(("history.", "coded.")) or spec.kind in ("year", "entity"):
        return []
    raw = _get(document, base)
    if isinstance(raw, (Count, Flag, Number, Text)):
        return [e.model_dump() for e in raw.evidence]
    return []
