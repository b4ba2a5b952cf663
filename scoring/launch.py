"""The console entry point: ``tipscore score FILE`` answers without loading typer.

typer builds a pydantic adapter per option on every call and imports much of
its toolkit first: ~50 ms of a ~150 ms budget. A plain ``score`` call (a file
and the command's own options written as separate words) is recognised here
and run directly; anything else — help, another command, ``--debug``, a
``--opt=value`` form, an unknown option, a missing value — goes to the typer
app in scoring.cli, so help and usage errors stay typer's. Both paths run the
same function, ``score_text``.
"""

from __future__ import annotations

import sys

_SCORE_OPTIONS = {"--ruleset": "ruleset", "-r": "ruleset", "--format": "fmt", "-f": "fmt",
                  "--history": "history", "--engine": "engine"}


def score_text(file: str, ruleset: str | None = None, fmt: str = "text", history: str = "auto",
               engine: str = "durable-rules", detail: str = "full", why_not: str | None = None,
               rulesets: list[str] | None = None) -> str:
    """What ``tipscore score`` prints: the rendered, explained outcome of one document
    (or, with ``why_not``, the smallest fact changes that reach that tier)."""
    from scoring.api import score as score_document
    from scoring.errors import InputError
    from scoring.render import render

    if fmt not in ("text", "markdown", "json"):
        raise InputError("--format", None, f"expected text, markdown or json, got {fmt!r}")
    if engine not in ("durable-rules", "reference"):
        raise InputError("--engine", None, f"expected durable-rules or reference, got {engine!r}")
    if detail not in ("full", "summary"):
        raise InputError("--detail", None, f"expected full or summary, got {detail!r}")
    if why_not is not None:
        from scoring.api import load_ruleset
        from scoring.efforts.validate import load_efforts
        from scoring.whatif import render as render_why_not, why_not as search

        from scoring.api import ruleset_for

        document = load_efforts(file)
        chosen = load_ruleset(ruleset, rulesets) if ruleset else ruleset_for(document.report_year, rulesets)
        report = search(document, why_not, chosen, history)
        return render_why_not(report)
    outcome = score_document(file, ruleset, history=history, engine=engine, search_path=rulesets)  # type: ignore[arg-type]
    if fmt == "json" and detail == "summary":
        from scoring.summary import as_summary_json

        return as_summary_json(outcome)
    return render(outcome, fmt)


def plain_score_call(argv: list[str]) -> dict[str, str] | None:
    """The arguments of a plain ``score`` call, or None when typer should parse ``argv``."""
    if not argv or argv[0] != "score":
        return None
    found: dict[str, str] = {}
    words = iter(argv[1:])
    for word in words:
        if word in _SCORE_OPTIONS:
            value = next(words, None)
            name = _SCORE_OPTIONS[word]
            if value is None or value.startswith("-") or name in found:
                return None
            found[name] = value
        elif word.startswith("-") or "file" in found:
            return None
        else:
            found["file"] = word
    return found if "file" in found else None


def main() -> None:
    """Console entry point.

    Whatever the command, the objects left when it ends are frozen (``gc.freeze``) before the
    interpreter shuts down: its final collection would otherwise walk every one of them (the
    pydantic models, the rulesets, the engine's facts), about 25 ms of a ``score`` call, to free
    memory the process is about to return anyway. Shut-down itself (flushing, exit handlers)
    runs as usual.
    """
    import gc

    _without_pydantic_plugins()
    try:
        _run(sys.argv[1:])
    finally:
        gc.freeze()


def _without_pydantic_plugins() -> None:
    """Run the command with pydantic's plugin discovery off.

    pydantic looks for third-party validation plugins (observability hooks) when it builds its
    first model, and its plugin loader imports ``importlib.metadata`` to do so: about 10 ms of a
    ``score`` call, even with ``PYDANTIC_DISABLE_PLUGINS`` set, since that is read only after the
    import. tipscore's models are its own and no plugin has any business in them, so the
    command-line tool gives pydantic a loader that finds none: the same as
    ``PYDANTIC_DISABLE_PLUGINS=__all__``, without the import. Only the ``tipscore`` process is
    affected; a program that imports ``scoring`` keeps its pydantic plugins.
    """
    import types

    name = "pydantic.plugin._loader"
    if name not in sys.modules:
        loader = types.ModuleType(name, "tipscore's CLI: no pydantic plugins (see scoring.launch)")
        loader.get_plugins = lambda *args, **kwargs: ()  # type: ignore[attr-defined]
        sys.modules[name] = loader


def _run(argv: list[str]) -> None:
    """Run one command line: a plain ``score`` directly, anything else through typer."""
    import gc

    call = plain_score_call(argv)
    if call is None:
        from scoring.cli import main as typer_main

        typer_main()
        return
    # One document, then exit: the cyclic collector would only rescan the objects pydantic and
    # the rulesets create at start-up (~4 ms of the call) and could free nothing that matters.
    gc.disable()
    from scoring.errors import TipscoreError

    try:
        text = score_text(**call)
    except TipscoreError as err:
        print(str(err), file=sys.stderr)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    sys.stdout.write(text)
    sys.stdout.flush()
    sys.exit(0)
