"""Stage 2 for efforts documents: turn parsed data into an ``EffortsDocument``.

pydantic reports a failed union (``13`` vs ``{value: 13}``) once per branch;
analysts need one line per problem, at the right line, in their own terms. This
module keeps the error from the branch that matches what was written and
rephrases it as "expected ..., got ...".
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from scoring.efforts.model import EffortsDocument
from scoring.errors import InputError, InputErrors, TipscoreError
from scoring.load.source import Path, Source, read_source


def load_efforts(path: str | os.PathLike[str]) -> EffortsDocument:
    """Read and validate an efforts document; raise ``InputErrors`` listing every problem."""
    return validate_efforts(read_source(path))


def validate_efforts(source: Source) -> EffortsDocument:
    """Validate parsed data; errors name the file, line:col and field path."""
    if not isinstance(source.data, dict):
        raise InputError(source.path, source.where(()), "expected a mapping of fields (country, iso3, report_year, ...)")
    try:
        document = EffortsDocument.model_validate(source.data)
    except ValidationError as err:
        raise InputErrors(_translate(err, source)) from None
    from scoring.efforts.checks import check_document

    problems = check_document(document, source)
    if problems:
        raise InputErrors(problems)
    return document


def _is_branch_tag(part: str | int) -> bool:
    return isinstance(part, str) and (part[:1].isupper() or "[" in part or "-" in part or part in _SCALAR_TAGS)


_SCALAR_TAGS = {"bool", "int", "float", "str", "none", "literal"}


def _split(loc: tuple[Any, ...]) -> tuple[Path, str | None, Path]:
    """(path before the union tag, the tag, path after it)."""
    for i, part in enumerate(loc):
        if _is_branch_tag(part):
            rest = tuple(p for p in loc[i + 1 :] if not _is_branch_tag(p))
            return tuple(loc[:i]), str(part), rest
    return tuple(loc), None, ()


def _value_at(data: Any, path: Path) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _translate(err: ValidationError, source: Source) -> list[InputError]:
    out: list[tuple[tuple[int, int], InputError]] = []
    seen: set[tuple[Path, str]] = set()
    for item in err.errors(include_url=False):
        base, tag, rest = _split(item["loc"])
        if tag == "literal['some']":
            continue  # the "some" shorthand of a count: the number branch's error says what is expected
        if tag is not None:
            written = _value_at(source.data, base)
            model_branch = tag[:1].isupper() or tag.startswith("function-")
            if isinstance(written, dict) != model_branch:
                continue
        path = base + rest
        message = _message(item, path)
        if (found := re.match(r"\[(\d+)\]: ", message)) is not None:
            path, message = path + (int(found.group(1)),), message[found.end():]
        if (path, message) in seen:
            continue
        seen.add((path, message))
        field = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path).replace(".[", "[")
        where = source.where(path)
        place = f"{where}: {field}" if where and field else (where or field or None)
        out.append((_line_key(where), InputError(source.path, place, message)))
    return [error for _, error in sorted(out, key=lambda pair: pair[0])]


def _line_key(where: str | None) -> tuple[int, int]:
    if not where:
        return (0, 0)
    line, col = where.split(":")
    return (int(line), int(col))


def _message(item: dict[str, Any], path: Path) -> str:
    kind, got = item["type"], item.get("input")
    shown = repr(got) if not isinstance(got, (dict, list)) else type(got).__name__
    if kind == "extra_forbidden":
        if (conclusion := _conclusion(str(path[-1]))) is not None:
            return conclusion
        return f"unknown field {path[-1]!r}{_suggest(path)}"
    if kind == "missing":
        return "required field is missing"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        limit = item.get("ctx", {})
        bound = next(iter(limit.values()), "?")
        sign = {"greater_than_equal": ">=", "less_than_equal": "<=", "greater_than": ">", "less_than": "<"}[kind]
        what = "a count" if isinstance(got, int) and bound == 0 else "a value"
        return f"expected {what} {sign} {bound}, got {shown}"
    if path and path[-1] == "iso3" and kind == "literal_error":
        return f"expected an ISO 3166-1 alpha-3 country code such as 'MLI', got {shown}"
    if kind == "literal_error":
        return f"expected one of {item.get('ctx', {}).get('expected', 'the allowed values')}, got {shown}{_hint(kind, got)}"
    expected = _EXPECTED.get(kind)
    if expected:
        return f"expected {expected}, got {shown}{_hint(kind, got)}"
    if kind == "value_error":
        return str(item["msg"]).removeprefix("Value error, ")
    return f"{item['msg']}, got {shown}"


def _hint(kind: str, got: Any) -> str:
    """What to write instead, for the mistakes people make: quoted numbers, unquoted tiers."""
    if kind == "literal_error" and isinstance(got, (int, float)) and not isinstance(got, bool):
        return f'; quote it: "{got}"'
    if not isinstance(got, str):
        return ""
    text = got.strip()
    if kind == "int_type" and re.fullmatch(r"[0-9]+", text):
        return f"; write the number without quotes: {int(text)}"
    if kind == "float_type" and re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        return f"; write the number without quotes: {text}"
    if kind == "bool_type" and text.lower() in ("true", "false"):
        return f"; write {text.lower()} without quotes"
    if kind == "bool_type" and text.lower() in ("yes", "no", "y", "n", "on", "off"):
        return f"; write {str(text.lower() in ('yes', 'y', 'on')).lower()}"
    return ""


_EXPECTED = {
    "int_type": "a whole number",
    "bool_type": "true or false",
    "float_type": "a number",
    "string_type": "text",
    "list_type": "a list",
    "model_type": "a mapping",
    "dict_type": "a mapping",
    "literal_error": "one of the allowed values",
    "string_pattern_mismatch": "text in the documented format",
    "string_too_short": "non-empty text",
    "string_too_long": "shorter text",
    "too_long": "a shorter list",
    "finite_number": "a finite number",
}


#: The report's conclusions, which tipscore derives and a document must never state: the words
#: an analyst may try as a field name (any section), and the determination that derives each.
CONCLUSIONS: dict[str, str] = {
    "significant_efforts": "significant efforts (7107(b)(1)(B))",
    "making_significant_efforts": "significant efforts (7107(b)(1)(B))",
    "not_making_significant_efforts": "significant efforts (7107(b)(1)(B))",
    "fully_meets": "full compliance (7107(b)(1)(A))",
    "fully_complies": "full compliance (7107(b)(1)(A))",
    "fully_meets_minimum_standards": "full compliance (7107(b)(1)(A))",
    "meets_minimum_standards": "full compliance (7107(b)(1)(A))",
    "serious_and_sustained": "serious and sustained efforts (7106(a)(4))",
    "serious_and_sustained_efforts": "serious and sustained efforts (7106(a)(4))",
    "increasing_efforts": "evidence of increasing efforts (7107(b)(2)(A)(iii)(II))",
    "demonstrated_increasing_efforts": "evidence of increasing efforts (7107(b)(2)(A)(iii)(II))",
    "no_increasing_efforts": "evidence of increasing efforts (7107(b)(2)(A)(iii)(II))",
    "failure_to_provide_evidence_of_increasing_efforts": "evidence of increasing efforts (7107(b)(2)(A)(iii)(II))",
    "overall_increasing_efforts": "evidence of increasing efforts (7107(b)(2)(A)(iii)(II))",
    "appreciable_progress": "appreciable progress (7106(b)(11))",
    "key_achievements": "the tier (7107(b))",
    "tier": "the tier (7107(b))",
    "watch_list": "the Tier 2 Watch List (7107(b)(2)(A)(iii))",
    "tier_2_watch_list": "the Tier 2 Watch List (7107(b)(2)(A)(iii))",
    "downgraded": "the tier (7107(b))",
    "upgraded": "the tier (7107(b))",
    "automatic_downgrade": "the automatic downgrade (7107(b)(2)(D))",
    "waiver_granted": "the waiver (7107(b)(2)(D)(ii)); code its three conditions under waiver",
}


def _conclusion(name: str) -> str | None:
    """The error for a field that states one of the report's conclusions, or None."""
    derived = CONCLUSIONS.get(name.lower().replace("-", "_").replace(" ", "_"))
    if derived is None:
        return None
    return (f"{name!r} is a conclusion of the report, not a fact: tipscore derives {derived} from the "
            "efforts you code; code what the government did instead (docs/efforts.md)")


