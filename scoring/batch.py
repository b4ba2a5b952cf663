"""Score many documents: deterministic order, per-document failures, atomic output.

durable-rules is process-global and holds the GIL, so ``jobs > 1`` uses worker
processes (spawned, each building its own engine), never threads. Results come
back in input order, so the output is identical whatever the number of jobs.
The output file is written to a temporary file beside it and renamed into
place only when complete: an interrupted or failed run never leaves a partial
file, and an existing file is untouched until the new one is whole.
"""

from __future__ import annotations

import csv
import glob
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from scoring.errors import InputError, TipscoreError

SUFFIXES = (".yaml", ".yml", ".json")
PILLARS = ("prosecution", "protection", "prevention", "partnership", "overall")
#: test files (``tipscore test``) may sit beside the documents they test; a folder or pattern never yields them
TEST_SUFFIXES = (".test.yaml", ".test.yml", ".test.json")
CSV_COLUMNS = [
    "file", "country", "iso3", "report_year", "ruleset", "tier", "determined", "reason", "previous_tier", "movement",
    "consecutive_watch_list_years", "automatic_downgrade", "waiver_granted", "waiver_number", "special_watch_list",
    *(f"score_{p}_{bound}" for p in PILLARS for bound in ("min", "max")),
    "not_assessable", "unknown_fields", "error",
]
#: Output formats by file suffix; ``--out -`` writes to stdout (CSV unless ``--format`` says otherwise).
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".md": "markdown"}


@dataclass(frozen=True)
class Result:
    """One document's outcome (as JSON-ready data) or its one-line error."""

    file: str
    outcome: dict[str, Any] | None
    error: str | None


def expand(paths: list[str]) -> list[str]:
    """Files, folders (recursively, *.yaml/*.yml/*.json) and glob patterns, sorted, without repeats.

    Folders and patterns skip test files (*.test.yaml), so expectations can sit beside cases.
    """
    found: dict[str, None] = {}
    for path in paths:
        if os.path.isdir(path):
            for root, _, files in os.walk(path):
                found.update((os.path.join(root, f), None) for f in files
                             if f.endswith(SUFFIXES) and not f.endswith(TEST_SUFFIXES))
        elif any(ch in path for ch in "*?[") and not os.path.exists(path):
            matches = glob.glob(path, recursive=True)
            if not matches:
                raise InputError(path, None, "the pattern matches no file")
            found.update((m, None) for m in matches if os.path.isfile(m) and not m.endswith(TEST_SUFFIXES))
        else:
            found[path] = None
    return sorted(found)


def _score_one(args: tuple[str, str | None, str, str, bool, tuple[str, ...]]) -> Result:
    path, ruleset, history, engine, explained, folders = args
    try:
        if explained:
            from scoring.api import score
            from scoring.outcome_json import outcome_data

            outcome = outcome_data(score(path, ruleset, history=history, engine=engine,  # type: ignore[arg-type]
                                         search_path=folders))
        else:
            from scoring.outcome_fields import summarize

            outcome = summarize(path, ruleset, history=history, engine=engine, search_path=folders)  # type: ignore[arg-type]
    except TipscoreError as err:
        lines = str(err).splitlines()
        reason = lines[0] + (f" (+{len(lines) - 1} more)" if len(lines) > 1 else "")
        return Result(path, None, reason)
    except Exception as err:  # a bug must not lose the rest of a long batch; it is reported, not hidden
        return Result(path, None, f"internal error ({type(err).__name__}: {err}); please report it")
    return Result(path, outcome, None)


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool (no traceback from every worker)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def score_many(paths: list[str], ruleset: str | None = None, history: str = "auto", engine: str = "durable-rules",
               jobs: int = 1, explained: bool = True, search_path: tuple[str, ...] = ()) -> Iterator[Result]:
    """Results in input order; ``explained=False`` gives summaries (scoring.outcome_fields), all a CSV row
    needs; ``search_path``: the user's rulesets folders."""
    tasks = [(p, ruleset, history, engine, explained, tuple(search_path)) for p in paths]
    yield from in_order(_score_one, tasks, jobs)


T = TypeVar("T")
R = TypeVar("R")


