"""The repository names no path of a build machine: shared material is ``../shared/...``."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MACHINE_PATH = re.compile(r"(?<![\w.])/(?:work|home|root|Users)/[\w.-]+")


def test_no_tracked_file_names_a_path_of_a_build_machine() -> None:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    found = []
    for name in files:
        path = ROOT / name
        if name.startswith("requirements/") or not path.is_file() or path.suffix in {".png", ".lock"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if MACHINE_PATH.search(line) and "MACHINE_PATH" not in line:
                found.append(f"{name}:{number}: {line.strip()[:100]}")
    assert not found, "write shared material as ../shared/...:\n" + "\n".join(found)