#: Words that turn a field's meaning around: a suggestion may not add or drop one.
_TURNING_WORDS = {"not", "no", "non", "without", "failure", "fail", "lack", "based", "commitments", "less", "decreased"}


def _same_meaning(typed: str, candidate: str) -> bool:
    """A suggestion only fixes a typo: same number of words, each close, no word that turns the meaning."""
    a, b = typed.lower().split("_"), candidate.lower().split("_")
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        ratio = difflib.SequenceMatcher(None, x, y).ratio()
        if ratio < 0.6 or (x != y and ({x, y} & _TURNING_WORDS or {"in", "de"} == {x[:2], y[:2]}) and ratio < 0.85):
            return False
    return True


def _suggest(path: Path) -> str:
    model: type[BaseModel] | None = EffortsDocument
    for part in path[:-1]:
        if isinstance(part, int) or model is None:
            continue
        info = model.model_fields.get(part)
        model = _model_of(info.annotation) if info else None
    if model is None:
        return ""
    close = [c for c in difflib.get_close_matches(str(path[-1]), list(model.model_fields), n=3)
             if _same_meaning(str(path[-1]), c)]
    return f"; did you mean {close[0]!r}?" if close else ""


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found:
            return found
    return None


def check_documents(files: list[str], echo: Callable[..., Any] = print) -> int:
    """``tipscore check``: validate each document, one line each (problems on stderr); the number that failed."""
    failed = 0
    for name in files:
        try:
            document = load_efforts(name)
        except TipscoreError as err:
            failed += 1
            echo(str(err), err=True)
            continue
        echo(f"{name}: ok ({document.country}, {document.report_year} report)")
    return failed
