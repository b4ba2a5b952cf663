"""Regenerate the examples and option tables in docs/cli.md (and the other PAGES) from the real CLI.

Two kinds of generated content; everything else in the document is prose:

* Example blocks: a fenced block whose first line starts with ``$ ``. Each ``$ `` line is a
  command, run from the repository root; the lines after it, up to the next ``$ `` line or the
  closing fence, are its exact output (stdout and stderr together, as a terminal shows them,
  trailing newlines dropped). A last output line ``# exit N`` records a non-zero exit code.
  Commands: ``tipscore ARGS`` (the console script beside the running Python, else
  ``python -m scoring``; without a terminal, with ``CI=true`` and ``NO_COLOR=1``), ``head -n N FILE`` and ``cat FILE``; ``tipscore ... | head -n N`` keeps the
  first N lines of stdout (the exit code is then head's, 0, as in a shell). Unquoted arguments
  with ``*``, ``?`` or ``[`` are expanded as a shell would (sorted, relative to the root).

* Option tables between ``<!-- options: COMMAND -->`` and ``<!-- /options -->`` (COMMAND is
  ``tipscore``, ``score``, ``schema input``, ...), built from the typer application itself.

Usage::

    .venv/bin/python scripts/update_cli_docs.py          # rewrite docs/cli.md in place
    .venv/bin/python scripts/update_cli_docs.py --check  # exit 1 if it is out of date

tests/cli/test_docs.py runs every example and fails while the document is out of date, so run
this after changing a command, a message, a fixture or a ruleset.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "cli.md"
#: every page whose ``$ tipscore`` examples are generated and checked (docs/cli.md first)
PAGES = [DOC, ROOT / "docs" / "testing-rulesets.md"]

_FENCE = re.compile(r"^(?P<fence>```+)(?P<lang>[\w-]*)\n(?P<body>\$ .*?\n?)^(?P=fence)[ \t]*$", re.M | re.S)
_OPTIONS = re.compile(r"(?P<open><!-- options: (?P<command>[^>]+?) -->\n).*?(?P<close><!-- /options -->)", re.S)
_EXIT = re.compile(r"^# exit (\d+)$")


@dataclass
class Step:
    """One ``$`` command of an example and the output the document shows for it."""

    command: str
    output: str  # without the "# exit N" line
    code: int

    def render(self) -> str:
        lines = [f"$ {self.command}"]
        if self.output:
            lines.append(self.output)
        if self.code:
            lines.append(f"# exit {self.code}")
        return "\n".join(lines)


@dataclass
class Example:
    """A fenced example block: where it is in the document and its steps."""

    start: int
    end: int
    fence: str
    lang: str
    steps: list[Step]

    @property
    def name(self) -> str:
        return self.steps[0].command

    def render(self, steps: list[Step] | None = None) -> str:
        body = "\n".join(step.render() for step in (steps or self.steps))
        return f"{self.fence}{self.lang}\n{body}\n{self.fence}"


def parse_examples(text: str) -> list[Example]:
    """Every example block of ``text``, in order."""
    examples = []
    for match in _FENCE.finditer(text):
        commands: list[tuple[str, list[str]]] = []
        for line in match["body"].rstrip("\n").split("\n"):
            if line.startswith("$ "):
                commands.append((line[2:], []))
            else:
                commands[-1][1].append(line)
        steps = []
        for command, lines in commands:
            found = _EXIT.match(lines[-1]) if lines else None
            if found:
                lines = lines[:-1]
            steps.append(Step(command, "\n".join(lines).rstrip("\n"), int(found.group(1)) if found else 0))
        examples.append(Example(match.start(), match.end(), match["fence"], match["lang"], steps))
    return examples


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "COLUMNS", "LINES", "TIPSCORE_NO_CACHE")}
    env.update(CI="true", NO_COLOR="1", TERM="dumb", PYTHONUNBUFFERED="1", PYTHONPATH=str(ROOT))
    return env


def _expand(command: str, args: list[str]) -> list[str]:
    out = []
    for arg in args:
        quoted = f"'{arg}'" in command or f'"{arg}"' in command
        matches = sorted(glob.glob(arg, root_dir=ROOT)) if not quoted and any(c in arg for c in "*?[") else []
        out.extend(matches or [arg])
    return out


def _head(args: list[str]) -> int:
    if len(args) == 2 and args[0] == "-n":
        return int(args[1])
    if len(args) == 1 and re.fullmatch(r"-\d+", args[0]):
        return int(args[0][1:])
    raise ValueError(f"only `head -n N` is supported, not `head {' '.join(args)}`")


def run_step(command: str) -> tuple[str, int]:
    """Run one ``$`` command from the repository root: (output, exit code)."""
    tokens = shlex.split(command)
    stages: list[list[str]] = [[]]
    for token in tokens:
        if token == "|":
            stages.append([])
        else:
            stages[-1].append(token)
    program, *args = stages[0]
    args = _expand(command, args)
    if program in ("head", "cat") and len(stages) == 1:
        *options, name = args
        lines = (ROOT / name).read_text("utf-8").splitlines()
        return "\n".join(lines[:_head(options)] if program == "head" else lines), 0
    if program != "tipscore":
        raise ValueError(f"examples run `tipscore`, `head` or `cat`, not {program!r}")
    # the installed console script, so messages name the program as the reader types it
    script = Path(sys.executable).with_name("tipscore")
    argv = [str(script), *args] if script.is_file() else [sys.executable, "-m", "scoring", *args]
    if len(stages) == 1:
        result = subprocess.run(argv, cwd=ROOT, env=_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, timeout=300)
        return result.stdout.rstrip("\n"), result.returncode
    if len(stages) != 2 or stages[1][:1] != ["head"]:
        raise ValueError(f"only `| head -n N` is supported after a command: {command!r}")
    keep = _head(stages[1][1:])
    result = subprocess.run(argv, cwd=ROOT, env=_env(), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=300)
    shown = result.stdout.splitlines()[:keep] + result.stderr.splitlines()
    return "\n".join(shown).rstrip("\n"), 0


def run_example(example: Example) -> list[Step]:
    """The example's steps as they run now (in order: later steps may read files earlier ones wrote)."""
    return [Step(step.command, *run_step(step.command)) for step in example.steps]


