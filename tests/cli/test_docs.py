"""docs/cli.md cannot rot: every ``$ tipscore ...`` example is run and must print exactly what the
page shows, the option tables must match the commands, and every command must be documented.

After changing a command, a message, a fixture or a ruleset: ``.venv/bin/python scripts/update_cli_docs.py``.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

import pytest

from tests.cli.support import ROOT

FIX = "run `.venv/bin/python scripts/update_cli_docs.py` to regenerate docs/cli.md"


def _load_updater() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_cli_docs", ROOT / "scripts" / "update_cli_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


updater = _load_updater()
TEXT = updater.DOC.read_text("utf-8")
EXAMPLES = updater.parse_examples(TEXT)


@pytest.fixture(scope="module")
def ran() -> list[list]:
    """Every example run now (two at a time; the steps of one example run in order)."""
    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(updater.run_example, EXAMPLES))


@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=[e.name for e in EXAMPLES])
def test_example_output_is_exactly_what_the_page_shows(ran: list[list], index: int) -> None:
    example = EXAMPLES[index]
    for shown, actual in zip(example.steps, ran[index]):
        assert actual.code == shown.code, f"$ {shown.command}: exit {actual.code}, the page says {shown.code}; {FIX}"
        assert actual.output == shown.output, f"$ {shown.command}: the output changed; {FIX}"


def test_option_tables_match_the_commands() -> None:
    markers = list(updater._OPTIONS.finditer(TEXT))
    assert markers
    for match in markers:
        shown = match.group(0)[len(match["open"]):-len(match["close"])].rstrip("\n")
        assert shown == updater.options_table(match["command"]), f"options of {match['command']}: {FIX}"


def test_every_command_has_a_section_options_and_an_example() -> None:
    import typer

    from scoring.cli import app

    group = typer.main.get_command(app)
    commands = [e.name for e in EXAMPLES]
    tables = {m["command"] for m in updater._OPTIONS.finditer(TEXT)}
    assert "tipscore" in tables and any(c.startswith("tipscore --version") for c in commands)
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert f"\n## {name}\n" in TEXT, f"no section for `tipscore {name}` in docs/cli.md"
        leaves = [f"{name} {sub}" for sub in command.commands] if hasattr(command, "commands") else [name]
        assert tables & {name, *leaves}, f"no option table for `tipscore {name}`"
        for leaf in leaves:
            assert any(re.match(rf"tipscore {leaf}( |$)", c) for c in commands), f"no example of `tipscore {leaf}`"


def test_every_example_passes_the_grammar() -> None:
    """Every block starts with `$ tipscore`; a failing exit is recorded; the page renders back as is."""
    assert len(EXAMPLES) >= 20
    assert all(e.steps[0].command.startswith("tipscore") for e in EXAMPLES)
    assert any(e.steps[0].code == 2 for e in EXAMPLES) and any(e.steps[0].code == 1 for e in EXAMPLES)
    assert any("| head -n" in e.steps[0].command for e in EXAMPLES)
    for example in EXAMPLES:
        assert TEXT[example.start:example.end] == example.render()


def test_parser_and_runner_on_a_small_page(tmp_path: Path) -> None:
    page = ("Prose\n\n```console\n$ tipscore rulesets | head -n 1\nstale\n```\n\n"
            "```\nnot an example\n```\n\n```console\n$ tipscore score missing.yaml\n\nold\n# exit 1\n```\n")
    examples = updater.parse_examples(page)
    assert [(s.command, s.output, s.code) for e in examples for s in e.steps] == [
        ("tipscore rulesets | head -n 1", "stale", 0), ("tipscore score missing.yaml", "\nold", 1)]
    fresh = updater.refresh(page)
    first_ruleset = updater.run_step("tipscore rulesets")[0].splitlines()[0]
    assert fresh == ("Prose\n\n```console\n$ tipscore rulesets | head -n 1\n" + first_ruleset + "\n```\n\n"
                     "```\nnot an example\n```\n\n```console\n$ tipscore score missing.yaml\n"
                     "missing.yaml: no such file\n# exit 2\n```\n")
    assert updater.refresh(fresh) == fresh


OTHER_PAGES = [(page, example) for page in updater.PAGES[1:]
               for example in updater.parse_examples(page.read_text("utf-8"))]


@pytest.mark.parametrize(("page", "example"), OTHER_PAGES, ids=[f"{p.name}: {e.name}" for p, e in OTHER_PAGES])
def test_other_pages_examples_print_what_the_page_shows(page: Path, example) -> None:  # type: ignore[no-untyped-def]
    """docs/testing-rulesets.md and the other generated pages cannot rot either."""
    for shown, actual in zip(example.steps, updater.run_example(example)):
        assert actual.code == shown.code, f"{page.name}: $ {shown.command}: exit {actual.code}, the page says {shown.code}; {FIX}"
        assert actual.output == shown.output, f"{page.name}: $ {shown.command}: the output changed; {FIX}"


def test_every_page_is_generated_and_has_examples() -> None:
    assert updater.PAGES[0] == updater.DOC
    assert all(updater.parse_examples(page.read_text("utf-8")) for page in updater.PAGES)
