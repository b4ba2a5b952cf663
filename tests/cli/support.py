"""Helpers for the CLI tests: run the real entry point, write generated documents, check stderr."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from scoring.testing import random_data

ROOT = Path(__file__).resolve().parents[2]
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

#: ``file: message``, ``file:line:col: message`` or ``file: place: message``: one problem per line
ERROR_LINE = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<pos>\d+:\d+:)? \S.*$")


def env(**extra: str) -> dict[str, str]:
    """The environment of a CI run: no terminal, no colour forcing, unbuffered."""
    out = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TIPSCORE_NO_CACHE", "COLUMNS")}
    out.update({"CI": "true", "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}, **extra)
    return out


def run(*args: str | os.PathLike[str], cwd: Path | str = ROOT, timeout: float = 120,
        **extra_env: str) -> subprocess.CompletedProcess[str]:
    """``python -m scoring ARGS`` with no stdin, capturing stdout and stderr separately."""
    return subprocess.run([sys.executable, "-m", "scoring", *map(str, args)], cwd=cwd, env=env(**extra_env),
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)


def document(seed: int, report_year: int | None = None) -> dict[str, Any]:
    """A valid generated efforts document (as data)."""
    return random_data(random.Random(seed), report_year)


def dump(data: Any, path: Path) -> Path:
    """Write ``data`` as JSON or YAML according to the suffix."""
    if path.suffix == ".json":
        path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    else:
        path.write_text(yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def write_documents(folder: Path, count: int, suffix: str = ".yaml", first_seed: int = 0) -> list[Path]:
    """``count`` generated documents ``doc-00000.yaml``... in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    return [dump(document(first_seed + i), folder / f"doc-{i:05d}{suffix}") for i in range(count)]


def assert_clean_stderr(stderr: str) -> list[str]:
    """No traceback, no typer/rich panel, every line ``name: ...``; returns the lines."""
    assert "Traceback" not in stderr, stderr
    assert "╭" not in stderr and "│" not in stderr, stderr
    assert "Error:" not in stderr, stderr
    lines = stderr.splitlines()
    for line in lines:
        assert ERROR_LINE.match(line), f"not a one-line `file: message` error: {line!r}\n{stderr}"
    return lines


def lines_naming(stderr: str, name: str) -> list[str]:
    """The stderr lines about ``name`` (which begin ``name:``)."""
    return [line for line in stderr.splitlines() if line.startswith(f"{name}:")]


def assert_fails_cleanly(result: subprocess.CompletedProcess[str], name: str, *fragments: str,
                         code: int = 2) -> list[str]:
    """Exit ``code``, a clean stderr with at least one line naming ``name`` and containing each fragment."""
    assert result.returncode == code, (result.returncode, result.stdout[-2000:], result.stderr)
    assert_clean_stderr(result.stderr)
    named = lines_naming(result.stderr, name)
    assert named, f"no stderr line names {name!r}:\n{result.stderr}"
    for fragment in fragments:
        assert any(fragment in line for line in named), f"{fragment!r} not in {named}"
    return named
