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

#: ``--rulesets DIR`` (repeatable); every command that resolves rulesets takes it (see scoring.api.search_path)
RulesetsOption = Annotated[Optional[list[str]], typer.Option(
    "--rulesets", metavar="DIR", help="A folder of your own rulesets (repeatable; also TIPSCORE_RULESETS, separated by the path separator).")]


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
    from scoring.efforts.validate import check_documents

    if check_documents(files, typer.echo):
        raise typer.Exit(2)


@app.command()
def score(
    file: Annotated[str, typer.Argument(help="An efforts document (YAML or JSON).")],
    ruleset: Annotated[Optional[str], typer.Option("--ruleset", "-r", help="Ruleset id or file; default: the one in force for the report year.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, markdown or json.")] = "text",
    history: Annotated[str, typer.Option("--history", help="auto (document, else shipped data), none, or a tier-history CSV.")] = "auto",
    engine: Annotated[str, typer.Option("--engine", help="durable-rules (default) or reference.")] = "durable-rules",
    detail: Annotated[str, typer.Option("--detail", help="For json: full (the typed outcome) or summary (small); both cite by reference, each citation once.")] = "full",
    why_not: Annotated[Optional[str], typer.Option("--why-not", help="A tier (1, 2, 2WL): the smallest fact changes toward more effort that reach it, and what would make it worse.")] = None,
    rulesets: RulesetsOption = None,
) -> None:
    """Score one country-year and explain the outcome.

    Example: tipscore score fixtures/mali/2015.yaml --format json
    """
    from scoring.launch import score_text  # also run without typer by scoring.launch (the entry point)

    typer.echo(score_text(file, ruleset, fmt, history, engine, detail, why_not, rulesets), nl=False)


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(help="Efforts documents: files, folders or glob patterns.")],
    out: Annotated[str, typer.Option("--out", "-o", help="Output file: FILE.csv, FILE.jsonl or FILE.md (written atomically), or - for stdout.")],
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=64, help="Worker processes.")] = 1,
    ruleset: Annotated[Optional[str], typer.Option("--ruleset", "-r", help="Ruleset id or file for every document.")] = None,
    history: Annotated[str, typer.Option("--history", help="auto, none, or a tier-history CSV.")] = "auto",
    engine: Annotated[str, typer.Option("--engine", help="durable-rules (default) or reference.")] = "durable-rules",
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="csv, jsonl or markdown; default: from the --out suffix (csv for -).")] = None,
    rulesets: RulesetsOption = None,
) -> None:
    """Score many documents into one CSV or JSON Lines file; exit 1 if any failed.

    Example: tipscore batch fixtures/ --out scores.csv --jobs 2
    """
    from scoring.batch import run_batch

    code = run_batch(paths, out, jobs=jobs, ruleset=ruleset, history=history, engine=engine, fmt=fmt,
                     rulesets=rulesets, echo=typer.echo)
    if code:
        raise typer.Exit(code)


@app.command()
def series(
    paths: Annotated[list[str], typer.Argument(help="One country's efforts documents: files or folders.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or markdown.")] = "text",
    history: Annotated[str, typer.Option("--history", help="auto (document, else shipped data), none, or a tier-history CSV.")] = "auto",
) -> None:
    """Score a country's documents in report-year order, each outcome feeding the next year's history.

    Example: tipscore series fixtures/mali/2015.yaml fixtures/synthetic/mali-series/no-increase
    """
    from scoring.api import check_options
    from scoring.errors import InputError
    from scoring.series import as_markdown, score_series, timeline

    if fmt not in ("text", "markdown"):
        raise InputError("--format", None, f"expected text or markdown, got {fmt!r}")
    check_options(None, history, "durable-rules")
    years = score_series(paths, history)
    typer.echo(timeline(years) if fmt == "text" else as_markdown(years), nl=False)


