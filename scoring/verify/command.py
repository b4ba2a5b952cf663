"""``tipscore verify``: run the consistency properties over rulesets and report counterexamples.

The command's work lives here so the CLI only parses arguments; ``echo`` prints a line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any


def verify_rulesets(rulesets: Sequence[str], folders: Sequence[str] | None, examples: int, seed: int, out: str,
                    prop: Sequence[str] | None, echo: Callable[..., Any]) -> int:
    """Check every property on each non-abstract ruleset; returns the number of violations."""
    import time

    import yaml

    from scoring.errors import InputError
    from scoring.ruleset.diagnostics import RulesetError
    from scoring.ruleset.load import check_ruleset
    from scoring.verify import PROPERTIES, run, write_counterexample

    unknown = [p for p in prop or [] if p not in PROPERTIES]
    if unknown:
        raise InputError("--property", None, f"unknown property {unknown[0]!r}; expected one of {', '.join(PROPERTIES)}")
    from scoring.api import catalog

    violations = 0
    path = list(catalog(folders).search_path)
    for ref in rulesets:
        checked = check_ruleset(ref, path, semantic=False)
        if checked.ruleset is None:
            raise RulesetError(checked.errors or checked.diagnostics)
        ruleset = checked.ruleset
        if ruleset.abstract:
            echo(f"{ruleset.id}: abstract base ruleset, skipped (its children are verified)")
            continue
        start = time.perf_counter()
        report = run(ruleset, examples, seed, prop or None)
        for name in report.passed:
            echo(f"{ruleset.id}: {name}: ok ({examples} examples)")
        for violation in report.violations:
            violations += 1
            echo(f"{ruleset.id}: {violation.prop}: VIOLATED — {violation.message}")
            for path in write_counterexample(violation, out, ruleset.id):
                echo(f"  counterexample: {path}")
            for document in violation.documents:
                echo("  " + yaml.safe_dump(document, sort_keys=False).replace("\n", "\n  ").rstrip())
            if violation.diff:
                echo("  explanation diff:\n    " + violation.diff.replace("\n", "\n    "))
        echo(f"{ruleset.id}: {len(report.passed)} passed, {len(report.violations)} violated "
                   f"in {time.perf_counter() - start:.1f} s (seed {seed})")
    return violations
