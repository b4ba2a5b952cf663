"""``tipscore diff``: the impact of a ruleset change on a set of documents.

Every document is scored under the old and the new ruleset (the rules engine
only: statuses and table hits, no explanation tree, so thousands of documents
take seconds per job). The result says how many outcomes changed, the
tier-to-tier transitions, and for each changed document the deciding row of the
tier table under each ruleset and every criterion and determination whose
status changed, with its citation, so a policy author sees *why*, not only that.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from scoring.errors import InputError, TipscoreError

UNDETERMINED = "undetermined"
ABSENT = "absent"  #: the status of a rule the other ruleset does not have
FORMATS = ("text", "markdown", "csv", "json")


@dataclass(frozen=True)
class StatusChange:
    kind: str  #: "criterion" or "determination"
    id: str
    title: str
    old: str
    new: str
    citation: str  #: section (enacting act), of the new ruleset's rule when it has one


@dataclass(frozen=True)
class Placement:
    """One document under one ruleset: the tier (or undetermined) and the tier-table row that decided it."""

    tier: str
    row: str  #: the row that hit, or the first row that could not be assessed
    reason: str  #: "hit", "unknown", "gap" or "overlap"
    explanation: str


@dataclass(frozen=True)
class DocumentImpact:
    file: str
    old: Placement | None = None
    new: Placement | None = None
    changes: tuple[StatusChange, ...] = ()
    error: str | None = None

    @property
    def changed(self) -> bool:
        """The outcome changed: the tier, or the tier-table row that decided it."""
        return self.old is not None and self.new is not None and (
            (self.old.tier, self.old.row) != (self.new.tier, self.new.row))

    @property
    def statuses_changed(self) -> bool:
        """A rule both rulesets have changed status (a rule only one has is not a change by itself)."""
        return any(ABSENT not in (c.old, c.new) for c in self.changes)

    @property
    def tier_changed(self) -> bool:
        return self.old is not None and self.new is not None and self.old.tier != self.new.tier


@dataclass
class Impact:
    old: str  #: ruleset id and version
    new: str
    documents: list[DocumentImpact] = field(default_factory=list)

    @property
    def changed(self) -> list[DocumentImpact]:
        return [d for d in self.documents if d.changed]

    @property
    def failed(self) -> list[DocumentImpact]:
        return [d for d in self.documents if d.error]

    def transitions(self) -> dict[tuple[str, str], int]:
        """How many documents went from each old tier to each new tier (unchanged ones included)."""
        counts = Counter((d.old.tier, d.new.tier) for d in self.documents if d.old and d.new)
        return dict(sorted(counts.items()))


def _placement(ruleset: Any, evaluation: Any) -> Placement:
    table = next(t for t in ruleset.tables if t.id == "tier")
    hit = evaluation.tables["tier"]
    if hit.row is not None:
        row = table.rows[hit.row]
        return Placement(row.then["tier"], row.id, "hit", row.explain or "")
    stuck = next((r for r in table.ordered_rows() if hit.row_statuses[r.index] != "unmet"), None)
    return Placement(UNDETERMINED, stuck.id if stuck else "", hit.reason, stuck.explain or "" if stuck else "")


def _statuses(ruleset: Any, evaluation: Any) -> dict[str, tuple[str, str, str, str]]:
    nodes = [("criterion", c) for c in ruleset.criteria] + [("determination", d) for d in ruleset.determinations]
    return {n.id: (kind, n.title, evaluation.statuses[n.id], str(n.citation)) for kind, n in nodes}


def compare_document(task: tuple[str, str, str, str, tuple[str, ...]]) -> DocumentImpact:
    """One document under both rulesets (a worker function: failures come back in the result)."""
    path, old_ref, new_ref, history, folders = task
    from scoring import api
    from scoring.efforts.validate import load_efforts

    try:
        document = load_efforts(path)
        results = []
        for ref in (old_ref, new_ref):
            ruleset = api.load_ruleset(ref, folders)
            evaluation = api.evaluate(ruleset, api.facts_for(document, ruleset, history)[1])
            results.append((_placement(ruleset, evaluation), _statuses(ruleset, evaluation)))
    except TipscoreError as err:
        lines = str(err).splitlines()
        return DocumentImpact(path, error=lines[0] + (f" (+{len(lines) - 1} more)" if len(lines) > 1 else ""))
    except Exception as err:  # a bug must not lose the rest of a long run; it is reported, not hidden
        return DocumentImpact(path, error=f"internal error ({type(err).__name__}: {err}); please report it")
    (old, old_statuses), (new, new_statuses) = results
    changes = []
    for node_id in [*old_statuses, *(k for k in new_statuses if k not in old_statuses)]:
        before, after = old_statuses.get(node_id), new_statuses.get(node_id)
        old_status, new_status = before[2] if before else ABSENT, after[2] if after else ABSENT
        if old_status != new_status:
            kind, title, _, citation = after or before  # type: ignore[misc]
            changes.append(StatusChange(kind, node_id, title, old_status, new_status, citation))
    return DocumentImpact(path, old, new, tuple(changes))


def compare(old: str, new: str, paths: list[str], *, jobs: int = 1, history: str = "auto",
            search_path: tuple[str, ...] = (), on_result: Callable[[DocumentImpact], None] | None = None) -> Impact:
    """Score every document in ``paths`` (files, already expanded) under ``old`` and ``new`` (ids or files)."""
    from scoring import api
    from scoring.batch import in_order

    old_rs, new_rs = api.load_ruleset(old, search_path), api.load_ruleset(new, search_path)  # bad rulesets: exit 2 first
    impact = Impact(f"{old_rs.id} v{old_rs.version}", f"{new_rs.id} v{new_rs.version}")
    tasks = [(p, old, new, history, tuple(search_path)) for p in paths]
    for result in in_order(compare_document, tasks, jobs):
        impact.documents.append(result)
        if on_result:
            on_result(result)
    return impact


# --- rendering ---------------------------------------------------------------------------

def render(impact: Impact, fmt: str = "text") -> str:
    """The impact as text, Markdown, CSV (one row per changed status) or JSON (deterministic)."""
    return {"text": _text, "markdown": _markdown, "csv": _csv, "json": _json}[fmt](impact)


def _headline(impact: Impact) -> str:
    scored = len(impact.documents) - len(impact.failed)
    tiers = sum(d.tier_changed for d in impact.documents)
    quiet = sum(d.statuses_changed and not d.changed for d in impact.documents)
    failed = f"; {len(impact.failed)} could not be scored" if impact.failed else ""
    return (f"{impact.old} -> {impact.new}: {len(impact.changed)} of {scored} documents changed outcome "
            f"({tiers} changed tier); {quiet} more changed a rule's status but not the outcome{failed}")


def _matrix(impact: Impact) -> tuple[list[str], list[list[str]]]:
    counts = impact.transitions()
    order = ["1", "2", "2WL", "3", "special", UNDETERMINED]
    olds = [t for t in order if any(o == t for o, _ in counts)]
    news = [t for t in order if any(n == t for _, n in counts)]
    rows = [[f"from {o}", *(str(counts.get((o, n), 0)) for n in news)] for o in olds]
    return ["", *(f"to {n}" for n in news)], rows


def _text(impact: Impact) -> str:
    lines = [_headline(impact), "", "Tier transitions (rows: old tier, columns: new tier):"]
    header, rows = _matrix(impact)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        lines.append("  " + "  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))))
    for doc in impact.changed:
        lines += ["", f"{doc.file}: {_tier(doc.old)} -> {_tier(doc.new)}",  # type: ignore[arg-type]
                  f"  old: row {doc.old.row} ({doc.old.reason})",  # type: ignore[union-attr]
                  f"  new: row {doc.new.row} ({doc.new.reason})"]  # type: ignore[union-attr]
        lines += [f"  {c.kind} {c.id}: {c.old} -> {c.new}  [{c.citation}]" for c in doc.changes]
    lines += [failure_line(d) for d in impact.failed]
    return "\n".join(lines) + "\n"


def failure_line(doc: DocumentImpact) -> str:
    """``file: why``; a document's own error already starts with its name."""
    error = doc.error or ""
    return error if error.startswith(f"{doc.file}:") else f"{doc.file}: {error}"


