"""Read a YAML or JSON file into plain Python data plus a map of line numbers.

Why not ``yaml.safe_load``: error messages must name the line of the offending
field, and hostile files (alias bombs, 10,000-deep nesting, huge files) must be
refused with a clear message rather than exhausting memory or the C stack.
So the document is built iteratively from libyaml's event stream (safe: no tags
are ever constructed into objects) while recording each path's line and column.
JSON files use the standard library parser (faster, exact JSON semantics).
"""

from __future__ import annotations

import bisect
import json
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from scoring.errors import InputError

#: Files larger than this are refused before parsing (bytes).
MAX_FILE_BYTES = 2 * 1024 * 1024
#: Mappings and sequences nested deeper than this are refused.
MAX_DEPTH = 64

Path = tuple[str | int, ...]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class Source:
    """A parsed file: its data and the line/column of every path in it."""

    path: str
    data: Any
    _positions: dict[Path, tuple[int, int]] | None = field(default_factory=dict)
    #: a JSON text whose positions are found only when a place is asked for (a valid file never asks)
    _json_text: str | None = None

    @property
    def positions(self) -> dict[Path, tuple[int, int]]:
        if self._positions is None:
            self._positions = _json_positions(self._json_text or "")
        return self._positions

    def where(self, loc: Path) -> str | None:
        """``"line:col"`` of the deepest known prefix of ``loc`` (1-based)."""
        for end in range(len(loc), -1, -1):
            pos = self.positions.get(tuple(loc[:end]))
            if pos:
                return f"{pos[0]}:{pos[1]}"
        return None


def read_source(path: str | os.PathLike[str]) -> Source:
    """Read ``path`` (``.json`` as JSON, anything else as YAML)."""
    name = os.fspath(path)
    text = _read_text(name)
    if not text.strip():
        raise InputError(name, None, "the file is empty; expected a YAML or JSON mapping")
    if name.lower().endswith(".json"):
        return Source(name, _parse_json(name, text), None, text)
    return _parse_yaml(name, text)


