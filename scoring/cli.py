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


@schema_app.command("input")
def schema_input() -> None:
    """The efforts document schema (generated from the model)."""
    from scoring.schemas import dumps, input_schema

    typer.echo(dumps(input_schema()), nl=False)


def main() -> None:
    """Console entry point: turn tipscore errors into one-line messages and exit codes."""
    try:
        app()
    except TipscoreError as err:
        if _DEBUG["on"]:
            raise
        typer.echo(str(err), err=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