def _tier(placement: Placement) -> str:
    return placement.tier if placement.tier == UNDETERMINED else f"Tier {placement.tier}"


def _markdown(impact: Impact) -> str:
    header, rows = _matrix(impact)
    lines = [f"## Impact: {impact.old} → {impact.new}", "", _headline(impact) + ".", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    for doc in impact.changed:
        lines += ["", f"### `{doc.file}`: {_tier(doc.old)} → {_tier(doc.new)}", "",  # type: ignore[arg-type]
                  f"Deciding row: `{doc.old.row}` ({doc.old.reason}) → `{doc.new.row}` ({doc.new.reason})"]  # type: ignore[union-attr]
        if doc.changes:
            lines += ["", "| rule | old | new | citation |", "|---|---|---|---|"]
            lines += [f"| {c.kind} `{c.id}` | {c.old} | {c.new} | {c.citation.replace('|', chr(92) + '|')} |"
                      for c in doc.changes]
    if impact.failed:
        lines += ["", "Could not be scored:", ""] + [f"- {failure_line(d)}" for d in impact.failed]
    return "\n".join(lines) + "\n"


def _csv(impact: Impact) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "old_tier", "new_tier", "old_row", "new_row", "kind", "id", "old_status", "new_status",
                     "citation", "error"])
    for doc in impact.documents:
        if doc.error:
            writer.writerow([doc.file, "", "", "", "", "", "", "", "", "", doc.error])
            continue
        if not doc.changed:
            continue
        base = [doc.file, doc.old.tier, doc.new.tier, doc.old.row, doc.new.row]  # type: ignore[union-attr]
        for change in doc.changes or [None]:  # type: ignore[list-item]
            detail = [change.kind, change.id, change.old, change.new, change.citation] if change else [""] * 5
            writer.writerow(base + detail + [""])
    return out.getvalue()


