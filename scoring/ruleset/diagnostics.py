"""Coded diagnostics for ruleset files: ``file:line:col: CODE message`` plus a hint.

Codes are stable: tests, docs/diagnostics.md and users' scripts rely on them.
A new check gets a new code; a code is never reused for something else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from scoring.errors import TipscoreError

Severity = Literal["error", "warning"]

#: code -> (severity, short name). docs/diagnostics.md has an example of each.
CODES: dict[str, tuple[Severity, str]] = {
    "TS001": ("error", "file cannot be read or parsed"),
    "TS002": ("error", "does not match the ruleset schema"),
    "TS003": ("error", "unknown condition form"),
    "TS101": ("error", "unknown fact path"),
    "TS102": ("error", "type mismatch"),
    "TS103": ("error", "operator not allowed for this fact"),
    "TS104": ("error", "duplicate id"),
    "TS105": ("error", "reference to an undefined id"),
    "TS106": ("error", "cycle among determinations or tables"),
    "TS107": ("error", "extends names an unknown ruleset"),
    "TS108": ("error", "extends chain loops"),
    "TS109": ("error", "override or remove of an id that is not inherited"),
    "TS110": ("error", "citation missing or empty"),
    "TS111": ("error", "decision table gap"),
    "TS112": ("error", "decision table overlap under a unique hit policy"),
    "TS113": ("warning", "rule can never fire"),
    "TS114": ("error", "report-year ranges overlap"),
    "TS115": ("warning", "report-year ranges leave a hole"),
    "TS116": ("error", "explanation template names an unknown fact"),
    "TS117": ("error", "table output not declared"),
    "TS118": ("error", "the ruleset cannot be compiled safely for the engine"),
    "TS119": ("error", "no tier table"),
    "TS120": ("error", "unknown parameter"),
    "TS121": ("warning", "criterion nothing reads"),
    "TS122": ("warning", "parameter nothing reads"),
    "TS123": ("error", "report years reversed"),
    "TS124": ("error", "replaces names an unknown ruleset"),
    "TS125": ("error", "ruleset id used twice on the search path"),
    "TS126": ("warning", "parameter disagrees with the statute for the ruleset's report years"),
    "TS127": ("error", "unknown named condition"),
    "TS128": ("error", "cycle among named conditions"),
    "TS129": ("warning", "named condition nothing reads"),
}


@dataclass(frozen=True)
class Diagnostic:
    """One finding about a ruleset file: its code (one page per code), place and message."""

    code: str
    file: str
    line: int
    col: int
    message: str
    hint: str = ""

    @property
    def severity(self) -> Severity:
        return CODES[self.code][0]

    def __str__(self) -> str:
        text = self.headline()
        return f"{text}\n    hint: {self.hint}" if self.hint else text

    def headline(self) -> str:
        place = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        return f"{place}: {self.code} {self.message}"

    def one_line(self) -> str:
        """The diagnostic with its hint on the same line (for commands other than validate)."""
        return f"{self.headline()} (hint: {self.hint})" if self.hint else self.headline()


class RulesetError(TipscoreError):
    """A ruleset with errors: every diagnostic, errors first."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


class CatalogError(RulesetError):
    """Conflicts among the shipped and the user's rulesets: one line per conflict."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics)
        self.args = ("\n".join(d.one_line() for d in diagnostics),)