def in_order(work: Callable[[T], R], tasks: list[T], jobs: int = 1) -> Iterator[R]:
    """``work`` over ``tasks``, results in input order; ``jobs > 1`` uses spawned worker processes.

    ``work`` must be a module-level function (it is pickled) that reports failures in its result.
    """
    if jobs <= 1 or len(tasks) < 2:
        yield from map(work, tasks)
        return
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(jobs, initializer=_ignore_sigint) as pool:
        yield from pool.imap(work, tasks, chunksize=max(1, min(64, len(tasks) // (jobs * 8) or 1)))


def csv_row(result: Result) -> list[Any]:
    """One document as a row: score bounds (unknown is not zero), the unknown fields, the reason, yes/no."""
    o = result.outcome
    if o is None:
        return [result.file] + [""] * (len(CSV_COLUMNS) - 2) + [result.error]
    from scoring.series import movement

    wl, waiver = o["watch_list"], o["watch_list"]["waiver"] or {}
    scores = o["scores"]
    previous = (o["history"]["facts"] if "history" in o else o["history_facts"]).get("history.previous_tier")
    bounds = [_blank(scores.get(p, {}).get(key)) for p in PILLARS for key in ("score", "max_score")]
    return [result.file, o["country"], o["iso3"], o["report_year"], o["ruleset"]["id"], o["tier"] or "",
            _yes(o["determined"]), _reason(o), _blank(previous), movement(previous, o["tier"]),
            _blank(wl["consecutive_years"]), _blank(wl["automatic_downgrade"]), _yes(waiver.get("granted")),
            _blank(waiver.get("number")), _yes(wl["special_watch_list"]), *bounds,
            " ".join(o["not_assessable"]), " ".join(o["unknown_fields"] if "unknown_fields" in o else _unknown_fields(o)), ""]


def _reason(o: dict[str, Any]) -> str:
    """The deciding row, or the open questions that left the tier undetermined (and what decides them)."""
    if o["tier_row"]:
        return f"row {o['tier_row']}"
    questions = o.get("open_questions") or []
    if not questions:
        return "every open branch gives this tier" if o["tier"] else "no row of the tier table applies"
    return "open: " + "; ".join(f"row {q['row']} (decided by {', '.join(q['decided_by']) or '-'})"
                                for q in questions)


def _unknown_fields(o: dict[str, Any]) -> list[str]:
    """The input fields whose value could still decide a criterion not assessable, each once."""
    from scoring.outcome_fields import fields_to_fill

    unknown = set(o["not_assessable"])
    return fields_to_fill(c["open_facts"] for c in o["criteria"] if c["id"] in unknown)


def _yes(value: Any) -> str:
    return "" if value is None else ("yes" if value else "no")


def _blank(value: Any) -> Any:
    return "" if value is None else value


def check_output(out: str, fmt: str | None = None) -> str:
    """The output's format (csv, jsonl or markdown), refusing a path that cannot be written."""
    if fmt is not None and fmt not in FORMATS.values():
        raise InputError("--format", None, f"expected csv, jsonl or markdown, got {fmt!r}")
    if out == "-":
        return fmt or "csv"
    found = next((f for suffix, f in FORMATS.items() if out.endswith(suffix)), None)
    if fmt is None and found is None:
        raise InputError(out, None, "expected an output file ending in .csv, .jsonl or .md, or - for stdout")
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise InputError(out, None, f"the folder {os.path.dirname(out) or folder} does not exist")
    if os.path.isdir(out):
        raise InputError(out, None, "is a directory; expected a file name ending in .csv, .jsonl or .md")
    return fmt or found  # type: ignore[return-value]


def _write(handle: Any, fmt: str, results: Iterator[Result], on_result: Callable[[Result], None]) -> int:
    failures = 0
    writer = csv.writer(handle, lineterminator="\n") if fmt == "csv" else None
    if writer:
        writer.writerow(CSV_COLUMNS)
    elif fmt == "markdown":
        handle.write("| " + " | ".join(CSV_COLUMNS) + " |\n|" + "---|" * len(CSV_COLUMNS) + "\n")
    for result in results:
        failures += result.error is not None
        on_result(result)
        if writer:
            writer.writerow(csv_row(result))
        elif fmt == "markdown":
            cells = [str(c).replace("|", "/").replace("\n", " ") for c in csv_row(result)]
            handle.write("| " + " | ".join(cells) + " |\n")
        else:
            record = {"file": result.file, "outcome": result.outcome} if result.outcome else {
                "file": result.file, "error": result.error}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return failures


def write_atomically(out: str, results: Iterator[Result], on_result: Callable[[Result], None],
                     fmt: str | None = None) -> int:
    """Write all results, then rename into place (``-``: stream to stdout); returns the number of failures."""
    fmt = check_output(out, fmt)
    if out == "-":
        import sys

        failures = _write(sys.stdout, fmt, results, on_result)
        sys.stdout.flush()
        return failures
    folder = os.path.dirname(os.path.abspath(out))
    handle = tempfile.NamedTemporaryFile("w", dir=folder, prefix=f".{os.path.basename(out)}.", suffix=".tmp",
                                         delete=False, encoding="utf-8", newline="")
    try:
        with handle:
            failures = _write(handle, fmt, results, on_result)
        os.replace(handle.name, out)
    except BaseException:
        os.unlink(handle.name)
        raise
    return failures


def run_batch(paths: list[str], out: str, *, jobs: int = 1, ruleset: str | None = None, history: str = "auto",
              engine: str = "durable-rules", fmt: str | None = None, rulesets: list[str] | None = None,
              echo: Callable[..., Any] = print) -> int:
    """``tipscore batch``: score ``paths`` into ``out`` with progress; the exit code (0, 1 any failed, 130 interrupted).

    Bad options and an unwritable output fail (exit 2) before any document is scored or anything written.
    """
    import signal
    import sys

    from scoring.api import check_options, search_path
    from scoring.progress import Progress

    fmt = check_output(out, fmt)
    check_options(ruleset, history, engine, rulesets)  # bad options fail (exit 2) before any output is written
    files = expand(paths)
    if not files:
        raise InputError(" ".join(paths), None, "no efforts documents (*.yaml, *.yml, *.json) found")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds like Ctrl-C: the temporary file is removed
    with Progress(len(files), "scoring") as progress:
        def report(result):  # type: ignore[no-untyped-def]
            if result.error:
                # errors from the document itself already start with its name
                named = result.error.startswith(f"{result.file}:")
                progress.echo(result.error if named else f"{result.file}: {result.error}")
            progress.advance()

        try:
            explained = fmt == "jsonl"  # a CSV or Markdown row needs no explanation (~85% of the work)
            results = score_many(files, ruleset, history, engine, jobs, explained, search_path(rulesets))
            failures = write_atomically(out, results, report, fmt)
        except KeyboardInterrupt:
            progress.echo(f"{out}: interrupted; nothing written (an existing file is unchanged)")
            return 130
    echo(f"{out}: {len(files) - failures} scored, {failures} failed", err=True)
    return 1 if failures else 0
