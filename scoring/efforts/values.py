"""Fact values: what the report says, with its evidence — or nothing.

Unknown is not zero. Every fact may be absent or null, meaning "the report does
not say"; a count of 0 is a finding ("did not prosecute any"), absence is not.
A fact is written either bare (``true``, ``13``) or as a mapping carrying its
evidence quotes, the previous period's value and a stated trend, because
narratives often say "a decrease from 13" or "more than last year" without
giving both numbers.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Trend = Literal["increased", "decreased", "unchanged"]
Polarity = Literal["more", "less", "neutral"]


class Strict(BaseModel):
    """Base for every document model: strict types, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


class Evidence(Strict):
    """A verbatim quote from a listed source that supports a fact."""

    #: id of an entry in the document's ``sources``
    source: str = Field(min_length=1, max_length=64)
    #: the words of the report, copied exactly
    quote: str = Field(min_length=1, max_length=4000)

    @field_validator("quote")
    @classmethod
    def _without_surrounding_quotes(cls, quote: str) -> str:
        """Quotation marks copied around a quote are not the report's words (and would print doubled)."""
        pairs = {"“": "”", '"': '"', "‘": "’", "'": "'", "«": "»", "„": "“"}
        text = quote.strip()
        while len(text) >= 2 and pairs.get(text[0]) == text[-1]:
            text = text[1:-1].strip()
        return text or quote


class _Fact(Strict):
    evidence: list[Evidence] = Field(default_factory=list, max_length=20)
    #: analyst's remark: why a value was coded this way, or left unknown
    note: str | None = Field(default=None, max_length=2000)


class Flag(_Fact):
    """A yes/no finding."""

    value: bool | None = None


class Text(_Fact):
    """A free-text finding (e.g. the citation of a law); only known/unknown matter to rules."""

    value: str | None = Field(default=None, max_length=2000)


class Number(_Fact):
    """A non-negative quantity that need not be whole (e.g. penalty years)."""

    value: float | None = Field(default=None, ge=0, le=1000)


NonNegativeInt = Annotated[int, Field(ge=0, le=10_000_000)]


class Count(_Fact):
    """How many, this period and (if the report says) the previous period.

    ``at_least`` holds what a report states without a number: "some", "at least four",
    "more than 100" (101), "prosecuted complicit officials" (1). The exact value stays
    unknown; rules read the bound through ``<path>.at_least``.
    """

    value: NonNegativeInt | None = None
    previous: NonNegativeInt | None = None
    #: the report's own word for the change, when it gives no numbers
    trend: Trend | None = None
    #: a lower bound when the report gives no exact number ("some" = 1)
    at_least: NonNegativeInt | None = None

    @property
    def lower_bound(self) -> int | None:
        """The least the count can be: the value if known, else the stated bound."""
        return self.value if self.value is not None else self.at_least

    @model_validator(mode="after")
    def _trend_agrees_with_numbers(self) -> "Count":
        if self.at_least is not None and self.value is not None and self.value < self.at_least:
            raise ValueError(f"value {self.value} is below at_least {self.at_least}")
        computed = _compare(self.value, self.previous)
        if computed and self.trend and computed != self.trend:
            raise ValueError(
                f"trend {self.trend!r} contradicts value {self.value} vs previous {self.previous}"
            )
        if self.trend == "increased" and self.value == 0:
            raise ValueError("trend 'increased' is impossible for a value of 0")
        if self.trend == "decreased" and self.previous == 0:
            raise ValueError("trend 'decreased' is impossible from a previous value of 0")
        return self

    @property
    def change(self) -> Trend | None:
        """Change from the previous period: from the numbers if both known, else the stated trend."""
        return _compare(self.value, self.previous) or self.trend


def _compare(value: int | None, previous: int | None) -> Trend | None:
    if value is None or previous is None:
        return None
    if value > previous:
        return "increased"
    return "decreased" if value < previous else "unchanged"


FlagField = bool | Flag | None
#: "some" is shorthand for ``{at_least: 1}``: an action the report states without a count
CountField = NonNegativeInt | Literal["some"] | Count | None
NumberField = Annotated[float, Field(ge=0, le=1000)] | Number | None
TextField = Annotated[str, Field(max_length=2000)] | Text | None


def _extra(polarity: Polarity, cite: str | None) -> dict[str, str]:
    return {"x-polarity": polarity, **({"x-citation": cite} if cite else {})}


def flag(polarity: Polarity, description: str, cite: str | None = None) -> Any:
    """A yes/no fact; ``polarity`` says which answer is more anti-trafficking effort, ``cite`` the clause that reads it."""
    return Field(default=None, description=description, json_schema_extra=_extra(polarity, cite))


def count(polarity: Polarity, description: str, cite: str | None = None) -> Any:
    """A count fact; ``polarity`` says whether more is more effort, ``cite`` the clause that reads it."""
    return Field(default=None, description=description, json_schema_extra=_extra(polarity, cite))


def as_fact(raw: Any, kind: type[_Fact]) -> _Fact:
    """The mapping form of a fact written bare (``13`` -> ``Count(value=13)``)."""
    if raw is None:
        return kind()
    if isinstance(raw, _Fact):
        return raw
    if raw == "some" and kind is Count:
        return Count.model_construct(value=None, previous=None, trend=None, at_least=1, evidence=[], note=None)
    return kind.model_construct(value=raw, evidence=[], note=None)
