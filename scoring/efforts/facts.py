"""The fact catalog: every path a rule may read, its kind and its polarity.

Rules never see pydantic objects. A document is flattened to a mapping of fact
path -> value holding only *known* facts (unknown facts are absent, never
null), which is what both the durable-rules engine and the reference evaluator
consume. Counts contribute three facts: ``p`` (this period), ``p.previous`` and
``p.change`` (``increased``/``decreased``/``unchanged``, from the numbers when
both are known, else from the report's stated trend).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from scoring.efforts.model import EffortsDocument
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


def _walk(model: type[BaseModel], prefix: str) -> list[tuple[str, type, Polarity, str]]:
    found: list[tuple[str, type, Polarity, str]] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        wrapper = _wrapper_of(info.annotation)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if wrapper is not None:
            polarity = extra.get("x-polarity", "neutral")
            found.append((path, wrapper, polarity, info.description or name))  # type: ignore[arg-type]
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


@cache
def catalog() -> dict[str, FactSpec]:
    """Every fact path rules may reference, in a stable order."""
    specs: list[FactSpec] = [
        FactSpec("report_year", "year", "neutral", "Year of the TIP Report"),
        FactSpec("entity", "entity", "neutral", "country or non_country_entity"),
    ]
    for path, wrapper, polarity, description in _walk(EffortsDocument, ""):
        kind = _WRAPPERS[wrapper]
        specs.append(FactSpec(path, kind, polarity, description))
        if kind == "count":
            specs.append(FactSpec(f"{path}.previous", "count", "neutral", f"{description}, previous period"))
            specs.append(FactSpec(f"{path}.change", "change", "neutral", f"{description}: change from the previous period"))
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
        if spec.path.startswith("history.") or spec.kind in ("year", "entity", "change") or spec.path.endswith(".previous"):
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
    return facts


def evidence_for(document: EffortsDocument, path: str) -> list[dict[str, str]]:
    """The evidence quotes behind a fact path (``.previous``/``.change`` share their count's)."""
    base = path.removesuffix(".previous").removesuffix(".change")
    spec = catalog().get(base)
    if spec is None or spec.path.startswith("history.") or spec.kind in ("year", "entity"):
        return []
    raw = _get(document, base)
    if isinstance(raw, (Count, Flag, Number, Text)):
        return [e.model_dump() for e in raw.evidence]
    return []