def _json(impact: Impact) -> str:
    data = {
        "old": impact.old, "new": impact.new, "documents": len(impact.documents),
        "changed": len(impact.changed), "failed": len(impact.failed),
        "transitions": [{"from": o, "to": n, "count": c} for (o, n), c in impact.transitions().items()],
        "changes": [asdict(d) for d in impact.changed],
        "errors": [{"file": d.file, "error": d.error} for d in impact.failed],
    }
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def run_diff(old: str, new: str, over: list[str], *, jobs: int = 1, fmt: str = "text", history: str = "auto",
             rulesets: list[str] | None = None, echo: Callable[..., Any] = print) -> int:
    """``tipscore diff``: compare ``old`` and ``new`` over the documents, print the impact; the number that failed."""
    import os

    from scoring.api import catalog, check_options
    from scoring.batch import expand
    from scoring.progress import Progress

    if fmt not in FORMATS:
        raise InputError("--format", None, f"expected one of {', '.join(FORMATS)}, got {fmt!r}")
    for path in over:
        if not os.path.exists(path) and not any(ch in path for ch in "*?["):
            raise InputError(path, None, "no such file or folder (given by --over)")
    check_options(None, history, "durable-rules", rulesets)
    folders = catalog(rulesets).search_path
    files = expand(over)
    if not files:
        raise InputError(" ".join(over), None, "no efforts documents (*.yaml, *.yml, *.json) found")
    with Progress(len(files), "comparing", min_total=100) as progress:
        impact = compare(old, new, files, jobs=jobs, history=history, search_path=folders,
                         on_result=lambda _: progress.advance())
    echo(render(impact, fmt), nl=False)
    for failed in impact.failed:
        echo(failure_line(failed), err=True)
    return len(impact.failed)