def _read_text(name: str) -> str:
    if not os.path.exists(name):
        raise InputError(name, None, "no such file")
    if os.path.isdir(name):
        raise InputError(name, None, "is a directory; expected a YAML or JSON file")
    try:
        size = os.path.getsize(name)
        if size > MAX_FILE_BYTES:
            raise InputError(name, None, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
        with open(name, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise InputError(name, None, f"cannot read: {err.strerror}") from None
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(raw) > 1 and b"\x00" in raw[:2] and raw.count(b"\x00") * 3 > len(raw)):
        raise InputError(name, None, "the file is UTF-16 text; save it as UTF-8 (YAML and JSON files must be UTF-8)")
    if b"\x00" in raw:
        raise InputError(name, None, "binary data (NUL byte); expected a YAML or JSON text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        col = len(raw[raw.rfind(b"\n", 0, err.start) + 1:err.start].decode("utf-8", "replace")) + 1
        raise InputError(name, f"{line}:{col}", f"not valid UTF-8 text (byte 0x{raw[err.start]:02x})") from None


def _reject_constant(token: str) -> float:
    raise ValueError(f"{token} is not allowed; numbers must be finite")


def _parse_json(name: str, text: str) -> Any:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise ValueError(f"duplicate key {key!r}")
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=no_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise InputError(name, f"{err.lineno}:{err.colno}", f"invalid JSON: {err.msg}") from None
    except ValueError as err:
        raise InputError(name, None, f"invalid JSON: {err}") from None
    except RecursionError:
        raise InputError(name, None, f"nesting is too deep; the limit is {MAX_DEPTH} levels") from None
    if not _json_depth_ok(data):
        raise InputError(name, None, f"nesting is too deep; the limit is {MAX_DEPTH} levels")
    return data


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null")
_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _json_positions(text: str) -> dict[Path, tuple[int, int]]:
    """The line:col of every path of a JSON text ``json.loads`` has already accepted.

    The standard parser gives no positions, so diagnostics on a ``.json`` ruleset would
    name no place; this scanner walks the same text once (iteratively: no recursion).
    """
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(i: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, i)
        return line, i - starts[line - 1] + 1

    def skip(i: int) -> int:
        return _JSON_SPACE.match(text, i).end()  # type: ignore[union-attr]

    def member(i: int, frame: list[Any]) -> tuple[Path, int]:
        is_object, path, index = frame
        if not is_object:
            frame[2] += 1
            return path + (index,), i
        match = _JSON_STRING.match(text, i)
        key = json.loads(match.group())  # type: ignore[union-attr]
        positions[path + (key,)] = at(i)
        return path + (key,), skip(skip(match.end()) + 1)  # type: ignore[union-attr]

    positions: dict[Path, tuple[int, int]] = {}
    stack: list[list[Any]] = []  # [is_object, path, next index]
    i, path = skip(0), ()
    while True:
        positions.setdefault(path, at(i))
        if text[i] in "{[":
            stack.append([text[i] == "{", path, 0])
            i = skip(i + 1)
            if text[i] not in "}]":
                path, i = member(i, stack[-1])
                continue
            i += 1
            stack.pop()
        else:
            i = (_JSON_STRING if text[i] == '"' else _JSON_SCALAR).match(text, i).end()  # type: ignore[union-attr]
        while stack:  # after a value: the next member, or close containers
            i = skip(i)
            if text[i] == ",":
                path, i = member(skip(i + 1), stack[-1])
                break
            i += 1
            stack.pop()
        else:
            return positions


class _Builder:
    """Builds containers from YAML events without recursion."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.positions: dict[Path, tuple[int, int]] = {}
        self.stack: list[tuple[Any, Path, list[Any]]] = []  # (container, path, [pending key])
        self.root: Any = None
        self.done = False

    def fail(self, mark: Any, message: str) -> InputError:
        return InputError(self.name, f"{mark.line + 1}:{mark.column + 1}", message)

    def _slot(self, mark: Any) -> tuple[Path, bool]:
        """Path the next value goes to; True if it is a mapping key."""
        if not self.stack:
            return (), False
        container, path, pending = self.stack[-1]
        if isinstance(container, list):
            return path + (len(container),), False
        if not pending:
            return path, True
        return path + (pending[0],), False

    def add(self, value: Any, mark: Any) -> None:
        if not self.stack:
            self.root, self.done = value, True
            self.positions[()] = (mark.line + 1, mark.column + 1)
            return
        container, path, pending = self.stack[-1]
        if isinstance(container, list):
            self.positions[path + (len(container),)] = (mark.line + 1, mark.column + 1)
            container.append(value)
        elif not pending:
            if not isinstance(value, (str, int, float, bool)) or value is None:
                raise self.fail(mark, "mapping keys must be plain scalars")
            key = value if isinstance(value, str) else str(value)
            if key in container:
                raise self.fail(mark, f"duplicate key {key!r}")
            pending.append(key)
            self.positions[path + (key,)] = (mark.line + 1, mark.column + 1)
        else:
            container[pending.pop()] = value

    def open(self, container: Any, mark: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail(mark, f"nesting is too deep; the limit is {MAX_DEPTH} levels")
        path, is_key = self._slot(mark)
        if is_key:
            raise self.fail(mark, "mapping keys must be plain scalars")
        self.positions.setdefault(path, (mark.line + 1, mark.column + 1))
        self.stack.append((container, path, []))

    def close(self, mark: Any) -> None:
        container, _, _ = self.stack.pop()
        if not self.stack:
            self.root, self.done = container, True
            return
        parent, path, pending = self.stack[-1]
        if isinstance(parent, list):
            parent.append(container)
        else:
            parent[pending.pop()] = container


def _scalar(event: yaml.ScalarEvent, name: str) -> Any:
    if event.tag not in (None, "!"):
        if not event.tag.startswith("tag:yaml.org,2002:"):
            mark = event.start_mark
            raise InputError(name, f"{mark.line + 1}:{mark.column + 1}", f"tag {event.tag} is not allowed")
    tag = event.tag if event.tag not in (None, "!") else _resolver.resolve(
        yaml.ScalarNode, event.value, event.implicit
    )
    if tag == "tag:yaml.org,2002:timestamp":
        return event.value  # dates stay text: the model decides what a date is
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        value = _constructor.construct_object(node)
    except yaml.YAMLError as err:
        mark = event.start_mark
        raise InputError(name, f"{mark.line + 1}:{mark.column + 1}", f"bad scalar: {err}") from None
    if isinstance(value, float) and not math.isfinite(value):
        mark = event.start_mark
        raise InputError(name, f"{mark.line + 1}:{mark.column + 1}", "numbers must be finite")
    if isinstance(value, bytes):
        mark = event.start_mark
        raise InputError(name, f"{mark.line + 1}:{mark.column + 1}", "binary scalars are not allowed")
    return value


def _check_collection_tag(event: Any, name: str) -> None:
    if event.tag in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        return
    mark = event.start_mark
    raise InputError(name, f"{mark.line + 1}:{mark.column + 1}", f"tag {event.tag} is not allowed")


def _json_depth_ok(data: Any) -> bool:
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            if depth > MAX_DEPTH:
                return False
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return True


def _parse_yaml(name: str, text: str) -> Source:
    """Parse with libyaml; on a parser error, re-check with the pure-Python parser.

    libyaml scans ahead in flow collections and, since PyYAML 6.0.4, stops at its
    own nesting limit (1,000) before tipscore's builder sees the 65th level. The
    pure-Python parser has no such limit and yields events one at a time, so
    re-reading a file libyaml refused lets tipscore's own limits (depth, aliases,
    tags) speak first, whatever libyaml version is installed.
    """
    try:
        return _parse_yaml_with(name, text, _Loader)
    except InputError as c_error:
        if _Loader is yaml.SafeLoader or not c_error.expected.startswith("invalid YAML"):
            raise
        try:
            _parse_yaml_with(name, text, yaml.SafeLoader)
        except InputError as own:
            if not own.expected.startswith("invalid YAML"):
                raise own from None
        raise


def _parse_yaml_with(name: str, text: str, loader: Any) -> Source:
    builder = _Builder(name)
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise builder.fail(event.start_mark, "YAML anchors and aliases are not allowed")
            if isinstance(event, yaml.DocumentStartEvent) and builder.done:
                raise builder.fail(event.start_mark, "expected a single YAML document")
            if isinstance(event, yaml.ScalarEvent):
                builder.add(_scalar(event, name), event.start_mark)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                _check_collection_tag(event, name)
                is_map = isinstance(event, yaml.MappingStartEvent)
                builder.open({} if is_map else [], event.start_mark)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                builder.close(event.start_mark)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        place = f"{mark.line + 1}:{mark.column + 1}" if mark else None
        raise InputError(name, place, f"invalid YAML: {err.problem or err.context}") from None
    except yaml.YAMLError as err:
        raise InputError(name, None, f"invalid YAML: {err}") from None
    return Source(name, builder.root, builder.positions)
