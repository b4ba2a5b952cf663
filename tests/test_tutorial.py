"""docs/tutorial-authoring.md runs: its files are written and its commands run, in order, in a fresh
workspace holding a copy of fixtures/, and each command prints exactly what the page shows.

``.venv/bin/python -m tests.test_tutorial`` rewrites the outputs after an intended change.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "tutorial-authoring.md"
_BLOCK = re.compile(r"(?:<!-- file: (?P<file>\S+) -->\n```\w*\n(?P<content>.*?)```)|(?:```console\n(?P<body>\$ .*?)```)",
                    re.S)
_EXIT = re.compile(r"^# exit (\d+)$")


def _run(command: str, workspace: Path) -> str:
    """One ``$`` line: ``tipscore ...`` (optionally ``| head -n N``) or ``head -n N FILE``; output plus exit."""
    stages = [shlex.split(part) for part in command.split(" | ")]
    program, *args = stages[0]
    if program == "head":
        lines = (workspace / args[-1]).read_text("utf-8").splitlines()
        return "\n".join(lines[:int(args[1])])
    assert program == "tipscore", command
    env = {k: v for k, v in os.environ.items() if k not in ("TIPSCORE_RULESETS", "FORCE_COLOR", "COLUMNS")}
    env.update(CI="true", NO_COLOR="1", PYTHONUNBUFFERED="1", PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "scoring", *args], cwd=workspace, env=env, capture_output=True,
                            text=True, timeout=300, stdin=subprocess.DEVNULL)
    if len(stages) == 2:
        assert stages[1][:2] == ["head", "-n"], command
        return "\n".join(result.stdout.splitlines()[:int(stages[1][2])] + result.stderr.splitlines())
    out = (result.stdout + result.stderr).rstrip("\n")
    return out + (f"\n# exit {result.returncode}" if result.returncode else "")


def refresh(text: str) -> str:
    """The tutorial with every command's output as it runs now."""
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder)
        shutil.copytree(ROOT / "fixtures", workspace / "fixtures")
        out, end = [], 0
        for match in _BLOCK.finditer(text):
            if match["file"]:
                target = workspace / match["file"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(match["content"], "utf-8")
                continue
            commands = [line[2:] for line in match["body"].splitlines() if line.startswith("$ ")]
            body = "\n".join(f"$ {c}\n{_run(c, workspace)}".rstrip("\n") for c in commands)
            out += [text[end:match.start()], f"```console\n{body}\n```"]
            end = match.end()
        return "".join(out) + text[end:]


def test_the_tutorial_runs_as_written() -> None:
    text = DOC.read_text("utf-8")
    assert refresh(text) == text, "run `.venv/bin/python -m tests.test_tutorial` and review the diff"


def test_the_tutorial_covers_what_it_must() -> None:
    text = DOC.read_text("utf-8")
    for command in ("$ tipscore diff tvpa-2019 my/tvpa-2027.yaml --over fixtures/", "$ tipscore docs",
                    "$ tipscore score my/synthetic-2027.yaml --rulesets my", "$ tipscore validate",
                    "$ tipscore test my/tvpa-2027.test.yaml --rulesets my --coverage"):
        assert command in text, command
    assert "PLACEHOLDER" not in text
    assert "3 cases in 1 file: 3 passed, 0 failed" in text.split("$ tipscore test my/tvpa-2027.test.yaml")[1]
    assert "ruleset tvpa-2027" in text.split("$ tipscore score my/synthetic-2027.yaml --rulesets my")[1]


if __name__ == "__main__":
    DOC.write_text(refresh(DOC.read_text("utf-8")), "utf-8")
    print(f"refreshed {DOC.relative_to(ROOT)}")
