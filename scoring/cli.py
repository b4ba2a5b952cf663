"""The ``tipscore`` command: a thin layer over the public API.

Imports are deferred into each command so that ``tipscore score`` does not pay
for jsonschema or other commands' dependencies at start-up. Every error a user
can cause is a ``TipscoreError``: printed as one line per problem on stderr,
exit 2 (bad input) or 1 (the command ran and found problems); ``--debug``
shows the traceback.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from scoring.errors import TipscoreError

app = typer.Typer(
    name="tipscore",
    help="Score governments' anti-trafficking efforts against the TVPA minimum standards and tier rules.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)
schema_app = typer.Typer(help="Print a JSON Schema.", no_args_is_help=True)
app.add_typer(schema_app, name="schema")

_DEBUG = {"on": False}


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"tipscore {version('tipscore')}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks (for developers).")] = False,
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = None,
) -> None:
    _DEBUG["on"] = debug


@app.command()
def check(
    files: Annotated[list[str], typer.Argument(help="Efforts documents (YAML or JSON).")],
) -> None:
    """Validate efforts documents; print one line per problem.

    Example: tipscore check fixtures/mali/2015.yaml
    """
    from scoring.efforts.validate import load_efforts

    failed = 0
    for name in files:
        try:
            document = load_efforts(name)
        except TipscoreError as err:
            failed += 1
            typer.echo(str(err), err=True)
            continue
        typer.echo(f"{name}: ok ({document.country}, {document.report_year} report)")
    if failed:
        raise typer.Exit(2)


@app.command()
def score(
    file: Annotated[str, typer.Argument(help="An efforts document (YAML or JSON).")],
    ruleset: Annotated[Optional[str], typer.Option("--ruleset", "-r", help="Ruleset id or file; default: the one in force for the report year.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, markdown or json.")] = "text",
    history: Annotated[str, typer.Option("--history", help="auto (document, else shipped data), none, or a tier-history CSV.")] = "auto",
    engine: Annotated[str, typer.Option("--engine", help="durable-rules (default) or reference.")] = "durable-rules",
) -> None:
    """Score one country-year and explain the outcome.

    Example: tipscore score fixtures/mali/2015.yaml --format json
    """
    from scoring.api import score as score_document
    from scoring.errors import InputError
    from scoring.render import render

    if fmt not in ("text", "markdown", "json"):
        raise InputError("--format", None, f"expected text, markdown or json, got {fmt!r}")
    if engine not in ("durable-rules", "reference"):
        raise InputError("--engine", None, f"expected durable-rules or reference, got {engine!r}")
    outcome = score_document(file, ruleset, history=history, engine=engine)  # type: ignore[arg-type]
    typer.echo(render(outcome, fmt), nl=False)


def _check_shared_options(ruleset: Optional[str], history: str, engine: str) -> None:
    """Refuse a bad --engine, --ruleset or --history once, up front, instead of failing every document."""
    from scoring.errors import InputError

    if engine not in ("durable-rules", "reference"):
        raise InputError("--engine", None, f"expected durable-rules or reference, got {engine!r}")
    if ruleset:
        from scoring.api import load_ruleset

        load_ruleset(ruleset)
    if history not in ("auto", "none"):
        from scoring.history import read_history_file

        read_history_file(history)


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(help="Efforts documents: files, folders or glob patterns.")],
    out: Annotated[str, typer.Option("--out", "-o", help="Output file: FILE.csv or FILE.jsonl (written atomically).")],
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=64, help="Worker processes.")] = 1,
    ruleset: Annotated[Optional[str], typer.Option("--ruleset", "-r", help="Ruleset id or file for every document.")] = None,
    history: Annotated[str, typer.Option("--history", help="auto, none, or a tier-history CSV.")] = "auto",
    engine: Annotated[str, typer.Option("--engine", help="durable-rules (default) or reference.")] = "durable-rules",
) -> None:
    """Score many documents into one CSV or JSON Lines file; exit 1 if any failed.

    Example: tipscore batch fixtures/ --out scores.csv --jobs 2
    """
    from scoring.batch import check_output, expand, score_many, write_atomically
    from scoring.errors import InputError
    from scoring.progress import Progress

    check_output(out)
    _check_shared_options(ruleset, history, engine)  # bad options fail (exit 2) before any output is written
    files = expand(paths)
    if not files:
        raise InputError(" ".join(paths), None, "no efforts documents (*.yaml, *.yml, *.json) found")
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds like Ctrl-C: the temporary file is removed
    with Progress(len(files), "scoring") as progress:
        def report(result):  # type: ignore[no-untyped-def]
            if result.error:
                # errors from the document itself already start with its name
                named = result.error.startswith(f"{result.file}:")
                progress.echo(result.error if named else f"{result.file}: {result.error}")
            progress.advance()

        try:
            failures = write_atomically(out, score_many(files, ruleset, history, engine, jobs), report)
        except KeyboardInterrupt:
            progress.echo(f"{out}: interrupted; nothing written (an existing file is unchanged)")
            raise typer.Exit(130) from None
    typer.echo(f"{out}: {len(files) - failures} scored, {failures} failed", err=True)
    if failures:
        raise typer.Exit(1)


@app.command()
def validate(
    rulesets: Annotated[list[str], typer.Argument(help="Ruleset files or shipped ids.")],
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
) -> None:
    """Check rulesets: schema, facts, types, references, cycles, table gaps and overlaps.

    Prints file:line:col: CODE message (codes in docs/diagnostics.md).
    Example: tipscore validate rulesets/*.yaml
    """
    from scoring.ruleset.load import check_ruleset
    from scoring.ruleset.registry import coverage_diagnostics, read_entry

    errors = warnings = 0
    entries = []
    for ref in rulesets:
        checked = check_ruleset(ref)
        for d in checked.diagnostics:
            typer.echo(str(d), err=True)
        errors += len(checked.errors)
        warnings += len(checked.diagnostics) - len(checked.errors)
        if checked.ruleset is not None:
            rs = checked.ruleset
            scope = "abstract base" if rs.abstract else f"report years {rs.years}"
            typer.echo(f"{checked.file}: ok ({rs.id}, {scope}: {len(rs.criteria)} criteria, "
                       f"{len(rs.determinations)} determinations, {len(rs.tables)} tables)")
            entries.append(read_entry(checked.file))
    if len(entries) > 1:
        for d in coverage_diagnostics([e for e in entries if e is not None]):
            typer.echo(str(d), err=True)
            errors += d.severity == "error"
            warnings += d.severity == "warning"
    if errors:
        raise typer.Exit(2)
    if warnings and strict:
        raise typer.Exit(1)


@app.command("verify")
def verify(
    rulesets: Annotated[list[str], typer.Argument(help="Ruleset files or shipped ids.")],
    examples: Annotated[int, typer.Option("--examples", "-n", min=1, help="Documents (or ladders) tried per property.")] = 30,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same run.")] = 0,
    out: Annotated[Optional[str], typer.Option("--out", help="Folder for counterexample files (default: a new temporary folder).")] = None,
    prop: Annotated[Optional[list[str]], typer.Option("--property", "-p", help="Check only these properties.")] = None,
    budget: Annotated[float, typer.Option("--budget", min=0.1, help="Seconds each property may search per ruleset.")] = 10.0,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Processes to run in.")] = 2,
) -> None:
    """Search for documents that break a ruleset's consistency or the statute; print counterexamples.

    Properties: totality, determinism, statutory bounds (against the statute table),
    explanation soundness, engine agreement, monotonicity, unknown safety; and
    coverage (every table row reached). Exit 1 on any violation.
    Example: tipscore verify rulesets/*.yaml
    """
    from scoring.verify.command import verify as run_verify

    if run_verify(rulesets, examples, seed, out, prop, budget, jobs, typer.echo):
        raise typer.Exit(1)


@app.command("rulesets")
def list_rulesets() -> None:
    """List the shipped rulesets and the report years each covers."""
    from scoring.ruleset.registry import shipped

    for entry in shipped():
        kind = "abstract base" if entry.abstract else f"report years {entry.years}"
        typer.echo(f"{entry.id:<12} {kind:<24} {entry.title}")


@schema_app.command("ruleset")
def schema_ruleset() -> None:
    """The ruleset language schema (editors can use it for completion)."""
    from scoring.schemas import dumps, packaged_schema

    typer.echo(dumps(packaged_schema("ruleset")), nl=False)


@schema_app.command("output")
def schema_output() -> None:
    """The schema of `tipscore score --format json`."""
    from scoring.outcome import Outcome
    from scoring.schemas import dumps

    typer.echo(dumps(Outcome.model_json_schema()), nl=False)


@schema_app.command("input")
def schema_input() -> None:
    """The efforts document schema (generated from the model)."""
    from scoring.schemas import dumps, input_schema

    typer.echo(dumps(input_schema()), nl=False)


def main() -> None:
    """Console entry point: turn tipscore errors into one-line messages and exit codes."""
    try:
        # standalone_mode=False: usage errors come back as exceptions, printed below as one
        # line instead of typer's multi-line rich "Error" panel
        code = app(standalone_mode=False)
    except TipscoreError as err:
        if _DEBUG["on"]:
            raise
        typer.echo(str(err), err=True)
        sys.exit(err.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except typer.TyperException as err:  # click usage errors: bad option, missing argument, bad value
        message = err.format_message()
        ctx = getattr(err, "ctx", None)
        if type(err).__name__ == "NoArgsIsHelpError":  # the help has been printed (or is the message)
            if message.strip():
                typer.echo(message, err=True)
            sys.exit(2)
        where = ctx.command_path if ctx is not None else "tipscore"
        hint = f"; see '{where} --help'" if ctx is not None else ""
        typer.echo(f"{where}: {' '.join(message.split()).rstrip('.')}{hint}", err=True)
        sys.exit(getattr(err, "exit_code", 2))
    sys.exit(code if isinstance(code, int) else 0)
