"""Checks that need the whole document and the files beside it, after the model has validated it.

The model checks each field on its own; these check what fields say about each
other and about the world: that every evidence quote names a declared source,
that a quote really occurs in its source's text when that text is at hand
(``path``), and that ``iso3`` is the code of the country named. Each problem is
one ``InputError`` at the line of the offending field.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path as FilePath

from pydantic import BaseModel

from scoring.data import country_names
from scoring.efforts.model import EffortsDocument
from scoring.efforts.values import Evidence
from scoring.errors import InputError
from scoring.load.source import Path, Source

#: Typographic characters a copied quote may carry in place of plain ones.
_TYPOGRAPHIC = str.maketrans({"‘": "'", "’": "'", "‚": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"',
                              "\u00a0": " "})
#: How much of a quote or passage an error message shows.
SHOWN = 90


def check_document(document: EffortsDocument, source: Source) -> list[InputError]:
    """Every cross-field problem of a validated document, in file order."""
    problems = _source_ids(document, source) + _quotes(document, source) + _country(document, source)
    return sorted(problems, key=lambda e: _line_key(e.place))


def _line_key(place: str | None) -> tuple[int, int]:
    match = re.match(r"(\d+):(\d+)", place or "")
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def _place(source: Source, path: Path) -> str:
    field = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")
    where = source.where(path)
    return f"{where}: {field}" if where else field


def evidence_items(value: object, path: Path = ()) -> Iterator[tuple[Path, Evidence]]:
    """Every evidence quote in a document, with its field path."""
    if isinstance(value, Evidence):
        yield path, value
    elif isinstance(value, BaseModel):
        for name, item in value.__dict__.items():  # the fields' values, in declaration order
            if isinstance(item, (BaseModel, list, tuple)):  # a scalar holds no evidence
                yield from evidence_items(item, (*path, name))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            if isinstance(item, (BaseModel, list, tuple)):
                yield from evidence_items(item, (*path, i))


def _source_ids(document: EffortsDocument, source: Source) -> list[InputError]:
    declared = [s.id for s in document.sources]
    out = []
    for path, item in evidence_items(document):
        if item.source not in declared:
            known = f"declared: {', '.join(declared)}" if declared else "the document declares no sources"
            close = difflib.get_close_matches(item.source, declared, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            out.append(InputError(source.path, _place(source, (*path, "source")),
                                  f"evidence cites source {item.source!r}, which is not in sources ({known}){hint}"))
    return out


# --- quotes against their source text --------------------------------------------------------

def normalise(text: str) -> str:
    """Whitespace collapsed and typographic quotes made plain: how quotes and texts are compared."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_TYPOGRAPHIC).split())


def resolve(document_file: str, text_path: str) -> FilePath | None:
    """The source text file: relative to the document's folder or one of its parents, else the working folder."""
    if os.path.isabs(text_path):
        candidate = FilePath(text_path)
        return candidate if candidate.is_file() else None
    folder = FilePath(document_file).resolve().parent
    for base in (folder, *folder.parents, FilePath.cwd()):
        candidate = base / text_path
        if candidate.is_file():
            return candidate
    return None


@cache
def _text(path: FilePath, mtime: float) -> str | None:
    try:
        return normalise(path.read_text("utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None


def closest_passage(text: str, quote: str) -> str:
    """The passage of ``text`` most like ``quote``: anchored on their longest common run."""
    matcher = difflib.SequenceMatcher(None, text, quote, autojunk=False)
    block = matcher.find_longest_match(0, len(text), 0, len(quote))
    start = max(0, block.a - block.b)
    return text[start:start + len(quote)]


def _shown(text: str, start: int = 0) -> str:
    """``text`` from ``start`` (with ``…`` where cut), at most ``SHOWN`` characters."""
    cut = text[start:start + SHOWN]
    return repr(("…" if start else "") + cut + ("…" if start + SHOWN < len(text) else ""))


def _first_difference(a: str, b: str) -> int:
    """Where to start showing two long texts so that their first difference is visible."""
    i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return max(0, i - SHOWN // 2) if i >= SHOWN - 10 else 0


def _quotes(document: EffortsDocument, source: Source) -> list[InputError]:
    texts: dict[str, tuple[str, str]] = {}
    for declared in document.sources:
        if declared.path and (found := resolve(source.path, declared.path)) is not None:
            text = _text(found, found.stat().st_mtime)
            if text is not None:
                texts[declared.id] = (declared.path, text)
    out = []
    for path, item in evidence_items(document):
        if item.source not in texts:
            continue
        where, text = texts[item.source]
        quote = normalise(item.quote)
        if quote and quote not in text:
            passage = closest_passage(text, quote)
            start = _first_difference(quote, passage)
            out.append(InputError(source.path, _place(source, (*path, "quote")),
                                  f"quote {_shown(quote, start)} does not occur in {where}; "
                                  f"closest passage: {_shown(passage, start)}"))
    return out


# --- iso3 against the country name --------------------------------------------------------

def _key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.casefold()).split())


@cache
def _codes_by_key() -> dict[str, str]:
    """Normalised country name -> code."""
    return {_key(name): code for code, name in country_names().items()}


def _code_for(country: str) -> str | None:
    """The code of a country name, unless the name is part of another (``Guinea``, ``Sudan``).
    Only the one name is compared with the others: every call runs this once."""
    key, codes = _key(country), _codes_by_key()
    code = codes.get(key)
    padded = f" {key} "
    return code if code is not None and sum(padded in f" {other} " for other in codes) == 1 else None


def _country(document: EffortsDocument, source: Source) -> list[InputError]:
    code = _code_for(document.country)
    if code is None or code == document.iso3:
        return []
    return [InputError(source.path, _place(source, ("iso3",)),
                       f"{document.iso3} is the code of {country_names().get(document.iso3, '?')}, not of "
                       f"{document.country!r}; expected {code} (or the country named for {document.iso3})")]