@app.command()
def report(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Efforts documents: one (a country-year), several of one country (a series), or folders.")] = None,
    out: Annotated[str, typer.Option("--out", "-o", help="The HTML file to write (atomically).")] = "report.html",
    diff: Annotated[Optional[tuple[str, str]], typer.Option("--diff", help="OLD NEW: report the impact of a ruleset change.")] = None,
    over: Annotated[Optional[list[str]], typer.Option("--over", help="Documents for --diff (repeatable; same as PATHS).")] = None,
    ruleset: Annotated[Optional[str], typer.Option("--ruleset", "-r", help="Ruleset id or file; default: the one in force for each report year.")] = None,
    history: Annotated[str, typer.Option("--history", help="auto, none, or a tier-history CSV.")] = "auto",
    rulesets: RulesetsOption = None,
) -> None:
    """Write a self-contained HTML report: a country-year, a series, or a ruleset change.

    Example: tipscore report fixtures/mali/2015.yaml --out mali-2015.html
    """
    from scoring.errors import InputError
    from scoring.report import build_report

    documents = [*(paths or []), *(over or [])]
    if not documents:
        raise InputError("tipscore report", None, "expected at least one efforts document (PATHS or --over)")
    from scoring.api import search_path

    kind = build_report(documents, out, diff=diff, ruleset=ruleset, history=history, search_path=search_path(rulesets))
    typer.echo(f"{out}: {kind} report written", err=True)


@app.command()
def validate(
    rulesets: Annotated[list[str], typer.Argument(help="Ruleset files or shipped ids.")],
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")] = False,
    folders: RulesetsOption = None,
) -> None:
    """Check rulesets: schema, facts, types, references, cycles, table gaps and overlaps.

    Prints file:line:col: CODE message (codes in docs/diagnostics.md).
    Example: tipscore validate rulesets/*.yaml
    """
    from scoring.ruleset.validation import validate_rulesets

    errors, warnings = validate_rulesets(rulesets, folders, typer.echo)
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
    folders: RulesetsOption = None,
) -> None:
    """Search for documents that break a ruleset's consistency or the statute; print counterexamples.

    Properties: totality, determinism, statutory bounds (against the statute table),
    explanation soundness, engine agreement, monotonicity, unknown safety; and
    coverage (every table row reached). Exit 1 on any violation.
    Example: tipscore verify rulesets/*.yaml
    """
    from scoring.api import catalog
    from scoring.verify.command import verify as run_verify

    path = list(catalog(folders).search_path)
    if run_verify(rulesets, examples, seed, out, prop, budget, jobs, typer.echo, path):
        raise typer.Exit(1)


@app.command()
def extract(
    text_file: Annotated[str, typer.Argument(help="The report text (plain UTF-8), e.g. one TIP chapter.")],
    country: Annotated[str, typer.Option("--country", help="ISO 3166-1 alpha-3 code of the country, e.g. MLI.")],
    report_year: Annotated[int, typer.Option("--report-year", help="The TIP Report year the text is from.")],
    out: Annotated[Optional[str], typer.Option("--out", "-o", help="Draft file (.yaml, written atomically); default: standard output.")] = None,
) -> None:
    """Draft an efforts document from report text: only what it states, each value with its verbatim quote.

    Example: tipscore extract fixtures/sources/mali-2015-tip.txt --country MLI --report-year 2015 --out draft.yaml
    """
    from scoring.extract import extract as extract_draft

    draft, rendered = extract_draft(text_file, country, report_year, out)
    if out is None:
        typer.echo(rendered, nl=False)
        return
    typer.echo(f"{out}: {draft.facts} values coded; {len(draft.unmatched)} clauses to review, "
               f"{len(draft.conclusions)} conclusions skipped, {len(draft.conflicts)} conflicts left unknown", err=True)


@app.command("test")
def test_rulesets(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Test files (*.test.yaml) or folders of them; default: the shipped rulesets' tests.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    coverage: Annotated[bool, typer.Option("--coverage", help="Report which criteria, determinations and table rows the cases reached.")] = False,
    threshold: Annotated[Optional[float], typer.Option("--threshold", min=0, max=100, help="Fail (exit 1) if a ruleset's coverage is below PCT (implies --coverage).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="List only the failing cases (text format).")] = False,
    rulesets: RulesetsOption = None,
) -> None:
    """Check rulesets against cases with expected outcomes; exit 1 if any case fails.

    Example: tipscore test rulesets/tests --coverage
    """
    from scoring.casetest import run_tests
    from scoring.errors import InputError

    if fmt not in ("text", "json"):
        raise InputError("--format", None, f"expected text or json, got {fmt!r}")
    from scoring.api import search_path

    report = run_tests(paths, coverage=coverage, threshold=threshold, search_path=search_path(rulesets))
    typer.echo(report.render(fmt, quiet=quiet), nl=False)
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="The ruleset before the change: id or file.")],
    new: Annotated[str, typer.Argument(help="The ruleset after the change: id or file.")],
    over: Annotated[list[str], typer.Option("--over", help="Efforts documents: files, folders or glob patterns (repeatable).")],
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=64, help="Worker processes.")] = 1,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, markdown, csv or json.")] = "text",
    history: Annotated[str, typer.Option("--history", help="auto, none, or a tier-history CSV.")] = "auto",
    rulesets: RulesetsOption = None,
) -> None:
    """Score documents under two rulesets and show what changed and why; exit 1 if any document failed.

    Example: tipscore diff tvpa-2019 my/tvpa-2027.yaml --over fixtures/
    """
    from scoring.impact import run_diff

    if run_diff(old, new, over, jobs=jobs, fmt=fmt, history=history, rulesets=rulesets, echo=typer.echo):
        raise typer.Exit(1)


