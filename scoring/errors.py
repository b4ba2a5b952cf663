"""The exceptions tipscore raises.

Every error a user can cause is a ``TipscoreError`` whose ``str()`` is one line
naming the file, the place (line and/or field path) and what was expected, so
the CLI can print it as is and exit 2 instead of showing a traceback.
"""

from __future__ import annotations


class TipscoreError(Exception):
    """Base class: an error tipscore explains in one line."""

    exit_code: int = 2


class InputError(TipscoreError):
    """A file that cannot be read, parsed or validated.

    ``place`` is ``"line:col"``, a field path, or both (``"12:5: prosecution.convictions"``).
    """

    def __init__(self, file: str, place: str | None, expected: str) -> None:
        self.file = file
        self.place = place
        # one line per problem, whatever the message wraps (e.g. a pydantic error quoted in it)
        self.expected = " ".join(expected.split()) if "\n" in expected else expected
        super().__init__(self.line())

    def line(self) -> str:
        """The one-line message: ``file: place: what was expected``."""
        if self.place:
            sep = "" if self.place[:1].isdigit() else " "
            return f"{self.file}:{sep}{self.place}: {self.expected}"
        return f"{self.file}: {self.expected}"


class InputErrors(TipscoreError):
    """Several problems found in one file; each is an ``InputError``."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("\n".join(e.line() for e in errors))


class EngineError(TipscoreError):
    """The rules engine refused a ruleset or failed while scoring.

    ``code`` is a stable diagnostic code (see docs/diagnostics.md).
    Scoring never returns a silent wrong answer: anything unexpected inside
    durable-rules ends up here.
    """

    exit_code = 1

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(f"{code} {message}")
