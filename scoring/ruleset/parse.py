"""Stage 2 for rulesets: schema-check a parsed file and build its AST.

The JSON Schema is the contract editors see; its ``oneOf`` failures are
unhelpful ("is not valid under any of the given schemas"), so condition shapes
get their own message naming the operator that was expected.
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any

from scoring.load.source import Path, Source
from scoring.ruleset import ast
from scoring.ruleset.diagnostics import Diagnostic
from scoring.schemas import packaged_schema, validator

CONDITION_KEYS = ("all", "any", "not", "always", "known", "unknown", "met", "status", "at_least", "score", "output", "fact",
                  "condition")
COMPARE_OPS = ("==", "!=", ">", ">=", "<", "<=", "in")
INT64 = 2**63
CONDITION_HINT = ("a condition is one of: all, any, not, always, known, unknown, met, status+in, at_least+of, score+op, "
                  "output+in, fact+op, condition")


def diag(source: Source, path: Path, code: str, message: str, hint: str = "") -> Diagnostic:
    """A diagnostic at the line:col of ``path`` in ``source``."""
    where = source.where(path)
    line, col = (int(x) for x in where.split(":")) if where else (0, 0)
    return Diagnostic(code, source.path, line, col, message, hint)


def schema_diagnostics(source: Source) -> list[Diagnostic]:
    """Schema violations, one per problem, at the deepest useful place."""
    if huge := _huge_integers(source):
        return huge  # jsonschema cannot even format a message about an integer of more than 4300 digits
    checker = validator(packaged_schema("ruleset"))
    out: list[Diagnostic] = []
    for error in sorted(checker.iter_errors(source.data), key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(error.absolute_path)
        if _is_condition(error):
            # a non-mapping passes every oneOf branch ("valid under each of ..."): its type error says it
            if error.validator == "type" or error.validator == "oneOf" and isinstance(error.instance, dict):
                out += [_condition_diagnostic(source, inner) for inner in _innermost(error)]
            continue
        name = ".".join(str(p) for p in path) or "(top level)"
        hint = ""
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            if extra:  # at the misspelled key itself, not at the mapping that holds it
                path = path + (extra[0],)
                close = difflib.get_close_matches(extra[0], list(error.schema.get("properties", {})), n=1)
                hint = f"did you mean {close[0]!r}?" if close else ""
        out.append(diag(source, path, "TS002", f"{name}: {_schema_message(error)}", hint))
    return out + _years_diagnostics(source) if not out else out


def _years_diagnostics(source: Source) -> list[Diagnostic]:
    """TS123: ``report_years`` whose last year comes before its first."""
    years = source.data.get("report_years", {}) if isinstance(source.data, dict) else {}
    first, last = years.get("first"), years.get("last")
    if isinstance(first, int) and isinstance(last, int) and last < first:
        return [diag(source, ("report_years", "last"), "TS123", f"report_years: last ({last}) is before first ({first})",
                     "swap them; omit last for 'until amended'")]
    return []


def _huge_integers(source: Source) -> list[Diagnostic]:
    """Integers outside int64: the engine cannot hold them (and Python cannot print the longest)."""
    out: list[Diagnostic] = []
    stack: list[tuple[Path, Any]] = [((), source.data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            stack.extend((path + (key,), value) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((path + (i,), value) for i, value in enumerate(node))
        elif isinstance(node, int) and not isinstance(node, bool) and not -INT64 <= node < INT64:
            name = ".".join(str(p) for p in path) or "(top level)"
            out.append(diag(source, path, "TS002", f"{name}: integer out of range; the engine holds 64-bit integers (up to 9223372036854775807)"))
    return out


def _is_condition(error: Any) -> bool:
    return error.validator in ("type", "oneOf") and error.schema == packaged_schema("ruleset")["$defs"]["condition"]


def _branch(error: Any) -> int | None:
    """The oneOf branch a condition mapping's keys select (None if none or several)."""
    if error.validator != "oneOf" or not isinstance(error.instance, dict):
        return None
    chosen = [i for i, branch in enumerate(error.validator_value) if branch.get("required", [None])[0] in error.instance]
    return chosen[0] if len(chosen) == 1 else None


def _innermost(error: Any) -> list[Any]:
    """The malformed conditions themselves: a bad condition nested in all/any/not, not its parents."""
    branch = _branch(error)
    nested = [e for e in error.context if branch is not None and e.relative_schema_path[0] == branch and _is_condition(e)]
    if not nested:
        return [error]
    by_path: dict[tuple[Any, ...], Any] = {}
    for inner in sorted(nested, key=lambda e: e.validator != "type"):  # a non-mapping: keep its type error
        by_path.setdefault(tuple(inner.absolute_path), inner)
    return [deepest for inner in by_path.values() for deepest in _innermost(inner)]


