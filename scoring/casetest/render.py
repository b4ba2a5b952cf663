"""Stage 5 for test files: the report as text for a policy author, or as JSON.

A failing case shows, for each expectation that did not hold, the expected and
the actual value side by side, then the tier-table row that decided (or the row
where the tier could not be assessed) and the determinations and criteria on
that row's path with their statuses and the values they compared: enough to see
why without re-running ``tipscore score``.
"""

from __future__ import annotations

import json
from typing import Any

from scoring.casetest.coverage import RulesetCoverage
from scoring.casetest.run import CaseResult
from scoring.outcome import ExplanationNode, Outcome

PATH_DEPTH = 2  #: levels below the deciding row: its determinations and their criteria
DETAIL_WIDTH = 140


def show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(map(show, value)) + "]"
    return str(value)


def text(results: list[CaseResult], covered: list[RulesetCoverage] | None, threshold: float | None,
         quiet: bool = False) -> str:
    lines: list[str] = []
    for result in results:
        if quiet and result.passed:
            continue
        case = result.case
        mark = "ok  " if result.passed else "FAIL"
        lines.append(f"{mark}  {case.file}:{case.line}: {case.name}")
        if not result.passed:
            lines += ["      " + line for line in failure(result)]
    failed = sum(not r.passed for r in results)
    files = len({r.case.file for r in results})
    lines.append(f"{len(results)} case{'s' * (len(results) != 1)} in {files} file{'s' * (files != 1)}: "
                 f"{len(results) - failed} passed, {failed} failed")
    if covered is not None:
        lines += coverage_text(covered, threshold)
    return "\n".join(lines) + "\n"


def failure(result: CaseResult) -> list[str]:
    """Expected vs actual, then the deciding row and the path to it."""
    if result.error is not None:
        return [f"could not be scored: {result.error}"]
    width = max(len(m.what) for m in result.mismatches)
    column = max(len("expected"), *(len(show(m.expected)) for m in result.mismatches))
    out = [f"{'':<{width}}  {'expected':<{column}}  actual"]
    out += [f"{m.what:<{width}}  {show(m.expected):<{column}}  {show(m.actual)}" for m in result.mismatches]
    assert result.outcome is not None
    out += deciding_path(result.outcome)
    return out


def deciding_path(outcome: Outcome) -> list[str]:
    """The tier table's rows in order up to the one that decided (or could not be assessed).

    A row passed over shows what failed in it (its unmet parts: why not that tier); the
    deciding row shows its whole path, determinations and their criteria, with the values
    they compared.
    """
    rows = outcome.explanation.children
    lines = ["tier table, row by row:"]
    for row in rows:
        if row is rows[-1]:
            how = "decided" if outcome.tier_row == row.id else "could not be assessed: the tier is undetermined"
            lines.append(f"  row {row.id}: {row.status} ← {how}")
            lines += _nodes(row.children, 2, PATH_DEPTH + 1)
        else:
            lines.append(f"  row {row.id}: {row.status}")
            lines += _nodes([c for c in row.children if c.status == "unmet"], 2, 2)
    return lines


def _nodes(nodes: list[ExplanationNode], depth: int, last: int) -> list[str]:
    out: list[str] = []
    for node in nodes:
        detail = f" — {node.detail}" if node.detail else ""
        if len(detail) > DETAIL_WIDTH:
            detail = detail[: DETAIL_WIDTH - 1] + "…"
        out.append(f"{'  ' * depth}{node.kind} {node.id}: {node.status}{detail}")
        if depth < last:
            out += _nodes(node.children, depth + 1, last)
    return out


def coverage_text(covered: list[RulesetCoverage], threshold: float | None) -> list[str]:
    lines = ["coverage (criteria and determinations seen met and seen unmet; table rows that decided):"]
    for cov in covered:
        s = cov.summary()
        crit, det, rows = s["criteria"], s["determinations"], s["rows"]
        low = threshold is not None and cov.percent < threshold
        lines.append(f"  {cov.ruleset.id}: {cov.percent:.1f}%{'  BELOW THRESHOLD' if low else ''} ({cov.cases} case{'s' * (cov.cases != 1)}) — "
                     f"criteria {crit['met_and_unmet']}/{crit['total']}, "  # type: ignore[index]
                     f"determinations {det['met_and_unmet']}/{det['total']}, "  # type: ignore[index]
                     f"rows {rows['decided']}/{rows['total']}")  # type: ignore[index]
        for label, items in (("never seen met", cov.never("criterion", "met") + cov.never("determination", "met")),
                             ("never seen unmet", cov.never("criterion", "unmet") + cov.never("determination", "unmet")),
                             ("never decided", cov.never_decided())):
            if items:
                lines.append(f"    {label}: {', '.join(items)}")
    if threshold is not None:
        lines.append(f"threshold {threshold:g}%: " + ("met" if all(c.percent >= threshold for c in covered) else "NOT met"))
    return lines


def as_json(results: list[CaseResult], covered: list[RulesetCoverage] | None, threshold: float | None) -> str:
    failed = sum(not r.passed for r in results)
    data = {
        "tipscore_test": 1,
        "summary": {"cases": len(results), "passed": len(results) - failed, "failed": failed},
        "cases": [_case(r) for r in results],
        "coverage": [c.summary() for c in covered] if covered is not None else None,
        "threshold": threshold,
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _case(result: CaseResult) -> dict[str, Any]:
    case, outcome = result.case, result.outcome
    return {
        "file": case.file, "line": case.line, "name": case.name, "document": case.document_label,
        "ruleset": case.ruleset.id, "passed": result.passed, "error": result.error,
        "tier": outcome.tier if outcome else None, "tier_row": outcome.tier_row if outcome else None,
        "mismatches": [{"expectation": m.what, "expected": m.expected, "actual": m.actual,
                        "place": case.places.get(m.what, "")} for m in result.mismatches],
    }