def options_table(command: str) -> str:
    """A markdown table of the arguments and options of ``command`` (``tipscore`` for the root)."""
    import typer

    from scoring.cli import app

    node = typer.main.get_command(app)
    for part in command.split()[1:] if command.startswith("tipscore") else command.split():
        node = node.commands[part]  # type: ignore[attr-defined]
    rows = ["| Argument or option | Default | Meaning |", "| --- | --- | --- |"]
    for param in node.params:
        help_text = " ".join((getattr(param, "help", None) or "").split()).replace("|", "\\|")
        if param.param_type_name == "argument":
            name = param.name.upper() + ("..." if param.nargs == -1 else "")
            default = "required" if param.required else ""
        else:
            name = ", ".join(param.opts + param.secondary_opts)
            annotation = getattr(getattr(param, "type_descriptor", None), "annotation", str)
            if not getattr(param, "is_flag", False):
                name += " N" if annotation in (int, float) else " TEXT"
            if getattr(param, "multiple", False):
                help_text += " (may be repeated)"
            default = "required" if param.required else (
                "" if param.default is None or param.default is False or getattr(param, "is_flag", False)
                else str(param.default))
        rows.append(f"| `{name}` | {f'`{default}`' if default not in ('', 'required') else default} | {help_text} |")
    return "\n".join(rows) if len(rows) > 2 else "No arguments or options."


def refresh(text: str, jobs: int = 2) -> str:
    """``text`` with every example output and option table regenerated."""
    text = _OPTIONS.sub(lambda m: f"{m['open']}{options_table(m['command'])}\n{m['close']}", text)
    examples = parse_examples(text)
    with ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(run_example, examples))
    out, end = [], 0
    for example, steps in zip(examples, results):
        out += [text[end:example.start], example.render(steps)]
        end = example.end
    return "".join(out) + text[end:]


def main(argv: list[str]) -> int:
    stale = 0
    for page in PAGES:
        old = page.read_text("utf-8")
        new = refresh(old)
        if "--check" in argv:
            if new != old:
                print(f"{page.relative_to(ROOT)} is out of date: run scripts/update_cli_docs.py", file=sys.stderr)
                stale += 1
            continue
        if new != old:
            page.write_text(new, "utf-8")
        print(f"{page.relative_to(ROOT)}: {len(parse_examples(new))} examples, "
              f"{'updated' if new != old else 'already up to date'}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
