"""The efforts document: one country-year of extracted government efforts."""

from scoring.efforts.model import (
    Count,
    EffortsDocument,
    Evidence,
    Flag,
    Number,
    Placement,
    Text,
)

__all__ = ["Count", "EffortsDocument", "Evidence", "Flag", "Number", "Placement", "Text"]
