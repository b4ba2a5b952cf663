"""``tipscore show RULESET --resolved``: a ruleset with every inherited rule in place.

A ruleset such as ``tvpa-2019`` only makes sense after reading its whole
``extends`` chain; this prints one YAML document holding every criterion,
determination and table in force, each preceded by a comment naming the ruleset
and file:line it comes from (and where it was extended). The output is itself a
valid ruleset without ``extends``: ``tipscore validate`` accepts it and it scores
exactly like the original (tested).
"""

from __future__ import annotations

from typing import Any

import yaml

from scoring.listing import shown
from scoring.ruleset.load import KINDS, Resolved, resolve

class _Flow(dict):  # type: ignore[type-arg]
    """A condition leaf: written on one line, as in the shipped rulesets."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True))

_BRANCHES = ("all", "any", "not")


def _conditions_inline(node: Any, in_condition: bool = False) -> Any:
    """Block style for the structure, one line per condition leaf (``{fact: ..., ">": 0}``)."""
    if isinstance(node, dict):
        if in_condition and not any(k in node for k in _BRANCHES):
            return _Flow(node)
        return {k: _conditions_inline(v, in_condition or k in ("when", *_BRANCHES)) for k, v in node.items()}
    if isinstance(node, list):
        return [_conditions_inline(item, in_condition) for item in node]
    return node


def _dump(data: Any) -> str:
    return yaml.dump(_conditions_inline(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def _where(where: Any) -> str:
    return f"{shown(where.file)}:{where.line}" if where.line else shown(where.file)


def resolved_yaml(ref: str, search_path: list[str] | None = None) -> str:
    """The resolved ruleset as YAML with provenance comments."""
    return render_resolved(resolve(ref, search_path))


def render_resolved(resolved: Resolved) -> str:
    chain = " -> ".join(f"{rid} ({shown(path)})" for rid, path in resolved.chain)
    out = [f"# Resolved ruleset: {chain}", "# Every inherited rule is in place; comments say where each comes from.",
           _dump(resolved.header).rstrip()]
    if resolved.parameters:
        out.append("parameters:")
        for name, value, origin, where in resolved.parameters:
            out.append(f"  {_dump({name: value}).rstrip()}  # {origin}, {_where(where)}")
    for kind in KINDS:
        entries = [e for e in resolved.entries if e.kind == kind]
        if not entries:
            continue
        out.append(f"{kind}:")
        for entry in entries:
            (origin, where), *extensions = entry.places
            comment = f"  # {entry.raw['id']}: from {origin}, {_where(where)}"
            comment += "".join(f"; extended in {o}, {_where(w)}" for o, w in extensions)
            body = _dump([entry.raw]).rstrip().replace("\n", "\n  ")
            out += [comment, "  " + body]
    return "\n".join(out) + "\n"
