"""Helpers for the test-file tests: write a test file, load it, and read the one-line errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scoring.casetest import TestFileErrors, run_tests

ROOT = Path(__file__).resolve().parents[2]
STRONG = ROOT / "rulesets" / "tests" / "documents" / "strong.yaml"
#: ``file:line:col: field: message`` (or ``file: message`` for a file-level problem)
ERROR = re.compile(r"^(?P<file>[^:]+):(?:(?P<line>\d+):(?P<col>\d+):)? \S.*$")


def write(folder: Path, text: str, name: str = "cases.test.yaml") -> Path:
    path = folder / name
    path.write_text(text, "utf-8")
    return path


def errors(*paths: Path) -> list[str]:
    """The lines of the TestFileErrors the paths raise (each checked to be one ``file:...`` line)."""
    with pytest.raises(TestFileErrors) as info:
        run_tests([str(p) for p in paths])
    lines = str(info.value).splitlines()
    assert lines and lines == info.value.lines
    for line in lines:
        assert ERROR.match(line), line
    return lines