def _condition_diagnostic(source: Source, error: Any) -> Diagnostic:
    path = tuple(error.absolute_path)
    node = error.instance
    if not isinstance(node, dict):
        return diag(source, path, "TS003", f"a condition is a mapping, not {node!r:.60}", CONDITION_HINT)
    message, hint = condition_problem(node)
    branch = _branch(error)
    problems = sorted((e for e in error.context if e.relative_schema_path[0] == branch),
                      key=lambda e: len(e.absolute_path), reverse=True) if branch is not None else []
    if "fact" in node and any(e.absolute_path and e.absolute_path[-1] == "fact" for e in problems):
        message, hint = f"{node['fact']!r} is not a fact path", "fact paths are lower-case words joined by dots, e.g. prosecution.convictions"
    elif message.startswith("malformed") and problems:
        message = f"{message}: {problems[0].message}"
    return diag(source, path, "TS003", message, hint)


def _schema_message(error: Any) -> str:
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"unknown key {', '.join(map(repr, extra))}; expected one of {', '.join(error.schema.get('properties', {}))}"
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    return error.message


def condition_problem(node: dict[str, Any]) -> tuple[str, str]:
    """Why a mapping is not a condition, in policy staff's terms."""
    keys = list(node)
    forms = [k for k in keys if k in CONDITION_KEYS]
    hint = CONDITION_HINT
    if not forms:
        return f"unknown condition {', '.join(map(repr, keys)) or '{}'}", hint
    if "fact" in keys:
        ops = [k for k in keys if k != "fact"]
        if len(ops) != 1 or ops[0] not in COMPARE_OPS:
            return (f"a fact comparison needs exactly one operator of {', '.join(COMPARE_OPS)}; got {', '.join(map(repr, ops)) or 'none'}",
                    "e.g. {fact: prosecution.convictions, '>': 0}")
        return f"bad operand for {ops[0]!r}: expected a literal, a list (for 'in') or {{fact: path}}", ""
    if len(forms) > 1 and not ({"status", "in"} >= set(keys) or {"at_least", "of"} >= set(keys) or {"output", "in"} >= set(keys)):
        return f"one condition per mapping; got {', '.join(forms)}", "wrap several conditions in all: [...] or any: [...]"
    return f"malformed {forms[0]!r} condition", hint


class Named:
    """The named conditions of a resolved ruleset (``conditions:``), put in place where rules read them.

    Like a parameter, a named condition is resolved when the ruleset is built: ``{condition: id}``
    becomes the condition itself, built from the file that defines it (so its places point there),
    and a child that overrides it changes every inherited rule that reads it. The engines never
    see a name, only the condition, so both evaluate exactly what is written. An unknown name
    (TS127) or a cycle (TS128) is recorded here and stands in as an empty ``any`` (no leaf, so no
    further finding) until the build fails.
    """

    def __init__(self) -> None:
        #: id -> (the builder of its file, its entry, its path); filled once the builders exist,
        #: since each builder holds this registry and each definition is built by its file's builder
        self.definitions: dict[str, tuple[Builder, dict[str, Any], Path]] = {}
        self.read: set[str] = set()  #: names a rule (or another named condition) refers to
        self.problems: list[Diagnostic] = []
        self._built: dict[str, ast.Condition] = {}
        self._building: list[str] = []

    def reference(self, name: str, here: ast.Where) -> ast.Condition:
        """The condition ``{condition: name}`` stands for, at ``here``."""
        if name not in self.definitions:
            close = difflib.get_close_matches(name, sorted(self.definitions), n=1)
            self.problems.append(Diagnostic("TS127", here.file, here.line, here.col, f"unknown named condition {name!r}",
                                            f"did you mean {close[0]!r}?" if close else "define it under conditions:"))
            return ast.Any_((), here)
        self.read.add(name)
        return self.condition(name)

    def condition(self, name: str) -> ast.Condition:
        """The built condition of the named condition ``name`` (built once)."""
        builder, raw, path = self.definitions[name]
        if name in self._building:
            cycle = self._building[self._building.index(name):] + [name]
            here = builder.where(path)
            self.problems.append(Diagnostic("TS128", here.file, here.line, here.col,
                                            f"named conditions refer to each other in a cycle: {' -> '.join(cycle)}",
                                            "a named condition may read others, but never itself"))
            return ast.Any_((), here)
        if name not in self._built:
            self._building.append(name)
            try:
                self._built[name] = builder.condition(raw["when"], path + ("when",))
            finally:
                self._building.pop()
        return self._built[name]


