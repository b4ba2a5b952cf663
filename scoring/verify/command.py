"""``tipscore verify``: check rulesets in processes, print reports, write counterexamples (cli.py only parses)."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable

from scoring.verify.counterexample import paragraph, write_counterexample
from scoring.verify.runner import PROPERTIES, Report, run_many


def verify(refs: list[str], examples: int, seed: int, out: str | None, only: list[str] | None, budget: float,
           jobs: int, echo: Callable[[str], None], search_path: list[str] | None = None) -> int:
    """Verify every ruleset; returns the number of violations plus rulesets whose rows were not all reached."""
    import yaml

    from scoring.errors import InputError
    from scoring.progress import Progress
    from scoring.ruleset.diagnostics import RulesetError
    from scoring.ruleset.load import check_ruleset

    unknown = [p for p in only or [] if p not in PROPERTIES]
    if unknown:
        raise InputError("--property", None, f"unknown property {unknown[0]!r}; expected one of {', '.join(PROPERTIES)}")
    rulesets = []
    for ref in refs:
        checked = check_ruleset(ref, search_path, semantic=False)
        if checked.ruleset is None:
            raise RulesetError(checked.errors or checked.diagnostics)
        if checked.ruleset.abstract:
            echo(f"{checked.ruleset.id}: abstract base ruleset, skipped (its children are verified)")
        else:
            rulesets.append(checked.ruleset)
    if not rulesets:
        return 0
    start = time.perf_counter()
    names = only or PROPERTIES
    with Progress(len(rulesets) * len(names), "verify") as progress:
        reports = run_many(rulesets, examples, seed, only, budget, jobs, on_done=lambda job: progress.advance(),
                           search_path=search_path)
    folder = out
    failures = 0
    for report in reports:
        failures += _print(report, examples, echo)
        for violation in report.violations:
            folder = folder or tempfile.mkdtemp(prefix="tipscore-verify-")
            for path in write_counterexample(violation, folder, report.ruleset):
                echo(f"  counterexample: {path}")
    echo(f"{len(reports)} ruleset(s) in {time.perf_counter() - start:.1f} s over {jobs} process(es) (seed {seed})")
    return failures


def _print(report: Report, examples: int, echo: Callable[[str], None]) -> int:
    import yaml

    for name in report.passed:
        echo(f"{report.ruleset}: {name}: ok")
    for violation in report.violations:
        echo(f"{report.ruleset}: {violation.prop}: VIOLATED — {violation.message}")
        echo("  " + paragraph(violation, report.ruleset))
        if violation.culprit:
            echo(f"  rule at fault: {violation.culprit}")
        for label, document in zip(violation.labels or ["document"] * len(violation.documents), violation.documents):
            echo(f"  # {label}")
            echo("  " + yaml.safe_dump(document, sort_keys=False).replace("\n", "\n  ").rstrip())
        if violation.diff:
            echo("  explanation diff:\n    " + violation.diff.replace("\n", "\n    "))
    missed = 0
    if report.coverage:
        for line in report.coverage.lines()[:2]:
            echo(f"{report.ruleset}: {line.strip()}")
        missed = 1 if report.coverage.rows_missed and not report.violations else 0  # a stopped search is partial
        if missed:
            echo(f"{report.ruleset}: coverage: VIOLATED — every table row must be reached (try --examples or --budget)")
    echo(f"{report.ruleset}: {len(report.passed)} passed, {len(report.violations)} violated "
         f"({examples} examples per property, {report.seconds:.1f} s of work)")
    return len(report.violations) + missed
