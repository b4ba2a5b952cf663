"""``tipscore rulesets``: which rulesets exist, where each comes from, and one ruleset in brief.

Where a ruleset comes from matters once users keep their own folders: the listing
names the folder (or "shipped"), the years each is actually in force (a ruleset
replaced for some years loses them), and what it extends or replaces.
"""

from __future__ import annotations

import os

from scoring.ruleset import ast
from scoring.ruleset.registry import SHIPPED, Catalog, Entry, years_text


def _scope(catalog: Catalog, entry: Entry) -> str:
    if entry.abstract:
        return "abstract base"
    in_force = years_text(catalog.in_force(entry))
    return f"report years {in_force}" if in_force == entry.years else f"report years {in_force} (of {entry.years})"


def list_rulesets(catalog: Catalog) -> str:
    """One line per ruleset, by first report year: id, years in force, origin, title."""
    rows = []
    for entry in sorted(catalog.entries, key=lambda e: (e.first, e.id)):
        origin = SHIPPED if entry.origin == SHIPPED else shown(entry.path)
        extra = f" (replaces {entry.replaces})" if entry.replaces else ""
        rows.append(f"{entry.id:<12} {_scope(catalog, entry):<36} {origin}  {entry.title}{extra}")
    return "\n".join(rows) + "\n"


def describe(ruleset: ast.Ruleset, entry: Entry | None, catalog: Catalog) -> str:
    """One ruleset in brief: origin, years in force, ancestry, parameters and its rules by kind."""
    origin = "a file outside the catalog" if entry is None else (
        "shipped" if entry.origin == SHIPPED else f"folder {shown(entry.origin)}")
    scope = _scope(catalog, entry) if entry else ("abstract base" if ruleset.abstract else f"report years {ruleset.years}")
    lines = [f"{ruleset.id}: {ruleset.title} (version {ruleset.version})",
             f"  file:       {shown(ruleset.file)} ({origin})",
             f"  in force:   {scope}"]
    if entry is not None and entry.replaces:
        lines.append(f"  replaces:   {entry.replaces}")
    if ruleset.extends:
        lines.append(f"  extends:    {' -> '.join(ruleset.extends)}")
    params = ruleset.parameters.as_dict()
    if params:
        lines.append("  parameters: " + ", ".join(f"{k}={_value(v)}" for k, v in params.items()))
    lines.append(f"  criteria ({len(ruleset.criteria)}):")
    lines += [f"    {c.id:<34} {c.pillar:<12} weight {c.weight:<3} {c.citation.section}  [{c.origin}]"
              for c in ruleset.criteria]
    lines.append(f"  determinations ({len(ruleset.determinations)}):")
    lines += [f"    {d.id:<34} {d.citation.section}  [{d.origin}]" for d in ruleset.determinations]
    for table in ruleset.tables:
        lines.append(f"  table {table.id} ({table.hit_policy}, {len(table.rows)} rows) [{table.origin}]:")
        lines += [f"    {row.id:<34} -> " + ", ".join(f"{k}={v}" for k, v in row.then.items()) for row in table.rows]
    return "\n".join(lines) + "\n"


def shown(path: str) -> str:
    """A ruleset file or folder as a reader finds it: ``rulesets/<file>`` when shipped, else relative
    to the working folder when below it (never this machine's path to the installed package)."""
    from scoring.ruleset.shipped import shipped_dir

    absolute, shipped = os.path.abspath(path), os.path.abspath(shipped_dir())
    if absolute == shipped or os.path.dirname(absolute) == shipped:
        return "rulesets" + absolute[len(shipped):]
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _value(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)