class Builder:
    """Builds AST nodes from schema-valid data, remembering file positions."""

    def __init__(self, source: Source, origin: str, parameters: dict[str, Any] | None = None,
                 named: Named | None = None) -> None:
        self.source = source
        self.origin = origin
        self.parameters = parameters or {}  #: the resolved ruleset's, so an inherited rule reads the child's value
        self.named = named or Named()  #: the resolved ruleset's, so an inherited rule reads the child's definition

    def where(self, path: Path) -> ast.Where:
        spot = self.source.where(path)
        if not spot:
            return ast.Where(self.source.path)
        line, col = spot.split(":")
        return ast.Where(self.source.path, int(line), int(col))

    def citation(self, raw: dict[str, Any] | None) -> ast.Citation | None:
        if raw is None:
            return None
        return ast.Citation(raw["section"].strip(), raw["enacted_by"].strip(), raw.get("text"), raw.get("note"))

    def condition(self, raw: dict[str, Any], path: Path) -> ast.Condition:
        here = self.where(path)
        if "all" in raw:
            return ast.All(tuple(self.condition(c, path + ("all", i)) for i, c in enumerate(raw["all"])), here)
        if "any" in raw:
            return ast.Any_(tuple(self.condition(c, path + ("any", i)) for i, c in enumerate(raw["any"])), here)
        if "not" in raw:
            return ast.Not(self.condition(raw["not"], path + ("not",)), here)
        if "always" in raw:
            return ast.Always(here)
        if "known" in raw:
            return ast.Known(raw["known"], False, here)
        if "unknown" in raw:
            return ast.Known(raw["unknown"], True, here)
        if "met" in raw:
            return ast.Met(raw["met"], here)
        if "condition" in raw:
            return self.named.reference(raw["condition"], here)
        if "status" in raw:
            return ast.StatusIn(raw["status"], frozenset(raw["in"]), here)
        if "at_least" in raw:
            return ast.AtLeast(raw["at_least"], tuple(raw["of"]), here)
        if "score" in raw:
            op = next(k for k in raw if k != "score")
            return ast.Score(raw["score"], op, raw[op], here)  # type: ignore[arg-type]
        if "output" in raw:
            table, column = raw["output"].rsplit(".", 1)
            return ast.OutputIn(table, column, frozenset(raw["in"]), here)
        op = next(k for k in raw if k != "fact")
        operand = raw[op]
        if isinstance(operand, dict) and "param" in operand:
            name = operand["param"]
            return ast.Compare(raw["fact"], op, self.parameters.get(name), here, name)  # type: ignore[arg-type]
        return ast.Compare(raw["fact"], op, _operand(operand), here)  # type: ignore[arg-type]

    def criterion(self, raw: dict[str, Any], path: Path) -> ast.Criterion:
        return ast.Criterion(
            raw["id"], raw["title"], self.citation(raw["citation"]), raw["pillar"], raw["weight"],  # type: ignore[arg-type]
            self.condition(raw["when"], path + ("when",)), raw.get("explain"), self.where(path), self.origin,
            bool(raw.get("informational")),
        )

    def named_condition(self, raw: dict[str, Any], path: Path) -> ast.NamedCondition:
        return ast.NamedCondition(raw["id"], raw["title"], self.citation(raw["citation"]),  # type: ignore[arg-type]
                                  self.named.condition(raw["id"]), self.where(path), self.origin)

    def determination(self, raw: dict[str, Any], path: Path) -> ast.Determination:
        return ast.Determination(
            raw["id"], raw["title"], self.citation(raw["citation"]),  # type: ignore[arg-type]
            self.condition(raw["when"], path + ("when",)), raw.get("explain"), self.where(path), self.origin,
        )

    def extension(self, base: ast.Criterion | ast.Determination, raw: dict[str, Any], path: Path) -> Any:
        """``base`` with ``extend: {all: [...]}`` (must also hold) or ``{any: [...]}`` (may hold instead).

        Title, citation and explanation may be restated; otherwise the inherited ones stay.
        """
        form = "all" if "all" in raw["extend"] else "any"
        added = tuple(self.condition(c, path + ("extend", form, i)) for i, c in enumerate(raw["extend"][form]))
        here = self.where(path + ("extend",))
        when = ast.All((base.when, *added), here) if form == "all" else ast.Any_((base.when, *added), here)
        changes: dict[str, Any] = {"when": when, "where": self.where(path), "origin": self.origin}
        for key in ("title", "explain", "pillar", "weight"):
            if key in raw:
                changes[key] = raw[key]
        if "citation" in raw:
            changes["citation"] = self.citation(raw["citation"])
        return dataclasses.replace(base, **changes)

    def table(self, raw: dict[str, Any], path: Path) -> ast.Table:
        rows = tuple(
            ast.Row(
                i, row.get("id", f"row{i + 1}"), self.condition(row["when"], path + ("rows", i, "when")),
                dict(row["then"]), row.get("priority", 0), self.citation(row.get("citation")),
                row.get("explain"), self.where(path + ("rows", i)),
            )
            for i, row in enumerate(raw["rows"])
        )
        outputs = {name: tuple(values) for name, values in raw["outputs"].items()}
        return ast.Table(
            raw["id"], raw["title"], self.citation(raw["citation"]), raw["hit_policy"], outputs, rows,  # type: ignore[arg-type]
            self.where(path), self.origin,
        )


def _operand(raw: Any) -> Any:
    if isinstance(raw, dict):
        return ast.FactRef(raw["fact"])
    if isinstance(raw, list):
        return tuple(raw)
    return raw
