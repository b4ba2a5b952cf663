"""Python examples in README.md and docs/*.md run, so they cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCKS = [(path, i, code) for path in FILES
          for i, code in enumerate(re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S))]


@pytest.mark.parametrize(("path", "index", "code"), BLOCKS, ids=[f"{p.name}#{i}" for p, i, _ in BLOCKS])
def test_python_example_runs(path: Path, index: int, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    exec(compile(code, f"{path.name} example {index}", "exec"), {"__name__": "docs_example"})


def test_linked_docs_exist() -> None:
    for path in FILES:
        for target in re.findall(r"\]\(((?:docs/)?[a-z-]+\.md)\)", path.read_text(encoding="utf-8")):
            base = ROOT if target.startswith("docs/") or path.name == "README.md" else path.parent
            assert (base / target).exists() or (ROOT / "docs" / target).exists(), f"{path.name} links {target}"
