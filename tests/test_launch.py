"""The entry point runs plain ``score`` calls without typer and leaves everything else to typer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.launch import plain_score_call

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("argv", "call"), [
    (["score", "a.yaml"], {"file": "a.yaml"}),
    (["score", "a.yaml", "--format", "json", "-r", "tvpa-2013"], {"file": "a.yaml", "fmt": "json", "ruleset": "tvpa-2013"}),
    (["score", "--history", "none", "a.yaml", "--engine", "reference"],
     {"file": "a.yaml", "history": "none", "engine": "reference"}),
])
def test_plain_calls_are_recognised(argv: list[str], call: dict[str, str]) -> None:
    assert plain_score_call(argv) == call


@pytest.mark.parametrize("argv", [
    [], ["check", "a.yaml"], ["--debug", "score", "a.yaml"], ["score"], ["score", "--help"], ["score", "a.yaml", "-h"],
    ["score", "a.yaml", "b.yaml"], ["score", "a.yaml", "--format=json"], ["score", "a.yaml", "--format"],
    ["score", "a.yaml", "-f", "json", "-f", "text"], ["score", "a.yaml", "--colour"], ["score", "--", "a.yaml"],
    ["score", "a.yaml", "--ruleset", "-x"],
])
def test_anything_else_goes_to_typer(argv: list[str]) -> None:
    assert plain_score_call(argv) is None


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "TIPSCORE_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "scoring", *argv], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=120)


@pytest.mark.parametrize("extra", [[], ["--format", "markdown"], ["--format", "xml"], ["--engine", "nope"]])
def test_both_paths_print_the_same(extra: list[str]) -> None:
    fast = _run("score", "fixtures/mali/2004.yaml", *extra)
    # typer parses the joined --opt=value form (and --debug) itself: same command, other path
    joined = [f"{extra[0]}={extra[1]}"] if extra else []
    via_typer = _run("--debug", "score", "fixtures/mali/2004.yaml") if not extra else _run(
        "score", "fixtures/mali/2004.yaml", *joined)
    assert (fast.returncode, fast.stdout, fast.stderr) == (via_typer.returncode, via_typer.stdout, via_typer.stderr)
    assert fast.returncode == (2 if extra[1:] in (["xml"], ["nope"]) else 0)


def test_a_missing_file_is_one_line_exit_2() -> None:
    result = _run("score", "no-such-file.yaml")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "no-such-file.yaml: no such file\n"


def test_the_command_line_tool_loads_no_pydantic_plugins() -> None:
    """pydantic's plugin discovery (and the ``importlib.metadata`` import it costs) is off in the
    ``tipscore`` process, yet documents are still validated: a bad one is still refused."""
    probe = ("import sys\nfrom scoring.launch import main\nsys.argv = ['tipscore', *sys.argv[1:]]\n"
             "try:\n    main()\nexcept SystemExit as end:\n"
             "    print('exit', end.code, 'importlib.metadata' in sys.modules, file=sys.stderr)\n")
    env = {**os.environ, "NO_COLOR": "1", "TIPSCORE_NO_CACHE": "1"}
    good = subprocess.run([sys.executable, "-c", probe, "score", "fixtures/mali/2015.yaml"], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)
    assert good.stderr.splitlines()[-1] == "exit 0 False"
    assert "Tier" in good.stdout
    bad = subprocess.run([sys.executable, "-c", probe, "score", "tests/cli/examples/wrong-types.yaml"],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert bad.stderr.splitlines()[-1] == "exit 2 False"
