"""``tipscore validate``: check rulesets and the catalog they join; one line per diagnostic.

The command's work lives here so the CLI only parses arguments; ``echo`` prints a line
(``err=True`` for diagnostics, which go to standard error).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def validate_rulesets(rulesets: Sequence[str], folders: Sequence[str] | None,
                      echo: Callable[..., Any]) -> tuple[int, int]:
    """Check each ruleset (file or id) with the user's folders; returns (errors, warnings)."""
    from scoring.api import search_path
    from scoring.ruleset.load import checked_ruleset
    from scoring.ruleset.registry import catalog, coverage_diagnostics, read_entry

    errors = warnings = 0
    entries = []
    path = search_path(folders)
    for d in catalog(path).diagnostics:  # conflicts among the user's and the shipped rulesets
        echo(str(d), err=True)
        errors += d.severity == "error"
        warnings += d.severity == "warning"
    for ref in rulesets:
        checked = checked_ruleset(ref, list(path))
        for d in checked.diagnostics:
            echo(str(d), err=True)
        errors += len(checked.errors)
        warnings += len(checked.diagnostics) - len(checked.errors)
        if checked.ruleset is not None:
            rs = checked.ruleset
            scope = "abstract base" if rs.abstract else f"report years {rs.years}"
            echo(f"{checked.file}: ok ({rs.id}, {scope}: {len(rs.criteria)} criteria, "
                       f"{len(rs.determinations)} determinations, {len(rs.tables)} tables)")
            entries.append(read_entry(checked.file))
    if len(entries) > 1:
        for d in coverage_diagnostics([e for e in entries if e is not None]):
            echo(str(d), err=True)
            errors += d.severity == "error"
            warnings += d.severity == "warning"
    return errors, warnings
