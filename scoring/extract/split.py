"""Paragraphs, sentences and clauses, each with its place in the source text.

Sentence boundaries come from sentencex (rule-based, no model, no download), which knows
abbreviations such as "U.S." and "P.R.C." that a naive split on ". " breaks. Each sentence is
then cut into clauses at semicolons and bullets, because the reports pack several findings
into one sentence ("...; however, all victims ...") and the Factbook summaries are one long
semicolon-separated list. Every span is an exact slice of the source, so a quote taken from
it is verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sentencex import segment

_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
_CLAUSE_BREAK = re.compile(r";\s+|\s+•\s+")


@dataclass(frozen=True)
class Clause:
    """A verbatim slice of the text: ``text == source[start:end]``."""

    text: str
    start: int
    line: int
    paragraph: int
    sentence: int


@dataclass(frozen=True)
class Sentence:
    """A sentence (verbatim slice) with its clauses."""

    text: str
    start: int
    line: int
    paragraph: int
    index: int
    clauses: tuple[Clause, ...]


def sentences(text: str) -> list[Sentence]:
    """Every sentence of ``text`` in order, with its clauses and 1-based line number."""
    out: list[Sentence] = []
    for number, paragraph in enumerate(_PARAGRAPH.finditer(text)):
        cursor = paragraph.start()
        for piece in segment("en", paragraph.group(0)):
            stripped = piece.strip()
            if not stripped:
                continue
            start = text.find(stripped, cursor)
            if start < 0:  # sentencex returned text that is not a slice; never guess a quote
                continue
            cursor = start + len(stripped)
            line = text.count("\n", 0, start) + 1
            out.append(Sentence(stripped, start, line, number, len(out),
                                _clauses(stripped, start, line, number, len(out))))
    return out


def _clauses(sentence: str, start: int, line: int, paragraph: int, index: int) -> tuple[Clause, ...]:
    found: list[Clause] = []
    position = 0
    for brk in [*_CLAUSE_BREAK.finditer(sentence), None]:
        end = brk.start() if brk else len(sentence)
        piece = sentence[position:end]
        lead = len(piece) - len(piece.lstrip())
        piece = piece.strip()
        if piece:
            offset = position + lead
            found.append(Clause(piece, start + offset, line + sentence.count("\n", 0, offset), paragraph, index))
        position = brk.end() if brk else len(sentence)
    return tuple(found)
