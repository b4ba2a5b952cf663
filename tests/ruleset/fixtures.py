"""The failure-named ruleset fixtures in tests/ruleset/invalid/ and their header comments.

Each fixture starts with comments saying what it demonstrates, then one line per
diagnostic the checker must give for it:

    # expect: TS101 13:5                          a diagnostic in this file at line 13, column 5
    # expect: TS108 4:1 in extends_loop_b.yaml    ... in another fixture (an extends chain)
    # expect: TS114 0:0                           a file-level diagnostic (no line)
    # expect: TS118 engine                        raised by the engine when it compiles the ruleset
    # expect: none                                nothing in this file
    # validate with: years_overlap_a.yaml         the expectations hold when both are validated together
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
INVALID = HERE / "invalid"
VALID = HERE / "valid"
DOC = ROOT / "docs" / "diagnostics.md"

#: Codes no ruleset file can produce, with the reason (checked by test_every_code_has_a_fixture).
UNREACHABLE: dict[str, str] = {}

_EXPECT = re.compile(r"# expect: (?:none|(?P<code>TS\d{3}) (?:(?P<engine>engine)|(?P<line>\d+):(?P<col>\d+)(?: in (?P<file>\S+))?))\s*$")
_WITH = re.compile(r"# validate with: (?P<file>\S+)\s*$")


@dataclass(frozen=True, order=True)
class Expected:
    code: str
    file: str  #: file name (in tests/ruleset/invalid)
    line: int
    col: int


@dataclass
class Fixture:
    path: Path
    description: str
    expected: list[Expected] = field(default_factory=list)
    engine: list[str] = field(default_factory=list)  #: codes the engine raises at compile time
    pair: str | None = None  #: validated together with this fixture

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def codes(self) -> set[str]:
        return {e.code for e in self.expected} | set(self.engine)


def read_fixture(path: Path) -> Fixture:
    header: list[str] = []
    for line in path.read_bytes().decode("utf-8", "replace").splitlines():  # a fixture may hold a non-UTF-8 byte
        if not line.startswith("#"):
            break
        header.append(line)
    fixture = Fixture(path, " ".join(h.lstrip("# ") for h in header if not h.startswith(("# expect:", "# validate with:"))))
    for line in header:
        if match := _WITH.match(line):
            fixture.pair = match["file"]
        elif line.startswith("# expect:"):
            match = _EXPECT.match(line)
            assert match, f"{path.name}: malformed header line {line!r}"
            if match["engine"]:
                fixture.engine.append(match["code"])
            elif match["code"]:
                fixture.expected.append(Expected(match["code"], match["file"] or path.name,
                                                 int(match["line"]), int(match["col"])))
    return fixture


def invalid_fixtures() -> list[Fixture]:
    return [read_fixture(p) for p in sorted(INVALID.glob("*.yaml"))]


CATALOG = INVALID / "catalog"


def catalog_fixtures() -> list[Fixture]:
    """Conflicts among rulesets folders: each case is a folder given as ``--rulesets``; the file
    names in ``expected`` are relative to that folder."""
    return [read_fixture(p) for p in sorted(CATALOG.glob("*/*.yaml"))]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m scoring ARGS`` from the repository root (no check cache, output unbuffered)."""
    env = {**os.environ, "TIPSCORE_NO_CACHE": "1", "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "scoring", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def rel(path: Path) -> str:
    return os.path.relpath(path, ROOT)
