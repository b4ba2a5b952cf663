"""Refresh the examples in docs/diagnostics.md from the fixtures and the real CLI.

Two kinds of marked blocks are rewritten; everything else in the document is prose:

    <!-- fixture: invalid/unknown_fact.yaml 8-13 -->     the fixture's lines 8 to 13 (a ```yaml block)
    <!-- run: validate tests/ruleset/invalid/x.yaml -->   `tipscore ...` run from the repository root
                                                         (a ```text block: output and exit code)

Run ``.venv/bin/python -m tests.ruleset.docgen`` after changing a fixture or a message;
tests/ruleset/test_diagnostics.py fails while the document is out of date.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from tests.ruleset.fixtures import DOC, HERE, ROOT

_BLOCK = re.compile(r"(?P<marker><!-- (?P<kind>fixture|run): (?P<args>[^>]*?) -->\n)```(?P<lang>\w*)\n.*?```", re.S)


def _excerpt(args: str) -> str:
    name, _, span = args.partition(" ")
    first, _, last = span.partition("-")
    lines = (HERE / name).read_text("utf-8").splitlines()
    return "\n".join(lines[int(first) - 1:int(last or first)])


def _run(args: str) -> str:
    env = {**os.environ, "TIPSCORE_NO_CACHE": "1", "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    result = subprocess.run([sys.executable, "-m", "scoring", *shlex.split(args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
    return f"$ tipscore {args}\n{result.stdout.rstrip()}\n(exit {result.returncode})".replace("\n\n", "\n")


def refresh(text: str) -> str:
    """``text`` with every marked block regenerated."""
    blocks = list(_BLOCK.finditer(text))
    with ThreadPoolExecutor(8) as pool:
        bodies = list(pool.map(lambda m: _excerpt(m["args"]) if m["kind"] == "fixture" else _run(m["args"]), blocks))
    out, end = [], 0
    for match, body in zip(blocks, bodies):
        out += [text[end:match.start()], match["marker"], f"```{match['lang']}\n{body}\n```"]
        end = match.end()
    return "".join(out) + text[end:]


if __name__ == "__main__":
    DOC.write_text(refresh(DOC.read_text("utf-8")), "utf-8")
    print(f"refreshed {DOC.relative_to(ROOT)}")