@app.command()
def show(
    ruleset: Annotated[str, typer.Argument(help="A ruleset id or file.")],
    resolved: Annotated[bool, typer.Option("--resolved", help="Every inherited rule in place, with where it came from.")] = False,
    rulesets: RulesetsOption = None,
) -> None:
    """Print a ruleset as YAML; with --resolved, its whole extends chain applied (a valid ruleset itself).

    Example: tipscore show tvpa-2019 --resolved
    """
    from scoring.api import catalog, load_ruleset
    from scoring.show import resolved_yaml

    folders = list(catalog(rulesets).search_path)
    if not resolved:
        from scoring.ruleset.load import find_ruleset

        load_ruleset(ruleset, folders)
        with open(find_ruleset(ruleset, folders) or ruleset, encoding="utf-8-sig") as handle:
            typer.echo(handle.read(), nl=False)
        return
    typer.echo(resolved_yaml(ruleset, folders), nl=False)


@app.command()
def docs(
    out: Annotated[str, typer.Option("--out", "-o", help="Folder for the Markdown and HTML pages (created if missing).")],
    rulesets: Annotated[Optional[list[str]], typer.Argument(help="Ruleset ids or files; default: every era in the catalog.")] = None,
    folders: RulesetsOption = None,
) -> None:
    """Generate the law beside the rules: one Markdown and one HTML page per era, and the statute-to-rule map.

    Example: tipscore docs --out build/law
    """
    import os

    from scoring.api import catalog, load_ruleset
    from scoring.errors import InputError
    from scoring.lawdocs import eras_of, write_docs

    found = catalog(folders)
    if os.path.exists(out) and not os.path.isdir(out):
        raise InputError(out, None, "is a file; expected a folder for the pages")
    refs = rulesets or [e.path for e in found.entries if not e.abstract]
    loaded = [load_ruleset(ref, found.search_path) for ref in refs]
    written = write_docs(eras_of(loaded, found), out)
    typer.echo(f"{out}: {len(written)} pages written ({len(written) // 2 - 1} eras and the map, Markdown and HTML)")


@app.command("rulesets")
def list_rulesets(
    ruleset: Annotated[Optional[str], typer.Argument(help="A ruleset id or file: show it in brief.")] = None,
    folders: RulesetsOption = None,
) -> None:
    """List the rulesets (shipped and your own), the report years each is in force and where it comes from.

    Example: tipscore rulesets tvpa-2019
    """
    from scoring.api import catalog, load_ruleset
    from scoring.listing import describe, list_rulesets as listing

    found = catalog(folders)
    if ruleset is None:
        typer.echo(listing(found), nl=False)
        return
    loaded = load_ruleset(ruleset, found.search_path)
    entry = next((e for e in found.entries if e.id == loaded.id and e.path == loaded.file), None)
    typer.echo(describe(loaded, entry, found), nl=False)


@schema_app.command("ruleset")
def schema_ruleset() -> None:
    """The ruleset language schema (editors can use it for completion)."""
    from scoring.schemas import dumps, packaged_schema

    typer.echo(dumps(packaged_schema("ruleset")), nl=False)


@schema_app.command("test")
def schema_test() -> None:
    """The schema of test files (*.test.yaml) for `tipscore test`."""
    from scoring.schemas import dumps, packaged_schema

    typer.echo(dumps(packaged_schema("casetest")), nl=False)


@schema_app.command("output")
def schema_output() -> None:
    """The schema of `tipscore score --format json` (citations by reference)."""
    from scoring.outcome_json import output_schema
    from scoring.schemas import dumps

    typer.echo(dumps(output_schema()), nl=False)


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
